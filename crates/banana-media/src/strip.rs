//! Copies of images without personal metadata: what everyone but an image's owner receives.
//!
//! Invariant: a copy made here carries no metadata but the ICC colour profile and the
//! orientation, whatever the input carried and wherever in the file it was (before or after the
//! pixel data, in text chunks, application extensions or appended files). Containers are
//! rebuilt from an allow-list of the structures needed to show the picture; nothing unknown is
//! copied, so a new kind of metadata is dropped rather than passed on.
//!
//! - JPEG, losslessly: the primary image only (cut at its end-of-image marker, so MPF secondary
//!   images, appended JPEGs and Motion-Photo MP4 trailers go), APP0 JFIF, APP2 ICC profile and
//!   APP14 Adobe kept, every other APPn and COM dropped, between progressive scans too; a
//!   non-default orientation is written back as a minimal EXIF block holding only that tag.
//! - PNG, losslessly: only the chunks that describe pixels and colour (IHDR, PLTE, IDAT, tRNS,
//!   gAMA, cHRM, sRGB, iCCP, cICP, sBIT, bKGD, pHYs, the APNG chunks, IEND); the orientation the
//!   decoder applies is written back as a minimal `eXIf` before the image data.
//! - WebP, losslessly: the RIFF chunks EXIF and XMP and unknown chunks dropped, VP8X flags
//!   fixed; a non-default orientation is written back as a minimal EXIF chunk.
//! - GIF, losslessly: comment and application extensions dropped (but the looping ones,
//!   NETSCAPE2.0 and ANIMEXTS1.0), everything after the trailer cut.
//! - BMP carries no personal metadata: as is.
//! - TIFF cannot be stripped losslessly in general (tags, sub-IFDs, maker notes and private
//!   structures share one offset space): re-encoded as PNG from the oriented pixels, with its
//!   ICC profile.
//! - HEIC/HEIF and AVIF: re-encoded as JPEG (quality 92, what every browser shows) from the
//!   pixels libheif decodes, already turned as displayed (so no orientation tag), with the
//!   ICC profile (an iPhone's Display P3) and nothing else. The owner still gets the original.
//!
//! The output format depends on the input format only ([`copy_format`]), so a stored copy's
//! content type is known without reading it.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageReader};

use crate::{Format, Limits, MediaError};

/// A copy without personal metadata.
pub struct Stripped {
    pub bytes: Vec<u8>,
    /// Always [`copy_format`] of the input's format.
    pub format: Format,
}

/// The format of the copy made for an original of format `original`.
pub fn copy_format(original: Format) -> Format {
    match original {
        Format::Jpeg => Format::Jpeg,
        Format::Png => Format::Png,
        Format::WebP => Format::WebP,
        Format::Gif => Format::Gif,
        Format::Bmp => Format::Bmp,
        Format::Tiff => Format::Png,
        Format::Heif | Format::Avif => Format::Jpeg,
    }
}

/// A copy of `bytes` without personal metadata (see the module documentation). The format is
/// sniffed from the bytes. When a container's structure is malformed past what its decoder
/// tolerated at upload, the copy is re-encoded from the decoded pixels in the same format
/// (JPEG at quality 92), never passed through.
pub fn strip(bytes: &[u8], limits: &Limits) -> Result<Stripped, MediaError> {
    let format = crate::sniff(bytes)?;
    let out = copy_format(format);
    let stripped = match format {
        Format::Jpeg => match strip_jpeg(bytes) {
            Some(b) => b,
            None => reencode(bytes, limits, out)?,
        },
        Format::Png => {
            let orientation = header_orientation(bytes, format)?;
            match strip_png(bytes, orientation) {
                Some(b) => b,
                None => reencode(bytes, limits, out)?,
            }
        }
        Format::WebP => {
            let orientation = header_orientation(bytes, format)?;
            match strip_webp(bytes, orientation) {
                Some(b) => b,
                None => reencode(bytes, limits, out)?,
            }
        }
        Format::Gif => match strip_gif(bytes) {
            Some(b) => b,
            None => reencode(bytes, limits, out)?,
        },
        Format::Bmp => bytes.to_vec(),
        Format::Tiff | Format::Heif | Format::Avif => reencode(bytes, limits, out)?,
    };
    Ok(Stripped {
        bytes: stripped,
        format: out,
    })
}

/// The orientation the decoder applies to this file (read from the header only).
fn header_orientation(bytes: &[u8], format: Format) -> Result<Orientation, MediaError> {
    let image_format = format
        .to_image()
        .ok_or_else(|| MediaError::Undecodable(format!("no header reader for {format:?}")))?;
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), image_format)
        .into_decoder()
        .map_err(|e| MediaError::Undecodable(e.to_string()))?;
    Ok(decoder.orientation().unwrap_or(Orientation::NoTransforms))
}

/// Decode (oriented: the copy needs no orientation tag) and encode as `out`, keeping the ICC
/// profile where the encoder can carry it. PNG keeps 16-bit samples; float samples become
/// 16-bit.
fn reencode(bytes: &[u8], limits: &Limits, out: Format) -> Result<Vec<u8>, MediaError> {
    let icc = crate::sniff(bytes)
        .ok()
        .and_then(|f| match f.to_image() {
            Some(f) => ImageReader::with_format(Cursor::new(bytes), f)
                .into_decoder()
                .ok()
                .and_then(|mut d| d.icc_profile().ok().flatten()),
            None => crate::heif::icc_profile(bytes, limits),
        })
        .filter(|icc| !icc.is_empty());
    let image = crate::decode(bytes, limits)?.image;
    let encode_err = |e: image::ImageError| MediaError::Encode(e.to_string());
    let mut buf = Vec::new();
    match out {
        Format::Jpeg => {
            let jpeg = crate::encode_jpeg(&crate::flatten_to_rgb(image), 92)?;
            return Ok(match icc {
                Some(icc) => with_icc_profile(jpeg, &icc),
                None => jpeg,
            });
        }
        Format::Png => {
            let image = match image {
                DynamicImage::ImageRgb32F(_) => DynamicImage::ImageRgb16(image.into_rgb16()),
                DynamicImage::ImageRgba32F(_) => DynamicImage::ImageRgba16(image.into_rgba16()),
                other => other,
            };
            let mut encoder = image::codecs::png::PngEncoder::new(&mut buf);
            if let Some(icc) = icc {
                // An encoder that cannot carry a profile still writes correct pixels.
                let _ = encoder.set_icc_profile(icc);
            }
            image.write_with_encoder(encoder).map_err(encode_err)?;
        }
        Format::WebP => {
            let image = if image.color().has_alpha() {
                DynamicImage::ImageRgba8(image.into_rgba8())
            } else {
                DynamicImage::ImageRgb8(image.into_rgb8())
            };
            image
                .write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut buf))
                .map_err(encode_err)?;
        }
        Format::Gif => {
            let rgba = image.into_rgba8();
            image::codecs::gif::GifEncoder::new(&mut buf)
                .encode_frame(image::Frame::new(rgba))
                .map_err(encode_err)?;
        }
        Format::Bmp | Format::Tiff => {
            image
                .write_to(&mut Cursor::new(&mut buf), bmp_or_tiff(out))
                .map_err(encode_err)?;
        }
        Format::Heif | Format::Avif => {
            return Err(MediaError::Encode(format!("no {out:?} encoder")));
        }
    }
    Ok(buf)
}

fn bmp_or_tiff(out: Format) -> image::ImageFormat {
    if out == Format::Bmp {
        image::ImageFormat::Bmp
    } else {
        image::ImageFormat::Tiff
    }
}

/// The most profile bytes one APP2 segment holds (65535 less the length field, the
/// `ICC_PROFILE\0` signature and the two chunk-numbering bytes).
const ICC_CHUNK: usize = 65535 - 2 - 14;

/// `jpeg` (as our encoder writes it: SOI, then APP0 JFIF) with the ICC profile in APP2
/// segments after the JFIF header, split into numbered chunks as the ICC specification says.
/// A profile too long for 255 chunks is left out.
fn with_icc_profile(jpeg: Vec<u8>, icc: &[u8]) -> Vec<u8> {
    let chunks = icc.len().div_ceil(ICC_CHUNK);
    if chunks == 0 || chunks > 255 || jpeg.len() < 4 || jpeg[..2] != [0xFF, marker::SOI] {
        return jpeg;
    }
    // After APP0 JFIF when it comes first (readers expect it right after SOI).
    let mut at = 2;
    if jpeg[2..4] == [0xFF, marker::APP0] {
        if let Some(len) = crate::jpeg::length_at(&jpeg, 4) {
            at = (4 + len).min(jpeg.len());
        }
    }
    let mut out = Vec::with_capacity(jpeg.len() + icc.len() + 18 * chunks);
    out.extend_from_slice(&jpeg[..at]);
    for (n, chunk) in icc.chunks(ICC_CHUNK).enumerate() {
        out.extend_from_slice(&[0xFF, marker::APP2]);
        out.extend_from_slice(&((2 + 14 + chunk.len()) as u16).to_be_bytes());
        out.extend_from_slice(b"ICC_PROFILE\0");
        out.extend_from_slice(&[(n + 1) as u8, chunks as u8]);
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&jpeg[at..]);
    out
}

/// A big-endian TIFF structure (as EXIF blocks are) holding only the orientation tag.
fn orientation_tiff(orientation: Orientation) -> Vec<u8> {
    let mut tiff = Vec::with_capacity(26);
    tiff.extend_from_slice(b"MM\0\x2a\0\0\0\x08"); // header, IFD0 at offset 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // count
    tiff.extend_from_slice(&u16::from(orientation.to_exif()).to_be_bytes());
    tiff.extend_from_slice(&[0, 0]); // value padding
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    tiff
}

// ---------------------------------------------------------------------------------------------
// JPEG

/// JPEG marker codes used below.
mod marker {
    pub const SOS: u8 = 0xDA;
    pub const EOI: u8 = 0xD9;
    pub const SOI: u8 = 0xD8;
    pub const APP0: u8 = 0xE0;
    pub const APP1: u8 = 0xE1;
    pub const APP2: u8 = 0xE2;
    pub const APP14: u8 = 0xEE;
    pub const APP15: u8 = 0xEF;
    pub const COM: u8 = 0xFE;
}

/// Whether a marker segment is kept: the tables, frame and scan headers, and of the
/// application segments only JFIF, the ICC profile and Adobe's colour-transform flag.
fn keep_jpeg_segment(code: u8, payload: &[u8]) -> bool {
    match code {
        marker::APP0 => payload.starts_with(b"JFIF\0"),
        marker::APP2 => payload.starts_with(b"ICC_PROFILE\0"),
        marker::APP14 => payload.starts_with(b"Adobe"),
        marker::APP0..=marker::APP15 | marker::COM => false,
        _ => true,
    }
}

/// The orientation the decoders apply: from the last `Exif` APP1 segment before the first
/// scan (as libjpeg-turbo's path in `fastjpeg` and the `image` crate read it).
fn jpeg_orientation(data: &[u8]) -> Orientation {
    let mut found = Orientation::NoTransforms;
    // Up to the first segment the data cuts short.
    let segments = crate::jpeg::header_segments(data).map_while(|s| Some((s.code, s.payload()?)));
    for (code, payload) in segments {
        if code == marker::APP1 {
            if let Some(exif) = payload.strip_prefix(b"Exif\0\0") {
                if !exif.is_empty() {
                    found = Orientation::from_exif_chunk(exif).unwrap_or(Orientation::NoTransforms);
                }
            }
        }
    }
    found
}

/// The primary image without metadata segments; `None` when the structure is malformed.
fn strip_jpeg(data: &[u8]) -> Option<Vec<u8>> {
    if data.len() < 4 || data[..2] != [0xFF, marker::SOI] {
        return None;
    }
    let orientation = jpeg_orientation(data);
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(&[0xFF, marker::SOI]);
    // The orientation goes right after SOI, or after APP0 JFIF when that comes first (JFIF
    // readers expect it there).
    let mut orientation_written = orientation == Orientation::NoTransforms;
    let mut seen_scan = false;
    let mut i = 2;
    loop {
        let (code, after) = crate::jpeg::marker_at(data, i)?;
        let start = after - 2;
        i = after;
        match code {
            marker::EOI => {
                // The end of the primary image: whatever follows (MPF secondary images,
                // appended JPEGs, Motion-Photo video) is not part of it.
                if !seen_scan {
                    return None;
                }
                out.extend_from_slice(&[0xFF, marker::EOI]);
                return Some(out);
            }
            0xD0..=0xD7 | 0x01 => {
                out.extend_from_slice(&[0xFF, code]);
                continue;
            }
            marker::SOI | 0x00 => return None,
            _ => {}
        }
        let len = crate::jpeg::length_at(data, i)?;
        if len < 2 {
            return None;
        }
        let end = i + len;
        let payload = data.get(i + 2..end)?;
        let jfif_first = code == marker::APP0 && out.len() == 2 && payload.starts_with(b"JFIF\0");
        if !orientation_written && !jfif_first {
            out.extend_from_slice(&exif_app1(orientation));
            orientation_written = true;
        }
        if keep_jpeg_segment(code, payload) {
            out.extend_from_slice(&data[start..end]);
        }
        i = end;
        if code == marker::SOS {
            // Entropy-coded data, copied as it is, up to the next marker.
            let scan_end = crate::jpeg::scan_end(data, i)?;
            out.extend_from_slice(&data[i..scan_end]);
            i = scan_end;
            seen_scan = true;
        }
    }
}

/// An APP1 segment holding an EXIF block with only the orientation.
fn exif_app1(orientation: Orientation) -> Vec<u8> {
    let tiff = orientation_tiff(orientation);
    let mut seg = vec![0xFF, marker::APP1];
    seg.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    seg.extend_from_slice(b"Exif\0\0");
    seg.extend_from_slice(&tiff);
    seg
}

// ---------------------------------------------------------------------------------------------
// PNG

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// The PNG chunks a copy keeps: pixels, palette, transparency, colour and the APNG animation.
const PNG_KEPT: &[&[u8; 4]] = &[
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"cICP",
    b"mDCV", b"cLLI", b"sBIT", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT",
];

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = Vec::with_capacity(12 + data.len());
    chunk.extend_from_slice(&(data.len() as u32).to_be_bytes());
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    chunk.extend_from_slice(&crc.finalize().to_be_bytes());
    chunk
}

/// The allowed chunks, up to IEND; `None` when no image data was found. A chunk cut short at
/// the end of the file (after the image data, which the decoder accepted) is dropped.
fn strip_png(data: &[u8], orientation: Orientation) -> Option<Vec<u8>> {
    if !data.starts_with(PNG_SIGNATURE) {
        return None;
    }
    let mut out = PNG_SIGNATURE.to_vec();
    let mut orientation_written = orientation == Orientation::NoTransforms;
    let mut seen_idat = false;
    let mut i = PNG_SIGNATURE.len();
    while let Some(header) = data.get(i..i + 8) {
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind: &[u8; 4] = header[4..8].try_into().ok()?;
        let Some(chunk) = i.checked_add(12 + len).and_then(|end| data.get(i..end)) else {
            break;
        };
        i += chunk.len();
        if kind == b"IDAT" || kind == b"fdAT" {
            seen_idat = true;
        }
        if (kind == b"IDAT" || kind == b"acTL" || kind == b"fcTL") && !orientation_written {
            // The decoder reads `eXIf` before the image data only.
            out.extend_from_slice(&png_chunk(b"eXIf", &orientation_tiff(orientation)));
            orientation_written = true;
        }
        if PNG_KEPT.contains(&kind) {
            out.extend_from_slice(chunk);
        }
        if kind == b"IEND" {
            return seen_idat.then_some(out);
        }
    }
    if !seen_idat {
        return None;
    }
    out.extend_from_slice(&png_chunk(b"IEND", &[]));
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// WebP

/// VP8X flag bits.
const VP8X_ICC: u8 = 0x20;
const VP8X_EXIF: u8 = 0x08;
const VP8X_XMP: u8 = 0x04;

/// The RIFF chunks a copy keeps (EXIF and XMP go, and anything unknown).
const WEBP_KEPT: &[&[u8; 4]] = &[
    b"VP8X", b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF", b"ICCP",
];

fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = Vec::with_capacity(9 + data.len());
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(&(data.len() as u32).to_le_bytes());
    chunk.extend_from_slice(data);
    if data.len() % 2 == 1 {
        chunk.push(0);
    }
    chunk
}

fn strip_webp(data: &[u8], orientation: Orientation) -> Option<Vec<u8>> {
    if data.len() < 12 || &data[..4] != b"RIFF" || &data[8..12] != b"WEBP" {
        return None;
    }
    let riff_len = u32::from_le_bytes(data[4..8].try_into().ok()?) as usize;
    let end = riff_len.saturating_add(8).min(data.len());
    let mut body = Vec::with_capacity(end);
    let mut vp8x_at = None;
    let mut has_icc = false;
    let mut has_image = false;
    let mut i = 12;
    while let Some(header) = data.get(i..i + 8).filter(|_| i + 8 <= end) {
        let kind: &[u8; 4] = header[..4].try_into().ok()?;
        let len = u32::from_le_bytes(header[4..8].try_into().ok()?) as usize;
        let padded = len + len % 2;
        let Some(payload) = data.get(i + 8..i + 8 + len) else {
            break; // cut short: dropped
        };
        i += 8 + padded;
        if !WEBP_KEPT.contains(&kind) {
            continue;
        }
        match kind {
            b"VP8X" => vp8x_at = Some(body.len()),
            b"ICCP" => has_icc = true,
            b"VP8 " | b"VP8L" | b"ANMF" => has_image = true,
            _ => {}
        }
        body.extend_from_slice(&riff_chunk(kind, payload));
    }
    if !has_image {
        return None;
    }
    if let Some(at) = vp8x_at {
        // The flags byte is the first of the payload, after the 8-byte chunk header.
        let flags = &mut body[at + 8];
        *flags &= !(VP8X_EXIF | VP8X_XMP | VP8X_ICC);
        if has_icc {
            *flags |= VP8X_ICC;
        }
        if orientation != Orientation::NoTransforms {
            *flags |= VP8X_EXIF;
            body.extend_from_slice(&riff_chunk(b"EXIF", &orientation_tiff(orientation)));
        }
    }
    let mut out = Vec::with_capacity(12 + body.len());
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&((4 + body.len()) as u32).to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&body);
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// GIF

const GIF_EXTENSION: u8 = 0x21;
const GIF_IMAGE: u8 = 0x2C;
const GIF_TRAILER: u8 = 0x3B;
const GIF_COMMENT: u8 = 0xFE;
const GIF_APPLICATION: u8 = 0xFF;

/// The end of a run of data sub-blocks starting at `i` (after its zero terminator).
fn gif_sub_blocks_end(data: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let len = usize::from(*data.get(i)?);
        i += 1;
        if len == 0 {
            return Some(i);
        }
        i += len;
    }
}

/// The header, screen descriptor, images and graphic-control/plain-text extensions, and the
/// looping application extensions; `None` when there is no complete image.
fn strip_gif(data: &[u8]) -> Option<Vec<u8>> {
    if data.len() < 13 || !(data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a")) {
        return None;
    }
    let flags = data[10];
    let mut i = 13;
    if flags & 0x80 != 0 {
        i += 3 << ((flags & 7) + 1);
    }
    let mut out = data.get(..i)?.to_vec();
    let mut images = 0;
    while let Some(&block) = data.get(i) {
        match block {
            GIF_EXTENSION => {
                let label = *data.get(i + 1)?;
                let Some(end) = gif_sub_blocks_end(data, i + 2) else {
                    break;
                };
                let keep = match label {
                    GIF_COMMENT => false,
                    GIF_APPLICATION => {
                        let id = data.get(i + 2..i + 14);
                        id == Some(&b"\x0bNETSCAPE2.0"[..]) || id == Some(&b"\x0bANIMEXTS1.0"[..])
                    }
                    _ => true,
                };
                if keep {
                    out.extend_from_slice(&data[i..end]);
                }
                i = end;
            }
            GIF_IMAGE => {
                let flags = *data.get(i + 9)?;
                let mut j = i + 10;
                if flags & 0x80 != 0 {
                    j += 3 << ((flags & 7) + 1);
                }
                j += 1; // LZW minimum code size
                let Some(end) = gif_sub_blocks_end(data, j) else {
                    break;
                };
                out.extend_from_slice(&data[i..end]);
                images += 1;
                i = end;
            }
            _ => break, // the trailer, or bytes no decoder reads
        }
    }
    if images == 0 {
        return None;
    }
    out.push(GIF_TRAILER);
    Some(out)
}

#[cfg(test)]
#[path = "../tests/support/crafted.rs"]
mod crafted;

#[cfg(test)]
mod tests;
