//! Real camera files from `../shared/data/exif-samples/` (skipped when that folder is absent).

use std::path::PathBuf;

use banana_media::{process, Limits, MediaError};

fn samples(sub: &str) -> Option<Vec<PathBuf>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/exif-samples")
        .join(sub);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: {} not found", dir.display());
        return None;
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("jpg") || e.eq_ignore_ascii_case("jpeg"))
        })
        .collect();
    files.sort();
    Some(files)
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
