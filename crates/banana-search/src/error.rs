//! The crate's one error type.

use std::path::PathBuf;

/// What can go wrong in the index, in building vectors, or in the class-embedding cache.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// A vector's length is not the index's or the space's dimension.
    #[error("vector has {got} dimensions, expected {expected}")]
    Dimension { expected: usize, got: usize },

    /// A vector contains NaN or infinity.
    #[error("vector contains a value that is not finite")]
    NotFinite,

    /// An id is empty.
    #[error("id is empty")]
    EmptyId,

    /// A search query is empty or only whitespace.
    #[error("query is empty")]
    EmptyQuery,

    /// A class index is out of range.
    #[error("class index {0} is out of range (0..1000)")]
    ClassIndex(usize),

    /// The text embedder failed.
    #[error("text embedder: {0}")]
    Embedder(#[from] banana_vision::VisionError),

    /// Reading or writing the class-embedding cache failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The class-embedding cache file is not what it should be.
    #[error("bad class-embedding cache {}: {detail}", path.display())]
    BadCache { path: PathBuf, detail: String },
}

impl SearchError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        SearchError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// Shorthand used throughout the crate.
pub type Result<T, E = SearchError> = std::result::Result<T, E>;
