//! Albums and favourites: a user's own collections of images they may see.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::OwnerView;

/// An album (its owner's alone; other accounts never see it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AlbumView {
    pub id: String,
    pub name: String,
    #[schema(required = true)]
    pub description: Option<String>,
    /// The image chosen as cover, else the one added last; `null` for an empty album.
    #[schema(required = true)]
    pub cover_image_id: Option<String>,
    /// Images in it that its owner may still see.
    pub image_count: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    pub owner: OwnerView,
}

/// `POST /api/v1/albums`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewAlbum {
    /// 1–200 characters.
    pub name: String,
    pub description: Option<String>,
}

/// `PATCH /api/v1/albums/{id}`: absent fields stay; `null` clears the description or the
/// chosen cover.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AlbumPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::images::present")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// An image in the album.
    #[serde(default, deserialize_with = "crate::images::present")]
    #[schema(value_type = Option<String>)]
    pub cover_image_id: Option<Option<String>>,
}

/// Images to add to or remove from an album.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImageIds {
    /// 1–1000 image ids.
    pub image_ids: Vec<String>,
}

/// How many images an album change added.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Added {
    pub added: i64,
}

/// How many images an album change removed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Removed {
    pub removed: i64,
}
