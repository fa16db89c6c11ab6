//! Calibrates the near-duplicate threshold (`banana_core::duplicates::DUPLICATE_THRESHOLD`)
//! on real photos: for each sampled ImageNet photo it makes the copies people end up with —
//! resized to half and to a quarter, recompressed at JPEG quality 40, cropped to 90 % and to
//! 80 % off-centre, rotated 3° — and compares their classifier feature vectors (1280-d,
//! L2-normalised, as the server stores them) with the original's (positives) and with every
//! other photo's (negatives: distinct photos, the hardest being of look-alike classes). It
//! prints precision and recall per threshold and per kind of copy.
//!
//! ```text
//! cargo run --release -p banana-bench --example calibrate_duplicates -- <imagenet-sample dir> [--photos N]
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use banana_vision::{decode_image, Classifier, ModelId};
use image::{imageops, RgbImage};

/// `banana_core::duplicates::DUPLICATE_THRESHOLD` (this crate does not depend on the domain).
const THRESHOLD: f32 = 0.80;

const KINDS: [&str; 6] = [
    "resize 50%",
    "resize 25%",
    "JPEG q40",
    "crop 90%",
    "crop 80% off-centre",
    "rotate 3°",
];

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut dir, mut photos) = (None, 200usize);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--photos" => photos = args.next().and_then(|v| v.parse().ok()).unwrap_or(200),
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: calibrate_duplicates <imagenet-sample dir> [--photos N]");
        return ExitCode::from(2);
    };
    banana_bench::exit_code(run(&dir, photos))
}

fn jpeg_roundtrip(img: &RgbImage, quality: u8) -> RgbImage {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .expect("encode");
    image::load_from_memory(&out).expect("decode").to_rgb8()
}

fn resize(img: &RgbImage, f: f64) -> RgbImage {
    let (w, h) = (
        (img.width() as f64 * f) as u32,
        (img.height() as f64 * f) as u32,
    );
    jpeg_roundtrip(
        &imageops::resize(img, w.max(1), h.max(1), imageops::FilterType::Lanczos3),
        85,
    )
}

fn crop(img: &RgbImage, f: f64, off_centre: bool) -> RgbImage {
    let (w, h) = (
        (img.width() as f64 * f) as u32,
        (img.height() as f64 * f) as u32,
    );
    let (x, y) = if off_centre {
        (img.width() - w, 0)
    } else {
        ((img.width() - w) / 2, (img.height() - h) / 2)
    };
    jpeg_roundtrip(&imageops::crop_imm(img, x, y, w, h).to_image(), 85)
}

/// Rotate by `deg` about the centre (bilinear), keeping the central part that has no corners.
fn rotate(img: &RgbImage, deg: f64) -> RgbImage {
    let (w, h) = (img.width() as f64, img.height() as f64);
    let (s, c) = deg.to_radians().sin_cos();
    let mut out = RgbImage::new(img.width(), img.height());
    for (x, y, p) in out.enumerate_pixels_mut() {
        let (dx, dy) = (x as f64 - w / 2.0, y as f64 - h / 2.0);
        let (sx, sy) = (c * dx + s * dy + w / 2.0, -s * dx + c * dy + h / 2.0);
        let (x0, y0) = (
            sx.floor().clamp(0.0, w - 2.0),
            sy.floor().clamp(0.0, h - 2.0),
        );
        let (fx, fy) = ((sx - x0).clamp(0.0, 1.0), (sy - y0).clamp(0.0, 1.0));
        for ch in 0..3 {
            let at = |xx: f64, yy: f64| img.get_pixel(xx as u32, yy as u32)[ch] as f64;
            let v = at(x0, y0) * (1.0 - fx) * (1.0 - fy)
                + at(x0 + 1.0, y0) * fx * (1.0 - fy)
                + at(x0, y0 + 1.0) * (1.0 - fx) * fy
                + at(x0 + 1.0, y0 + 1.0) * fx * fy;
            p[ch] = v.round() as u8;
        }
    }
    crop(&out, 0.9, false)
}

fn copies(img: &RgbImage) -> Vec<RgbImage> {
    vec![
        resize(img, 0.5),
        resize(img, 0.25),
        jpeg_roundtrip(img, 40),
        crop(img, 0.9, false),
        crop(img, 0.8, true),
        rotate(img, 3.0),
    ]
}

fn unit(mut v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= n);
    v
}

fn run(dir: &Path, photos: usize) -> Result<(), String> {
    let chosen = THRESHOLD;
    let models = banana_bench::bench_models(&[ModelId::EfficientNetLite0])?;
    let classifier = Classifier::load(&models, 2).map_err(|e| e.to_string())?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("jpeg"))
        })
        .collect();
    files.sort();
    let step = (files.len() / photos.max(1)).max(1);
    let files: Vec<PathBuf> = files.into_iter().step_by(step).take(photos).collect();
    let features = |img: &RgbImage| -> Result<Vec<f32>, String> {
        let p = classifier
            .classify_batch(std::slice::from_ref(img))
            .map_err(|e| e.to_string())?;
        Ok(unit(p.into_iter().next().expect("one prediction").features))
    };
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    let mut originals = Vec::new();
    let mut positives: Vec<(usize, f32)> = Vec::new(); // (kind, similarity)
    for f in &files {
        let img = decode_image(f).map_err(|e| e.to_string())?;
        let o = features(&img)?;
        for (k, c) in copies(&img).iter().enumerate() {
            positives.push((k, dot(&o, &features(c)?)));
        }
        originals.push(o);
    }
    let mut negatives = Vec::new();
    for i in 0..originals.len() {
        for j in i + 1..originals.len() {
            negatives.push(dot(&originals[i], &originals[j]));
        }
    }
    negatives.sort_by(|a, b| b.total_cmp(a));
    println!(
        "photos={} copies={} distinct pairs={} hardest distinct pair={:.4}",
        files.len(),
        positives.len(),
        negatives.len(),
        negatives.first().copied().unwrap_or(0.0)
    );
    println!(
        "threshold  recall  precision  false pairs (of {})",
        negatives.len()
    );
    for t in [0.60f32, 0.65, 0.70, 0.75, 0.78, 0.80, 0.85, 0.90] {
        let tp = positives.iter().filter(|(_, s)| *s >= t).count();
        let fp = negatives.iter().filter(|s| **s >= t).count();
        let precision = if tp + fp == 0 {
            1.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        println!(
            "{t:.2}       {:.3}   {:.4}     {fp}",
            tp as f64 / positives.len() as f64,
            precision
        );
    }
    println!("recall per kind of copy at {chosen:.2} (the server's threshold), and its lowest similarity:");
    for (k, name) in KINDS.iter().enumerate() {
        let of: Vec<f32> = positives
            .iter()
            .filter(|(kk, _)| *kk == k)
            .map(|(_, s)| *s)
            .collect();
        let hit = of.iter().filter(|s| **s >= chosen).count();
        let min = of.iter().copied().fold(1.0f32, f32::min);
        println!(
            "  {name:<22} {:.3}  (min {min:.3})",
            hit as f64 / of.len() as f64
        );
    }
    println!(
        "five most similar distinct pairs: {:?}",
        &negatives[..negatives.len().min(5)]
    );
    Ok(())
}
