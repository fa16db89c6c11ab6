//! Faces: BlazeFace detection on ONNX Runtime.

use image::RgbImage;

use crate::error::Result;
use crate::fetch::ModelPaths;

/// One face found in an image.
#[derive(Debug, Clone, PartialEq)]
pub struct Face {
    /// `[x, y, w, h]` as fractions of the image's width and height.
    pub bbox: [f32; 4],
    /// Detection confidence, 0–1.
    pub score: f32,
}

/// The face detector.
pub struct FaceDetector {}

impl FaceDetector {
    /// Loads BlazeFace with `threads` intra-op threads.
    pub fn load(_paths: &ModelPaths, _threads: usize) -> Result<Self> {
        todo!("faces helper")
    }

    /// The faces in `image` (oriented RGB, longest side at most 1280).
    pub fn detect(&self, _image: &RgbImage) -> Result<Vec<Face>> {
        todo!("faces helper")
    }
}
