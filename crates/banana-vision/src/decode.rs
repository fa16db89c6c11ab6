//! Reading an image to RGB the way the labeling path sees it: decoded with its EXIF
//! orientation applied. A damaged or unknown file is an error, never a panic.

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};

use crate::error::{Result, VisionError};

/// Decodes image bytes to RGB with the EXIF orientation applied.
pub fn decode_image_bytes(bytes: &[u8]) -> std::result::Result<RgbImage, image::ImageError> {
    let mut decoder = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()?
        .into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut img = DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);
    Ok(img.into_rgb8())
}

/// Reads and decodes an image file to RGB with the EXIF orientation applied.
pub fn decode_image(path: &Path) -> Result<RgbImage> {
    let bytes = std::fs::read(path).map_err(|e| VisionError::io("read", path, e))?;
    decode_image_bytes(&bytes).map_err(|e| VisionError::Decode {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_garbage_is_an_error_not_a_panic() {
        assert!(decode_image_bytes(b"not an image").is_err());
        assert!(decode_image_bytes(&[0xff, 0xd8, 0xff, 0xe0, 0, 16]).is_err());
    }
}
