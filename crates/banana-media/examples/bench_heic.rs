//! HEIC decode time per photo: `banana_media::decode` (libheif through our binding, the full
//! image as RGB) and `banana_media::process` (decode + preview + thumbnail JPEGs, what an
//! upload costs), each file `--runs` times, median ms per file and the mean over files.
//! `bench/heic/compare.sh` runs it beside libheif's own `heif-convert` on the same files.
//!
//! Usage: bench_heic [--runs N] FILE...

use std::time::Instant;

use banana_media::{decode, process, Limits};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 5;
    if let Some(i) = args.iter().position(|a| a == "--runs") {
        runs = args[i + 1].parse().expect("--runs N");
        args.drain(i..i + 2);
    }
    let (version, hevc, av1) = banana_media::heif::library_info();
    println!("libheif {version} (HEVC decoder: {hevc}, AV1 decoder: {av1}); {runs} runs per file");
    let limits = Limits::default();
    let (mut decode_sum, mut process_sum, mut megapixels) = (0.0, 0.0, 0.0);
    for path in &args {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut decode_ms = Vec::new();
        let mut process_ms = Vec::new();
        let mut mp = 0.0;
        for _ in 0..runs {
            let t = Instant::now();
            let d = decode(&bytes, &limits).unwrap_or_else(|e| panic!("{path}: {e}"));
            decode_ms.push(t.elapsed().as_secs_f64() * 1e3);
            mp = f64::from(d.image.width()) * f64::from(d.image.height()) / 1e6;
            drop(d);
            let t = Instant::now();
            process(&bytes, &limits).unwrap_or_else(|e| panic!("{path}: {e}"));
            process_ms.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let (d, p) = (median(decode_ms), median(process_ms));
        println!("{path}\t{mp:.1} MP\tdecode_ms={d:.0}\tprocess_ms={p:.0}");
        decode_sum += d;
        process_sum += p;
        megapixels += mp;
    }
    let n = args.len().max(1) as f64;
    println!(
        "mean over {} files ({:.1} MP each): decode_ms={:.0} process_ms={:.0} decode_ms_per_12mp={:.0}",
        args.len(),
        megapixels / n,
        decode_sum / n,
        process_sum / n,
        decode_sum / megapixels.max(1e-9) * 12.0
    );
}
