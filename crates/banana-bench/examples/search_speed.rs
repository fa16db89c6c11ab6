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

use std::process::ExitCode;

fn main() -> ExitCode {
    banana_bench::exit_code(banana_bench::search_speed::run(std::env::args().skip(1)))
}
