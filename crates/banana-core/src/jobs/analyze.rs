//! The analysis the `label` and `reanalyze` jobs share: take each image's prepared inputs (kept by its upload,
//! or prepared from the stored original: its bytes and the preview's pixels re-derived by the
//! code the upload ran, `banana_media::preview_pixels`), run each analyzer once over the whole
//! batch off the async runtime, and store every image's results with
//! [`App::store_analysis`] in the transaction that completes its job.
//!
//! One original is in memory at a time (its prepared inputs are kept, the pixels dropped).
//! Decodes share the per-core bound with uploads. A job whose image is gone is done; one that
//! cannot be read, decoded or analysed records a failed attempt with the reason.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use banana_db::images::{self as q, ImageRow};
use banana_db::{jobs, labels};
use banana_storage::keys;

use super::JobContext;
use crate::analysis::{self, AnalysisResult, Analyzer, Prepared, Source};
use crate::{App, CoreError};

/// One claimed job's analysis.
pub(crate) struct Work {
    pub job: jobs::Job,
    pub image_id: String,
    /// The analyzers to run on it, in registration order.
    pub analyzers: Vec<&'static dyn Analyzer>,
    /// The image's first analysis (its upload's job): failing for good marks the image
    /// `failed`, and the wait since the upload is measured.
    pub first: bool,
}

struct Item {
    work: Work,
    row: ImageRow,
    /// Per analyzer of `work.analyzers`: its input, until it ran.
    inputs: Vec<Option<Prepared>>,
    results: Vec<AnalysisResult>,
    failed: bool,
}

impl App {
    /// Analyse the images of these jobs and complete or fail each job.
    pub(crate) async fn analyze(
        &self,
        ctx: &JobContext<'_>,
        work: Vec<Work>,
    ) -> Result<(), CoreError> {
        if work.is_empty() {
            return Ok(());
        }
        let started = Instant::now();
        let mut items = Vec::with_capacity(work.len());
        for w in work {
            let Some(row) = q::get(&self.db, &w.image_id).await? else {
                ctx.complete(&w.job).await?;
                continue;
            };
            match self.prepare_inputs(&row, &w.analyzers).await? {
                Ok(inputs) => items.push(Item {
                    work: w,
                    row,
                    inputs,
                    results: Vec::new(),
                    failed: false,
                }),
                Err(reason) => self.analysis_failed(ctx, &w, &reason).await?,
            }
        }

        // Each analyzer once over every image that needs it.
        let mut analyzers: Vec<&'static dyn Analyzer> = Vec::new();
        for a in analysis::all() {
            if items
                .iter()
                .any(|i| i.work.analyzers.iter().any(|b| b.name() == a.name()))
            {
                analyzers.push(*a);
            }
        }
        let mut ran = false;
        for analyzer in analyzers {
            let mut at = Vec::new();
            let mut inputs = Vec::new();
            for (n, item) in items.iter_mut().enumerate() {
                if item.failed {
                    continue;
                }
                if let Some(k) = item
                    .work
                    .analyzers
                    .iter()
                    .position(|b| b.name() == analyzer.name())
                {
                    if let Some(input) = item.inputs[k].take() {
                        at.push(n);
                        inputs.push(input);
                    }
                }
            }
            if inputs.is_empty() {
                continue;
            }
            let outcome = match analyzer.model(self) {
                Some(model) => {
                    ran = true;
                    let expected = inputs.len();
                    tokio::task::spawn_blocking(move || {
                        let results = analyzer.run(&model, inputs);
                        // What the run freed (its inputs, the runtime's tensors) goes back
                        // to the system rather than waiting in the allocator's arenas.
                        banana_vision::memory::give_back_free_memory();
                        results
                    })
                    .await?
                    .and_then(|r| {
                        if r.len() == expected {
                            Ok(r)
                        } else {
                            Err(format!("{}: wrong number of results", analyzer.name()))
                        }
                    })
                }
                None => Err(format!("{}: model not loaded", analyzer.name())),
            };
            match outcome {
                Ok(results) => {
                    for (n, r) in at.into_iter().zip(results) {
                        items[n].results.push(r);
                    }
                }
                Err(reason) => {
                    for n in at {
                        items[n].failed = true;
                        self.analysis_failed(ctx, &items[n].work, &reason).await?;
                    }
                }
            }
        }
        if ran {
            self.metrics.label_batch.observe(started.elapsed());
        }

        // Search data before any transaction opens, then one transaction per image.
        let mut stores = Vec::with_capacity(items.len());
        for item in items.into_iter().filter(|i| !i.failed) {
            let s = self.to_store(&item.row, item.results).await;
            stores.push((item.work, item.row, s));
        }
        for (work, row, s) in stores {
            let mut tx = self.db.begin().await?;
            let exists = self.store_analysis(&mut tx, &s).await?;
            if ctx.complete_in(&mut tx, &work.job).await? {
                tx.commit().await?;
                if exists {
                    self.index_analysis(&s);
                }
                self.worker_stats.jobs_done.fetch_add(1, Ordering::Relaxed);
                self.worker_stats
                    .images_labeled
                    .fetch_add(1, Ordering::Relaxed);
                if work.first {
                    let waited = banana_db::now_ms().saturating_sub(row.created_at).max(0);
                    self.metrics
                        .label_delay
                        .observe(Duration::from_millis(waited as u64));
                }
            } else {
                // Our lease ran out and another worker owns the job now: leave it to them.
                tx.rollback().await?;
            }
        }
        Ok(())
    }

    /// Every analyzer's input for one image: kept by its upload, else prepared from the
    /// stored original (read and decoded once for all of them). `Err` is the failure reason.
    async fn prepare_inputs(
        &self,
        row: &ImageRow,
        analyzers: &[&'static dyn Analyzer],
    ) -> Result<Result<Vec<Option<Prepared>>, String>, CoreError> {
        let mut inputs: Vec<Option<Prepared>> =
            analyzers.iter().map(|a| a.kept(self, &row.id)).collect();
        if inputs.iter().all(Option::is_some) {
            return Ok(Ok(inputs));
        }
        let original = match self.storage.get_bytes(&keys::original(&row.sha256)).await {
            Ok(bytes) => bytes,
            Err(e) => return Ok(Err(format!("reading the original: {e}"))),
        };
        let limits = self.limits();
        let missing: Vec<(usize, &'static dyn Analyzer)> = analyzers
            .iter()
            .enumerate()
            .filter(|(n, _)| inputs[*n].is_none())
            .map(|(n, a)| (n, *a))
            .collect();
        // Under the same bound on concurrent decodes as uploads.
        let prepared = {
            let _permit = self.decode_permit().await?;
            tokio::task::spawn_blocking(move || {
                let preview = banana_media::preview_pixels(&original, &limits)
                    .map_err(|e| format!("decoding: {e}"))?;
                let source = Source {
                    bytes: &original,
                    preview: &preview,
                };
                missing
                    .into_iter()
                    .map(|(n, a)| a.prepare(&source).map(|p| (n, p)))
                    .collect::<Result<Vec<_>, String>>()
            })
            .await?
        };
        Ok(prepared.map(|done| {
            for (n, p) in done {
                inputs[n] = Some(p);
            }
            inputs
        }))
    }

    async fn analysis_failed(
        &self,
        ctx: &JobContext<'_>,
        work: &Work,
        error: &str,
    ) -> Result<(), CoreError> {
        tracing::warn!(
            job = work.job.id,
            image.id = work.image_id,
            error,
            "analysis failed"
        );
        if ctx.fail(&work.job, error).await? && work.first {
            // Users see the reason, not the detail (object-store endpoints, keys): that stays
            // in the log above and in the job row.
            let reason = crate::view::public_status_reason(error);
            labels::set_failed(self.db.pool(), &work.image_id, &reason).await?;
        }
        Ok(())
    }
}
