//! Share links: an unguessable token that opens one image, or one album, without an account
//! until it expires, is revoked, or its creator's (or the owner's) account is disabled.

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use banana_api::{ErrorResponse, Items, NewShare, ShareView, Shared};
use banana_core::images::Variant;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::routes::images::send_content;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/images/{id}/shares", post(create).get(list))
        .route("/api/v1/images/{id}/shares/{share_id}", delete(revoke))
        .route("/api/v1/shared/{token}", get(show))
        .route("/api/v1/shared/{token}/{variant}", get(content))
        .route("/api/v1/shared/{token}/download", get(download))
        .route(
            "/api/v1/shared/{token}/images/{image_id}/{variant}",
            get(album_content),
        )
        .layer(DefaultBodyLimit::max(
            crate::routes::accounts::AUTH_BODY_LIMIT,
        ))
}

/// Make a share link (the image's owner or an administrator).
#[utoipa::path(post, path = "/api/v1/images/{id}/shares", operation_id = "createShare", tag = "shares",
    params(("id" = String, Path, description = "the image's id")),
    request_body = NewShare,
    responses(
        (status = 201, description = "with `token` and `url`, shown only now", body = ShareView),
        (status = 400, body = ErrorResponse),
        (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(s): Json<NewShare>,
) -> Result<Response, AppError> {
    let share = app.create_share(&caller.viewer, &id, s.expires_in).await?;
    Ok((StatusCode::CREATED, Json(share)).into_response())
}

/// The image's live share links (without their tokens).
#[utoipa::path(get, path = "/api/v1/images/{id}/shares", operation_id = "listShares", tag = "shares",
    params(("id" = String, Path, description = "the image's id")),
    responses(
        (status = 200, body = Items<ShareView>),
        (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Items<ShareView>>, AppError> {
    Ok(Json(app.list_shares(&caller.viewer, &id).await?.into()))
}

/// Revoke a share link: it stops working at once.
#[utoipa::path(delete, path = "/api/v1/images/{id}/shares/{share_id}", operation_id = "revokeShare", tag = "shares",
    params(("id" = String, Path, description = "the image's id"),
        ("share_id" = String, Path, description = "the share link's id")),
    responses(
        (status = 204, description = "revoked"),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn revoke(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, share_id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    app.revoke_share(&caller.viewer, &id, &share_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SharedParams {
    /// For an album's link: `next_cursor` of the page before.
    cursor: Option<String>,
}

/// What a share link opens (no account needed): the image, or, for an album's link, the
/// album and a page of its images (50 at a time).
#[utoipa::path(get, path = "/api/v1/shared/{token}", operation_id = "getShared", tag = "shares",
    params(("token" = String, Path, description = "the share link's token"), SharedParams),
    security(()),
    responses(
        (status = 200, body = Shared),
        (status = 404, description = "unknown, expired or revoked", body = ErrorResponse),
    ))]
pub(crate) async fn show(
    State(app): State<AppState>,
    Path(token): Path<String>,
    Query(p): Query<SharedParams>,
) -> Result<Response, AppError> {
    Ok(Json(app.open_shared(&token, p.cursor.as_deref()).await?).into_response())
}

/// A shared album as one ZIP archive (the copies without personal metadata).
#[utoipa::path(get, path = "/api/v1/shared/{token}/download", operation_id = "downloadShared", tag = "shares",
    params(("token" = String, Path, description = "an album's share-link token")),
    security(()),
    responses(
        (status = 200, description = "a ZIP archive", content_type = "application/zip", body = Vec<u8>),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn download(
    State(app): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let d = app.shared_album_download(&token).await?;
    Ok(crate::routes::library::zip_response(app, d))
}

/// The bytes of one image of a shared album.
#[utoipa::path(get, path = "/api/v1/shared/{token}/images/{image_id}/{variant}", operation_id = "getSharedAlbumContent", tag = "shares",
    params(("token" = String, Path, description = "an album's share-link token"),
        ("image_id" = String, Path, description = "an image of the album"),
        ("variant" = String, Path, description = "`original`, `thumbnail` or `preview`")),
    security(()),
    responses(
        (status = 200, description = "the bytes, with `ETag`", content_type = "image/*", body = Vec<u8>),
        (status = 302, description = "a presigned URL of the object store (when so configured)"),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn album_content(
    State(app): State<AppState>,
    Path((token, image_id, variant)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let variant = parse_variant(&variant)?;
    send_content(
        app.shared_album_content(&token, &image_id, variant).await?,
        &headers,
    )
}

fn parse_variant(v: &str) -> Result<Variant, AppError> {
    match v {
        "original" => Ok(Variant::Original),
        "thumbnail" => Ok(Variant::Thumbnail),
        "preview" => Ok(Variant::Preview),
        _ => Err(banana_core::CoreError::NotFound("variant").into()),
    }
}

/// The bytes of the image a share link opens.
#[utoipa::path(get, path = "/api/v1/shared/{token}/{variant}", operation_id = "getSharedContent", tag = "shares",
    params(("token" = String, Path, description = "the share link's token"),
        ("variant" = String, Path, description = "`original`, `thumbnail` or `preview`")),
    security(()),
    responses(
        (status = 200, description = "the bytes, with `ETag`", content_type = "image/*", body = Vec<u8>),
        (status = 302, description = "a presigned URL of the object store (when so configured)"),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn content(
    State(app): State<AppState>,
    Path((token, variant)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let variant = parse_variant(&variant)?;
    send_content(app.shared_content(&token, variant).await?, &headers)
}
