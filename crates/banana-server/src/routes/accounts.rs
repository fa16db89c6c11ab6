//! Accounts: registration, sign-in, sessions, tokens, and user administration. Request bodies
//! here are small JSON documents and are refused past [`AUTH_BODY_LIMIT`] before they are read
//! whole.

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use banana_api::{
    Credentials, ErrorResponse, Items, LoginResponse, NewToken, NewTokenView, NewUser,
    PasswordChange, SessionView, TokenView, UserPatch, UserView,
};

use crate::auth::{clear_cookie, session_cookie, Caller};
use banana_core::accounts::{Client, UserChanges};

use crate::{AppError, AppState};

/// The largest request body the account routes read (a user name, passwords, a token name).
pub const AUTH_BODY_LIMIT: usize = 16 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/register", post(register))
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/me", get(me))
        .route("/api/v1/me/password", post(change_password))
        .route("/api/v1/me/sessions", get(list_sessions))
        .route("/api/v1/me/sessions/{id}", delete(end_session))
        .route("/api/v1/tokens", get(list_tokens).post(create_token))
        .route("/api/v1/tokens/{id}", delete(revoke_token))
        .route("/api/v1/admin/users", get(list_users).post(create_user))
        .route(
            "/api/v1/admin/users/{id}",
            patch(update_user).delete(delete_user),
        )
        .layer(DefaultBodyLimit::max(AUTH_BODY_LIMIT))
}

/// Create an account (when registration is open, or for the first account: it becomes the
/// administrator).
#[utoipa::path(post, path = "/api/v1/auth/register", operation_id = "register", tag = "accounts", request_body = Credentials,
    security(()),
    responses(
        (status = 201, body = UserView),
        (status = 400, description = "a user name or password that breaks the rules", body = ErrorResponse),
        (status = 403, description = "registration is closed", body = ErrorResponse),
        (status = 409, description = "the user name is taken", body = ErrorResponse),
    ))]
pub(crate) async fn register(
    State(app): State<AppState>,
    Json(c): Json<Credentials>,
) -> Result<Response, AppError> {
    let user = app.register(&c.username, &c.password).await?;
    Ok((StatusCode::CREATED, Json(user)).into_response())
}

/// Sign in: sets the session cookie and returns the same token for `Authorization: Bearer`.
#[utoipa::path(post, path = "/api/v1/auth/login", operation_id = "login", tag = "accounts", request_body = Credentials,
    security(()),
    responses(
        (status = 200, body = LoginResponse, headers(("Set-Cookie" = String, description = "the session cookie"))),
        (status = 401, description = "`invalid_credentials`", body = ErrorResponse),
        (status = 429, description = "too many failed attempts; `retry_after`", body = ErrorResponse),
    ))]
pub(crate) async fn login(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Json(c): Json<Credentials>,
) -> Result<Response, AppError> {
    let client = Client {
        ip: &caller.ip,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
    };
    let (token, user) = app.sign_in(&c.username, &c.password, client).await?;
    Ok((
        [(header::SET_COOKIE, session_cookie(&token, caller.https))],
        Json(LoginResponse { token, user }),
    )
        .into_response())
}

/// End the session the request was made with and clear the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", operation_id = "logout", tag = "accounts",
    responses((status = 204, description = "signed out")))]
pub(crate) async fn logout(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    if let Some(token) = &caller.token {
        app.logout(token).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(caller.https))],
    )
        .into_response())
}

/// The caller's account.
#[utoipa::path(get, path = "/api/v1/me", operation_id = "getMe", tag = "accounts",
    responses((status = 200, body = UserView), (status = 401, body = ErrorResponse)))]
pub(crate) async fn me(State(app): State<AppState>, caller: Caller) -> Result<Response, AppError> {
    Ok(Json(app.me(&caller.viewer).await?).into_response())
}

/// Change the caller's password; every other session ends.
#[utoipa::path(post, path = "/api/v1/me/password", operation_id = "changePassword", tag = "accounts", request_body = PasswordChange,
    responses(
        (status = 204, description = "changed"),
        (status = 400, body = ErrorResponse),
        (status = 401, description = "not signed in, or the current password is wrong", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ))]
pub(crate) async fn change_password(
    State(app): State<AppState>,
    caller: Caller,
    Json(p): Json<PasswordChange>,
) -> Result<StatusCode, AppError> {
    app.change_password(
        &caller.viewer,
        caller.token_id.as_deref(),
        &caller.ip,
        &p.current_password,
        &p.new_password,
        p.revoke_tokens,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's signed-in sessions.
#[utoipa::path(get, path = "/api/v1/me/sessions", operation_id = "listSessions", tag = "accounts",
    responses((status = 200, body = Items<SessionView>), (status = 401, body = ErrorResponse)))]
pub(crate) async fn list_sessions(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<Json<Items<SessionView>>, AppError> {
    let items = app
        .list_sessions(&caller.viewer, caller.token_id.as_deref())
        .await?;
    Ok(Json(items.into()))
}

/// End one of the caller's sessions.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", operation_id = "endSession", tag = "accounts",
    params(("id" = String, Path, description = "the session's id")),
    responses((status = 204, description = "ended"), (status = 404, body = ErrorResponse)))]
pub(crate) async fn end_session(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    app.end_session(&caller.viewer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Make a personal API token (from a signed-in session, not from another token).
#[utoipa::path(post, path = "/api/v1/tokens", operation_id = "createToken", tag = "accounts", request_body = NewToken,
    responses(
        (status = 201, description = "the secret is in `token`, shown only now", body = NewTokenView),
        (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse),
        (status = 403, description = "made with an API token", body = ErrorResponse),
    ))]
pub(crate) async fn create_token(
    State(app): State<AppState>,
    caller: Caller,
    Json(t): Json<NewToken>,
) -> Result<Response, AppError> {
    caller.require_session()?;
    let (token, view) = app
        .create_api_token(&caller.viewer, &t.name, t.expires_in)
        .await?;
    let body = NewTokenView { info: view, token };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// The caller's API tokens.
#[utoipa::path(get, path = "/api/v1/tokens", operation_id = "listTokens", tag = "accounts",
    responses((status = 200, body = Items<TokenView>), (status = 401, body = ErrorResponse)))]
pub(crate) async fn list_tokens(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<Json<Items<TokenView>>, AppError> {
    Ok(Json(app.list_api_tokens(&caller.viewer).await?.into()))
}

/// Revoke one of the caller's API tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", operation_id = "revokeToken", tag = "accounts",
    params(("id" = String, Path, description = "the token's id")),
    responses((status = 204, description = "revoked"), (status = 404, body = ErrorResponse)))]
pub(crate) async fn revoke_token(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    app.revoke_api_token(&caller.viewer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every account (administrators).
#[utoipa::path(get, path = "/api/v1/admin/users", operation_id = "listUsers", tag = "admin",
    responses(
        (status = 200, body = Items<UserView>),
        (status = 401, body = ErrorResponse),
        (status = 403, body = ErrorResponse),
    ))]
pub(crate) async fn list_users(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<Json<Items<UserView>>, AppError> {
    Ok(Json(app.list_users(&caller.viewer).await?.into()))
}

/// Create an account (administrators; registration rules do not apply).
#[utoipa::path(post, path = "/api/v1/admin/users", operation_id = "createUser", tag = "admin", request_body = NewUser,
    responses(
        (status = 201, body = UserView),
        (status = 400, body = ErrorResponse),
        (status = 403, body = ErrorResponse),
        (status = 409, body = ErrorResponse),
    ))]
pub(crate) async fn create_user(
    State(app): State<AppState>,
    caller: Caller,
    Json(u): Json<NewUser>,
) -> Result<Response, AppError> {
    let user = app
        .admin_create_user(&caller.viewer, &u.username, &u.password, u.is_admin)
        .await?;
    Ok((StatusCode::CREATED, Json(user)).into_response())
}

/// Disable or enable an account, change its role, or set a new password (administrators).
#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", operation_id = "updateUser", tag = "admin",
    params(("id" = String, Path, description = "the account's id")),
    request_body = UserPatch,
    responses(
        (status = 200, body = UserView),
        (status = 400, body = ErrorResponse),
        (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
        (status = 409, description = "would leave no administrator", body = ErrorResponse),
    ))]
pub(crate) async fn update_user(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(p): Json<UserPatch>,
) -> Result<Response, AppError> {
    Ok(Json(
        app.update_user(
            &caller.viewer,
            &id,
            UserChanges {
                disabled: p.disabled,
                is_admin: p.is_admin,
                password: p.password,
            },
        )
        .await?,
    )
    .into_response())
}

/// Delete an account and its images (administrators).
#[utoipa::path(delete, path = "/api/v1/admin/users/{id}", operation_id = "deleteUser", tag = "admin",
    params(("id" = String, Path, description = "the account's id")),
    responses(
        (status = 204, description = "deleted"),
        (status = 400, description = "administrators cannot delete themselves", body = ErrorResponse),
        (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn delete_user(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    app.delete_user(&caller.viewer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
