//! The HTTP layer of Banana: routes, request parsing and response shaping over the domain in
//! `banana-core`. Handlers are thin; errors become JSON in one place ([`error`]).

pub mod auth;
pub mod error;
mod routes;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use banana_core::App;
use http_body_util::BodyExt;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;

pub use error::AppError;

/// Shared application state for every handler.
#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

/// The whole HTTP application.
pub fn router(app: Arc<App>) -> Router {
    let state = AppState(app);
    let body_limit = routes::images::body_limit(&state);
    Router::new()
        .merge(routes::health::router())
        .merge(routes::images::router(body_limit))
        .merge(routes::labels::router())
        .merge(routes::search::router())
        .merge(routes::accounts::router())
        .merge(routes::shares::router())
        .route_layer(middleware::from_fn(remember_route))
        .fallback(routes::web::fallback)
        .with_state(state.clone())
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn_with_state(state, track))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), uri = %req.uri().path(), request_id = %id)
            })
            // One line per request (status, latency) in the request's span, so JSON logs carry
            // the request id.
            .on_response(
                DefaultOnResponse::new()
                    .level(tracing::Level::INFO)
                    .latency_unit(LatencyUnit::Millis),
            ),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Only the health and metrics endpoints, for `banana worker` (`BANANA_WORKER_LISTEN`).
pub fn ops_router(app: Arc<App>) -> Router {
    let state = AppState(app);
    routes::health::router()
        .route_layer(middleware::from_fn(remember_route))
        .with_state(state.clone())
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn_with_state(state, track))
}

/// The route template a request matched (`/api/v1/images/{id}`), carried on the response for
/// [`track`].
#[derive(Clone)]
struct RouteTemplate(String);

async fn remember_route(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| RouteTemplate(m.as_str().to_string()));
    let mut res = next.run(req).await;
    if let Some(route) = route {
        res.extensions_mut().insert(route);
    }
    res
}

/// Count every request by method, route template and status, and time it (to the response
/// head; bodies stream afterwards).
async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = match req.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS") => m,
        _ => "OTHER",
    }
    .to_string();
    let started = Instant::now();
    let res = next.run(req).await;
    let route = res
        .extensions()
        .get::<RouteTemplate>()
        .map_or("(unmatched)", |r| r.0.as_str());
    state
        .metrics
        .http_request(&method, route, res.status().as_u16(), started.elapsed());
    res
}

/// Responses that axum or tower produce by themselves (405, extractor rejections, 413 from
/// the body limit) come as plain text; turn them into the API's one JSON error shape.
async fn json_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = match tokio::time::timeout(Duration::from_secs(5), body.collect()).await {
        Ok(Ok(b)) => String::from_utf8_lossy(&b.to_bytes()).trim().to_string(),
        _ => String::new(),
    };
    let code = match status {
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let message = if text.is_empty() || status.is_server_error() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        text
    };
    let mut out = error::error_response(status, code, &message, None);
    for (k, v) in parts.headers.iter() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}

/// Serve until `shutdown` resolves, then finish in-flight requests.
pub async fn serve(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Serve [`ops_router`] until `shutdown` resolves.
pub async fn serve_ops(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, ops_router(app))
        .with_graceful_shutdown(shutdown)
        .await
}

pub(crate) fn header_value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

pub(crate) fn empty(status: StatusCode) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = status;
    r
}
