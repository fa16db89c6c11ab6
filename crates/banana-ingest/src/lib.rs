//! Bulk ingest for Banana.
//!
//! - [`pipeline`]: read + hash → decode + derive + preprocess (N workers) → batched inference →
//!   store, overlapped on all cores with bounded queues, per-stage timings, bounded memory.
//! - [`LocalSink`]: stores into a content-addressed folder (the bench's like-for-like store).
//! - [`bench_ingest`]: images/s, per-stage medians, top-1 per file, peak RSS.
//! - [`import_http`]: the import client that uploads a folder tree to a Banana server;
//!   [`import_direct`]: the same through the pipeline into a [`Sink`].

pub mod bench;
pub mod direct;
pub mod http;
pub mod local;
pub mod pipeline;
pub mod progress;
pub mod stats;

pub use bench::{bench_ingest, peak_rss_mib, BenchOptions, BenchReport};
pub use direct::{import_direct, stop_on_ctrl_c};
pub use http::{import_http, HttpImportOptions, ImportSummary};
pub use local::LocalSink;
pub use pipeline::{
    run, walk_files, FileResult, FileTimings, Options, Outcome, Prepared, RunSummary, Sink,
    StageStats,
};
pub use progress::{Progress, ProgressBar};
