//! `/api/v1/labels`: the labels in use, with counts; and the corrections a user makes to an
//! image's labels (tags added and removed, model labels rejected).

use axum::extract::{Path, Query, State};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use banana_api::{ErrorResponse, ImageView, LabelList, Library, TagRequest};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/labels", get(list))
        .route("/api/v1/images/{id}/tags", post(add_tag))
        .route("/api/v1/images/{id}/tags/{name}", delete(remove_tag))
        .route(
            "/api/v1/images/{id}/labels/{label_id}",
            delete(reject_label),
        )
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct LabelParams {
    /// Whose images: `mine` (default), `public`, or `all` the caller may see.
    #[serde(default)]
    #[param(inline)]
    scope: Library,
}

/// The labels attached to the caller's images (or `scope`): flat, most used first, and as
/// the category tree (animal → dog → pug) with the number of images under each category.
#[utoipa::path(get, path = "/api/v1/labels", operation_id = "listLabels", tag = "images",
    params(LabelParams),
    responses((status = 200, body = LabelList)))]
pub(crate) async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Query(p): Query<LabelParams>,
) -> Result<Json<LabelList>, AppError> {
    Ok(Json(app.label_list(&caller.viewer, p.scope).await?))
}

/// Put a tag on an image (the owner or an administrator); a tag it already has, in any case,
/// stays as it was. Tags are shown first, searchable and filterable (`?tag=`).
#[utoipa::path(post, path = "/api/v1/images/{id}/tags", operation_id = "addImageTag", tag = "images",
    params(("id" = String, Path, description = "the image's id")),
    request_body = TagRequest,
    responses(
        (status = 200, body = ImageView),
        (status = 400, body = ErrorResponse),
        (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn add_tag(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(req): Json<TagRequest>,
) -> Result<Json<ImageView>, AppError> {
    Ok(Json(
        app.add_image_tag(&caller.viewer, &id, &req.name).await?,
    ))
}

/// Take a tag off an image (any case).
#[utoipa::path(delete, path = "/api/v1/images/{id}/tags/{name}", operation_id = "removeImageTag", tag = "images",
    params(("id" = String, Path, description = "the image's id"), ("name" = String, Path, description = "the tag")),
    responses(
        (status = 200, body = ImageView),
        (status = 403, body = ErrorResponse),
        (status = 404, description = "no such image, or it has no such tag", body = ErrorResponse),
    ))]
pub(crate) async fn remove_tag(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, name)): Path<(String, String)>,
) -> Result<Json<ImageView>, AppError> {
    Ok(Json(
        app.remove_image_tag(&caller.viewer, &id, &name).await?,
    ))
}

/// Reject a model label on an image: it leaves the image's labels, label filters and keyword
/// search, and stays rejected when the image is analysed again.
#[utoipa::path(delete, path = "/api/v1/images/{id}/labels/{label_id}", operation_id = "rejectImageLabel", tag = "images",
    params(("id" = String, Path, description = "the image's id"), ("label_id" = String, Path, description = "the label's id (WordNet id)")),
    responses(
        (status = 200, body = ImageView),
        (status = 403, body = ErrorResponse),
        (status = 404, description = "no such image, or the model did not predict that label", body = ErrorResponse),
    ))]
pub(crate) async fn reject_label(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, label_id)): Path<(String, String)>,
) -> Result<Json<ImageView>, AppError> {
    Ok(Json(
        app.reject_label(&caller.viewer, &id, &label_id).await?,
    ))
}
