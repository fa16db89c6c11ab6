//! `/api/v1/search` (natural-language search) and `/api/v1/images/{id}/similar` ("more like
//! this"). Each handler turns its parameters into a request of `banana_core::search` (which
//! validates it) and hands it to the search service; ranking, visibility and paging live
//! there. The viewer is the request's caller.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use banana_core::search::{SearchRequest, SimilarRequest};

use crate::auth::Caller;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(search))
        .route("/api/v1/images/{id}/similar", get(similar))
}

#[derive(Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
    limit: Option<i64>,
    cursor: Option<String>,
}

async fn search(
    State(app): State<AppState>,
    caller: Caller,
    Query(p): Query<SearchParams>,
) -> Result<Response, AppError> {
    let req = SearchRequest::new(caller.viewer, &p.q, p.limit, p.cursor.as_deref())?;
    let page = app.search.search(&app.search_context(), &req).await?;
    Ok(Json(page).into_response())
}

#[derive(Deserialize)]
struct SimilarParams {
    limit: Option<i64>,
}

async fn similar(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(p): Query<SimilarParams>,
) -> Result<Response, AppError> {
    let req = SimilarRequest::new(caller.viewer, &id, p.limit);
    let page = app.search.similar(&app.search_context(), &req).await?;
    Ok(Json(page).into_response())
}
