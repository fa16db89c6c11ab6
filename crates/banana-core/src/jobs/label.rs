//! `label`: a new image's first analysis, queued with its row by the upload (the import
//! pipeline stores its results at once and queues nothing). Runs every registered analyzer
//! whose results are not stored yet (the upload stored the `metadata` analyzer's with the
//! row); a job that fails for good marks the image `failed` with the reason.

use banana_db::{analyses, jobs};
use serde::{Deserialize, Serialize};

use super::analyze::Work;
use super::{BackgroundJob, Claimed, JobContext};
use crate::{analysis, App, CoreError};

/// Analyse a newly stored image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelImage {
    pub image_id: String,
}

impl BackgroundJob for LabelImage {
    const JOB_NAME: &'static str = "label";

    fn ready(app: &App) -> bool {
        super::analyzers_ready(app)
    }

    async fn run(&self, ctx: &JobContext<'_>, job: &jobs::Job) -> Result<(), CoreError> {
        super::run_as_batch(self, ctx, job).await
    }

    async fn run_batch(ctx: &JobContext<'_>, batch: Vec<Claimed<Self>>) -> Result<(), CoreError> {
        let mut work = Vec::with_capacity(batch.len());
        for c in batch {
            let mut analyzers = Vec::new();
            for a in analysis::all() {
                let stored =
                    analyses::version(ctx.app.db.pool(), &c.payload.image_id, a.name()).await?;
                if stored.is_none_or(|v| v < a.version()) {
                    analyzers.push(*a);
                }
            }
            work.push(Work {
                job: c.job,
                image_id: c.payload.image_id,
                analyzers,
                first: true,
            });
        }
        ctx.app.analyze(ctx, work).await
    }
}
