//! The one place where domain errors become HTTP responses:
//! `{"error": {"code": "...", "message": "..."}}` with the matching status. Internal details are
//! logged (inside the request's span, which carries its id) and never sent. A store or database
//! that cannot be reached is 503 `unavailable` with Retry-After (it passes by itself); only bugs
//! and misconfiguration are 500 `internal`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use banana_api::ErrorResponse;
use banana_core::media::MediaError;
use banana_core::CoreError;

#[derive(Debug)]
pub struct AppError(pub CoreError);

impl<E: Into<CoreError>> From<E> for AppError {
    fn from(e: E) -> Self {
        AppError(e.into())
    }
}

/// A JSON error response.
pub fn error_response(status: StatusCode, body: ErrorResponse) -> Response {
    (status, Json(body)).into_response()
}

/// 429 or 503 with `retry_after` in the body and the `Retry-After` header.
fn retry_later(status: StatusCode, code: &str, message: &str, secs: u64) -> Response {
    let mut body = ErrorResponse::new(code, message);
    body.error.retry_after = Some(secs);
    let mut r = error_response(status, body);
    r.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        crate::header_value(&secs.to_string()),
    );
    r
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let e = self.0;
        let msg = e.to_string();
        let (status, code) = match &e {
            CoreError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            CoreError::Duplicate { image_id } => {
                let mut body = ErrorResponse::new("duplicate", &msg);
                body.error.image_id = Some(image_id.clone());
                return error_response(StatusCode::CONFLICT, body);
            }
            CoreError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            CoreError::QuotaExceeded { .. } => (StatusCode::INSUFFICIENT_STORAGE, "quota_exceeded"),
            CoreError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            CoreError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            CoreError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            CoreError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            CoreError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            CoreError::RateLimited { retry_after_secs } => {
                return retry_later(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    &msg,
                    u64::try_from(*retry_after_secs).unwrap_or(0),
                )
            }
            CoreError::Unavailable {
                retry_after_secs, ..
            } => {
                return retry_later(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    &msg,
                    *retry_after_secs,
                )
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
        error_response(status, ErrorResponse::new(code, &msg))
    }
}

fn internal(e: &CoreError) -> Response {
    tracing::error!(error = %e, "internal error");
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        ErrorResponse::new(
            "internal",
            "internal server error (see the server log; the x-request-id header identifies this request)",
        ),
    )
}
