//! Liveness, readiness and metrics. `/metrics` shows every user's upload activity and login
//! failures, so the public router serves it only to the holder of `BANANA_METRICS_TOKEN` (404
//! without a token configured); the operations router ([`ops_router`], on
//! `BANANA_METRICS_LISTEN` / `BANANA_WORKER_LISTEN`) serves it openly unless a token is set.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use banana_api::{ErrorResponse, Health, Limits, ServerInfo};

use banana_core::metrics::MetricsPort;

use crate::error::error_response;
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

/// The process answers.
#[utoipa::path(get, path = "/healthz", operation_id = "healthz", tag = "server", security(()),
    responses((status = 200, body = Health)))]
pub(crate) async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// The process can reach its database and storage.
#[utoipa::path(get, path = "/readyz", operation_id = "readyz", tag = "server", security(()),
    responses(
        (status = 200, body = Health),
        (status = 503, description = "`not_ready`", body = ErrorResponse),
    ))]
pub(crate) async fn readyz(State(app): State<AppState>) -> Response {
    match app.ready().await {
        Ok(()) => Json(Health {
            status: "ready".into(),
        })
        .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorResponse::new("not_ready", "database or storage unreachable"),
            )
        }
    }
}

/// What the UI needs to know about this server before anything else.
#[utoipa::path(get, path = "/api/v1/info", operation_id = "getInfo", tag = "server", security(()),
    responses((status = 200, body = ServerInfo)))]
pub(crate) async fn info(State(app): State<AppState>) -> Json<ServerInfo> {
    let needs_setup = app.needs_setup().await.unwrap_or(false);
    Json(ServerInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        demo: app.config.demo,
        open_registration: app.config.open_registration,
        needs_setup,
        trash_days: app.config.trash_days,
        limits: Limits {
            max_upload_bytes: app.config.max_upload_bytes,
            max_pixels: app.config.max_pixels,
        },
        models: app.models.state(),
    })
}
