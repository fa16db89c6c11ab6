//! `/api/v1/albums` and `/api/v1/images/{id}/favorite`: a user's own collections.

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use banana_api::{
    Added, AlbumPatch, AlbumView, ErrorResponse, ImageIds, ImageView, Items, NewAlbum, NewShare,
    Removed, ShareView,
};

use crate::auth::Caller;
use crate::{AppError, AppState};

/// Room for 1000 image ids and their JSON.
const BODY_LIMIT: usize = 256 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/albums", get(list).post(create))
        .route(
            "/api/v1/albums/{id}",
            get(show).patch(update).delete(remove),
        )
        .route(
            "/api/v1/albums/{id}/images",
            axum::routing::post(add_images).delete(remove_images),
        )
        .route(
            "/api/v1/albums/{id}/shares",
            axum::routing::post(create_share).get(list_shares),
        )
        .route(
            "/api/v1/albums/{id}/shares/{share_id}",
            axum::routing::delete(revoke_share),
        )
        .route(
            "/api/v1/images/{id}/favorite",
            put(favorite).delete(unfavorite),
        )
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// Make an album (signed in).
#[utoipa::path(post, path = "/api/v1/albums", operation_id = "createAlbum", tag = "albums",
    request_body = NewAlbum,
    responses(
        (status = 201, body = AlbumView),
        (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse),
    ))]
pub(crate) async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Json(new): Json<NewAlbum>,
) -> Result<Response, AppError> {
    let album = app.create_album(&caller.viewer, new).await?;
    Ok((StatusCode::CREATED, Json(album)).into_response())
}

/// The caller's albums, most recently changed first.
#[utoipa::path(get, path = "/api/v1/albums", operation_id = "listAlbums", tag = "albums",
    responses(
        (status = 200, body = Items<AlbumView>),
        (status = 401, body = ErrorResponse),
    ))]
pub(crate) async fn list(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<Json<Items<AlbumView>>, AppError> {
    Ok(Json(app.list_albums(&caller.viewer).await?.into()))
}

/// One of the caller's albums (its images: `GET /api/v1/images?album={id}`).
#[utoipa::path(get, path = "/api/v1/albums/{id}", operation_id = "getAlbum", tag = "albums",
    params(("id" = String, Path, description = "the album's id")),
    responses(
        (status = 200, body = AlbumView),
        (status = 404, description = "no such album of the caller's", body = ErrorResponse),
    ))]
pub(crate) async fn show(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<AlbumView>, AppError> {
    Ok(Json(app.get_album(&caller.viewer, &id).await?))
}

/// Rename an album, change its description or choose its cover.
#[utoipa::path(patch, path = "/api/v1/albums/{id}", operation_id = "updateAlbum", tag = "albums",
    params(("id" = String, Path, description = "the album's id")),
    request_body = AlbumPatch,
    responses(
        (status = 200, body = AlbumView),
        (status = 400, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(patch): Json<AlbumPatch>,
) -> Result<Json<AlbumView>, AppError> {
    Ok(Json(app.patch_album(&caller.viewer, &id, patch).await?))
}

/// Delete an album; its images stay.
#[utoipa::path(delete, path = "/api/v1/albums/{id}", operation_id = "deleteAlbum", tag = "albums",
    params(("id" = String, Path, description = "the album's id")),
    responses(
        (status = 204, description = "deleted"),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn remove(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    app.delete_album(&caller.viewer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add images the caller may see (all or nothing; those already in it count as not added).
#[utoipa::path(post, path = "/api/v1/albums/{id}/images", operation_id = "addAlbumImages", tag = "albums",
    params(("id" = String, Path, description = "the album's id")),
    request_body = ImageIds,
    responses(
        (status = 200, body = Added),
        (status = 400, description = "no ids, or more than 1000", body = ErrorResponse),
        (status = 404, description = "no such album, or an image the caller may not see", body = ErrorResponse),
    ))]
pub(crate) async fn add_images(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(ids): Json<ImageIds>,
) -> Result<Json<Added>, AppError> {
    Ok(Json(
        app.add_album_images(&caller.viewer, &id, &ids.image_ids)
            .await?,
    ))
}

/// Take images out of an album (they stay in the library).
#[utoipa::path(delete, path = "/api/v1/albums/{id}/images", operation_id = "removeAlbumImages", tag = "albums",
    params(("id" = String, Path, description = "the album's id")),
    request_body = ImageIds,
    responses(
        (status = 200, body = Removed),
        (status = 400, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn remove_images(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(ids): Json<ImageIds>,
) -> Result<Json<Removed>, AppError> {
    Ok(Json(
        app.remove_album_images(&caller.viewer, &id, &ids.image_ids)
            .await?,
    ))
}

/// Mark an image the caller may see as a favourite (idempotent).
#[utoipa::path(put, path = "/api/v1/images/{id}/favorite", operation_id = "favoriteImage", tag = "albums",
    params(("id" = String, Path, description = "the image's id")),
    responses(
        (status = 200, body = ImageView),
        (status = 401, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn favorite(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ImageView>, AppError> {
    Ok(Json(app.set_favorite(&caller.viewer, &id, true).await?))
}

/// No longer a favourite (idempotent).
#[utoipa::path(delete, path = "/api/v1/images/{id}/favorite", operation_id = "unfavoriteImage", tag = "albums",
    params(("id" = String, Path, description = "the image's id")),
    responses(
        (status = 200, body = ImageView),
        (status = 401, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn unfavorite(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ImageView>, AppError> {
    Ok(Json(app.set_favorite(&caller.viewer, &id, false).await?))
}

/// Make a share link for the caller's album: read-only, expiring, revocable; its visitors get
/// the copies without personal metadata.
#[utoipa::path(post, path = "/api/v1/albums/{id}/shares", operation_id = "createAlbumShare", tag = "albums",
    params(("id" = String, Path, description = "the album's id")),
    request_body = NewShare,
    responses(
        (status = 201, description = "with `token` and `url`, shown only now", body = ShareView),
        (status = 400, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn create_share(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(s): Json<NewShare>,
) -> Result<Response, AppError> {
    let share = app
        .create_album_share(&caller.viewer, &id, s.expires_in)
        .await?;
    Ok((StatusCode::CREATED, Json(share)).into_response())
}

/// The album's live share links (without their tokens).
#[utoipa::path(get, path = "/api/v1/albums/{id}/shares", operation_id = "listAlbumShares", tag = "albums",
    params(("id" = String, Path, description = "the album's id")),
    responses(
        (status = 200, body = Items<ShareView>),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn list_shares(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Items<ShareView>>, AppError> {
    Ok(Json(
        app.list_album_shares(&caller.viewer, &id).await?.into(),
    ))
}

/// Revoke an album's share link: it stops working at once.
#[utoipa::path(delete, path = "/api/v1/albums/{id}/shares/{share_id}", operation_id = "revokeAlbumShare", tag = "albums",
    params(("id" = String, Path, description = "the album's id"),
        ("share_id" = String, Path, description = "the share link's id")),
    responses(
        (status = 204, description = "revoked"),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn revoke_share(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, share_id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    app.revoke_album_share(&caller.viewer, &id, &share_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
