//! `/api/v1/labels`: the labels in use, with counts.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use banana_api::{Items, LabelCount, Library};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/labels", get(list))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct LabelParams {
    /// Whose images: `mine` (default), `public`, or `all` the caller may see.
    #[serde(default)]
    #[param(inline)]
    scope: Library,
}

/// The labels attached to the caller's images (or `scope`), most used first.
#[utoipa::path(get, path = "/api/v1/labels", operation_id = "listLabels", tag = "images",
    params(LabelParams),
    responses((status = 200, body = Items<LabelCount>)))]
pub(crate) async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Query(p): Query<LabelParams>,
) -> Result<Json<Items<LabelCount>>, AppError> {
    Ok(Json(
        app.label_counts(&caller.viewer, p.scope).await?.into(),
    ))
}
