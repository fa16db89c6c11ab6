//! `/api/v1/labels`: the labels in use, with counts.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use banana_api::{Items, LabelCount};

use crate::auth::Caller;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/labels", get(list))
}

/// The labels attached to images the caller may see, most used first.
#[utoipa::path(get, path = "/api/v1/labels", operation_id = "listLabels", tag = "images",
    responses((status = 200, body = Items<LabelCount>)))]
pub(crate) async fn list(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<Json<Items<LabelCount>>, AppError> {
    Ok(Json(app.label_counts(&caller.viewer).await?.into()))
}
