//! Albums (`albums`, `album_images`) and favourites (`favorites`).
//!
//! Invariant: counts and covers only ever count images that still exist (memberships cascade
//! with their image); which of them a caller may *see* is decided by the caller's scope
//! ([`crate::images::Scope`]), applied by the queries that take one.

use sqlx::{Any, Executor};

use crate::images::Scope;
use crate::{now_ms, Db, Result};

/// One row of `albums`, with its image count and cover (chosen, else the one added last),
/// both over the images `scope` admits.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AlbumRow {
    pub id: String,
    pub owner_id: String,
    pub name: String,
    pub description: Option<String>,
    pub cover_image_id: Option<String>,
    pub image_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Create an album.
pub async fn insert(
    db: &Db,
    id: &str,
    owner_id: &str,
    name: &str,
    description: Option<&str>,
) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO albums (id, owner_id, name, description, cover_image_id, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, NULL, $5, $6)",
    )
    .bind(id)
    .bind(owner_id)
    .bind(name)
    .bind(description)
    .bind(now)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The owner's albums (`id` = `None`) or one album (of any owner: the caller checks), most
/// recently changed first, counted and covered over what `scope` admits.
pub async fn list(
    db: &Db,
    owner_id: Option<&str>,
    id: Option<&str>,
    scope: &Scope,
) -> Result<Vec<AlbumRow>> {
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let visible = scope.condition("i", &mut next);
    let mut sql = format!(
        "SELECT a.id, a.owner_id, a.name, a.description, \
             COALESCE((SELECT i.id FROM images i WHERE i.id = a.cover_image_id AND {visible}), \
                      (SELECT ai.image_id FROM album_images ai JOIN images i ON i.id = ai.image_id \
                       WHERE ai.album_id = a.id AND {visible} \
                       ORDER BY ai.added_at DESC, ai.image_id DESC LIMIT 1)) AS cover_image_id, \
             (SELECT COUNT(*) FROM album_images ai JOIN images i ON i.id = ai.image_id \
              WHERE ai.album_id = a.id AND {visible}) AS image_count, \
             a.created_at, a.updated_at \
         FROM albums a WHERE 1 = 1"
    );
    if owner_id.is_some() {
        sql += &format!(" AND a.owner_id = {}", next());
    }
    if id.is_some() {
        sql += &format!(" AND a.id = {}", next());
    }
    sql += " ORDER BY a.updated_at DESC, a.id DESC";
    let mut q = sqlx::query_as(&sql);
    // The scope's condition is used three times with the same numbered placeholder: one bind.
    if let Some(o) = scope.owner() {
        q = q.bind(o.to_string());
    }
    if let Some(o) = owner_id {
        q = q.bind(o.to_string());
    }
    if let Some(i) = id {
        q = q.bind(i.to_string());
    }
    Ok(q.fetch_all(db.pool()).await?)
}

/// The owner of an album, if it exists.
pub async fn owner_of(db: &Db, id: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT owner_id FROM albums WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Whether the image is in the album.
pub async fn contains(db: &Db, album_id: &str, image_id: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM album_images WHERE album_id = $1 AND image_id = $2",
    )
    .bind(album_id)
    .bind(image_id)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

/// Set an album's fields.
pub async fn update(
    db: &Db,
    id: &str,
    name: &str,
    description: Option<&str>,
    cover_image_id: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE albums SET name = $2, description = $3, cover_image_id = $4, updated_at = $5 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(name)
    .bind(description)
    .bind(cover_image_id)
    .bind(now_ms())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The stored fields of an album: name, description, chosen cover.
pub async fn fields(db: &Db, id: &str) -> Result<Option<(String, Option<String>, Option<String>)>> {
    Ok(
        sqlx::query_as("SELECT name, description, cover_image_id FROM albums WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Delete an album (its images stay).
pub async fn delete(db: &Db, id: &str) -> Result<bool> {
    let r = sqlx::query("DELETE FROM albums WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Add images (already checked) to an album; those already in it are left. Returns how many
/// were added.
pub async fn add_images<'c, E>(ex: E, album_id: &str, image_ids: &[String]) -> Result<i64>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let now = now_ms();
    let mut added = 0;
    for id in image_ids {
        let r = sqlx::query(
            "INSERT INTO album_images (album_id, image_id, added_at) \
             SELECT $1, i.id, $3 FROM images i WHERE i.id = $2 \
             ON CONFLICT (album_id, image_id) DO NOTHING",
        )
        .bind(album_id)
        .bind(id)
        .bind(now)
        .execute(ex)
        .await?;
        added += r.rows_affected() as i64;
    }
    touch(ex, album_id).await?;
    Ok(added)
}

/// Remove images from an album; returns how many were in it.
pub async fn remove_images<'c, E>(ex: E, album_id: &str, image_ids: &[String]) -> Result<i64>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let mut removed = 0;
    for id in image_ids {
        let r = sqlx::query("DELETE FROM album_images WHERE album_id = $1 AND image_id = $2")
            .bind(album_id)
            .bind(id)
            .execute(ex)
            .await?;
        removed += r.rows_affected() as i64;
    }
    touch(ex, album_id).await?;
    Ok(removed)
}

async fn touch<'c, E: Executor<'c, Database = Any>>(ex: E, album_id: &str) -> Result<()> {
    sqlx::query("UPDATE albums SET updated_at = $2 WHERE id = $1")
        .bind(album_id)
        .bind(now_ms())
        .execute(ex)
        .await?;
    Ok(())
}

/// Mark or unmark an image as the user's favourite (idempotent).
pub async fn set_favorite(db: &Db, user_id: &str, image_id: &str, on: bool) -> Result<()> {
    if on {
        sqlx::query(
            "INSERT INTO favorites (user_id, image_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, image_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(image_id)
        .bind(now_ms())
        .execute(db.pool())
        .await?;
    } else {
        sqlx::query("DELETE FROM favorites WHERE user_id = $1 AND image_id = $2")
            .bind(user_id)
            .bind(image_id)
            .execute(db.pool())
            .await?;
    }
    Ok(())
}

/// Which of these images the user marked as favourites.
pub async fn favorites_among(db: &Db, user_id: &str, image_ids: &[String]) -> Result<Vec<String>> {
    if image_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (2..=image_ids.len() + 1).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT image_id FROM favorites WHERE user_id = $1 AND image_id IN ({})",
        placeholders.join(", ")
    );
    let mut q = sqlx::query_scalar(&sql).bind(user_id);
    for id in image_ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(db.pool()).await?)
}

/// One share link of an album.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AlbumShareRow {
    pub id: String,
    pub album_id: String,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert_share(db: &Db, share: &AlbumShareRow, token_hash: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO album_shares (id, album_id, token_hash, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&share.id)
    .bind(&share.album_id)
    .bind(token_hash)
    .bind(&share.created_by)
    .bind(share.created_at)
    .bind(share.expires_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The album's live share links, newest first.
pub async fn list_shares(db: &Db, album_id: &str) -> Result<Vec<AlbumShareRow>> {
    Ok(sqlx::query_as(
        "SELECT id, album_id, created_by, created_at, expires_at FROM album_shares \
         WHERE album_id = $1 AND expires_at > $2 ORDER BY created_at DESC, id DESC",
    )
    .bind(album_id)
    .bind(now_ms())
    .fetch_all(db.pool())
    .await?)
}

/// Revoke one share link of the album; false when there is no such link.
pub async fn delete_share(db: &Db, album_id: &str, share_id: &str) -> Result<bool> {
    let r = sqlx::query("DELETE FROM album_shares WHERE album_id = $1 AND id = $2")
        .bind(album_id)
        .bind(share_id)
        .execute(db.pool())
        .await?;
    Ok(r.rows_affected() == 1)
}

/// The unexpired album share with this token hash, while its creator and the album's owner
/// are enabled accounts.
pub async fn share_by_hash(db: &Db, token_hash: &str) -> Result<Option<AlbumShareRow>> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.album_id, s.created_by, s.created_at, s.expires_at FROM album_shares s \
         JOIN users c ON c.id = s.created_by \
         JOIN albums a ON a.id = s.album_id \
         JOIN users o ON o.id = a.owner_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND c.disabled = 0 AND o.disabled = 0",
    )
    .bind(token_hash)
    .bind(now_ms())
    .fetch_optional(db.pool())
    .await?)
}
