//! Text in images: PP-OCRv4 detection and recognition on ONNX Runtime.

use image::RgbImage;

use crate::error::Result;
use crate::fetch::ModelPaths;

/// One line of text found in an image.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// The recognised text.
    pub text: String,
    /// `[x, y, w, h]` as fractions of the image's width and height.
    pub bbox: [f32; 4],
    /// Recognition confidence, 0–1.
    pub score: f32,
}

/// The text reader (detector + recogniser sessions).
pub struct Ocr {}

impl Ocr {
    /// Loads the PP-OCRv4 models with `threads` intra-op threads.
    pub fn load(_paths: &ModelPaths, _threads: usize) -> Result<Self> {
        Err(crate::VisionError::Runtime("OCR: not built yet".into()))
    }

    /// The lines of text in `image` (oriented RGB, longest side at most 1280).
    pub fn read(&self, _image: &RgbImage) -> Result<Vec<TextLine>> {
        todo!("OCR helper")
    }
}
