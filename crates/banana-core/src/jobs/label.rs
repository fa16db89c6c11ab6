//! `label`: a new image's first analysis, queued with its row by the upload (the import
//! pipeline stores its results at once and queues nothing). Runs every registered analyzer;
//! a job that fails for good marks the image `failed` with the reason.

use banana_db::jobs;
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
        let work = batch
            .into_iter()
            .map(|c| Work {
                job: c.job,
                image_id: c.payload.image_id,
                analyzers: analysis::all().to_vec(),
                first: true,
            })
            .collect();
        ctx.app.analyze(ctx, work).await
    }
}
