//! The database layer of Banana: one connection pool over SQLite (the embedded default) or
//! PostgreSQL, the migrations for both, and every query the service runs. SQL lives here and
//! nowhere else; callers get typed rows and a [`DbError`] that already says which constraint
//! failed.
//!
//! Queries are written once in the SQL both databases accept (`$1` placeholders, `RETURNING`,
//! `ON CONFLICT`); where they differ (row locking, full-text search) the code branches on
//! [`Backend`].

pub mod accounts;
pub mod albums;
pub mod analyses;
pub mod findings;
pub mod images;
pub mod intents;
pub mod jobs;
pub mod labels;
pub mod metadata;
pub mod notify;
pub mod search_text;
pub mod tags;
pub mod trash;
pub mod vectors;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use sqlx::Any;
pub use sqlx::Error as SqlxError;
pub type Transaction<'a> = sqlx::Transaction<'a, sqlx::Any>;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL (expected sqlite:… or postgres://…)")]
    UnsupportedUrl,
    /// A unique constraint was violated; carries the constraint name when the database gives it.
    #[error("unique constraint violated: {0}")]
    Conflict(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Sqlx(sqlx::Error),
    #[error("the database schema is behind this version: migrations {0} are not applied")]
    NotMigrated(String),
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(ref db) = e {
            if db.is_unique_violation() {
                return DbError::Conflict(
                    db.constraint().unwrap_or_else(|| db.message()).to_string(),
                );
            }
        }
        DbError::Sqlx(e)
    }
}

impl DbError {
    /// The database cannot be reached or is too busy right now (refused or dropped
    /// connections, no connection within the pool's timeout, a server shutting down or
    /// starting, SQLite's lock held longer than its busy timeout): a condition that passes by
    /// itself, unlike a bad query or a violated constraint.
    pub fn is_unavailable(&self) -> bool {
        match self {
            DbError::Sqlx(e) => sqlx_unavailable(e),
            _ => false,
        }
    }
}

fn sqlx_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => {
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // SQLITE_BUSY and SQLITE_LOCKED, with their extended codes (the low byte is
                // the primary code): another process held the lock past the busy timeout.
                return db
                    .code()
                    .and_then(|c| c.parse::<i64>().ok())
                    .is_some_and(|c| matches!(c & 0xff, 5 | 6));
            }
            // PostgreSQL: connection exceptions (08…), admin/crash shutdown and "cannot
            // connect now" (57P01–57P03), too many connections (53300).
            let code = db.code().unwrap_or_default();
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
        }
        _ => false,
    }
}

pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// How long a query waits for a connection (and SQLite for its write lock) by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// A pool of connections to the configured database.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// The connection URL (holds the password: never log it), for listener connections.
    url: std::sync::Arc<str>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Db {
    /// Connect to `url` (`sqlite:path?mode=rwc` or `postgres://…`), waiting at most
    /// [`DEFAULT_TIMEOUT`] for a connection.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db> {
        Db::connect_with_timeout(url, max_connections, DEFAULT_TIMEOUT).await
    }

    /// Connect to `url`; a query waits at most `timeout` for a pooled connection (a database
    /// that is down answers [`DbError::is_unavailable`] after it) and, on SQLite, for the write
    /// lock another process holds.
    pub async fn connect_with_timeout(
        url: &str,
        max_connections: u32,
        timeout: Duration,
    ) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(DbError::UnsupportedUrl);
        };
        let options = AnyConnectOptions::from_str(url)?;
        let mut pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(timeout);
        if backend == Backend::Sqlite {
            let busy_ms = timeout.as_millis().max(1);
            pool = pool.after_connect(move |conn, _meta| {
                Box::pin(async move {
                    conn.execute(&*format!(
                        "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = {busy_ms}; \
                         PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
                    ))
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = pool.connect_with(options).await?;
        Ok(Db {
            pool,
            backend,
            url: url.into(),
        })
    }

    /// Apply the migrations for this database that have not run yet.
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// Fail unless every migration this build knows is applied (for instances that do not
    /// migrate themselves: `BANANA_AUTO_MIGRATE=false`).
    pub async fn check_migrated(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await
                .unwrap_or_default();
        let missing: Vec<String> = migrator
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
            .filter(|m| !applied.contains(&m.version))
            .map(|m| m.version.to_string())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(DbError::NotMigrated(missing.join(", ")))
        }
    }

    /// The URL this pool connects to (secret: contains the password, if any).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn begin(&self) -> Result<Transaction<'static>> {
        Ok(self.pool.begin().await?)
    }

    /// A round trip to the database, for readiness checks.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Whether [`Db::close`] was called: background tasks then stop quietly instead of
    /// reporting the closed pool as a failure.
    pub fn is_closed(&self) -> bool {
        self.pool.is_closed()
    }
}

/// Milliseconds since the Unix epoch, the unit of every time column.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Raw statements for tools and tests (administration, fault injection).
pub mod raw {
    use crate::{Db, Result};

    pub async fn execute(db: &Db, sql: &str) -> Result<u64> {
        Ok(sqlx::query(sql).execute(db.pool()).await?.rows_affected())
    }

    pub async fn scalar_i64(db: &Db, sql: &str) -> Result<i64> {
        Ok(sqlx::query_scalar(sql).fetch_one(db.pool()).await?)
    }

    /// The first column of every row, as text.
    pub async fn strings(db: &Db, sql: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(sql).fetch_all(db.pool()).await?)
    }
}
