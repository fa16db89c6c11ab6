//! Shared set-up for the integration tests: a models cache shared across runs, and the
//! ImageNet sample folder.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use banana_vision::{ensure_models, ModelId, ModelPaths};

/// `BANANA_MODELS_DIR`, or `$HOME/.cache/banana/models`, so tests fetch once per machine.
pub fn models_dir() -> PathBuf {
    banana_vision::dev_models_dir()
}

/// Fetches (first time) and returns the classifier's models, once per test process.
pub fn classifier_models() -> &'static ModelPaths {
    static PATHS: OnceLock<ModelPaths> = OnceLock::new();
    PATHS.get_or_init(|| {
        ensure_models(&models_dir(), &[ModelId::EfficientNetLite0], &|e| {
            eprintln!("models: {e}")
        })
        .unwrap_or_else(|e| panic!("cannot get the models: {e}"))
    })
}

/// Fetches (first time) and returns the text embedder's models, once per test process.
pub fn text_models() -> &'static ModelPaths {
    static PATHS: OnceLock<ModelPaths> = OnceLock::new();
    PATHS.get_or_init(|| {
        ensure_models(&models_dir(), &[ModelId::MiniLmL6V2], &|e| {
            eprintln!("models: {e}")
        })
        .unwrap_or_else(|e| panic!("cannot get the models: {e}"))
    })
}

/// Fetches (first time) and returns the face detector's models, once per test process.
pub fn face_models() -> &'static ModelPaths {
    static PATHS: OnceLock<ModelPaths> = OnceLock::new();
    PATHS.get_or_init(|| {
        ensure_models(&models_dir(), &[ModelId::BlazeFace], &|e| {
            eprintln!("models: {e}")
        })
        .unwrap_or_else(|e| panic!("cannot get the models: {e}"))
    })
}

/// Fetches (first time) and returns the text reader's models, once per test process.
pub fn ocr_models() -> &'static ModelPaths {
    static PATHS: OnceLock<ModelPaths> = OnceLock::new();
    PATHS.get_or_init(|| {
        ensure_models(&models_dir(), &[ModelId::PpOcrV4], &|e| {
            eprintln!("models: {e}")
        })
        .unwrap_or_else(|e| panic!("cannot get the models: {e}"))
    })
}

/// `BANANA_TEST_REQUIRE_ALL=1`: nothing may be skipped (set by `scripts/test.sh`).
pub fn require_all() -> bool {
    std::env::var("BANANA_TEST_REQUIRE_ALL").is_ok_and(|v| v == "1")
}

/// The shared ImageNet sample folder: `BANANA_IMAGENET_SAMPLE`, else `imagenet-sample` in
/// `BANANA_TEST_SHARED_DATA`, else `../shared/data/imagenet-sample` beside the repository; or
/// `None` with a message when it is absent (a failure under `BANANA_TEST_REQUIRE_ALL=1`).
pub fn sample_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("BANANA_IMAGENET_SAMPLE")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("BANANA_TEST_SHARED_DATA")
                .filter(|d| !d.is_empty())
                .map(|d| PathBuf::from(d).join("imagenet-sample"))
        })
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/imagenet-sample")
        });
    if dir.is_dir() {
        Some(dir)
    } else {
        let why = format!(
            "ImageNet sample folder {} is absent (set BANANA_IMAGENET_SAMPLE)",
            dir.display()
        );
        assert!(!require_all(), "{why} (BANANA_TEST_REQUIRE_ALL=1)");
        eprintln!("SKIPPED: {why}");
        None
    }
}
