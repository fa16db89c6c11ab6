//! Reading the per-image vectors (`image_vectors`) back: everything of a kind at start-up,
//! what changed since a time for the periodic catch-up between server instances, and which
//! ids are still present (to drop images deleted by another instance). The kind of a vector
//! is a [`VectorKind`]; its string form (`image_vectors.kind`) appears only here.

use sqlx::Row;

use crate::images::{ImageRow, Scope};
use crate::labels::decode_vector;
use crate::{Db, Result, Transaction};

/// The kinds of per-image vectors (`image_vectors.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VectorKind {
    /// The 384-d text-space vector of the image's labels, title and attribution.
    Semantic,
    /// The classifier's 1280-d pooled features.
    Features,
}

impl VectorKind {
    pub const ALL: [VectorKind; 2] = [VectorKind::Semantic, VectorKind::Features];

    /// The stored form.
    pub const fn as_str(self) -> &'static str {
        match self {
            VectorKind::Semantic => "semantic",
            VectorKind::Features => "features",
        }
    }

    /// The kind of a stored string.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Write (or replace) an image's vector of `kind`, in the caller's transaction.
pub async fn set(
    tx: &mut Transaction<'_>,
    image_id: &str,
    kind: VectorKind,
    vector: &[f32],
) -> Result<()> {
    crate::labels::set_vector(tx, image_id, kind.as_str(), vector).await
}

/// One stored vector.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredVector {
    pub image_id: String,
    pub vector: Vec<f32>,
    /// Unix milliseconds of the last write.
    pub updated_at: i64,
}

fn decode(rows: Vec<sqlx::any::AnyRow>) -> Result<Vec<StoredVector>> {
    rows.into_iter()
        .map(|r| {
            Ok(StoredVector {
                image_id: r.try_get(0)?,
                vector: decode_vector(&r.try_get::<Vec<u8>, _>(1)?),
                updated_at: r.try_get(2)?,
            })
        })
        .collect()
}

/// Every vector of `kind`.
pub async fn all(db: &Db, kind: VectorKind) -> Result<Vec<StoredVector>> {
    let rows = sqlx::query(
        "SELECT image_id, vector, updated_at FROM image_vectors WHERE kind = $1 ORDER BY image_id",
    )
    .bind(kind.as_str())
    .fetch_all(db.pool())
    .await?;
    decode(rows)
}

/// Vectors of `kind` written at or after `since_ms`.
pub async fn changed_since(db: &Db, kind: VectorKind, since_ms: i64) -> Result<Vec<StoredVector>> {
    let rows = sqlx::query(
        "SELECT image_id, vector, updated_at FROM image_vectors \
         WHERE kind = $1 AND updated_at >= $2 ORDER BY updated_at, image_id",
    )
    .bind(kind.as_str())
    .bind(since_ms)
    .fetch_all(db.pool())
    .await?;
    decode(rows)
}

/// One image's vector of `kind`.
pub async fn get(db: &Db, image_id: &str, kind: VectorKind) -> Result<Option<Vec<f32>>> {
    let v: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT vector FROM image_vectors WHERE image_id = $1 AND kind = $2")
            .bind(image_id)
            .bind(kind.as_str())
            .fetch_optional(db.pool())
            .await?;
    Ok(v.map(|b| decode_vector(&b)))
}

/// How many vectors of `kind` there are.
pub async fn count(db: &Db, kind: VectorKind) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM image_vectors WHERE kind = $1")
            .bind(kind.as_str())
            .fetch_one(db.pool())
            .await?,
    )
}

/// The ids of the images that have a vector of `kind` (deleted images have none: their
/// vectors go with them).
pub async fn ids(db: &Db, kind: VectorKind) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT image_id FROM image_vectors WHERE kind = $1")
            .bind(kind.as_str())
            .fetch_all(db.pool())
            .await?,
    )
}

/// Of these ids, those whose image no longer exists.
pub async fn deleted(db: &Db, image_ids: &[String]) -> Result<Vec<String>> {
    let mut gone = Vec::new();
    for chunk in image_ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id FROM images WHERE id IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for id in chunk {
            query = query.bind(id);
        }
        let present: std::collections::HashSet<String> =
            query.fetch_all(db.pool()).await?.into_iter().collect();
        gone.extend(chunk.iter().filter(|id| !present.contains(*id)).cloned());
    }
    Ok(gone)
}

/// Images that have a vector of kind `have` but none of kind `lacking` (e.g. labeled before
/// semantic vectors existed), at most `limit`.
pub async fn missing(
    db: &Db,
    have: VectorKind,
    lacking: VectorKind,
    limit: i64,
) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT v.image_id FROM image_vectors v WHERE v.kind = $1 AND NOT EXISTS \
         (SELECT 1 FROM image_vectors w WHERE w.image_id = v.image_id AND w.kind = $2) \
         ORDER BY v.image_id LIMIT $3",
    )
    .bind(have.as_str())
    .bind(lacking.as_str())
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// The rows of these images (those that exist), in no particular order.
pub async fn rows(db: &Db, image_ids: &[String]) -> Result<Vec<ImageRow>> {
    let mut out = Vec::with_capacity(image_ids.len());
    for chunk in image_ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT * FROM images WHERE id IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_as::<_, ImageRow>(&sql);
        for id in chunk {
            query = query.bind(id);
        }
        out.extend(query.fetch_all(db.pool()).await?);
    }
    Ok(out)
}

/// The vectors of `kind` of the images `scope` admits.
pub async fn of_scope(db: &Db, kind: VectorKind, scope: &Scope) -> Result<Vec<StoredVector>> {
    let mut n = 1;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let cond = scope.condition("i", &mut next);
    let sql = format!(
        "SELECT v.image_id, v.vector, v.updated_at FROM image_vectors v \
         JOIN images i ON i.id = v.image_id WHERE v.kind = $1 AND {cond} ORDER BY v.image_id"
    );
    let mut query = sqlx::query(&sql).bind(kind.as_str());
    if let Some(owner) = scope.owner() {
        query = query.bind(owner);
    }
    decode(query.fetch_all(db.pool()).await?)
}

/// The ids of the images the viewer's `scope` allows that have a vector of `kind` (in no
/// particular order). Search scores only these, so images a viewer may not see never take a
/// rank.
pub async fn visible_ids(db: &Db, kind: VectorKind, scope: &Scope) -> Result<Vec<String>> {
    let mut n = 1;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let cond = scope.condition("i", &mut next);
    let sql = format!(
        "SELECT v.image_id FROM image_vectors v JOIN images i ON i.id = v.image_id \
         WHERE v.kind = $1 AND {cond}"
    );
    let mut query = sqlx::query_scalar(&sql).bind(kind.as_str());
    if let Some(owner) = scope.owner() {
        query = query.bind(owner);
    }
    Ok(query.fetch_all(db.pool()).await?)
}
