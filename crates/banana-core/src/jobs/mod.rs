//! Typed background jobs over the durable queue (`banana_db::jobs`, one `jobs` table): each
//! job is a serde payload type implementing [`BackgroundJob`] (its kind in `JOB_NAME`, how to
//! run it), in its own file here, and registered in [`registry`]. Enqueue with
//! `LabelImage::enqueue(&mut tx, &payload)` in the transaction of the change that needs it.
//!
//! The runner ([`App::run_jobs`]) claims up to `BANANA_WORKER_BATCH` runnable jobs of every
//! kind this process can run now, holds their lease with a heartbeat while the batch runs, and
//! hands each kind its share in one call (so the analysis jobs share one inference batch).
//! Crash-safe: a worker that dies stops renewing, the lease runs out and another worker claims
//! the job again; jobs are idempotent (a rerun replaces the same rows). A job completes in the
//! transaction that stores its effects, so "done" always means "stored".

mod analyze;
pub mod label;
pub mod purge;
pub mod reanalyze;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use banana_db::{jobs, now_ms, DbError, Transaction};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{App, CoreError};

pub use label::LabelImage;
pub use purge::PurgeTrash;
pub use reanalyze::Reanalyze;

/// One job a worker claimed, with its decoded payload.
pub struct Claimed<J> {
    pub job: jobs::Job,
    pub payload: J,
}

/// What a running job may use: the app and the name of the worker holding its lease.
pub struct JobContext<'a> {
    pub app: &'a App,
    pub worker: &'a str,
}

impl JobContext<'_> {
    /// Mark the job done (outside any transaction: it had nothing to store).
    pub async fn complete(&self, job: &jobs::Job) -> Result<bool, CoreError> {
        Ok(jobs::complete(self.app.db.pool(), job.id, self.worker).await?)
    }

    /// Mark the job done in the transaction that stores its effects. False when this worker
    /// lost the lease (another owns the job now): roll back and leave it to them.
    pub async fn complete_in(
        &self,
        tx: &mut Transaction<'_>,
        job: &jobs::Job,
    ) -> Result<bool, CoreError> {
        Ok(jobs::complete(&mut **tx, job.id, self.worker).await?)
    }

    /// Record a failed attempt (retried with backoff). True when the job failed for good.
    pub async fn fail(&self, job: &jobs::Job, error: &str) -> Result<bool, CoreError> {
        self.app
            .worker_stats
            .jobs_failed
            .fetch_add(1, Ordering::Relaxed);
        Ok(jobs::fail(&self.app.db, job, self.worker, error).await?)
    }
}

/// A kind of background job: its payload is `Self` (stored as JSON).
pub trait BackgroundJob: Serialize + DeserializeOwned + Send + Sync + Sized + 'static {
    /// The job kind in the `jobs` table. Never change it for a shipped job (queued jobs of the
    /// old name would not run).
    const JOB_NAME: &'static str;

    /// Whether this process can run such jobs now (e.g. its models are loaded). Jobs of kinds
    /// that are not ready stay queued.
    fn ready(_app: &App) -> bool {
        true
    }

    /// Run one claimed job. It must end the job: complete it (with its effects, see
    /// [`JobContext::complete_in`]) or record a failed attempt ([`JobContext::fail`]). An
    /// `Err` is an infrastructure failure (database gone); the job is then retried after its
    /// lease.
    fn run(
        &self,
        ctx: &JobContext<'_>,
        job: &jobs::Job,
    ) -> impl Future<Output = Result<(), CoreError>> + Send;

    /// Run several claimed jobs of this kind (what the runner calls). By default one after the
    /// other; kinds that gain from batching (one inference over many images) override it.
    fn run_batch(
        ctx: &JobContext<'_>,
        batch: Vec<Claimed<Self>>,
    ) -> impl Future<Output = Result<(), CoreError>> + Send {
        async move {
            for c in &batch {
                c.payload.run(ctx, &c.job).await?;
            }
            Ok(())
        }
    }

    /// Queue `payload` in the caller's transaction, to run at once.
    fn enqueue(
        tx: &mut Transaction<'_>,
        payload: &Self,
    ) -> impl Future<Output = Result<i64, DbError>> + Send {
        Self::enqueue_at(tx, payload, now_ms())
    }

    /// Queue `payload` in the caller's transaction, to run at `run_at` (Unix ms).
    fn enqueue_at(
        tx: &mut Transaction<'_>,
        payload: &Self,
        run_at: i64,
    ) -> impl Future<Output = Result<i64, DbError>> + Send {
        // A payload is a plain struct of strings and numbers: serialising cannot fail.
        let json = serde_json::to_value(payload).expect("job payloads serialize to JSON");
        async move { jobs::enqueue(&mut **tx, Self::JOB_NAME, &json, run_at).await }
    }
}

/// [`BackgroundJob::run`] for a kind whose work is in its own [`BackgroundJob::run_batch`]
/// (the analysis jobs): the one job as a batch of one.
pub(crate) async fn run_as_batch<J: BackgroundJob + Clone>(
    payload: &J,
    ctx: &JobContext<'_>,
    job: &jobs::Job,
) -> Result<(), CoreError> {
    let batch = vec![Claimed {
        job: job.clone(),
        payload: payload.clone(),
    }];
    J::run_batch(ctx, batch).await
}

/// [`BackgroundJob::ready`] of the analysis jobs: every registered analyzer has its model
/// loaded in this process.
pub(crate) fn analyzers_ready(app: &App) -> bool {
    crate::analysis::all()
        .iter()
        .all(|a| a.model(app).is_some())
}

type RunFuture<'a> = Pin<Box<dyn Future<Output = Result<(), CoreError>> + Send + 'a>>;

/// A registered job kind, type-erased for the runner.
pub struct Kind {
    pub name: &'static str,
    ready: fn(&App) -> bool,
    run: for<'a> fn(&'a JobContext<'a>, Vec<jobs::Job>) -> RunFuture<'a>,
}

fn kind<J: BackgroundJob>() -> Kind {
    Kind {
        name: J::JOB_NAME,
        ready: J::ready,
        run: run_kind::<J>,
    }
}

/// Every job kind this binary runs. A new job: a file here and one line below.
pub fn registry() -> [Kind; 3] {
    [
        kind::<LabelImage>(),
        kind::<Reanalyze>(),
        kind::<PurgeTrash>(),
    ]
}

fn run_kind<'a, J: BackgroundJob>(
    ctx: &'a JobContext<'a>,
    claimed: Vec<jobs::Job>,
) -> RunFuture<'a> {
    Box::pin(async move {
        let mut batch = Vec::with_capacity(claimed.len());
        for job in claimed {
            match serde_json::from_str::<J>(&job.payload) {
                Ok(payload) => batch.push(Claimed { job, payload }),
                Err(e) => {
                    // Nothing it could refer to: done, like a job whose image is gone.
                    tracing::warn!(job = job.id, kind = J::JOB_NAME, error = %e, "unreadable job payload; dropped");
                    ctx.complete(&job).await?;
                }
            }
        }
        if batch.is_empty() {
            return Ok(());
        }
        J::run_batch(ctx, batch).await
    })
}

/// Counters a process exposes (for metrics and the multi-instance tests).
#[derive(Debug, Default)]
pub struct WorkerStats {
    pub jobs_done: AtomicU64,
    pub jobs_failed: AtomicU64,
    pub images_labeled: AtomicU64,
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
    /// Claim and run one batch of jobs of every kind that is ready here. Returns how many jobs
    /// were claimed (0 = nothing to do, or nothing can run yet).
    pub async fn run_jobs(&self, worker: &str) -> Result<usize, CoreError> {
        let kinds: Vec<Kind> = registry().into_iter().filter(|k| (k.ready)(self)).collect();
        if kinds.is_empty() {
            return Ok(0);
        }
        let names: Vec<&str> = kinds.iter().map(|k| k.name).collect();
        let lease_ms = self.lease_ms();
        let claimed = jobs::claim(
            &self.db,
            worker,
            &names,
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
        let ctx = JobContext { app: self, worker };
        let count = claimed.len();
        for k in &kinds {
            let mine: Vec<jobs::Job> = claimed
                .iter()
                .filter(|j| j.kind == k.name)
                .cloned()
                .collect();
            if !mine.is_empty() {
                (k.run)(&ctx, mine).await?;
            }
        }
        Ok(count)
    }

    /// The job lease, in milliseconds.
    pub fn lease_ms(&self) -> i64 {
        i64::try_from(self.config.job_lease.as_millis()).unwrap_or(i64::MAX)
    }

    /// Run jobs until every runnable one is done (for tools and tests).
    pub async fn drain_jobs(&self) -> Result<(), CoreError> {
        self.recent_inputs.enable();
        let worker = worker_name();
        while self.run_jobs(&worker).await? > 0 {}
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
