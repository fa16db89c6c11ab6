//! The keyword side of natural-language search: one row of searchable text per image (the
//! names and synonyms of its attached labels, their WordNet categories, its title and
//! attribution), indexed by SQLite FTS5 or PostgreSQL full-text search (see the migration
//! `20261127000003_search.sql`).
//!
//! [`refresh`] rewrites an image's row from what the database holds; call it in the same
//! transaction that writes labels, a title or an attribution.

use sqlx::Row;

use crate::images::Scope;
use crate::{Backend, Db, Result, Transaction};

/// Rebuild one image's searchable text from its attached labels, title and attribution
/// (removes the row when the image is gone).
pub async fn refresh(tx: &mut Transaction<'_>, image_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM image_search_text WHERE image_id = $1")
        .bind(image_id)
        .execute(&mut **tx)
        .await?;
    let image = sqlx::query("SELECT title, attribution FROM images WHERE id = $1")
        .bind(image_id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(image) = image else {
        return Ok(());
    };
    let title: Option<String> = image.try_get(0)?;
    let attribution: Option<String> = image.try_get(1)?;
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
    sqlx::query(
        "INSERT INTO image_search_text (image_id, labels, categories, title, attribution) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(image_id)
    .bind(names.join("; "))
    .bind(categories.join("; "))
    .bind(title.unwrap_or_default())
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
/// best first: BM25 over FTS5 on SQLite (labels
/// weigh most, then title, categories, attribution), `ts_rank` over the weighted `tsvector` on
/// PostgreSQL. Returns `(image id, score)`, higher is better. Filtering by scope here (not
/// after) keeps the list the viewer's own: a viewer who sees few images still gets all of
/// their matches, not the visible part of everyone's top `limit`.
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
    // The Any driver leaves placeholder syntax to us: number them by hand.
    let mut n = 1;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let (sql, expr) = match db.backend() {
        Backend::Sqlite => {
            let cond = scope.condition("i", &mut next);
            (
                format!(
                    "SELECT t.image_id, -bm25(image_search, 4.0, 1.5, 2.0, 0.5) AS score \
                     FROM image_search JOIN image_search_text t ON t.doc_id = image_search.rowid \
                     JOIN images i ON i.id = t.image_id \
                     WHERE image_search MATCH $1 AND {cond} ORDER BY score DESC, t.image_id LIMIT {}",
                    next()
                ),
                terms
                    .iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(if all_terms { " AND " } else { " OR " }),
            )
        }
        Backend::Postgres => {
            let cond = scope.condition("i", &mut next);
            (
                format!(
                    "SELECT t.image_id, ts_rank(t.document, q)::float8 AS score \
                     FROM image_search_text t JOIN images i ON i.id = t.image_id \
                     CROSS JOIN to_tsquery('english', $1) q \
                     WHERE t.document @@ q AND {cond} ORDER BY score DESC, t.image_id LIMIT {}",
                    next()
                ),
                terms.join(if all_terms { " & " } else { " | " }),
            )
        }
    };
    let mut query = sqlx::query(&sql).bind(expr);
    if let Some(owner) = scope.owner() {
        query = query.bind(owner);
    }
    let rows = query.bind(limit).fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<f64, _>(1)?)))
        .collect()
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
