//! The flat index against a naive sort, int8 + re-rank against exact, and removal, on
//! seeded random data.

use std::collections::HashSet;

use banana_search::{random_unit_vectors, Filter, FlatIndex, Hit, VectorIndex, PARALLEL_MIN_ROWS};

/// Top-k by sorting every (id, score) pair: the obviously correct answer.
fn naive(
    rows: &[(String, Vec<f32>)],
    q: &[f32],
    k: usize,
    keep: &dyn Fn(&str) -> bool,
) -> Vec<(String, f32)> {
    let mut all: Vec<(String, f32)> = rows
        .iter()
        .filter(|(id, _)| keep(id))
        .map(|(id, v)| (id.clone(), v.iter().zip(q).map(|(a, b)| a * b).sum()))
        .collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1));
    all.truncate(k);
    all
}

/// Same scores position by position, each id's score is its true dot product, no id twice
/// (with ties at the cut, which of the tied ids is returned may differ from the naive sort).
fn assert_same(got: &[Hit], want: &[(String, f32)]) {
    assert_eq!(got.len(), want.len());
    for (g, (_, s)) in got.iter().zip(want) {
        assert!((g.score - s).abs() < 1e-5, "{} {} vs {s}", g.id, g.score);
    }
    let ids: HashSet<&str> = got.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids.len(), got.len(), "an id twice");
    for w in got.windows(2) {
        assert!(w[0].score >= w[1].score, "not sorted");
    }
}

fn assert_true_scores(got: &[Hit], data: &[(String, Vec<f32>)], q: &[f32]) {
    for h in got {
        let v = &data
            .iter()
            .find(|(id, _)| *id == h.id)
            .expect("a known id")
            .1;
        let s: f32 = v.iter().zip(q).map(|(a, b)| a * b).sum();
        assert!((h.score - s).abs() < 1e-5, "{}: {} vs {s}", h.id, h.score);
    }
}

fn rows(n: usize, dim: usize, seed: u64) -> Vec<(String, Vec<f32>)> {
    random_unit_vectors(n, dim, seed)
        .chunks_exact(dim)
        .enumerate()
        .map(|(i, v)| (format!("img-{i}"), v.to_vec()))
        .collect()
}

#[test]
fn top_k_matches_a_naive_sort_for_many_k_dims_and_filters() {
    for dim in [384, 37, 8, 1] {
        let mut data = rows(3000, dim, dim as u64);
        let mut ix = FlatIndex::new(dim);
        for (id, v) in &data {
            ix.upsert(id, v).unwrap();
        }
        // Churn: remove some, replace some, so slots are reordered.
        let removed: Vec<String> = data.iter().step_by(7).map(|(id, _)| id.clone()).collect();
        for id in &removed {
            assert!(ix.remove(id));
        }
        data.retain(|(id, _)| !removed.contains(id));
        let fresh = random_unit_vectors(100, dim, 99);
        for (i, v) in fresh.chunks_exact(dim).enumerate() {
            let id = data[i * 13].0.clone();
            assert!(!ix.upsert(&id, v).unwrap());
            data[i * 13].1 = v.to_vec();
        }
        assert_eq!(ix.len(), data.len());
        let queries = random_unit_vectors(5, dim, 1234);
        let even = |id: &str| id.ends_with(['0', '2', '4', '6', '8']);
        for q in queries.chunks_exact(dim) {
            for k in [1, 10, 100, data.len(), data.len() + 50] {
                let got = ix.search(q, k, &Filter::All).unwrap();
                assert_same(&got, &naive(&data, q, k, &|_| true));
                if k <= 100 {
                    assert_true_scores(&got, &data, q);
                }
                let got = ix.search(q, k, &Filter::Predicate(&even)).unwrap();
                assert_same(&got, &naive(&data, q, k, &even));
            }
            let allow: Vec<&str> = data.iter().take(50).map(|(id, _)| id.as_str()).collect();
            let set: HashSet<&str> = allow.iter().copied().collect();
            let got = ix.search(q, 10, &Filter::AllowList(&allow)).unwrap();
            assert_same(&got, &naive(&data, q, 10, &|id| set.contains(id)));
        }
    }
}

#[test]
fn parallel_scan_gives_the_same_answer_as_one_thread() {
    let dim = 16;
    let n = PARALLEL_MIN_ROWS * 2 + 123;
    let data = rows(n, dim, 5);
    let mut ix = FlatIndex::new(dim).with_int8(10);
    for (id, v) in &data {
        ix.upsert(id, v).unwrap();
    }
    let queries = random_unit_vectors(5, dim, 6);
    let odd = |id: &str| id.ends_with(['1', '3', '5', '7', '9']);
    for q in queries.chunks_exact(dim) {
        ix.set_threads(1);
        let one = ix.search_exact(q, 25, &Filter::Predicate(&odd)).unwrap();
        let one8 = ix.search_int8(q, 25, 10, &Filter::All).unwrap();
        ix.set_threads(2);
        assert_eq!(
            ix.search_exact(q, 25, &Filter::Predicate(&odd)).unwrap(),
            one
        );
        assert_eq!(ix.search_int8(q, 25, 10, &Filter::All).unwrap(), one8);
        assert_same(&one, &naive(&data, q, 25, &odd));
    }
}

#[test]
fn int8_with_rerank_gives_the_exact_top_10_on_random_data() {
    let dim = 384;
    let data = rows(20_000, dim, 42);
    let mut exact = FlatIndex::new(dim);
    for (id, v) in &data {
        exact.upsert(id, v).unwrap();
    }
    let int8 = exact.clone().with_int8(10);
    let queries = random_unit_vectors(50, dim, 43);
    for q in queries.chunks_exact(dim) {
        let want = exact.search(q, 10, &Filter::All).unwrap();
        let got = int8.search(q, 10, &Filter::All).unwrap();
        // Same ids, same order, and the scores are the exact f32 ones (re-ranked).
        assert_eq!(got, want);
    }
    // The int8 codes follow removals (the last row moves into the hole).
    let mut int8 = int8;
    assert!(int8.remove("img-0"));
    let q = &data[1].1;
    let hits = int8.search(q, 3, &Filter::All).unwrap();
    assert_eq!(hits[0].id, "img-1");
    assert!((hits[0].score - 1.0).abs() < 1e-5);
    assert!(hits.iter().all(|h| h.id != "img-0"));
}

#[test]
fn removed_ids_never_come_back_and_the_moved_row_keeps_its_vector() {
    let dim = 384;
    let data = rows(500, dim, 8);
    let mut ix = FlatIndex::new(dim).with_int8(4);
    for (id, v) in &data {
        ix.upsert(id, v).unwrap();
    }
    // Remove img-3: the last row (img-499) moves into its slot.
    assert!(ix.remove("img-3"));
    assert!(!ix.contains("img-3"));
    assert_eq!(ix.get("img-499"), Some(&data[499].1[..]));
    for probe in [3, 499] {
        let hits = ix.search(&data[probe].1, 5, &Filter::All).unwrap();
        assert!(hits.iter().all(|h| h.id != "img-3"));
        if probe == 499 {
            assert_eq!(hits[0].id, "img-499");
        }
    }
}
