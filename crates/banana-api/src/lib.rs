//! Banana's wire contract: every JSON document the HTTP API reads or writes, in one place.
//! Each type derives its OpenAPI schema ([`utoipa::ToSchema`]); `banana-server` assembles them
//! with its routes into the document served at `GET /api/v1/openapi.json` and checked in as
//! `docs/openapi.json`, from which the web UI's types (`web/src/api/schema.ts`) are generated.
//!
//! Invariant: these types hold data only (no database rows, no behaviour); the domain layer
//! (`banana-core`) builds them and the HTTP layer sends them. A field added here is in the
//! document, so the staleness checks of the test command notice a change nobody regenerated.

pub mod accounts;
pub mod albums;
pub mod error;
pub mod images;
pub mod library;
pub mod search;
pub mod server;

pub use accounts::*;
pub use albums::*;
pub use error::*;
pub use images::*;
pub use library::*;
pub use search::*;
pub use server::*;

/// A list of everything there is, in one response.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

impl<T> From<Vec<T>> for Items<T> {
    fn from(items: Vec<T>) -> Self {
        Items { items }
    }
}

/// A page of results and where the next one starts.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}
