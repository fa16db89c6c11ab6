//! Runs the face detector over a folder of images and prints, per file, the number of faces,
//! the detection time and the boxes, as tab-separated lines (for precision/recall against a
//! judged list); a summary goes to stderr.
//!
//! ```text
//! cargo run --release -p banana-vision --example face_eval -- DIR [--models full|short|both] [--threads N]
//! ```
//!
//! Models come from `BANANA_MODELS_DIR` (default `~/.cache/banana/models`), fetched if missing.
//! Output columns: file, faces, ms (detection only, decoding excluded), then
//! `score@x,y,w,h` per face (fractions of the image).

use std::path::PathBuf;
use std::time::Instant;

use banana_vision::faces::{FaceDetector, FaceModel};
use banana_vision::{decode_image, ensure_models, ModelId};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut models: &[FaceModel] = &[FaceModel::Full];
    let mut threads = 1;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--models" => {
                models = match args.next().as_deref() {
                    Some("full") => &[FaceModel::Full],
                    Some("short") => &[FaceModel::Short],
                    Some("both") => &[FaceModel::Full, FaceModel::Short],
                    other => return Err(format!("--models full|short|both, not {other:?}").into()),
                }
            }
            "--threads" => threads = args.next().ok_or("--threads N")?.parse()?,
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a}").into()),
        }
    }
    let dir = dir.ok_or("usage: face_eval DIR [--models full|short|both] [--threads N]")?;
    let paths = ensure_models(
        &banana_vision::dev_models_dir(),
        &[ModelId::BlazeFace],
        &|e| eprintln!("models: {e}"),
    )?;
    let det = FaceDetector::load(&paths, threads)?;

    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let (mut n, mut with_faces, mut faces_total, mut total_ms) = (0usize, 0usize, 0usize, 0f64);
    let mut times = Vec::new();
    for path in &files {
        let Ok(mut img) = decode_image(path) else {
            eprintln!("skipping {} (not an image)", path.display());
            continue;
        };
        if img.width().max(img.height()) > 1280 {
            img = image::imageops::thumbnail(&img, 1280, 1280);
        }
        let t = Instant::now();
        let faces = det.detect_with(&img, models)?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        // The first run includes ONNX Runtime's warm-up; keep it out of the summary.
        if n > 0 {
            total_ms += ms;
            times.push(ms);
        }
        n += 1;
        with_faces += usize::from(!faces.is_empty());
        faces_total += faces.len();
        let boxes: Vec<String> = faces
            .iter()
            .map(|f| {
                let [x, y, w, h] = f.bbox;
                format!("{:.3}@{x:.3},{y:.3},{w:.3},{h:.3}", f.score)
            })
            .collect();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        println!("{name}\t{}\t{ms:.2}\t{}", faces.len(), boxes.join(" "));
    }
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    eprintln!(
        "{n} images, {with_faces} with faces, {faces_total} faces; models {models:?}, {threads} thread(s): \
         mean {:.2} ms, median {median:.2} ms per image (after the first)",
        total_ms / (n.saturating_sub(1).max(1)) as f64
    );
    Ok(())
}
