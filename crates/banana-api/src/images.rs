//! Images: what a listing, a detail page or an upload returns, and what a change sends.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where labeling stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImageStatus {
    /// Waiting for the classifier.
    Pending,
    Ready,
    /// Labeling failed; `status_reason` says why.
    Failed,
}

impl ImageStatus {
    /// As stored in the database (`pending`, `ready`, `failed`); anything else is `failed`, so
    /// an unknown state never reads as labeled.
    pub fn from_db(s: &str) -> Self {
        match s {
            "pending" => ImageStatus::Pending,
            "ready" => ImageStatus::Ready,
            _ => ImageStatus::Failed,
        }
    }
}

/// Who may see an image (and its metadata).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// The owner and administrators.
    Private,
    /// Everyone, without metadata that could locate or identify the owner.
    Public,
}

impl Visibility {
    /// As stored in the database; anything but `public` is private (the safe reading).
    pub fn from_db(s: &str) -> Self {
        match s {
            "public" => Visibility::Public,
            _ => Visibility::Private,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::Public => "public",
        }
    }
}

/// Which images a listing, a search or the label counts cover (`scope=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Library {
    /// The caller's own images (signed out: the public ones).
    #[default]
    Mine,
    /// Everyone's public images.
    Public,
    /// Everything the caller may see: for an administrator every account's images, for
    /// anyone else their own and everyone's public ones.
    All,
}

/// One label of an image: a classifier category and its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LabelView {
    /// The WordNet id (`n02123045`).
    pub id: String,
    pub name: String,
    /// The same WordNet id, under the old project's name.
    pub wnid: String,
    /// 0–1.
    pub score: f64,
}

/// The image's bytes: the original (or, for non-owners, its metadata-free copy), a square
/// thumbnail and a preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Urls {
    pub original: String,
    pub thumbnail: String,
    pub preview: String,
}

/// Who owns an image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OwnerView {
    pub id: String,
    /// Filled in where the listing looked it up.
    #[schema(required = true)]
    pub username: Option<String>,
}

/// An image and what is known about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImageView {
    pub id: String,
    /// The download name: cleaned, with the extension of the bytes' format.
    pub filename: String,
    #[schema(required = true)]
    pub title: Option<String>,
    #[schema(required = true)]
    pub attribution: Option<String>,
    pub content_type: String,
    pub bytes: i64,
    pub width: i64,
    pub height: i64,
    pub sha256: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub status: ImageStatus,
    /// Why labeling failed, in words meant for the user.
    #[schema(required = true)]
    pub status_reason: Option<String>,
    pub visibility: Visibility,
    /// `null` for demo uploads (nobody owns them).
    #[schema(required = true)]
    pub owner: Option<OwnerView>,
    /// Attached labels, best first.
    pub labels: Vec<LabelView>,
    /// The classifier's top-5 (attached or not), best first; empty until labeled.
    pub predictions: Vec<LabelView>,
    /// `null` where the bytes are not stored (demo mode).
    #[schema(required = true)]
    pub urls: Option<Urls>,
    /// Present (and `true`) for demo-mode uploads, which are not stored.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
}

/// Changes to an image (`PATCH /api/v1/images/{id}`): absent fields stay, `null` clears a text
/// field.
#[derive(Debug, Default, Clone, PartialEq, Deserialize, ToSchema)]
pub struct ImagePatch {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub attribution: Option<Option<String>>,
    /// `private` or `public` (anything else is a 400 naming the choices).
    #[schema(value_type = Option<Visibility>)]
    pub visibility: Option<String>,
}

/// A field that is present: `Some(None)` for `null`, `Some(Some(..))` for a value.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::<String>::deserialize(d)?))
}

/// The upload form (`multipart/form-data`).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The image (JPEG, PNG, WebP, GIF, TIFF, BMP); one per request.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    pub title: Option<String>,
    pub attribution: Option<String>,
    /// Default `private`.
    pub visibility: Option<Visibility>,
}

/// A label in use, and on how many images the caller may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LabelCount {
    pub id: String,
    pub name: String,
    pub wnid: String,
    pub count: i64,
}
