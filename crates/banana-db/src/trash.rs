//! The trash: images whose `trashed_at` is set. They stay whole (labels, vectors, albums,
//! favourites) until restored or purged; [`crate::images::Scope`] leaves them out of every
//! listing. Purging deletes the row with [`crate::images::delete`] like any deletion.

use sqlx::{Any, Executor};

use crate::images::{ImageRow, COLUMNS};
use crate::{Db, Result};

/// Move a live image to the trash at `at`. False when it was already trashed (or is gone).
pub async fn trash<'c, E: Executor<'c, Database = Any>>(ex: E, id: &str, at: i64) -> Result<bool> {
    let r = sqlx::query("UPDATE images SET trashed_at = $1 WHERE id = $2 AND trashed_at IS NULL")
        .bind(at)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Take an image of this owner out of the trash. False when it is not in their trash.
pub async fn restore<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    owner_id: &str,
    id: &str,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE images SET trashed_at = NULL WHERE id = $1 AND owner_id = $2 \
         AND trashed_at IS NOT NULL",
    )
    .bind(id)
    .bind(owner_id)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Delete the row of a trashed image trashed at exactly `trashed_at` (a restored image, or one
/// trashed again later, is left) and return it.
pub async fn delete_trashed<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    id: &str,
    trashed_at: Option<i64>,
) -> Result<Option<ImageRow>> {
    let mut sql = "DELETE FROM images WHERE id = $1 AND trashed_at IS NOT NULL".to_string();
    if trashed_at.is_some() {
        sql += " AND trashed_at = $2";
    }
    sql += &format!(" RETURNING {COLUMNS}");
    let mut q = sqlx::query_as(&sql).bind(id);
    if let Some(t) = trashed_at {
        q = q.bind(t);
    }
    Ok(q.fetch_optional(ex).await?)
}

/// Position in the trash listing: when trashed and the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashCursor {
    pub trashed_at: i64,
    pub id: String,
}

/// The owner's trash, most recently trashed first.
pub async fn list(
    db: &Db,
    owner_id: &str,
    after: Option<&TrashCursor>,
    limit: i64,
) -> Result<Vec<ImageRow>> {
    let mut sql =
        format!("SELECT {COLUMNS} FROM images WHERE owner_id = $1 AND trashed_at IS NOT NULL");
    if after.is_some() {
        sql += " AND (trashed_at < $2 OR (trashed_at = $3 AND id < $4)) \
                ORDER BY trashed_at DESC, id DESC LIMIT $5";
    } else {
        sql += " ORDER BY trashed_at DESC, id DESC LIMIT $2";
    }
    let mut q = sqlx::query_as(&sql).bind(owner_id);
    if let Some(c) = after {
        q = q.bind(c.trashed_at).bind(c.trashed_at).bind(&c.id);
    }
    Ok(q.bind(limit).fetch_all(db.pool()).await?)
}

/// The ids of everything in the owner's trash.
pub async fn ids(db: &Db, owner_id: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM images WHERE owner_id = $1 AND trashed_at IS NOT NULL ORDER BY id",
    )
    .bind(owner_id)
    .fetch_all(db.pool())
    .await?)
}
