//! `banana bench search-quality`: the search quality of the real service. Uploads a folder of
//! ImageNet sample photos (file names start with the WordNet id, as in
//! `../shared/data/imagenet-sample`) through the same ingest path as the API, labels them,
//! runs the hand-written query set of `banana-search` (`data/queries.tsv`) through
//! `App::search` — hybrid and keyword-only (the database's full-text search alone) — and
//! reports mean P@10, nDCG@10 and recall@50 for each, plus a per-query table.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use banana_search::metrics::{ndcg_at, precision_at, recall_at};

use banana_core::access::Viewer;
use banana_core::images::Upload;
use banana_core::{App, CoreError};

use crate::image_files;

/// Owner of the images the bench uploads.
pub const BENCH_OWNER: &str = "search-bench";

/// Mean metrics of one ranking method.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodScores {
    pub method: &'static str,
    pub p10: f64,
    pub ndcg10: f64,
    pub recall50: f64,
}

/// One query's figures.
#[derive(Debug, Clone)]
pub struct QueryScores {
    pub query: String,
    /// Relevant images among those uploaded.
    pub relevant: usize,
    /// Hybrid P@10, nDCG@10, recall@50.
    pub p10: f64,
    pub ndcg10: f64,
    pub recall50: f64,
    /// Keyword-only P@10 and recall@50.
    pub keyword_p10: f64,
    pub keyword_recall50: f64,
    /// Results of the hybrid search (after the relevance floor; at most 50).
    pub results: usize,
    /// The first non-relevant images of the hybrid top 10: file name and `matched`.
    pub misses: Vec<String>,
}

/// What [`search_quality`] measured.
#[derive(Debug, Clone)]
pub struct QualityReport {
    pub images: usize,
    pub queries: usize,
    /// `hybrid` then `keyword`.
    pub methods: Vec<MethodScores>,
    /// The best mean P@10 any ranking could reach: queries with fewer than 10 relevant
    /// images cap it.
    pub p10_ceiling: f64,
    /// Per query, worst hybrid P@10 first.
    pub per_query: Vec<QueryScores>,
}

impl std::fmt::Display for QualityReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} images, {} queries (through App::search); best possible mean P@10 on this set {:.3}",
            self.images, self.queries, self.p10_ceiling
        )?;
        writeln!(
            f,
            "| method | P@10 | nDCG@10 | recall@50 |\n|---|---|---|---|"
        )?;
        for m in &self.methods {
            writeln!(
                f,
                "| {} | {:.3} | {:.3} | {:.3} |",
                m.method, m.p10, m.ndcg10, m.recall50
            )?;
        }
        writeln!(
            f,
            "\n| query | relevant | results | hybrid P@10 / nDCG@10 / R@50 | keyword P@10 / R@50 | hybrid top-10 misses (matched) |\n|---|---|---|---|---|---|"
        )?;
        for q in &self.per_query {
            writeln!(
                f,
                "| {} | {} | {} | {:.1} / {:.2} / {:.2} | {:.1} / {:.2} | {} |",
                q.query,
                q.relevant,
                q.results,
                q.p10,
                q.ndcg10,
                q.recall50,
                q.keyword_p10,
                q.keyword_recall50,
                q.misses.join("; ")
            )?;
        }
        Ok(())
    }
}

/// The query set: `(query, relevant WordNet ids)`.
pub fn queries() -> Vec<(String, Vec<String>)> {
    crate::engine_quality::QUERIES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(q, ids)| {
            (
                q.to_string(),
                ids.split_whitespace().map(str::to_string).collect(),
            )
        })
        .collect()
}

/// Upload every image of `dir` (already uploaded ones are reused), label them, and measure.
/// Needs the models loaded (hybrid mode); `progress` gets a line now and then.
pub async fn search_quality(
    app: &App,
    dir: &Path,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<QualityReport, CoreError> {
    let files =
        image_files(dir).map_err(|e| CoreError::BadRequest(format!("{}: {e}", dir.display())))?;
    // image id → WordNet id (the file name's first 9 characters).
    let mut wnid_of: HashMap<String, String> = HashMap::new();
    // image id → file name (for the misses column).
    let mut name_of: HashMap<String, String> = HashMap::new();
    for (n, path) in files.iter().enumerate() {
        let name = path
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let bytes = tokio::fs::read(path)
            .await
            .map_err(|e| CoreError::Internal(format!("{}: {e}", path.display())))?;
        let upload = Upload {
            bytes: bytes.into(),
            filename: Some(name.clone()),
            owner_id: BENCH_OWNER.into(),
            ..Upload::default()
        };
        let id = match app.ingest(upload).await {
            Ok(view) => view.id,
            Err(CoreError::Duplicate { image_id }) => image_id,
            Err(e) => {
                progress(&format!("skipping {name}: {e}"));
                continue;
            }
        };
        wnid_of.insert(id.clone(), name.chars().take(9).collect());
        name_of.insert(id, name.clone());
        if (n + 1) % 100 == 0 {
            progress(&format!("uploaded {}/{}", n + 1, files.len()));
        }
    }
    progress("labeling");
    app.drain_jobs().await?;
    app.search_sync().await?;

    let queries = queries();
    let viewer = Viewer::User {
        id: BENCH_OWNER.into(),
        is_admin: false,
    };
    let mut sums = [[0f64; 3]; 2];
    let mut ceiling = 0.0;
    let mut per_query = Vec::new();
    for (q, wnids) in &queries {
        let relevant: HashSet<&str> = wnid_of
            .iter()
            .filter(|(_, w)| wnids.contains(w))
            .map(|(id, _)| id.as_str())
            .collect();
        ceiling += relevant.len().min(10) as f64 / 10.0;
        let mut scores = [[0f64; 3]; 2];
        let mut results = 0;
        let mut misses = Vec::new();
        for (m, vectors) in [true, false].into_iter().enumerate() {
            let page = app.search_as(&viewer, q, Some(50), None, vectors).await?;
            let ranked: Vec<&str> = page.items.iter().map(|h| h.image.id.as_str()).collect();
            scores[m] = [
                precision_at(&ranked, &relevant, 10),
                ndcg_at(&ranked, &relevant, 10),
                recall_at(&ranked, &relevant, 50),
            ];
            for (sum, v) in sums[m].iter_mut().zip(scores[m]) {
                *sum += v;
            }
            if m == 0 {
                results = page.items.len();
                misses = page
                    .items
                    .iter()
                    .take(10)
                    .filter(|h| !relevant.contains(h.image.id.as_str()))
                    .take(3)
                    .map(|h| {
                        format!(
                            "{} ({})",
                            name_of.get(&h.image.id).map_or("?", String::as_str),
                            h.matched.join(", ")
                        )
                    })
                    .collect();
            }
        }
        per_query.push(QueryScores {
            query: q.clone(),
            relevant: relevant.len(),
            p10: scores[0][0],
            ndcg10: scores[0][1],
            recall50: scores[0][2],
            keyword_p10: scores[1][0],
            keyword_recall50: scores[1][2],
            results,
            misses,
        });
    }
    let n = queries.len().max(1) as f64;
    let methods = ["hybrid", "keyword"]
        .into_iter()
        .zip(sums)
        .map(|(method, s)| MethodScores {
            method,
            p10: s[0] / n,
            ndcg10: s[1] / n,
            recall50: s[2] / n,
        })
        .collect();
    let mut report = QualityReport {
        images: wnid_of.len(),
        queries: queries.len(),
        methods,
        p10_ceiling: ceiling / n,
        per_query,
    };
    report
        .per_query
        .sort_by(|a, b| a.p10.total_cmp(&b.p10).then(a.query.cmp(&b.query)));
    let mut line = String::new();
    let _ = write!(line, "measured {} queries", report.queries);
    progress(&line);
    Ok(report)
}
