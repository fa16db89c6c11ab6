//! Inference-only timings of the two models, on fixed inputs (no decoding, no preprocessing).
//!
//! ```text
//! cargo run --release -p banana-bench --example bench_inference -- [--threads N] [--iters N]
//! ```
//!
//! Prints median and p90 milliseconds per run and per item for EfficientNet-Lite0 (batch 1
//! and 8) and all-MiniLM-L6-v2 (batch 1 and 8 short sentences). Models come from
//! `BANANA_MODELS_DIR` (default `~/.cache/banana/models`), fetched if missing.

use std::time::Instant;

use banana_vision::preprocess::INPUT_LEN;
use banana_vision::{Classifier, ModelId, TextEmbedder};

fn stats(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[(v.len() * 9) / 10])
}

fn time<F: FnMut()>(iters: usize, mut f: F) -> (f64, f64) {
    for _ in 0..5 {
        f();
    }
    stats(
        (0..iters)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect(),
    )
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut threads, mut iters) = (1usize, 200usize);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => {
                threads = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--threads N")
            }
            "--iters" => iters = args.next().and_then(|v| v.parse().ok()).expect("--iters N"),
            _ => panic!("usage: bench_inference [--threads N] [--iters N]"),
        }
    }
    let models = banana_bench::bench_models(&[ModelId::EfficientNetLite0, ModelId::MiniLmL6V2])
        .unwrap_or_else(|e| panic!("{e}"));

    let classifier = Classifier::load(&models, threads).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "after loading the classifier: {}",
        banana_bench::memory_report()
    );
    let embedder = TextEmbedder::load(&models, threads).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "after loading the text embedder too: {}",
        banana_bench::memory_report()
    );
    let one: Vec<f32> = (0..INPUT_LEN)
        .map(|i| ((i * 7919) % 255) as f32 / 128.0 - 1.0)
        .collect();
    let eight = one.repeat(8);
    let (m, p) = time(iters, || drop(classifier.run(&one).unwrap()));
    println!(
        "efficientnet-lite0 threads={threads} batch=1: median {m:.2} ms, p90 {p:.2} ms per image"
    );
    let (m, p) = time(iters / 4, || drop(classifier.run(&eight).unwrap()));
    println!(
        "efficientnet-lite0 threads={threads} batch=8: median {:.2} ms, p90 {:.2} ms per image",
        m / 8.0,
        p / 8.0
    );
    // ONNX Runtime's memory arena keeps the largest activations it has seen.
    println!(
        "after classifier runs (batch 1 and 8): {}",
        banana_bench::memory_report()
    );
    let query = ["a photo of a cat sleeping on a sofa"];
    let batch = [
        "a tabby cat",
        "something to drink coffee from",
        "a red sports car on a mountain road",
        "a man playing an acoustic guitar",
        "a bowl of fruit on a wooden table",
        "snow-covered mountains at sunrise",
        "a small dog running on the beach",
        "an old steam locomotive",
    ];
    let (m, p) = time(iters, || drop(embedder.embed(&query).unwrap()));
    println!(
        "all-minilm-l6-v2 threads={threads} batch=1: median {m:.2} ms, p90 {p:.2} ms per text"
    );
    let (m, p) = time(iters / 4, || drop(embedder.embed(&batch).unwrap()));
    println!(
        "all-minilm-l6-v2 threads={threads} batch=8: median {:.2} ms, p90 {:.2} ms per text",
        m / 8.0,
        p / 8.0
    );
    println!("after text runs: {}", banana_bench::memory_report());
}
