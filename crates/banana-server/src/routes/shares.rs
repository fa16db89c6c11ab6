//! Share links: an unguessable token that opens one image without an account until it expires,
//! is revoked, or its creator's (or the image owner's) account is disabled.

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use banana_core::images::Variant;
use serde::Deserialize;
use serde_json::json;

use crate::auth::Caller;
use crate::routes::images::send_content;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/images/{id}/shares", post(create).get(list))
        .route("/api/v1/images/{id}/shares/{share_id}", delete(revoke))
        .route("/api/v1/shared/{token}", get(show))
        .route("/api/v1/shared/{token}/{variant}", get(content))
        .layer(DefaultBodyLimit::max(
            crate::routes::accounts::AUTH_BODY_LIMIT,
        ))
}

#[derive(Deserialize)]
struct NewShare {
    expires_in: i64,
}

async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(s): Json<NewShare>,
) -> Result<Response, AppError> {
    let share = app.create_share(&caller.viewer, &id, s.expires_in).await?;
    Ok((StatusCode::CREATED, Json(share)).into_response())
}

async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    Ok(Json(json!({ "items": app.list_shares(&caller.viewer, &id).await? })).into_response())
}

async fn revoke(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, share_id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    app.revoke_share(&caller.viewer, &id, &share_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn show(
    State(app): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    Ok(Json(app.shared_image(&token).await?).into_response())
}

async fn content(
    State(app): State<AppState>,
    Path((token, variant)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let variant = match variant.as_str() {
        "original" => Variant::Original,
        "thumbnail" => Variant::Thumbnail,
        "preview" => Variant::Preview,
        _ => return Err(banana_core::CoreError::NotFound("variant").into()),
    };
    send_content(app.shared_content(&token, variant).await?, &headers)
}
