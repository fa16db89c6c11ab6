//! Accounts, sign-in, tokens and share links.
//!
//! Passwords are hashed with argon2id. Session tokens (from sign-in) and personal API tokens are
//! random 256-bit strings shown once and stored as SHA-256 hashes; so are share-link tokens.
//! Failed sign-ins are counted in the database (so every instance sees them) per account + IP,
//! per IP and per account, and answered with 429 past the limits.

use banana_db::accounts::{self as a, ShareRow, TokenRow, UserRow};
use banana_db::now_ms;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::access::Viewer;
use crate::view::timestamp;
use crate::{App, CoreError};

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const SESSION_TTL_MS: i64 = 30 * 24 * 3600 * 1000;
/// Failed sign-ins counted over this window.
pub const LOGIN_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failures allowed in the window for one account from one address, from one address, and for
/// one account from everywhere.
pub const LOGIN_LIMITS: [i64; 3] = [5, 20, 50];

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UserView {
    pub id: String,
    pub username: String,
    pub is_admin: bool,
    pub disabled: bool,
    pub created_at: String,
}

impl From<&UserRow> for UserView {
    fn from(u: &UserRow) -> Self {
        UserView {
            id: u.id.clone(),
            username: u.username.clone(),
            is_admin: u.is_admin != 0,
            disabled: u.disabled != 0,
            created_at: timestamp(u.created_at),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TokenView {
    pub id: String,
    pub name: Option<String>,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
}

impl From<&TokenRow> for TokenView {
    fn from(t: &TokenRow) -> Self {
        TokenView {
            id: t.id.clone(),
            name: t.name.clone(),
            created_at: timestamp(t.created_at),
            expires_at: t.expires_at.map(timestamp),
            last_used_at: t.last_used_at.map(timestamp),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ShareView {
    pub id: String,
    pub created_at: String,
    pub expires_at: String,
    /// Only when just created: the token and the page that shows the image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A new random token: `prefix_` + 43 URL-safe characters (256 bits).
pub fn new_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::from(prefix);
    out.push('_');
    // 6 bits per character; 256 bits → 43 characters.
    let mut acc = 0u32;
    let mut bits = 0;
    for b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 6 {
            bits -= 6;
            out.push(ALPHABET[((acc >> bits) & 63) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((acc << (6 - bits)) & 63) as usize] as char);
    }
    out
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn hash_password(password: &str) -> Result<String, CoreError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Internal(format!("hashing a password: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash)
        .map(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that a wrong user name takes
/// as long as a wrong password (no user enumeration by timing).
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a real password").unwrap_or_default())
}

fn username_key(username: &str) -> String {
    username.trim().to_lowercase()
}

fn validate_username(username: &str) -> Result<String, CoreError> {
    let u = username.trim();
    let ok = (2..=64).contains(&u.chars().count())
        && u.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'));
    if !ok {
        return Err(CoreError::BadRequest(
            "user names are 2–64 letters, digits or _ - . @".into(),
        ));
    }
    Ok(u.to_string())
}

fn validate_password(password: &str) -> Result<(), CoreError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(CoreError::BadRequest(format!(
            "passwords have at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if password.len() > 1024 {
        return Err(CoreError::BadRequest("password too long".into()));
    }
    Ok(())
}

fn require_user(viewer: &Viewer) -> Result<(&str, bool), CoreError> {
    match viewer {
        Viewer::User { id, is_admin } => Ok((id, *is_admin)),
        _ => Err(CoreError::Unauthorized),
    }
}

fn require_admin(viewer: &Viewer) -> Result<(), CoreError> {
    match viewer {
        Viewer::User { is_admin: true, .. } | Viewer::System => Ok(()),
        Viewer::User { .. } => Err(CoreError::Forbidden("administrators only".into())),
        _ => Err(CoreError::Unauthorized),
    }
}

impl App {
    /// No account exists yet: the first one registered becomes the administrator.
    pub async fn needs_setup(&self) -> Result<bool, CoreError> {
        Ok(a::user_count(&self.db).await? == 0)
    }

    /// Create an account. `by_admin` skips the registration rules.
    pub async fn create_user(
        &self,
        username: &str,
        password: &str,
        admin: bool,
    ) -> Result<UserView, CoreError> {
        let username = validate_username(username)?;
        validate_password(password)?;
        let password = password.to_string();
        let hash = tokio::task::spawn_blocking(move || hash_password(&password)).await??;
        let row = UserRow {
            id: uuid::Uuid::now_v7().to_string(),
            username_key: username_key(&username),
            username,
            password_hash: hash,
            is_admin: i64::from(admin),
            disabled: 0,
            created_at: now_ms(),
        };
        match a::insert_user(self.db.pool(), &row).await {
            Ok(()) => Ok((&row).into()),
            Err(banana_db::DbError::Conflict(_)) => {
                Err(CoreError::Conflict("that user name is taken".into()))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Self-service registration: the first account (admin), or any when registration is open.
    pub async fn register(&self, username: &str, password: &str) -> Result<UserView, CoreError> {
        let first = self.needs_setup().await?;
        if !first && !self.config.open_registration {
            return Err(CoreError::Forbidden(
                "registration is closed; ask an administrator for an account".into(),
            ));
        }
        let user = self.create_user(username, password, first).await?;
        if first && !user.is_admin {
            // Two first registrations raced; the database decided. Nothing to do.
        }
        Ok(user)
    }

    /// Check a user name and password from `ip`; on success, a new session token.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        ip: &str,
    ) -> Result<(String, UserView), CoreError> {
        let key = username_key(username);
        let since = now_ms() - LOGIN_WINDOW_MS;
        let counts = a::login_failures(&self.db, &key, ip, since).await?;
        for ((count, oldest), limit) in counts.iter().zip(LOGIN_LIMITS) {
            if *count >= limit {
                let retry_ms = oldest
                    .map(|t| t + LOGIN_WINDOW_MS - now_ms())
                    .unwrap_or(LOGIN_WINDOW_MS);
                return Err(CoreError::RateLimited {
                    retry_after_secs: (retry_ms.max(1000) + 999) / 1000,
                });
            }
        }
        let user = a::user_by_key(&self.db, &key).await?;
        let hash = user
            .as_ref()
            .map(|u| u.password_hash.clone())
            .unwrap_or_else(|| dummy_hash().to_string());
        let pw = password.to_string();
        let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash)).await?;
        let user = match user {
            Some(u) if ok && u.disabled == 0 => u,
            _ => {
                a::record_login_failure(&self.db, &key, ip).await?;
                return Err(CoreError::InvalidCredentials);
            }
        };
        a::clear_login_failures(&self.db, &key, ip).await?;
        let token = new_token("bns");
        let row = TokenRow {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: user.id.clone(),
            kind: "session".into(),
            name: None,
            created_at: now_ms(),
            expires_at: Some(now_ms() + SESSION_TTL_MS),
            last_used_at: None,
        };
        a::insert_token(&self.db, &row, &hash_token(&token)).await?;
        Ok((token, (&user).into()))
    }

    /// End a session (or revoke a token) given the token itself.
    pub async fn logout(&self, token: &str) -> Result<(), CoreError> {
        a::delete_token_by_hash(&self.db, &hash_token(token)).await?;
        Ok(())
    }

    /// The viewer a token stands for; `None` when it is unknown, expired, revoked or its
    /// account is disabled.
    pub async fn authenticate(&self, token: &str) -> Result<Option<(Viewer, UserView)>, CoreError> {
        Ok(a::token_user(&self.db, &hash_token(token))
            .await?
            .map(|(_, u)| {
                (
                    Viewer::User {
                        id: u.id.clone(),
                        is_admin: u.is_admin != 0,
                    },
                    (&u).into(),
                )
            }))
    }

    pub async fn me(&self, viewer: &Viewer) -> Result<UserView, CoreError> {
        let (id, _) = require_user(viewer)?;
        let u = a::user_by_id(&self.db, id)
            .await?
            .ok_or(CoreError::Unauthorized)?;
        Ok((&u).into())
    }

    /// A personal API token, shown once.
    pub async fn create_api_token(
        &self,
        viewer: &Viewer,
        name: &str,
        expires_in_secs: Option<i64>,
    ) -> Result<(String, TokenView), CoreError> {
        let (user_id, _) = require_user(viewer)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(CoreError::BadRequest(
                "a token needs a name of 1–100 characters".into(),
            ));
        }
        if expires_in_secs.is_some_and(|s| s <= 0) {
            return Err(CoreError::BadRequest(
                "expires_in must be a positive number of seconds".into(),
            ));
        }
        let token = new_token("bnt");
        let row = TokenRow {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: user_id.to_string(),
            kind: "api".into(),
            name: Some(name.to_string()),
            created_at: now_ms(),
            expires_at: expires_in_secs.map(|s| now_ms() + s.saturating_mul(1000)),
            last_used_at: None,
        };
        a::insert_token(&self.db, &row, &hash_token(&token)).await?;
        Ok((token, (&row).into()))
    }

    pub async fn list_api_tokens(&self, viewer: &Viewer) -> Result<Vec<TokenView>, CoreError> {
        let (user_id, _) = require_user(viewer)?;
        Ok(a::list_tokens(&self.db, user_id, "api")
            .await?
            .iter()
            .map(Into::into)
            .collect())
    }

    pub async fn revoke_api_token(&self, viewer: &Viewer, id: &str) -> Result<(), CoreError> {
        let (user_id, _) = require_user(viewer)?;
        if a::delete_token(&self.db, user_id, id).await? {
            Ok(())
        } else {
            Err(CoreError::NotFound("token"))
        }
    }

    pub async fn list_users(&self, viewer: &Viewer) -> Result<Vec<UserView>, CoreError> {
        require_admin(viewer)?;
        Ok(a::list_users(&self.db)
            .await?
            .iter()
            .map(Into::into)
            .collect())
    }

    pub async fn admin_create_user(
        &self,
        viewer: &Viewer,
        username: &str,
        password: &str,
        admin: bool,
    ) -> Result<UserView, CoreError> {
        require_admin(viewer)?;
        self.create_user(username, password, admin).await
    }

    pub async fn update_user(
        &self,
        viewer: &Viewer,
        id: &str,
        disabled: Option<bool>,
        is_admin: Option<bool>,
    ) -> Result<UserView, CoreError> {
        require_admin(viewer)?;
        if matches!(viewer, Viewer::User { id: me, .. } if me == id)
            && (disabled == Some(true) || is_admin == Some(false))
        {
            return Err(CoreError::BadRequest(
                "administrators cannot disable or demote themselves".into(),
            ));
        }
        a::update_user(&self.db, id, disabled, is_admin).await?;
        let u = a::user_by_id(&self.db, id)
            .await?
            .ok_or(CoreError::NotFound("user"))?;
        Ok((&u).into())
    }

    /// Delete an account with its images and their objects.
    pub async fn delete_user(&self, viewer: &Viewer, id: &str) -> Result<(), CoreError> {
        require_admin(viewer)?;
        if matches!(viewer, Viewer::User { id: me, .. } if me == id) {
            return Err(CoreError::BadRequest(
                "administrators cannot delete themselves".into(),
            ));
        }
        a::user_by_id(&self.db, id)
            .await?
            .ok_or(CoreError::NotFound("user"))?;
        for (image_id, _) in a::image_shas_of(&self.db, id).await? {
            self.delete_image(&Viewer::System, &image_id).await?;
        }
        a::delete_user(self.db.pool(), id).await?;
        Ok(())
    }

    /// A share link for one image, valid for `expires_in_secs`.
    pub async fn create_share(
        &self,
        viewer: &Viewer,
        image_id: &str,
        expires_in_secs: i64,
    ) -> Result<ShareView, CoreError> {
        let row = self.editable_row(viewer, image_id).await?;
        if !(60..=365 * 24 * 3600).contains(&expires_in_secs) {
            return Err(CoreError::BadRequest(
                "expires_in must be between 60 seconds and one year".into(),
            ));
        }
        let (user_id, _) = require_user(viewer).unwrap_or(("", false));
        let token = new_token("bnx");
        let share = ShareRow {
            id: uuid::Uuid::now_v7().to_string(),
            image_id: row.id.clone(),
            created_by: user_id.to_string(),
            created_at: now_ms(),
            expires_at: now_ms() + expires_in_secs * 1000,
        };
        a::insert_share(&self.db, &share, &hash_token(&token)).await?;
        Ok(ShareView {
            id: share.id,
            created_at: timestamp(share.created_at),
            expires_at: timestamp(share.expires_at),
            url: Some(format!("/s/{token}")),
            token: Some(token),
        })
    }

    pub async fn list_shares(
        &self,
        viewer: &Viewer,
        image_id: &str,
    ) -> Result<Vec<ShareView>, CoreError> {
        let row = self.editable_row(viewer, image_id).await?;
        Ok(a::list_shares(&self.db, &row.id)
            .await?
            .into_iter()
            .map(|s| ShareView {
                id: s.id,
                created_at: timestamp(s.created_at),
                expires_at: timestamp(s.expires_at),
                token: None,
                url: None,
            })
            .collect())
    }

    pub async fn revoke_share(
        &self,
        viewer: &Viewer,
        image_id: &str,
        share_id: &str,
    ) -> Result<(), CoreError> {
        let row = self.editable_row(viewer, image_id).await?;
        if a::delete_share(&self.db, &row.id, share_id).await? {
            Ok(())
        } else {
            Err(CoreError::NotFound("share"))
        }
    }

    /// The image a live share token opens.
    pub async fn shared_image_id(&self, token: &str) -> Result<String, CoreError> {
        a::share_by_hash(&self.db, &hash_token(token))
            .await?
            .map(|s| s.image_id)
            .ok_or(CoreError::NotFound("share"))
    }
}

impl App {
    /// The id of the account with this user name (for command-line tools).
    pub async fn user_id_by_name(&self, username: &str) -> Result<String, CoreError> {
        a::user_by_key(&self.db, &username_key(username))
            .await?
            .map(|u| u.id)
            .ok_or(CoreError::NotFound("user"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_distinct() {
        let a = new_token("bnt");
        let b = new_token("bnt");
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 43);
        assert!(a[4..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), hash_token(&b));
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn usernames_and_passwords_are_validated() {
        assert!(validate_username("ann").is_ok());
        assert!(validate_username("a").is_err());
        assert!(validate_username("has space").is_err());
        assert!(validate_password("short").is_err());
        assert!(validate_password("long enough").is_ok());
    }
}
