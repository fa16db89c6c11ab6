//! Ingest bench: every image of a folder through decode, derive, classify and store.
//! `--workers`: workers, each running the whole chain with its own session (default: cores);
//! `--threads`: ONNX Runtime threads per session (default 1); `--batch`: images per inference;
//! `--all-analyzers`: also text, faces and colours on every preview, as the service does.
//!
//! ```text
//! cargo run --release -p banana-bench --example bench_ingest -- <dir> [--workers N]
//!     [--threads N] [--batch N] [--limit N] [--tsv FILE] [--out DIR] [--all-analyzers]
//! ```
//!
//! Models come from `BANANA_MODELS_DIR` (default `~/.cache/banana/models`).

use std::path::PathBuf;
use std::process::ExitCode;

use banana_bench::ingest::{bench_ingest, BenchOptions};

const USAGE: &str = "usage: bench_ingest <dir> [--workers N] [--threads N] [--batch N] [--limit N] [--tsv FILE] [--out DIR] [--all-analyzers]";

fn main() -> ExitCode {
    let mut opts = BenchOptions::default();
    let mut dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |name: &str| -> Option<usize> {
            let v = args.next().and_then(|v| v.parse().ok());
            if v.is_none() {
                eprintln!("{name} needs a number\n{USAGE}");
            }
            v
        };
        match a.as_str() {
            "--workers" => match num("--workers") {
                Some(n) => opts.pipeline.workers = n,
                None => return ExitCode::from(2),
            },
            "--threads" => match num("--threads") {
                Some(n) => opts.inference_threads = n,
                None => return ExitCode::from(2),
            },
            "--batch" => match num("--batch") {
                Some(n) => opts.pipeline.batch_size = n,
                None => return ExitCode::from(2),
            },
            "--limit" => match num("--limit") {
                Some(n) => opts.limit = n,
                None => return ExitCode::from(2),
            },
            "--all-analyzers" => opts.all_analyzers = true,
            "--tsv" => opts.tsv = args.next().map(PathBuf::from),
            "--out" => match args.next() {
                Some(p) => opts.out_dir = PathBuf::from(p),
                None => return ExitCode::from(2),
            },
            _ if dir.is_none() && !a.starts_with("--") => dir = Some(PathBuf::from(a)),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match bench_ingest(&dir, &opts) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench_ingest: {e}");
            ExitCode::FAILURE
        }
    }
}
