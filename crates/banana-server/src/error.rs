//! The one place where domain errors become HTTP responses:
//! `{"error": {"code": "...", "message": "..."}}` with the matching status. Internal details are
//! logged (inside the request's span, which carries its id) and never sent. A store or database
//! that cannot be reached is 503 `unavailable` with Retry-After (it passes by itself); only bugs
//! and misconfiguration are 500 `internal`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use banana_core::media::MediaError;
use banana_core::CoreError;
use serde_json::{json, Value};

#[derive(Debug)]
pub struct AppError(pub CoreError);

impl<E: Into<CoreError>> From<E> for AppError {
    fn from(e: E) -> Self {
        AppError(e.into())
    }
}

/// A JSON error response.
pub fn error_response(
    status: StatusCode,
    code: &str,
    message: &str,
    extra: Option<(&str, Value)>,
) -> Response {
    let mut body = json!({ "code": code, "message": message });
    if let Some((k, v)) = extra {
        body[k] = v;
    }
    (status, Json(json!({ "error": body }))).into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let e = self.0;
        let msg = e.to_string();
        let (status, code) = match &e {
            CoreError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            CoreError::Duplicate { image_id } => {
                return error_response(
                    StatusCode::CONFLICT,
                    "duplicate",
                    &msg,
                    Some(("image_id", Value::String(image_id.clone()))),
                )
            }
            CoreError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            CoreError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            CoreError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            CoreError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            CoreError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            CoreError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            CoreError::RateLimited { retry_after_secs } => {
                let mut r = error_response(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    &msg,
                    Some(("retry_after", Value::from(*retry_after_secs))),
                );
                r.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    crate::header_value(&retry_after_secs.to_string()),
                );
                return r;
            }
            CoreError::Unavailable {
                retry_after_secs, ..
            } => {
                let mut r = error_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    &msg,
                    Some(("retry_after", Value::from(*retry_after_secs))),
                );
                r.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    crate::header_value(&retry_after_secs.to_string()),
                );
                return r;
            }
            CoreError::Media(m) => match m {
                MediaError::Empty => (StatusCode::UNPROCESSABLE_ENTITY, "empty_file"),
                MediaError::Unsupported(_) => {
                    (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
                }
                MediaError::TooManyPixels { .. } => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "too_many_pixels")
                }
                MediaError::Undecodable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "undecodable"),
                MediaError::Encode(_) => return internal(&e),
            },
            CoreError::Db(_) | CoreError::Storage(_) | CoreError::Internal(_) => {
                return internal(&e)
            }
        };
        error_response(status, code, &msg, None)
    }
}

fn internal(e: &CoreError) -> Response {
    tracing::error!(error = %e, "internal error");
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "internal server error (see the server log; the x-request-id header identifies this request)",
        None,
    )
}
