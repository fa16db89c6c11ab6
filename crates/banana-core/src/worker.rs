//! Labeling workers: claim `label` jobs from the database in batches, take each image's
//! classifier input (kept by the upload, or re-derived from the original: the preview's pixels,
//! exactly what the import pipeline classifies), classify them off the async runtime in one
//! inference batch, and store the top-5, the attached
//! labels and the pooled feature vector in the same transaction that completes the job.
//!
//! Crash-safe: a job is held under a lease; a worker that dies lets the lease run out and the
//! job is claimed again. Jobs are idempotent (a rerun replaces the same rows).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use banana_db::labels::{self, StoredPrediction};
use banana_db::{images as q, jobs};
use banana_storage::keys;
use banana_vision::preprocess::INPUT_LEN;
use banana_vision::Prediction;
use tokio::sync::watch;

use crate::images::LABEL_JOB;
use crate::{App, CoreError};

/// The kind of the stored pooled classifier features.
pub const FEATURES_VECTOR: &str = "features";

/// How many classifier inputs [`RecentInputs`] keeps (600 KB each).
const RECENT_INPUTS: usize = 32;

/// The classifier inputs of images just uploaded to this process, kept for its labeling
/// workers so they need not read and decode the original again. An upload already has the
/// preview's pixels; a worker that finds no entry here (another instance took the upload, the
/// entry was evicted, the process restarted) re-derives the same pixels from the original, so
/// either way the labels are the same. Bounded: the oldest entries go first.
#[derive(Default)]
pub struct RecentInputs {
    /// Set once this process runs a labeling worker: until then nothing here would be used.
    active: AtomicBool,
    entries: Mutex<VecDeque<(String, Vec<f32>)>>,
}

impl RecentInputs {
    /// Start keeping inputs (a labeling worker runs in this process).
    pub fn enable(&self) {
        self.active.store(true, Ordering::Relaxed);
    }

    /// Whether uploads should compute and keep their input.
    pub fn wanted(&self) -> bool {
        self.active.load(Ordering::Relaxed)
    }

    /// Keep the preprocessed input of image `image_id`.
    pub fn put(&self, image_id: String, input: Vec<f32>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.push_back((image_id, input));
        while entries.len() > RECENT_INPUTS {
            entries.pop_front();
        }
    }

    /// Take the input kept for `image_id`, if any.
    pub fn take(&self, image_id: &str) -> Option<Vec<f32>> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let at = entries.iter().position(|(id, _)| id == image_id)?;
        entries.remove(at).map(|(_, input)| input)
    }

    /// How many inputs are kept.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Counters a process exposes (for metrics and the multi-instance tests).
#[derive(Debug, Default)]
pub struct WorkerStats {
    pub jobs_done: AtomicU64,
    pub jobs_failed: AtomicU64,
    pub images_labeled: AtomicU64,
}

/// The labels to attach: the top-1 always, the others from `threshold`.
pub fn stored_predictions(p: &Prediction, threshold: f64) -> Vec<StoredPrediction<'static>> {
    p.labels()
        .enumerate()
        .map(|(rank, (class, prob))| StoredPrediction {
            wnid: class.wnid,
            score: f64::from(prob),
            attached: rank == 0 || f64::from(prob) >= threshold,
        })
        .collect()
}

/// A unique name for this worker (host, process, random suffix).
pub fn worker_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    format!(
        "{}-{}-{}",
        host.trim(),
        std::process::id(),
        &uuid::Uuid::now_v7().simple().to_string()[24..]
    )
}

impl App {
    /// Insert the label vocabulary (the 1000 ImageNet classes) if it is not there yet.
    pub async fn seed_labels(&self) -> Result<(), CoreError> {
        let vocab: Vec<labels::Label<'_>> = banana_vision::imagenet_classes()
            .iter()
            .map(|c| labels::Label {
                wnid: c.wnid,
                class_index: c.index as i64,
                name: c.name,
                synonyms: c.synonyms.join(", "),
            })
            .collect();
        labels::seed(&self.db, &vocab).await?;
        crate::search::seed_label_categories(&self.db).await?;
        Ok(())
    }

    /// Claim and label one batch. Returns how many jobs were claimed (0 = nothing to do, or
    /// the classifier is not ready).
    pub async fn label_batch(&self, worker: &str) -> Result<usize, CoreError> {
        let Some(classifier) = self.models.classifier() else {
            return Ok(0);
        };
        let lease_ms = self.lease_ms();
        let claimed = jobs::claim(
            &self.db,
            worker,
            &[LABEL_JOB],
            self.config.worker_batch as i64,
            lease_ms,
        )
        .await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        // Keep the lease while this batch runs (a slow batch is not taken over by another
        // worker); a killed process stops renewing and the jobs are retried after the lease.
        let _heartbeat = Heartbeat::start(self, worker, lease_ms);
        // Each job's classifier input: kept by the upload in this process, or else the
        // preview's pixels re-derived from the stored original by the code the upload ran
        // (`banana_media::preview_pixels`). Either way the labels are the ones a bulk import
        // computes for the same file (not those of the stored preview's JPEG artefacts). One
        // original is in memory at a time. Jobs whose image is gone are done (idempotent).
        let started = Instant::now();
        let limits = self.limits();
        let mut work = Vec::new();
        for job in &claimed {
            let image_id = serde_json::from_str::<serde_json::Value>(&job.payload)
                .ok()
                .and_then(|v| v["image_id"].as_str().map(str::to_string));
            let row = match &image_id {
                Some(id) => q::get(&self.db, id).await?,
                None => None,
            };
            let Some(row) = row else {
                jobs::complete(self.db.pool(), job.id, worker).await?;
                continue;
            };
            if let Some(input) = self.recent_inputs.take(&row.id) {
                work.push((job.clone(), row, input));
                continue;
            }
            let original = match self.storage.get_bytes(&keys::original(&row.sha256)).await {
                Ok(bytes) => bytes,
                Err(e) => {
                    self.job_failed(job, worker, &row.id, &format!("reading the original: {e}"))
                        .await?;
                    continue;
                }
            };
            // Under the same bound on concurrent decodes as uploads.
            let input = {
                let _permit = self.decode_permit().await?;
                tokio::task::spawn_blocking(move || {
                    banana_media::preview_pixels(&original, &limits)
                        .map(|p| banana_vision::preprocess(&p))
                })
                .await?
            };
            match input {
                Ok(input) => work.push((job.clone(), row, input)),
                Err(e) => {
                    self.job_failed(job, worker, &row.id, &format!("decoding: {e}"))
                        .await?
                }
            }
        }
        if work.is_empty() {
            return Ok(claimed.len());
        }

        let mut meta = Vec::with_capacity(work.len());
        let mut inputs = Vec::with_capacity(work.len() * INPUT_LEN);
        for (job, row, input) in work {
            meta.push((job, row));
            inputs.extend_from_slice(&input);
        }
        let predictions =
            tokio::task::spawn_blocking(move || classifier.classify_preprocessed(&inputs)).await?;
        self.metrics.label_batch.observe(started.elapsed());
        let predictions = match predictions {
            Ok(p) => p,
            Err(e) => {
                for (job, row) in &meta {
                    self.job_failed(job, worker, &row.id, &format!("inference: {e}"))
                        .await?;
                }
                return Ok(claimed.len());
            }
        };
        // Search vectors (sentence embeddings of labels, title, attribution) before any
        // transaction opens.
        let mut semantic = Vec::with_capacity(predictions.len());
        for ((_, row), p) in meta.iter().zip(&predictions) {
            let (title, attribution) = (row.title.clone(), row.attribution.clone());
            semantic.push(
                self.semantic_vector(p.top5.clone(), title, attribution)
                    .await,
            );
        }
        for (((job, row), prediction), semantic) in meta.iter().zip(predictions).zip(semantic) {
            let mut tx = self.db.begin().await?;
            let stored = stored_predictions(&prediction, self.config.label_threshold);
            let exists = labels::set_predictions(&mut tx, &row.id, &stored).await?;
            if exists {
                labels::set_vector(&mut tx, &row.id, FEATURES_VECTOR, &prediction.features).await?;
                self.store_search_data(&mut tx, &row.id, semantic.as_deref())
                    .await?;
            }
            if jobs::complete(&mut *tx, job.id, worker).await? {
                tx.commit().await?;
                if exists {
                    let features = Some(prediction.features.as_slice());
                    self.search.upsert(&row.id, semantic.as_deref(), features);
                }
                self.worker_stats.jobs_done.fetch_add(1, Ordering::Relaxed);
                self.worker_stats
                    .images_labeled
                    .fetch_add(1, Ordering::Relaxed);
                let waited = banana_db::now_ms().saturating_sub(row.created_at).max(0);
                self.metrics
                    .label_delay
                    .observe(Duration::from_millis(waited as u64));
            } else {
                // Our lease ran out and another worker owns the job now: leave it to them.
                tx.rollback().await?;
            }
        }
        Ok(claimed.len())
    }

    async fn job_failed(
        &self,
        job: &jobs::Job,
        worker: &str,
        image_id: &str,
        error: &str,
    ) -> Result<(), CoreError> {
        tracing::warn!(job = job.id, image.id = image_id, error, "labeling failed");
        self.worker_stats
            .jobs_failed
            .fetch_add(1, Ordering::Relaxed);
        if jobs::fail(&self.db, job, worker, error).await? {
            labels::set_failed(self.db.pool(), image_id, error).await?;
        }
        Ok(())
    }

    /// The job lease, in milliseconds.
    pub fn lease_ms(&self) -> i64 {
        i64::try_from(self.config.job_lease.as_millis()).unwrap_or(i64::MAX)
    }

    /// Label until every runnable job is done (for tools and tests).
    pub async fn drain_jobs(&self) -> Result<(), CoreError> {
        self.recent_inputs.enable();
        let worker = worker_name();
        while self.label_batch(&worker).await? > 0 {}
        Ok(())
    }
}

/// Renews the lease of the jobs this worker holds every third of the lease until dropped.
struct Heartbeat(tokio::task::JoinHandle<()>);

impl Heartbeat {
    fn start(app: &App, worker: &str, lease_ms: i64) -> Heartbeat {
        let db = app.db.clone();
        let worker = worker.to_string();
        let every = Duration::from_millis((lease_ms / 3).max(100) as u64);
        Heartbeat(tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                if let Err(e) = jobs::heartbeat(&db, &worker, lease_ms).await {
                    tracing::warn!(error = %e, "renewing job leases failed");
                }
            }
        }))
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Run a labeling worker until `shutdown` turns true. On shutdown the batch in progress may
/// finish within `BANANA_SHUTDOWN_GRACE_SECS`; whatever this worker still holds after that is
/// handed back to the queue at once (not after the lease), so another worker takes it. If the
/// process is killed instead, the lease runs out and another worker takes the jobs then.
pub async fn run(app: Arc<App>, mut shutdown: watch::Receiver<bool>) {
    let worker = worker_name();
    app.recent_inputs.enable();
    tracing::info!(worker, "labeling worker started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        let batch = app.label_batch(&worker);
        tokio::pin!(batch);
        let result = tokio::select! {
            r = &mut batch => Some(r),
            _ = shutdown.changed() => None,
        };
        let result = match result {
            Some(r) => r,
            None => {
                // Asked to stop mid-batch: let it finish within the grace period.
                tracing::info!(worker, "finishing the labeling batch in progress");
                match tokio::time::timeout(app.config.shutdown_grace, &mut batch).await {
                    Ok(r) => r,
                    Err(_) => {
                        tracing::warn!(worker, "labeling batch did not finish in time");
                        break;
                    }
                }
            }
        };
        let idle = match result {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => {
                tracing::error!(error = %e, "labeling worker error");
                true
            }
        };
        if idle && !*shutdown.borrow() {
            tokio::select! {
                _ = app.jobs_notify.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(1000)) => {}
                _ = shutdown.changed() => {}
            }
        }
    }
    match jobs::release(&app.db, &worker).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(worker, jobs = n, "released unfinished jobs"),
        Err(e) => {
            tracing::warn!(worker, error = %e, "releasing jobs failed (they are retried after the lease)")
        }
    }
    tracing::info!(worker, "labeling worker stopped");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top1_is_always_attached_and_others_by_threshold() {
        let p = Prediction {
            top5: vec![(281, 0.15), (282, 0.3), (285, 0.19), (0, 0.01), (1, 0.0)],
            features: vec![],
        };
        let s = stored_predictions(&p, 0.2);
        assert_eq!(
            s.iter().map(|s| s.attached).collect::<Vec<_>>(),
            vec![true, true, false, false, false]
        );
        assert_eq!(s[0].wnid, "n02123045");
    }
}
