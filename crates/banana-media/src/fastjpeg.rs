//! JPEG decoding and encoding with libjpeg-turbo's code (as built by the `mozjpeg` crate, with
//! its SIMD paths when `nasm` is present at build time, plain C otherwise).
//!
//! Decoding is DCT-scaled: the inverse DCT produces the image at `n/8` of its size directly, so a
//! 12 MP photo whose preview is 1280 px wide is never decoded at full size. Every warning the
//! library raises about the data ("Corrupt JPEG data: …", premature end of data) is an error
//! here: a damaged upload is refused, not filled with grey.
//!
//! libjpeg reports errors through callbacks that must not return; the callbacks below unwind
//! (the C code is built with unwind tables) and the public functions catch that unwinding.

use std::os::raw::c_int;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

use image::RgbImage;
use mozjpeg::Marker;
use mozjpeg_sys as ffi;

use crate::MediaError;

/// Why the C decoder stopped (carried through the unwinding).
struct JpegFailure(String);

fn format_message(cinfo: &mut ffi::jpeg_common_struct) -> String {
    // SAFETY: `err` is the error manager installed by `strict_error_mgr`; `format_message`
    // writes at most JMSG_LENGTH_MAX (80) bytes, NUL-terminated, into the buffer.
    unsafe {
        let Some(err) = cinfo.err.as_ref() else {
            return "libjpeg error".into();
        };
        let code = err.msg_code;
        match err.format_message {
            Some(fmt) => {
                let mut buffer = [0u8; 80];
                // The binding declares the buffer as shared; the C function writes to it.
                let fmt: unsafe extern "C-unwind" fn(&mut ffi::jpeg_common_struct, &mut [u8; 80]) =
                    std::mem::transmute(fmt);
                fmt(cinfo, &mut buffer);
                let end = buffer.iter().position(|&b| b == 0).unwrap_or(buffer.len());
                String::from_utf8_lossy(&buffer[..end]).into_owned()
            }
            None => format!("libjpeg error code {code}"),
        }
    }
}

extern "C-unwind" fn fatal_error(cinfo: &mut ffi::jpeg_common_struct) {
    let msg = format_message(cinfo);
    resume_unwind(Box::new(JpegFailure(msg)));
}

extern "C-unwind" fn message(cinfo: &mut ffi::jpeg_common_struct, level: c_int) {
    // Level -1 is a warning: libjpeg's name for "the data is corrupt but I carried on".
    if level < 0 {
        let msg = format_message(cinfo);
        resume_unwind(Box::new(JpegFailure(msg)));
    }
}

fn strict_error_mgr() -> ffi::jpeg_error_mgr {
    // SAFETY: jpeg_std_error fills every field of a zeroed manager.
    unsafe {
        let mut err: ffi::jpeg_error_mgr = std::mem::zeroed();
        ffi::jpeg_std_error(&mut err);
        err.error_exit = Some(fatal_error);
        err.emit_message = Some(message);
        err
    }
}

/// Runs `f`, turning a libjpeg failure (an unwinding with [`JpegFailure`]) into an error.
fn guarded<T>(
    f: impl FnOnce() -> std::io::Result<T>,
    err: fn(String) -> MediaError,
) -> Result<T, MediaError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(err(e.to_string())),
        Err(payload) => match payload.downcast::<JpegFailure>() {
            Ok(f) => Err(err(f.0)),
            Err(payload) => match payload.downcast::<String>() {
                // The `mozjpeg` crate's own error manager (not installed here) would send these.
                Ok(s) => Err(err(*s)),
                Err(other) => resume_unwind(other),
            },
        },
    }
}

/// A decoded (possibly reduced) JPEG, not yet oriented.
pub struct ScaledJpeg {
    pub image: RgbImage,
    /// Stored dimensions of the full image.
    pub full_width: u32,
    pub full_height: u32,
}

/// The smallest `n` in `1..=8` such that the longest side scaled by `n/8` is at least `min_long`
/// (8 when even the full image is smaller). libjpeg rounds scaled sizes up.
pub fn scale_numerator(width: u32, height: u32, min_long: u32) -> u8 {
    let long = u64::from(width.max(height));
    (1..=8u8)
        .find(|&n| (long * u64::from(n)).div_ceil(8) >= u64::from(min_long))
        .unwrap_or(8)
}

/// A JPEG decoded for its derived images: reduced by DCT scaling, not yet oriented.
pub struct JpegPixels {
    pub scaled: ScaledJpeg,
    /// The EXIF orientation (from the last `Exif` APP1 segment, as the `image` crate reads it).
    pub orientation: image::metadata::Orientation,
    /// Whether the file carries a non-empty EXIF block.
    pub has_exif: bool,
}

/// What [`decode_for_preview`] found.
pub enum JpegDecode {
    Decoded(JpegPixels),
    /// The header's width × height is over the limit; nothing was decoded.
    TooManyPixels {
        width: u32,
        height: u32,
    },
    /// CMYK or YCCK: libjpeg cannot give RGB; the caller decodes another way.
    NotRgb,
}

/// Reads the header once (dimensions, colour space, EXIF), checks the pixel count against
/// `max_pixels` before anything is allocated for pixels, then decodes at the smallest DCT scale
/// whose longest side is at least `min_long`. One pass over the data: no separate probe.
pub fn decode_for_preview(
    bytes: &[u8],
    max_pixels: u64,
    min_long: u32,
) -> Result<JpegDecode, MediaError> {
    const APP1: &[Marker] = &[Marker::APP(1)];
    guarded(
        || {
            let mut d = mozjpeg::Decompress::with_err(strict_error_mgr())
                .with_markers(APP1)
                .from_mem(bytes)?;
            let (fw, fh) = (d.width() as u32, d.height() as u32);
            if u64::from(fw) * u64::from(fh) > max_pixels {
                return Ok(JpegDecode::TooManyPixels {
                    width: fw,
                    height: fh,
                });
            }
            if matches!(
                d.color_space(),
                ffi::J_COLOR_SPACE::JCS_CMYK | ffi::J_COLOR_SPACE::JCS_YCCK
            ) {
                return Ok(JpegDecode::NotRgb);
            }
            // Like the `image` crate: the last APP1 segment that starts with `Exif\0\0`.
            let exif = d
                .markers()
                .filter(|m| m.marker == Marker::APP(1))
                .filter_map(|m| m.data.strip_prefix(b"Exif\0\0"))
                .last()
                .filter(|e| !e.is_empty());
            let orientation = exif
                .and_then(image::metadata::Orientation::from_exif_chunk)
                .unwrap_or(image::metadata::Orientation::NoTransforms);
            let has_exif = exif.is_some();
            d.scale(scale_numerator(fw, fh, min_long));
            let mut started = d.rgb()?;
            let (w, h) = (started.width() as u32, started.height() as u32);
            let pixels: Vec<u8> = started.read_scanlines()?;
            started.finish()?;
            let image = RgbImage::from_raw(w, h, pixels).ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, "short pixel buffer")
            })?;
            Ok(JpegDecode::Decoded(JpegPixels {
                scaled: ScaledJpeg {
                    image,
                    full_width: fw,
                    full_height: fh,
                },
                orientation,
                has_exif,
            }))
        },
        MediaError::Undecodable,
    )
}

/// Encodes RGB pixels as a baseline JPEG (4:2:0, libjpeg-turbo's fast path).
pub fn encode(image: &RgbImage, quality: u8) -> Result<Vec<u8>, MediaError> {
    let (w, h) = image.dimensions();
    if w == 0 || h == 0 {
        return Err(MediaError::Encode("empty image".into()));
    }
    guarded(
        || {
            let mut c = mozjpeg::Compress::new_err(
                Box::new(strict_error_mgr()),
                mozjpeg::ColorSpace::JCS_RGB,
            );
            c.set_fastest_defaults();
            c.set_size(w as usize, h as usize);
            c.set_quality(f32::from(quality));
            let mut started = c.start_compress(Vec::with_capacity(image.as_raw().len() / 10))?;
            started.write_scanlines(image.as_raw())?;
            started.finish()
        },
        MediaError::Encode,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_scaled(bytes: &[u8], min_long: u32) -> Result<ScaledJpeg, MediaError> {
        match decode_for_preview(bytes, u64::MAX, min_long)? {
            JpegDecode::Decoded(p) => Ok(p.scaled),
            _ => panic!("not decoded"),
        }
    }

    fn gradient(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 100])
        })
    }

    #[test]
    fn numerator_is_the_smallest_scale_at_least_the_target() {
        assert_eq!(scale_numerator(4032, 3024, 1280), 3); // 1512 px
        assert_eq!(scale_numerator(2560, 1920, 1280), 4); // exactly 1280
        assert_eq!(scale_numerator(2561, 100, 1280), 4);
        assert_eq!(scale_numerator(500, 375, 1280), 8);
        assert_eq!(scale_numerator(20000, 10, 1280), 1);
    }

    #[test]
    fn round_trip_and_scaled_sizes() {
        let img = gradient(801, 600);
        let jpeg = encode(&img, 90).unwrap();
        let full = decode_scaled(&jpeg, u32::MAX).unwrap();
        assert_eq!(full.image.dimensions(), (801, 600));
        let diff: u64 = full
            .image
            .as_raw()
            .iter()
            .zip(img.as_raw())
            .map(|(a, b)| u64::from(a.abs_diff(*b)))
            .sum();
        assert!(diff as f64 / (801.0 * 600.0 * 3.0) < 2.0);
        let half = decode_scaled(&jpeg, 400).unwrap();
        assert_eq!(half.image.dimensions(), (401, 300));
        assert_eq!((half.full_width, half.full_height), (801, 600));
    }

    #[test]
    fn corrupt_data_is_an_error_not_grey() {
        let jpeg = encode(&gradient(256, 256), 90).unwrap();
        // Cut the entropy-coded data short but keep an end-of-image marker.
        let mut cut = jpeg[..jpeg.len() / 2].to_vec();
        cut.extend_from_slice(&[0xFF, 0xD9]);
        assert!(matches!(
            decode_scaled(&cut, u32::MAX),
            Err(MediaError::Undecodable(_))
        ));
        assert!(decode_scaled(b"\xFF\xD8garbage", 100).is_err());
    }

    #[test]
    fn the_pixel_limit_is_checked_before_decoding() {
        let jpeg = encode(&gradient(64, 48), 90).unwrap();
        assert!(matches!(
            decode_for_preview(&jpeg, 64 * 48 - 1, 100),
            Ok(JpegDecode::TooManyPixels {
                width: 64,
                height: 48
            })
        ));
        assert!(matches!(
            decode_for_preview(&jpeg, 64 * 48, 100),
            Ok(JpegDecode::Decoded(_))
        ));
    }
}
