//! Acting on a library: the trash, bulk actions, ZIP downloads, near-duplicates and an
//! image's neighbours in a listing. ZIP responses stream from a bounded channel that the
//! domain layer fills object by object (`banana_core::downloads`): constant memory, and a
//! client that goes away stops the work.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::header;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use banana_api::{
    BulkRequest, BulkResponse, BulkResult, Duplicates, ErrorResponse, ImageIds, Neighbors, Page,
    Purged, Restored, TrashItem,
};
use banana_core::downloads::Download;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::classify;
use crate::routes::images::ListParams;
use crate::{header_value, AppError, AppState};

/// Room for 1000 image ids and their JSON.
const BODY_LIMIT: usize = 256 * 1024;
/// Chunks of a ZIP (about 256 KiB each) in flight between the reader of the objects and the
/// client.
const ZIP_CHANNEL_CHUNKS: usize = 4;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/trash", get(trash).delete(empty_trash))
        .route("/api/v1/trash/restore", post(restore))
        .route("/api/v1/images/bulk", post(bulk))
        .route("/api/v1/images/{id}/neighbors", get(neighbors))
        .route("/api/v1/downloads", post(download))
        .route("/api/v1/albums/{id}/download", get(album_download))
        .route("/api/v1/duplicates", get(duplicates))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct TrashParams {
    /// 1–100, default 50.
    limit: Option<i64>,
    /// `next_cursor` of the page before.
    cursor: Option<String>,
}

/// The caller's trash, most recently deleted first.
#[utoipa::path(get, path = "/api/v1/trash", operation_id = "listTrash", tag = "library", params(TrashParams),
    responses(
        (status = 200, body = Page<TrashItem>),
        (status = 401, body = ErrorResponse),
    ))]
pub(crate) async fn trash(
    State(app): State<AppState>,
    caller: Caller,
    Query(p): Query<TrashParams>,
) -> Result<Json<Page<TrashItem>>, AppError> {
    Ok(Json(
        app.trash_page(&caller.viewer, p.cursor.as_deref(), p.limit)
            .await?,
    ))
}

/// Take images out of the caller's trash, whole (albums, favourites and labels included);
/// ids not in it are skipped.
#[utoipa::path(post, path = "/api/v1/trash/restore", operation_id = "restoreTrash", tag = "library",
    request_body = ImageIds,
    responses(
        (status = 200, body = Restored),
        (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse),
    ))]
pub(crate) async fn restore(
    State(app): State<AppState>,
    caller: Caller,
    Json(ids): Json<ImageIds>,
) -> Result<Json<Restored>, AppError> {
    let restored = app.restore_images(&caller.viewer, &ids.image_ids).await?;
    Ok(Json(Restored { restored }))
}

/// Empty the caller's trash: its images and their files are deleted for good, now.
#[utoipa::path(delete, path = "/api/v1/trash", operation_id = "emptyTrash", tag = "library",
    responses(
        (status = 200, body = Purged),
        (status = 401, body = ErrorResponse),
    ))]
pub(crate) async fn empty_trash(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<Json<Purged>, AppError> {
    let purged = app.empty_trash(&caller.viewer).await?;
    Ok(Json(Purged { purged }))
}

/// One action over up to 1000 images. Each is authorised and done on its own, exactly as its
/// single-image endpoint would, with a result per id: one the caller may not touch fails
/// alone (with that endpoint's error) and the rest go ahead.
#[utoipa::path(post, path = "/api/v1/images/bulk", operation_id = "bulkImages", tag = "library",
    request_body = BulkRequest,
    responses(
        (status = 200, body = BulkResponse),
        (status = 400, description = "no ids, more than 1000, or the action's field missing", body = ErrorResponse),
        (status = 401, body = ErrorResponse),
        (status = 404, description = "`album_id` is not one of the caller's albums", body = ErrorResponse),
    ))]
pub(crate) async fn bulk(
    State(app): State<AppState>,
    caller: Caller,
    Json(req): Json<BulkRequest>,
) -> Result<Json<BulkResponse>, AppError> {
    let done = app.bulk(&caller.viewer, req).await?;
    let results: Vec<BulkResult> = done
        .into_iter()
        .map(|(id, r)| match r {
            Ok(()) => BulkResult {
                id,
                ok: true,
                error: None,
            },
            Err(e) => BulkResult {
                id,
                ok: false,
                error: Some(classify(&e).1.error),
            },
        })
        .collect();
    let succeeded = results.iter().filter(|r| r.ok).count() as i64;
    Ok(Json(BulkResponse {
        failed: results.len() as i64 - succeeded,
        succeeded,
        results,
    }))
}

/// The images just before (newer) and after (older) this one in the listing the query
/// describes: the same parameters as `GET /api/v1/images` (`cursor` and `limit` ignored).
#[utoipa::path(get, path = "/api/v1/images/{id}/neighbors", operation_id = "imageNeighbors", tag = "images",
    params(("id" = String, Path, description = "the image's id"), ListParams),
    responses(
        (status = 200, body = Neighbors),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn neighbors(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(p): Query<ListParams>,
) -> Result<Json<Neighbors>, AppError> {
    Ok(Json(app.neighbors(&caller.viewer, &id, p.into()).await?))
}

/// Stream a checked download as a ZIP response.
pub(crate) fn zip_response(app: AppState, download: Download) -> Response {
    let filename = download.filename.clone();
    let (tx, rx) = tokio::sync::mpsc::channel(ZIP_CHANNEL_CHUNKS);
    // The writer ends with the response: it stops when the client goes away (the channel
    // closes). Nothing is stored, so nothing is lost if it stops.
    tokio::spawn(async move { app.write_zip(download, tx).await });
    let stream = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    let mut r = Response::new(Body::from_stream(stream));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, header_value("application/zip"));
    h.insert(
        header::CONTENT_DISPOSITION,
        header_value(&crate::routes::images::disposition("attachment", &filename)),
    );
    h.insert(header::CACHE_CONTROL, header_value("private, no-store"));
    r
}

/// These images (1–1000) as one ZIP archive, streamed: the caller's own originals as
/// uploaded, anyone else's as the copies without personal metadata; repeated file names get
/// ` (2)`, ` (3)`. Every id must be an image the caller may see (404 otherwise, before any
/// byte is sent).
#[utoipa::path(post, path = "/api/v1/downloads", operation_id = "downloadImages", tag = "library",
    request_body = ImageIds,
    responses(
        (status = 200, description = "a ZIP archive (files stored, not compressed)", content_type = "application/zip", body = Vec<u8>),
        (status = 400, body = ErrorResponse),
        (status = 404, description = "an image the caller may not see", body = ErrorResponse),
    ))]
pub(crate) async fn download(
    State(app): State<AppState>,
    caller: Caller,
    Json(ids): Json<ImageIds>,
) -> Result<Response, AppError> {
    let d = app.download(&caller.viewer, &ids.image_ids).await?;
    Ok(zip_response(app, d))
}

/// The caller's album as one ZIP archive (the images of it they may see).
#[utoipa::path(get, path = "/api/v1/albums/{id}/download", operation_id = "downloadAlbum", tag = "albums",
    params(("id" = String, Path, description = "the album's id")),
    responses(
        (status = 200, description = "a ZIP archive", content_type = "application/zip", body = Vec<u8>),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn album_download(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let d = app.album_download(&caller.viewer, &id).await?;
    Ok(zip_response(app, d))
}

/// The caller's near-duplicate images: groups of resized, recompressed, slightly cropped or
/// rotated copies of one photo, the suggested one to keep first.
#[utoipa::path(get, path = "/api/v1/duplicates", operation_id = "listDuplicates", tag = "library",
    responses(
        (status = 200, body = Duplicates),
        (status = 401, body = ErrorResponse),
    ))]
pub(crate) async fn duplicates(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<Json<Duplicates>, AppError> {
    Ok(Json(app.duplicates(&caller.viewer).await?))
}
