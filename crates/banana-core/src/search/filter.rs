//! Step 2 of a search: the restrictions of a request, which **every candidate source applies
//! before it ranks** — never after. A filter applied after ranking lets the rows it drops
//! take ranks and budget, so what a caller may not see would still move their results
//! (issue #14: scores and order used to depend on other accounts' private images).
//!
//! The restriction is which images: those of the library asked for, within what the viewer
//! may see ([`Viewer::library_scope`] for SQL, the ids it admits for a vector index), and,
//! when the query names dates, a place or a camera, only the images those admit
//! ([`Filters::among`], worked out once per request by [`super::facets`]).
//! [`Filters::visible_rows`] re-checks the live rows of a page with [`Viewer::can_see`]
//! (which also drops images deleted since the indexes last heard of them).

use std::collections::{HashMap, HashSet};

use banana_db::images::{ImageRow, Scope};
use banana_db::vectors::{self, VectorKind};
use banana_db::Db;
use banana_search::{Filter, FlatIndex, Hit, SearchError, VectorIndex};

use banana_api::Library;

use crate::access::Viewer;
use crate::CoreError;

/// What one request may find.
#[derive(Debug, Clone)]
pub struct Filters {
    viewer: Viewer,
    scope: Scope,
}

impl Filters {
    /// Everything the viewer may see.
    pub fn for_viewer(viewer: &Viewer) -> Self {
        Filters {
            viewer: viewer.clone(),
            scope: viewer.scope(),
        }
    }

    /// The viewer's images of `library` ([`Viewer::library_scope`]).
    pub fn for_library(viewer: &Viewer, library: Library) -> Self {
        Filters {
            viewer: viewer.clone(),
            scope: viewer.library_scope(library),
        }
    }

    /// These filters, narrowed to the images among `ids` (a search's dates, place or camera:
    /// [`super::facets`]).
    pub fn among(self, ids: impl IntoIterator<Item = String>) -> Self {
        Filters {
            scope: Scope::Among {
                base: Box::new(self.scope),
                ids: std::sync::Arc::new(ids.into_iter().collect()),
            },
            viewer: self.viewer,
        }
    }

    /// The visibility condition, for sources that query the database.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Which rows of the in-memory index of `kind` a source may score: all of them for
    /// [`Scope::All`]; otherwise the ids the scope allows, as an allow-list when that is at
    /// most half of the index (scoring only those is cheaper) and as a set the scan checks
    /// otherwise.
    pub async fn vector_rows(
        &self,
        db: &Db,
        kind: VectorKind,
        held: usize,
    ) -> Result<VectorRows, CoreError> {
        if self.scope == Scope::All {
            return Ok(VectorRows::All);
        }
        let ids = vectors::visible_ids(db, kind, &self.scope).await?;
        Ok(if ids.len() <= held / 2 {
            VectorRows::List(ids)
        } else {
            VectorRows::Set(ids.into_iter().collect())
        })
    }

    /// Keep the rows this viewer may see, in the order of `ids`. **The** live check of search
    /// and "more like this".
    pub fn visible_rows(&self, ids: &[String], rows: Vec<ImageRow>) -> Vec<ImageRow> {
        let mut by_id: HashMap<String, ImageRow> = rows
            .into_iter()
            .filter(|r| self.viewer.can_see(r) && self.scope.admits(r))
            .map(|r| (r.id.clone(), r))
            .collect();
        ids.iter().filter_map(|id| by_id.remove(id)).collect()
    }

    /// May the viewer see this row?
    pub fn can_see(&self, row: &ImageRow) -> bool {
        self.viewer.can_see(row)
    }
}

/// The rows of a vector index a search may score ([`Filters::vector_rows`]).
pub enum VectorRows {
    All,
    List(Vec<String>),
    Set(HashSet<String>),
}

impl VectorRows {
    /// The `k` best rows of `index` for `q` that are allowed and pass `keep`.
    pub fn search(
        &self,
        index: &FlatIndex,
        q: &[f32],
        k: usize,
        keep: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Vec<Hit>, SearchError> {
        match self {
            VectorRows::All => index.search(q, k, &Filter::Predicate(keep)),
            VectorRows::List(ids) => {
                let refs: Vec<&str> = ids.iter().map(String::as_str).filter(|i| keep(i)).collect();
                index.search(q, k, &Filter::AllowList(&refs))
            }
            VectorRows::Set(ids) => {
                let allowed = |id: &str| ids.contains(id) && keep(id);
                index.search(q, k, &Filter::Predicate(&allowed))
            }
        }
    }
}
