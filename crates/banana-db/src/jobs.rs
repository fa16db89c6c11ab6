//! The durable job queue: jobs are rows, enqueued in the same transaction as the change that
//! needs them, claimed with a lease (a worker that dies lets its lease run out and the job is
//! claimed again), retried with backoff, and finished idempotently.
//!
//! On PostgreSQL several workers claim concurrently with `FOR UPDATE SKIP LOCKED`; SQLite
//! serialises writers, so its claim is a single atomic `UPDATE … RETURNING`.

use sqlx::{Any, Executor};

use crate::{now_ms, Backend, Db, Result};

/// A claimed job.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
}

/// Queue a job to run at `run_at` (Unix ms).
pub async fn enqueue<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    kind: &str,
    payload: &serde_json::Value,
    run_at: i64,
) -> Result<i64> {
    let now = now_ms();
    Ok(sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at) \
         VALUES ($1, $2, 'queued', 0, 5, $3, $4, $4) RETURNING id",
    )
    .bind(kind)
    .bind(payload.to_string())
    .bind(run_at)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

/// Claim up to `limit` runnable jobs of these kinds for `lease_ms`: queued jobs that are due,
/// and running jobs whose lease expired (their worker died).
pub async fn claim(
    db: &Db,
    worker: &str,
    kinds: &[&str],
    limit: i64,
    lease_ms: i64,
) -> Result<Vec<Job>> {
    let now = now_ms();
    let kinds_sql = kinds
        .iter()
        .map(|k| format!("'{}'", k.replace('\'', "")))
        .collect::<Vec<_>>()
        .join(", ");
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET state = 'running', locked_by = $1, locked_until = $2, \
             attempts = attempts + 1, updated_at = $3 \
         WHERE id IN (SELECT id FROM jobs WHERE kind IN ({kinds_sql}) AND \
             ((state = 'queued' AND run_at <= $3) OR (state = 'running' AND locked_until < $3)) \
             ORDER BY run_at, id LIMIT $4{lock}) \
         RETURNING id, kind, payload, attempts, max_attempts"
    );
    let mut jobs: Vec<Job> = sqlx::query_as(&sql)
        .bind(worker)
        .bind(now + lease_ms)
        .bind(now)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
}

/// Extend the lease of every job this worker still holds (one statement).
pub async fn heartbeat(db: &Db, worker: &str, lease_ms: i64) -> Result<u64> {
    let r =
        sqlx::query("UPDATE jobs SET locked_until = $1 WHERE locked_by = $2 AND state = 'running'")
            .bind(now_ms() + lease_ms)
            .bind(worker)
            .execute(db.pool())
            .await?;
    Ok(r.rows_affected())
}

/// Mark a job done. Only the worker holding it can; returns false when it lost the lease.
pub async fn complete<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    id: i64,
    worker: &str,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE jobs SET state = 'done', locked_by = NULL, locked_until = NULL, updated_at = $1 \
         WHERE id = $2 AND locked_by = $3 AND state = 'running'",
    )
    .bind(now_ms())
    .bind(id)
    .bind(worker)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Record a failed attempt: retry after an exponential backoff, or give up after
/// `max_attempts`. Returns true when the job is now failed for good.
pub async fn fail(db: &Db, job: &Job, worker: &str, error: &str) -> Result<bool> {
    let dead = job.attempts >= job.max_attempts;
    let backoff_ms = 1000i64 << job.attempts.clamp(0, 10);
    sqlx::query(
        "UPDATE jobs SET state = $1, run_at = $2, last_error = $3, locked_by = NULL, \
             locked_until = NULL, updated_at = $4 \
         WHERE id = $5 AND locked_by = $6 AND state = 'running'",
    )
    .bind(if dead { "failed" } else { "queued" })
    .bind(now_ms() + backoff_ms)
    .bind(error)
    .bind(now_ms())
    .bind(job.id)
    .bind(worker)
    .execute(db.pool())
    .await?;
    Ok(dead)
}

/// Jobs of one kind in one state, for metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct JobStat {
    pub kind: String,
    pub state: String,
    pub count: i64,
    /// How long the longest-waiting job of this group has been due (ms since its `run_at`;
    /// 0 when none is due yet: a purge scheduled for next month is not a backlog).
    pub oldest_age_ms: Option<i64>,
}

/// How many jobs there are of each kind and state, and how long the oldest of each group has
/// been due.
pub async fn stats(db: &Db) -> Result<Vec<JobStat>> {
    let rows: Vec<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT kind, state, COUNT(*), MIN(run_at) FROM jobs GROUP BY kind, state ORDER BY kind, state",
    )
    .fetch_all(db.pool())
    .await?;
    let now = now_ms();
    Ok(rows
        .into_iter()
        .map(|(kind, state, count, oldest)| JobStat {
            kind,
            state,
            count,
            oldest_age_ms: oldest.map(|t| (now - t).max(0)),
        })
        .collect())
}

/// The queued and running jobs of one kind: `(id, payload)`, oldest first (so a backfill can
/// skip what is already queued).
pub async fn pending(db: &Db, kind: &str) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, payload FROM jobs WHERE kind = $1 AND state IN ('queued', 'running') ORDER BY id",
    )
    .bind(kind)
    .fetch_all(db.pool())
    .await?)
}

/// How many jobs of one kind with an id of at least `first_id` there are in each state
/// (`(state, count)`), for the progress of a backfill.
pub async fn states_since(db: &Db, kind: &str, first_id: i64) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT state, COUNT(*) FROM jobs WHERE kind = $1 AND id >= $2 GROUP BY state ORDER BY state",
    )
    .bind(kind)
    .bind(first_id)
    .fetch_all(db.pool())
    .await?)
}

/// Give back every job `worker` still holds (graceful shutdown): they become queued again at
/// once, and the attempt this worker started does not count.
pub async fn release(db: &Db, worker: &str) -> Result<u64> {
    let r = sqlx::query(
        "UPDATE jobs SET state = 'queued', locked_by = NULL, locked_until = NULL, \
             attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, run_at = $1, updated_at = $1 \
         WHERE locked_by = $2 AND state = 'running'",
    )
    .bind(now_ms())
    .bind(worker)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected())
}
