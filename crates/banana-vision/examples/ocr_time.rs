//! Per-image OCR timings: `cargo run --release -p banana-vision --example ocr_time -- IMAGE...`
//! (models from `BANANA_MODELS_DIR` or `$HOME/.cache/banana/models`, fetched when missing).

use std::time::Instant;

use banana_vision::ocr::Ocr;
use banana_vision::{ensure_models, ModelId};

fn main() {
    let dir = banana_vision::dev_models_dir();
    let paths =
        ensure_models(&dir, &[ModelId::PpOcrV4], &|e| eprintln!("models: {e}")).expect("models");
    let ocr = Ocr::load(&paths, 2).expect("load OCR");
    for arg in std::env::args().skip(1) {
        let img = image::open(&arg).expect("open image").to_rgb8();
        ocr.read(&img).expect("warm-up");
        let runs = 5;
        let (mut det_ms, mut rec_ms) = (0.0, 0.0);
        let mut lines = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            let quads = ocr.detect(&img).expect("detect");
            det_ms += t.elapsed().as_secs_f64() * 1e3;
            let t = Instant::now();
            lines = ocr.recognize(&img, &quads).expect("recognize");
            rec_ms += t.elapsed().as_secs_f64() * 1e3;
        }
        println!(
            "{arg} {}x{}: detection {:.1} ms, classification+recognition {:.1} ms, {} lines",
            img.width(),
            img.height(),
            det_ms / runs as f64,
            rec_ms / runs as f64,
            lines.len()
        );
        for l in &lines {
            println!("  {:?} {:.3} {:?}", l.text, l.score, l.bbox);
        }
    }
}
