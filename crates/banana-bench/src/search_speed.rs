//! Search speed: query embedding, and exact / int8+re-rank index search over random vectors.
//!
//! ```text
//! cargo run --release -p banana-bench --example search_speed -- \
//!     [--sizes 10000,100000,1000000] [--queries 200] [--threads 1,2] [--k 10] [--skip-embed] \
//!     [--dump DIR]
//! ```
//!
//! Vectors are 384-d unit vectors drawn with a fixed seed (`banana_search::random`), the
//! queries with another. `--dump DIR` writes, per size, `base-N.f32` and `queries-N.f32` (raw
//! little-endian f32, row-major) and `banana-top-N.txt` (the exact top-k row numbers per query)
//! so `bench/search/compare.sh` can run FAISS on the same data and check it finds the same rows.
//! Each measurement also prints a machine-readable `RESULT` line.
//!
//! `--serve` (one size) builds the index, writes the `--dump` files, prints `READY` and then
//! runs measurements on command from stdin (`exact T`, `int8 T`, `quit`), so a driver can
//! alternate them with another engine's in one run (see `bench/search/compare.py`).

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use banana_search::{
    random_unit_vectors, simd_kernel, Filter, FlatIndex, SemanticSpace, VectorIndex,
};
use banana_vision::{ModelId, TextEmbedder};

const DIM: usize = 384;
const BASE_SEED: u64 = 20_240_601;
const QUERY_SEED: u64 = 7;
const RERANK_FACTOR: usize = 10;

fn quantile(v: &[f64], q: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return 0.0;
    }
    let pos = q * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

fn list<T: std::str::FromStr>(s: &str) -> Vec<T> {
    s.split(',').filter_map(|x| x.trim().parse().ok()).collect()
}

fn write_f32(path: &PathBuf, data: &[f32]) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    for x in data {
        f.write_all(&x.to_le_bytes())?;
    }
    f.flush()
}

fn rss_mib() -> f64 {
    crate::status_mib("VmRSS:").unwrap_or(0.0)
}

fn embed_bench(queries: usize) -> Result<(), String> {
    let models = crate::bench_models(&[ModelId::MiniLmL6V2])?;
    let texts = [
        "a pet cat",
        "something to drink coffee from",
        "a vehicle for the snow",
        "musical instrument with strings",
        "a dangerous reptile",
        "breakfast food",
        "something to keep you dry in the rain",
        "an old red tractor parked in a field at sunset",
    ];
    for threads in [1usize, 2] {
        let embedder = TextEmbedder::load(&models, threads).map_err(|e| e.to_string())?;
        let started = Instant::now();
        let (space, _) =
            SemanticSpace::load_or_build_for(&embedder, &models).map_err(|e| e.to_string())?;
        let load_ms = started.elapsed().as_secs_f64() * 1e3;
        for t in texts {
            embedder.embed(&[t]).map_err(|e| e.to_string())?;
        }
        // Milliseconds per query over `queries` distinct texts.
        let timed = || -> Result<Vec<f64>, String> {
            (0..queries)
                .map(|i| {
                    let q = format!("{} number {i}", texts[i % texts.len()]);
                    let t = Instant::now();
                    space
                        .query_vector(&q, &embedder)
                        .map_err(|e| e.to_string())?;
                    Ok(t.elapsed().as_secs_f64() * 1e3)
                })
                .collect()
        };
        // First pass: distinct texts, so nothing is cached anywhere; second: the same texts.
        let ms = timed()?;
        let hit = timed()?;
        println!(
            "query embedding, {threads} thread(s): p50 {:.2} ms, p99 {:.2} ms over {queries} uncached queries; cache hit p50 {:.4} ms; class embeddings ready in {load_ms:.0} ms",
            quantile(&ms, 0.5),
            quantile(&ms, 0.99),
            quantile(&hit, 0.5),
        );
        println!(
            "RESULT embed threads={threads} p50={:.4} p99={:.4}",
            quantile(&ms, 0.5),
            quantile(&ms, 0.99)
        );
    }
    Ok(())
}

/// Runs every query once (after 5 warm-ups), prints the timings, returns the top-k ids.
fn measure(
    index: &FlatIndex,
    mode: &str,
    t: usize,
    queries: &[f32],
    k: usize,
    n: usize,
) -> Vec<Vec<String>> {
    let search = |q: &[f32]| {
        if mode == "exact" {
            index.search_exact(q, k, &Filter::All)
        } else {
            index.search_int8(q, k, RERANK_FACTOR, &Filter::All)
        }
        .expect("valid query")
    };
    for q in queries.chunks_exact(DIM).take(5) {
        search(q);
    }
    let nq = queries.len() / DIM;
    let mut ms = Vec::with_capacity(nq);
    let mut tops = Vec::with_capacity(nq);
    for q in queries.chunks_exact(DIM) {
        let t0 = Instant::now();
        let hits = search(q);
        ms.push(t0.elapsed().as_secs_f64() * 1e3);
        tops.push(hits.into_iter().map(|h| h.id).collect::<Vec<_>>());
    }
    let (p50, p99) = (quantile(&ms, 0.5), quantile(&ms, 0.99));
    println!("  {mode:5} {t} thread(s): p50 {p50:.3} ms, p99 {p99:.3} ms ({nq} queries, k={k})");
    println!("RESULT banana-{mode} n={n} threads={t} p50={p50:.4} p99={p99:.4}");
    tops
}

/// Runs the bench with command-line style arguments (without the program name), printing
/// its tables to stdout.
pub fn run<I: IntoIterator<Item = String>>(args: I) -> Result<(), String> {
    let mut sizes = vec![10_000usize, 100_000, 1_000_000];
    let mut nq = 200usize;
    let mut threads = vec![1usize, 2];
    let mut k = 10usize;
    let mut dump: Option<PathBuf> = None;
    let mut embed = true;
    let mut serve = false;
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--sizes" => {
                sizes = list::<usize>(&val()?)
                    .into_iter()
                    .filter(|&n| n > 0)
                    .collect()
            }
            "--queries" => nq = val()?.parse().map_err(|_| "bad --queries")?,
            "--threads" => threads = list(&val()?),
            "--k" => k = val()?.parse().map_err(|_| "bad --k")?,
            "--dump" => dump = Some(PathBuf::from(val()?)),
            "--skip-embed" => embed = false,
            "--serve" => serve = true,
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    println!("dot-product kernel: {}", simd_kernel());
    if embed {
        embed_bench(nq)?;
    }
    let queries = random_unit_vectors(nq, DIM, QUERY_SEED);
    for &n in &sizes {
        let started = Instant::now();
        let base = random_unit_vectors(n, DIM, BASE_SEED);
        let gen_s = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let mut index = FlatIndex::new(DIM);
        index.reserve(n);
        for (i, row) in base.chunks_exact(DIM).enumerate() {
            index
                .upsert(&i.to_string(), row)
                .map_err(|e| e.to_string())?;
        }
        let mut index = index.with_int8(RERANK_FACTOR);
        println!(
            "\nN = {n}: generated in {gen_s:.1} s, indexed (f32 + int8) in {:.1} s, {:.0} MiB of vectors, RSS {:.0} MiB",
            started.elapsed().as_secs_f64(),
            index.vector_bytes() as f64 / (1 << 20) as f64,
            rss_mib()
        );
        // Reference answers (untimed; also faults every page in).
        let exact_top: Vec<Vec<String>> = queries
            .chunks_exact(DIM)
            .map(|q| {
                let hits = index.search_exact(q, k, &Filter::All).expect("valid query");
                hits.into_iter().map(|h| h.id).collect()
            })
            .collect();
        let run_mode = |index: &mut FlatIndex, mode: &str, t: usize| {
            index.set_threads(t);
            let tops = measure(index, mode, t, &queries, k, n);
            let same: usize = tops
                .iter()
                .zip(&exact_top)
                .map(|(a, b)| a.iter().filter(|x| b.contains(x)).count())
                .sum();
            println!(
                "  {mode} recall@{k} vs exact {:.4}",
                same as f64 / (nq * k).max(1) as f64
            );
        };
        if let Some(dir) = &dump {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            write_f32(&dir.join(format!("base-{n}.f32")), &base).map_err(|e| e.to_string())?;
            write_f32(&dir.join(format!("queries-{n}.f32")), &queries)
                .map_err(|e| e.to_string())?;
            let text: String = exact_top.iter().map(|t| t.join(" ") + "\n").collect();
            std::fs::write(dir.join(format!("banana-top-{n}.txt")), text)
                .map_err(|e| e.to_string())?;
        }
        drop(base);
        if serve {
            println!("READY");
            std::io::stdout().flush().map_err(|e| e.to_string())?;
            for line in std::io::stdin().lines() {
                let line = line.map_err(|e| e.to_string())?;
                let mut w = line.split_whitespace();
                match (w.next(), w.next().and_then(|t| t.parse().ok())) {
                    (Some(mode @ ("exact" | "int8")), Some(t)) => run_mode(&mut index, mode, t),
                    (Some("quit"), _) | (None, _) => break,
                    _ => println!("ERROR unknown command {line:?}"),
                }
                std::io::stdout().flush().map_err(|e| e.to_string())?;
            }
            return Ok(());
        }
        for &t in &threads {
            for mode in ["exact", "int8"] {
                run_mode(&mut index, mode, t);
            }
        }
    }
    Ok(())
}
