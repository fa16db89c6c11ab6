//! Search quality on the 1000 ImageNet sample images: semantic, keyword baseline, hybrid.
//!
//! ```text
//! cargo run --release -p banana-bench --example search_quality -- <imagenet-sample dir> [--threads N] [--ablation]
//! ```
//!
//! Classifies every image with banana-vision's `Classifier` (real decode + preprocess +
//! inference; predictions cached in a TSV next to this example's binary, keyed by the ONNX
//! file), builds image vectors with the `SemanticSpace`, runs the queries of
//! `crates/banana-search/data/queries.tsv` and prints mean P@10, nDCG@10 and recall@50 for:
//!
//! * **semantic**: the vector index alone;
//! * **keyword**: [`KeywordBaseline`], an in-memory stand-in for the database's full-text
//!   search, over each image's label names and synonyms (labels = top-1 plus classes with
//!   p >= 0.2), and a second variant that also indexes the labels' WordNet categories;
//! * **hybrid**: RRF (k = 60) of the semantic top-100 and the keyword ranking, exact label
//!   names first;
//!
//! then the same over the queries with at least 10 relevant images, a per-query table with the
//! semantic ranking's misses, and (with `--ablation`) other class-text recipes compared.

use std::process::ExitCode;

fn main() -> ExitCode {
    banana_bench::exit_code(banana_bench::engine_quality::run(std::env::args().skip(1)))
}
