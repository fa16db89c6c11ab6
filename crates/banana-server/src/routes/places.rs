//! `/api/v1/timeline` and `/api/v1/places`: the caller's library by when and where its photos
//! were taken.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use banana_api::{ErrorResponse, Items, Library, PlaceCount, Timeline};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/timeline", get(timeline))
        .route("/api/v1/places", get(places))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct TimelineParams {
    /// Whose images: `mine` (default), `public`, or `all` the caller may see.
    #[serde(default)]
    #[param(inline)]
    scope: Library,
}

/// Photos per month taken, newest first, over the caller's own library (or `scope`).
#[utoipa::path(get, path = "/api/v1/timeline", operation_id = "getTimeline", tag = "images",
    params(TimelineParams),
    responses((status = 200, body = Timeline)))]
pub(crate) async fn timeline(
    State(app): State<AppState>,
    caller: Caller,
    Query(p): Query<TimelineParams>,
) -> Result<Json<Timeline>, AppError> {
    Ok(Json(app.timeline(&caller.viewer, p.scope).await?))
}

/// The places (country, city) where the caller's own photos were taken, with counts, most
/// photos first. Place names from GeoNames (CC BY 4.0).
#[utoipa::path(get, path = "/api/v1/places", operation_id = "listPlaces", tag = "images",
    responses(
        (status = 200, body = Items<PlaceCount>),
        (status = 401, description = "not signed in", body = ErrorResponse),
    ))]
pub(crate) async fn places(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<Json<Items<PlaceCount>>, AppError> {
    Ok(Json(app.places(&caller.viewer).await?.into()))
}
