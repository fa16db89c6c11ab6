//! Accounts, tokens (sessions and personal API tokens, stored hashed), share links and the
//! failed-login log used for rate limiting.

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

pub async fn update_user(
    db: &Db,
    id: &str,
    disabled: Option<bool>,
    is_admin: Option<bool>,
) -> Result<bool> {
    let mut changed = false;
    if let Some(d) = disabled {
        changed |= sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(d))
            .bind(id)
            .execute(db.pool())
            .await?
            .rows_affected()
            > 0;
        if d {
            // A disabled account loses its sessions and tokens at once.
            sqlx::query("DELETE FROM auth_tokens WHERE user_id = $1")
                .bind(id)
                .execute(db.pool())
                .await?;
        }
    }
    if let Some(a) = is_admin {
        changed |= sqlx::query("UPDATE users SET is_admin = $1 WHERE id = $2")
            .bind(i64::from(a))
            .bind(id)
            .execute(db.pool())
            .await?
            .rows_affected()
            > 0;
    }
    Ok(changed)
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
}

pub async fn insert_token(db: &Db, t: &TokenRow, token_hash: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO auth_tokens (id, user_id, kind, name, token_hash, created_at, expires_at, last_used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)",
    )
    .bind(&t.id)
    .bind(&t.user_id)
    .bind(&t.kind)
    .bind(&t.name)
    .bind(token_hash)
    .bind(t.created_at)
    .bind(t.expires_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The live token with this hash and its (enabled) user.
pub async fn token_user(db: &Db, token_hash: &str) -> Result<Option<(TokenRow, UserRow)>> {
    let now = now_ms();
    let token: Option<TokenRow> = sqlx::query_as(
        "SELECT id, user_id, kind, name, created_at, expires_at, last_used_at FROM auth_tokens \
         WHERE token_hash = $1 AND (expires_at IS NULL OR expires_at > $2)",
    )
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

pub async fn list_tokens(db: &Db, user_id: &str, kind: &str) -> Result<Vec<TokenRow>> {
    Ok(sqlx::query_as(
        "SELECT id, user_id, kind, name, created_at, expires_at, last_used_at FROM auth_tokens \
         WHERE user_id = $1 AND kind = $2 ORDER BY created_at DESC",
    )
    .bind(user_id)
    .bind(kind)
    .fetch_all(db.pool())
    .await?)
}

pub async fn delete_token(db: &Db, user_id: &str, id: &str) -> Result<bool> {
    Ok(
        sqlx::query("DELETE FROM auth_tokens WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(db.pool())
            .await?
            .rows_affected()
            > 0,
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

/// The unexpired share with this token hash.
pub async fn share_by_hash(db: &Db, token_hash: &str) -> Result<Option<ShareRow>> {
    Ok(sqlx::query_as(
        "SELECT id, image_id, created_by, created_at, expires_at FROM shares WHERE token_hash = $1 AND expires_at > $2",
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

/// Record a failed login.
pub async fn record_login_failure(db: &Db, username_key: &str, ip: &str) -> Result<()> {
    let now = now_ms();
    sqlx::query("INSERT INTO login_failures (username_key, ip, at) VALUES ($1, $2, $3)")
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
