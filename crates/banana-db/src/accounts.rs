//! Accounts, tokens (sessions and personal API tokens, stored hashed), share links and the
//! failed-login log used for rate limiting.
//!
//! Invariants kept here: an account is created in the same transaction as the first-run claim
//! (`setup_claim`), so exactly one self-registration on a fresh database becomes the
//! administrator; a sign-in attempt is reserved (a `login_failures` row) before its password is
//! checked, so concurrent attempts count each other; the last active administrator can be
//! neither demoted nor disabled; a share link opens nothing once its creator or the image's
//! owner is disabled.

use sqlx::{Any, Executor};

use crate::{now_ms, Db, Result};

const USER_COLUMNS: &str =
    "id, username, username_key, password_hash, is_admin, disabled, created_at";

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub username_key: String,
    pub password_hash: String,
    pub is_admin: i64,
    pub disabled: i64,
    pub created_at: i64,
}

pub async fn user_count(db: &Db) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(db.pool())
        .await?)
}

pub async fn insert_user<'c, E: Executor<'c, Database = Any>>(ex: E, u: &UserRow) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO users ({USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&u.id)
    .bind(&u.username)
    .bind(&u.username_key)
    .bind(&u.password_hash)
    .bind(u.is_admin)
    .bind(u.disabled)
    .bind(u.created_at)
    .execute(ex)
    .await?;
    Ok(())
}

/// Insert an account together with the first-run claim, in one transaction.
///
/// `registration` is `None` for accounts an administrator or the command line creates (the row's
/// `is_admin` is kept) and `Some(open)` for self-registration: then the account is the
/// administrator exactly when this transaction inserted the claim (it is the first account), and
/// when it is not the first and registration is not `open` nothing is stored (`Ok(None)`).
pub async fn insert_user_claiming(
    db: &Db,
    mut u: UserRow,
    registration: Option<bool>,
) -> Result<Option<UserRow>> {
    let mut tx = db.begin().await?;
    // A claim left behind after every account was deleted (by hand) no longer counts.
    sqlx::query("DELETE FROM setup_claim WHERE NOT EXISTS (SELECT 1 FROM users)")
        .execute(&mut *tx)
        .await?;
    // Concurrent first registrations conflict on the primary key: PostgreSQL makes the later
    // ones wait for the first to commit, SQLite runs one writer at a time.
    let first = sqlx::query(
        "INSERT INTO setup_claim (id, claimed_at) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
    )
    .bind(u.created_at)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if let Some(open) = registration {
        if !first && !open {
            tx.rollback().await?;
            return Ok(None);
        }
        u.is_admin = i64::from(first);
    }
    insert_user(&mut *tx, &u).await?;
    tx.commit().await?;
    Ok(Some(u))
}

/// Whether the first account was created (the first-run claim is taken and an account exists).
pub async fn setup_done(db: &Db) -> Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM setup_claim WHERE EXISTS (SELECT 1 FROM users)")
            .fetch_one(db.pool())
            .await?;
    Ok(n > 0)
}

pub async fn user_by_key(db: &Db, username_key: &str) -> Result<Option<UserRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE username_key = $1"
    ))
    .bind(username_key)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn user_by_id(db: &Db, id: &str) -> Result<Option<UserRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn list_users(db: &Db) -> Result<Vec<UserRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users ORDER BY created_at, id"
    ))
    .fetch_all(db.pool())
    .await?)
}

/// Enable or disable an account; disabling ends its sessions and tokens at once. Disabling the
/// last active administrator changes nothing (`false`).
pub async fn set_disabled(db: &Db, id: &str, disabled: bool) -> Result<bool> {
    let changed = sqlx::query(&format!(
        "UPDATE users SET disabled = $1 WHERE id = $2 AND ($1 = 0 OR is_admin = 0 OR {OTHER_ADMIN})"
    ))
    .bind(i64::from(disabled))
    .bind(id)
    .execute(db.pool())
    .await?
    .rows_affected()
        > 0;
    if changed && disabled {
        sqlx::query("DELETE FROM auth_tokens WHERE user_id = $1")
            .bind(id)
            .execute(db.pool())
            .await?;
    }
    Ok(changed)
}

/// Another enabled administrator than `$2` exists.
const OTHER_ADMIN: &str =
    "EXISTS (SELECT 1 FROM users o WHERE o.is_admin = 1 AND o.disabled = 0 AND o.id <> $2)";

/// Make an account an administrator or not. Demoting the last active administrator changes
/// nothing (`false`).
pub async fn set_admin(db: &Db, id: &str, is_admin: bool) -> Result<bool> {
    Ok(sqlx::query(&format!(
        "UPDATE users SET is_admin = $1 WHERE id = $2 AND ($1 = 1 OR disabled = 1 OR {OTHER_ADMIN})"
    ))
    .bind(i64::from(is_admin))
    .bind(id)
    .execute(db.pool())
    .await?
    .rows_affected()
        > 0)
}

pub async fn set_password_hash(db: &Db, id: &str, password_hash: &str) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id)
            .execute(db.pool())
            .await?
            .rows_affected()
            > 0,
    )
}

pub async fn delete_user<'c, E: Executor<'c, Database = Any>>(ex: E, id: &str) -> Result<bool> {
    Ok(sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id)
        .execute(ex)
        .await?
        .rows_affected()
        > 0)
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    pub kind: String,
    pub name: Option<String>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    /// Sessions: the address and browser they signed in from.
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
}

const TOKEN_COLUMNS: &str =
    "id, user_id, kind, name, created_at, expires_at, last_used_at, client_ip, user_agent";

pub async fn insert_token(db: &Db, t: &TokenRow, token_hash: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO auth_tokens (id, user_id, kind, name, token_hash, created_at, expires_at, last_used_at, client_ip, user_agent) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9)",
    )
    .bind(&t.id)
    .bind(&t.user_id)
    .bind(&t.kind)
    .bind(&t.name)
    .bind(token_hash)
    .bind(t.created_at)
    .bind(t.expires_at)
    .bind(&t.client_ip)
    .bind(&t.user_agent)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The live token with this hash and its (enabled) user.
pub async fn token_user(db: &Db, token_hash: &str) -> Result<Option<(TokenRow, UserRow)>> {
    let now = now_ms();
    let token: Option<TokenRow> = sqlx::query_as(&format!(
        "SELECT {TOKEN_COLUMNS} FROM auth_tokens \
         WHERE token_hash = $1 AND (expires_at IS NULL OR expires_at > $2)"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    let Some(token) = token else { return Ok(None) };
    let Some(user) = user_by_id(db, &token.user_id).await? else {
        return Ok(None);
    };
    if user.disabled != 0 {
        return Ok(None);
    }
    // Record use at most once a minute per token.
    if token.last_used_at.is_none_or(|t| now - t > 60_000) {
        sqlx::query("UPDATE auth_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&token.id)
            .execute(db.pool())
            .await?;
    }
    Ok(Some((token, user)))
}

/// A user's live tokens of one kind (`session` or `api`), newest first.
pub async fn list_tokens(db: &Db, user_id: &str, kind: &str) -> Result<Vec<TokenRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {TOKEN_COLUMNS} FROM auth_tokens \
         WHERE user_id = $1 AND kind = $2 ORDER BY created_at DESC, id DESC"
    ))
    .bind(user_id)
    .bind(kind)
    .fetch_all(db.pool())
    .await?)
}

/// Delete one of a user's tokens of this kind.
pub async fn delete_token(db: &Db, user_id: &str, kind: &str, id: &str) -> Result<bool> {
    Ok(
        sqlx::query("DELETE FROM auth_tokens WHERE id = $1 AND user_id = $2 AND kind = $3")
            .bind(id)
            .bind(user_id)
            .bind(kind)
            .execute(db.pool())
            .await?
            .rows_affected()
            > 0,
    )
}

/// Delete a user's tokens of this kind, except the one with id `keep` (if any); how many.
pub async fn delete_tokens_of(
    db: &Db,
    user_id: &str,
    kind: &str,
    keep: Option<&str>,
) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM auth_tokens WHERE user_id = $1 AND kind = $2 AND id <> $3")
            .bind(user_id)
            .bind(kind)
            .bind(keep.unwrap_or(""))
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}

pub async fn delete_token_by_hash(db: &Db, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM auth_tokens WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ShareRow {
    pub id: String,
    pub image_id: String,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert_share(db: &Db, s: &ShareRow, token_hash: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO shares (id, image_id, token_hash, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&s.id)
    .bind(&s.image_id)
    .bind(token_hash)
    .bind(&s.created_by)
    .bind(s.created_at)
    .bind(s.expires_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The unexpired share with this token hash, while its creator and the image's owner are
/// enabled accounts.
pub async fn share_by_hash(db: &Db, token_hash: &str) -> Result<Option<ShareRow>> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.image_id, s.created_by, s.created_at, s.expires_at FROM shares s \
         JOIN users c ON c.id = s.created_by \
         JOIN images i ON i.id = s.image_id \
         JOIN users o ON o.id = i.owner_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND c.disabled = 0 AND o.disabled = 0 \
         AND i.trashed_at IS NULL",
    )
    .bind(token_hash)
    .bind(now_ms())
    .fetch_optional(db.pool())
    .await?)
}

pub async fn list_shares(db: &Db, image_id: &str) -> Result<Vec<ShareRow>> {
    Ok(sqlx::query_as(
        "SELECT id, image_id, created_by, created_at, expires_at FROM shares WHERE image_id = $1 AND expires_at > $2 \
         ORDER BY created_at DESC",
    )
    .bind(image_id)
    .bind(now_ms())
    .fetch_all(db.pool())
    .await?)
}

pub async fn delete_share(db: &Db, image_id: &str, id: &str) -> Result<bool> {
    Ok(
        sqlx::query("DELETE FROM shares WHERE id = $1 AND image_id = $2")
            .bind(id)
            .bind(image_id)
            .execute(db.pool())
            .await?
            .rows_affected()
            > 0,
    )
}

/// Reserve a sign-in attempt: a failure row named `id`, written before the password is
/// checked and removed by [`release_login_attempt`] (or [`clear_login_failures`]) when the
/// attempt turns out not to count.
pub async fn reserve_login_attempt(db: &Db, id: &str, username_key: &str, ip: &str) -> Result<()> {
    let now = now_ms();
    sqlx::query("INSERT INTO login_failures (id, username_key, ip, at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(username_key)
        .bind(ip)
        .bind(now)
        .execute(db.pool())
        .await?;
    // Forget failures older than a day.
    sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(now - 86_400_000)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Remove a reservation (the attempt was refused before its password was checked).
pub async fn release_login_attempt(db: &Db, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Failed logins since `since`: (for this account from this IP, from this IP, for this account),
/// and the oldest of each, to compute when the window frees up.
pub async fn login_failures(
    db: &Db,
    username_key: &str,
    ip: &str,
    since: i64,
) -> Result<[(i64, Option<i64>); 3]> {
    let pair = sqlx::query_as(
        "SELECT COUNT(*), MIN(at) FROM login_failures WHERE username_key = $1 AND ip = $2 AND at >= $3",
    )
    .bind(username_key)
    .bind(ip)
    .bind(since)
    .fetch_one(db.pool())
    .await?;
    let by_ip =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM login_failures WHERE ip = $1 AND at >= $2")
            .bind(ip)
            .bind(since)
            .fetch_one(db.pool())
            .await?;
    let by_user = sqlx::query_as(
        "SELECT COUNT(*), MIN(at) FROM login_failures WHERE username_key = $1 AND at >= $2",
    )
    .bind(username_key)
    .bind(since)
    .fetch_one(db.pool())
    .await?;
    Ok([pair, by_ip, by_user])
}

pub async fn clear_login_failures(db: &Db, username_key: &str, ip: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE username_key = $1 AND ip = $2")
        .bind(username_key)
        .bind(ip)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The ids and content hashes of a user's images (to delete their objects).
pub async fn image_shas_of(db: &Db, owner_id: &str) -> Result<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT id, sha256 FROM images WHERE owner_id = $1")
            .bind(owner_id)
            .fetch_all(db.pool())
            .await?,
    )
}

/// `(id, username)` of these accounts.
pub async fn usernames(db: &Db, ids: &[String]) -> Result<Vec<(String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id, username FROM users WHERE id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    Ok(query.fetch_all(db.pool()).await?)
}
