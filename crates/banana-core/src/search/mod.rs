//! Natural-language search and "more like this" over the images of one database.
//!
//! * **Vectors.** Every labeled image has a 384-d *semantic* vector (its top-5 labels'
//!   class-description embeddings weighted by probability, plus its title and attribution:
//!   [`banana_search::SemanticSpace::image_vector`]) and the classifier's 1280-d pooled
//!   *features* ([`VectorKind`]). Both are stored in `image_vectors` by the labeling worker
//!   (or by `commit_prepared` when the prediction comes with the upload) and held in memory
//!   in two exact [`FlatIndex`](banana_search::FlatIndex)es ([`indexes`]).
//! * **[`SearchService`] owns the behaviour.** [`SearchService::search`] takes a
//!   [`SearchRequest`] (query, viewer, mode, paging) and runs separate steps:
//!   1. understand the query ([`query`]: words, exact label names, its vector);
//!   2. the [`Filters`] of the request (today: what the viewer may see) — applied by every
//!      candidate source *before* it ranks, so images the viewer may not see can neither
//!      take a rank nor change a score ([`filter`]);
//!   3. candidate generation: each [`CandidateSource`] returns its own ranking (vector
//!      similarity, keyword full-text, exact label name: [`candidates`]);
//!   4. fusion of the rankings ([`banana_search::fuse`]: reciprocal rank fusion, exact label
//!      names first);
//!   5. paging over the fused list ([`paging`]), rows checked live;
//!   6. the explanation of each hit (`matched`, [`explain`]).
//!
//!   A new signal (OCR text, faces, dates, places, colours) is a new candidate source (one
//!   file, one line in [`candidates::SOURCES`]) or a new field of [`Filters`] that sources
//!   apply; the other steps stay as they are. [`SearchService::similar`] ([`similar`]) uses
//!   the same filter and explanation steps.
//! * **Without the text model** (not fetched yet) search is keyword-only and says so
//!   ([`Mode::Keyword`]).
//! * **Visibility** is decided in one place, [`Filters`], with [`Viewer::can_see`] and
//!   [`Viewer::scope`](crate::access::Viewer::scope).
//! * **Several instances on one database** converge through [`SearchService::sync`]: vectors
//!   written since the last sync are read back and ids whose images are gone are dropped. A
//!   background task runs it every [`SYNC_INTERVAL`] ([`spawn_sync`]); deletions made by this
//!   process leave the indexes at once, and hits are always checked against live rows, so a
//!   deleted image is never returned.
//!
//! The `impl App` methods at the end are thin delegates kept for the callers outside search
//! (uploads, the worker, the routes, the bench).

pub mod candidates;
pub mod colours;
pub mod explain;
pub mod facets;
pub mod filter;
pub mod indexes;
pub mod paging;
pub mod query;
pub mod request;
pub mod similar;
pub mod store;
pub mod sync;
pub mod text;

use std::sync::{Arc, OnceLock, Weak};
use std::time::Duration;

use banana_db::images::ImageRow;
use banana_db::{search_text, Db, DbError, Transaction};
use banana_search::{class_categories, FusedRanks};
use banana_vision::{imagenet_classes, Prediction};

use crate::access::Viewer;
use crate::models::Models;
use crate::view::Page;
use crate::{App, CoreError};

pub use banana_db::vectors::VectorKind;
pub use candidates::{CandidateSource, SourceEnv};
pub use filter::Filters;
pub use indexes::{Indexes, FEATURES_DIM};
pub use query::Query;
pub use request::{Library, Mode, Paging, SearchRequest, SimilarRequest};
pub use text::TextModel;

/// The kind of the stored semantic vectors in `image_vectors` ([`VectorKind::Semantic`]).
pub const SEMANTIC_VECTOR: &str = VectorKind::Semantic.as_str();
/// How often the background catch-up reads what other instances wrote.
pub const SYNC_INTERVAL: Duration = Duration::from_secs(2);
/// The catch-up re-reads vectors this much older than the newest it has seen, so a row
/// committed late (or by an instance whose clock is a little behind) is not missed.
pub const SYNC_SLACK_MS: i64 = 10_000;
/// Most candidates taken from each ranking (vector, keyword, exact label name) of one query;
/// pages are slices of their fusion, so one query reaches at most a few thousand results.
pub const MAX_CANDIDATES: usize = 1000;
/// Results per page: default and most.
pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;
/// WordNet categories per label in the keyword index.
const KEYWORD_CATEGORIES: usize = 6;

pub use banana_api::{SearchHit, SearchPage};

/// What the service needs from the application on each call (it owns everything else).
#[derive(Clone, Copy)]
pub struct SearchContext<'a> {
    pub db: &'a Db,
    pub models: &'a Models,
    /// Threads of the text model when it is loaded on first use.
    pub threads: usize,
}

/// The search state of one process (held in [`App::search`]) and the behaviour on it.
pub struct SearchService {
    text: Arc<OnceLock<Option<Arc<TextModel>>>>,
    indexes: Indexes,
    sync: tokio::sync::Mutex<sync::SyncState>,
}

impl Default for SearchService {
    fn default() -> Self {
        SearchService {
            text: Arc::new(OnceLock::new()),
            indexes: Indexes::default(),
            sync: tokio::sync::Mutex::new(sync::SyncState::default()),
        }
    }
}

impl SearchService {
    /// Natural-language search (see the module docs for the steps).
    pub async fn search(
        &self,
        cx: &SearchContext<'_>,
        req: &SearchRequest,
    ) -> Result<SearchPage, CoreError> {
        self.ensure_loaded(cx).await?;
        let vocab = facets::Vocab::of(cx.db, &req.viewer, req.library).await?;
        let mut parsed = vocab.parse(&req.query, facets::today());
        let mut filters = Filters::for_library(&req.viewer, req.library);
        // "red car": the colour narrows, the rest ranks.
        let colour = colours::take_colour(&mut parsed, &req.query);
        if parsed.has_filters() || colour.is_some() {
            let mut ids = if parsed.has_filters() {
                let meta = facets::meta_filter(&parsed, &req.viewer);
                Some(facets::matching(cx.db, filters.scope(), &meta).await?)
            } else {
                None
            };
            // With a colour: in its order (the largest share of it first), scored by its share.
            let mut shares = std::collections::HashMap::new();
            if let Some(c) = &colour {
                let coloured = colours::coloured(cx.db, c).await?;
                let in_colour_order = coloured.iter().map(|(id, _)| id.clone());
                ids = Some(match ids {
                    Some(ids) => {
                        let keep: std::collections::HashSet<String> = ids.into_iter().collect();
                        in_colour_order.filter(|i| keep.contains(i)).collect()
                    }
                    None => in_colour_order.collect(),
                });
                shares = coloured.into_iter().collect();
            }
            let ids = ids.unwrap_or_default();
            filters = filters.among(ids.clone());
            if colours::only_glue(&parsed.rest) {
                // Only filters: everything they admit, newest first (unscored), or by the
                // colour's share.
                let fused: Vec<FusedRanks> = ids
                    .into_iter()
                    .map(|id| FusedRanks {
                        score: shares.get(&id).copied().unwrap_or(0.0),
                        id,
                        ranks: Vec::new(),
                    })
                    .collect();
                let page = paging::page(cx.db, &filters, &fused, &req.page).await?;
                let query = self.understand_text(cx, Mode::Keyword, &req.query).await?;
                let mut items = explain::search_hits(cx.db, &query, page.rows, &fused).await?;
                for h in &mut items {
                    h.matched = parsed.matched.clone();
                }
                crate::view::add_details(
                    cx.db,
                    &req.viewer,
                    items.iter_mut().map(|h| &mut h.image),
                )
                .await?;
                return Ok(SearchPage {
                    items,
                    next_cursor: page.next_cursor,
                    mode: req.mode,
                });
            }
        }
        let text = if parsed.has_filters() || colour.is_some() {
            parsed.rest.as_str()
        } else {
            req.query.as_str()
        };
        let query = self.understand_text(cx, req.mode, text).await?;
        let env = SourceEnv {
            db: cx.db,
            indexes: &self.indexes,
        };
        let fused = candidates::fused(&env, &query, &filters).await?;
        let page = paging::page(cx.db, &filters, &fused, &req.page).await?;
        let mut items = explain::search_hits(cx.db, &query, page.rows, &fused).await?;
        for h in &mut items {
            let mut matched = parsed.matched.clone();
            matched.extend(std::mem::take(&mut h.matched));
            h.matched = matched;
        }
        crate::view::add_details(cx.db, &req.viewer, items.iter_mut().map(|h| &mut h.image))
            .await?;
        Ok(SearchPage {
            items,
            next_cursor: page.next_cursor,
            mode: query.mode(),
        })
    }

    /// Number of images in the semantic and features indexes.
    pub fn len(&self) -> (usize, usize) {
        (
            self.indexes.len(VectorKind::Semantic),
            self.indexes.len(VectorKind::Features),
        )
    }

    /// Put an image's vectors in the indexes (features are normalised here).
    pub fn upsert(&self, id: &str, semantic: Option<&[f32]>, features: Option<&[f32]>) {
        if let Some(v) = semantic {
            self.indexes.upsert(VectorKind::Semantic, id, v);
        }
        if let Some(f) = features {
            self.indexes.upsert(VectorKind::Features, id, f);
        }
    }

    /// Drop an image from the indexes.
    pub fn remove(&self, id: &str) {
        self.indexes.remove(id);
    }

    /// The in-memory vector indexes.
    pub fn indexes(&self) -> &Indexes {
        &self.indexes
    }
}

/// `(wnid, "domestic cat, cat, feline, …")` for every class, and the broader words of every
/// category of the label tree: the categories the keyword index stores per label.
pub fn label_categories() -> Vec<(&'static str, String)> {
    let t = banana_vision::taxonomy::taxonomy();
    imagenet_classes()
        .iter()
        .map(|c| (c.wnid, class_categories(c, KEYWORD_CATEGORIES).join(", ")))
        .chain(
            t.categories
                .iter()
                .map(|c| (c.id, crate::labels::category_categories(t, c))),
        )
        .collect()
}

/// Store the labels' WordNet categories for the keyword index (once per database).
pub async fn seed_label_categories(db: &banana_db::Db) -> Result<(), DbError> {
    let cats = label_categories();
    let refs: Vec<(&str, String)> = cats.iter().map(|(w, c)| (*w, c.clone())).collect();
    search_text::seed_categories(db, &refs).await
}

/// The entry points the rest of the application calls: each hands over to the service.
impl App {
    /// What the search service needs from this app.
    pub fn search_context(&self) -> SearchContext<'_> {
        SearchContext {
            db: &self.db,
            models: &self.models,
            threads: self.config.inference_threads,
        }
    }

    /// Natural-language search over everything `viewer` may see ([`Library::All`]; the HTTP
    /// API's default is the caller's own library): `q` (blank → 400; long text is cut),
    /// `limit` (1–100, default 20), `cursor` from a previous page.
    pub async fn search(
        &self,
        viewer: &Viewer,
        q: &str,
        limit: Option<i64>,
        cursor: Option<&str>,
    ) -> Result<SearchPage, CoreError> {
        let req = SearchRequest::new(viewer.clone(), q, limit, cursor)?.with_library(Library::All);
        self.search.search(&self.search_context(), &req).await
    }

    /// [`App::search`], keyword-only when `vectors` is false (the quality bench's baseline).
    pub async fn search_as(
        &self,
        viewer: &Viewer,
        q: &str,
        limit: Option<i64>,
        cursor: Option<&str>,
        vectors: bool,
    ) -> Result<SearchPage, CoreError> {
        let mode = if vectors { Mode::Hybrid } else { Mode::Keyword };
        let req = SearchRequest::new(viewer.clone(), q, limit, cursor)?
            .with_mode(mode)
            .with_library(Library::All);
        self.search.search(&self.search_context(), &req).await
    }

    /// "More like this" ([`SearchService::similar`]).
    pub async fn similar(
        &self,
        viewer: &Viewer,
        id: &str,
        limit: Option<i64>,
    ) -> Result<Page<SearchHit>, CoreError> {
        let req = SimilarRequest::new(viewer.clone(), id, limit);
        self.search.similar(&self.search_context(), &req).await
    }

    /// The text model, loading it when the classifier's files are known
    /// ([`SearchService::text_model`]).
    pub async fn search_text_model(&self) -> Option<Arc<TextModel>> {
        self.search.text_model(&self.search_context()).await
    }

    /// Converge the indexes with the database ([`SearchService::sync`]).
    pub async fn search_sync(&self) -> Result<(), CoreError> {
        self.search.sync(self.search_context().db).await
    }

    /// An image's semantic vector ([`SearchService::semantic_vector`]).
    pub async fn semantic_vector(
        &self,
        top5: Vec<(usize, f32)>,
        title: Option<String>,
        attribution: Option<String>,
        findings: Vec<String>,
    ) -> Option<Vec<f32>> {
        self.search
            .semantic_vector(&self.search_context(), top5, title, attribution, findings)
            .await
    }

    /// In the transaction that stores an image's labels: its semantic vector (when given) and
    /// its keyword-search text ([`store::store_search_data`]).
    pub async fn store_search_data(
        &self,
        tx: &mut Transaction<'_>,
        image_id: &str,
        semantic: Option<&[f32]>,
    ) -> Result<(), DbError> {
        store::store_search_data(tx, image_id, semantic).await
    }

    /// For `commit_row`: the search data of an upload that came with its prediction
    /// ([`SearchService::store_prediction`]).
    pub async fn store_prediction_search(
        &self,
        tx: &mut Transaction<'_>,
        row: &ImageRow,
        p: &Prediction,
    ) -> Result<(), DbError> {
        self.search
            .store_prediction(&self.search_context(), tx, row, p)
            .await
    }

    /// Put an image's stored vectors into this process's indexes (after its commit).
    pub async fn index_stored(&self, image_id: &str) {
        self.search.index_stored(&self.db, image_id).await
    }

    /// After an image's title or attribution changed ([`SearchService::reindex`]).
    pub async fn search_reindex(&self, id: &str) -> Result<(), CoreError> {
        self.search.reindex(&self.search_context(), id).await
    }

    /// Fill in what images labeled before search existed lack ([`SearchService::backfill`]).
    pub async fn search_backfill(&self) -> Result<usize, CoreError> {
        self.search.backfill(&self.search_context()).await
    }
}

/// Run [`SearchService::sync`] every [`SYNC_INTERVAL`] until the app is dropped — or at once
/// when another instance signals a change (`App::search_changed`, fed by the PostgreSQL
/// listener).
pub fn spawn_sync(app: &Arc<App>) -> tokio::task::JoinHandle<()> {
    let weak: Weak<App> = Arc::downgrade(app);
    let changed = app.search_changed.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(SYNC_INTERVAL) => {}
                _ = changed.notified() => {}
            }
            let Some(app) = weak.upgrade() else { break };
            if app.db.is_closed() {
                break;
            }
            if let Err(e) = app.search_sync().await {
                if app.db.is_closed() {
                    break;
                }
                tracing::warn!(error = %e, "search: catch-up failed");
            }
        }
    })
}

/// Once the classifier is loaded (called on the blocking thread that loaded it): load the text
/// model and backfill what older images lack.
pub fn after_models_ready(app: &Arc<App>) {
    app.search
        .load_text(&app.models, app.config.inference_threads);
    let app = app.clone();
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        handle.spawn(async move {
            match app.search_backfill().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(images = n, "search: backfilled"),
                // A short-lived command (`banana reanalyze`) may close the pool first.
                Err(_) if app.db.is_closed() => {}
                Err(e) => tracing::warn!(error = %e, "search: backfill failed"),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_categories_name_broader_classes() {
        let cats = label_categories();
        let tabby = cats.iter().find(|(w, _)| *w == "n02123045").unwrap();
        assert!(tabby.1.contains("domestic cat"), "{}", tabby.1);
        let categories = banana_vision::taxonomy::taxonomy().categories.len();
        assert_eq!(cats.len(), 1000 + categories);
        let dog = cats.iter().find(|(w, _)| *w == "dog").unwrap();
        assert!(dog.1.contains("animal"), "{}", dog.1);
    }

    #[test]
    fn vector_kinds_are_the_stored_strings() {
        assert_eq!(SEMANTIC_VECTOR, "semantic");
        assert_eq!(
            VectorKind::Features.as_str(),
            banana_db::labels::FEATURES_VECTOR
        );
        for k in VectorKind::ALL {
            assert_eq!(VectorKind::parse(k.as_str()), Some(k));
        }
    }
}
