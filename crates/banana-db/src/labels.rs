//! The label vocabulary (ImageNet classes keyed by WordNet id) and the predictions stored per
//! image.

use sqlx::{Any, Executor};

use crate::{now_ms, Db, Result, Transaction};

/// One label of the vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub struct Label<'a> {
    pub wnid: &'a str,
    pub class_index: i64,
    pub name: &'a str,
    pub synonyms: String,
}

/// Insert the vocabulary (idempotent and safe to run from several instances at once).
pub async fn seed(db: &Db, labels: &[Label<'_>]) -> Result<()> {
    let present: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM labels")
        .fetch_one(db.pool())
        .await?;
    if present as usize >= labels.len() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for l in labels {
        sqlx::query(
            "INSERT INTO labels (id, class_index, name, synonyms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(l.wnid)
        .bind(l.class_index)
        .bind(l.name)
        .bind(&l.synonyms)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One of an image's top-5 classes.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPrediction<'a> {
    pub wnid: &'a str,
    pub score: f64,
    pub attached: bool,
}

/// Replace an image's predictions and mark it ready (idempotent: a retried job writes the same).
/// Returns false when the image no longer exists.
pub async fn set_predictions(
    tx: &mut Transaction<'_>,
    image_id: &str,
    predictions: &[StoredPrediction<'_>],
) -> Result<bool> {
    let updated =
        sqlx::query("UPDATE images SET status = 'ready', status_reason = NULL WHERE id = $1")
            .bind(image_id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM image_labels WHERE image_id = $1")
        .bind(image_id)
        .execute(&mut **tx)
        .await?;
    for (rank, p) in predictions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO image_labels (image_id, label_id, score, rank, attached) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(image_id)
        .bind(p.wnid)
        .bind(p.score)
        .bind(rank as i64)
        .bind(i64::from(p.attached))
        .execute(&mut **tx)
        .await?;
    }
    // Labels the owner rejected stay off, whatever the model says now.
    sqlx::query(
        "UPDATE image_labels SET attached = 0 WHERE image_id = $1 AND label_id IN \
         (SELECT label_id FROM label_rejections WHERE image_id = $1)",
    )
    .bind(image_id)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// Mark an image's labeling as failed for good.
pub async fn set_failed<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    image_id: &str,
    reason: &str,
) -> Result<()> {
    sqlx::query("UPDATE images SET status = 'failed', status_reason = $1 WHERE id = $2")
        .bind(reason)
        .bind(image_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// The kind of the stored pooled classifier features (the "more like this" vector).
pub const FEATURES_VECTOR: &str = "features";

/// Store a vector for an image (replacing one of the same kind).
pub async fn set_vector(
    tx: &mut Transaction<'_>,
    image_id: &str,
    kind: &str,
    vector: &[f32],
) -> Result<()> {
    let bytes: Vec<u8> = vector.iter().flat_map(|v| v.to_le_bytes()).collect();
    sqlx::query(
        "INSERT INTO image_vectors (image_id, kind, vector, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (image_id, kind) DO UPDATE SET vector = excluded.vector, updated_at = excluded.updated_at",
    )
    .bind(image_id)
    .bind(kind)
    .bind(bytes)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Decode a stored vector.
pub fn decode_vector(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// A label with the number of images it is attached to.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LabelCount {
    pub id: String,
    pub name: String,
    pub count: i64,
}

/// Labels attached to at least one image the caller may see, most used first; the counts
/// include only those images.
pub async fn counts(db: &Db, scope: &crate::images::Scope) -> Result<Vec<LabelCount>> {
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let sql = format!(
        "SELECT l.id, l.name, COUNT(*) AS count FROM image_labels il JOIN labels l ON l.id = il.label_id \
         JOIN images i ON i.id = il.image_id WHERE il.attached = 1 AND {} \
         GROUP BY l.id, l.name ORDER BY count DESC, l.name",
        scope.condition("i", &mut next)
    );
    let mut query = sqlx::query_as(&sql);
    if let Some(owner) = scope.owner() {
        query = query.bind(owner);
    }
    Ok(query.fetch_all(db.pool()).await?)
}

/// Every `(image id, label id)` attached to an image the caller may see (the category
/// counts of the label tree need distinct images per subtree).
pub async fn attached_pairs(
    db: &Db,
    scope: &crate::images::Scope,
) -> Result<Vec<(String, String)>> {
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let sql = format!(
        "SELECT il.image_id, il.label_id FROM image_labels il JOIN images i ON i.id = il.image_id \
         WHERE il.attached = 1 AND {}",
        scope.condition("i", &mut next)
    );
    let mut query = sqlx::query_as(&sql);
    if let Some(owner) = scope.owner() {
        query = query.bind(owner);
    }
    Ok(query.fetch_all(db.pool()).await?)
}

/// Take a model label off an image and remember the rejection (re-analysis keeps it off).
/// True when the image had that label among its predictions.
pub async fn reject(tx: &mut Transaction<'_>, image_id: &str, label_id: &str) -> Result<bool> {
    let had =
        sqlx::query("UPDATE image_labels SET attached = 0 WHERE image_id = $1 AND label_id = $2")
            .bind(image_id)
            .bind(label_id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    if had == 0 {
        return Ok(false);
    }
    crate::findings::reject_label(&mut **tx, image_id, label_id).await?;
    Ok(true)
}
