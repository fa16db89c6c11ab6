//! Banana's benches, out of the library crates: each measures the real code path of one crate
//! and prints figures; none of it is linked into the server.
//!
//! - [`labels`]: the labeling path (decode, preprocess, inference) on ImageNet samples —
//!   accuracy, images/s, per-stage medians (`banana bench labels`, example `bench_labels`).
//! - [`ingest`]: a folder through the whole ingest pipeline into a scratch folder
//!   (`banana bench ingest`, example `bench_ingest`).
//! - [`engine_quality`]: search quality of the `banana-search` engine alone (example
//!   `search_quality`); [`search_speed`]: query embedding and index scans (`banana bench
//!   search-speed`, example `search_speed`).
//! - `service_quality` (feature `service`): search quality through the real service, uploads and
//!   all (`banana bench search-quality`). Behind a feature so the engine-level examples build
//!   without the database and storage crates.
//!
//! `bench/*/compare.sh` build these examples to compare with reference implementations.
//!
//! What every bench and example shares is here, once: the models ([`models_dir`],
//! [`bench_models`]), the images of a folder ([`image_files`]), the process's memory
//! ([`status_mib`], [`memory_report`]) and how an example ends ([`exit_code`]).

pub mod engine_quality;
pub mod ingest;
pub mod labels;
pub mod search_speed;
#[cfg(feature = "service")]
pub mod service_quality;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use banana_vision::{ensure_models, ModelId, ModelPaths, VisionError};

/// The models folder: `BANANA_MODELS_DIR` when set and not empty, else
/// `$HOME/.cache/banana/models` (where `banana models fetch` puts them).
pub fn models_dir() -> PathBuf {
    std::env::var_os("BANANA_MODELS_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/banana/models")
        })
}

/// Image files of `dir` (JPEG, PNG), sorted by name.
pub fn image_files(dir: &Path) -> Result<Vec<PathBuf>, VisionError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| VisionError::Io {
            action: "list",
            path: dir.to_path_buf(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "jpeg" | "jpg" | "png"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The models `ids` in [`models_dir`], fetched when missing (progress on stderr, `models: …`);
/// the error as text.
pub fn bench_models(ids: &[ModelId]) -> Result<ModelPaths, String> {
    ensure_models(&models_dir(), ids, &|e| eprintln!("models: {e}")).map_err(|e| e.to_string())
}

/// A memory figure of this process from `/proc/self/status` (`field` is e.g. `VmRSS:` or
/// `VmHWM:`), in MiB; `None` where there is no such file or field (not Linux).
pub fn status_mib(field: &str) -> Option<f64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
}

/// `rss_mib=R peak_rss_mib=P` (resident and peak resident memory, whole MiB; `?` where
/// unknown), the memory part of the examples' reports.
pub fn memory_report() -> String {
    let mib = |field: &str| status_mib(field).map_or_else(|| "?".into(), |m| format!("{m:.0}"));
    format!("rss_mib={} peak_rss_mib={}", mib("VmRSS:"), mib("VmHWM:"))
}

/// How an example's `main` ends: success, or `error: …` on stderr and a failure.
pub fn exit_code(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
