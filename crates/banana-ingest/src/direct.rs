//! Importing straight into a store through the pipeline (no HTTP): the folder walk, progress,
//! Ctrl-C, and a [`Sink`]. With a sink over Banana's core service this is `banana import
//! --direct`; with a [`crate::LocalSink`] it is what the bench runs.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use banana_vision::Classifier;

use crate::pipeline::{run, walk_files, FileResult, Options, Outcome, RunSummary, Sink};
use crate::progress::Progress;

/// Imports every image file under `paths` into `sink`, labelling with `classifiers` (one
/// inference thread each; empty: no labels). `progress` is called after each file, `on_result`
/// with each file's result. If `opts.stop` is set (e.g. by a Ctrl-C handler) no new file
/// starts; files already read finish.
pub fn import_direct(
    paths: &[PathBuf],
    opts: &Options,
    classifiers: &[Classifier],
    sink: &dyn Sink,
    progress: &mut dyn FnMut(&Progress),
    on_result: &mut dyn FnMut(&FileResult),
) -> RunSummary {
    let exts = opts.extensions.clone();
    // Totals for the ETA: a first pass over names and sizes only.
    let (mut files_total, mut bytes_total) = (0u64, 0u64);
    for f in walk_files(paths, exts.as_deref()).flatten() {
        files_total += 1;
        bytes_total += std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
    }
    let mut p = Progress {
        files_total,
        bytes_total,
        ..Progress::default()
    };
    let start = Instant::now();
    run(
        walk_files(paths, exts.as_deref()),
        opts,
        classifiers,
        sink,
        &mut |r| {
            p.files_done += 1;
            p.bytes_done += r.bytes;
            match r.outcome {
                Outcome::Imported { .. } => p.imported += 1,
                Outcome::Duplicate { .. } => p.duplicates += 1,
                Outcome::Rejected { .. } => p.rejected += 1,
                Outcome::Failed { .. } => p.failed += 1,
            }
            p.elapsed = start.elapsed();
            progress(&p);
            on_result(r);
        },
    )
}

/// A flag set by the first Ctrl-C (SIGINT), for [`Options::stop`]. Needs a Tokio runtime.
pub fn stop_on_ctrl_c(handle: &tokio::runtime::Handle) -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    handle.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("stopping: no new files; finishing those in progress");
            flag.store(true, Ordering::SeqCst);
        }
    });
    stop
}
