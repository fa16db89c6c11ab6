//! Vector indexes: the [`VectorIndex`] trait and the exact [`FlatIndex`].

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::error::{Result, SearchError};
use crate::simd;
use crate::topk::{Scored, TopK};

/// One search result: an id and its score (the dot product with the query; the cosine
/// similarity when both are unit vectors).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub score: f32,
}

/// Which rows a search may return.
#[derive(Clone, Copy, Default)]
pub enum Filter<'a> {
    /// Every row.
    #[default]
    All,
    /// Rows whose id the predicate accepts (e.g. visibility). Called only for rows whose
    /// score would enter the current top-k, so a cheap check stays cheap.
    Predicate(&'a (dyn Fn(&str) -> bool + Sync)),
    /// Only these ids (unknown ids are ignored). Scores just these rows, so a short list
    /// costs nothing like a full scan.
    AllowList(&'a [&'a str]),
}

impl Filter<'_> {
    #[inline]
    fn allows(&self, id: &str) -> bool {
        match self {
            Filter::All | Filter::AllowList(_) => true,
            Filter::Predicate(p) => p(id),
        }
    }
}

impl fmt::Debug for Filter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::All => f.write_str("All"),
            Filter::Predicate(_) => f.write_str("Predicate(..)"),
            Filter::AllowList(ids) => write!(f, "AllowList({} ids)", ids.len()),
        }
    }
}

/// A searchable set of fixed-width vectors keyed by string ids (image ids).
///
/// Implementations are `Send + Sync`; share one behind an `RwLock` (searches take the read
/// lock, updates the write lock). An approximate index (HNSW) or a database-side search can
/// implement the same trait later.
pub trait VectorIndex: Send + Sync {
    /// Width of the vectors.
    fn dim(&self) -> usize;
    /// Number of vectors.
    fn len(&self) -> usize;
    /// Whether the index holds no vectors.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Whether `id` is in the index.
    fn contains(&self, id: &str) -> bool;
    /// Adds `id`, or replaces its vector. Returns `true` when the id is new.
    fn upsert(&mut self, id: &str, vector: &[f32]) -> Result<bool>;
    /// Removes `id`. Returns `false` when it was not there.
    fn remove(&mut self, id: &str) -> bool;
    /// The `k` rows with the largest dot product with `query` that pass `filter`, best first
    /// (equal scores: earlier-inserted row first, but removals reorder rows).
    fn search(&self, query: &[f32], k: usize, filter: &Filter<'_>) -> Result<Vec<Hit>>;
}

/// How [`FlatIndex::search`] scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanMode {
    /// Exact f32 dot products over every row.
    Exact,
    /// Scan int8 codes (4× less memory traffic), then re-rank the best `k * rerank_factor`
    /// candidates (at least [`MIN_RERANK`]) with exact f32 dot products.
    Int8 { rerank_factor: usize },
}

/// The fewest candidates an int8 scan re-ranks exactly.
pub const MIN_RERANK: usize = 64;

/// Rows scored per kernel call.
const BLOCK: usize = 256;

/// Below this many rows a search never splits across threads (thread start-up would cost
/// more than it saves).
pub const PARALLEL_MIN_ROWS: usize = 32_768;

/// Int8 codes of the rows: per-row symmetric scale, `x ≈ code * scale`.
#[derive(Debug, Default, Clone)]
struct Int8Rows {
    codes: Vec<i8>,
    scales: Vec<f32>,
}

fn quantize_into(v: &[f32], out: &mut [i8]) -> f32 {
    let max = v.iter().fold(0f32, |m, &x| m.max(x.abs()));
    if max == 0.0 {
        out.fill(0);
        return 0.0;
    }
    let inv = 127.0 / max;
    for (o, &x) in out.iter_mut().zip(v) {
        *o = (x * inv).round().clamp(-127.0, 127.0) as i8;
    }
    max / 127.0
}

/// Exact search over a contiguous row-major f32 matrix.
///
/// Ids map to dense slots; removing an id moves the last row into its slot, so the matrix
/// never has holes. Dot products use AVX2/FMA when the CPU has them (see [`simd_kernel`]).
/// Optionally keeps int8 codes of every row for a quantised scan with exact re-ranking
/// ([`FlatIndex::with_int8`]), and splits large scans across threads
/// ([`FlatIndex::with_threads`]).
///
/// [`simd_kernel`]: crate::simd_kernel
#[derive(Debug, Clone)]
pub struct FlatIndex {
    dim: usize,
    data: Vec<f32>,
    ids: Vec<String>,
    slots: HashMap<String, u32>,
    int8: Option<Int8Rows>,
    mode: ScanMode,
    threads: usize,
}

impl FlatIndex {
    /// An empty exact index of `dim`-wide vectors, scanning on the calling thread.
    pub fn new(dim: usize) -> Self {
        assert!(dim > 0, "a vector index needs a positive dimension");
        FlatIndex {
            dim,
            data: Vec::new(),
            ids: Vec::new(),
            slots: HashMap::new(),
            int8: None,
            mode: ScanMode::Exact,
            threads: 1,
        }
    }

    /// Keeps int8 codes of every row and makes [`VectorIndex::search`] use the int8 scan with
    /// exact re-ranking of `k * rerank_factor` candidates. Costs one byte per value more.
    pub fn with_int8(mut self, rerank_factor: usize) -> Self {
        let mut q = Int8Rows {
            codes: vec![0; self.data.len()],
            scales: vec![0.0; self.ids.len()],
        };
        for (r, row) in self.data.chunks_exact(self.dim).enumerate() {
            q.scales[r] = quantize_into(row, &mut q.codes[r * self.dim..(r + 1) * self.dim]);
        }
        self.int8 = Some(q);
        self.mode = ScanMode::Int8 {
            rerank_factor: rerank_factor.max(1),
        };
        self
    }

    /// Splits scans of at least [`PARALLEL_MIN_ROWS`] rows over `threads` scoped threads.
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.set_threads(threads);
        self
    }

    /// Like [`FlatIndex::with_threads`], in place.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// Threads a large scan is split over.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The scan [`VectorIndex::search`] uses.
    pub fn mode(&self) -> ScanMode {
        self.mode
    }

    /// Reserves room for `additional` more rows.
    pub fn reserve(&mut self, additional: usize) {
        self.data.reserve(additional * self.dim);
        self.ids.reserve(additional);
        self.slots.reserve(additional);
        if let Some(q) = &mut self.int8 {
            q.codes.reserve(additional * self.dim);
            q.scales.reserve(additional);
        }
    }

    /// The stored vector of `id`.
    pub fn get(&self, id: &str) -> Option<&[f32]> {
        let s = *self.slots.get(id)? as usize;
        Some(&self.data[s * self.dim..(s + 1) * self.dim])
    }

    /// All ids, in slot order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(String::as_str)
    }

    /// Bytes held by the vectors and codes (not counting the id strings).
    pub fn vector_bytes(&self) -> usize {
        self.data.len() * 4
            + self
                .int8
                .as_ref()
                .map_or(0, |q| q.codes.len() + q.scales.len() * 4)
    }

    fn check(&self, v: &[f32]) -> Result<()> {
        if v.len() != self.dim {
            return Err(SearchError::Dimension {
                expected: self.dim,
                got: v.len(),
            });
        }
        if !v.iter().all(|x| x.is_finite()) {
            return Err(SearchError::NotFinite);
        }
        Ok(())
    }

    /// Exact search: f32 dot products over every row (or over the allow-list).
    pub fn search_exact(&self, query: &[f32], k: usize, filter: &Filter<'_>) -> Result<Vec<Hit>> {
        self.check(query)?;
        if let Filter::AllowList(ids) = filter {
            return Ok(self.hits(self.search_allow_list(query, k, ids)));
        }
        let top = self.parallel(|range| self.scan_f32(query, k, filter, range));
        Ok(self.hits(top))
    }

    /// Int8 scan, then exact re-ranking of the best `k * rerank_factor` (at least
    /// [`MIN_RERANK`]) candidates. Falls back to [`FlatIndex::search_exact`] when the index
    /// keeps no int8 codes.
    pub fn search_int8(
        &self,
        query: &[f32],
        k: usize,
        rerank_factor: usize,
        filter: &Filter<'_>,
    ) -> Result<Vec<Hit>> {
        self.check(query)?;
        let Some(codes) = &self.int8 else {
            return self.search_exact(query, k, filter);
        };
        if let Filter::AllowList(ids) = filter {
            return Ok(self.hits(self.search_allow_list(query, k, ids)));
        }
        let candidates = (k.saturating_mul(rerank_factor.max(1))).max(MIN_RERANK);
        let mut q8 = vec![0i8; self.dim];
        let q_scale = quantize_into(query, &mut q8);
        let q16: Vec<i16> = q8.iter().map(|&x| i16::from(x)).collect();
        let approx =
            self.parallel(|range| self.scan_i8(&q16, q_scale, codes, candidates, filter, range));
        let mut top = TopK::new(k);
        for c in approx.into_sorted() {
            let s = c.slot as usize;
            let score = simd::dot(query, &self.data[s * self.dim..(s + 1) * self.dim]);
            top.push(Scored {
                score,
                slot: c.slot,
            });
        }
        Ok(self.hits(top))
    }

    fn hits(&self, top: TopK) -> Vec<Hit> {
        top.into_sorted()
            .into_iter()
            .map(|c| Hit {
                id: self.ids[c.slot as usize].clone(),
                score: c.score,
            })
            .collect()
    }

    fn search_allow_list(&self, query: &[f32], k: usize, ids: &[&str]) -> TopK {
        let mut top = TopK::new(k);
        let mut seen = HashSet::with_capacity(ids.len());
        for id in ids {
            let Some(&slot) = self.slots.get(*id) else {
                continue;
            };
            if !seen.insert(slot) {
                continue;
            }
            let s = slot as usize;
            let score = simd::dot(query, &self.data[s * self.dim..(s + 1) * self.dim]);
            top.push(Scored { score, slot });
        }
        top
    }

    /// Runs `scan` over the whole slot range, split across threads when large.
    fn parallel<F>(&self, scan: F) -> TopK
    where
        F: Fn(std::ops::Range<usize>) -> TopK + Sync,
    {
        let n = self.ids.len();
        let threads = self.threads.min(n / (PARALLEL_MIN_ROWS / 2)).max(1);
        if threads == 1 || n < PARALLEL_MIN_ROWS {
            return scan(0..n);
        }
        let chunk = n.div_ceil(threads);
        std::thread::scope(|s| {
            let scan = &scan;
            let handles: Vec<_> = (1..threads)
                .map(|t| s.spawn(move || scan(t * chunk..((t + 1) * chunk).min(n))))
                .collect();
            let mut top = scan(0..chunk.min(n));
            for h in handles {
                top.merge(h.join().expect("search thread panicked"));
            }
            top
        })
    }

    fn scan_f32(
        &self,
        query: &[f32],
        k: usize,
        filter: &Filter<'_>,
        range: std::ops::Range<usize>,
    ) -> TopK {
        let dim = self.dim;
        let mut top = TopK::new(k);
        if k == 0 {
            return top;
        }
        let mut buf = [0f32; BLOCK];
        let mut threshold = top.threshold();
        let mut start = range.start;
        while start < range.end {
            let end = (start + BLOCK).min(range.end);
            let out = &mut buf[..end - start];
            simd::scores_f32(query, &self.data[start * dim..end * dim], out);
            for (i, &score) in out.iter().enumerate() {
                if score < threshold {
                    continue;
                }
                let c = Scored {
                    score,
                    slot: (start + i) as u32,
                };
                if top.admits(c) && filter.allows(&self.ids[start + i]) {
                    top.push(c);
                    threshold = top.threshold();
                }
            }
            start = end;
        }
        top
    }

    fn scan_i8(
        &self,
        q16: &[i16],
        q_scale: f32,
        codes: &Int8Rows,
        k: usize,
        filter: &Filter<'_>,
        range: std::ops::Range<usize>,
    ) -> TopK {
        let dim = self.dim;
        let mut top = TopK::new(k);
        if k == 0 {
            return top;
        }
        let mut buf = [0i32; BLOCK];
        let mut threshold = top.threshold();
        let mut start = range.start;
        while start < range.end {
            let end = (start + BLOCK).min(range.end);
            let out = &mut buf[..end - start];
            simd::scores_i8(q16, &codes.codes[start * dim..end * dim], out);
            for (i, &raw) in out.iter().enumerate() {
                let score = raw as f32 * codes.scales[start + i] * q_scale;
                if score < threshold {
                    continue;
                }
                let c = Scored {
                    score,
                    slot: (start + i) as u32,
                };
                if top.admits(c) && filter.allows(&self.ids[start + i]) {
                    top.push(c);
                    threshold = top.threshold();
                }
            }
            start = end;
        }
        top
    }
}

impl VectorIndex for FlatIndex {
    fn dim(&self) -> usize {
        self.dim
    }

    fn len(&self) -> usize {
        self.ids.len()
    }

    fn contains(&self, id: &str) -> bool {
        self.slots.contains_key(id)
    }

    fn upsert(&mut self, id: &str, vector: &[f32]) -> Result<bool> {
        if id.is_empty() {
            return Err(SearchError::EmptyId);
        }
        self.check(vector)?;
        let dim = self.dim;
        if let Some(&slot) = self.slots.get(id) {
            let s = slot as usize;
            self.data[s * dim..(s + 1) * dim].copy_from_slice(vector);
            if let Some(q) = &mut self.int8 {
                q.scales[s] = quantize_into(vector, &mut q.codes[s * dim..(s + 1) * dim]);
            }
            return Ok(false);
        }
        let slot = u32::try_from(self.ids.len()).expect("more than 2^32 vectors");
        self.data.extend_from_slice(vector);
        self.ids.push(id.to_owned());
        self.slots.insert(id.to_owned(), slot);
        if let Some(q) = &mut self.int8 {
            let at = q.codes.len();
            q.codes.resize(at + dim, 0);
            let scale = quantize_into(vector, &mut q.codes[at..]);
            q.scales.push(scale);
        }
        Ok(true)
    }

    fn remove(&mut self, id: &str) -> bool {
        let Some(slot) = self.slots.remove(id) else {
            return false;
        };
        let (s, last, dim) = (slot as usize, self.ids.len() - 1, self.dim);
        if s != last {
            self.data.copy_within(last * dim..(last + 1) * dim, s * dim);
            if let Some(q) = &mut self.int8 {
                q.codes.copy_within(last * dim..(last + 1) * dim, s * dim);
                q.scales[s] = q.scales[last];
            }
            let moved = self.ids[last].clone();
            self.slots.insert(moved, slot);
        }
        self.ids.swap_remove(s);
        self.data.truncate(last * dim);
        if let Some(q) = &mut self.int8 {
            q.codes.truncate(last * dim);
            q.scales.truncate(last);
        }
        true
    }

    fn search(&self, query: &[f32], k: usize, filter: &Filter<'_>) -> Result<Vec<Hit>> {
        match self.mode {
            ScanMode::Exact => self.search_exact(query, k, filter),
            ScanMode::Int8 { rerank_factor } => self.search_int8(query, k, rerank_factor, filter),
        }
    }
}

/// Scales `v` to unit length in place (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let n = simd::dot(v, v).sqrt();
    if n > 0.0 {
        for x in v {
            *x /= n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn flat_index_is_send_and_sync_and_object_safe() {
        assert_send_sync::<FlatIndex>();
        let boxed: Box<dyn VectorIndex> = Box::new(FlatIndex::new(2));
        assert_eq!(boxed.dim(), 2);
        assert!(boxed.is_empty());
    }

    #[test]
    fn upsert_replaces_and_remove_moves_the_last_row() {
        let mut ix = FlatIndex::new(2).with_int8(4);
        assert!(ix.upsert("a", &[1.0, 0.0]).unwrap());
        assert!(ix.upsert("b", &[0.0, 1.0]).unwrap());
        assert!(ix.upsert("c", &[0.6, 0.8]).unwrap());
        assert!(!ix.upsert("a", &[-1.0, 0.0]).unwrap());
        assert_eq!(ix.len(), 3);
        assert_eq!(ix.get("a"), Some(&[-1.0, 0.0][..]));
        assert!(ix.remove("a"));
        assert!(!ix.remove("a"));
        assert_eq!(ix.len(), 2);
        assert_eq!(ix.get("c"), Some(&[0.6, 0.8][..]));
        assert_eq!(ix.ids().collect::<Vec<_>>(), vec!["c", "b"]);
        for hits in [
            ix.search_exact(&[1.0, 0.0], 5, &Filter::All).unwrap(),
            ix.search(&[1.0, 0.0], 5, &Filter::All).unwrap(),
        ] {
            let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
            assert_eq!(ids, vec!["c", "b"]);
            assert!((hits[0].score - 0.6).abs() < 1e-6);
        }
        assert!(ix.remove("c") && ix.remove("b"));
        assert!(ix.is_empty());
        assert_eq!(ix.vector_bytes(), 0);
    }

    #[test]
    fn bad_vectors_and_ids_are_errors() {
        let mut ix = FlatIndex::new(3);
        assert!(matches!(
            ix.upsert("a", &[1.0, 2.0]),
            Err(SearchError::Dimension {
                expected: 3,
                got: 2
            })
        ));
        assert!(matches!(
            ix.upsert("a", &[1.0, f32::NAN, 0.0]),
            Err(SearchError::NotFinite)
        ));
        assert!(matches!(
            ix.upsert("", &[1.0, 0.0, 0.0]),
            Err(SearchError::EmptyId)
        ));
        assert!(matches!(
            ix.search(&[1.0], 1, &Filter::All),
            Err(SearchError::Dimension { .. })
        ));
        assert!(ix.is_empty());
    }

    #[test]
    fn filters_restrict_results() {
        let mut ix = FlatIndex::new(2);
        for (i, id) in ["a", "b", "c", "d"].iter().enumerate() {
            ix.upsert(id, &[1.0 - i as f32 * 0.1, 0.0]).unwrap();
        }
        let odd = |id: &str| id == "b" || id == "d";
        let hits = ix
            .search(&[1.0, 0.0], 10, &Filter::Predicate(&odd))
            .unwrap();
        assert_eq!(
            hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            vec!["b", "d"]
        );
        let allow = ["d", "zzz", "c", "d"];
        let hits = ix
            .search(&[1.0, 0.0], 10, &Filter::AllowList(&allow))
            .unwrap();
        assert_eq!(
            hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            vec!["c", "d"]
        );
        assert!(ix.search(&[1.0, 0.0], 0, &Filter::All).unwrap().is_empty());
    }

    #[test]
    fn normalize_gives_unit_length_and_leaves_zero_alone() {
        let mut v = vec![3.0, 4.0];
        normalize(&mut v);
        assert_eq!(v, vec![0.6, 0.8]);
        let mut z = vec![0.0; 3];
        normalize(&mut z);
        assert_eq!(z, vec![0.0; 3]);
    }
}
