//! Copies of originals without personal metadata, for everyone but the owner: public and shared
//! views must not leak GPS positions, camera serial numbers or editing history.
//!
//! JPEG: the metadata segments (APP1 EXIF/XMP, APP13 IPTC, COM) are dropped from the bitstream,
//! losslessly; when the image has a non-default EXIF orientation a minimal EXIF block with only
//! that tag is written back, so the picture still displays upright. PNG: the `eXIf` and text
//! chunks are dropped. Other formats carrying metadata are re-encoded as PNG from the decoded
//! (already oriented) pixels.

use banana_media::{Format, Limits, MediaError};

/// A shareable copy: the bytes and their content type.
pub struct Stripped {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
}

pub fn strip_metadata(
    original: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<Stripped, MediaError> {
    match format {
        Format::Jpeg => Ok(Stripped {
            bytes: strip_jpeg(original),
            content_type: "image/jpeg",
        }),
        Format::Png => Ok(Stripped {
            bytes: strip_png(original),
            content_type: "image/png",
        }),
        _ => {
            let decoded = banana_media::decode(original, limits)?;
            let mut out = Vec::new();
            decoded
                .image
                .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
                .map_err(|e| MediaError::Encode(e.to_string()))?;
            Ok(Stripped {
                bytes: out,
                content_type: "image/png",
            })
        }
    }
}

/// The EXIF orientation (1–8) of a JPEG, 1 when absent.
fn jpeg_orientation(data: &[u8]) -> u16 {
    let mut reader = std::io::Cursor::new(data);
    exif::Reader::new()
        .read_from_container(&mut reader)
        .ok()
        .and_then(|e| {
            e.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
                .and_then(|f| f.value.get_uint(0))
        })
        .map(|v| v as u16)
        .filter(|v| (1..=8).contains(v))
        .unwrap_or(1)
}

/// A minimal big-endian EXIF APP1 segment holding only the orientation tag.
fn orientation_app1(orientation: u16) -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2a\0\0\0\x08"); // header, IFD0 at offset 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // count
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]); // value padding
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut seg = vec![0xFF, 0xE1];
    let len = (2 + 6 + tiff.len()) as u16;
    seg.extend_from_slice(&len.to_be_bytes());
    seg.extend_from_slice(b"Exif\0\0");
    seg.extend_from_slice(&tiff);
    seg
}

fn strip_jpeg(data: &[u8]) -> Vec<u8> {
    let orientation = jpeg_orientation(data);
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(&data[..2]);
    if orientation != 1 {
        out.extend_from_slice(&orientation_app1(orientation));
    }
    let mut i = 2;
    while i + 4 <= data.len() && data[i] == 0xFF {
        let marker = data[i + 1];
        if marker == 0xDA || marker == 0xD9 {
            break; // the scan and everything after it is image data
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 || marker == 0xFF {
            out.extend_from_slice(&data[i..i + 2]);
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([data[i + 2], data[i + 3]]));
        let end = (i + 2 + len).min(data.len());
        let personal = matches!(marker, 0xE1 | 0xED | 0xFE)
            || (0xE2..=0xEF).contains(&marker) && is_personal_app(&data[i + 4..end]);
        if !personal {
            out.extend_from_slice(&data[i..end]);
        }
        i = end;
    }
    out.extend_from_slice(&data[i.min(data.len())..]);
    out
}

/// APPn segments other than APP1/APP13 that carry personal data (maker notes in MPF, FLIR,
/// Photoshop's extended XMP). ICC profiles (APP2 "ICC_PROFILE") and Adobe (APP14) are kept:
/// they describe colours, not people.
fn is_personal_app(payload: &[u8]) -> bool {
    !(payload.starts_with(b"ICC_PROFILE") || payload.starts_with(b"Adobe"))
}

fn strip_png(data: &[u8]) -> Vec<u8> {
    const SIG: usize = 8;
    if data.len() < SIG {
        return data.to_vec();
    }
    let mut out = data[..SIG].to_vec();
    let mut i = SIG;
    while i + 12 <= data.len() {
        let len = u32::from_be_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]) as usize;
        let end = (i + 12 + len).min(data.len());
        let kind = &data[i + 4..i + 8];
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(&data[i..end]);
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(rel: &str) -> Option<Vec<u8>> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/exif-samples")
            .join(rel);
        std::fs::read(p).ok()
    }

    #[test]
    fn gps_is_removed_and_pixels_and_orientation_kept() {
        let Some(original) = sample("jpg/gps/DSCN0010.jpg") else {
            return;
        };
        let has_gps = |d: &[u8]| {
            exif::Reader::new()
                .read_from_container(&mut std::io::Cursor::new(d))
                .map(|e| e.fields().any(|f| f.tag == exif::Tag::GPSLatitude))
                .unwrap_or(false)
        };
        assert!(has_gps(&original));
        let s = strip_metadata(&original, Format::Jpeg, &Limits::default()).unwrap();
        assert!(!has_gps(&s.bytes));
        let a = image::load_from_memory(&original).unwrap().to_rgb8();
        let b = image::load_from_memory(&s.bytes).unwrap().to_rgb8();
        assert_eq!(a.as_raw(), b.as_raw(), "pixels are untouched");
    }

    #[test]
    fn orientation_survives_stripping() {
        let Some(original) = sample("jpg/orientation/landscape_6.jpg") else {
            return;
        };
        let s = strip_metadata(&original, Format::Jpeg, &Limits::default()).unwrap();
        assert_eq!(jpeg_orientation(&s.bytes), 6);
        let before = banana_media::decode(&original, &Limits::default())
            .unwrap()
            .image;
        let after = banana_media::decode(&s.bytes, &Limits::default())
            .unwrap()
            .image;
        assert_eq!(
            (before.width(), before.height()),
            (after.width(), after.height())
        );
        assert!(s.bytes.len() < original.len());
    }
}
