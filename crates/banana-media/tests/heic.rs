//! HEIC/HEIF and AVIF through every entry point of `banana_media`, on real phone files (the
//! five under `exif-samples/heic/` of the shared test data: iPhone 11 and 13 grids with ICC
//! profiles and a 90° `irot` + EXIF Orientation 6, a Nokia 8.3 with `irot` only, a Nokia HDR with
//! an nclx profile, a small HEIF with XMP) and on an AVIF made from one of them
//! (`tests/data/samplefilehub.avif`: `heif-convert samplefilehub.heif s.png`, then
//! `heif-enc -A -q 50 s.png`, which carried the EXIF and XMP over).
//!
//! The expected pixels are libheif's own converter's (`heif-convert` to PNG, read by Pillow:
//! `tests/data/heic_reference.py` made `heic-reference.json`), not this crate's: the size and
//! the mean colour of an 8×8 grid of blocks, which tells every rotation and mirror apart.

use std::path::PathBuf;

use banana_media::metadata::read_metadata;
use banana_media::{decode, preview_pixels, probe, process, sniff, strip, Format, Limits};
use banana_media::{MediaError, PREVIEW_SIZE};
use image::RgbImage;
use serde_json::Value as Json;

const REFERENCE: &str = include_str!("data/heic-reference.json");

struct Sample {
    name: String,
    bytes: Vec<u8>,
    width: u32,
    height: u32,
    grid: Vec<[f64; 3]>,
}

/// Every reference file: the shared HEIC samples (skipped, or failed under
/// `BANANA_TEST_REQUIRE_ALL=1`, when the shared data is absent) and the AVIF in `tests/data`.
fn samples() -> Vec<Sample> {
    let reference: serde_json::Map<String, Json> = serde_json::from_str(REFERENCE).unwrap();
    let shared = banana_testkit::shared_data().map(|d| d.join("exif-samples"));
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut out = Vec::new();
    for (name, want) in &reference {
        let path = if name.starts_with("heic/") {
            match &shared {
                Some(root) => root.join(name),
                None => continue,
            }
        } else {
            here.join(name)
        };
        let grid = want["grid"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let c = c.as_array().unwrap();
                [0, 1, 2].map(|i| c[i].as_f64().unwrap())
            })
            .collect();
        out.push(Sample {
            name: name.clone(),
            bytes: std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            width: want["width"].as_u64().unwrap() as u32,
            height: want["height"].as_u64().unwrap() as u32,
            grid,
        });
    }
    if shared.is_some() {
        assert_eq!(out.len(), 6, "five shared HEIC samples and one AVIF");
    }
    out
}

/// The mean RGB of an 8×8 grid of blocks, block i spanning [i·W/8, (i+1)·W/8), as the
/// reference script computes it.
fn grid(img: &RgbImage) -> Vec<[f64; 3]> {
    let (w, h) = img.dimensions();
    let mut out = Vec::with_capacity(64);
    for by in 0..8 {
        for bx in 0..8 {
            let (x0, x1, y0, y1) = (bx * w / 8, (bx + 1) * w / 8, by * h / 8, (by + 1) * h / 8);
            let mut sum = [0u64; 3];
            for y in y0..y1 {
                for x in x0..x1 {
                    let p = img.get_pixel(x, y);
                    for c in 0..3 {
                        sum[c] += u64::from(p[c]);
                    }
                }
            }
            let n = f64::from((x1 - x0) * (y1 - y0));
            out.push(sum.map(|s| s as f64 / n));
        }
    }
    out
}

/// The mean absolute difference of two grids, in 8-bit levels.
fn grid_diff(a: &[[f64; 3]], b: &[[f64; 3]]) -> f64 {
    let sum: f64 = a
        .iter()
        .zip(b)
        .flat_map(|(p, q)| (0..3).map(move |c| (p[c] - q[c]).abs()))
        .sum();
    sum / (a.len() * 3) as f64
}

/// The grid of the image rotated by 180° (for square-agnostic "is it turned?" checks).
fn rotated_grid(img: &RgbImage) -> Vec<[f64; 3]> {
    grid(&image::imageops::rotate180(img))
}

#[test]
fn every_sample_is_recognised_probed_and_decoded_as_libheif_shows_it() {
    for s in samples() {
        let name = &s.name;
        let format = sniff(&s.bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let want_format = if name.ends_with(".avif") {
            Format::Avif
        } else {
            Format::Heif
        };
        assert_eq!(format, want_format, "{name}");

        // The header alone: the displayed size (libheif's rotation applied, EXIF's not again).
        let p = probe(&s.bytes, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((p.width, p.height), (s.width, s.height), "{name}: probe");

        // Every pixel, compared with heif-convert's.
        let d = decode(&s.bytes, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(d.format, want_format);
        let rgb = d.image.to_rgb8();
        assert_eq!(rgb.dimensions(), (s.width, s.height), "{name}: decode");
        let ours = grid(&rgb);
        let diff = grid_diff(&ours, &s.grid);
        assert!(diff < 1.0, "{name}: {diff} levels from heif-convert");
        let turned = grid_diff(&rotated_grid(&rgb), &s.grid);
        assert!(
            turned > 4.0 * diff.max(1.0),
            "{name}: the grid cannot tell a turn"
        );
        assert!(d.has_exif, "{name}: every sample has an EXIF block");
    }
}

#[test]
fn thumbnails_and_previews_come_from_the_displayed_pixels() {
    for s in samples() {
        let name = &s.name;
        let d = process(&s.bytes, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((d.width, d.height), (s.width, s.height), "{name}");
        assert!(d.has_exif, "{name}");
        let (pw, ph) = d.preview_rgb.dimensions();
        assert_eq!(
            pw.max(ph),
            PREVIEW_SIZE.min(s.width.max(s.height)),
            "{name}"
        );
        assert_eq!(pw > ph, s.width > s.height, "{name}: preview orientation");
        let diff = grid_diff(&grid(&d.preview_rgb), &s.grid);
        assert!(
            diff < 3.0,
            "{name}: preview {diff} levels from heif-convert"
        );

        let preview = image::load_from_memory(&d.preview).unwrap().to_rgb8();
        assert_eq!(preview.dimensions(), (pw, ph), "{name}");
        let thumb = image::load_from_memory(&d.thumbnail).unwrap().to_rgb8();
        let (tw, th) = thumb.dimensions();
        assert_eq!(tw.max(th), 256, "{name}");
        assert_eq!(tw > th, s.width > s.height, "{name}: thumbnail orientation");
        let diff = grid_diff(&grid(&thumb), &s.grid);
        assert!(
            diff < 6.0,
            "{name}: thumbnail {diff} levels from heif-convert"
        );

        // What the classifier sees is the same preview.
        let pixels = preview_pixels(&s.bytes, &Limits::default()).unwrap();
        assert_eq!(pixels, d.preview_rgb, "{name}");
    }
}

#[test]
fn content_type_and_extension() {
    assert_eq!(Format::Heif.content_type(), "image/heic");
    assert_eq!(Format::Heif.extension(), "heic");
    assert_eq!(Format::Avif.content_type(), "image/avif");
    assert_eq!(Format::Avif.extension(), "avif");
    for (ct, f) in [
        ("image/heic", Format::Heif),
        ("image/heif", Format::Heif),
        ("IMAGE/HEIC", Format::Heif),
        ("image/avif", Format::Avif),
    ] {
        assert_eq!(Format::from_content_type(ct), Some(f), "{ct}");
    }
    let (version, hevc, av1) = banana_media::heif::library_info();
    assert!(hevc && av1, "libheif {version}: HEVC {hevc}, AV1 {av1}");
}

/// Every marker segment of a JPEG before its first scan, as (code, payload).
fn jpeg_header_segments(jpeg: &[u8]) -> Vec<(u8, Vec<u8>)> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    let mut out = Vec::new();
    let mut i = 2;
    while i + 4 <= jpeg.len() && jpeg[i] == 0xFF {
        let code = jpeg[i + 1];
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        out.push((code, jpeg[i + 4..i + 2 + len].to_vec()));
        if code == 0xDA {
            break;
        }
        i += 2 + len;
    }
    out
}

#[test]
fn privacy_copies_are_jpegs_without_metadata() {
    for s in samples() {
        let name = &s.name;
        let copy =
            strip::strip(&s.bytes, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(copy.format, Format::Jpeg, "{name}");
        assert_eq!(strip::copy_format(sniff(&s.bytes).unwrap()), Format::Jpeg);
        assert_eq!(sniff(&copy.bytes).unwrap(), Format::Jpeg, "{name}");

        // Only JFIF, the quantisation/Huffman tables, the frame and the ICC profile.
        let segments = jpeg_header_segments(&copy.bytes);
        for (code, payload) in &segments {
            let app = (0xE0..=0xEF).contains(code) || *code == 0xFE;
            let allowed = (*code == 0xE0 && payload.starts_with(b"JFIF\0"))
                || (*code == 0xE2 && payload.starts_with(b"ICC_PROFILE\0"));
            assert!(!app || allowed, "{name}: segment {code:#x} in the copy");
        }
        for needle in [
            &b"Exif\0"[..],
            b"http://ns.adobe.com/xap",
            b"<x:xmpmeta",
            b"GPS",
        ] {
            assert!(
                !copy.bytes.windows(needle.len()).any(|w| w == needle),
                "{name}: {:?} in the copy",
                String::from_utf8_lossy(needle)
            );
        }
        let meta = read_metadata(&copy.bytes);
        assert!(
            meta.taken.is_none() && meta.gps.is_none(),
            "{name}: {meta:?}"
        );
        assert!(
            meta.camera.make.is_none() && meta.camera.model.is_none(),
            "{name}"
        );

        // The iPhones' Display P3 profile goes along (the pixels are in it).
        let has_icc = segments
            .iter()
            .any(|(c, p)| *c == 0xE2 && p.starts_with(b"ICC_PROFILE\0"));
        assert_eq!(
            has_icc,
            name.contains("IMG_5195") || name.contains("iphone"),
            "{name}"
        );

        // The picture is the displayed one: no orientation tag needed, none written.
        let decoded = image::load_from_memory(&copy.bytes).unwrap().to_rgb8();
        assert_eq!(decoded.dimensions(), (s.width, s.height), "{name}");
        let diff = grid_diff(&grid(&decoded), &s.grid);
        assert!(diff < 2.0, "{name}: copy {diff} levels from heif-convert");
    }
}

#[test]
fn truncated_and_corrupt_files_are_clear_errors() {
    for s in samples() {
        let name = &s.name;
        let len = s.bytes.len();
        let mut cuts = vec![13, 100, len / 20, len / 4, len / 2, len * 9 / 10, len - 1];
        cuts.sort_unstable();
        cuts.dedup();
        for cut in cuts {
            let data = &s.bytes[..cut];
            let err = match process(data, &Limits::default()) {
                Err(e) => e,
                Ok(_) => panic!("{name} cut at {cut}/{len}: decoded"),
            };
            assert!(
                matches!(err, MediaError::Undecodable(_)),
                "{name} cut at {cut}: {err:?}"
            );
            assert!(
                strip::strip(data, &Limits::default()).is_err(),
                "{name} cut at {cut}"
            );
        }
    }
    // A damaged box structure: the `meta` box's size made larger than the file.
    let s = samples().into_iter().next().unwrap();
    let mut bytes = s.bytes.clone();
    let meta = bytes.windows(4).position(|w| w == b"meta").unwrap() - 4;
    bytes[meta..meta + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    let err = process(&bytes, &Limits::default()).err().unwrap();
    assert!(matches!(err, MediaError::Undecodable(_)), "{err:?}");
    // A HEIF brand with nothing after it.
    let err = process(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", &Limits::default()).err();
    assert!(matches!(err, Some(MediaError::Undecodable(_))), "{err:?}");
}

/// `bytes` with its `n`th `ispe` property (0-based) claiming `w`×`h`.
fn with_ispe(bytes: &[u8], n: usize, w: u32, h: u32) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let at = bytes
        .windows(4)
        .enumerate()
        .filter(|(_, x)| *x == b"ispe")
        .map(|(i, _)| i)
        .nth(n)
        .unwrap();
    // type, version/flags, width, height
    out[at + 8..at + 12].copy_from_slice(&w.to_be_bytes());
    out[at + 12..at + 16].copy_from_slice(&h.to_be_bytes());
    out
}

#[test]
fn pixel_limits_are_checked_before_decoding() {
    for s in samples() {
        let name = &s.name;
        let pixels = u64::from(s.width) * u64::from(s.height);
        let tight = Limits {
            max_pixels: pixels - 1,
        };
        for (what, result) in [
            ("probe", probe(&s.bytes, &tight).map(|_| ())),
            ("decode", decode(&s.bytes, &tight).map(|_| ())),
            ("process", process(&s.bytes, &tight).map(|_| ())),
            ("strip", strip::strip(&s.bytes, &tight).map(|_| ())),
        ] {
            match result {
                Err(MediaError::TooManyPixels { pixels: p, .. }) => assert_eq!(p, pixels),
                other => panic!("{name}: {what}: {other:?}"),
            }
        }
        assert!(
            probe(&s.bytes, &Limits { max_pixels: pixels }).is_ok(),
            "{name}"
        );
    }
    // A header claiming 40000×40000 (1.6 gigapixels) in a 29 KB file: refused by its header,
    // without libheif being asked to decode anything (that would allocate gigabytes).
    let Some(small) = samples()
        .into_iter()
        .find(|s| s.name.ends_with("samplefilehub.heif"))
    else {
        return;
    };
    let bomb = with_ispe(&small.bytes, 0, 40_000, 40_000);
    for result in [
        probe(&bomb, &Limits::default()).map(|_| ()),
        process(&bomb, &Limits::default()).map(|_| ()),
        strip::strip(&bomb, &Limits::default()).map(|_| ()),
    ] {
        match result {
            Err(MediaError::TooManyPixels { pixels, .. }) => assert_eq!(pixels, 1_600_000_000),
            other => panic!("{other:?}"),
        }
    }
    // A grid whose tiles claim to be huge, though the grid itself is 12 MP: refused too.
    let Some(iphone) = samples().into_iter().find(|s| s.name.contains("iphone_13")) else {
        return;
    };
    let tile = with_ispe(&iphone.bytes, 0, 20_000, 20_000);
    match process(&tile, &Limits::default()) {
        Err(MediaError::TooManyPixels { pixels, .. }) => assert_eq!(pixels, 400_000_000),
        other => panic!("{:?}", other.map(|_| ())),
    }
}

#[test]
fn the_refusal_of_other_formats_names_heic() {
    let err = sniff(b"\0\0\0\x18ftypisom\0\0\0\0isomiso2").err().unwrap();
    let message = err.to_string();
    assert!(matches!(err, MediaError::Unsupported(_)), "{message}");
    assert!(message.contains("HEIC/HEIF"), "{message}");
}
