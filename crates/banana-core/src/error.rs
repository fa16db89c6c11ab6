//! The domain's error type. The HTTP layer maps each variant to a status code in one place.
//! A store or database that cannot be reached becomes [`CoreError::Unavailable`] (503 with
//! Retry-After: it passes by itself), never the `internal` of a bug.

use banana_db::DbError;
use banana_media::MediaError;
use banana_storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("this image was already uploaded")]
    Duplicate { image_id: String },
    #[error("the upload is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error(
        "this upload would take your library past its quota: {used} of {quota} bytes are used \
         and the file has {size}; delete some photos or ask an administrator for more room"
    )]
    QuotaExceeded { quota: u64, used: u64, size: u64 },
    #[error("{0}")]
    BadRequest(String),
    #[error("sign in first")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("wrong user name or password")]
    InvalidCredentials,
    #[error("too many failed sign-ins; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: i64 },
    #[error(transparent)]
    Media(#[from] MediaError),
    /// The object store or the database cannot be reached right now (down, not answering
    /// within its timeout, locked): try again later.
    #[error("the {service} is unavailable right now; try again in {retry_after_secs} s")]
    Unavailable {
        service: &'static str,
        retry_after_secs: u64,
    },
    #[error(transparent)]
    Db(DbError),
    #[error(transparent)]
    Storage(StorageError),
    #[error("internal error: {0}")]
    Internal(String),
}

/// The Retry-After of [`CoreError::Unavailable`], seconds.
pub const RETRY_AFTER_SECS: u64 = 5;

impl CoreError {
    /// `service` ("object store" or "database") cannot be reached right now.
    pub fn unavailable(service: &'static str) -> CoreError {
        CoreError::Unavailable {
            service,
            retry_after_secs: RETRY_AFTER_SECS,
        }
    }

    /// Whether this is [`CoreError::Unavailable`].
    pub fn is_unavailable(&self) -> bool {
        matches!(self, CoreError::Unavailable { .. })
    }
}

impl From<StorageError> for CoreError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound(_) => CoreError::NotFound("object"),
            e if e.is_unavailable() => {
                tracing::warn!(error = %e, "object store unavailable");
                CoreError::unavailable("object store")
            }
            other => CoreError::Storage(other),
        }
    }
}

impl From<DbError> for CoreError {
    fn from(e: DbError) -> Self {
        if e.is_unavailable() {
            tracing::warn!(error = %e, "database unavailable");
            CoreError::unavailable("database")
        } else {
            CoreError::Db(e)
        }
    }
}

impl From<tokio::task::JoinError> for CoreError {
    fn from(e: tokio::task::JoinError) -> Self {
        CoreError::Internal(format!("background task failed: {e}"))
    }
}

impl From<banana_db::SqlxError> for CoreError {
    fn from(e: banana_db::SqlxError) -> Self {
        DbError::from(e).into()
    }
}
