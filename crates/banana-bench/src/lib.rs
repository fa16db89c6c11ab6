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

pub mod engine_quality;
pub mod ingest;
pub mod labels;
pub mod search_speed;
#[cfg(feature = "service")]
pub mod service_quality;

use std::path::{Path, PathBuf};

use banana_vision::VisionError;

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
