//! Labeling workers: claim `label` jobs from the database in batches, classify the images'
//! previews off the async runtime in one inference batch, and store the top-5, the attached
//! labels and the pooled feature vector in the same transaction that completes the job.
//!
//! Crash-safe: a job is held under a lease; a worker that dies lets the lease run out and the
//! job is claimed again. Jobs are idempotent (a rerun replaces the same rows).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use banana_db::labels::{self, StoredPrediction};
use banana_db::{images as q, jobs};
use banana_storage::keys;
use banana_vision::Prediction;
use tokio::sync::watch;

use crate::images::LABEL_JOB;
use crate::{App, CoreError};

/// How long a claimed job stays ours without a heartbeat.
pub const LEASE_MS: i64 = 5 * 60 * 1000;
/// The kind of the stored pooled classifier features.
pub const FEATURES_VECTOR: &str = "features";

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
        let claimed = jobs::claim(
            &self.db,
            worker,
            &[LABEL_JOB],
            self.config.worker_batch as i64,
            LEASE_MS,
        )
        .await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        // Load each job's preview; jobs whose image is gone are done (idempotent).
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
            match self.storage.get_bytes(&keys::preview(&row.sha256)).await {
                Ok(bytes) => work.push((job.clone(), row, bytes)),
                Err(e) => {
                    self.job_failed(job, worker, &row.id, &format!("reading the preview: {e}"))
                        .await?
                }
            }
        }
        if work.is_empty() {
            return Ok(claimed.len());
        }

        let previews: Vec<bytes::Bytes> = work.iter().map(|(_, _, b)| b.clone()).collect();
        let results = tokio::task::spawn_blocking(move || {
            let mut images = Vec::with_capacity(previews.len());
            let mut errors = Vec::new();
            for (i, b) in previews.iter().enumerate() {
                match banana_vision::decode_image_bytes(b) {
                    Ok(img) => images.push((i, img)),
                    Err(e) => errors.push((i, e.to_string())),
                }
            }
            let rgb: Vec<_> = images.iter().map(|(_, img)| img.clone()).collect();
            let predictions = classifier.classify_batch(&rgb);
            (
                images.into_iter().map(|(i, _)| i).collect::<Vec<_>>(),
                predictions,
                errors,
            )
        })
        .await?;
        let (indices, predictions, errors) = results;
        for (i, e) in errors {
            let (job, row, _) = &work[i];
            self.job_failed(job, worker, &row.id, &format!("decoding the preview: {e}"))
                .await?;
        }
        let predictions = match predictions {
            Ok(p) => p,
            Err(e) => {
                for &i in &indices {
                    let (job, row, _) = &work[i];
                    self.job_failed(job, worker, &row.id, &format!("inference: {e}"))
                        .await?;
                }
                return Ok(claimed.len());
            }
        };
        // Search vectors (sentence embeddings of labels, title, attribution) before any
        // transaction opens.
        let mut semantic = Vec::with_capacity(predictions.len());
        for (&i, p) in indices.iter().zip(&predictions) {
            let row = &work[i].1;
            let (title, attribution) = (row.title.clone(), row.attribution.clone());
            semantic.push(
                self.semantic_vector(p.top5.clone(), title, attribution)
                    .await,
            );
        }
        for ((&i, prediction), semantic) in indices.iter().zip(predictions).zip(semantic) {
            let (job, row, _) = &work[i];
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

    /// Label until every runnable job is done (for tools and tests).
    pub async fn drain_jobs(&self) -> Result<(), CoreError> {
        let worker = worker_name();
        while self.label_batch(&worker).await? > 0 {}
        Ok(())
    }
}

/// Run a labeling worker until `shutdown` turns true. A batch in progress is finished (or,
/// if the process is killed, its lease runs out and another worker takes the jobs).
pub async fn run(app: Arc<App>, mut shutdown: watch::Receiver<bool>) {
    let worker = worker_name();
    tracing::info!(worker, "labeling worker started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        let idle = match app.label_batch(&worker).await {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => {
                tracing::error!(error = %e, "labeling worker error");
                true
            }
        };
        if idle {
            tokio::select! {
                _ = app.jobs_notify.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(1000)) => {}
                _ = shutdown.changed() => {}
            }
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
