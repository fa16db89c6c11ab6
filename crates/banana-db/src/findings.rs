//! What the OCR, face and colour analyzers found (`image_findings`): one row per image and
//! kind, the findings as JSON and the words they give keyword search and filters. The keyword
//! text of an image includes the words ([`crate::search_text::refresh`]); write them in the
//! transaction that refreshes it.

use sqlx::{Any, Executor};

use crate::{Db, Result, Transaction};

/// Text read in the image.
pub const TEXT: &str = "text";
/// The keyword words every photo with text read in it gets.
pub const TEXT_WORDS: &str = "text writing words";
/// Faces found in it.
pub const FACES: &str = "faces";
/// Its dominant colours.
pub const COLORS: &str = "colors";

/// One stored finding row.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FindingRow {
    pub image_id: String,
    pub kind: String,
    pub data: String,
    pub words: String,
}

/// Replace the image's findings of `kind`.
pub async fn set(
    tx: &mut Transaction<'_>,
    image_id: &str,
    kind: &str,
    data: &str,
    words: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO image_findings (image_id, kind, data, words) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (image_id, kind) DO UPDATE SET data = excluded.data, words = excluded.words",
    )
    .bind(image_id)
    .bind(kind)
    .bind(data)
    .bind(words)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The findings of these images (every kind).
pub async fn among<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    image_ids: &[String],
) -> Result<Vec<FindingRow>> {
    if image_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=image_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT image_id, kind, data, words FROM image_findings WHERE image_id IN ({})",
        placeholders.join(", ")
    );
    let mut q = sqlx::query_as(&sql);
    for id in image_ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(ex).await?)
}

/// The words of one image's findings of `kind` (empty when none).
pub async fn words<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    image_id: &str,
    kind: &str,
) -> Result<String> {
    let w: Option<String> =
        sqlx::query_scalar("SELECT words FROM image_findings WHERE image_id = $1 AND kind = $2")
            .bind(image_id)
            .bind(kind)
            .fetch_optional(ex)
            .await?;
    Ok(w.unwrap_or_default())
}

/// The images whose findings of `kind` include the word `word` (words are stored
/// space-separated, lowercase), each with those findings' data.
pub async fn having_word(db: &Db, kind: &str, word: &str) -> Result<Vec<(String, String)>> {
    let rows = sqlx::query_as(
        "SELECT image_id, data FROM image_findings WHERE kind = $1 AND (' ' || words || ' ') LIKE $2",
    )
    .bind(kind)
    .bind(format!("% {} %", word.to_lowercase()))
    .fetch_all(db.pool())
    .await?;
    Ok(rows)
}

/// Reject a model label on an image (kept across re-analysis). True when newly rejected.
pub async fn reject_label<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    image_id: &str,
    label_id: &str,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO label_rejections (image_id, label_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (image_id, label_id) DO NOTHING",
    )
    .bind(image_id)
    .bind(label_id)
    .bind(crate::now_ms())
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}
