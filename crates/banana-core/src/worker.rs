//! The worker process loop: run job batches ([`App::run_jobs`]: typed jobs, their leases and
//! heartbeat live in [`crate::jobs`], the analysis they do in [`crate::analysis`]) until asked
//! to stop, waking when a job is queued here or anywhere (`App::jobs_notify`).
//!
//! Shutdown: the batch in progress may finish within `BANANA_SHUTDOWN_GRACE_SECS`; whatever
//! this worker still holds after that is handed back to the queue at once (not after the
//! lease), so another worker takes it. A killed process lets the lease run out instead.

use std::sync::Arc;
use std::time::Duration;

use banana_db::jobs;
use tokio::sync::watch;

pub use crate::jobs::{worker_name, WorkerStats};
use crate::App;

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
        let batch = app.run_jobs(&worker);
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
