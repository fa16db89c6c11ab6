//! The domain's error type. The HTTP layer maps each variant to a status code in one place.

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
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Storage(StorageError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StorageError> for CoreError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound(_) => CoreError::NotFound("object"),
            other => CoreError::Storage(other),
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
        CoreError::Db(e.into())
    }
}
