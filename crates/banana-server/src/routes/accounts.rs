//! Accounts: registration, sign-in, sessions, tokens, and user administration. Request bodies
//! here are small JSON documents and are refused past [`AUTH_BODY_LIMIT`] before they are read
//! whole.

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

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

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

async fn register(
    State(app): State<AppState>,
    Json(c): Json<Credentials>,
) -> Result<Response, AppError> {
    let user = app.register(&c.username, &c.password).await?;
    Ok((StatusCode::CREATED, Json(user)).into_response())
}

async fn login(
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
        Json(json!({ "token": token, "user": user })),
    )
        .into_response())
}

async fn logout(State(app): State<AppState>, caller: Caller) -> Result<Response, AppError> {
    if let Some(token) = &caller.token {
        app.logout(token).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(caller.https))],
    )
        .into_response())
}

async fn me(State(app): State<AppState>, caller: Caller) -> Result<Response, AppError> {
    Ok(Json(app.me(&caller.viewer).await?).into_response())
}

#[derive(Deserialize)]
struct PasswordChange {
    current_password: String,
    new_password: String,
    #[serde(default)]
    revoke_tokens: bool,
}

async fn change_password(
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

async fn list_sessions(State(app): State<AppState>, caller: Caller) -> Result<Response, AppError> {
    let items = app
        .list_sessions(&caller.viewer, caller.token_id.as_deref())
        .await?;
    Ok(Json(json!({ "items": items })).into_response())
}

async fn end_session(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    app.end_session(&caller.viewer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct NewToken {
    name: String,
    expires_in: Option<i64>,
}

async fn create_token(
    State(app): State<AppState>,
    caller: Caller,
    Json(t): Json<NewToken>,
) -> Result<Response, AppError> {
    caller.require_session()?;
    let (token, view) = app
        .create_api_token(&caller.viewer, &t.name, t.expires_in)
        .await?;
    let mut body = serde_json::to_value(view).unwrap_or_default();
    body["token"] = json!(token);
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

async fn list_tokens(State(app): State<AppState>, caller: Caller) -> Result<Response, AppError> {
    Ok(Json(json!({ "items": app.list_api_tokens(&caller.viewer).await? })).into_response())
}

async fn revoke_token(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    app.revoke_api_token(&caller.viewer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_users(State(app): State<AppState>, caller: Caller) -> Result<Response, AppError> {
    Ok(Json(json!({ "items": app.list_users(&caller.viewer).await? })).into_response())
}

#[derive(Deserialize)]
struct NewUser {
    username: String,
    password: String,
    #[serde(default)]
    is_admin: bool,
}

async fn create_user(
    State(app): State<AppState>,
    caller: Caller,
    Json(u): Json<NewUser>,
) -> Result<Response, AppError> {
    let user = app
        .admin_create_user(&caller.viewer, &u.username, &u.password, u.is_admin)
        .await?;
    Ok((StatusCode::CREATED, Json(user)).into_response())
}

#[derive(Deserialize)]
struct UserPatch {
    disabled: Option<bool>,
    is_admin: Option<bool>,
    password: Option<String>,
}

async fn update_user(
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

async fn delete_user(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    app.delete_user(&caller.viewer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
