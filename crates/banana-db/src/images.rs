//! Image rows and the labels attached to them.

use sqlx::{Any, Executor};

use crate::{Db, Result};

const COLUMNS: &str = "id, owner_id, sha256, filename, title, attribution, content_type, bytes, \
     width, height, has_exif, visibility, status, status_reason, created_at";

/// One row of `images`.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ImageRow {
    pub id: String,
    pub owner_id: String,
    pub sha256: String,
    pub filename: String,
    pub title: Option<String>,
    pub attribution: Option<String>,
    pub content_type: String,
    pub bytes: i64,
    pub width: i64,
    pub height: i64,
    pub has_exif: i64,
    pub visibility: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub created_at: i64,
}

/// A label attached to an image, with the label's own fields.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ImageLabel {
    pub image_id: String,
    pub label_id: String,
    pub name: String,
    pub score: f64,
    /// 1 when shown as a label, 0 when only among the top-5 predictions.
    pub attached: i64,
}

/// Insert a new image. A second image with the same owner and SHA-256 is a
/// [`crate::DbError::Conflict`].
pub async fn insert<'c, E: Executor<'c, Database = Any>>(ex: E, row: &ImageRow) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO images ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    ))
    .bind(&row.id)
    .bind(&row.owner_id)
    .bind(&row.sha256)
    .bind(&row.filename)
    .bind(&row.title)
    .bind(&row.attribution)
    .bind(&row.content_type)
    .bind(row.bytes)
    .bind(row.width)
    .bind(row.height)
    .bind(row.has_exif)
    .bind(&row.visibility)
    .bind(&row.status)
    .bind(&row.status_reason)
    .bind(row.created_at)
    .execute(ex)
    .await?;
    Ok(())
}

/// The id of the owner's image with this content, if there is one.
pub async fn find_by_sha(db: &Db, owner_id: &str, sha256: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM images WHERE owner_id = $1 AND sha256 = $2")
            .bind(owner_id)
            .bind(sha256)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// How many images (of any owner) have this content; objects are shared by content.
pub async fn count_by_sha<'c, E: Executor<'c, Database = Any>>(ex: E, sha256: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM images WHERE sha256 = $1")
            .bind(sha256)
            .fetch_one(ex)
            .await?,
    )
}

pub async fn get(db: &Db, id: &str) -> Result<Option<ImageRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM images WHERE id = $1"))
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Position in the newest-first order: `(created_at, id)` of the last item seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: i64,
    pub id: String,
}

/// Which images a caller may see, as a SQL condition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Scope {
    /// Everything (admins, internal work).
    #[default]
    All,
    /// Public images only (signed out).
    Public,
    /// This owner's images and public ones.
    OwnerOrPublic(String),
    /// This owner's images only (a user's own library).
    Owner(String),
}

impl Scope {
    /// The condition on `images` (aliased `alias`), with its placeholder numbered by `next`.
    pub(crate) fn condition(&self, alias: &str, next: &mut impl FnMut() -> String) -> String {
        match self {
            Scope::All => "1 = 1".into(),
            Scope::Public => format!("{alias}.visibility = 'public'"),
            Scope::OwnerOrPublic(_) => format!(
                "({alias}.owner_id = {} OR {alias}.visibility = 'public')",
                next()
            ),
            Scope::Owner(_) => format!("{alias}.owner_id = {}", next()),
        }
    }

    pub(crate) fn owner(&self) -> Option<&str> {
        match self {
            Scope::OwnerOrPublic(o) | Scope::Owner(o) => Some(o),
            _ => None,
        }
    }

    /// Does this row meet the condition? (The same rule as [`Scope::condition`], for rows
    /// already read.)
    pub fn admits(&self, row: &ImageRow) -> bool {
        match self {
            Scope::All => true,
            Scope::Public => row.visibility == "public",
            Scope::OwnerOrPublic(o) => row.owner_id == *o || row.visibility == "public",
            Scope::Owner(o) => row.owner_id == *o,
        }
    }
}

/// Which images a listing returns.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Only images the caller may see.
    pub scope: Scope,
    /// Only images with this label attached.
    pub label: Option<String>,
    /// Only images after this position.
    pub after: Option<Cursor>,
    pub limit: i64,
}

/// Images newest first.
pub async fn list(db: &Db, q: &ListQuery) -> Result<Vec<ImageRow>> {
    // The Any driver leaves placeholder syntax to us: number them by hand.
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let mut sql = format!(
        "SELECT {COLUMNS} FROM images WHERE {}",
        q.scope.condition("images", &mut next)
    );
    if q.label.is_some() {
        sql += &format!(
            " AND EXISTS (SELECT 1 FROM image_labels il WHERE il.image_id = images.id \
             AND il.attached = 1 AND il.label_id = {})",
            next()
        );
    }
    if q.after.is_some() {
        let (a, b, c) = (next(), next(), next());
        sql += &format!(" AND (created_at < {a} OR (created_at = {b} AND id < {c}))");
    }
    sql += &format!(" ORDER BY created_at DESC, id DESC LIMIT {}", next());
    let mut query = sqlx::query_as(&sql);
    if let Some(owner) = q.scope.owner() {
        query = query.bind(owner);
    }
    if let Some(label) = &q.label {
        query = query.bind(label);
    }
    if let Some(c) = &q.after {
        query = query.bind(c.created_at).bind(c.created_at).bind(&c.id);
    }
    Ok(query.bind(q.limit).fetch_all(db.pool()).await?)
}

/// Delete an image row (its labels go with it) and return it.
pub async fn delete<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    id: &str,
) -> Result<Option<ImageRow>> {
    Ok(sqlx::query_as(&format!(
        "DELETE FROM images WHERE id = $1 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .fetch_optional(ex)
    .await?)
}

/// The stored top-5 predictions of these images (attached labels and the rest), best first
/// within each image.
pub async fn labels_for(db: &Db, image_ids: &[String]) -> Result<Vec<ImageLabel>> {
    if image_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=image_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT il.image_id, il.label_id, l.name, il.score, il.attached FROM image_labels il \
         JOIN labels l ON l.id = il.label_id WHERE il.image_id IN ({}) \
         ORDER BY il.image_id, il.rank",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql);
    for id in image_ids {
        query = query.bind(id);
    }
    Ok(query.fetch_all(db.pool()).await?)
}

/// Set an image's editable fields.
pub async fn update_fields(
    db: &Db,
    id: &str,
    title: Option<&str>,
    attribution: Option<&str>,
    visibility: &str,
) -> Result<()> {
    sqlx::query("UPDATE images SET title = $1, attribution = $2, visibility = $3 WHERE id = $4")
        .bind(title)
        .bind(attribution)
        .bind(visibility)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}
