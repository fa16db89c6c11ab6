//! Bulk ingest for Banana.
//!
//! - [`pipeline`]: read + hash → decode + derive + preprocess (N workers) → batched inference →
//!   store, overlapped on all cores with bounded queues, per-stage timings, bounded memory.
//! - [`LocalSink`]: stores into a content-addressed folder (the like-for-like store of the
//!   ingest bench, `banana_bench::ingest`).
//! - [`import_http`]: the import client that uploads a folder tree to a Banana server;
//!   [`import_direct`]: the same through the pipeline into a [`Sink`].

pub mod direct;
pub mod http;
pub mod local;
pub mod pipeline;
pub mod progress;
pub mod stats;

pub use direct::{import_direct, stop_on_ctrl_c};
pub use http::{import_http, HttpImportOptions, ImportSummary};
pub use local::LocalSink;
pub use pipeline::{
    run, walk_files, FileResult, FileTimings, Options, Outcome, Prepared, RunSummary, Sink,
    StageStats,
};
pub use progress::{Progress, ProgressBar};
