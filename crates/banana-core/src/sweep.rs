//! Orphaned objects: every write of objects and every decision to delete them goes through an
//! upload intent (`banana_db::intents`), so a process killed between writing objects and
//! committing the row that references them leaves an intent behind, and the sweeper finds
//! exactly the objects that may be orphans — no listing of the bucket.
//!
//! - An upload ([`App::begin_upload`]) commits an intent before its first object and deletes
//!   it after its row commits; when it fails it decides at once ([`App::release_content`]) unless
//!   the store or database is unavailable, and then the intent waits for the sweeper.
//! - A deleted image commits an intent with the row's deletion, then decides.
//! - Deciding (`intents::sweep_or_release`, under a per-content lock) deletes the objects only
//!   when no image row and no other intent of that content exist. Objects are shared by
//!   content across owners: a row of anyone keeps them, and an upload of the same content in
//!   flight anywhere (its own intent) keeps them and decides itself when it ends. While objects
//!   are being deleted, a new upload of the content waits ([`intents::Created::Busy`]).
//! - The sweeper ([`spawn`]: at start-up and every `BANANA_SWEEP_INTERVAL_SECS`, in every
//!   instance) decides for intents older than `BANANA_SWEEP_GRACE_SECS` and finishes sweeps
//!   whose sweeper died (expired lease). An upload that is still running at half the grace
//!   period gives up before committing its row, so the sweeper never removes the objects of a
//!   live upload. Times come from each instance's clock: keep them within seconds.

use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use banana_db::intents::{self, Created, Decision};
use banana_db::now_ms;
use banana_storage::keys;

use crate::{App, CoreError};

/// This process, as the owner of intents and sweeps (host, pid and a random part).
pub static INSTANCE: LazyLock<String> = LazyLock::new(|| {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let rand = uuid::Uuid::now_v7().simple().to_string();
    format!("{}-{}-{}", host.trim(), std::process::id(), &rand[24..])
});

/// The most intents one sweep pass decides about.
const SWEEP_BATCH: i64 = 200;

/// What one sweep pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SweepReport {
    /// Intents whose objects were deleted (no row referenced the content).
    pub swept: usize,
    /// Intents dropped because a row or another upload covers their content.
    pub released: usize,
    /// Intents that could not be handled now (store or database unavailable).
    pub failed: usize,
}

/// The running upload's intent.
#[derive(Debug)]
pub struct UploadIntent {
    pub id: String,
    pub sha256: String,
    started: Instant,
}

impl App {
    /// How long one sweep may hold a content (each object delete is bounded by the storage
    /// timeout; the lease outlasts every delete a sweeper starts, see [`App::delete_objects`]).
    fn sweep_lease(&self) -> Duration {
        self.config.storage_timeout * 6
    }

    /// Commit the intent of an upload of `sha256` before any of its objects is written. Waits
    /// while that content's objects are being deleted (finishing a sweep whose sweeper died);
    /// answers `unavailable` if that takes longer than the storage timeout.
    pub async fn begin_upload(&self, sha256: &str) -> Result<UploadIntent, CoreError> {
        let started = Instant::now();
        let id = uuid::Uuid::now_v7().to_string();
        loop {
            match intents::create(&self.db, &id, sha256, &INSTANCE).await? {
                Created::Yes => {
                    return Ok(UploadIntent {
                        id,
                        sha256: sha256.to_string(),
                        started,
                    })
                }
                Created::Busy {
                    id: busy,
                    locked_until,
                } => {
                    if locked_until < now_ms() {
                        self.finish_expired_sweep(&busy, sha256).await;
                    } else if started.elapsed() > self.config.storage_timeout {
                        return Err(CoreError::unavailable("object store"));
                    } else {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }
        }
    }

    /// Before committing the row: false when the upload ran so long (half the sweep grace)
    /// that a sweeper could soon take its intent for a dead one.
    pub(crate) fn upload_in_time(&self, intent: &UploadIntent) -> bool {
        intent.started.elapsed() < self.config.sweep_grace / 2
    }

    /// The upload's row is committed: its intent is no longer needed (the row protects the
    /// objects). If this fails the sweeper drops the intent later, leaving the objects.
    pub(crate) async fn end_upload(&self, intent: UploadIntent) {
        if let Err(e) = intents::delete(self.db.pool(), &intent.id).await {
            tracing::warn!(error = %e, intent = %intent.id, "could not drop an upload intent; the sweeper will");
        }
    }

    /// Decide about a pending intent now: delete the content's objects when no row and no
    /// other upload covers them, else drop the intent. True when objects were deleted. On
    /// failure the intent stays for the sweeper.
    pub async fn release_content(&self, id: &str, sha256: &str) -> Result<bool, CoreError> {
        let lease = self.sweep_lease();
        match intents::sweep_or_release(&self.db, id, sha256, &INSTANCE, lease.as_millis() as i64)
            .await?
        {
            Decision::Sweep => {
                self.delete_objects(sha256, Instant::now()).await?;
                intents::finish(&self.db, id, &INSTANCE).await?;
                Ok(true)
            }
            Decision::Released | Decision::Gone => Ok(false),
        }
    }

    /// Delete every object of a content this process holds the sweep of (claimed at
    /// `claimed`). Stops before starting a delete past half the lease, so no delete of this
    /// sweep can still be running when another process may take the sweep over.
    async fn delete_objects(&self, sha256: &str, claimed: Instant) -> Result<(), CoreError> {
        for key in keys::all(sha256) {
            if claimed.elapsed() > self.sweep_lease() / 2 {
                return Err(CoreError::unavailable("object store"));
            }
            self.storage.delete(&key).await?;
        }
        Ok(())
    }

    /// Take over and finish a sweep whose sweeper died (its lease ran out); false when that
    /// failed (it is retried after the new lease).
    async fn finish_expired_sweep(&self, id: &str, sha256: &str) -> bool {
        let lease = self.sweep_lease().as_millis() as i64;
        let result = async {
            if intents::claim_expired(&self.db, id, &INSTANCE, lease).await? {
                self.delete_objects(sha256, Instant::now()).await?;
                intents::finish(&self.db, id, &INSTANCE).await?;
            }
            Ok::<_, CoreError>(())
        }
        .await;
        match result {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e, sha256, "could not finish a sweep; it is retried after its lease");
                false
            }
        }
    }

    /// One pass: decide about every intent older than the grace period, and finish sweeps
    /// whose lease ran out.
    pub async fn sweep_once(&self) -> Result<SweepReport, CoreError> {
        let cutoff = now_ms() - self.config.sweep_grace.as_millis() as i64;
        let stale = intents::stale(&self.db, cutoff, SWEEP_BATCH).await?;
        let mut report = SweepReport::default();
        for intent in stale {
            if intent.state == "sweeping" {
                if self.finish_expired_sweep(&intent.id, &intent.sha256).await {
                    report.swept += 1;
                } else {
                    report.failed += 1;
                }
                continue;
            }
            match self.release_content(&intent.id, &intent.sha256).await {
                Ok(true) => {
                    tracing::info!(sha256 = %intent.sha256, instance = %intent.instance, "removed the objects of an upload that never committed");
                    report.swept += 1;
                }
                Ok(false) => report.released += 1,
                Err(e) => {
                    tracing::warn!(error = %e, sha256 = %intent.sha256, "sweep: could not decide now");
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }
}

/// Sweep at once and then every `BANANA_SWEEP_INTERVAL_SECS`, until the app is dropped.
pub fn spawn(app: &Arc<App>) -> tokio::task::JoinHandle<()> {
    let weak = Arc::downgrade(app);
    let every = app.config.sweep_interval;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let Some(app) = weak.upgrade() else { return };
            if app.db.is_closed() {
                return;
            }
            match app.sweep_once().await {
                Ok(r) if r != SweepReport::default() => tracing::info!(?r, "sweep"),
                Ok(_) => {}
                Err(_) if app.db.is_closed() => return,
                Err(e) => tracing::warn!(error = %e, "sweep failed; retrying later"),
            }
        }
    })
}
