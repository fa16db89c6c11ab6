//! The HTTP layer of Banana: routes, request parsing and response shaping over the domain in
//! `banana-core`. Handlers are thin; errors become JSON in one place ([`error`]).
//!
//! Every response, of either router, carries the security headers of [`security_headers`]
//! (CSP with `frame-ancestors 'none'`, `X-Frame-Options`, `Referrer-Policy: no-referrer`,
//! `nosniff`). Request logs never carry a secret from the path: share-link tokens are replaced
//! by `{token}` ([`loggable_path`]).

pub mod auth;
pub mod error;
pub mod openapi;
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
        .merge(routes::places::router())
        .merge(routes::albums::router())
        .merge(routes::library::router())
        .merge(routes::search::router())
        .merge(routes::accounts::router())
        .merge(routes::shares::router())
        .merge(openapi::router())
        .route_layer(middleware::from_fn(remember_route))
        .fallback(routes::web::fallback)
        .with_state(state.clone())
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(state, track))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                let uri = loggable_path(req.uri().path());
                tracing::info_span!("request", method = %req.method(), uri = %uri, request_id = %id)
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

/// Only the health and metrics endpoints, for an operations port: `BANANA_METRICS_LISTEN` of
/// `banana serve`, `BANANA_WORKER_LISTEN` of `banana worker`. `/metrics` there needs no token
/// unless `BANANA_METRICS_TOKEN` is set (the port is meant to stay on a private network).
pub fn ops_router(app: Arc<App>) -> Router {
    let state = AppState(app);
    routes::health::ops_router()
        .route_layer(middleware::from_fn(remember_route))
        .with_state(state.clone())
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(state, track))
}

/// The policy for HTML (the web UI): scripts, styles, fonts and requests only from this
/// origin; images also from `blob:` (upload previews) and `data:`; no plugins, no `<base>`,
/// and no framing by anyone (clickjacking of e.g. the admin Users page).
pub const HTML_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' blob: data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// The policy for everything else (JSON, image bytes): nothing runs, nothing loads, nothing
/// frames it — an image opened on its own (or a crafted file) is an inert document.
pub const OTHER_CSP: &str = "default-src 'none'; frame-ancestors 'none'; sandbox";

/// Security headers on every response: the CSP above, `X-Frame-Options: DENY` (for browsers
/// without `frame-ancestors`), `Referrer-Policy: no-referrer` (a share-link page never sends
/// its URL, token included, to anyone) and `X-Content-Type-Options: nosniff`.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if html { HTML_CSP } else { OTHER_CSP }),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// The path as it may be logged: the segment after `/s/` (the web UI's share page) and after
/// `/api/v1/shared/` is a share link's secret and becomes `{token}`. Segments are compared
/// percent-decoded and case-insensitively (the web UI's router matches `/S/…` too).
pub fn loggable_path(path: &str) -> String {
    let mut seen: Vec<String> = Vec::new();
    let mut out: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        if segment.is_empty() {
            out.push(segment);
            continue;
        }
        let secret = matches!(
            seen.iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice(),
            ["s"] | ["api", "v1", "shared"]
        );
        out.push(if secret { "{token}" } else { segment });
        if seen.len() < 4 {
            seen.push(
                percent_encoding::percent_decode_str(segment)
                    .decode_utf8_lossy()
                    .to_ascii_lowercase(),
            );
        }
    }
    out.join("/")
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
    let mut out = error::error_response(status, banana_api::ErrorResponse::new(code, &message));
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

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn share_tokens_are_cut_from_logged_paths() {
        for (path, logged) in [
            ("/s/abc123", "/s/{token}"),
            ("/S/abc123/", "/S/{token}/"),
            ("/api/v1/shared/abc123", "/api/v1/shared/{token}"),
            (
                "/api/v1/shared/abc123/original",
                "/api/v1/shared/{token}/original",
            ),
            ("//api/v1/%73hared/abc123", "//api/v1/%73hared/{token}"),
            ("/api/v1/images/0190/shares", "/api/v1/images/0190/shares"),
            ("/api/v1/images/s/x", "/api/v1/images/s/x"),
            ("/", "/"),
            ("/s", "/s"),
        ] {
            assert_eq!(loggable_path(path), logged, "{path}");
        }
    }
}
