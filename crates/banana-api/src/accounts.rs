//! Accounts, sessions, API tokens and share links.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub username: String,
    pub is_admin: bool,
    pub disabled: bool,
    pub created_at: String,
    /// What the account stores: on `GET /api/v1/me` and the administrators' user list
    /// (absent elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
}

/// How much an account stores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Usage {
    pub images: i64,
    /// Bytes of the originals (thumbnails and previews not counted).
    pub bytes: i64,
    /// `BANANA_QUOTA_BYTES`, when set.
    #[schema(required = true)]
    pub quota_bytes: Option<u64>,
}

/// One signed-in session of the caller.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SessionView {
    pub id: String,
    pub created_at: String,
    #[schema(required = true)]
    pub last_used_at: Option<String>,
    #[schema(required = true)]
    pub expires_at: Option<String>,
    #[schema(required = true)]
    pub client_ip: Option<String>,
    #[schema(required = true)]
    pub user_agent: Option<String>,
    /// The session this request was made with.
    pub current: bool,
}

/// A personal API token (never its secret, except once in [`NewTokenView`]).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenView {
    pub id: String,
    #[schema(required = true)]
    pub name: Option<String>,
    pub created_at: String,
    #[schema(required = true)]
    pub expires_at: Option<String>,
    #[schema(required = true)]
    pub last_used_at: Option<String>,
}

/// A token just created: its description and, this once, the secret.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewTokenView {
    #[serde(flatten)]
    pub info: TokenView,
    /// Send as `Authorization: Bearer <token>`; shown only now.
    pub token: String,
}

/// A share link of an image.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ShareView {
    pub id: String,
    pub created_at: String,
    pub expires_at: String,
    /// Only when just created: the token ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// ... and the page that shows the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A user name and password (sign-up, sign-in).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// What a sign-in returns (the session cookie is set as well).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    /// A session token, for clients that send `Authorization: Bearer` instead of the cookie.
    pub token: String,
    pub user: UserView,
}

/// `POST /api/v1/me/password`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
    /// Revoke every API token as well (other sessions always end).
    #[serde(default)]
    pub revoke_tokens: bool,
}

/// `POST /api/v1/tokens`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewToken {
    pub name: String,
    /// Seconds until the token stops working; absent: never.
    #[serde(default)]
    pub expires_in: Option<i64>,
}

/// `POST /api/v1/admin/users`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub is_admin: bool,
}

/// `PATCH /api/v1/admin/users/{id}`: absent fields stay.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct UserPatch {
    #[serde(default)]
    pub disabled: Option<bool>,
    #[serde(default)]
    pub is_admin: Option<bool>,
    /// A new password; ends every session of the account.
    #[serde(default)]
    pub password: Option<String>,
}

/// `POST /api/v1/images/{id}/shares`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewShare {
    /// Seconds until the link stops working.
    pub expires_in: i64,
}
