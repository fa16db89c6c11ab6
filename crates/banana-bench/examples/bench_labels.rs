//! Labels every image of a folder of ImageNet samples and prints accuracy and speed.
//!
//! ```text
//! cargo run --release -p banana-bench --example bench_labels -- <dir> [--threads N] [--dump FILE]
//! ```
//!
//! Models come from `BANANA_MODELS_DIR` (default `~/.cache/banana/models`), fetched if missing.
//! `--dump` writes `file name<TAB>top-1 WordNet id` per image, for comparing with another
//! implementation. The last line, `onnx_model=...`, names the ONNX file that was run.

use std::path::PathBuf;
use std::process::ExitCode;

use banana_bench::labels::bench_labels;
use banana_vision::{ensure_models, imagenet_classes, ModelId};

/// Resident and peak resident memory of this process in MiB (Linux), for the report.
fn rss_mib() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| format!("{:.0}", kb / 1024.0))
            .unwrap_or_else(|| "?".into())
    };
    format!(
        "rss_mib={} peak_rss_mib={}",
        field("VmRSS:"),
        field("VmHWM:")
    )
}

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
    let models_dir = banana_bench::models_dir();
    let models = match ensure_models(&models_dir, &[ModelId::EfficientNetLite0], &|e| {
        eprintln!("models: {e}")
    }) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let report = match bench_labels(&dir, &models, threads) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{report}");
    println!("memory at the end: {}", rss_mib());
    if let Some(path) = dump {
        let text: String = report
            .predictions
            .iter()
            .map(|(name, i)| format!("{name}\t{}\n", imagenet_classes()[*i].wnid))
            .collect();
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("error: writing {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    println!(
        "onnx_model={}",
        models
            .efficientnet
            .as_ref()
            .map(|e| e.onnx.display().to_string())
            .unwrap_or_default()
    );
    ExitCode::SUCCESS
}
