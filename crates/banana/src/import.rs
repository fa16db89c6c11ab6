//! `banana import`: a folder (or files) into Banana, over HTTP to a running server or directly
//! into the configured database and storage through the ingest pipeline.
//!
//! Both modes skip content the owner already has (by SHA-256, before decoding or uploading), so
//! running the same command again resumes an interrupted import. Ctrl-C stops starting new
//! files; the ones in progress finish, and each is stored whole or not at all (objects first,
//! then the row in one transaction).

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use anyhow::Context;
use banana_core::images::Upload;
use banana_core::{App, Config, CoreError};
use banana_ingest::pipeline::{Outcome, Prepared, Sink};
use banana_ingest::progress::{Progress, ProgressBar};
use banana_vision::Prediction;

/// Stores pipeline output through the core service (same checks and write order as uploads).
pub struct CoreSink {
    pub app: Arc<App>,
    pub owner_id: String,
    pub visibility: Option<String>,
    pub handle: tokio::runtime::Handle,
}

impl Sink for CoreSink {
    fn existing(&self, sha256: &str) -> Result<Option<String>, String> {
        self.handle
            .block_on(self.app.find_duplicate(&self.owner_id, sha256))
            .map_err(|e| e.to_string())
    }

    fn store(&self, item: Prepared, prediction: Option<&Prediction>) -> Result<Outcome, String> {
        let upload = Upload {
            filename: item
                .path
                .file_name()
                .map(|n| n.to_string_lossy().to_string()),
            file_modified_ms: banana_ingest::modified_ms(&item.path),
            bytes: item.bytes.into(),
            owner_id: self.owner_id.clone(),
            visibility: self.visibility.clone(),
            ..Upload::default()
        };
        let prepared = match self.app.prepared_from(
            upload,
            item.sha256,
            item.derived,
            item.metadata,
            item.place,
        ) {
            Ok(p) => p,
            Err(e) => {
                return Ok(Outcome::Rejected {
                    reason: e.to_string(),
                })
            }
        };
        // The pipeline classified the preview's pixels on its own sessions: that is the
        // classifier analyzer's result, stored by the same function as every other path's.
        let results = prediction
            .map(|p| vec![banana_core::analysis::classifier::result(p.clone())])
            .unwrap_or_default();
        match self
            .handle
            .block_on(self.app.commit_prepared(prepared, results))
        {
            Ok(view) => Ok(Outcome::Imported { id: view.id }),
            Err(CoreError::Duplicate { image_id }) => Ok(Outcome::Duplicate { existing: image_id }),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Runs `banana import`: over HTTP when `server` is given, else directly as `owner`.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    config: Config,
    paths: Vec<PathBuf>,
    server: Option<String>,
    token: Option<String>,
    parallel: usize,
    owner: Option<String>,
    visibility: Option<String>,
) -> anyhow::Result<()> {
    if let Some(v) = visibility.as_deref() {
        anyhow::ensure!(
            v == "private" || v == "public",
            "--visibility must be private or public, not {v:?}"
        );
    }
    match server {
        Some(server) => over_http(paths, server, token, parallel, visibility).await,
        None => {
            let owner = owner.context(
                "direct import needs --owner USERNAME (or --server URL to go through a server)",
            )?;
            direct(config, paths, owner, visibility).await
        }
    }
}

async fn over_http(
    paths: Vec<PathBuf>,
    server: String,
    token: Option<String>,
    parallel: usize,
    visibility: Option<String>,
) -> anyhow::Result<()> {
    let bar = ProgressBar::new();
    let mut opts = banana_ingest::http::HttpImportOptions::new(&server);
    opts.token = token;
    opts.parallel = parallel.max(1);
    opts.visibility = visibility;
    let summary =
        banana_ingest::http::import_http_with(&paths, &opts, &mut |p| bar.update(p)).await?;
    bar.finish();
    print_summary(
        summary.imported.len(),
        summary.duplicates.len(),
        &summary.rejected,
        &summary.failed,
    );
    if summary.interrupted {
        print_interrupted(summary.not_started);
    }
    anyhow::ensure!(summary.failed.is_empty(), "some uploads failed");
    Ok(())
}

async fn direct(
    config: Config,
    paths: Vec<PathBuf>,
    owner: String,
    visibility: Option<String>,
) -> anyhow::Result<()> {
    let app = App::build(config, true).await?;
    app.seed_labels().await?;
    let owner_id = app.user_id_by_name(&owner).await?;
    let handle = tokio::runtime::Handle::current();
    let stop = banana_ingest::direct::stop_on_ctrl_c(&handle);
    let opts = banana_ingest::pipeline::Options {
        stop: Some(stop.clone()),
        ..Default::default()
    };
    // One session with one thread per worker: every core runs one whole chain.
    let workers = opts.workers.max(1);
    let models_dir = app.config.models_dir.clone();
    let classifiers =
        tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<banana_vision::Classifier>> {
            let paths = banana_core::models::fetch_all(&models_dir, &|e| eprintln!("  {e}"))?;
            (0..workers)
                .map(|_| Ok(banana_vision::Classifier::load(&paths, 1)?))
                .collect()
        })
        .await??;
    let sink = CoreSink {
        app: app.clone(),
        owner_id,
        visibility,
        handle,
    };
    let (summary, rejected, failed, last) = tokio::task::spawn_blocking(move || {
        let bar = ProgressBar::new();
        let (mut rejected, mut failed) = (Vec::new(), Vec::new());
        let mut last = Progress::default();
        let summary = banana_ingest::direct::import_direct(
            &paths,
            &opts,
            &classifiers,
            &sink,
            &mut |p| {
                bar.update(p);
                last = p.clone();
            },
            &mut |r| match &r.outcome {
                Outcome::Rejected { reason } => rejected.push((r.path.clone(), reason.clone())),
                Outcome::Failed { reason } => failed.push((r.path.clone(), reason.clone())),
                _ => {}
            },
        );
        bar.finish();
        (summary, rejected, failed, last)
    })
    .await?;
    print_summary(
        summary.imported as usize,
        summary.duplicates as usize,
        &rejected,
        &failed,
    );
    if stop.load(Ordering::SeqCst) {
        print_interrupted(last.files_total.saturating_sub(summary.files));
    }
    app.db.close().await;
    anyhow::ensure!(failed.is_empty(), "some files could not be stored");
    Ok(())
}

fn print_interrupted(not_started: u64) {
    println!("interrupted: {not_started} files not started (run the same command again to resume)");
}

/// Print the summary lines of an import.
pub fn print_summary(
    imported: usize,
    duplicates: usize,
    rejected: &[(PathBuf, String)],
    failed: &[(PathBuf, String)],
) {
    println!(
        "imported {imported}, duplicates skipped {duplicates}, rejected {}, failed {}",
        rejected.len(),
        failed.len()
    );
    for (path, reason) in rejected {
        println!("  rejected {}: {reason}", path.display());
    }
    for (path, reason) in failed {
        println!("  failed {}: {reason}", path.display());
    }
}
