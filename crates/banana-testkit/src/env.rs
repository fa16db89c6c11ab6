//! Where tests find their data, models and test servers, and whether a missing prerequisite
//! skips or fails. Paths are the same for every crate: the shared data is `../shared/data`
//! beside the repository (or `BANANA_TEST_SHARED_DATA`), the models are in `BANANA_MODELS_DIR`
//! (default `~/.cache/banana/models`), the test servers are named by `BANANA_TEST_PG_URL` and
//! `BANANA_TEST_S3_*`. Every helper that finds a prerequisite missing goes through [`skip`]:
//! a message, or a failure under `BANANA_TEST_REQUIRE_ALL=1`.

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

/// The value of the environment variable `name` when it is set and not empty; else [`skip`]
/// (a test server or setting the test needs is not configured).
pub fn need_var(name: &str) -> Option<String> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => skip(&format!("{name} is not set (scripts/test.sh sets it)")),
    }
}

/// The shared test data folder: `BANANA_TEST_SHARED_DATA` when set and not empty (a checkout
/// outside the usual layout, e.g. a git worktree), else `../shared/data` beside the repository;
/// when it is absent, [`skip`] (a failure under [`require_all`]).
pub fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("BANANA_TEST_SHARED_DATA")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        skip(&format!(
            "the shared test data {} is absent (set BANANA_TEST_SHARED_DATA)",
            dir.display()
        ))
    }
}

/// The bytes of one file of the shared data (`rel` below [`shared_data`]), or `None` as
/// [`shared_data`] says. A missing file inside the folder is a test failure.
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
/// [`shared_data`]); when it is absent, [`skip`] (a failure under [`require_all`]).
pub fn imagenet_sample() -> Option<PathBuf> {
    let dir = match std::env::var_os("BANANA_IMAGENET_SAMPLE").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => shared_data()?.join("imagenet-sample"),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        skip(&format!(
            "the ImageNet sample folder {} is absent (set BANANA_IMAGENET_SAMPLE)",
            dir.display()
        ))
    }
}

/// The photos of [`imagenet_sample`] (`*.JPEG`, one per class), sorted by name (so by WordNet
/// id); `None` as [`imagenet_sample`] says.
pub fn imagenet_jpegs() -> Option<Vec<PathBuf>> {
    files_with_extensions(&imagenet_sample()?, &["jpeg"])
}

/// The S3 server of the tests (`scripts/test.sh` starts s3s-fs, which checks signatures): its
/// endpoint, the public URL presigned links use, the folder it serves (one sub-folder a
/// bucket) and the keys.
#[derive(Debug, Clone)]
pub struct TestS3 {
    pub endpoint: String,
    /// `BANANA_TEST_S3_PUBLIC_URL`, when set.
    pub public_url: Option<String>,
    pub root: PathBuf,
    pub access_key: String,
    pub secret_key: String,
}

/// The test S3 server from `BANANA_TEST_S3_ENDPOINT` and `BANANA_TEST_S3_ROOT` (required) and
/// `BANANA_TEST_S3_PUBLIC_URL`, with the keys of [`s3_keys`]; else [`skip`].
pub fn test_s3() -> Option<TestS3> {
    let endpoint = need_var("BANANA_TEST_S3_ENDPOINT")?;
    let root = PathBuf::from(need_var("BANANA_TEST_S3_ROOT")?);
    let (access_key, secret_key) = s3_keys();
    Some(TestS3 {
        endpoint,
        public_url: std::env::var("BANANA_TEST_S3_PUBLIC_URL")
            .ok()
            .filter(|u| !u.is_empty()),
        root,
        access_key,
        secret_key,
    })
}

/// The keys of the tests' S3 servers: `BANANA_TEST_S3_ACCESS_KEY` and
/// `BANANA_TEST_S3_SECRET_KEY`, by default `banana` / `banana-secret` (what `scripts/test.sh`
/// starts s3s-fs with).
pub fn s3_keys() -> (String, String) {
    let var = |name: &str, default: &str| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| default.to_string())
    };
    (
        var("BANANA_TEST_S3_ACCESS_KEY", "banana"),
        var("BANANA_TEST_S3_SECRET_KEY", "banana-secret"),
    )
}

impl TestS3 {
    /// Makes the bucket `name` (a folder of [`TestS3::root`]) and returns its name.
    pub fn create_bucket(&self, name: &str) -> String {
        std::fs::create_dir_all(self.root.join(name))
            .unwrap_or_else(|e| panic!("bucket folder {name}: {e}"));
        name.to_string()
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
