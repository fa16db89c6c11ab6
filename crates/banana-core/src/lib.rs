//! The domain layer of Banana: what an upload, a listing or a deletion means, independent of
//! HTTP. It owns the configuration, the database pool and the object store ([`App`]), runs
//! CPU-heavy work off the async runtime, and keeps storage and database from drifting apart.

pub mod access;
pub mod accounts;
pub mod album_shares;
pub mod albums;
pub mod analysis;
pub mod bulk;
pub mod config;
pub mod downloads;
pub mod duplicates;
pub mod error;
pub mod filename;
pub mod images;
pub mod jobs;
pub mod labels;
pub mod metrics;
pub mod models;
pub mod privacy;
pub mod search;
pub mod sweep;
pub mod trash;
pub mod view;
pub mod worker;

use std::sync::Arc;

use banana_db::Db;
use banana_storage::Storage;
use tokio::sync::Semaphore;

pub use banana_db as db;
pub use banana_media as media;
pub use banana_storage as storage;
pub use config::Config;
pub use error::CoreError;

impl Drop for App {
    fn drop(&mut self) {
        if let Some(h) = self.listener.get_mut().ok().and_then(Option::take) {
            h.abort();
        }
    }
}

/// Everything a request or a job needs, built once at start-up.
pub struct App {
    pub config: Config,
    pub db: Db,
    pub storage: Storage,
    /// The classifier, once found or fetched.
    pub models: models::Models,
    /// Natural-language search and "more like this" (vector indexes, text model).
    pub search: search::SearchService,
    /// Counters of this process's labeling work.
    pub worker_stats: jobs::WorkerStats,
    /// Classifier inputs of recent uploads, for this process's labeling workers.
    pub recent_inputs: analysis::classifier::RecentInputs,
    /// Request, upload and labeling metrics of this process (`/metrics`).
    pub metrics: metrics::Metrics,
    /// Wakes this process's workers when a job was queued (here, or anywhere: see
    /// [`App::start_listener`]).
    pub jobs_notify: tokio::sync::Notify,
    /// Makes the search index catch up at once (another instance changed vectors).
    pub search_changed: Arc<tokio::sync::Notify>,
    /// The PostgreSQL LISTEN task, stopped with the app.
    listener: std::sync::Mutex<Option<tokio::task::AbortHandle>>,
    /// Bounds how many images are decoded at once (each may take hundreds of MB).
    decode_permits: Semaphore,
    /// Copies without personal metadata being built (one build per copy at a time).
    pub copy_builds: privacy::CopyBuilds,
}

impl App {
    /// Connect to the configured database and store, creating the data folder and running
    /// migrations when `migrate` is set.
    pub async fn build(config: Config, migrate: bool) -> anyhow::Result<Arc<App>> {
        use anyhow::Context;
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating BANANA_DATA_DIR {}", config.data_dir.display()))?;
        let db = Db::connect_with_timeout(
            &config.database_url,
            config.db_max_connections,
            config.db_timeout,
        )
        .await
        .with_context(|| format!("connecting to {}", config::redact_url(&config.database_url)))?;
        if migrate {
            db.migrate().await.context("running database migrations")?;
        }
        let storage = match &config.storage {
            config::StorageConfig::Local { root } => Storage::local(root)?,
            config::StorageConfig::S3(s3) => Storage::s3_with_timeout(s3, config.storage_timeout)?,
        };
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Ok(Arc::new(App {
            config,
            db,
            storage,
            models: models::Models::default(),
            search: search::SearchService::default(),
            worker_stats: jobs::WorkerStats::default(),
            recent_inputs: analysis::classifier::RecentInputs::default(),
            metrics: metrics::Metrics::default(),
            jobs_notify: tokio::sync::Notify::new(),
            search_changed: Arc::new(tokio::sync::Notify::new()),
            listener: std::sync::Mutex::new(None),
            decode_permits: Semaphore::new(cores),
            copy_builds: privacy::CopyBuilds::default(),
        }))
    }

    /// Find or fetch the models on a blocking thread (returns at once), and label pending
    /// images once the classifier is loaded. `fetch` allows running pip for missing files.
    pub fn start_models(self: &Arc<Self>, fetch: bool) -> tokio::task::JoinHandle<bool> {
        search::spawn_sync(self);
        self.start_listener();
        // Orphaned objects of uploads that died: once now, then every BANANA_SWEEP_INTERVAL_SECS.
        sweep::spawn(self);
        self.start_metadata_backfill();
        let app = self.clone();
        tokio::task::spawn_blocking(move || {
            let ready =
                app.models
                    .load(&app.config.models_dir, fetch, app.config.inference_threads);
            if ready {
                search::after_models_ready(&app);
                app.jobs_notify.notify_waiters();
            }
            ready
        })
    }

    /// Images stored before the `metadata` analyzer (or an older version of it) get their
    /// dates and places without anyone running `banana reanalyze`: their jobs are queued now
    /// (idempotent: current or already queued images are skipped). The place index is built
    /// meanwhile, so the first upload with GPS does not wait for it.
    fn start_metadata_backfill(self: &Arc<Self>) {
        let app = self.clone();
        tokio::spawn(async move {
            let _ = tokio::task::spawn_blocking(banana_places::warm).await;
            match app.reanalyze(&[&analysis::metadata::Metadata]).await {
                Ok(b) if b.enqueued > 0 => {
                    tracing::info!(queued = b.enqueued, "metadata backfill queued");
                    app.jobs_notify.notify_waiters();
                }
                Ok(_) => {}
                Err(_) if app.db.is_closed() => {}
                Err(e) => tracing::warn!(error = %e, "could not queue the metadata backfill"),
            }
        });
    }

    /// On PostgreSQL, listen for other instances' changes: a job queued anywhere wakes this
    /// process's idle workers, and changed vectors make its search index catch up at once
    /// (instead of at the next periodic catch-up). Idempotent.
    pub fn start_listener(self: &Arc<Self>) {
        let mut slot = self.listener.lock().expect("listener lock");
        if slot.is_some() {
            return;
        }
        let weak = Arc::downgrade(self);
        let changed = self.search_changed.clone();
        let handle = banana_db::notify::spawn_listener(&self.db, move |event| {
            use banana_db::notify::Event;
            match event {
                Event::Jobs => {
                    if let Some(app) = weak.upgrade() {
                        app.jobs_notify.notify_waiters();
                    }
                }
                Event::Index => changed.notify_one(),
                Event::Reconnected => {
                    changed.notify_one();
                    if let Some(app) = weak.upgrade() {
                        app.jobs_notify.notify_waiters();
                    }
                }
            }
        });
        *slot = handle.map(|h| h.abort_handle());
    }

    /// Waits for a turn to decode: decodes run at most one per core at a time (each may take
    /// hundreds of MB).
    pub(crate) async fn decode_permit(
        &self,
    ) -> Result<tokio::sync::SemaphorePermit<'_>, CoreError> {
        self.decode_permits
            .acquire()
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))
    }

    /// The decoder's limits from the configuration.
    pub(crate) fn limits(&self) -> banana_media::Limits {
        banana_media::Limits {
            max_pixels: self.config.max_pixels,
        }
    }

    /// Database and storage both answer.
    pub async fn ready(&self) -> Result<(), CoreError> {
        self.db.ping().await?;
        self.storage.check().await?;
        Ok(())
    }
}
