//! Liveness, readiness and metrics. `/metrics` shows every user's upload activity and login
//! failures, so the public router serves it only to the holder of `BANANA_METRICS_TOKEN` (404
//! without a token configured); the operations router ([`ops_router`], on
//! `BANANA_METRICS_LISTEN` / `BANANA_WORKER_LISTEN`) serves it openly unless a token is set.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use banana_core::metrics::MetricsPort;

use crate::AppState;

/// The public router's part: health, server info, and `/metrics` for the token holder.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/api/v1/info", get(info))
        .route("/metrics", get(public_metrics))
}

/// The operations port: health and metrics only.
pub fn ops_router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(ops_metrics))
}

async fn public_metrics(
    State(app): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, crate::AppError> {
    metrics(app, &headers, MetricsPort::Public).await
}

async fn ops_metrics(
    State(app): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, crate::AppError> {
    metrics(app, &headers, MetricsPort::Ops).await
}

/// Prometheus text format, if [`App::metrics_access`] lets this request read it.
async fn metrics(
    app: AppState,
    headers: &axum::http::HeaderMap,
    port: MetricsPort,
) -> Result<axum::response::Response, crate::AppError> {
    use axum::http::header;
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    app.metrics_access(port, given)?;
    let body = app.render_metrics().await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response())
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn readyz(State(app): State<AppState>) -> impl IntoResponse {
    match app.ready().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ready" }))),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    json!({ "error": { "code": "not_ready", "message": "database or storage unreachable" } }),
                ),
            )
        }
    }
}

/// What the UI needs to know about this server before anything else.
async fn info(State(app): State<AppState>) -> Json<serde_json::Value> {
    let needs_setup = app.needs_setup().await.unwrap_or(false);
    Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "demo": app.config.demo,
        "open_registration": app.config.open_registration,
        "needs_setup": needs_setup,
        "limits": { "max_upload_bytes": app.config.max_upload_bytes, "max_pixels": app.config.max_pixels },
        "models": app.models.state(),
    }))
}
