//! Tags on images (`image_tags`): the words an image's owner puts on it. The keyword text of
//! an image includes them ([`crate::search_text::refresh`]); change them in the transaction
//! that refreshes it.

use sqlx::{Any, Executor};

use crate::{now_ms, Db, Result};

/// Put `tag` on the image (a tag already there, in any case, stays as it was). True when added.
pub async fn add<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    image_id: &str,
    tag: &str,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO image_tags (image_id, tag, tag_key, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (image_id, tag_key) DO NOTHING",
    )
    .bind(image_id)
    .bind(tag)
    .bind(tag.to_lowercase())
    .bind(now_ms())
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Take `tag` (any case) off the image. True when it was there.
pub async fn remove<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    image_id: &str,
    tag: &str,
) -> Result<bool> {
    let r = sqlx::query("DELETE FROM image_tags WHERE image_id = $1 AND tag_key = $2")
        .bind(image_id)
        .bind(tag.to_lowercase())
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// The tags of these images: `(image id, tag)`, each image's in the order they were added.
pub async fn among(db: &Db, image_ids: &[String]) -> Result<Vec<(String, String)>> {
    if image_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=image_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT image_id, tag FROM image_tags WHERE image_id IN ({}) \
         ORDER BY image_id, created_at, tag_key",
        placeholders.join(", ")
    );
    let mut q = sqlx::query_as(&sql);
    for id in image_ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(db.pool()).await?)
}
