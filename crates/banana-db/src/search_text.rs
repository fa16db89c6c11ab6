//! The keyword side of natural-language search: one row of searchable text per image (the
//! names and synonyms of its attached labels, their WordNet categories, its title and
//! attribution), indexed by SQLite FTS5 or PostgreSQL full-text search (see the migration
//! `20261127000003_search.sql`).
//!
//! [`refresh`] rewrites an image's row from what the database holds; call it in the same
//! transaction that writes labels, a title or an attribution.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use sqlx::Row;

use crate::images::Scope;
use crate::{Backend, Db, Result, Transaction};

/// Rebuild one image's searchable text from its attached labels, title and attribution
/// (removes the row when the image is gone).
/// The words of a file name: its stem split at `_`, `-`, `.` and spaces.
pub fn filename_words(filename: &str) -> String {
    let stem = filename.rsplit_once('.').map_or(filename, |(s, _)| s);
    stem.split(|c: char| c == '_' || c == '-' || c == '.' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub async fn refresh(tx: &mut Transaction<'_>, image_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM image_search_text WHERE image_id = $1")
        .bind(image_id)
        .execute(&mut **tx)
        .await?;
    let image = sqlx::query("SELECT title, attribution, filename FROM images WHERE id = $1")
        .bind(image_id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(image) = image else {
        return Ok(());
    };
    let title: Option<String> = image.try_get(0)?;
    let attribution: Option<String> = image.try_get(1)?;
    // The file name's words ride with the title: "IMG_2041.jpg" and "paris-eiffel.jpg" are
    // found by "IMG 2041" and "eiffel".
    let filename: String = image.try_get(2)?;
    // So do its tags.
    let tags: Vec<String> =
        sqlx::query_scalar("SELECT tag FROM image_tags WHERE image_id = $1 ORDER BY tag_key")
            .bind(image_id)
            .fetch_all(&mut **tx)
            .await?;
    // And the text read in the photo.
    let read = crate::findings::words(&mut **tx, image_id, crate::findings::TEXT).await?;
    let title = [
        title.unwrap_or_default(),
        filename_words(&filename),
        tags.join(" "),
        read,
    ]
    .join(" ")
    .trim()
    .to_string();
    let labels = sqlx::query(
        "SELECT l.synonyms, l.categories FROM image_labels il JOIN labels l ON l.id = il.label_id \
         WHERE il.image_id = $1 AND il.attached = 1 ORDER BY il.rank",
    )
    .bind(image_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut names = Vec::new();
    let mut categories = Vec::new();
    for row in &labels {
        names.push(row.try_get::<String, _>(0)?);
        categories.push(row.try_get::<String, _>(1)?);
    }
    // Faces make the image a photo of people ("person people face portrait …").
    let people = crate::findings::words(&mut **tx, image_id, crate::findings::FACES).await?;
    if !people.is_empty() {
        names.push(people);
    }
    // Text read in it makes it a photo with text.
    let read = crate::findings::words(&mut **tx, image_id, crate::findings::TEXT).await?;
    if !read.trim().is_empty() {
        names.push(crate::findings::TEXT_WORDS.to_string());
    }
    sqlx::query(
        "INSERT INTO image_search_text (image_id, labels, categories, title, attribution) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(image_id)
    .bind(names.join("; "))
    .bind(categories.join("; "))
    .bind(title)
    .bind(attribution.unwrap_or_default())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The stored searchable text of an image.
#[derive(Debug, Clone, PartialEq, Default, sqlx::FromRow)]
pub struct SearchText {
    pub image_id: String,
    pub labels: String,
    pub categories: String,
    pub title: String,
    pub attribution: String,
}

/// The searchable text of these images (those that have one).
pub async fn texts(db: &Db, image_ids: &[String]) -> Result<Vec<SearchText>> {
    if image_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=image_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT image_id, labels, categories, title, attribution FROM image_search_text \
         WHERE image_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql);
    for id in image_ids {
        query = query.bind(id);
    }
    Ok(query.fetch_all(db.pool()).await?)
}

/// Images the viewer's `scope` allows whose text contains any of `terms` (or, with
/// `all_terms`, every one of them; plain words: letters and digits only, others are dropped),
/// best first. Returns `(image id, score)`, higher is better.
///
/// **Rows the scope hides cannot change the result** (neither which images come back, nor
/// their order, nor their scores):
/// * SQLite: BM25 with FTS5's own formula, weights and tokenizer (labels weigh most, then
///   title, categories, attribution), but its corpus statistics (row count, average length,
///   how many rows hold each term) are counted over the rows the scope allows, not over
///   the whole table as FTS5's `bm25()` does — with `bm25()`, someone else's private titles
///   would move a caller's ranking ([`scoped_bm25`]). When the scope allows every row the
///   scores are `bm25()`'s, bit for bit.
/// * PostgreSQL: `ts_rank` over the weighted `tsvector`, which looks at the document and the
///   query only (no corpus statistics).
///
/// Filtering by scope here (not after) also keeps the list the viewer's own: a viewer who sees
/// few images still gets all of their matches, not the visible part of everyone's top `limit`.
pub async fn keyword(
    db: &Db,
    terms: &[String],
    all_terms: bool,
    scope: &Scope,
    limit: i64,
) -> Result<Vec<(String, f64)>> {
    let terms: Vec<&str> = terms
        .iter()
        .map(String::as_str)
        .filter(|t| !t.is_empty() && t.chars().all(char::is_alphanumeric))
        .collect();
    if terms.is_empty() || limit <= 0 {
        return Ok(Vec::new());
    }
    match db.backend() {
        Backend::Sqlite => scoped_bm25(db, &terms, all_terms, scope, limit).await,
        Backend::Postgres => {
            // The Any driver leaves placeholder syntax to us: number them by hand.
            let mut n = 1;
            let mut next = || {
                n += 1;
                format!("${n}")
            };
            let cond = scope.condition("i", &mut next);
            let sql = format!(
                "SELECT t.image_id, ts_rank(t.document, q)::float8 AS score \
                 FROM image_search_text t JOIN images i ON i.id = t.image_id \
                 CROSS JOIN to_tsquery('english', $1) q \
                 WHERE t.document @@ q AND {cond} ORDER BY score DESC, t.image_id LIMIT {}",
                next()
            );
            let mut query =
                sqlx::query(&sql).bind(terms.join(if all_terms { " & " } else { " | " }));
            if let Some(owner) = scope.owner() {
                query = query.bind(owner);
            }
            let rows = query.bind(limit).fetch_all(db.pool()).await?;
            rows.iter()
                .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<f64, _>(1)?)))
                .collect()
        }
    }
}

/// Column weights of the keyword ranking on SQLite, in the FTS5 table's column order
/// (labels, categories, title, attribution).
const BM25_WEIGHTS: [f64; 4] = [4.0, 1.5, 2.0, 0.5];
/// FTS5's BM25 constants.
const BM25_K1: f64 = 1.2;
const BM25_B: f64 = 0.75;
/// Marks each instance of a term in `highlight()`'s output (counted, then compared with the
/// raw text so a title that contains the character itself does not count).
const MARK: &str = "\u{1}";

/// SQLite's keyword ranking over the scope's rows only (see [`keyword`]). FTS5 finds the
/// rows and the instances of each term (`highlight()`, so its tokenizer and stemmer decide
/// what matches); the per-column token counts are FTS5's own (`image_search_docsize`); the
/// statistics and the formula (the one of FTS5's `bm25()`) are computed here from the rows
/// the scope allows. Cost: one query per term over the rows holding it, plus one over the
/// scope's rows for the lengths.
async fn scoped_bm25(
    db: &Db,
    terms: &[&str],
    all_terms: bool,
    scope: &Scope,
    limit: i64,
) -> Result<Vec<(String, f64)>> {
    // Per term: doc id → weighted frequency of the term in that row (FTS5's `f(qi, D)`).
    let mut per_term: Vec<HashMap<i64, f64>> = Vec::with_capacity(terms.len());
    let mut image_of: HashMap<i64, String> = HashMap::new();
    for term in terms {
        let mut n = 2;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        let cond = scope.condition("i", &mut next);
        let sql = format!(
            "SELECT t.doc_id, t.image_id, \
             highlight(image_search, 0, $2, ''), highlight(image_search, 1, $2, ''), \
             highlight(image_search, 2, $2, ''), highlight(image_search, 3, $2, ''), \
             t.labels, t.categories, t.title, t.attribution \
             FROM image_search JOIN image_search_text t ON t.doc_id = image_search.rowid \
             JOIN images i ON i.id = t.image_id \
             WHERE image_search MATCH $1 AND {cond}"
        );
        let mut query = sqlx::query(&sql).bind(format!("\"{term}\"")).bind(MARK);
        if let Some(owner) = scope.owner() {
            query = query.bind(owner);
        }
        let mut freq = HashMap::new();
        for r in query.fetch_all(db.pool()).await? {
            let doc: i64 = r.try_get(0)?;
            let mut f = 0.0;
            for (c, w) in BM25_WEIGHTS.iter().enumerate() {
                let marked: String = r.try_get(2 + c)?;
                let raw: String = r.try_get(6 + c)?;
                let tf = marked
                    .matches(MARK)
                    .count()
                    .saturating_sub(raw.matches(MARK).count());
                for _ in 0..tf {
                    f += w;
                }
            }
            freq.insert(doc, f);
            if let Entry::Vacant(e) = image_of.entry(doc) {
                e.insert(r.try_get(1)?);
            }
        }
        per_term.push(freq);
    }
    let matches: Vec<i64> = image_of
        .keys()
        .copied()
        .filter(|d| {
            let mut has = per_term.iter().map(|f| f.contains_key(d));
            if all_terms {
                has.all(|h| h)
            } else {
                has.any(|h| h)
            }
        })
        .collect();
    if matches.is_empty() {
        return Ok(Vec::new());
    }
    // Row count and lengths over the scope.
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let cond = scope.condition("i", &mut next);
    let sql = format!(
        "SELECT d.id, d.sz FROM image_search_docsize d \
         JOIN image_search_text t ON t.doc_id = d.id JOIN images i ON i.id = t.image_id \
         WHERE {cond}"
    );
    let mut query = sqlx::query(&sql);
    if let Some(owner) = scope.owner() {
        query = query.bind(owner);
    }
    let mut rows: i64 = 0;
    let mut tokens: i64 = 0;
    let mut length: HashMap<i64, i64> = HashMap::new();
    for r in query.fetch_all(db.pool()).await? {
        let doc: i64 = r.try_get(0)?;
        let size = doc_size(&r.try_get::<Vec<u8>, _>(1)?, BM25_WEIGHTS.len());
        rows += 1;
        tokens += size;
        if image_of.contains_key(&doc) {
            length.insert(doc, size);
        }
    }
    if rows == 0 {
        return Ok(Vec::new());
    }
    let avgdl = tokens as f64 / rows as f64;
    let idf: Vec<f64> = per_term
        .iter()
        .map(|f| {
            let hits = f.len() as f64;
            let idf = ((rows as f64 - hits + 0.5) / (hits + 0.5)).ln();
            if idf <= 0.0 {
                1e-6
            } else {
                idf
            }
        })
        .collect();
    let mut scored: Vec<(String, f64)> = matches
        .into_iter()
        .map(|doc| {
            let d = length.get(&doc).copied().unwrap_or(0) as f64;
            let mut score = 0.0;
            for (f, idf) in per_term.iter().zip(&idf) {
                let f = f.get(&doc).copied().unwrap_or(0.0);
                score += idf
                    * ((f * (BM25_K1 + 1.0)) / (f + BM25_K1 * (1.0 - BM25_B + BM25_B * d / avgdl)));
            }
            (image_of.remove(&doc).unwrap_or_default(), score)
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    scored.truncate(limit as usize);
    Ok(scored)
}

/// The total token count of one FTS5 `docsize` record: one SQLite varint per column.
fn doc_size(blob: &[u8], columns: usize) -> i64 {
    let mut at = 0;
    let mut total = 0;
    for _ in 0..columns {
        let Some((v, used)) = varint(&blob[at.min(blob.len())..]) else {
            break;
        };
        total += v as i64;
        at += used;
    }
    total
}

/// SQLite's variable-length integer: big-endian groups of 7 bits, the high bit set on every
/// byte but the last; a ninth byte carries 8 bits.
fn varint(b: &[u8]) -> Option<(u64, usize)> {
    let mut v: u64 = 0;
    for (i, &byte) in b.iter().enumerate().take(9) {
        if i == 8 {
            return Some(((v << 8) | u64::from(byte), 9));
        }
        v = (v << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// Images the viewer's `scope` allows with any of these labels attached (WordNet ids), most
/// confident first.
pub async fn with_labels(
    db: &Db,
    label_ids: &[&str],
    scope: &Scope,
    limit: i64,
) -> Result<Vec<String>> {
    if label_ids.is_empty() || limit <= 0 {
        return Ok(Vec::new());
    }
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let placeholders: Vec<String> = label_ids.iter().map(|_| next()).collect();
    let cond = scope.condition("i", &mut next);
    let sql = format!(
        "SELECT il.image_id FROM image_labels il JOIN images i ON i.id = il.image_id \
         WHERE il.attached = 1 AND il.label_id IN ({}) AND {cond} \
         GROUP BY il.image_id ORDER BY MAX(il.score) DESC, il.image_id LIMIT {}",
        placeholders.join(", "),
        next()
    );
    let mut query = sqlx::query_scalar(&sql);
    for id in label_ids {
        query = query.bind(*id);
    }
    if let Some(owner) = scope.owner() {
        query = query.bind(owner);
    }
    Ok(query.bind(limit).fetch_all(db.pool()).await?)
}

/// Store each label's WordNet categories (`(wnid, "domestic cat, cat, feline, …")`) when
/// some label has none yet (idempotent; safe from several instances).
pub async fn seed_categories(db: &Db, categories: &[(&str, String)]) -> Result<()> {
    let empty: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM labels WHERE categories = ''")
        .fetch_one(db.pool())
        .await?;
    if empty == 0 {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for (wnid, cats) in categories {
        sqlx::query("UPDATE labels SET categories = $1 WHERE id = $2 AND categories = ''")
            .bind(cats)
            .bind(*wnid)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Images that have labels but no searchable text yet (labeled before search existed), at
/// most `limit`.
pub async fn missing(db: &Db, limit: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT il.image_id FROM image_labels il WHERE NOT EXISTS \
         (SELECT 1 FROM image_search_text t WHERE t.image_id = il.image_id) \
         ORDER BY il.image_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}
