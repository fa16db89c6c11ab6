//! Shared set-up for the integration tests: a models cache shared across runs, and the
//! ImageNet sample folder.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use banana_vision::{ensure_models, ModelId, ModelPaths};

/// `BANANA_MODELS_DIR`, or `$HOME/.cache/banana/models`, so tests fetch once per machine.
pub fn models_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("BANANA_MODELS_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    home.join(".cache/banana/models")
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

/// The shared ImageNet sample folder (`../shared/data/imagenet-sample` beside the repository),
/// or `None` with a message when it is absent.
pub fn sample_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("BANANA_IMAGENET_SAMPLE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/imagenet-sample")
        });
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: ImageNet sample folder {} is absent (set BANANA_IMAGENET_SAMPLE)",
            dir.display()
        );
        None
    }
}
