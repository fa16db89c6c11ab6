//! `/api/v1/labels`: the labels in use, with counts.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/labels", get(list))
}

async fn list(State(app): State<AppState>, caller: Caller) -> Result<Json<Value>, AppError> {
    let items: Vec<Value> = app
        .label_counts(&caller.viewer)
        .await?
        .into_iter()
        .map(|l| json!({ "id": l.id, "name": l.name, "wnid": l.id, "count": l.count }))
        .collect();
    Ok(Json(json!({ "items": items })))
}
