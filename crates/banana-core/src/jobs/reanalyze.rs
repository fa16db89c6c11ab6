//! `reanalyze`: run one analyzer over a stored image whose results of it are missing or older
//! than its current version (`banana reanalyze`). Idempotent and resumable: a job whose image
//! is already current (or gone) just completes, and [`App::reanalyze`] skips images that are
//! current or already queued, so running the backfill again only adds what is left. A job
//! that fails for good leaves the image's status and earlier results as they were.

use std::collections::HashSet;

use banana_db::{analyses, jobs};
use serde::{Deserialize, Serialize};

use super::analyze::Work;
use super::{BackgroundJob, Claimed, JobContext};
use crate::analysis::{self, Analyzer};
use crate::{App, CoreError};

/// Bring one image's results of one analyzer up to its current version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reanalyze {
    pub image_id: String,
    pub analyzer: String,
}

impl BackgroundJob for Reanalyze {
    const JOB_NAME: &'static str = "reanalyze";

    fn ready(app: &App) -> bool {
        super::analyzers_ready(app)
    }

    async fn run(&self, ctx: &JobContext<'_>, job: &jobs::Job) -> Result<(), CoreError> {
        super::run_as_batch(self, ctx, job).await
    }

    async fn run_batch(ctx: &JobContext<'_>, batch: Vec<Claimed<Self>>) -> Result<(), CoreError> {
        let mut work = Vec::with_capacity(batch.len());
        for c in batch {
            let Some(analyzer) = analysis::by_name(&c.payload.analyzer) else {
                tracing::warn!(
                    job = c.job.id,
                    analyzer = c.payload.analyzer,
                    "no such analyzer any more; job dropped"
                );
                ctx.complete(&c.job).await?;
                continue;
            };
            let stored =
                analyses::version(ctx.app.db.pool(), &c.payload.image_id, analyzer.name()).await?;
            if stored.is_some_and(|v| v >= analyzer.version()) {
                // Current already (an upload's job or an earlier run got there first).
                ctx.complete(&c.job).await?;
                continue;
            }
            work.push(Work {
                job: c.job,
                image_id: c.payload.image_id,
                analyzers: vec![analyzer],
                first: false,
            });
        }
        ctx.app.analyze(ctx, work).await
    }
}

/// What [`App::reanalyze`] queued.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Backfill {
    /// Jobs queued by this call.
    pub enqueued: u64,
    /// Images skipped because a job for them was already queued or running (an earlier,
    /// interrupted run); they count towards this backfill's progress.
    pub already_queued: u64,
    /// The lowest id of this backfill's jobs (queued now or before), for
    /// [`App::reanalyze_progress`]; `None` when there is nothing to do.
    pub first_job: Option<i64>,
}

/// How far the `reanalyze` jobs from [`Backfill::first_job`] on are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BackfillProgress {
    pub pending: u64,
    pub done: u64,
    pub failed: u64,
}

/// The analyzers `banana reanalyze --analyzer NAME` means: that one, or all of them.
pub fn analyzers_named(name: Option<&str>) -> Result<Vec<&'static dyn Analyzer>, CoreError> {
    match name {
        None => Ok(analysis::all().to_vec()),
        Some(n) => analysis::by_name(n).map(|a| vec![a]).ok_or_else(|| {
            CoreError::BadRequest(format!(
                "no analyzer called {n:?} (there are: {})",
                analysis::names().join(", ")
            ))
        }),
    }
}

/// How many jobs one backfill transaction queues.
const ENQUEUE_CHUNK: i64 = 500;

impl App {
    /// Queue a `reanalyze` job for every stored image whose results of these analyzers are
    /// missing or older than their current version, except those already queued. Safe to run
    /// again at any time (it adds only what is left), also while workers run.
    pub async fn reanalyze(
        &self,
        analyzers: &[&'static dyn Analyzer],
    ) -> Result<Backfill, CoreError> {
        let mut queued: HashSet<(String, String)> = HashSet::new();
        let mut first_job: Option<i64> = None;
        for (id, payload) in jobs::pending(&self.db, Reanalyze::JOB_NAME).await? {
            if let Ok(r) = serde_json::from_str::<Reanalyze>(&payload) {
                first_job = Some(first_job.map_or(id, |f| f.min(id)));
                queued.insert((r.image_id, r.analyzer));
            }
        }
        let mut out = Backfill::default();
        for analyzer in analyzers {
            let mut after = String::new();
            loop {
                let ids = analyses::outdated(
                    &self.db,
                    analyzer.name(),
                    analyzer.version(),
                    &after,
                    ENQUEUE_CHUNK,
                )
                .await?;
                let Some(last) = ids.last() else { break };
                after = last.clone();
                let mut tx = self.db.begin().await?;
                for image_id in ids {
                    let key = (image_id, analyzer.name().to_string());
                    if queued.contains(&key) {
                        out.already_queued += 1;
                        continue;
                    }
                    let payload = Reanalyze {
                        image_id: key.0,
                        analyzer: key.1,
                    };
                    let id = Reanalyze::enqueue(&mut tx, &payload).await?;
                    first_job = Some(first_job.map_or(id, |f| f.min(id)));
                    out.enqueued += 1;
                }
                tx.commit().await?;
            }
        }
        if out.enqueued > 0 {
            self.jobs_notify.notify_waiters();
        }
        out.first_job = first_job;
        Ok(out)
    }

    /// The state of the `reanalyze` jobs from `first_job` on.
    pub async fn reanalyze_progress(&self, first_job: i64) -> Result<BackfillProgress, CoreError> {
        let mut p = BackfillProgress::default();
        for (state, count) in jobs::states_since(&self.db, Reanalyze::JOB_NAME, first_job).await? {
            let n = count.max(0) as u64;
            match state.as_str() {
                "done" => p.done += n,
                "failed" => p.failed += n,
                _ => p.pending += n,
            }
        }
        Ok(p)
    }
}
