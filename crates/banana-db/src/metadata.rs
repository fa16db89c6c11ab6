//! What photos say about themselves (`image_metadata`, written by the `metadata` analyzer):
//! when, with what and where, and what the owner corrected. Also the read side that needs
//! it alone: the timeline's months, the owner's places, the cameras in a library.
//!
//! Invariant: a correction by the owner (`taken_manual`, `location_manual`) survives every
//! rerun of the analyzer; a date from the file's modification time (`file`, sent by the
//! import CLI) is not replaced by the upload-time fallback of a rerun that cannot know it.

use sqlx::{Any, Executor};

use crate::images::Scope;
use crate::{Db, Result, Transaction};

/// One row of `image_metadata`.
#[derive(Debug, Clone, Default, PartialEq, sqlx::FromRow)]
pub struct MetadataRow {
    pub image_id: String,
    pub taken_at_ms: i64,
    pub taken_local: String,
    pub taken_offset_min: Option<i64>,
    pub taken_source: String,
    pub taken_manual: i64,
    pub camera_make: Option<String>,
    pub camera_model: Option<String>,
    pub lens: Option<String>,
    pub focal_length_mm: Option<f64>,
    pub f_number: Option<f64>,
    pub exposure_time_s: Option<f64>,
    pub iso: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country_code: Option<String>,
    pub location_manual: i64,
}

/// A nullable number, bound as text and cast in the SQL. Through the `Any` driver a NULL
/// number is bound with a type of its own, and PostgreSQL's cached statement then refuses the
/// next call's real number ("incorrect binary data format"); a text NULL never differs.
fn num<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

const COLUMNS: &str = "image_id, taken_at_ms, taken_local, taken_offset_min, taken_source, \
     taken_manual, camera_make, camera_model, lens, focal_length_mm, f_number, exposure_time_s, \
     iso, lat, lon, city, region, country_code, location_manual";

/// Store what the analyzer read (replacing an earlier reading, keeping corrections). Returns
/// false when the image no longer exists.
pub async fn upsert(tx: &mut Transaction<'_>, m: &MetadataRow) -> Result<bool> {
    // A kept date: corrected by the owner, or from the file's time and now only the upload
    // time is known.
    let keep_taken = "(image_metadata.taken_manual = 1 OR (excluded.taken_source = 'upload' \
         AND image_metadata.taken_source = 'file'))";
    let keep_place = "image_metadata.location_manual = 1";
    let pick = |col: &str, keep: &str| {
        format!("{col} = CASE WHEN {keep} THEN image_metadata.{col} ELSE excluded.{col} END")
    };
    let mut sets: Vec<String> = [
        "taken_at_ms",
        "taken_local",
        "taken_offset_min",
        "taken_source",
    ]
    .iter()
    .map(|c| pick(c, keep_taken))
    .collect();
    for c in [
        "camera_make",
        "camera_model",
        "lens",
        "focal_length_mm",
        "f_number",
        "exposure_time_s",
        "iso",
    ] {
        sets.push(format!("{c} = excluded.{c}"));
    }
    for c in ["lat", "lon", "city", "region", "country_code"] {
        sets.push(pick(c, keep_place));
    }
    let sql = format!(
        "INSERT INTO image_metadata ({COLUMNS}) \
         SELECT id, $2, $3, CAST($4 AS BIGINT), $5, 0, $6, $7, $8, CAST($9 AS DOUBLE PRECISION), \
             CAST($10 AS DOUBLE PRECISION), CAST($11 AS DOUBLE PRECISION), CAST($12 AS BIGINT), \
             CAST($13 AS DOUBLE PRECISION), CAST($14 AS DOUBLE PRECISION), $15, $16, $17, 0 \
         FROM images WHERE id = $1 \
         ON CONFLICT (image_id) DO UPDATE SET {}",
        sets.join(", ")
    );
    let r = sqlx::query(&sql)
        .bind(&m.image_id)
        .bind(m.taken_at_ms)
        .bind(&m.taken_local)
        .bind(num(m.taken_offset_min))
        .bind(&m.taken_source)
        .bind(&m.camera_make)
        .bind(&m.camera_model)
        .bind(&m.lens)
        .bind(num(m.focal_length_mm))
        .bind(num(m.f_number))
        .bind(num(m.exposure_time_s))
        .bind(num(m.iso))
        .bind(num(m.lat))
        .bind(num(m.lon))
        .bind(&m.city)
        .bind(&m.region)
        .bind(&m.country_code)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// The metadata of these images (those that have any).
pub async fn for_images(db: &Db, image_ids: &[String]) -> Result<Vec<MetadataRow>> {
    if image_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=image_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM image_metadata WHERE image_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql);
    for id in image_ids {
        query = query.bind(id);
    }
    Ok(query.fetch_all(db.pool()).await?)
}

/// The owner's date: `Some` sets it (and keeps it through reruns), `None` is applied by the
/// caller rewriting the file's date with [`upsert`] after [`release_taken`].
pub async fn set_taken<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    image_id: &str,
    taken_at_ms: i64,
    taken_local: &str,
    taken_offset_min: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "UPDATE image_metadata SET taken_at_ms = $2, taken_local = $3, \
         taken_offset_min = CAST($4 AS BIGINT), taken_source = 'manual', taken_manual = 1 \
         WHERE image_id = $1",
    )
    .bind(image_id)
    .bind(taken_at_ms)
    .bind(taken_local)
    .bind(num(taken_offset_min))
    .execute(ex)
    .await?;
    Ok(())
}

/// Let the next [`upsert`] write the date again (the owner withdrew their correction).
pub async fn release_taken(tx: &mut Transaction<'_>, image_id: &str) -> Result<()> {
    sqlx::query("UPDATE image_metadata SET taken_manual = 0 WHERE image_id = $1")
        .bind(image_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The owner's position and its place (all `None`: no position), kept through reruns.
#[allow(clippy::too_many_arguments)]
pub async fn set_location<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    image_id: &str,
    lat: Option<f64>,
    lon: Option<f64>,
    city: Option<&str>,
    region: Option<&str>,
    country_code: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE image_metadata SET lat = CAST($2 AS DOUBLE PRECISION), \
         lon = CAST($3 AS DOUBLE PRECISION), city = $4, region = $5, country_code = $6, \
         location_manual = 1 WHERE image_id = $1",
    )
    .bind(image_id)
    .bind(num(lat))
    .bind(num(lon))
    .bind(city)
    .bind(region)
    .bind(country_code)
    .execute(ex)
    .await?;
    Ok(())
}

/// Photos per month (`YYYY-MM` of the local date), newest first, over the images in `scope`
/// that have a date; and the upload times of those that have none yet (before their
/// backfill), for the caller to bucket.
pub async fn months(db: &Db, scope: &Scope) -> Result<(Vec<(String, i64)>, Vec<i64>)> {
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let cond = scope.condition("images", &mut next);
    let dated = format!(
        "SELECT substr(m.taken_local, 1, 7) AS month, COUNT(*) AS n FROM images \
         JOIN image_metadata m ON m.image_id = images.id WHERE {cond} \
         GROUP BY substr(m.taken_local, 1, 7) ORDER BY month DESC"
    );
    let undated = format!(
        "SELECT images.created_at FROM images LEFT JOIN image_metadata m \
         ON m.image_id = images.id WHERE m.image_id IS NULL AND {cond}"
    );
    let mut a = sqlx::query_as::<_, (String, i64)>(&dated);
    let mut b = sqlx::query_scalar::<_, i64>(&undated);
    if let Some(owner) = scope.owner() {
        a = a.bind(owner);
        b = b.bind(owner);
    }
    Ok((a.fetch_all(db.pool()).await?, b.fetch_all(db.pool()).await?))
}

/// One place in an owner's library.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PlaceCount {
    pub country_code: String,
    pub city: Option<String>,
    pub region: Option<String>,
    pub count: i64,
}

/// The owner's places (country, city) with how many of their photos were taken there, most
/// photos first.
pub async fn places(db: &Db, owner_id: &str) -> Result<Vec<PlaceCount>> {
    Ok(sqlx::query_as(
        "SELECT m.country_code, m.city, m.region, COUNT(*) AS count FROM image_metadata m \
         JOIN images ON images.id = m.image_id \
         WHERE images.owner_id = $1 AND images.trashed_at IS NULL AND m.country_code IS NOT NULL \
         GROUP BY m.country_code, m.city, m.region ORDER BY count DESC, m.country_code, m.city",
    )
    .bind(owner_id)
    .fetch_all(db.pool())
    .await?)
}

/// The distinct camera makes and models among the images in `scope`.
pub async fn cameras(db: &Db, scope: &Scope) -> Result<Vec<(Option<String>, Option<String>)>> {
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let sql = format!(
        "SELECT DISTINCT m.camera_make, m.camera_model FROM image_metadata m \
         JOIN images ON images.id = m.image_id \
         WHERE (m.camera_make IS NOT NULL OR m.camera_model IS NOT NULL) AND {}",
        scope.condition("images", &mut next)
    );
    let mut q = sqlx::query_as(&sql);
    if let Some(owner) = scope.owner() {
        q = q.bind(owner);
    }
    Ok(q.fetch_all(db.pool()).await?)
}
