//! Natural-language search and "more like this" over the images of one database.
//!
//! * **Vectors.** Every labeled image has a 384-d *semantic* vector (its top-5 labels'
//!   class-description embeddings weighted by probability, plus its title and attribution:
//!   [`banana_search::SemanticSpace::image_vector`]) and the classifier's 1280-d pooled
//!   *features*. Both are stored in `image_vectors` by the labeling worker (or by
//!   `commit_prepared` when the prediction comes with the upload) and held in memory in two
//!   exact [`FlatIndex`]es.
//! * **Keyword side.** The database's full-text index over label names, synonyms, WordNet
//!   categories, title and attribution ([`banana_db::search_text`]).
//! * **Ranking.** Reciprocal rank fusion of the vector ranking and the keyword ranking; images
//!   carrying a label whose name *is* the query come first. Without the text model (not
//!   fetched yet) search is keyword-only and says so (`mode: "keyword"`).
//! * **Visibility** is decided in one place, [`visible_rows`], with [`Viewer::can_see`].
//! * **Several instances on one database** converge through [`App::search_sync`]: vectors
//!   written since the last sync are read back and ids whose images are gone are dropped. A
//!   background task runs it every [`SYNC_INTERVAL`] ([`spawn_sync`]); deletions made by this
//!   process leave the indexes at once, and hits are always checked against live rows, so a
//!   deleted image is never returned.

pub mod bench;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock, RwLock, Weak};
use std::time::Duration;

use banana_db::images::{self as q, ImageLabel, ImageRow, Scope};
use banana_db::{labels, search_text, vectors, DbError, Transaction};
use banana_search::keyword::terms;
use banana_search::{
    class_categories, exact_label_classes, normalize, reciprocal_rank_fusion, Filter, FlatIndex,
    FusionParams, Hit, SemanticSpace, VectorIndex, MIN_SIMILARITY,
};
use banana_vision::{class_by_wnid, imagenet_classes, Prediction, TextEmbedder};
use serde::Serialize;

use crate::access::Viewer;
use crate::images::Page;
use crate::models::{ModelPaths, Models};
use crate::view::{labels_of, ImageView};
use crate::worker::FEATURES_VECTOR;
use crate::{App, CoreError};

/// The kind of the stored semantic vectors in `image_vectors`.
pub const SEMANTIC_VECTOR: &str = "semantic";
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
/// Most distinct query words sent to the keyword search.
const MAX_KEYWORD_TERMS: usize = 32;
/// WordNet categories per label in the keyword index.
const KEYWORD_CATEGORIES: usize = 6;

/// The sentence embedder and the class embeddings, loaded once.
pub struct TextModel {
    pub embedder: TextEmbedder,
    pub space: SemanticSpace,
}

/// One search or "more like this" result.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub image: ImageView,
    pub score: f32,
    /// The labels (names) and fields (`"title"`, `"attribution"`) that explain the hit.
    pub matched: Vec<String>,
}

/// A page of search results.
#[derive(Debug, Serialize)]
pub struct SearchPage {
    pub items: Vec<SearchHit>,
    pub next_cursor: Option<String>,
    /// `"hybrid"` (vectors + keywords) or `"keyword"` (the text model is not loaded).
    pub mode: &'static str,
}

#[derive(Debug, Default)]
struct SyncState {
    loaded: bool,
    /// Newest `updated_at` seen, per kind (semantic, features).
    since: [i64; 2],
}

/// The search indexes of one process. Held in [`App::search`].
pub struct SearchService {
    text: Arc<OnceLock<Option<Arc<TextModel>>>>,
    semantic: RwLock<FlatIndex>,
    features: RwLock<FlatIndex>,
    sync: tokio::sync::Mutex<SyncState>,
}

impl Default for SearchService {
    fn default() -> Self {
        SearchService {
            text: Arc::new(OnceLock::new()),
            semantic: RwLock::new(FlatIndex::new(TextEmbedder::DIM)),
            features: RwLock::new(FlatIndex::new(FEATURES_DIM)),
            sync: tokio::sync::Mutex::new(SyncState::default()),
        }
    }
}

/// Width of the classifier's pooled features.
pub const FEATURES_DIM: usize = 1280;

impl SearchService {
    /// The text model, when loaded.
    pub fn text(&self) -> Option<Arc<TextModel>> {
        self.text.get().cloned().flatten()
    }

    /// Load the text model once the classifier's model files are known (blocking; the first
    /// call loads, later calls return at once). `None` when MiniLM is missing or broken: search
    /// then stays keyword-only until a restart.
    pub fn load_text(&self, models: &Models, threads: usize) -> Option<Arc<TextModel>> {
        let paths = models.paths()?;
        self.text
            .get_or_init(|| load_text_model(paths, threads))
            .clone()
    }

    /// Number of images in the semantic and features indexes.
    pub fn len(&self) -> (usize, usize) {
        (
            self.semantic.read().expect("index lock").len(),
            self.features.read().expect("index lock").len(),
        )
    }

    /// Put an image's vectors in the indexes (features are normalised here).
    pub fn upsert(&self, id: &str, semantic: Option<&[f32]>, features: Option<&[f32]>) {
        if let Some(v) = semantic {
            if let Err(e) = self.semantic.write().expect("index lock").upsert(id, v) {
                tracing::warn!(image.id = id, error = %e, "search: semantic vector refused");
            }
        }
        if let Some(f) = features {
            let mut f = f.to_vec();
            normalize(&mut f);
            if let Err(e) = self.features.write().expect("index lock").upsert(id, &f) {
                tracing::warn!(image.id = id, error = %e, "search: feature vector refused");
            }
        }
    }

    /// Drop an image from the indexes.
    pub fn remove(&self, id: &str) {
        self.semantic.write().expect("index lock").remove(id);
        self.features.write().expect("index lock").remove(id);
    }

    fn index(&self, kind: usize) -> &RwLock<FlatIndex> {
        if kind == 0 {
            &self.semantic
        } else {
            &self.features
        }
    }
}

fn load_text_model(paths: &ModelPaths, threads: usize) -> Option<Arc<TextModel>> {
    let started = std::time::Instant::now();
    let load = || -> Result<TextModel, String> {
        let embedder = TextEmbedder::load(paths, threads).map_err(|e| e.to_string())?;
        let (space, source) =
            SemanticSpace::load_or_build_for(&embedder, paths).map_err(|e| e.to_string())?;
        tracing::info!(?source, "search: class embeddings ready");
        Ok(TextModel { embedder, space })
    };
    match load() {
        Ok(m) => {
            tracing::info!(
                seconds = started.elapsed().as_secs_f64(),
                "search: text model loaded"
            );
            Some(Arc::new(m))
        }
        Err(e) => {
            tracing::error!(
                error = %e,
                "search: the text model could not be loaded; search is keyword-only"
            );
            None
        }
    }
}

/// `(wnid, "domestic cat, cat, feline, …")` for every class: the categories the keyword index
/// stores per label.
pub fn label_categories() -> Vec<(&'static str, String)> {
    imagenet_classes()
        .iter()
        .map(|c| (c.wnid, class_categories(c, KEYWORD_CATEGORIES).join(", ")))
        .collect()
}

/// Store the labels' WordNet categories for the keyword index (once per database).
pub async fn seed_label_categories(db: &banana_db::Db) -> Result<(), DbError> {
    let cats = label_categories();
    let refs: Vec<(&str, String)> = cats.iter().map(|(w, c)| (*w, c.clone())).collect();
    search_text::seed_categories(db, &refs).await
}

/// An image's top-5 as `(class index, probability)` from its stored predictions.
fn top5_of(labels: &[ImageLabel], image_id: &str) -> Vec<(usize, f32)> {
    labels
        .iter()
        .filter(|l| l.image_id == image_id)
        .filter_map(|l| class_by_wnid(&l.label_id).map(|c| (c.index, l.score as f32)))
        .collect()
}

fn decode_offset(cursor: Option<&str>) -> Result<usize, CoreError> {
    match cursor {
        None | Some("") => Ok(0),
        Some(c) => c
            .strip_prefix('o')
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| CoreError::BadRequest("invalid cursor".into())),
    }
}

fn encode_offset(offset: usize) -> String {
    format!("o{offset}")
}

/// Keep the candidates this viewer may see, in order, as rows. **The** visibility check of
/// search and "more like this".
fn visible_rows(viewer: &Viewer, ids: &[String], rows: Vec<ImageRow>) -> Vec<ImageRow> {
    let mut by_id: HashMap<String, ImageRow> = rows
        .into_iter()
        .filter(|r| viewer.can_see(r))
        .map(|r| (r.id.clone(), r))
        .collect();
    ids.iter().filter_map(|id| by_id.remove(id)).collect()
}

/// The rows of a vector index a search may score (see `App::visible`).
enum Visible {
    All,
    List(Vec<String>),
    Set(HashSet<String>),
}

impl Visible {
    /// The `k` best rows that are visible and pass `keep`.
    fn search(
        &self,
        index: &FlatIndex,
        q: &[f32],
        k: usize,
        keep: impl Fn(&str) -> bool + Sync,
    ) -> Result<Vec<Hit>, banana_search::SearchError> {
        match self {
            Visible::All => index.search(q, k, &Filter::Predicate(&keep)),
            Visible::List(ids) => {
                let refs: Vec<&str> = ids.iter().map(String::as_str).filter(|i| keep(i)).collect();
                index.search(q, k, &Filter::AllowList(&refs))
            }
            Visible::Set(ids) => {
                let allowed = |id: &str| ids.contains(id) && keep(id);
                index.search(q, k, &Filter::Predicate(&allowed))
            }
        }
    }
}

/// The labels and fields of an image that contain query words.
fn keyword_matches(qterms: &HashSet<String>, row: &ImageRow, labels: &[ImageLabel]) -> Vec<String> {
    let hits = |text: &str| terms(text).iter().any(|t| qterms.contains(t));
    let mut out = Vec::new();
    for l in labels
        .iter()
        .filter(|l| l.image_id == row.id && l.attached == 1)
    {
        if let Some(c) = class_by_wnid(&l.label_id) {
            let names = c.synonyms.join(" ");
            let cats = class_categories(c, KEYWORD_CATEGORIES).join(" ");
            if hits(&names) || hits(&cats) {
                out.push(l.name.clone());
            }
        }
    }
    if row.title.as_deref().is_some_and(hits) {
        out.push("title".into());
    }
    if row.attribution.as_deref().is_some_and(hits) {
        out.push("attribution".into());
    }
    out
}

fn push_unique(into: &mut Vec<String>, more: Vec<String>) {
    for m in more {
        if !into.contains(&m) {
            into.push(m);
        }
    }
}

impl App {
    /// The text model, loading it (on a blocking thread) when the classifier's files are known
    /// and it was not tried yet.
    pub async fn search_text_model(&self) -> Option<Arc<TextModel>> {
        if let Some(t) = self.search.text.get() {
            return t.clone();
        }
        let paths = self.models.paths()?.clone();
        let threads = self.config.inference_threads;
        let cell = self.search.text.clone();
        // One load per process: concurrent callers wait in `get_or_init`.
        tokio::task::spawn_blocking(move || {
            cell.get_or_init(|| load_text_model(&paths, threads))
                .clone()
        })
        .await
        .ok()
        .flatten()
    }

    /// Read what changed in the database since the last call (all vectors the first time),
    /// and drop images deleted elsewhere. Cheap when nothing changed: two small queries per
    /// kind. Runs every [`SYNC_INTERVAL`] in the background ([`spawn_sync`]); call it to
    /// converge at once.
    pub async fn search_sync(&self) -> Result<(), CoreError> {
        let mut state = self.search.sync.lock().await;
        for (k, kind) in [SEMANTIC_VECTOR, FEATURES_VECTOR].into_iter().enumerate() {
            let rows = if state.loaded {
                vectors::changed_since(&self.db, kind, state.since[k] - SYNC_SLACK_MS).await?
            } else {
                vectors::all(&self.db, kind).await?
            };
            for r in &rows {
                state.since[k] = state.since[k].max(r.updated_at);
                if k == 0 {
                    self.search.upsert(&r.image_id, Some(&r.vector), None);
                } else {
                    self.search.upsert(&r.image_id, None, Some(&r.vector));
                }
            }
            let stored = vectors::count(&self.db, kind).await? as usize;
            let held = self.search.index(k).read().expect("index lock").len();
            if stored != held {
                let present: HashSet<String> =
                    vectors::ids(&self.db, kind).await?.into_iter().collect();
                let gone: Vec<String> = self
                    .search
                    .index(k)
                    .read()
                    .expect("index lock")
                    .ids()
                    .filter(|id| !present.contains(*id))
                    .map(str::to_string)
                    .collect();
                let mut index = self.search.index(k).write().expect("index lock");
                for id in &gone {
                    index.remove(id);
                }
            }
        }
        state.loaded = true;
        Ok(())
    }

    async fn search_ensure_loaded(&self) -> Result<(), CoreError> {
        if !self.search.sync.lock().await.loaded {
            self.search_sync().await?;
        }
        Ok(())
    }

    /// An image's semantic vector from its top-5, title and attribution (blocking work on a
    /// blocking thread). `None` without the text model or when embedding fails (logged).
    pub async fn semantic_vector(
        &self,
        top5: Vec<(usize, f32)>,
        title: Option<String>,
        attribution: Option<String>,
    ) -> Option<Vec<f32>> {
        let text = self.search_text_model().await?;
        let result = tokio::task::spawn_blocking(move || {
            text.space.image_vector(
                &top5,
                title.as_deref(),
                attribution.as_deref(),
                &text.embedder,
            )
        })
        .await;
        match result {
            Ok(Ok(v)) => Some(v),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "search: semantic vector failed");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "search: semantic vector task failed");
                None
            }
        }
    }

    /// In the transaction that stores an image's labels: its semantic vector (when given) and
    /// its keyword-search text.
    pub async fn store_search_data(
        &self,
        tx: &mut Transaction<'_>,
        image_id: &str,
        semantic: Option<&[f32]>,
    ) -> Result<(), DbError> {
        if let Some(v) = semantic {
            labels::set_vector(tx, image_id, SEMANTIC_VECTOR, v).await?;
        }
        search_text::refresh(tx, image_id).await
    }

    /// For `commit_row`: compute and store the search data of an upload that came with its
    /// prediction (the in-memory indexes follow after the commit, [`App::index_stored`]).
    pub async fn store_prediction_search(
        &self,
        tx: &mut Transaction<'_>,
        row: &ImageRow,
        p: &Prediction,
    ) -> Result<(), DbError> {
        let semantic = self
            .semantic_vector(p.top5.clone(), row.title.clone(), row.attribution.clone())
            .await;
        self.store_search_data(tx, &row.id, semantic.as_deref())
            .await
    }

    /// Put an image's stored vectors into this process's indexes (after its commit).
    pub async fn index_stored(&self, image_id: &str) {
        let semantic = vectors::get(&self.db, image_id, SEMANTIC_VECTOR).await;
        let features = vectors::get(&self.db, image_id, FEATURES_VECTOR).await;
        match (semantic, features) {
            (Ok(s), Ok(f)) => self.search.upsert(image_id, s.as_deref(), f.as_deref()),
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!(image.id = image_id, error = %e, "search: reading vectors failed; the catch-up will index it")
            }
        }
    }

    /// After an image's title or attribution changed (the PATCH path): rewrite its keyword
    /// text and, when it is labeled and the text model is loaded, its semantic vector, and
    /// update this process's index (other instances follow at their catch-up).
    pub async fn search_reindex(&self, id: &str) -> Result<(), CoreError> {
        let row = q::get(&self.db, id)
            .await?
            .ok_or(CoreError::NotFound("image"))?;
        let labels = q::labels_for(&self.db, std::slice::from_ref(&row.id)).await?;
        let top5 = top5_of(&labels, id);
        let semantic = if top5.is_empty() {
            None
        } else {
            self.semantic_vector(top5, row.title.clone(), row.attribution.clone())
                .await
        };
        let mut tx = self.db.begin().await?;
        self.store_search_data(&mut tx, id, semantic.as_deref())
            .await?;
        tx.commit().await?;
        if semantic.is_some() {
            self.search.upsert(id, semantic.as_deref(), None);
        }
        Ok(())
    }

    /// Fill in what images labeled before search existed lack: keyword text, and semantic
    /// vectors (when the text model is loaded). Returns how many images were updated.
    pub async fn search_backfill(&self) -> Result<usize, CoreError> {
        let mut done = 0;
        loop {
            let ids = search_text::missing(&self.db, 200).await?;
            if ids.is_empty() {
                break;
            }
            let mut tx = self.db.begin().await?;
            for id in &ids {
                search_text::refresh(&mut tx, id).await?;
            }
            tx.commit().await?;
            done += ids.len();
        }
        if self.search_text_model().await.is_none() {
            return Ok(done);
        }
        loop {
            let ids = vectors::missing(&self.db, FEATURES_VECTOR, SEMANTIC_VECTOR, 100).await?;
            if ids.is_empty() {
                break;
            }
            let labels = q::labels_for(&self.db, &ids).await?;
            let rows = vectors::rows(&self.db, &ids).await?;
            let mut progressed = false;
            for row in rows {
                let top5 = top5_of(&labels, &row.id);
                let Some(v) = self
                    .semantic_vector(top5, row.title.clone(), row.attribution.clone())
                    .await
                else {
                    continue;
                };
                let mut tx = self.db.begin().await?;
                labels::set_vector(&mut tx, &row.id, SEMANTIC_VECTOR, &v).await?;
                tx.commit().await?;
                self.search.upsert(&row.id, Some(&v), None);
                progressed = true;
                done += 1;
            }
            if !progressed {
                break;
            }
        }
        Ok(done)
    }

    /// Which rows of the index of `kind` (holding `held` rows) this scope may score: nothing
    /// to restrict for [`Scope::All`]; otherwise the ids of the images it allows, as an
    /// allow-list when that is at most half of the index (scoring only those is cheaper) and
    /// as a set the scan checks otherwise. Either way images the viewer may not see never
    /// take a rank or a place in the candidate budget, so they cannot change the results.
    async fn visible(&self, kind: &str, held: usize, scope: &Scope) -> Result<Visible, CoreError> {
        if *scope == Scope::All {
            return Ok(Visible::All);
        }
        let ids = vectors::visible_ids(&self.db, kind, scope).await?;
        Ok(if ids.len() <= held / 2 {
            Visible::List(ids)
        } else {
            Visible::Set(ids.into_iter().collect())
        })
    }

    /// The vector side of a search: images the viewer may see whose semantic vector has cosine
    /// similarity at least [`MIN_SIMILARITY`] with the query, best first, at most
    /// [`MAX_CANDIDATES`].
    async fn vector_candidates(&self, q: &[f32], scope: &Scope) -> Result<Vec<String>, CoreError> {
        let held = self.search.semantic.read().expect("index lock").len();
        if held == 0 {
            return Ok(Vec::new());
        }
        let visible = self.visible(SEMANTIC_VECTOR, held, scope).await?;
        let index = self.search.semantic.read().expect("index lock");
        let hits = visible
            .search(&index, q, MAX_CANDIDATES, |_| true)
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        Ok(hits
            .into_iter()
            .take_while(|h| h.score >= MIN_SIMILARITY)
            .map(|h| h.id)
            .collect())
    }

    /// Natural-language search: `q` (blank → 400; long text is cut by the tokenizer), `limit`
    /// (1–100, default 20), `cursor` from a previous page.
    pub async fn search(
        &self,
        viewer: &Viewer,
        q: &str,
        limit: Option<i64>,
        cursor: Option<&str>,
    ) -> Result<SearchPage, CoreError> {
        self.search_as(viewer, q, limit, cursor, true).await
    }

    /// [`App::search`], with the vector side switched off when `vectors` is false (keyword
    /// only, for the quality bench's baseline).
    pub async fn search_as(
        &self,
        viewer: &Viewer,
        q: &str,
        limit: Option<i64>,
        cursor: Option<&str>,
        use_vectors: bool,
    ) -> Result<SearchPage, CoreError> {
        if q.trim().is_empty() {
            return Err(CoreError::BadRequest("q must not be empty".into()));
        }
        let q: String = q
            .chars()
            .take(banana_search::semantic::MAX_QUERY_CHARS)
            .collect();
        let limit = limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize;
        let offset = decode_offset(cursor)?;
        self.search_ensure_loaded().await?;

        let text = if use_vectors {
            self.search_text_model().await
        } else {
            None
        };
        let query_vector = match &text {
            Some(t) => {
                let t = t.clone();
                let qq = q.clone();
                let v = tokio::task::spawn_blocking(move || t.space.query_vector(&qq, &t.embedder))
                    .await?;
                match v {
                    Ok(v) => Some(v),
                    Err(banana_search::SearchError::EmptyQuery) => {
                        return Err(CoreError::BadRequest("q must not be empty".into()))
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "search: query embedding failed; keyword only");
                        None
                    }
                }
            }
            None => None,
        };
        let mode = if query_vector.is_some() {
            "hybrid"
        } else {
            "keyword"
        };

        let mut qterms: Vec<String> = Vec::new();
        for t in terms(&q) {
            if !qterms.contains(&t) && qterms.len() < MAX_KEYWORD_TERMS {
                qterms.push(t);
            }
        }
        let exact_wnids: Vec<&str> = exact_label_classes(&q)
            .into_iter()
            .map(|i| imagenet_classes()[i].wnid)
            .collect();

        let scope = viewer.scope();
        let vector_ids: Vec<String> = match &query_vector {
            Some(v) => self.vector_candidates(v, &scope).await?,
            None => Vec::new(),
        };
        // Beside the vector ranking, the keyword side is word evidence: an image must carry
        // every query word (conjunctive, as keyword engines default to). Alone (keyword mode)
        // any word will do, or a sentence would rarely find anything.
        let all_terms = query_vector.is_some();
        let keyword_ids: Vec<String> =
            search_text::keyword(&self.db, &qterms, all_terms, &scope, MAX_CANDIDATES as i64)
                .await?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
        let exact_ids =
            search_text::with_labels(&self.db, &exact_wnids, &scope, MAX_CANDIDATES as i64).await?;
        let fused = reciprocal_rank_fusion(
            &vector_ids,
            &keyword_ids,
            &exact_ids,
            &FusionParams::default(),
        );
        // The ranking above depends on the query, the viewer and the data only (not on the
        // page asked for), so pages are slices of one list. Rows are read for a prefix of it,
        // just long enough for this page and one more hit (the next-page check); the
        // visibility check on live rows also drops images deleted since the indexes last
        // heard of them.
        let want = offset + limit + 1;
        let mut rows: Vec<ImageRow> = Vec::new();
        let mut pos = 0;
        while rows.len() < want && pos < fused.len() {
            let end = (pos + 2 * (want - rows.len()).max(16)).min(fused.len());
            let ids: Vec<String> = fused[pos..end].iter().map(|f| f.id.clone()).collect();
            rows.extend(visible_rows(
                viewer,
                &ids,
                vectors::rows(&self.db, &ids).await?,
            ));
            pos = end;
        }
        let score_of: HashMap<&str, f32> = fused.iter().map(|f| (f.id.as_str(), f.score)).collect();
        let next_cursor = (rows.len() > offset + limit).then(|| encode_offset(offset + limit));
        let page: Vec<ImageRow> = rows.into_iter().skip(offset).take(limit).collect();

        let ids: Vec<String> = page.iter().map(|r| r.id.clone()).collect();
        let labels = q::labels_for(&self.db, &ids).await?;
        let qset: HashSet<String> = qterms.into_iter().collect();
        let items = page
            .into_iter()
            .map(|row| {
                let mut matched = match (&query_vector, &text) {
                    (Some(v), Some(t)) => t.space.explain(v, &top5_of(&labels, &row.id)),
                    _ => Vec::new(),
                };
                push_unique(&mut matched, keyword_matches(&qset, &row, &labels));
                let score = score_of.get(row.id.as_str()).copied().unwrap_or(0.0);
                let l = labels_of(&labels, &row.id);
                SearchHit {
                    image: ImageView::from_row(row, l),
                    score,
                    matched,
                }
            })
            .collect();
        Ok(SearchPage {
            items,
            next_cursor,
            mode,
        })
    }

    /// The images most like `id` by the classifier's pooled features, best first, without the
    /// image itself; `matched` lists the labels they share with it. Empty while `id` is not
    /// labeled yet. 404 when the viewer may not see `id`.
    pub async fn similar(
        &self,
        viewer: &Viewer,
        id: &str,
        limit: Option<i64>,
    ) -> Result<Page<SearchHit>, CoreError> {
        let row = q::get(&self.db, id)
            .await?
            .filter(|r| viewer.can_see(r))
            .ok_or(CoreError::NotFound("image"))?;
        let limit = limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize;
        self.search_ensure_loaded().await?;
        let held = self
            .search
            .features
            .read()
            .expect("index lock")
            .get(id)
            .map(<[f32]>::to_vec);
        let query = match held {
            Some(v) => v,
            None => match vectors::get(&self.db, id, FEATURES_VECTOR).await? {
                Some(mut v) => {
                    normalize(&mut v);
                    v
                }
                None => {
                    return Ok(Page {
                        items: Vec::new(),
                        next_cursor: None,
                    })
                }
            },
        };
        let held = self.search.features.read().expect("index lock").len();
        let visible = self.visible(FEATURES_VECTOR, held, &viewer.scope()).await?;
        let not_self = |other: &str| other != row.id;
        let mut depth = limit;
        let (hits, rows) = loop {
            let hits: Vec<Hit> = {
                let index = self.search.features.read().expect("index lock");
                visible
                    .search(&index, &query, depth, &not_self)
                    .map_err(|e| CoreError::Internal(e.to_string()))?
            };
            let ids: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
            let rows = visible_rows(viewer, &ids, vectors::rows(&self.db, &ids).await?);
            // Only what the viewer may see was scored, so rows are missing only for images
            // deleted since the index heard of them: growing the depth is rare.
            if rows.len() >= limit || hits.len() < depth {
                break (hits, rows);
            }
            depth *= 4;
        };
        let score_of: HashMap<&str, f32> = hits.iter().map(|h| (h.id.as_str(), h.score)).collect();
        let page: Vec<ImageRow> = rows.into_iter().take(limit).collect();
        let mut ids: Vec<String> = page.iter().map(|r| r.id.clone()).collect();
        ids.push(row.id.clone());
        let labels = q::labels_for(&self.db, &ids).await?;
        let own: HashSet<&str> = labels
            .iter()
            .filter(|l| l.image_id == row.id && l.attached == 1)
            .map(|l| l.label_id.as_str())
            .collect();
        let items = page
            .into_iter()
            .map(|r| {
                let matched = labels
                    .iter()
                    .filter(|l| l.image_id == r.id && l.attached == 1)
                    .filter(|l| own.contains(l.label_id.as_str()))
                    .map(|l| l.name.clone())
                    .collect();
                let score = score_of.get(r.id.as_str()).copied().unwrap_or(0.0);
                let l = labels_of(&labels, &r.id);
                SearchHit {
                    image: ImageView::from_row(r, l),
                    score,
                    matched,
                }
            })
            .collect();
        Ok(Page {
            items,
            next_cursor: None,
        })
    }
}

/// Run [`App::search_sync`] every [`SYNC_INTERVAL`] until the app is dropped.
/// — or at once when another instance signals a change (`App::search_changed`, fed by the
/// PostgreSQL listener).
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
            if let Err(e) = app.search_sync().await {
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
                Err(e) => tracing::warn!(error = %e, "search: backfill failed"),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_are_offsets_and_garbage_is_refused() {
        assert_eq!(decode_offset(None).unwrap(), 0);
        assert_eq!(decode_offset(Some(&encode_offset(40))).unwrap(), 40);
        assert!(matches!(
            decode_offset(Some("x12")),
            Err(CoreError::BadRequest(_))
        ));
    }

    #[test]
    fn label_categories_name_broader_classes() {
        let cats = label_categories();
        let tabby = cats.iter().find(|(w, _)| *w == "n02123045").unwrap();
        assert!(tabby.1.contains("domestic cat"), "{}", tabby.1);
        assert_eq!(cats.len(), 1000);
    }
}
