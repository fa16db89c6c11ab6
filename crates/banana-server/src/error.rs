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

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = classify(&self.0);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %self.0, "internal error");
        }
        let retry_after = body.error.retry_after;
        let mut r = error_response(status, body);
        if let Some(secs) = retry_after {
            r.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                crate::header_value(&secs.to_string()),
            );
        }
        r
    }
}

/// The status and body of a domain error: the one mapping, for responses and for the
/// per-image results of bulk requests. 429 and 503 carry `retry_after` (and, as responses,
/// the `Retry-After` header); a 500 says nothing of its cause (the log does).
pub fn classify(e: &CoreError) -> (StatusCode, ErrorResponse) {
    let msg = e.to_string();
    let (status, code) = match e {
        CoreError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
        CoreError::Duplicate { image_id } => {
            let mut body = ErrorResponse::new("duplicate", &msg);
            body.error.image_id = Some(image_id.clone());
            return (StatusCode::CONFLICT, body);
        }
        CoreError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
        CoreError::QuotaExceeded { .. } => (StatusCode::INSUFFICIENT_STORAGE, "quota_exceeded"),
        CoreError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
        CoreError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
        CoreError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
        CoreError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        CoreError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
        CoreError::RateLimited { retry_after_secs } => {
            let mut body = ErrorResponse::new("rate_limited", &msg);
            body.error.retry_after = Some(u64::try_from(*retry_after_secs).unwrap_or(0));
            return (StatusCode::TOO_MANY_REQUESTS, body);
        }
        CoreError::Unavailable {
            retry_after_secs, ..
        } => {
            let mut body = ErrorResponse::new("unavailable", &msg);
            body.error.retry_after = Some(*retry_after_secs);
            return (StatusCode::SERVICE_UNAVAILABLE, body);
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
            MediaError::Encode(_) => return internal(),
        },
        CoreError::Db(_) | CoreError::Storage(_) | CoreError::Internal(_) => return internal(),
    };
    (status, ErrorResponse::new(code, &msg))
}

fn internal() -> (StatusCode, ErrorResponse) {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        ErrorResponse::new(
            "internal",
            "internal server error (see the server log; the x-request-id header identifies this request)",
        ),
    )
}
