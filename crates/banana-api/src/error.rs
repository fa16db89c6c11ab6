//! The one error shape every endpoint answers with.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `{"error": {...}}` with the matching HTTP status.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorResponse {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, for programs: `bad_request`, `unauthorized`, `invalid_credentials`,
    /// `forbidden`, `not_found`, `method_not_allowed`, `conflict`, `duplicate`, `too_large`,
    /// `unsupported_media_type`, `empty_file`, `undecodable`, `too_many_pixels`,
    /// `rate_limited`, `unavailable`, `not_ready`, `internal`.
    pub code: String,
    /// For people.
    pub message: String,
    /// `duplicate`: the image that already has these bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// `rate_limited`, `unavailable`: seconds to wait (also in `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl ErrorResponse {
    pub fn new(code: &str, message: &str) -> Self {
        ErrorResponse {
            error: ErrorDetail {
                code: code.to_string(),
                message: message.to_string(),
                image_id: None,
                retry_after: None,
            },
        }
    }
}
