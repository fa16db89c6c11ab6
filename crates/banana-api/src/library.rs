//! Acting on a library: the trash, bulk actions, ZIP downloads, near-duplicates, album share
//! links and the neighbours of an image in a listing.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{ErrorDetail, ImageView, Visibility};

/// An image in its owner's trash.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TrashItem {
    pub image: ImageView,
    /// RFC 3339, UTC: when it was moved to the trash.
    pub trashed_at: String,
    /// When it will be deleted for good (`null` when the server keeps the trash forever).
    #[schema(required = true)]
    pub purge_at: Option<String>,
}

/// How many images a restore took out of the trash.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Restored {
    pub restored: i64,
}

/// How many images emptying the trash deleted for good.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Purged {
    pub purged: i64,
}

/// What a bulk request does to each image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    Trash,
    Restore,
    SetVisibility,
    Favorite,
    Unfavorite,
    AddToAlbum,
    RemoveFromAlbum,
    /// Put `tag` on each image (the owner or an administrator).
    Tag,
    /// Take `tag` off each image.
    Untag,
    /// Delete for good images in the caller's trash (not_found for any other).
    Purge,
}

/// `POST /api/v1/images/bulk`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BulkRequest {
    /// 1–1000 image ids.
    pub image_ids: Vec<String>,
    pub action: BulkAction,
    /// For `set_visibility`.
    #[serde(default)]
    pub visibility: Option<Visibility>,
    /// For `add_to_album` and `remove_from_album`: one of the caller's albums.
    #[serde(default)]
    pub album_id: Option<String>,
    /// For `tag` and `untag`: 1–50 characters.
    #[serde(default)]
    pub tag: Option<String>,
}

/// What happened to one image of a bulk request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BulkResult {
    pub id: String,
    pub ok: bool,
    /// Why not, when `ok` is false (the error the single-image endpoint would answer).
    #[schema(required = true)]
    pub error: Option<ErrorDetail>,
}

/// The outcome of a bulk request, one result per id in the order given.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BulkResponse {
    pub results: Vec<BulkResult>,
    pub succeeded: i64,
    pub failed: i64,
}

/// Images that are near-identical copies of each other.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DuplicateGroup {
    /// Largest first (most pixels, then most bytes): the suggested one to keep.
    pub images: Vec<ImageView>,
    /// The weakest link (cosine similarity of feature vectors) that holds the group together.
    pub similarity: f32,
}

/// `GET /api/v1/duplicates`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Duplicates {
    pub groups: Vec<DuplicateGroup>,
    /// The cosine similarity of feature vectors at or above which images are grouped.
    pub threshold: f32,
}

/// What an album share link shows of the album.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharedAlbum {
    pub name: String,
    #[schema(required = true)]
    pub description: Option<String>,
    pub image_count: i64,
}

/// `GET /api/v1/shared/{token}` for an album's link: the album and a page of its images
/// (their `urls` under the link).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharedAlbumPage {
    pub album: SharedAlbum,
    pub images: Vec<ImageView>,
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// What a share link opens: one image, or an album.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Shared {
    Album(SharedAlbumPage),
    Image(Box<ImageView>),
}

/// The images before and after one in a listing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Neighbors {
    /// The one listed before it (newer), `null` at the start.
    #[schema(required = true)]
    pub previous: Option<ImageView>,
    /// The one listed after it (older), `null` at the end.
    #[schema(required = true)]
    pub next: Option<ImageView>,
}
