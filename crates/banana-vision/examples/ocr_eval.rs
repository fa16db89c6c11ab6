//! Reads every JPEG/PNG of a folder with the OCR and prints `{"file": ["line", …], …}` as
//! JSON, the results format of `bench/quality/cer.py` (character error rate against the
//! rendered text set of `bench/quality/make_text_set.py`).
//!
//! ```text
//! cargo run --release -p banana-vision --example ocr_eval -- DIR > results.json
//! python3 bench/quality/cer.py DIR/truth.json results.json
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use banana_vision::ocr::Ocr;
use banana_vision::{decode_image, ensure_models, ModelId};

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: ocr_eval DIR"));
    let models = banana_vision::dev_models_dir();
    let paths =
        ensure_models(&models, &[ModelId::PpOcrV4], &|e| eprintln!("models: {e}")).expect("models");
    let ocr = Ocr::load(&paths, 2).expect("load");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "jpg" | "jpeg" | "png"))
        })
        .collect();
    files.sort();
    let mut out = BTreeMap::new();
    let started = std::time::Instant::now();
    for f in &files {
        let img = decode_image(f).expect("decode");
        // What the analyzer sees: the preview (longest side at most 1280).
        let lines = ocr.read(&img).expect("read");
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        out.insert(name, lines.into_iter().map(|l| l.text).collect::<Vec<_>>());
    }
    eprintln!(
        "{} images, {:.0} ms per image",
        files.len(),
        started.elapsed().as_secs_f64() * 1e3 / files.len().max(1) as f64
    );
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
}
