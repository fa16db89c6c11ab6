//! Accounts, sign-in, sessions, tokens and share links.
//!
//! Passwords are hashed with argon2id, off the async runtime and at most one hash per core at a
//! time. Session tokens (from sign-in) and personal API tokens are random 256-bit strings shown
//! once and stored as SHA-256 hashes; so are share-link tokens. Only a session (a password
//! sign-in) may mint API tokens; the route layer checks the credential's [`TokenKind`].
//!
//! Failed sign-ins are counted in the database (so every instance sees them) per account + IP,
//! per IP and per account, and answered with 429 past the limits. Every attempt is reserved
//! (counted) *before* its password is checked and un-counted only when it was right, so
//! concurrent attempts cannot all pass the check. User names longer than any account's are
//! refused before anything is stored.
//!
//! The first account is the administrator; which registration is first is decided by the
//! database (`banana_db::accounts::insert_user_claiming`), never by a count read beforehand.
//! Ending sessions: a password change ends the user's other sessions, an admin reset all of
//! them, disabling an account every session and token (and its share links stop opening).

use banana_db::accounts::{self as a, ShareRow, TokenRow, UserRow};
use banana_db::now_ms;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub use banana_api::{SessionView, ShareView, TokenView, UserView};

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
/// The longest user name (characters); longer names are refused before anything is stored.
pub const MAX_USERNAME_CHARS: usize = 64;
/// The longest lifetime of a personal API token (10 years).
pub const MAX_TOKEN_LIFETIME_SECS: i64 = 10 * 365 * 24 * 3600;
/// The longest user agent kept with a session.
const MAX_USER_AGENT_CHARS: usize = 256;

/// What kind of credential authenticated a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// From a password sign-in (the cookie and the bearer token the sign-in returns).
    Session,
    /// A personal API token.
    Api,
}

impl TokenKind {
    fn as_str(self) -> &'static str {
        match self {
            TokenKind::Session => "session",
            TokenKind::Api => "api",
        }
    }
}

/// A token that was checked: who it stands for and what it is.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub viewer: Viewer,
    pub user: UserView,
    pub token_id: String,
    pub kind: TokenKind,
}

/// Where a sign-in comes from.
#[derive(Debug, Clone, Copy)]
pub struct Client<'a> {
    pub ip: &'a str,
    pub user_agent: Option<&'a str>,
}

/// What an administrator changes about an account (`PATCH /api/v1/admin/users/{id}`).
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub disabled: Option<bool>,
    pub is_admin: Option<bool>,
    /// A new password; ends every session of the account.
    pub password: Option<String>,
}

fn user_view(u: &UserRow) -> UserView {
    UserView {
        id: u.id.clone(),
        username: u.username.clone(),
        is_admin: u.is_admin != 0,
        disabled: u.disabled != 0,
        created_at: timestamp(u.created_at),
        usage: None,
    }
}

fn token_view(t: &TokenRow) -> TokenView {
    TokenView {
        id: t.id.clone(),
        name: t.name.clone(),
        created_at: timestamp(t.created_at),
        expires_at: t.expires_at.map(timestamp),
        last_used_at: t.last_used_at.map(timestamp),
    }
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

/// Runs argon2 work on a blocking thread, at most one per core at a time: a burst of sign-ins
/// queues here instead of occupying every blocking thread (each hash takes ~19 MiB and tens of ms).
async fn argon2_work<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, CoreError> {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let permits = PERMITS.get_or_init(|| {
        tokio::sync::Semaphore::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        )
    });
    let _permit = permits
        .acquire()
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))?;
    Ok(tokio::task::spawn_blocking(f).await?)
}

async fn hash_password_async(password: &str) -> Result<String, CoreError> {
    let password = password.to_string();
    argon2_work(move || hash_password(&password)).await?
}

/// Verify against `hash`, or (no such account) against a dummy hash, which takes as long.
async fn verify_password_async(password: &str, hash: Option<String>) -> Result<bool, CoreError> {
    let password = password.to_string();
    argon2_work(move || verify_password(&password, hash.as_deref().unwrap_or_else(|| dummy_hash())))
        .await
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

/// New user names are 2–64 ASCII letters, digits and `_ - . @`: no look-alike letters from
/// other scripts (Cyrillic `а` in "аdmin"), no invisible or bidi characters.
fn validate_username(username: &str) -> Result<String, CoreError> {
    let u = username.trim();
    let ok = (2..=MAX_USERNAME_CHARS).contains(&u.len())
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'));
    if !ok {
        return Err(CoreError::BadRequest(format!(
            "user names are 2–{MAX_USERNAME_CHARS} characters: ASCII letters a–z, digits and _ - . @ \
             (no accented or non-Latin letters, no spaces)"
        )));
    }
    Ok(u.to_string())
}

/// A user name given to sign in: any account's name fits; longer ones are refused before they
/// are stored anywhere.
fn check_login_username(username: &str) -> Result<String, CoreError> {
    let key = username_key(username);
    if key.is_empty() || key.chars().count() > MAX_USERNAME_CHARS {
        return Err(CoreError::BadRequest(format!(
            "user names have 1–{MAX_USERNAME_CHARS} characters"
        )));
    }
    Ok(key)
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

    /// Create an account (administrators, the command line): no registration rules.
    pub async fn create_user(
        &self,
        username: &str,
        password: &str,
        admin: bool,
    ) -> Result<UserView, CoreError> {
        self.insert_user(username, password, admin, None)
            .await?
            .ok_or_else(|| CoreError::Internal("account not stored".into()))
    }

    async fn insert_user(
        &self,
        username: &str,
        password: &str,
        admin: bool,
        registration: Option<bool>,
    ) -> Result<Option<UserView>, CoreError> {
        let username = validate_username(username)?;
        validate_password(password)?;
        let hash = hash_password_async(password).await?;
        let row = UserRow {
            id: uuid::Uuid::now_v7().to_string(),
            username_key: username_key(&username),
            username,
            password_hash: hash,
            is_admin: i64::from(admin),
            disabled: 0,
            created_at: now_ms(),
        };
        match a::insert_user_claiming(&self.db, row, registration).await {
            Ok(row) => Ok(row.as_ref().map(user_view)),
            Err(banana_db::DbError::Conflict(_)) => {
                Err(CoreError::Conflict("that user name is taken".into()))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Self-service registration: the first account (admin), or any when registration is open.
    /// Which registration is the first is decided atomically by the database.
    pub async fn register(&self, username: &str, password: &str) -> Result<UserView, CoreError> {
        let closed = || {
            CoreError::Forbidden(
                "registration is closed; ask an administrator for an account".into(),
            )
        };
        let open = self.config.open_registration;
        // Cheap refusal first (no password hashing) once set-up is done.
        if !open && a::setup_done(&self.db).await? {
            return Err(closed());
        }
        self.insert_user(username, password, false, Some(open))
            .await?
            .ok_or_else(closed)
    }

    /// Reserve one sign-in attempt for this account and address (see the module comment); 429
    /// when it would pass a limit. The reservation's id, to keep it (a failure) or clear it.
    async fn reserve_attempt(&self, key: &str, ip: &str) -> Result<String, CoreError> {
        let id = uuid::Uuid::now_v7().to_string();
        a::reserve_login_attempt(&self.db, &id, key, ip).await?;
        let counts = a::login_failures(&self.db, key, ip, now_ms() - LOGIN_WINDOW_MS).await?;
        for ((count, oldest), limit) in counts.iter().zip(LOGIN_LIMITS) {
            // The reservation is one of `count`: past the limit, this attempt is refused (and
            // not counted, so refusals do not extend the wait).
            if *count > limit {
                a::release_login_attempt(&self.db, &id).await?;
                let retry_ms = oldest
                    .map(|t| t + LOGIN_WINDOW_MS - now_ms())
                    .unwrap_or(LOGIN_WINDOW_MS);
                return Err(CoreError::RateLimited {
                    retry_after_secs: (retry_ms.max(1000) + 999) / 1000,
                });
            }
        }
        Ok(id)
    }

    /// Check a user name and password from `ip`; on success, a new session token.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        ip: &str,
    ) -> Result<(String, UserView), CoreError> {
        self.sign_in(
            username,
            password,
            Client {
                ip,
                user_agent: None,
            },
        )
        .await
    }

    /// [`App::login`] that also records the browser the session signs in from.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        client: Client<'_>,
    ) -> Result<(String, UserView), CoreError> {
        let key = check_login_username(username)?;
        self.reserve_attempt(&key, client.ip).await?;
        let user = a::user_by_key(&self.db, &key).await?;
        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let ok = verify_password_async(password, hash).await? && user.is_some();
        let user = match user {
            Some(u) if ok && u.disabled == 0 => u,
            // The reservation stays: it is this failure.
            _ => return Err(CoreError::InvalidCredentials),
        };
        a::clear_login_failures(&self.db, &key, client.ip).await?;
        let token = new_token("bns");
        let row = TokenRow {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: user.id.clone(),
            kind: TokenKind::Session.as_str().into(),
            name: None,
            created_at: now_ms(),
            expires_at: Some(now_ms() + SESSION_TTL_MS),
            last_used_at: None,
            client_ip: Some(client.ip.to_string()),
            user_agent: client
                .user_agent
                .map(|ua| ua.chars().take(MAX_USER_AGENT_CHARS).collect()),
        };
        a::insert_token(&self.db, &row, &hash_token(&token)).await?;
        Ok((token, user_view(&user)))
    }

    /// End a session (or revoke a token) given the token itself.
    pub async fn logout(&self, token: &str) -> Result<(), CoreError> {
        a::delete_token_by_hash(&self.db, &hash_token(token)).await?;
        Ok(())
    }

    /// The viewer a token stands for; `None` when it is unknown, expired, revoked or its
    /// account is disabled.
    pub async fn authenticate(&self, token: &str) -> Result<Option<(Viewer, UserView)>, CoreError> {
        Ok(self
            .authenticate_token(token)
            .await?
            .map(|a| (a.viewer, a.user)))
    }

    /// [`App::authenticate`] with what the token is (a session or an API token) and its id.
    pub async fn authenticate_token(
        &self,
        token: &str,
    ) -> Result<Option<Authenticated>, CoreError> {
        Ok(a::token_user(&self.db, &hash_token(token))
            .await?
            .map(|(t, u)| Authenticated {
                viewer: Viewer::User {
                    id: u.id.clone(),
                    is_admin: u.is_admin != 0,
                },
                user: user_view(&u),
                kind: if t.kind == TokenKind::Session.as_str() {
                    TokenKind::Session
                } else {
                    TokenKind::Api
                },
                token_id: t.id,
            }))
    }

    /// Change the caller's own password. Every other session ends (and, with `revoke_tokens`,
    /// every personal API token); the credential `current` (the request's token id) stays.
    /// Wrong current passwords count as failed sign-ins.
    pub async fn change_password(
        &self,
        viewer: &Viewer,
        current: Option<&str>,
        ip: &str,
        current_password: &str,
        new_password: &str,
        revoke_tokens: bool,
    ) -> Result<(), CoreError> {
        let (id, _) = require_user(viewer)?;
        let user = a::user_by_id(&self.db, id)
            .await?
            .ok_or(CoreError::Unauthorized)?;
        validate_password(new_password)?;
        self.reserve_attempt(&user.username_key, ip).await?;
        if !verify_password_async(current_password, Some(user.password_hash.clone())).await? {
            return Err(CoreError::Forbidden(
                "the current password is not right".into(),
            ));
        }
        a::clear_login_failures(&self.db, &user.username_key, ip).await?;
        let hash = hash_password_async(new_password).await?;
        a::set_password_hash(&self.db, id, &hash).await?;
        a::delete_tokens_of(&self.db, id, TokenKind::Session.as_str(), current).await?;
        if revoke_tokens {
            a::delete_tokens_of(&self.db, id, TokenKind::Api.as_str(), current).await?;
        }
        Ok(())
    }

    /// The caller's live sessions, newest first; `current` (the request's token id) is flagged.
    pub async fn list_sessions(
        &self,
        viewer: &Viewer,
        current: Option<&str>,
    ) -> Result<Vec<SessionView>, CoreError> {
        let (id, _) = require_user(viewer)?;
        let now = now_ms();
        Ok(a::list_tokens(&self.db, id, TokenKind::Session.as_str())
            .await?
            .into_iter()
            .filter(|t| t.expires_at.is_none_or(|e| e > now))
            .map(|t| SessionView {
                current: current == Some(t.id.as_str()),
                created_at: timestamp(t.created_at),
                last_used_at: t.last_used_at.map(timestamp),
                expires_at: t.expires_at.map(timestamp),
                client_ip: t.client_ip,
                user_agent: t.user_agent,
                id: t.id,
            })
            .collect())
    }

    /// End one of the caller's sessions (sign it out).
    pub async fn end_session(&self, viewer: &Viewer, session_id: &str) -> Result<(), CoreError> {
        let (id, _) = require_user(viewer)?;
        if a::delete_token(&self.db, id, TokenKind::Session.as_str(), session_id).await? {
            Ok(())
        } else {
            Err(CoreError::NotFound("session"))
        }
    }

    pub async fn me(&self, viewer: &Viewer) -> Result<UserView, CoreError> {
        let (id, _) = require_user(viewer)?;
        let u = a::user_by_id(&self.db, id)
            .await?
            .ok_or(CoreError::Unauthorized)?;
        let mut views = vec![user_view(&u)];
        self.add_usage(&mut views, Some(std::slice::from_ref(&u.id)))
            .await?;
        Ok(views.remove(0))
    }

    /// Fill in what each account stores (`owners`: only these; `None`: read for everyone).
    async fn add_usage(
        &self,
        views: &mut [UserView],
        owners: Option<&[String]>,
    ) -> Result<(), CoreError> {
        let usage = banana_db::images::usage(&self.db, owners).await?;
        for v in views {
            let (images, bytes) = usage
                .iter()
                .find(|(o, _, _)| *o == v.id)
                .map_or((0, 0), |(_, n, b)| (*n, *b));
            v.usage = Some(banana_api::Usage {
                images,
                bytes,
                quota_bytes: self.config.quota_bytes,
            });
        }
        Ok(())
    }

    /// Refuse an upload of `size` bytes that would take `owner` past the quota.
    pub(crate) async fn check_quota(&self, owner: &str, size: u64) -> Result<(), CoreError> {
        let Some(quota) = self.config.quota_bytes else {
            return Ok(());
        };
        let used = banana_db::images::usage(&self.db, Some(&[owner.to_string()]))
            .await?
            .first()
            .map_or(0, |(_, _, b)| *b as u64);
        if used + size > quota {
            return Err(CoreError::QuotaExceeded { quota, used, size });
        }
        Ok(())
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
        if expires_in_secs.is_some_and(|s| !(1..=MAX_TOKEN_LIFETIME_SECS).contains(&s)) {
            return Err(CoreError::BadRequest(format!(
                "expires_in must be a positive number of seconds, at most {MAX_TOKEN_LIFETIME_SECS} (10 years)"
            )));
        }
        let token = new_token("bnt");
        let row = TokenRow {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: user_id.to_string(),
            kind: TokenKind::Api.as_str().into(),
            name: Some(name.to_string()),
            created_at: now_ms(),
            expires_at: expires_in_secs.map(|s| now_ms() + s * 1000),
            last_used_at: None,
            client_ip: None,
            user_agent: None,
        };
        a::insert_token(&self.db, &row, &hash_token(&token)).await?;
        Ok((token, token_view(&row)))
    }

    pub async fn list_api_tokens(&self, viewer: &Viewer) -> Result<Vec<TokenView>, CoreError> {
        let (user_id, _) = require_user(viewer)?;
        Ok(a::list_tokens(&self.db, user_id, TokenKind::Api.as_str())
            .await?
            .iter()
            .map(token_view)
            .collect())
    }

    pub async fn revoke_api_token(&self, viewer: &Viewer, id: &str) -> Result<(), CoreError> {
        let (user_id, _) = require_user(viewer)?;
        if a::delete_token(&self.db, user_id, TokenKind::Api.as_str(), id).await? {
            Ok(())
        } else {
            Err(CoreError::NotFound("token"))
        }
    }

    pub async fn list_users(&self, viewer: &Viewer) -> Result<Vec<UserView>, CoreError> {
        require_admin(viewer)?;
        let mut views: Vec<UserView> = a::list_users(&self.db)
            .await?
            .iter()
            .map(user_view)
            .collect();
        self.add_usage(&mut views, None).await?;
        Ok(views)
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

    /// Change an account: enable/disable it, make or remove an administrator, reset its
    /// password (which ends all its sessions). The last active administrator is never demoted or
    /// disabled, and administrators cannot demote or disable themselves.
    pub async fn update_user(
        &self,
        viewer: &Viewer,
        id: &str,
        changes: UserChanges,
    ) -> Result<UserView, CoreError> {
        require_admin(viewer)?;
        if matches!(viewer, Viewer::User { id: me, .. } if me == id)
            && (changes.disabled == Some(true) || changes.is_admin == Some(false))
        {
            return Err(CoreError::BadRequest(
                "administrators cannot disable or demote themselves".into(),
            ));
        }
        a::user_by_id(&self.db, id)
            .await?
            .ok_or(CoreError::NotFound("user"))?;
        // Check everything before changing anything.
        let hash = match &changes.password {
            Some(p) => {
                validate_password(p)?;
                Some(hash_password_async(p).await?)
            }
            None => None,
        };
        let last_admin = || CoreError::Conflict("this is the last active administrator".into());
        if let Some(d) = changes.disabled {
            if !a::set_disabled(&self.db, id, d).await? {
                return Err(last_admin());
            }
        }
        if let Some(admin) = changes.is_admin {
            if !a::set_admin(&self.db, id, admin).await? {
                return Err(last_admin());
            }
        }
        if let Some(hash) = hash {
            a::set_password_hash(&self.db, id, &hash).await?;
            a::delete_tokens_of(&self.db, id, TokenKind::Session.as_str(), None).await?;
        }
        let u = a::user_by_id(&self.db, id)
            .await?
            .ok_or(CoreError::NotFound("user"))?;
        Ok(user_view(&u))
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
            self.remove_image_now(&image_id).await?;
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
        Ok(crate::view::share_view(
            share.id,
            share.created_at,
            share.expires_at,
            Some(token),
        ))
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
            .map(|s| crate::view::share_view(s.id, s.created_at, s.expires_at, None))
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
        assert!(validate_username("\u{430}dmin").is_err(), "Cyrillic a");
        assert!(
            validate_username("ann\u{200b}").is_err(),
            "zero-width space"
        );
        assert!(validate_username("ann.o-k_1@host").is_ok());
        assert!(check_login_username(&"x".repeat(65)).is_err());
        assert!(
            check_login_username("\u{430}dmin").is_ok(),
            "old names still sign in"
        );
        assert!(validate_password("short").is_err());
        assert!(validate_password("long enough").is_ok());
    }
}
