//! `purge_trash`: delete one trashed image for good when its time in the trash is up. Queued
//! when the image is trashed, to run `BANANA_TRASH_DAYS` later. Idempotent: an image restored
//! (or trashed again later, which queues its own job) is left, and the job just completes.
//! The row's deletion, the intent to remove its objects and the job's completion commit in one
//! transaction; a process killed after that leaves the intent, and the sweeper removes the
//! objects (see `sweep.rs`), so objects and rows never drift apart.

use banana_db::jobs;
use serde::{Deserialize, Serialize};

use super::{BackgroundJob, JobContext};
use crate::{App, CoreError};

/// Purge one image trashed at `trashed_at` (Unix ms).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurgeTrash {
    pub image_id: String,
    pub trashed_at: i64,
}

impl BackgroundJob for PurgeTrash {
    const JOB_NAME: &'static str = "purge_trash";

    async fn run(&self, ctx: &JobContext<'_>, job: &jobs::Job) -> Result<(), CoreError> {
        let app: &App = ctx.app;
        let mut tx = app.db.begin().await?;
        let deleted =
            banana_db::trash::delete_trashed(&mut *tx, &self.image_id, Some(self.trashed_at))
                .await?;
        if !ctx.complete_in(&mut tx, job).await? {
            return Ok(()); // lost the lease: the new holder purges it
        }
        match deleted {
            Some(row) => app.commit_removal(tx, &row).await?,
            None => tx.commit().await?,
        }
        Ok(())
    }
}
