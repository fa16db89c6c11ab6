//! The single-page web UI, built by Vite into `web/dist` and embedded in the binary (debug
//! builds read the folder at run time). Unknown `/api/` paths get a JSON 404; every other
//! unknown path gets `index.html`, so client-side routes survive a reload.

use axum::body::Body;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::error::error_response;
use crate::header_value;

#[derive(rust_embed::RustEmbed)]
#[folder = "../../web/dist/"]
#[allow_missing = true]
struct Assets;

pub async fn fallback(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" {
        return error_response(
            StatusCode::NOT_FOUND,
            banana_api::ErrorResponse::new("not_found", "no such API endpoint"),
        );
    }
    if let Some(file) = Assets::get(path).filter(|_| !path.is_empty()) {
        let mime = mime_guess::from_path(path).first_or_octet_stream();
        let cache = if path.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let mut r = Response::new(Body::from(file.data.into_owned()));
        r.headers_mut()
            .insert(header::CONTENT_TYPE, header_value(mime.as_ref()));
        r.headers_mut()
            .insert(header::CACHE_CONTROL, header_value(cache));
        return r;
    }
    match Assets::get("index.html") {
        Some(index) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
            index.data.into_owned(),
        )
            .into_response(),
        None => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!doctype html><title>Banana</title><h1>Banana</h1><p>The web UI was not built into this \
             binary. Run <code>scripts/run.sh</code> (or <code>npm ci &amp;&amp; npm run build</code> in \
             <code>web/</code>, then rebuild). The API is at <code>/api/v1/</code>.</p>",
        )
            .into_response(),
    }
}
