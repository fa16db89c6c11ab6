//! Image rows and the labels attached to them.

use sqlx::{Any, Executor};

use crate::{Db, Result};

pub(crate) const COLUMNS: &str =
    "id, owner_id, sha256, filename, title, attribution, content_type, bytes, \
     width, height, has_exif, visibility, status, status_reason, created_at, trashed_at";

/// The columns a new row sets (it is never trashed).
const INSERT_COLUMNS: &str = "id, owner_id, sha256, filename, title, attribution, content_type, \
     bytes, width, height, has_exif, visibility, status, status_reason, created_at";

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
    /// When its owner moved it to the trash (Unix ms); `None` for a live image.
    pub trashed_at: Option<i64>,
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
        "INSERT INTO images ({INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
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

/// Position in a listing: the sort key (upload time, or date taken) and id of the last item
/// seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: i64,
    pub id: String,
}

/// The order of a listing, newest first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// By date taken; images without a date by their upload time.
    #[default]
    Taken,
    /// By upload time.
    Uploaded,
}

impl Sort {
    /// The sort key as SQL over `images` and its metadata `m`.
    fn key(self) -> &'static str {
        match self {
            Sort::Taken => "COALESCE(m.taken_at_ms, images.created_at)",
            Sort::Uploaded => "images.created_at",
        }
    }
}

/// Narrowing of a listing by what photos say about themselves. Place filters only ever match
/// `place_owner`'s own images (nobody learns another's places by filtering).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaFilter {
    /// Local dates, `YYYY-MM-DD`, inclusive.
    pub taken_from: Option<String>,
    pub taken_to: Option<String>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<String>,
    /// A city name (any case).
    pub city: Option<String>,
    /// A camera make, or part of a model ("Canon", "iPhone"), any case.
    pub camera: Option<String>,
    /// Exactly one of these makes or models (a search's camera filter).
    pub camera_in: Vec<String>,
    /// Whose images place filters match (`None`: they match nothing).
    pub place_owner: Option<String>,
}

impl MetaFilter {
    pub fn is_empty(&self) -> bool {
        self.taken_from.is_none()
            && self.taken_to.is_none()
            && self.country.is_none()
            && self.city.is_none()
            && self.camera.is_none()
            && self.camera_in.is_empty()
    }

    /// The conditions on `m` (and `images`), and their values in placeholder order.
    pub(crate) fn conditions(&self, next: &mut impl FnMut() -> String) -> (String, Vec<String>) {
        let mut sql = String::new();
        let mut binds = Vec::new();
        if let Some(from) = &self.taken_from {
            sql += &format!(" AND substr(m.taken_local, 1, 10) >= {}", next());
            binds.push(from.clone());
        }
        if let Some(to) = &self.taken_to {
            sql += &format!(" AND substr(m.taken_local, 1, 10) <= {}", next());
            binds.push(to.clone());
        }
        if self.country.is_some() || self.city.is_some() {
            match &self.place_owner {
                Some(owner) => {
                    sql += &format!(" AND images.owner_id = {}", next());
                    binds.push(owner.clone());
                }
                None => sql += " AND 1 = 0",
            }
        }
        if let Some(cc) = &self.country {
            sql += &format!(" AND m.country_code = {}", next());
            binds.push(cc.to_ascii_uppercase());
        }
        if let Some(city) = &self.city {
            sql += &format!(" AND lower(m.city) = {}", next());
            binds.push(city.to_lowercase());
        }
        if let Some(camera) = &self.camera {
            let like = format!("%{}%", camera.to_lowercase().replace(['%', '_'], ""));
            let (a, b) = (next(), next());
            sql +=
                &format!(" AND (lower(m.camera_make) LIKE {a} OR lower(m.camera_model) LIKE {b})");
            binds.push(like.clone());
            binds.push(like);
        }
        if !self.camera_in.is_empty() {
            let makes: Vec<String> = self.camera_in.iter().map(|_| next()).collect();
            let models: Vec<String> = self.camera_in.iter().map(|_| next()).collect();
            sql += &format!(
                " AND (m.camera_make IN ({}) OR m.camera_model IN ({}))",
                makes.join(", "),
                models.join(", ")
            );
            binds.extend(self.camera_in.iter().cloned());
            binds.extend(self.camera_in.iter().cloned());
        }
        (sql, binds)
    }
}

/// Columns of `images` qualified by its name (for queries that join).
fn qualified_columns() -> String {
    COLUMNS
        .split(", ")
        .map(|c| format!("images.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
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
    /// The images of `base` among these ids (a search narrowed by dates, place or camera:
    /// [`ids_matching`]).
    Among {
        base: Box<Scope>,
        ids: std::sync::Arc<std::collections::HashSet<String>>,
    },
}

impl Scope {
    /// The condition on `images` (aliased `alias`), with its placeholder numbered by `next`.
    /// Trashed images are in no scope: they leave every listing, search, album and share.
    pub(crate) fn condition(&self, alias: &str, next: &mut impl FnMut() -> String) -> String {
        format!(
            "{alias}.trashed_at IS NULL AND {}",
            self.live_condition(alias, next)
        )
    }

    fn live_condition(&self, alias: &str, next: &mut impl FnMut() -> String) -> String {
        match self {
            Scope::All => "1 = 1".into(),
            Scope::Public => format!("{alias}.visibility = 'public'"),
            Scope::OwnerOrPublic(_) => format!(
                "({alias}.owner_id = {} OR {alias}.visibility = 'public')",
                next()
            ),
            Scope::Owner(_) => format!("{alias}.owner_id = {}", next()),
            Scope::Among { base, ids } => {
                // Image ids are UUIDs (letters, digits, '-'): safe as literals, and a list
                // of literals keeps the one-owner-placeholder shape every caller binds.
                let list: Vec<String> = ids
                    .iter()
                    .filter(|id| id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
                    .map(|id| format!("'{id}'"))
                    .collect();
                let base = base.live_condition(alias, next);
                if list.is_empty() {
                    format!("({base}) AND 1 = 0")
                } else {
                    format!("({base}) AND {alias}.id IN ({})", list.join(", "))
                }
            }
        }
    }

    pub(crate) fn owner(&self) -> Option<&str> {
        match self {
            Scope::OwnerOrPublic(o) | Scope::Owner(o) => Some(o),
            Scope::Among { base, .. } => base.owner(),
            _ => None,
        }
    }

    /// Does this row meet the condition? (The same rule as [`Scope::condition`], for rows
    /// already read.)
    pub fn admits(&self, row: &ImageRow) -> bool {
        row.trashed_at.is_none() && self.admits_live(row)
    }

    fn admits_live(&self, row: &ImageRow) -> bool {
        match self {
            Scope::All => true,
            Scope::Public => row.visibility == "public",
            Scope::OwnerOrPublic(o) => row.owner_id == *o || row.visibility == "public",
            Scope::Owner(o) => row.owner_id == *o,
            Scope::Among { base, ids } => base.admits_live(row) && ids.contains(&row.id),
        }
    }
}

/// The ids of the images in `scope` that `meta` matches, newest first by date taken (at most
/// `limit`).
pub async fn ids_matching(
    db: &Db,
    scope: &Scope,
    meta: &MetaFilter,
    limit: i64,
) -> Result<Vec<String>> {
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let key = Sort::Taken.key();
    let mut sql = format!(
        "SELECT images.id FROM images LEFT JOIN image_metadata m ON m.image_id = images.id \
         WHERE {}",
        scope.condition("images", &mut next)
    );
    let (meta_sql, binds) = meta.conditions(&mut next);
    sql += &meta_sql;
    sql += &format!(" ORDER BY {key} DESC, images.id DESC LIMIT {}", next());
    let mut q = sqlx::query_scalar(&sql);
    if let Some(owner) = scope.owner() {
        q = q.bind(owner);
    }
    for b in binds {
        q = q.bind(b);
    }
    Ok(q.bind(limit).fetch_all(db.pool()).await?)
}

/// Images and bytes of originals per owner: of these owners, or of everyone (`None`).
pub async fn usage(db: &Db, owners: Option<&[String]>) -> Result<Vec<(String, i64, i64)>> {
    let mut sql = "SELECT owner_id, COUNT(*), CAST(COALESCE(SUM(bytes), 0) AS BIGINT) FROM images"
        .to_string();
    if let Some(o) = owners {
        if o.is_empty() {
            return Ok(Vec::new());
        }
        let ph: Vec<String> = (1..=o.len()).map(|i| format!("${i}")).collect();
        sql += &format!(" WHERE owner_id IN ({})", ph.join(", "));
    }
    sql += " GROUP BY owner_id";
    let mut q = sqlx::query_as::<_, (String, i64, i64)>(&sql);
    for o in owners.unwrap_or(&[]) {
        q = q.bind(o);
    }
    Ok(q.fetch_all(db.pool()).await?)
}

/// Which images a listing returns.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Only images the caller may see.
    pub scope: Scope,
    /// Only images with any of these labels attached (a category's filter lists its own id,
    /// the ids of the categories below it and their classes' WordNet ids); `None`: no filter.
    pub labels: Option<Vec<String>>,
    /// Only images in this album.
    pub album: Option<String>,
    /// Only images with this tag (any case).
    pub tag: Option<String>,
    /// Only this user's favourites.
    pub favorite_of: Option<String>,
    /// Only images this says something about.
    pub meta: MetaFilter,
    pub sort: Sort,
    /// Only images after this position (in `sort` order).
    pub after: Option<Cursor>,
    /// Only images before this position, nearest first (the listing read backwards).
    pub before: Option<Cursor>,
    pub limit: i64,
}

/// Images newest first (by `sort`), each with its sort key.
pub async fn list(db: &Db, q: &ListQuery) -> Result<Vec<(ImageRow, i64)>> {
    #[derive(sqlx::FromRow)]
    struct Keyed {
        #[sqlx(flatten)]
        row: ImageRow,
        sort_key: i64,
    }
    // The Any driver leaves placeholder syntax to us: number them by hand.
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let key = q.sort.key();
    let mut sql = format!(
        "SELECT {}, {key} AS sort_key FROM images \
         LEFT JOIN image_metadata m ON m.image_id = images.id WHERE {}",
        qualified_columns(),
        q.scope.condition("images", &mut next)
    );
    if let Some(labels) = &q.labels {
        let list: Vec<String> = labels.iter().map(|_| next()).collect();
        // An empty list matches nothing (an unknown label has no images).
        let list = if list.is_empty() {
            "NULL".to_string()
        } else {
            list.join(", ")
        };
        sql += &format!(
            " AND EXISTS (SELECT 1 FROM image_labels il WHERE il.image_id = images.id \
             AND il.attached = 1 AND il.label_id IN ({list}))"
        );
    }
    if q.album.is_some() {
        sql += &format!(
            " AND EXISTS (SELECT 1 FROM album_images ai WHERE ai.image_id = images.id \
             AND ai.album_id = {})",
            next()
        );
    }
    if q.favorite_of.is_some() {
        sql += &format!(
            " AND EXISTS (SELECT 1 FROM favorites f WHERE f.image_id = images.id \
             AND f.user_id = {})",
            next()
        );
    }
    if q.tag.is_some() {
        sql += &format!(
            " AND EXISTS (SELECT 1 FROM image_tags t WHERE t.image_id = images.id \
             AND t.tag_key = {})",
            next()
        );
    }
    let (meta_sql, meta_binds) = q.meta.conditions(&mut next);
    sql += &meta_sql;
    if q.after.is_some() {
        let (a, b, c) = (next(), next(), next());
        sql += &format!(" AND ({key} < {a} OR ({key} = {b} AND images.id < {c}))");
    }
    let order = if q.before.is_some() {
        let (a, b, c) = (next(), next(), next());
        sql += &format!(" AND ({key} > {a} OR ({key} = {b} AND images.id > {c}))");
        "ASC"
    } else {
        "DESC"
    };
    sql += &format!(
        " ORDER BY {key} {order}, images.id {order} LIMIT {}",
        next()
    );
    let mut query = sqlx::query_as::<_, Keyed>(&sql);
    if let Some(owner) = q.scope.owner() {
        query = query.bind(owner);
    }
    for label in q.labels.iter().flatten() {
        query = query.bind(label);
    }
    if let Some(album) = &q.album {
        query = query.bind(album);
    }
    if let Some(user) = &q.favorite_of {
        query = query.bind(user);
    }
    if let Some(tag) = &q.tag {
        query = query.bind(tag.to_lowercase());
    }
    for v in meta_binds {
        query = query.bind(v);
    }
    if let Some(c) = &q.after {
        query = query.bind(c.key).bind(c.key).bind(&c.id);
    }
    if let Some(c) = &q.before {
        query = query.bind(c.key).bind(c.key).bind(&c.id);
    }
    let rows = query.bind(q.limit).fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(|k| (k.row, k.sort_key)).collect())
}

/// An image's position in listings sorted by `sort`.
pub async fn sort_key(db: &Db, id: &str, sort: Sort) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT {} FROM images LEFT JOIN image_metadata m ON m.image_id = images.id \
         WHERE images.id = $1",
        sort.key()
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
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

/// Whether the image's row exists.
pub async fn exists<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(
    ex: E,
    id: &str,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM images WHERE id = $1")
        .bind(id)
        .fetch_one(ex)
        .await?;
    Ok(n > 0)
}
