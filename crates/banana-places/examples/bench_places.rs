//! How long the place index takes to build and a lookup takes: `cargo run --release -p
//! banana-places --example bench_places [N]` (N lookups at positions spread over the land and
//! sea between 60° S and 70° N; prints the build time, µs per lookup, and how many had a place).

use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let t = Instant::now();
    banana_places::warm();
    let build = t.elapsed();
    // A deterministic spread of positions (a low-discrepancy walk over the globe).
    let positions: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let f = i as f64;
            let lat = -60.0 + 130.0 * ((f * 0.618_033_988_75) % 1.0);
            let lon = -180.0 + 360.0 * ((f * 0.754_877_666_25) % 1.0);
            (lat, lon)
        })
        .collect();
    let t = Instant::now();
    let mut placed = 0usize;
    for &(lat, lon) in &positions {
        if banana_places::lookup(lat, lon).is_some() {
            placed += 1;
        }
    }
    let per = t.elapsed().as_secs_f64() * 1e6 / n as f64;
    println!(
        "index_build_ms={:.1} lookups={n} us_per_lookup={per:.2} with_place={placed}",
        build.as_secs_f64() * 1e3
    );
}
