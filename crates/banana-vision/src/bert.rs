//! all-MiniLM-L6-v2 (a 6-layer BERT) from safetensors to ONNX.

use crate::error::{Result, VisionError};

/// Bump whenever the converter's output changes.
pub const CONVERTER_VERSION: u32 = 1;

/// Converts the safetensors weights at `path` into an ONNX graph.
pub fn convert_minilm(path: &std::path::Path) -> Result<Vec<u8>> {
    Err(VisionError::Convert(format!("MiniLM conversion of {} is not implemented yet", path.display())))
}
