//! What a caller asks of search: [`SearchRequest`] and [`SimilarRequest`], validated when
//! built (a blank query or a bad cursor is a 400 before any work), and [`Paging`].

use crate::access::Viewer;
use crate::CoreError;

use super::{DEFAULT_LIMIT, MAX_LIMIT};

pub use banana_api::{Library, Mode};

/// Which slice of the one ranking of a query a page is: offsets into it, as opaque cursors
/// (`"o40"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub offset: usize,
    /// 1–[`MAX_LIMIT`].
    pub limit: usize,
}

impl Paging {
    /// `limit` (default [`DEFAULT_LIMIT`], clamped to 1–[`MAX_LIMIT`]) from `cursor` (none or
    /// empty: the start; anything not made by [`Paging::next_cursor`]: 400).
    pub fn new(limit: Option<i64>, cursor: Option<&str>) -> Result<Self, CoreError> {
        let offset = match cursor {
            None | Some("") => 0,
            Some(c) => c
                .strip_prefix('o')
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| CoreError::BadRequest("invalid cursor".into()))?,
        };
        Ok(Paging {
            offset,
            limit: clamp_limit(limit),
        })
    }

    /// The cursor of the page after this one.
    pub fn next_cursor(&self) -> String {
        format!("o{}", self.offset + self.limit)
    }
}

fn clamp_limit(limit: Option<i64>) -> usize {
    limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize
}

/// A natural-language search.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Who asks: decides what may be found ([`super::Filters`]).
    pub viewer: Viewer,
    /// Not blank; at most [`banana_search::semantic::MAX_QUERY_CHARS`] characters.
    pub query: String,
    pub mode: Mode,
    /// Whose images: the caller's own by default.
    pub library: Library,
    pub page: Paging,
}

impl SearchRequest {
    /// `q` must not be blank (400); long text is cut, not refused.
    pub fn new(
        viewer: Viewer,
        q: &str,
        limit: Option<i64>,
        cursor: Option<&str>,
    ) -> Result<Self, CoreError> {
        if q.trim().is_empty() {
            return Err(CoreError::BadRequest("q must not be empty".into()));
        }
        let query = q
            .chars()
            .take(banana_search::semantic::MAX_QUERY_CHARS)
            .collect();
        Ok(SearchRequest {
            viewer,
            query,
            mode: Mode::Hybrid,
            library: Library::Mine,
            page: Paging::new(limit, cursor)?,
        })
    }

    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    pub fn with_library(mut self, library: Library) -> Self {
        self.library = library;
        self
    }
}

/// "More like this": the images most like `image_id`, one page.
#[derive(Debug, Clone)]
pub struct SimilarRequest {
    pub viewer: Viewer,
    pub image_id: String,
    /// 1–[`MAX_LIMIT`], default [`DEFAULT_LIMIT`].
    pub limit: usize,
}

impl SimilarRequest {
    pub fn new(viewer: Viewer, image_id: &str, limit: Option<i64>) -> Self {
        SimilarRequest {
            viewer,
            image_id: image_id.to_string(),
            limit: clamp_limit(limit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_are_offsets_and_garbage_is_refused() {
        assert_eq!(Paging::new(None, None).unwrap().offset, 0);
        let p = Paging::new(Some(20), Some("o40")).unwrap();
        assert_eq!((p.offset, p.limit), (40, 20));
        assert_eq!(p.next_cursor(), "o60");
        assert!(matches!(
            Paging::new(None, Some("x12")),
            Err(CoreError::BadRequest(_))
        ));
        assert_eq!(Paging::new(Some(0), None).unwrap().limit, 1);
        assert_eq!(Paging::new(Some(1000), None).unwrap().limit, 100);
    }

    #[test]
    fn blank_queries_are_refused_and_long_ones_cut() {
        for q in ["", "  ", "\t"] {
            assert!(matches!(
                SearchRequest::new(Viewer::Anonymous, q, None, None),
                Err(CoreError::BadRequest(_))
            ));
        }
        let long = "cat ".repeat(3000);
        let r = SearchRequest::new(Viewer::Anonymous, &long, None, None).unwrap();
        assert_eq!(
            r.query.chars().count(),
            banana_search::semantic::MAX_QUERY_CHARS
        );
        assert_eq!(r.mode, Mode::Hybrid);
    }
}
