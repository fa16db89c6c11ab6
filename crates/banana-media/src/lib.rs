//! Image handling for Banana: recognise a format from its bytes, refuse what cannot be an image
//! (or would be a decompression bomb) before allocating for it, decode fully with EXIF orientation
//! applied, and produce the derived JPEGs (thumbnail and preview) every stored image gets.
//! HEIC/HEIF and AVIF are decoded by the system's libheif ([`heif`]); everything else in Rust
//! or by the bundled libjpeg-turbo.
//!
//! Everything here is CPU-bound and synchronous; callers run it off the async runtime.

pub mod codec;
mod fastjpeg;
pub mod heif;
mod jpeg;
pub mod metadata;
mod resize;
pub mod strip;

use std::io::Cursor;
use std::time::{Duration, Instant};

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};

pub use fast_image_resize::FilterType as ResizeFilter;
pub use fastjpeg::scale_numerator;
pub use resize::{fit_within, resize_to};

/// Longest side of the thumbnail, in pixels.
pub const THUMBNAIL_SIZE: u32 = 256;
/// Longest side of the preview, in pixels.
pub const PREVIEW_SIZE: u32 = 1280;

/// The formats Banana accepts, recognised from the bytes alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
    Gif,
    Tiff,
    Bmp,
    /// HEIF with HEVC (HEIC: iPhone, many Android phones), or another codec libheif decodes.
    Heif,
    /// HEIF with AV1.
    Avif,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
            Format::Gif => "image/gif",
            Format::Tiff => "image/tiff",
            Format::Bmp => "image/bmp",
            Format::Heif => "image/heic",
            Format::Avif => "image/avif",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
            Format::Gif => "gif",
            Format::Tiff => "tiff",
            Format::Bmp => "bmp",
            Format::Heif => "heic",
            Format::Avif => "avif",
        }
    }

    /// The format whose [`Format::content_type`] this is (`image/heif` is HEIF too).
    pub fn from_content_type(content_type: &str) -> Option<Format> {
        let content_type = content_type.trim();
        if content_type.eq_ignore_ascii_case("image/heif") {
            return Some(Format::Heif);
        }
        [
            Format::Jpeg,
            Format::Png,
            Format::WebP,
            Format::Gif,
            Format::Tiff,
            Format::Bmp,
            Format::Heif,
            Format::Avif,
        ]
        .into_iter()
        .find(|f| f.content_type().eq_ignore_ascii_case(content_type))
    }

    fn from_image(format: image::ImageFormat) -> Option<Format> {
        Some(match format {
            image::ImageFormat::Jpeg => Format::Jpeg,
            image::ImageFormat::Png => Format::Png,
            image::ImageFormat::WebP => Format::WebP,
            image::ImageFormat::Gif => Format::Gif,
            image::ImageFormat::Tiff => Format::Tiff,
            image::ImageFormat::Bmp => Format::Bmp,
            _ => return None,
        })
    }

    /// The `image` crate's decoder for this format; `None` for the libheif formats.
    fn to_image(self) -> Option<image::ImageFormat> {
        Some(match self {
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::Png => image::ImageFormat::Png,
            Format::WebP => image::ImageFormat::WebP,
            Format::Gif => image::ImageFormat::Gif,
            Format::Tiff => image::ImageFormat::Tiff,
            Format::Bmp => image::ImageFormat::Bmp,
            Format::Heif | Format::Avif => return None,
        })
    }
}

/// Why some bytes were refused. Each variant maps to one client error.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "not a supported image format (accepted: JPEG, PNG, WebP, GIF, TIFF, BMP, HEIC/HEIF, AVIF){0}"
    )]
    Unsupported(String),
    #[error("image is {width}x{height} = {pixels} pixels, over the limit of {limit} pixels")]
    TooManyPixels {
        width: u32,
        height: u32,
        pixels: u64,
        limit: u64,
    },
    #[error("the image data could not be decoded: {0}")]
    Undecodable(String),
    #[error("could not encode a derived image: {0}")]
    Encode(String),
}

/// Limits applied before and during decoding.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Width × height above which an image is refused, read from the header before decoding.
    pub max_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_pixels: 100_000_000,
        }
    }
}

/// What a header says, before any pixel is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    pub format: Format,
    /// Stored dimensions (before EXIF orientation). For HEIF/AVIF, whose container's rotation
    /// libheif applies (and whose EXIF orientation is not applied again), the displayed ones.
    pub width: u32,
    pub height: u32,
}

/// Recognise the format from the bytes and read the dimensions from the header, refusing
/// images over the pixel limit before anything is allocated for them.
pub fn probe(bytes: &[u8], limits: &Limits) -> Result<Probe, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    let format = sniff(bytes)?;
    let (width, height) = match (format, format.to_image()) {
        // The frame header, found by walking the segments: no copy of the data.
        (Format::Jpeg, _) => jpeg::dimensions(bytes).ok_or_else(|| {
            MediaError::Undecodable("no JPEG frame header before the image data".into())
        })?,
        (_, Some(f)) => ImageReader::with_format(Cursor::new(bytes), f)
            .into_dimensions()
            .map_err(|e| MediaError::Undecodable(e.to_string()))?,
        // The boxes only (every extent checked against the limit), no pixel decoded.
        (_, None) => heif::dimensions(bytes, limits)?,
    };
    check_pixels(width, height, limits)?;
    Ok(Probe {
        format,
        width,
        height,
    })
}

/// The format, from magic bytes only.
pub fn sniff(bytes: &[u8]) -> Result<Format, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    // Before the `image` crate's guess, which knows AVIF's signature but cannot decode it.
    if let Some(f) = heif::sniff(bytes) {
        return Ok(f);
    }
    match image::guess_format(bytes) {
        Ok(f) => {
            Format::from_image(f).ok_or_else(|| MediaError::Unsupported(format!(" (got {f:?})")))
        }
        Err(_) => Err(MediaError::Unsupported(String::new())),
    }
}

pub(crate) fn check_pixels(width: u32, height: u32, limits: &Limits) -> Result<(), MediaError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(MediaError::TooManyPixels {
            width,
            height,
            pixels,
            limit: limits.max_pixels,
        });
    }
    if width == 0 || height == 0 {
        return Err(MediaError::Undecodable(
            "image has zero width or height".into(),
        ));
    }
    Ok(())
}

/// A fully decoded image, oriented as it should be displayed.
pub struct Decoded {
    pub format: Format,
    pub image: DynamicImage,
    /// Whether the file carries EXIF metadata (which may hold GPS and other personal data).
    pub has_exif: bool,
}

/// Decode every pixel (so truncated or corrupt data is refused now, not when someone views it)
/// and apply the EXIF orientation.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Decoded, MediaError> {
    let (format, mut image, orientation, has_exif) = decode_unoriented(bytes, limits)?;
    image.apply_orientation(orientation);
    Ok(Decoded {
        format,
        image,
        has_exif,
    })
}

/// [`decode`] without applying the orientation, which is returned instead.
fn decode_unoriented(
    bytes: &[u8],
    limits: &Limits,
) -> Result<(Format, DynamicImage, Orientation, bool), MediaError> {
    let probe = probe(bytes, limits)?;
    if probe.format == Format::Jpeg {
        check_complete_jpeg(bytes)?;
    }
    let Some(image_format) = probe.format.to_image() else {
        // libheif has applied the container's rotation and mirror; the EXIF orientation of a
        // HEIF says the same and is not applied again.
        let decoded = heif::decode(bytes, limits)?;
        return Ok((
            probe.format,
            decoded.image,
            Orientation::NoTransforms,
            decoded.has_exif,
        ));
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut image_limits = image::Limits::default();
    // The header was checked above; this is a second fence for formats whose frames can
    // claim more than the header does. 4 bytes per pixel covers 8-bit RGBA; 16-bit images get
    // twice that.
    image_limits.max_alloc = Some(probe_alloc_budget(limits));
    reader.limits(image_limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| MediaError::Undecodable(e.to_string()))?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let has_exif = matches!(decoder.exif_metadata(), Ok(Some(ref e)) if !e.is_empty());
    let image =
        DynamicImage::from_decoder(decoder).map_err(|e| MediaError::Undecodable(e.to_string()))?;
    Ok((probe.format, image, orientation, has_exif))
}

fn probe_alloc_budget(limits: &Limits) -> u64 {
    limits.max_pixels.saturating_mul(8).max(64 << 20)
}

/// The derived images for one upload.
pub struct Derived {
    pub format: Format,
    /// Displayed dimensions (after EXIF orientation).
    pub width: u32,
    pub height: u32,
    pub has_exif: bool,
    /// JPEG, longest side at most [`THUMBNAIL_SIZE`].
    pub thumbnail: Vec<u8>,
    /// JPEG, longest side at most [`PREVIEW_SIZE`].
    pub preview: Vec<u8>,
    /// The preview's pixels, kept for the classifier so it needs no second decode.
    pub preview_rgb: RgbImage,
}

/// Decode, orient and derive the thumbnail and preview. This is the one code path every
/// stored image goes through: single uploads (`banana-core`) and bulk imports
/// (`banana-ingest`) alike.
///
/// JPEGs are decoded in one pass over the data (header, EXIF and pixels read by libjpeg-turbo
/// once), DCT-scaled straight to the smallest size at least [`PREVIEW_SIZE`] on the longest side,
/// resized in their stored orientation and only then rotated (the preview is smaller than the
/// decode); the thumbnail is made from the preview. The reported dimensions are the full
/// image's (oriented). Every other format (and CMYK JPEGs) is decoded fully.
pub fn process(bytes: &[u8], limits: &Limits) -> Result<Derived, MediaError> {
    process_timed(bytes, limits).map(|(d, _)| d)
}

/// How long the two halves of [`process`] took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProcessTimings {
    /// Header checks, decoding and orientation.
    pub decode: Duration,
    /// Resizing and encoding the preview and thumbnail.
    pub derive: Duration,
}

/// Decoded pixels in their stored orientation (possibly DCT-reduced).
struct Pixels {
    rgb: RgbImage,
    /// The full image's stored dimensions.
    full: (u32, u32),
    orientation: Orientation,
    has_exif: bool,
}

/// [`process`], also saying how long decoding and deriving took.
pub fn process_timed(
    bytes: &[u8],
    limits: &Limits,
) -> Result<(Derived, ProcessTimings), MediaError> {
    let start = Instant::now();
    let format = sniff(bytes)?;
    let pixels = pixels(format, bytes, limits)?;
    let decoded_at = Instant::now();
    let derived = derive(format, pixels)?;
    let timings = ProcessTimings {
        decode: decoded_at - start,
        derive: decoded_at.elapsed(),
    };
    Ok((derived, timings))
}

/// The pixels of [`Derived::preview_rgb`] without encoding anything: what the classifier sees
/// for an image. The labeling worker calls this on the stored original, so a single upload gets
/// exactly the labels a bulk import computes from the same pixels (classifying the stored
/// preview JPEG instead would see its compression artefacts).
pub fn preview_pixels(bytes: &[u8], limits: &Limits) -> Result<RgbImage, MediaError> {
    let format = sniff(bytes)?;
    Ok(oriented_preview(pixels(format, bytes, limits)?)?.preview_rgb)
}

fn pixels(format: Format, bytes: &[u8], limits: &Limits) -> Result<Pixels, MediaError> {
    match format {
        Format::Jpeg => match jpeg_pixels(bytes, limits)? {
            Some(p) => Ok(p),
            None => full_pixels(bytes, limits),
        },
        _ => full_pixels(bytes, limits),
    }
}

/// The libjpeg-turbo path; `None` for CMYK/YCCK JPEGs (decoded by the `image` crate instead).
fn jpeg_pixels(bytes: &[u8], limits: &Limits) -> Result<Option<Pixels>, MediaError> {
    probe(bytes, limits)?;
    check_complete_jpeg(bytes)?;
    match fastjpeg::decode_for_preview(bytes, limits.max_pixels, PREVIEW_SIZE)? {
        fastjpeg::JpegDecode::Decoded(p) => {
            let full = (p.scaled.full_width, p.scaled.full_height);
            check_pixels(full.0, full.1, limits)?;
            Ok(Some(Pixels {
                rgb: p.scaled.image,
                full,
                orientation: p.orientation,
                has_exif: p.has_exif,
            }))
        }
        fastjpeg::JpegDecode::TooManyPixels { width, height } => {
            check_pixels(width, height, limits).map(|()| None)
        }
        fastjpeg::JpegDecode::NotRgb => Ok(None),
    }
}

fn full_pixels(bytes: &[u8], limits: &Limits) -> Result<Pixels, MediaError> {
    let (_, image, orientation, has_exif) = decode_unoriented(bytes, limits)?;
    Ok(Pixels {
        full: (image.width(), image.height()),
        rgb: flatten_to_rgb(image),
        orientation,
        has_exif,
    })
}

/// The most scans a JPEG may have. Encoders write about ten for a progressive JPEG (mozjpeg's
/// optimised scripts up to ~25; libjpeg's encoder cannot write more than 64). The `image` crate's
/// decoder (zune-jpeg, used here for CMYK JPEGs and by [`decode`]) refuses more than 100; the
/// libjpeg-turbo path has no limit of its own, so this one keeps both paths in agreement. Each
/// scan makes the decoder pass over every block of the image, so a crafted file with thousands
/// of tiny scans would otherwise cost thousands of full passes.
pub const MAX_JPEG_SCANS: usize = 100;

/// The structure a JPEG must have before any pixel is decoded: complete (an EOI after the last
/// scan) and at most [`MAX_JPEG_SCANS`] scans. Linear in the size, no allocation.
fn check_complete_jpeg(bytes: &[u8]) -> Result<(), MediaError> {
    match jpeg::scan_count(bytes) {
        None => Err(MediaError::Undecodable(
            "JPEG data is truncated (no end-of-image marker after the image data)".into(),
        )),
        Some(n) if n > MAX_JPEG_SCANS => Err(MediaError::Undecodable(format!(
            "the JPEG has {n} scans, over the limit of {MAX_JPEG_SCANS}"
        ))),
        Some(_) => Ok(()),
    }
}

/// Whether an orientation swaps width and height.
fn swaps_axes(o: Orientation) -> bool {
    use Orientation::*;
    matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

fn orient(rgb: RgbImage, orientation: Orientation) -> RgbImage {
    if orientation == Orientation::NoTransforms {
        return rgb;
    }
    let mut image = DynamicImage::ImageRgb8(rgb);
    image.apply_orientation(orientation);
    image.into_rgb8()
}

/// The preview's pixels in display orientation, and the full image's displayed dimensions.
struct Preview {
    width: u32,
    height: u32,
    has_exif: bool,
    preview_rgb: RgbImage,
}

fn oriented_preview(pixels: Pixels) -> Result<Preview, MediaError> {
    let Pixels {
        rgb,
        full,
        orientation,
        has_exif,
    } = pixels;
    let swap = swaps_axes(orientation);
    let (width, height) = if swap { (full.1, full.0) } else { full };
    // Sized from the full image's dimensions (a DCT-scaled decode rounds its sides up), resized
    // in the stored orientation, then oriented: rotating the preview is cheaper than the decode.
    let (pw, ph) = fit_within(width, height, PREVIEW_SIZE);
    let stored = if swap { (ph, pw) } else { (pw, ph) };
    let preview_rgb = orient(resize::resize_owned(rgb, stored.0, stored.1)?, orientation);
    Ok(Preview {
        width,
        height,
        has_exif,
        preview_rgb,
    })
}

fn derive(format: Format, pixels: Pixels) -> Result<Derived, MediaError> {
    let Preview {
        width,
        height,
        has_exif,
        preview_rgb,
    } = oriented_preview(pixels)?;
    let thumb_rgb = resize::thumbnail(&preview_rgb, THUMBNAIL_SIZE)?;
    Ok(Derived {
        format,
        width,
        height,
        has_exif,
        thumbnail: encode_jpeg(&thumb_rgb, 80)?,
        preview: encode_jpeg(&preview_rgb, 85)?,
        preview_rgb,
    })
}

/// Drop alpha by compositing onto white (a transparent PNG must not turn black), 8 bits per channel.
pub fn flatten_to_rgb(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = RgbImage::new(w, h);
    for (dst, src) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u32::from(src[3]);
        for c in 0..3 {
            dst[c] = ((u32::from(src[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

/// Encode RGB pixels as a baseline JPEG (libjpeg-turbo's encoder).
pub fn encode_jpeg(image: &RgbImage, quality: u8) -> Result<Vec<u8>, MediaError> {
    fastjpeg::encode(image, quality)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_bytes(w: u32, h: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 7])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn sniffs_from_bytes_not_names() {
        assert_eq!(sniff(&png_bytes(4, 4)).unwrap(), Format::Png);
        assert!(matches!(
            sniff(b"hello, world"),
            Err(MediaError::Unsupported(_))
        ));
        assert!(matches!(sniff(b""), Err(MediaError::Empty)));
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert_eq!(sniff(heic).unwrap(), Format::Heif);
        let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf";
        assert_eq!(sniff(avif).unwrap(), Format::Avif);
        // The formats' own names in the refusal, so a user knows HEIC is fine.
        let refusal = sniff(b"hello, world").err().unwrap().to_string();
        assert!(
            refusal.contains("HEIC") && refusal.contains("AVIF"),
            "{refusal}"
        );
    }

    #[test]
    fn derives_thumbnail_and_preview_within_bounds() {
        let d = process(&png_bytes(2000, 1000), &Limits::default()).unwrap();
        assert_eq!((d.width, d.height), (2000, 1000));
        assert_eq!(d.preview_rgb.dimensions(), (1280, 640));
        let thumb = image::load_from_memory(&d.thumbnail).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (256, 128));
        let preview = image::load_from_memory(&d.preview).unwrap();
        assert_eq!((preview.width(), preview.height()), (1280, 640));
    }

    #[test]
    fn small_images_are_not_upscaled() {
        let d = process(&png_bytes(100, 50), &Limits::default()).unwrap();
        assert_eq!(d.preview_rgb.dimensions(), (100, 50));
    }

    #[test]
    fn pixel_limit_is_checked_from_the_header() {
        let limits = Limits { max_pixels: 1000 };
        match probe(&png_bytes(40, 30), &limits) {
            Err(MediaError::TooManyPixels { pixels, .. }) => assert_eq!(pixels, 1200),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn transparent_pixels_become_white() {
        let img = image::RgbaImage::from_pixel(2, 2, image::Rgba([0, 0, 0, 0]));
        let rgb = flatten_to_rgb(DynamicImage::ImageRgba8(img));
        assert_eq!(rgb.get_pixel(0, 0), &image::Rgb([255, 255, 255]));
    }
}
