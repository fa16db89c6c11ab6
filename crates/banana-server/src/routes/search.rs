//! `/api/v1/search` (natural-language search) and `/api/v1/images/{id}/similar` ("more like
//! this"). Each handler turns its parameters into a request of `banana_core::search` (which
//! validates it) and hands it to the search service; ranking, visibility and paging live
//! there. The viewer is the request's caller.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use banana_api::{ErrorResponse, Library, Mode, Page, SearchHit, SearchPage};
use serde::Deserialize;
use utoipa::IntoParams;

use banana_core::search::{SearchRequest, SimilarRequest};

use crate::auth::Caller;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(search))
        .route("/api/v1/images/{id}/similar", get(similar))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchParams {
    /// What to look for, in words ("a pet cat", "something to drink coffee from").
    #[serde(default)]
    #[param(required = true)]
    q: String,
    /// 1–100, default 20.
    limit: Option<i64>,
    /// `next_cursor` of the page before.
    cursor: Option<String>,
    /// Whose images: `mine` (default), `public`, or `all` the caller may see.
    #[serde(default)]
    #[param(inline)]
    scope: Library,
    /// `hybrid` (default: meaning and words) or `keyword` (the full-text search alone, any
    /// query word may match).
    #[serde(default)]
    #[param(inline)]
    mode: Mode,
}

/// Natural-language search over the caller's images (or `scope`), ranked by meaning, each hit
/// with what matched.
#[utoipa::path(get, path = "/api/v1/search", operation_id = "search", tag = "search", params(SearchParams),
    responses(
        (status = 200, body = SearchPage),
        (status = 400, description = "a blank query or a bad cursor", body = ErrorResponse),
    ))]
pub(crate) async fn search(
    State(app): State<AppState>,
    caller: Caller,
    Query(p): Query<SearchParams>,
) -> Result<Response, AppError> {
    let req = SearchRequest::new(caller.viewer, &p.q, p.limit, p.cursor.as_deref())?
        .with_library(p.scope)
        .with_mode(p.mode);
    let page = app.search.search(&app.search_context(), &req).await?;
    Ok(Json(page).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SimilarParams {
    /// 1–100, default 20.
    limit: Option<i64>,
}

/// "More like this": the visible images most like this one, each with the labels they share.
#[utoipa::path(get, path = "/api/v1/images/{id}/similar", operation_id = "similarImages", tag = "search",
    params(("id" = String, Path, description = "the image's id"), SimilarParams),
    responses(
        (status = 200, body = Page<SearchHit>),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn similar(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(p): Query<SimilarParams>,
) -> Result<Response, AppError> {
    let req = SimilarRequest::new(caller.viewer, &id, p.limit);
    let page = app.search.similar(&app.search_context(), &req).await?;
    Ok(Json(page).into_response())
}
