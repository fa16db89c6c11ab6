//! Labels every image of a folder of ImageNet samples and prints accuracy and speed.
//!
//! ```text
//! cargo run --release -p banana-bench --example bench_labels -- <dir> [--threads N] [--dump FILE]
//! ```
//!
//! Models come from `BANANA_MODELS_DIR` (default `~/.cache/banana/models`), fetched if missing.
//! `--dump` writes `file name<TAB>top-1 WordNet id` per image, for comparing with another
//! implementation. The last line, `onnx_model=...`, names the ONNX file that was run.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use banana_bench::labels::bench_labels;
use banana_vision::{imagenet_classes, ModelId};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut dir, mut threads, mut dump) = (None, 1usize, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().and_then(|v| v.parse().ok()).unwrap_or(1),
            "--dump" => dump = args.next().map(PathBuf::from),
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => {
                eprintln!("usage: bench_labels <dir> [--threads N] [--dump FILE]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: bench_labels <dir> [--threads N] [--dump FILE]");
        return ExitCode::from(2);
    };
    banana_bench::exit_code(run(&dir, threads, dump.as_deref()))
}

/// Labels `dir` and prints the report (and writes the `--dump` file).
fn run(dir: &Path, threads: usize, dump: Option<&Path>) -> Result<(), String> {
    let models = banana_bench::bench_models(&[ModelId::EfficientNetLite0])?;
    let report = bench_labels(dir, &models, threads).map_err(|e| e.to_string())?;
    println!("{report}");
    println!("memory at the end: {}", banana_bench::memory_report());
    if let Some(path) = dump {
        let text: String = report
            .predictions
            .iter()
            .map(|(name, i)| format!("{name}\t{}\n", imagenet_classes()[*i].wnid))
            .collect();
        std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
    }
    println!(
        "onnx_model={}",
        models
            .efficientnet
            .as_ref()
            .map(|e| e.onnx.display().to_string())
            .unwrap_or_default()
    );
    Ok(())
}
