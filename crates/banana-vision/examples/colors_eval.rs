//! Prints the dominant colours of every image in a folder and the time per image; then times
//! a 1280×960 image (the largest an ingest passes on).
//!
//! ```text
//! cargo run --release -p banana-vision --example colors_eval -- DIR
//! ```

use std::path::PathBuf;
use std::time::Instant;

use banana_vision::colors::dominant_colors;
use banana_vision::decode_image;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: colors_eval DIR")?);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let (mut n, mut total_ms) = (0usize, 0f64);
    let mut big = None;
    for path in &files {
        let Ok(img) = decode_image(path) else {
            continue;
        };
        let t = Instant::now();
        let colors = dominant_colors(&img);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        total_ms += ms;
        n += 1;
        let list: Vec<String> = colors
            .iter()
            .map(|c| format!("{}:{:.2}:{}", c.name, c.fraction, c.hex))
            .collect();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        println!("{name}\t{ms:.3}\t{}", list.join(" "));
        big.get_or_insert(img);
    }
    eprintln!(
        "{n} images: mean {:.3} ms per image",
        total_ms / n.max(1) as f64
    );
    if let Some(img) = big {
        let img = image::imageops::resize(&img, 1280, 960, image::imageops::FilterType::Triangle);
        let runs = 50;
        let t = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(dominant_colors(std::hint::black_box(&img)));
        }
        eprintln!(
            "1280x960: {:.3} ms per image (mean of {runs})",
            t.elapsed().as_secs_f64() * 1e3 / runs as f64
        );
    }
    Ok(())
}
