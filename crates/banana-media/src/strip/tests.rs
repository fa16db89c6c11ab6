//! The strippers on crafted files (see `tests/support/crafted.rs`) and on the real TIFF sample.

use super::crafted::{self, contains_planted, contains_xmp_or_video};
use super::*;
use crate::{decode, sniff};

fn has_gps(bytes: &[u8]) -> bool {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .map(|e| {
            e.fields().any(|f| {
                f.tag.context() == exif::Context::Gps || f.tag == exif::Tag::GPSInfoIFDPointer
            })
        })
        .unwrap_or(false)
}

fn has_artist(bytes: &[u8]) -> bool {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .map(|e| e.fields().any(|f| f.tag == exif::Tag::Artist))
        .unwrap_or(false)
}

fn oriented_rgba(bytes: &[u8]) -> image::RgbaImage {
    decode(bytes, &Limits::default())
        .unwrap()
        .image
        .into_rgba8()
}

/// The checks every copy must pass: no planted text, no XMP or video, no GPS or Artist, the
/// promised format, and the same oriented pixels as the original.
fn assert_clean(name: &str, original: &[u8], copy: &Stripped) {
    assert!(
        contains_planted(original),
        "{name}: the crafted file plants text"
    );
    assert!(!contains_planted(&copy.bytes), "{name}: planted text left");
    assert!(
        !contains_xmp_or_video(&copy.bytes),
        "{name}: XMP or video left"
    );
    assert!(!has_gps(&copy.bytes), "{name}: GPS left");
    assert!(!has_artist(&copy.bytes), "{name}: Artist left");
    let format = sniff(original).unwrap();
    assert_eq!(copy.format, copy_format(format), "{name}");
    assert_eq!(sniff(&copy.bytes).unwrap(), copy.format, "{name}");
    assert_eq!(
        oriented_rgba(&copy.bytes),
        oriented_rgba(original),
        "{name}: same pixels, same orientation"
    );
}

#[test]
fn every_crafted_file_loses_its_metadata_and_keeps_its_pixels() {
    for (name, original) in crafted::all() {
        let copy = strip(&original, &Limits::default()).unwrap();
        assert_clean(name, &original, &copy);
        if copy.format != Format::Png || sniff(&original).unwrap() == Format::Png {
            // Lossless strips are idempotent.
            let again = strip(&copy.bytes, &Limits::default()).unwrap();
            assert_eq!(
                again.bytes, copy.bytes,
                "{name}: stripping twice changes nothing"
            );
        }
    }
}

#[test]
fn jpeg_orientation_is_kept_as_the_only_exif_tag() {
    let original = crafted::with_segments(
        &crafted::jpeg(64, 48, 13),
        &[crafted::app1_exif(&crafted::exif_with_gps(Some(6)))],
    );
    let copy = strip(&original, &Limits::default()).unwrap();
    assert_eq!(jpeg_orientation(&copy.bytes), Orientation::Rotate90);
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&copy.bytes))
        .unwrap();
    let tags: Vec<_> = exif.fields().map(|f| f.tag).collect();
    assert_eq!(tags, vec![exif::Tag::Orientation]);
    let d = decode(&copy.bytes, &Limits::default()).unwrap().image;
    assert_eq!((d.width(), d.height()), (48, 64));
}

#[test]
fn png_and_webp_orientation_survive() {
    for original in [crafted::png_exif_orientation(), crafted::webp_with_xmp()] {
        let format = sniff(&original).unwrap();
        assert_eq!(
            header_orientation(&original, format).unwrap(),
            Orientation::Rotate90
        );
        let copy = strip(&original, &Limits::default()).unwrap();
        assert_eq!(
            header_orientation(&copy.bytes, format).unwrap(),
            Orientation::Rotate90,
            "{format:?}"
        );
        assert!(!has_gps(&copy.bytes));
    }
}

#[test]
fn jpeg_is_cut_at_the_primary_images_end() {
    for original in [crafted::jpeg_with_mpf_secondary(), crafted::motion_photo()] {
        let copy = strip(&original, &Limits::default()).unwrap();
        assert!(copy.bytes.ends_with(&[0xFF, 0xD9]));
        // One image: a single SOI (the secondary's would be a second one).
        let sois = copy
            .bytes
            .windows(3)
            .filter(|w| w == b"\xFF\xD8\xFF")
            .count();
        assert_eq!(sois, 1);
        assert!(copy.bytes.len() < original.len());
        assert!(crate::jpeg::is_complete(&copy.bytes));
    }
}

#[test]
fn progressive_scans_are_all_kept_and_segments_between_them_dropped() {
    let original = crafted::progressive_with_segments_between_scans();
    let copy = strip(&original, &Limits::default()).unwrap();
    assert_eq!(
        crate::jpeg::scan_count(&copy.bytes),
        crate::jpeg::scan_count(&original)
    );
    assert!(!copy.bytes.windows(2).any(|w| w == [0xFF, 0xFE]), "no COM");
    assert!(
        !copy.bytes.windows(2).any(|w| w == [0xFF, 0xED]),
        "no APP13"
    );
}

#[test]
fn icc_profiles_are_kept() {
    let icc = [&b"ICC_PROFILE\0\x01\x01"[..], &[7u8; 64]].concat();
    let jpeg = crafted::with_segments(
        &crafted::jpeg(32, 32, 1),
        &[crafted::segment(0xE2, &icc), crafted::com()],
    );
    let copy = strip(&jpeg, &Limits::default()).unwrap();
    assert!(copy.bytes.windows(icc.len()).any(|w| w == icc));
    assert!(!contains_planted(&copy.bytes));

    let iccp = crafted::png_chunk(b"iCCP", b"test\0\0\x78\x01\x03\x00\x00\x00\x00\x01");
    let png = crafted::png_with(
        &image::DynamicImage::ImageRgb8(crafted::pixels(8, 8, 1)),
        std::slice::from_ref(&iccp),
        &[],
    );
    let copy = strip(&png, &Limits::default()).unwrap();
    assert!(copy.bytes.windows(iccp.len()).any(|w| w == iccp));
}

#[test]
fn webp_flags_match_the_chunks() {
    let copy = strip(&crafted::webp_with_xmp(), &Limits::default()).unwrap();
    let flags = copy.bytes[20];
    assert_eq!(flags & VP8X_XMP, 0);
    assert_eq!(
        flags & VP8X_EXIF,
        VP8X_EXIF,
        "orientation 6 is kept in EXIF"
    );
    assert!(copy.bytes.windows(4).any(|w| w == b"EXIF"));
    assert!(!copy.bytes.windows(4).any(|w| w == b"XMP "));
    let riff = u32::from_le_bytes(copy.bytes[4..8].try_into().unwrap()) as usize;
    assert_eq!(riff + 8, copy.bytes.len());
}

#[test]
fn tiff_becomes_png_from_the_oriented_pixels() {
    let (original, stored) = crafted::tiff_with_gps(48, 32);
    assert!(has_gps(&original) && has_artist(&original));
    let copy = strip(&original, &Limits::default()).unwrap();
    assert_eq!(copy.format, Format::Png);
    let got = image::load_from_memory(&copy.bytes).unwrap().into_rgb8();
    let want = image::DynamicImage::ImageRgb8(stored)
        .rotate90()
        .into_rgb8();
    assert_eq!(got, want);
}

/// The shared test data, by the test kit's rules (`banana_testkit::shared_data`, which a unit
/// test of this crate cannot use): `BANANA_TEST_SHARED_DATA` when set and not empty, else
/// `../shared/data` beside the repository; when it is absent, `None` with a message, or a
/// failure under `BANANA_TEST_REQUIRE_ALL=1`.
fn shared_data() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("BANANA_TEST_SHARED_DATA")
        .filter(|d| !d.is_empty())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
        });
    if dir.is_dir() {
        return Some(dir);
    }
    let why = format!(
        "the shared test data {} is absent (set BANANA_TEST_SHARED_DATA)",
        dir.display()
    );
    assert!(
        std::env::var("BANANA_TEST_REQUIRE_ALL").as_deref() != Ok("1"),
        "{why} (BANANA_TEST_REQUIRE_ALL=1)"
    );
    eprintln!("skipping: {why}");
    None
}

fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Every real camera file that decodes: the copy decodes to the same oriented pixels, has no
/// GPS and keeps the orientation the decoders apply.
#[test]
fn real_camera_files_strip_to_the_same_pictures() {
    let Some(data) = shared_data() else { return };
    let mut files = Vec::new();
    files_under(&data.join("exif-samples"), &mut files);
    files.sort();
    let mut checked = 0;
    for path in files {
        let Ok(original) = std::fs::read(&path) else {
            continue;
        };
        let Ok(before) = decode(&original, &Limits::default()) else {
            continue; // the invalid samples are refused at upload
        };
        let copy = strip(&original, &Limits::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!has_gps(&copy.bytes), "{}", path.display());
        assert!(!has_artist(&copy.bytes), "{}", path.display());
        let after = decode(&copy.bytes, &Limits::default()).unwrap().image;
        if matches!(before.format, Format::Heif | Format::Avif) {
            // Re-encoded as JPEG: the same picture, within JPEG's loss.
            let (a, b) = (after.into_rgb8(), before.image.into_rgb8());
            assert_eq!(a.dimensions(), b.dimensions(), "{}", path.display());
            let diff: u64 = a
                .as_raw()
                .iter()
                .zip(b.as_raw())
                .map(|(x, y)| u64::from(x.abs_diff(*y)))
                .sum();
            let mean = diff as f64 / a.as_raw().len() as f64;
            assert!(mean < 3.0, "{}: {mean} levels off", path.display());
        } else {
            assert!(
                after.into_rgba8() == before.image.into_rgba8(),
                "{}: same oriented pixels",
                path.display()
            );
        }
        if before.format == Format::Jpeg {
            assert_eq!(jpeg_orientation(&copy.bytes), jpeg_orientation(&original));
        }
        checked += 1;
    }
    assert!(checked > 0, "no real file decoded");
    eprintln!("{checked} real files checked");
}

#[test]
fn the_real_tiff_sample_loses_its_artist() {
    let Some(data) = shared_data() else { return };
    let path = data.join("exif-samples/tiff/DudleyLeavittUtah.tiff");
    let original = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let artist = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&original))
        .unwrap()
        .get_field(exif::Tag::Artist, exif::In::PRIMARY)
        .map(|f| f.display_value().to_string())
        .expect("the sample has an Artist");
    let name = artist.trim_matches('"').to_string();
    assert!(original.windows(name.len()).any(|w| w == name.as_bytes()));
    let copy = strip(&original, &Limits::default()).unwrap();
    assert_eq!(copy.format, Format::Png);
    assert!(!copy.bytes.windows(name.len()).any(|w| w == name.as_bytes()));
    assert!(!has_artist(&copy.bytes));
    assert_eq!(oriented_rgba(&copy.bytes), oriented_rgba(&original));
}

#[test]
fn bmp_is_passed_through() {
    let mut bmp = Vec::new();
    image::DynamicImage::ImageRgb8(crafted::pixels(9, 7, 2))
        .write_to(&mut std::io::Cursor::new(&mut bmp), image::ImageFormat::Bmp)
        .unwrap();
    assert_eq!(strip(&bmp, &Limits::default()).unwrap().bytes, bmp);
}

#[test]
fn jpegs_with_too_many_scans_are_refused_before_decoding() {
    let many = crafted::jpeg_with_scans(crafted::MOST_SCANS);
    assert_eq!(crate::jpeg::scan_count(&many), Some(2647));
    for result in [
        crate::process(&many, &Limits::default()).map(|_| ()),
        crate::decode(&many, &Limits::default()).map(|_| ()),
        crate::preview_pixels(&many, &Limits::default()).map(|_| ()),
    ] {
        match result {
            Err(MediaError::Undecodable(m)) => assert!(m.contains("2647 scans"), "{m}"),
            other => panic!("expected a refusal, got {:?}", other.err()),
        }
    }
    // The limit is the limit: MAX_JPEG_SCANS scans of the same progression decode (mid-grey).
    let at_limit = crafted::jpeg_with_scans(crate::MAX_JPEG_SCANS);
    assert_eq!(
        crate::jpeg::scan_count(&at_limit),
        Some(crate::MAX_JPEG_SCANS)
    );
    let d = crate::decode(&at_limit, &Limits::default())
        .unwrap()
        .image
        .into_rgb8();
    assert_eq!(d.dimensions(), (8, 8));
    assert!(d
        .pixels()
        .all(|p| p.0.iter().all(|&v| v.abs_diff(128) <= 1)));
    crate::process(&at_limit, &Limits::default()).unwrap();
    // A progressive JPEG as libjpeg writes it (about ten scans) is fine.
    let normal = crafted::progressive_jpeg(&crafted::pixels(16, 16, 1));
    assert!(crate::jpeg::scan_count(&normal).unwrap() < 20);
    crate::process(&normal, &Limits::default()).unwrap();
}
