//! Which analyzer version produced what is stored for an image (`image_analyses`): written in
//! the transaction that stores the findings, so a recorded version always has its results, and
//! read by `banana reanalyze` to find the images a new analyzer or version has not seen yet.

use sqlx::{Any, Executor};

use crate::{now_ms, Db, Result, Transaction};

/// Record that `analyzer` at `version` analysed the image (replacing an older record).
/// Returns false when the image no longer exists (nothing is recorded).
pub async fn record(
    tx: &mut Transaction<'_>,
    image_id: &str,
    analyzer: &str,
    version: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO image_analyses (image_id, analyzer, version, analyzed_at) \
         SELECT id, $2, $3, $4 FROM images WHERE id = $1 \
         ON CONFLICT (image_id, analyzer) DO UPDATE SET version = excluded.version, \
             analyzed_at = excluded.analyzed_at",
    )
    .bind(image_id)
    .bind(analyzer)
    .bind(version)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The version of `analyzer` whose results are stored for the image (`None`: never analysed).
pub async fn version<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    image_id: &str,
    analyzer: &str,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT version FROM image_analyses WHERE image_id = $1 AND analyzer = $2",
    )
    .bind(image_id)
    .bind(analyzer)
    .fetch_optional(ex)
    .await?)
}

/// Up to `limit` images (ids after `after`, in id order) whose stored results of `analyzer`
/// are missing or older than `version`. Images still waiting for their first analysis
/// (`pending`, their upload's job will run every analyzer) are left out.
pub async fn outdated(
    db: &Db,
    analyzer: &str,
    version: i64,
    after: &str,
    limit: i64,
) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT i.id FROM images i WHERE i.id > $1 AND i.status <> 'pending' AND NOT EXISTS \
             (SELECT 1 FROM image_analyses a WHERE a.image_id = i.id AND a.analyzer = $2 \
              AND a.version >= $3) \
         ORDER BY i.id LIMIT $4",
    )
    .bind(after)
    .bind(analyzer)
    .bind(version)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}
