//! `banana reanalyze [--analyzer NAME] [--no-worker]`: backfill a new analyzer, or a new
//! version of one, over the images already stored, through durable `reanalyze` jobs.
//!
//! Resumable: the jobs are rows in the database, and a run queues only images whose stored
//! results are missing or older and that have no job queued yet, so running it again after an
//! interruption (or after it finished) adds only what is left (nothing, when all is current).
//! It runs a worker in this process unless `--no-worker` (then `banana worker` / `banana
//! serve` processes elsewhere do the jobs) and shows their progress until they are finished.
//! Ctrl-C stops waiting; the in-process worker hands back what it holds, the rest stays queued.

use std::sync::Arc;
use std::time::{Duration, Instant};

use banana_core::jobs::reanalyze::analyzers_named;
use banana_core::{App, Config};
use banana_ingest::progress::CountBar;

pub async fn run(config: Config, analyzer: Option<String>, no_worker: bool) -> anyhow::Result<()> {
    let analyzers = analyzers_named(analyzer.as_deref())?;
    let app: Arc<App> = App::build(config, true).await?;
    app.seed_labels().await?;
    let backfill = app.reanalyze(&analyzers).await?;
    let names: Vec<&str> = analyzers.iter().map(|a| a.name()).collect();
    println!(
        "reanalyze {}: queued {} images ({} already queued)",
        names.join(", "),
        backfill.enqueued,
        backfill.already_queued
    );
    let Some(first_job) = backfill.first_job else {
        println!("nothing to do: every stored image is current");
        app.db.close().await;
        return Ok(());
    };

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = if no_worker {
        None
    } else {
        let loaded = app.start_models(app.config.models_auto_fetch).await?;
        anyhow::ensure!(
            loaded,
            "the models could not be loaded ({:?}); fix that, or pass --no-worker to leave the jobs to workers elsewhere",
            app.models.state()
        );
        Some(tokio::spawn(banana_core::worker::run(app.clone(), stopped)))
    };
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let bar = CountBar::new(0, "images");
    let started = Instant::now();
    let mut interrupted = false;
    let last = loop {
        let p = app.reanalyze_progress(first_job).await?;
        let total = p.pending + p.done + p.failed;
        bar.update(p.done + p.failed, total, p.failed, started.elapsed());
        if p.pending == 0 {
            break p;
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            _ = &mut ctrl_c => {
                interrupted = true;
                break p;
            }
        }
    };
    bar.finish();
    let _ = stop.send(true);
    if let Some(w) = worker {
        // Finishes its batch within the grace period, then releases what it still holds.
        let _ = w.await;
    }
    if interrupted {
        println!(
            "interrupted: {} jobs stay queued (workers elsewhere take them; run the same command again to wait for them or to resume here)",
            last.pending
        );
    } else {
        println!("reanalyzed {}, failed {}", last.done, last.failed);
    }
    app.db.close().await;
    anyhow::ensure!(
        last.failed == 0,
        "some images could not be analysed (see the log)"
    );
    Ok(())
}
