//! Upload intents: the record that objects of one content (SHA-256) may exist without an image
//! row referencing them. An upload writes its intent before its objects and deletes it after the
//! row is committed; a removal (a deleted image, a failed upload) writes one before deciding to
//! delete objects. Whatever crashes in between leaves the intent, and the sweeper finds it.
//!
//! Objects are shared by content across owners, so deciding to delete them and starting to
//! write them must exclude each other. Both happen per content under one lock — a transaction
//! holding `pg_advisory_xact_lock` on PostgreSQL; on SQLite every transaction here writes first,
//! which takes the database's single write lock — and:
//! - [`create`] (before an upload writes objects) fails with [`Created::Busy`] while another
//!   intent of that content is `sweeping`;
//! - [`sweep_or_release`] turns an intent into `sweeping` only when no image row and no other
//!   intent of the content exist (any other intent is an upload or removal in flight, which
//!   will decide itself: the last one out removes the objects); otherwise it deletes the intent.
//!
//! A `sweeping` intent carries a lease; a sweeper that died lets it run out and another claims
//! it ([`claim_expired`]) and finishes the deletion.

use sqlx::{Any, Executor};

use crate::{now_ms, Backend, Db, Result, Transaction};

/// One intent row.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Intent {
    pub id: String,
    pub sha256: String,
    pub instance: String,
    pub state: String,
    pub created_at: i64,
    pub locked_until: Option<i64>,
}

/// What [`create`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    /// The intent is committed: the caller may write the objects.
    Yes,
    /// The content's objects are being deleted under intent `id` (lease until
    /// `locked_until`); nothing was written. Try again shortly.
    Busy { id: String, locked_until: i64 },
}

/// What [`sweep_or_release`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The intent is now `sweeping`, held by the caller: delete the objects, then
    /// [`finish`].
    Sweep,
    /// A row or another intent still covers the content; this intent is deleted.
    Released,
    /// The intent was not `pending` (another sweeper holds it) or no longer exists.
    Gone,
}

/// Take the per-content lock for the rest of `tx` (PostgreSQL; SQLite serialises writers).
async fn lock(tx: &mut Transaction<'static>, backend: Backend, sha256: &str) -> Result<()> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock($1)) AS l")
            .bind(lock_key(sha256))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The advisory-lock key of a content: its first 60 bits (collisions only serialise).
fn lock_key(sha256: &str) -> i64 {
    let prefix: String = sha256.chars().take(15).collect();
    i64::from_str_radix(&prefix, 16).unwrap_or(0)
}

/// Record that `instance` is about to write the objects of `sha256`, unless they are being
/// deleted right now.
pub async fn create(db: &Db, id: &str, sha256: &str, instance: &str) -> Result<Created> {
    let mut tx = db.begin().await?;
    lock(&mut tx, db.backend(), sha256).await?;
    // The write comes first: on SQLite it takes the write lock before anything is read.
    insert(&mut *tx, id, sha256, instance).await?;
    let busy: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT id, locked_until FROM upload_intents WHERE sha256 = $1 AND state = 'sweeping' \
         LIMIT 1",
    )
    .bind(sha256)
    .fetch_optional(&mut *tx)
    .await?;
    match busy {
        Some((id, locked_until)) => {
            tx.rollback().await?;
            Ok(Created::Busy {
                id,
                locked_until: locked_until.unwrap_or(0),
            })
        }
        None => {
            tx.commit().await?;
            Ok(Created::Yes)
        }
    }
}

/// Insert a `pending` intent without the sweeping check, inside a caller's transaction: for
/// removals (e.g. in the transaction that deletes an image row), which only ever lead to
/// [`sweep_or_release`] and never to writing objects.
pub async fn insert<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    id: &str,
    sha256: &str,
    instance: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO upload_intents (id, sha256, instance, state, created_at) \
         VALUES ($1, $2, $3, 'pending', $4)",
    )
    .bind(id)
    .bind(sha256)
    .bind(instance)
    .bind(now_ms())
    .execute(ex)
    .await?;
    Ok(())
}

/// Delete an intent whose upload committed its row (the row now protects the objects).
pub async fn delete<'c, E: Executor<'c, Database = Any>>(ex: E, id: &str) -> Result<bool> {
    let r = sqlx::query("DELETE FROM upload_intents WHERE id = $1")
        .bind(id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Decide, under the content's lock, about the pending intent `id` of `sha256`: sweep its
/// objects (no image row and no other intent of the content exist) or let it go.
pub async fn sweep_or_release(
    db: &Db,
    id: &str,
    sha256: &str,
    sweeper: &str,
    lease_ms: i64,
) -> Result<Decision> {
    let mut tx = db.begin().await?;
    lock(&mut tx, db.backend(), sha256).await?;
    let swept = sqlx::query(
        "UPDATE upload_intents SET state = 'sweeping', locked_by = $1, locked_until = $2 \
         WHERE id = $3 AND sha256 = $4 AND state = 'pending' \
         AND NOT EXISTS (SELECT 1 FROM upload_intents o WHERE o.sha256 = $4 AND o.id <> $3) \
         AND NOT EXISTS (SELECT 1 FROM images i WHERE i.sha256 = $4)",
    )
    .bind(sweeper)
    .bind(now_ms() + lease_ms)
    .bind(id)
    .bind(sha256)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let decision = if swept == 1 {
        Decision::Sweep
    } else {
        let released =
            sqlx::query("DELETE FROM upload_intents WHERE id = $1 AND state = 'pending'")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if released == 1 {
            Decision::Released
        } else {
            Decision::Gone
        }
    };
    tx.commit().await?;
    Ok(decision)
}

/// The sweep of `id` is done (its objects are deleted): drop the intent, if `sweeper` still
/// holds it.
pub async fn finish(db: &Db, id: &str, sweeper: &str) -> Result<bool> {
    let r = sqlx::query(
        "DELETE FROM upload_intents WHERE id = $1 AND state = 'sweeping' AND locked_by = $2",
    )
    .bind(id)
    .bind(sweeper)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Take over the sweeping intent `id` whose lease ran out (its sweeper died); true when the
/// caller now holds it and must finish the deletion.
pub async fn claim_expired(db: &Db, id: &str, sweeper: &str, lease_ms: i64) -> Result<bool> {
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE upload_intents SET locked_by = $1, locked_until = $2 \
         WHERE id = $3 AND state = 'sweeping' AND locked_until < $4",
    )
    .bind(sweeper)
    .bind(now + lease_ms)
    .bind(id)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Intents a sweep should look at, oldest first: `pending` ones created before
/// `created_before` (their upload is over: it crashed or could not clean up), and `sweeping`
/// ones whose lease ran out.
pub async fn stale(db: &Db, created_before: i64, limit: i64) -> Result<Vec<Intent>> {
    Ok(sqlx::query_as(
        "SELECT id, sha256, instance, state, created_at, locked_until FROM upload_intents \
         WHERE (state = 'pending' AND created_at < $1) OR (state = 'sweeping' AND locked_until < $2) \
         ORDER BY created_at, id LIMIT $3",
    )
    .bind(created_before)
    .bind(now_ms())
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// Every intent (for tests and tools).
pub async fn all(db: &Db) -> Result<Vec<Intent>> {
    Ok(sqlx::query_as(
        "SELECT id, sha256, instance, state, created_at, locked_until FROM upload_intents \
         ORDER BY created_at, id",
    )
    .fetch_all(db.pool())
    .await?)
}
