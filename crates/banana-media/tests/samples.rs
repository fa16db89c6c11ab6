//! Real camera files from `exif-samples/` of the shared test data (through the test kit:
//! skipped when it is absent, failed instead under `BANANA_TEST_REQUIRE_ALL=1`).

use std::path::PathBuf;

use banana_media::{process, Limits, MediaError};

/// The JPEG files of `exif-samples/<sub>` of the shared test data, sorted; `None` when the
/// shared data is absent (see `banana_testkit::shared_data`).
fn samples(sub: &str) -> Option<Vec<PathBuf>> {
    let dir = banana_testkit::shared_data()?
        .join("exif-samples")
        .join(sub);
    banana_testkit::files_with_extensions(&dir, &["jpg", "jpeg"])
}

fn small(img: &image::RgbImage) -> image::RgbImage {
    image::imageops::resize(img, 32, 32, image::imageops::FilterType::Triangle)
}

fn mean_abs_diff(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    let sum: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    sum as f64 / a.as_raw().len() as f64
}

fn dihedral_others(img: &image::RgbImage) -> Vec<(&'static str, image::RgbImage)> {
    use image::imageops::{flip_horizontal, flip_vertical, rotate180, rotate270, rotate90};
    vec![
        ("flip_h", flip_horizontal(img)),
        ("flip_v", flip_vertical(img)),
        ("rot180", rotate180(img)),
        ("rot90", rotate90(img)),
        ("rot270", rotate270(img)),
        ("transpose", flip_horizontal(&rotate90(img))),
        ("transverse", flip_vertical(&rotate90(img))),
    ]
}

#[test]
fn orientation_is_applied_to_all_eight_variants() {
    let Some(files) = samples("jpg/orientation") else {
        return;
    };
    assert_eq!(files.len(), 16);
    for kind in ["landscape", "portrait"] {
        let load = |n: u32| {
            let f = files
                .iter()
                .find(|p| p.ends_with(format!("{kind}_{n}.jpg")))
                .unwrap();
            process(&std::fs::read(f).unwrap(), &Limits::default()).unwrap()
        };
        let reference = load(1);
        assert_eq!(reference.width > reference.height, kind == "landscape");
        let reference_small = small(&reference.preview_rgb);
        // A mirrored image must look different, or this test could not see a wrong orientation.
        let mirrored = small(&image::imageops::flip_horizontal(&reference.preview_rgb));
        assert!(mean_abs_diff(&reference_small, &mirrored) > 20.0);
        for n in 2..=8 {
            let d = load(n);
            assert_eq!(
                (d.width, d.height),
                (reference.width, reference.height),
                "{kind}_{n}"
            );
            // The oriented image must match the reference better than any other of the eight
            // rotations/mirrorings of it would.
            let got = &d.preview_rgb;
            let diff = mean_abs_diff(&reference_small, &small(got));
            for (name, other) in dihedral_others(got) {
                if other.dimensions() == got.dimensions() || name.starts_with("rot") {
                    let other_diff = mean_abs_diff(&reference_small, &small(&other));
                    assert!(
                        diff + 3.0 < other_diff,
                        "{kind}_{n}: as displayed {diff}, {name} {other_diff}"
                    );
                }
            }
        }
    }
}

#[test]
fn broken_jpegs_are_refused_cleanly() {
    let Some(files) = samples("jpg/invalid") else {
        return;
    };
    assert!(!files.is_empty());
    // These files' metadata (an oversized XMP packet in APP1) breaks EXIF readers; their pixel
    // data is intact. They must decode to the size their header declares, and cut in half they
    // must be refused.
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let header = banana_media::probe(&bytes, &Limits::default()).unwrap();
        let d = process(&bytes, &Limits::default()).unwrap();
        assert_eq!(
            (d.width, d.height),
            (header.width, header.height),
            "{}",
            f.display()
        );
        let cut = process(&bytes[..bytes.len() / 2], &Limits::default());
        assert!(
            matches!(cut, Err(MediaError::Undecodable(_))),
            "{}",
            f.display()
        );
    }
}

#[test]
fn odd_exif_does_not_break_decoding() {
    let Some(files) = samples("jpg/tests") else {
        return;
    };
    for f in files {
        let r = process(&std::fs::read(&f).unwrap(), &Limits::default());
        let d = r.unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(d.has_exif, "{}", f.display());
        assert!(d.thumbnail.len() > 100 && d.preview.len() > d.thumbnail.len());
    }
}

/// The old path: full decode with the `image` crate, orientation applied, then resized.
fn full_decode_resized(bytes: &[u8], w: u32, h: u32) -> (image::RgbImage, (u32, u32)) {
    let full = banana_media::decode(bytes, &Limits::default()).unwrap();
    let dims = (full.image.width(), full.image.height());
    let rgb = banana_media::flatten_to_rgb(full.image);
    let resized = image::imageops::resize(&rgb, w, h, image::imageops::FilterType::Lanczos3);
    (resized, dims)
}

#[test]
fn scaled_decode_gives_the_same_picture_and_full_dimensions() {
    let Some(mut files) = samples("jpg/tests") else {
        return;
    };
    files.extend(samples("jpg").unwrap_or_default());
    let mut scaled = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let Ok(old) = banana_media::decode(&bytes, &Limits::default()) else {
            continue;
        };
        let d =
            process(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let (pw, ph) = d.preview_rgb.dimensions();
        assert_eq!(
            (pw, ph),
            banana_media::fit_within(d.width, d.height, banana_media::PREVIEW_SIZE),
            "{}",
            f.display()
        );
        drop(old);
        let (reference, dims) = full_decode_resized(&bytes, pw, ph);
        assert_eq!((d.width, d.height), dims, "{}", f.display());
        let diff = mean_abs_diff(&reference, &d.preview_rgb);
        assert!(diff < 3.0, "{}: mean abs diff {diff}", f.display());
        if d.width.max(d.height) >= 2 * banana_media::PREVIEW_SIZE {
            scaled += 1;
        }
    }
    assert!(
        scaled >= 2,
        "only {scaled} files were large enough to be decoded scaled"
    );
}

/// A large JPEG carrying the EXIF block of `orientation/landscape_6.jpg` (rotate 90° clockwise):
/// decoded scaled, it must come out rotated, with the full rotated dimensions.
#[test]
fn orientation_is_applied_to_scaled_decodes() {
    let Some(files) = samples("jpg/orientation") else {
        return;
    };
    let src = std::fs::read(
        files
            .iter()
            .find(|p| p.ends_with("landscape_6.jpg"))
            .unwrap(),
    )
    .unwrap();
    // The APP1 (EXIF) segment right after SOI (possibly after APP0).
    let mut i = 2;
    let app1 = loop {
        assert_eq!(src[i], 0xFF);
        let len = usize::from(u16::from_be_bytes([src[i + 2], src[i + 3]]));
        if src[i + 1] == 0xE1 {
            break src[i..i + 2 + len].to_vec();
        }
        i += 2 + len;
    };
    let (w, h) = (3000u32, 2000u32);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        // Bright top-left quadrant, so a wrong rotation shows.
        let v = if x < w / 2 && y < h / 2 { 230 } else { 30 };
        image::Rgb([v, (x * 255 / w) as u8, (y * 255 / h) as u8])
    });
    let plain = banana_media::encode_jpeg(&img, 90).unwrap();
    let mut tagged = plain[..2].to_vec();
    tagged.extend_from_slice(&app1);
    tagged.extend_from_slice(&plain[2..]);

    let upright = process(&plain, &Limits::default()).unwrap();
    assert_eq!((upright.width, upright.height), (w, h));
    assert!(!upright.has_exif);
    let d = process(&tagged, &Limits::default()).unwrap();
    assert!(d.has_exif);
    assert_eq!((d.width, d.height), (h, w));
    assert_eq!(d.preview_rgb.dimensions(), (853, 1280));
    let expected = image::imageops::rotate90(&upright.preview_rgb);
    assert_eq!(expected.dimensions(), d.preview_rgb.dimensions());
    let diff = mean_abs_diff(&small(&expected), &small(&d.preview_rgb));
    assert!(diff < 2.0, "rotated preview differs by {diff}");
    // The full decode agrees on what "upright" is.
    let (reference, dims) = full_decode_resized(&tagged, 853, 1280);
    assert_eq!(dims, (h, w));
    assert!(mean_abs_diff(&reference, &d.preview_rgb) < 3.0);
}

/// What the labeling worker classifies (`preview_pixels` of the original) is exactly what the
/// upload path and the import pipeline classify (`process(..).preview_rgb`), for every EXIF
/// orientation and for the broken files (the same error either way).
#[test]
fn preview_pixels_are_the_derived_preview_pixels() {
    let (Some(oriented), Some(cameras)) = (samples("jpg/orientation"), samples("jpg")) else {
        return;
    };
    let limits = Limits::default();
    let mut compared = 0;
    for f in oriented.iter().chain(&cameras) {
        let bytes = std::fs::read(f).unwrap();
        match (
            process(&bytes, &limits),
            banana_media::preview_pixels(&bytes, &limits),
        ) {
            (Ok(d), Ok(p)) => {
                assert_eq!(
                    d.preview_rgb.dimensions(),
                    p.dimensions(),
                    "{}",
                    f.display()
                );
                assert!(d.preview_rgb.as_raw() == p.as_raw(), "{}", f.display());
                compared += 1;
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{}", f.display()),
            (a, b) => panic!(
                "{}: process {:?}, preview_pixels {:?}",
                f.display(),
                a.map(|_| ()),
                b.map(|_| ())
            ),
        }
    }
    assert!(compared >= oriented.len(), "only {compared} files decoded");
}
