//! What a client learns about the server itself.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where the models stand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum ModelState {
    /// Not present; `message` says how to get them.
    Missing {
        message: String,
    },
    /// Being fetched or loaded.
    Loading {
        message: String,
    },
    Ready,
    /// Fetching or loading failed; `message` says why and what to do.
    Failed {
        message: String,
    },
}

/// The upload limits.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Limits {
    pub max_upload_bytes: u64,
    pub max_pixels: u64,
}

/// What the UI needs to know about this server before anything else (`GET /api/v1/info`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServerInfo {
    pub version: String,
    /// Uploads are labeled and shown, never stored.
    pub demo: bool,
    /// Anyone may create an account.
    pub open_registration: bool,
    /// No account exists yet: the first one made becomes the administrator.
    pub needs_setup: bool,
    /// Days a deleted image stays in its owner's trash (0: deleting is for good at once).
    pub trash_days: u32,
    pub limits: Limits,
    pub models: ModelState,
}

/// `GET /healthz` and `GET /readyz`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok` (the process answers) or `ready` (database and storage answer too).
    pub status: String,
}
