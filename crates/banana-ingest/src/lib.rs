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

/// A file's modification time in milliseconds since the epoch (the date taken of a photo
/// whose file says nothing), when the file system knows it.
pub fn modified_ms(path: &std::path::Path) -> Option<i64> {
    let t = std::fs::metadata(path).ok()?.modified().ok()?;
    let d = t.duration_since(std::time::UNIX_EPOCH).ok()?;
    i64::try_from(d.as_millis()).ok()
}

/// RFC 3339 UTC (`2019-07-04T12:00:00.000Z`) of a time in ms since the epoch.
pub fn rfc3339_ms(ms: i64) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_millis(t).to_string()
}

#[cfg(test)]
mod time_tests {
    #[test]
    fn rfc3339_of_known_instants() {
        assert_eq!(super::rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            super::rfc3339_ms(1_795_000_000_123),
            "2026-11-18T11:06:40.123Z"
        );
        assert_eq!(
            super::rfc3339_ms(951_782_400_000),
            "2000-02-29T00:00:00.000Z"
        );
    }
}
