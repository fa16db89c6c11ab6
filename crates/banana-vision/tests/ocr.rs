//! PP-OCRv4 on the rendered fixtures in `tests/data` (see `make_ocr_fixtures.py`).

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use banana_vision::ocr::{Ocr, TextLine};

fn ocr() -> &'static Ocr {
    static OCR: OnceLock<Ocr> = OnceLock::new();
    OCR.get_or_init(|| Ocr::load(common::ocr_models(), 2).expect("load OCR"))
}

fn fixture(name: &str) -> image::RgbImage {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    image::open(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgb8()
}

fn words(s: &str) -> String {
    s.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_in_unit(line: &TextLine) {
    let [x, y, w, h] = line.bbox;
    assert!(x >= 0.0 && y >= 0.0 && w > 0.0 && h > 0.0, "{line:?}");
    assert!(x + w <= 1.0 + 1e-4 && y + h <= 1.0 + 1e-4, "{line:?}");
}

/// Whether `got` covers the drawn text box `want` (both `[x, y, w, h]`), with `tol` slack.
fn around(got: [f32; 4], want: [f32; 4], tol: f32) -> bool {
    (got[0] - want[0]).abs() <= tol
        && (got[1] - want[1]).abs() <= tol
        && (got[0] + got[2] - want[0] - want[2]).abs() <= tol
        && (got[1] + got[3] - want[1] - want[3]).abs() <= tol
}

#[test]
fn sign_reads_fresh_bakery() {
    let lines = ocr().read(&fixture("ocr_sign.jpg")).unwrap();
    eprintln!("{lines:#?}");
    assert_eq!(lines.len(), 1, "{lines:?}");
    let line = &lines[0];
    assert_eq!(words(&line.text), "fresh bakery");
    assert!(line.score > 0.8, "{line:?}");
    assert_in_unit(line);
    // Drawn at [0.16, 0.333, 0.679, 0.082].
    assert!(
        around(line.bbox, [0.16, 0.333, 0.679, 0.082], 0.04),
        "{line:?}"
    );
}

#[test]
fn receipt_lines_come_in_order() {
    let lines = ocr().read(&fixture("ocr_receipt.jpg")).unwrap();
    eprintln!("{lines:#?}");
    let want = [
        "CORNER SHOP",
        "MILK 1.20",
        "BREAD 2.50",
        "APPLES 3.10",
        "TOTAL 6.80",
        "THANK YOU",
    ];
    assert_eq!(lines.len(), want.len(), "{lines:?}");
    for (i, (line, want)) in lines.iter().zip(want).enumerate() {
        // The recogniser may drop the space between a word and a number.
        let squash = |s: &str| s.to_lowercase().replace(' ', "");
        assert_eq!(squash(&line.text), squash(want), "{line:?}");
        assert_in_unit(line);
        // Drawn at x 0.234, y 0.125 + 0.125 i, height 0.025.
        let y = 0.125 + 0.125 * i as f32;
        assert!(
            (line.bbox[0] - 0.234).abs() < 0.03 && (line.bbox[1] - y).abs() < 0.03,
            "{line:?}"
        );
    }
}

#[test]
fn photo_without_text_has_no_lines() {
    let lines = ocr().read(&fixture("ocr_notext.jpg")).unwrap();
    assert!(lines.len() <= 1, "{lines:?}");
}

/// A sign in one corner of a 1280 px photo: the quick look finds it and the full run reads
/// it in a window around it; the box comes back in the whole photo's coordinates.
#[test]
fn a_small_sign_in_a_large_photo_is_read_where_it_is() {
    use image::imageops::{overlay, resize, FilterType};
    let mut photo = resize(&fixture("ocr_notext.jpg"), 1280, 960, FilterType::Triangle);
    let sign = resize(&fixture("ocr_sign.jpg"), 480, 360, FilterType::Triangle);
    overlay(&mut photo, &sign, 760, 560);
    let lines = ocr().read(&photo).unwrap();
    eprintln!("{lines:#?}");
    let line = lines
        .iter()
        .find(|l| words(&l.text) == "fresh bakery")
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert_in_unit(line);
    // Drawn at [0.16, 0.333, 0.679, 0.082] of the sign, which covers x 760..1240, y 560..920.
    let want = [
        (760.0 + 0.16 * 480.0) / 1280.0,
        (560.0 + 0.333 * 360.0) / 960.0,
        0.679 * 480.0 / 1280.0,
        0.082 * 360.0 / 960.0,
    ];
    assert!(around(line.bbox, want, 0.02), "{line:?} vs {want:?}");
}

#[test]
fn timings() {
    let ocr = ocr();
    for name in ["ocr_sign.jpg", "ocr_receipt.jpg", "ocr_notext.jpg"] {
        let img = fixture(name);
        ocr.read(&img).unwrap(); // warm-up
        let t = Instant::now();
        let quads = ocr.detect(&img).unwrap();
        let det = t.elapsed();
        let t = Instant::now();
        let lines = ocr.recognize(&img, &quads).unwrap();
        let rec = t.elapsed();
        eprintln!(
            "{name} {}x{}: detection {:.1} ms ({} boxes), classification+recognition {:.1} ms ({} lines)",
            img.width(),
            img.height(),
            det.as_secs_f64() * 1e3,
            quads.len(),
            rec.as_secs_f64() * 1e3,
            lines.len()
        );
    }
}
