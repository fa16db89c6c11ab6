//! The domain layer of Banana: what an upload, a listing or a deletion means, independent of
//! HTTP. It owns the configuration, the database pool and the object store ([`App`]), runs
//! CPU-heavy work off the async runtime, and keeps storage and database from drifting apart.

pub mod config;
pub mod error;
pub mod images;
pub mod view;

use std::sync::Arc;

use banana_db::Db;
use banana_storage::Storage;
use tokio::sync::Semaphore;

pub use banana_db as db;
pub use banana_media as media;
pub use banana_storage as storage;
pub use config::Config;
pub use error::CoreError;

/// Everything a request or a job needs, built once at start-up.
pub struct App {
    pub config: Config,
    pub db: Db,
    pub storage: Storage,
    /// Bounds how many images are decoded at once (each may take hundreds of MB).
    decode_permits: Semaphore,
}

impl App {
    /// Connect to the configured database and store, creating the data folder and running
    /// migrations when `migrate` is set.
    pub async fn build(config: Config, migrate: bool) -> anyhow::Result<Arc<App>> {
        use anyhow::Context;
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating BANANA_DATA_DIR {}", config.data_dir.display()))?;
        let db = Db::connect(&config.database_url, config.db_max_connections)
            .await
            .with_context(|| {
                format!("connecting to {}", config::redact_url(&config.database_url))
            })?;
        if migrate {
            db.migrate().await.context("running database migrations")?;
        }
        let storage = match &config.storage {
            config::StorageConfig::Local { root } => Storage::local(root)?,
            config::StorageConfig::S3(s3) => Storage::s3(s3)?,
        };
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Ok(Arc::new(App {
            config,
            db,
            storage,
            decode_permits: Semaphore::new(cores),
        }))
    }

    /// Database and storage both answer.
    pub async fn ready(&self) -> Result<(), CoreError> {
        self.db.ping().await?;
        self.storage.check().await?;
        Ok(())
    }
}
