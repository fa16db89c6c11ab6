//! The real sentence embedder: MiniLM weights fetched with pip, converted by this crate.
//!
//! Reference values come from an independent float64 NumPy implementation of the same BERT
//! forward pass over the same safetensors weights and tokenizer (mean pooling, L2 norm).

mod common;

use banana_vision::TextEmbedder;

const SENTENCES: [&str; 8] = [
    "A man is playing a guitar.",
    "Someone is strumming an acoustic guitar on stage.",
    "A cat is sleeping on the sofa.",
    "A kitten naps on a couch.",
    "The stock market fell sharply today.",
    "a pet cat",
    "something to drink coffee from",
    "coffee mug",
];

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn embeddings_match_the_numpy_reference() {
    let e = TextEmbedder::load(common::text_models(), 2).unwrap();
    let v = e.embed(&SENTENCES).unwrap();
    assert_eq!(v.len(), SENTENCES.len());
    for x in &v {
        assert_eq!(x.len(), TextEmbedder::DIM);
        assert!((dot(x, x) - 1.0).abs() < 1e-5, "not unit length");
    }
    let first8 = [
        0.02166, -0.00486, -0.00965, -0.0634, -0.16749, 0.00468, 0.0806, -0.02414,
    ];
    for (got, want) in v[0].iter().zip(first8) {
        assert!((got - want).abs() < 1e-4, "{:?}", &v[0][..8]);
    }
    for (i, j, want) in [
        (0, 1, 0.5973),  // two guitar sentences
        (2, 3, 0.7315),  // cat on a sofa / kitten on a couch
        (2, 4, -0.0081), // unrelated
        (5, 2, 0.4920),  // "a pet cat"
        (6, 7, 0.6910),  // "something to drink coffee from" / "coffee mug"
        (6, 4, -0.0084),
    ] {
        let got = dot(&v[i], &v[j]);
        assert!(
            (got - want).abs() < 1e-3,
            "cos({i},{j}) = {got}, reference {want}"
        );
    }
}

#[test]
fn padding_in_a_batch_does_not_change_an_embedding() {
    let e = TextEmbedder::load(common::text_models(), 1).unwrap();
    let alone = e.embed(&["coffee mug"]).unwrap();
    let long = "a very long sentence about many different things that goes on and on for a while";
    let batch = e.embed(&[long, "coffee mug"]).unwrap();
    assert!(dot(&alone[0], &batch[1]) > 0.99999);
    assert!(e.embed(&[]).unwrap().is_empty());
}

#[test]
fn long_text_is_truncated_to_the_window() {
    let e = TextEmbedder::load(common::text_models(), 1).unwrap();
    let long = "cat ".repeat(2000);
    assert_eq!(e.token_count(&long).unwrap(), 256);
    assert_eq!(e.token_count("a pet cat").unwrap(), 5);
    let v = e.embed(&[&long, ""]).unwrap();
    assert!(v.iter().all(|x| (dot(x, x) - 1.0).abs() < 1e-5));
}
