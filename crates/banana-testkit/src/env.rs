//! Where tests find their data and models, and whether a missing prerequisite skips or fails.
//! Paths are the same for every crate: the shared data is `../shared/data` beside the
//! repository (or `BANANA_TEST_SHARED_DATA`), the models are in `BANANA_MODELS_DIR` (default `~/.cache/banana/models`).

use std::path::{Path, PathBuf};

/// `BANANA_TEST_REQUIRE_ALL=1`: nothing may be skipped (set by `scripts/test.sh`).
pub fn require_all() -> bool {
    std::env::var("BANANA_TEST_REQUIRE_ALL").is_ok_and(|v| v == "1")
}

/// Skips the rest of a test (`None`) with a message, or fails it when [`require_all`].
pub fn skip<T>(why: &str) -> Option<T> {
    assert!(!require_all(), "{why} (BANANA_TEST_REQUIRE_ALL=1)");
    eprintln!("skipping: {why}");
    None
}

/// The shared test data folder: `BANANA_TEST_SHARED_DATA` when set (a checkout outside the
/// usual layout, e.g. a git worktree), else `../shared/data` beside the repository; `None` with
/// a message when it is absent.
pub fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("BANANA_TEST_SHARED_DATA")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} not found", dir.display());
        None
    }
}

/// The bytes of one file of the shared data (`rel` below [`shared_data`]), or `None` when the
/// folder is absent. A missing file inside it is a test failure.
pub fn sample(rel: &str) -> Option<Vec<u8>> {
    shared_data().map(|d| std::fs::read(d.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

/// The model cache shared by all tests: `BANANA_MODELS_DIR` when set and not empty, else
/// `$HOME/.cache/banana/models`, so models are fetched once per machine.
pub fn models_dir() -> PathBuf {
    std::env::var_os("BANANA_MODELS_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_else(std::env::temp_dir)
                .join(".cache/banana/models")
        })
}

/// The ImageNet sample folder (`BANANA_IMAGENET_SAMPLE`, else `imagenet-sample/` of
/// [`shared_data`]), or `None` with a message when it is absent.
pub fn imagenet_sample() -> Option<PathBuf> {
    let dir = match std::env::var_os("BANANA_IMAGENET_SAMPLE").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => shared_data()?.join("imagenet-sample"),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: ImageNet sample folder {} is absent (set BANANA_IMAGENET_SAMPLE)",
            dir.display()
        );
        None
    }
}

/// The files of `dir` whose extension is one of `extensions` (any case), sorted by name;
/// `None` with a message when `dir` cannot be read.
pub fn files_with_extensions(dir: &Path, extensions: &[&str]) -> Option<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("skipping: {}: {e}", dir.display());
            return None;
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
        })
        .collect();
    files.sort();
    Some(files)
}
