//! SIMD downscaling with `fast_image_resize`.

use fast_image_resize::{images::Image, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbImage;

use crate::MediaError;

/// The size that fits `(w, h)` within a `max`×`max` box keeping the aspect ratio; never upscales
/// and never returns a zero side.
pub fn fit_within(w: u32, h: u32, max: u32) -> (u32, u32) {
    if w <= max && h <= max {
        return (w, h);
    }
    if w >= h {
        (
            max,
            ((u64::from(h) * u64::from(max) + u64::from(w) / 2) / u64::from(w)).max(1) as u32,
        )
    } else {
        (
            ((u64::from(w) * u64::from(max) + u64::from(h) / 2) / u64::from(h)).max(1) as u32,
            max,
        )
    }
}

/// `src` itself when it already is `nw`×`nh`, else a Catmull-Rom (bicubic) resize: the preview
/// is at most a small reduction of a DCT-scaled decode, where the cubic is as sharp as Lanczos
/// and cheaper.
pub fn resize_owned(src: RgbImage, nw: u32, nh: u32) -> Result<RgbImage, MediaError> {
    if src.dimensions() == (nw, nh) {
        return Ok(src);
    }
    resize_to(&src, nw, nh, FilterType::CatmullRom)
}

/// A Lanczos3 copy of `src` whose longest side is at most `max` (the thumbnail: a strong
/// reduction, where the wider filter keeps it from aliasing).
pub fn thumbnail(src: &RgbImage, max: u32) -> Result<RgbImage, MediaError> {
    let (w, h) = src.dimensions();
    let (nw, nh) = fit_within(w, h, max);
    if (nw, nh) == (w, h) {
        return Ok(src.clone());
    }
    resize_to(src, nw, nh, FilterType::Lanczos3)
}

/// A resize of `src` to `nw`×`nh` with `filter` (SIMD convolution).
pub fn resize_to(
    src: &RgbImage,
    nw: u32,
    nh: u32,
    filter: FilterType,
) -> Result<RgbImage, MediaError> {
    let (w, h) = src.dimensions();
    let src_view = fast_image_resize::images::ImageRef::new(w, h, src.as_raw(), PixelType::U8x3)
        .map_err(|e| MediaError::Encode(e.to_string()))?;
    let mut dst = Image::new(nw, nh, PixelType::U8x3);
    Resizer::new()
        .resize(
            &src_view,
            &mut dst,
            &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter)),
        )
        .map_err(|e| MediaError::Encode(e.to_string()))?;
    RgbImage::from_raw(nw, nh, dst.into_vec())
        .ok_or_else(|| MediaError::Encode("resized buffer has the wrong size".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_aspect_and_never_upscales() {
        assert_eq!(fit_within(4032, 3024, 1280), (1280, 960));
        assert_eq!(fit_within(3024, 4032, 256), (192, 256));
        assert_eq!(fit_within(100, 50, 256), (100, 50));
        assert_eq!(fit_within(10000, 1, 256), (256, 1));
    }
}
