//! Accounts: registration, sign-in, tokens, and user administration.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{clear_cookie, session_cookie, Caller};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/register", post(register))
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/me", get(me))
        .route("/api/v1/tokens", get(list_tokens).post(create_token))
        .route("/api/v1/tokens/{id}", delete(revoke_token))
        .route("/api/v1/admin/users", get(list_users).post(create_user))
        .route(
            "/api/v1/admin/users/{id}",
            patch(update_user).delete(delete_user),
        )
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
    Json(c): Json<Credentials>,
) -> Result<Response, AppError> {
    let (token, user) = app.login(&c.username, &c.password, &caller.ip).await?;
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
struct NewToken {
    name: String,
    expires_in: Option<i64>,
}

async fn create_token(
    State(app): State<AppState>,
    caller: Caller,
    Json(t): Json<NewToken>,
) -> Result<Response, AppError> {
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
}

async fn update_user(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(p): Json<UserPatch>,
) -> Result<Response, AppError> {
    Ok(Json(
        app.update_user(&caller.viewer, &id, p.disabled, p.is_admin)
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
