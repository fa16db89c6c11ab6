//! Search and "more like this" results.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ImageView;

/// Which signals ranked a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Vectors and keywords (falls back to `keyword` while the text model is not loaded; the
    /// page says which ran).
    #[default]
    Hybrid,
    /// The database's full-text search alone (any query word may match).
    Keyword,
}

/// One search or "more like this" result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SearchHit {
    pub image: ImageView,
    pub score: f32,
    /// The labels (names) and fields (`"title"`, `"attribution"`) that explain the hit.
    pub matched: Vec<String>,
}

/// A page of search results.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SearchPage {
    pub items: Vec<SearchHit>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
    /// `hybrid` (vectors + keywords) or `keyword` (the text model is not loaded, or
    /// keyword-only was asked for).
    pub mode: Mode,
}
