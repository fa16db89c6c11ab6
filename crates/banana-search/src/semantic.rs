//! The semantic space: class embeddings, image vectors, query vectors and explanations.
//!
//! Every image and every query becomes a unit vector in the 384-d all-MiniLM-L6-v2 space, so
//! their dot product is a cosine similarity. See the crate README for the reasoning.
//!
//! * **Class embeddings** (once per model + recipe): for each ImageNet class, the embedding
//!   of a description that starts with its names and goes on with its WordNet gloss and
//!   categories: `"tabby, tabby cat: a cat with a grey or tawny coat mottled with black. A
//!   kind of domestic cat, cat, feline, carnivore, placental, mammal."`. The categories are
//!   the class's WordNet hypernyms, nearest first, without those shared by more than 40% of
//!   the 1000 classes (`entity`, `object`, `artifact`, `organism`, ...: they say nothing about
//!   one class against another), at most [`MAX_CATEGORIES`]. (Recipe 1 also averaged in a
//!   names-only embedding; the quality bench's ablation measured it worse, see the README.)
//! * **Image vector**: `normalize(w_l * L + w_t * T + w_a * A)` where `L` is the unit-length
//!   probability-weighted mean of the top-5 class embeddings (weights = the classifier's
//!   softmax probabilities), `T` and `A` the embeddings of the title and attribution when
//!   given, and `w` = [`VectorWeights`] (default 1.0, 0.5, 0.25).
//! * **Query vector**: the embedding of the query text, cached in a small LRU.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use banana_vision::{imagenet_classes, ImageNetClass, ModelPaths, TextEmbedder};
use sha2::{Digest, Sha256};

use crate::error::{Result, SearchError};
use crate::index::normalize;
use crate::simd;

/// Version of the text recipe below; part of the cache key, bump it when the texts change.
pub const RECIPE_VERSION: u32 = 2;

/// Most WordNet categories a class description lists.
pub const MAX_CATEGORIES: usize = 6;

/// A hypernym shared by more than this fraction of the classes is left out of descriptions.
pub const GENERIC_CATEGORY_SHARE: f64 = 0.4;

/// Default capacity of the query-embedding cache.
pub const QUERY_CACHE_CAPACITY: usize = 1024;

/// Queries are cut at this many characters before tokenising (the model reads at most 256
/// tokens anyway), which also bounds the cache's keys.
pub const MAX_QUERY_CHARS: usize = 4096;

/// The relevance floor of the vector side of search: an image whose vector's cosine
/// similarity with the query is below this is not a candidate, however few images score
/// higher. Without it a vector ranking returns every image for any query (RRF keeps ranks,
/// not scores), so a query that means nothing would list the whole collection.
///
/// Calibrated on a null model, not on the quality query set: 1000 gibberish queries
/// ([`crate::random::random_gibberish`], "qzvxo kptr") against the 1000 sample images. The
/// floor is the 90th percentile of the best similarity each reaches (0.298), rounded up to
/// 0.05: nine meaningless queries in ten get no vector candidate at all and the rest a few
/// (mean 0.16 images per gibberish query, p99 3, max 8). The price, measured afterwards on the
/// query set: 90% of the relevant images score above it (the rest can still come from the
/// keyword side). The quality bench prints all of this (`search_quality`, "Relevance floor").
pub const MIN_SIMILARITY: f32 = 0.30;

/// Texts embedded in one run while building class embeddings.
const BATCH: usize = 32;

/// Weights of the parts of an image vector. Each part is a unit vector before weighting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VectorWeights {
    /// The classifier's labels (probability-weighted class embeddings).
    pub labels: f32,
    /// The user's title.
    pub title: f32,
    /// The attribution (photographer, source).
    pub attribution: f32,
    /// Each sentence the other analyzers give (faces: "a photo of a person"; text read).
    pub findings: f32,
}

impl Default for VectorWeights {
    fn default() -> Self {
        VectorWeights {
            labels: 1.0,
            title: 0.5,
            attribution: 0.25,
            findings: 0.6,
        }
    }
}

/// Two texts for a class: `(names, description)`. The current recipe embeds the description
/// (which begins with the names); the names alone are kept for the bench's ablation.
pub fn class_texts(class: &ImageNetClass) -> (String, String) {
    (
        class.synonyms.join(", "),
        class_description(class, MAX_CATEGORIES),
    )
}

/// `"<names>: <gloss>. A kind of <up to max_categories specific hypernyms>."`
pub fn class_description(class: &ImageNetClass, max_categories: usize) -> String {
    let names = class.synonyms.join(", ");
    let generic = generic_categories();
    let cats: Vec<&str> = class
        .hypernyms
        .iter()
        .copied()
        .filter(|h| !generic.contains(h))
        .take(max_categories)
        .collect();
    let mut desc = format!("{names}: {}.", class.gloss);
    if !cats.is_empty() {
        desc.push_str(" A kind of ");
        desc.push_str(&cats.join(", "));
        desc.push('.');
    }
    desc
}

/// A class's specific WordNet categories, nearest first, without the generic ones (as in
/// [`class_description`]), at most `max_categories`. For keyword search.
pub fn class_categories(class: &ImageNetClass, max_categories: usize) -> Vec<&'static str> {
    let generic = generic_categories();
    class
        .hypernyms
        .iter()
        .copied()
        .filter(|h| !generic.contains(h))
        .take(max_categories)
        .collect()
}

/// Hypernyms shared by more than [`GENERIC_CATEGORY_SHARE`] of the classes.
fn generic_categories() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let classes = imagenet_classes();
        let mut count: HashMap<&'static str, usize> = HashMap::new();
        for c in classes {
            for h in &c.hypernyms {
                *count.entry(h).or_default() += 1;
            }
        }
        let limit = (classes.len() as f64 * GENERIC_CATEGORY_SHARE) as usize;
        count
            .into_iter()
            .filter(|&(_, n)| n > limit)
            .map(|(h, _)| h)
            .collect()
    })
}

/// Where the class embeddings came from.
#[derive(Debug, Clone, PartialEq)]
pub enum SpaceSource {
    /// Read from the cache file.
    Cached { path: PathBuf },
    /// Computed with the embedder (and written to the cache file when one was given).
    Computed {
        seconds: f64,
        texts: usize,
        path: Option<PathBuf>,
    },
}

/// A tiny LRU of query embeddings (exact-match on the normalised text).
#[derive(Debug)]
struct QueryCache {
    capacity: usize,
    tick: u64,
    map: HashMap<String, (Arc<[f32]>, u64)>,
}

impl QueryCache {
    fn get(&mut self, key: &str) -> Option<Arc<[f32]>> {
        self.tick += 1;
        let tick = self.tick;
        self.map.get_mut(key).map(|e| {
            e.1 = tick;
            e.0.clone()
        })
    }

    fn put(&mut self, key: String, v: Arc<[f32]>) {
        if self.capacity == 0 {
            return;
        }
        if self.map.len() >= self.capacity && !self.map.contains_key(&key) {
            // O(capacity) eviction of the least recently used; fine for ~1000 entries and
            // only on a miss, which costs a model run anyway.
            if let Some(old) = self
                .map
                .iter()
                .min_by_key(|(_, (_, t))| *t)
                .map(|(k, _)| k.clone())
            {
                self.map.remove(&old);
            }
        }
        self.tick += 1;
        self.map.insert(key, (v, self.tick));
    }
}

/// Class embeddings plus the rules that turn labels, titles and queries into vectors.
#[derive(Debug)]
pub struct SemanticSpace {
    dim: usize,
    classes: Vec<f32>,
    weights: VectorWeights,
    cache: Mutex<QueryCache>,
}

impl SemanticSpace {
    /// Computes the class embeddings with `embedder` (1000 short texts; seconds).
    pub fn build(embedder: &TextEmbedder) -> Result<Self> {
        let classes = imagenet_classes();
        let texts: Vec<String> = classes.iter().map(|c| class_texts(c).1).collect();
        let flat: Vec<&str> = texts.iter().map(String::as_str).collect();
        // Batch texts of similar length together so little of each batch is padding.
        let mut order: Vec<usize> = (0..flat.len()).collect();
        order.sort_by_key(|&i| (flat[i].len(), i));
        let mut embs = vec![Vec::new(); flat.len()];
        for chunk in order.chunks(BATCH) {
            let texts: Vec<&str> = chunk.iter().map(|&i| flat[i]).collect();
            for (&i, e) in chunk.iter().zip(embedder.embed(&texts)?) {
                embs[i] = e;
            }
        }
        let dim = TextEmbedder::DIM;
        let data: Vec<f32> = embs.into_iter().flatten().collect();
        Self::from_class_embeddings(dim, data)
    }

    /// Reads the class embeddings from `cache_dir` when a file for this model and recipe is
    /// there, else computes them and writes the file (atomically). `model_key` names the text
    /// model's weights (see [`model_key`]).
    pub fn load_or_build(
        embedder: &TextEmbedder,
        cache_dir: &Path,
        model_key: &str,
    ) -> Result<(Self, SpaceSource)> {
        let path = cache_path(cache_dir, model_key);
        if path.is_file() {
            match read_cache(&path) {
                Ok(data) => {
                    let space = Self::from_class_embeddings(TextEmbedder::DIM, data)?;
                    return Ok((space, SpaceSource::Cached { path }));
                }
                // A damaged file is rebuilt and overwritten.
                Err(SearchError::BadCache { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        let started = Instant::now();
        let space = Self::build(embedder)?;
        let seconds = started.elapsed().as_secs_f64();
        write_cache(&path, &space.classes)?;
        Ok((
            space,
            SpaceSource::Computed {
                seconds,
                texts: imagenet_classes().len(),
                path: Some(path),
            },
        ))
    }

    /// [`SemanticSpace::load_or_build`] with the cache under `<models_dir>/search/`.
    pub fn load_or_build_for(
        embedder: &TextEmbedder,
        models: &ModelPaths,
    ) -> Result<(Self, SpaceSource)> {
        Self::load_or_build(
            embedder,
            &models.models_dir.join("search"),
            &model_key(models)?,
        )
    }

    /// A space from precomputed class embeddings: 1000 rows of `dim` values, row `i` for
    /// class `i`. Rows are normalised here.
    pub fn from_class_embeddings(dim: usize, mut data: Vec<f32>) -> Result<Self> {
        let n = imagenet_classes().len();
        if dim == 0 || data.len() != n * dim {
            return Err(SearchError::Dimension {
                expected: n * dim,
                got: data.len(),
            });
        }
        if !data.iter().all(|x| x.is_finite()) {
            return Err(SearchError::NotFinite);
        }
        for row in data.chunks_exact_mut(dim) {
            normalize(row);
        }
        Ok(SemanticSpace {
            dim,
            classes: data,
            weights: VectorWeights::default(),
            cache: Mutex::new(QueryCache {
                capacity: QUERY_CACHE_CAPACITY,
                tick: 0,
                map: HashMap::new(),
            }),
        })
    }

    /// Replaces the image-vector weights.
    pub fn with_weights(mut self, weights: VectorWeights) -> Self {
        self.weights = weights;
        self
    }

    /// Sets the query cache's capacity (0 disables it).
    pub fn with_query_cache(self, capacity: usize) -> Self {
        {
            let mut c = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            c.capacity = capacity;
            c.map.clear();
        }
        self
    }

    /// The image-vector weights in use.
    pub fn weights(&self) -> VectorWeights {
        self.weights
    }

    /// Width of every vector of this space.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The unit embedding of class `index`.
    pub fn class_embedding(&self, index: usize) -> Option<&[f32]> {
        self.classes.get(index * self.dim..(index + 1) * self.dim)
    }

    /// The labels part of an image vector: the unit-length, probability-weighted mean of the
    /// given classes' embeddings. Zero when `top` is empty or all weights are zero.
    pub fn label_vector(&self, top: &[(usize, f32)]) -> Result<Vec<f32>> {
        let mut v = vec![0f32; self.dim];
        for &(class, p) in top {
            let e = self
                .class_embedding(class)
                .ok_or(SearchError::ClassIndex(class))?;
            if !p.is_finite() {
                return Err(SearchError::NotFinite);
            }
            let w = p.max(0.0);
            for (o, x) in v.iter_mut().zip(e) {
                *o += w * x;
            }
        }
        normalize(&mut v);
        Ok(v)
    }

    /// An image's vector from its top-5 `(class index, probability)`, title and attribution
    /// (each ignored when `None` or blank). Unit length, or zero when nothing is known.
    pub fn image_vector(
        &self,
        top: &[(usize, f32)],
        title: Option<&str>,
        attribution: Option<&str>,
        embedder: &TextEmbedder,
    ) -> Result<Vec<f32>> {
        self.image_vector_with(top, title, attribution, &[], embedder)
    }

    /// [`SemanticSpace::image_vector`] with the sentences other analyzers give the image
    /// (each weighted [`VectorWeights::findings`]).
    pub fn image_vector_with(
        &self,
        top: &[(usize, f32)],
        title: Option<&str>,
        attribution: Option<&str>,
        findings: &[String],
        embedder: &TextEmbedder,
    ) -> Result<Vec<f32>> {
        let texts: Vec<(&str, f32)> = [
            (title, self.weights.title),
            (attribution, self.weights.attribution),
        ]
        .into_iter()
        .chain(
            findings
                .iter()
                .map(|f| (Some(f.as_str()), self.weights.findings)),
        )
        .filter_map(|(t, w)| t.map(str::trim).filter(|t| !t.is_empty()).map(|t| (t, w)))
        .collect();
        let embs = if texts.is_empty() {
            Vec::new()
        } else {
            let s: Vec<&str> = texts.iter().map(|(t, _)| *t).collect();
            embedder.embed(&s)?
        };
        let parts: Vec<(&[f32], f32)> = embs
            .iter()
            .zip(&texts)
            .map(|(e, (_, w))| (e.as_slice(), *w))
            .collect();
        self.combine(top, &parts)
    }

    /// [`SemanticSpace::image_vector`] with already-embedded texts: `texts` holds
    /// `(unit embedding, weight)` pairs. For batch ingest.
    pub fn combine(&self, top: &[(usize, f32)], texts: &[(&[f32], f32)]) -> Result<Vec<f32>> {
        let labels = self.label_vector(top)?;
        let mut v: Vec<f32> = labels.iter().map(|x| x * self.weights.labels).collect();
        for (e, w) in texts {
            if e.len() != self.dim {
                return Err(SearchError::Dimension {
                    expected: self.dim,
                    got: e.len(),
                });
            }
            for (o, x) in v.iter_mut().zip(e.iter()) {
                *o += w * x;
            }
        }
        normalize(&mut v);
        Ok(v)
    }

    /// The query's embedding, from the LRU cache when the same text (after trimming,
    /// collapsing whitespace and lowercasing — the model is uncased) was asked before.
    /// Empty or blank text is an error; very long text is cut, not refused.
    pub fn query_vector(&self, text: &str, embedder: &TextEmbedder) -> Result<Arc<[f32]>> {
        let key = normalize_query(text);
        if key.is_empty() {
            return Err(SearchError::EmptyQuery);
        }
        if let Some(v) = self
            .cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            return Ok(v);
        }
        let v: Arc<[f32]> = embedder
            .embed(&[key.as_str()])?
            .pop()
            .ok_or(SearchError::EmptyQuery)?
            .into();
        self.cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .put(key, v.clone());
        Ok(v)
    }

    /// Number of queries in the cache.
    pub fn cached_queries(&self) -> usize {
        self.cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .map
            .len()
    }

    /// How much each of an image's classes adds to its match with `query`: `(class index,
    /// p * (query · class embedding))`, largest first.
    pub fn contributions(&self, query: &[f32], top: &[(usize, f32)]) -> Vec<(usize, f32)> {
        let mut c: Vec<(usize, f32)> = top
            .iter()
            .filter_map(|&(i, p)| {
                let e = self.class_embedding(i)?;
                (e.len() == query.len()).then(|| (i, p.max(0.0) * simd::dot(query, e)))
            })
            .collect();
        c.sort_by(|a, b| b.1.total_cmp(&a.1));
        c
    }

    /// The names of the classes that explain a hit (for the API's `matched` field): those
    /// whose contribution is positive and at least a third of the largest, best first.
    pub fn explain(&self, query: &[f32], top: &[(usize, f32)]) -> Vec<String> {
        self.explaining_classes(query, top)
            .into_iter()
            .map(|i| imagenet_classes()[i].name.to_owned())
            .collect()
    }

    /// The class indices [`explain`](Self::explain) names, best first.
    pub fn explaining_classes(&self, query: &[f32], top: &[(usize, f32)]) -> Vec<usize> {
        let c = self.contributions(query, top);
        let Some(&(_, best)) = c.first() else {
            return Vec::new();
        };
        c.into_iter()
            .filter(|&(_, s)| s > 0.0 && s >= best / 3.0)
            .map(|(i, _)| i)
            .collect()
    }
}

/// Trims, collapses whitespace, lowercases and cuts at [`MAX_QUERY_CHARS`].
pub fn normalize_query(text: &str) -> String {
    let mut out = String::new();
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
        if out.chars().count() >= MAX_QUERY_CHARS {
            break;
        }
    }
    out.chars().take(MAX_QUERY_CHARS).collect()
}

/// Names the text model's weights: the converted MiniLM graph's file name, which is keyed by
/// the weights' SHA-256 and the converter version.
pub fn model_key(models: &ModelPaths) -> Result<String> {
    let onnx = &models.minilm()?.onnx;
    Ok(onnx
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default())
}

/// The cache file for `model_key` under the current recipe: the key hashes the model key,
/// the recipe version and every text, so any change makes a new file.
pub fn cache_path(cache_dir: &Path, model_key: &str) -> PathBuf {
    let mut h = Sha256::new();
    h.update(model_key.as_bytes());
    h.update(RECIPE_VERSION.to_le_bytes());
    for c in imagenet_classes() {
        h.update(class_texts(c).1.as_bytes());
        h.update([0]);
    }
    let key = hex::encode(&h.finalize()[..8]);
    cache_dir.join(format!("class-embeddings-r{RECIPE_VERSION}-{key}.f32"))
}

const MAGIC: &[u8; 8] = b"BNSCLS01";

fn read_cache(path: &Path) -> Result<Vec<f32>> {
    let bytes = fs::read(path).map_err(|e| SearchError::io("read", path, e))?;
    let bad = |detail: &str| SearchError::BadCache {
        path: path.to_path_buf(),
        detail: detail.to_owned(),
    };
    let n = imagenet_classes().len();
    let dim = TextEmbedder::DIM;
    if bytes.len() != MAGIC.len() + 8 + n * dim * 4 || &bytes[..8] != MAGIC {
        return Err(bad("wrong size or header"));
    }
    let rows = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes")) as usize;
    let width = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes")) as usize;
    if rows != n || width != dim {
        return Err(bad("wrong shape"));
    }
    let data: Vec<f32> = bytes[16..]
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
        .collect();
    if !data.iter().all(|x| x.is_finite()) {
        return Err(bad("values that are not finite"));
    }
    Ok(data)
}

fn write_cache(path: &Path, data: &[f32]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| SearchError::io("create", dir, e))?;
    let n = imagenet_classes().len() as u32;
    let mut bytes = Vec::with_capacity(16 + data.len() * 4);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&n.to_le_bytes());
    bytes.extend_from_slice(&(TextEmbedder::DIM as u32).to_le_bytes());
    for x in data {
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    fs::write(&tmp, &bytes).map_err(|e| SearchError::io("write", &tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| SearchError::io("rename", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_texts_name_the_class_and_its_specific_categories() {
        let tabby = banana_vision::class_by_wnid("n02123045").unwrap();
        let (names, desc) = class_texts(tabby);
        assert_eq!(names, "tabby, tabby cat");
        assert!(desc.starts_with("tabby, tabby cat: a cat with a grey or tawny coat"));
        assert!(
            desc.contains("A kind of domestic cat, cat, feline, carnivore"),
            "{desc}"
        );
        for generic in ["entity", "object", "whole", "organism"] {
            assert!(!desc.contains(&format!(", {generic}")), "{desc}");
        }
        let generic = generic_categories();
        assert!(generic.contains("artifact") && generic.contains("physical entity"));
        assert!(!generic.contains("animal") && !generic.contains("dog"));
    }

    #[test]
    fn query_normalisation_trims_collapses_lowercases_and_cuts() {
        assert_eq!(normalize_query("  A  Pet\tCAT \n"), "a pet cat");
        assert_eq!(normalize_query(" \t "), "");
        let long = "word ".repeat(5000);
        assert_eq!(normalize_query(&long).chars().count(), MAX_QUERY_CHARS);
    }

    fn toy_space() -> SemanticSpace {
        let n = imagenet_classes().len();
        let dim = 4;
        let mut data = vec![0f32; n * dim];
        for i in 0..n {
            data[i * dim + i % dim] = 1.0;
        }
        SemanticSpace::from_class_embeddings(dim, data).unwrap()
    }

    #[test]
    fn label_vector_is_the_normalised_probability_weighted_mean() {
        let s = toy_space();
        let v = s.label_vector(&[(0, 0.75), (1, 0.25)]).unwrap();
        let n = (0.75f32 * 0.75 + 0.25 * 0.25).sqrt();
        assert!((v[0] - 0.75 / n).abs() < 1e-6 && (v[1] - 0.25 / n).abs() < 1e-6);
        assert_eq!(s.label_vector(&[]).unwrap(), vec![0.0; 4]);
        assert!(matches!(
            s.label_vector(&[(1000, 1.0)]),
            Err(SearchError::ClassIndex(1000))
        ));
        let with_title = s
            .combine(&[(0, 1.0)], &[(&[0.0, 0.0, 1.0, 0.0], 0.5)])
            .unwrap();
        assert!((with_title[0] - 1.0 / 1.25f32.sqrt()).abs() < 1e-6);
        assert!((with_title[2] - 0.5 / 1.25f32.sqrt()).abs() < 1e-6);
    }

    #[test]
    fn explain_names_the_classes_that_carry_the_match() {
        let s = toy_space();
        // Classes 0 and 4 share axis 0, class 1 is axis 1.
        let q = [1.0, 0.1, 0.0, 0.0];
        let top = [(1, 0.6), (0, 0.3), (4, 0.05)];
        let c = s.contributions(&q, &top);
        assert_eq!(c[0].0, 0);
        assert_eq!(
            s.explain(&q, &top),
            vec![imagenet_classes()[0].name.to_owned()]
        );
        assert!(s.explain(&q, &[]).is_empty());
    }

    #[test]
    fn query_cache_evicts_the_least_recently_used() {
        let mut c = QueryCache {
            capacity: 2,
            tick: 0,
            map: HashMap::new(),
        };
        let v: Arc<[f32]> = vec![1.0].into();
        c.put("a".into(), v.clone());
        c.put("b".into(), v.clone());
        assert!(c.get("a").is_some());
        c.put("c".into(), v);
        assert!(c.get("b").is_none());
        assert!(c.get("a").is_some() && c.get("c").is_some());
        assert_eq!(c.map.len(), 2);
    }

    #[test]
    fn cache_file_round_trips_and_rejects_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = cache_path(dir.path(), "model-x");
        assert_ne!(path, cache_path(dir.path(), "model-y"));
        let data: Vec<f32> = (0..1000 * TextEmbedder::DIM).map(|i| i as f32).collect();
        write_cache(&path, &data).unwrap();
        assert_eq!(read_cache(&path).unwrap(), data);
        fs::write(&path, b"BNSCLS01 short").unwrap();
        assert!(matches!(
            read_cache(&path),
            Err(SearchError::BadCache { .. })
        ));
    }
}
