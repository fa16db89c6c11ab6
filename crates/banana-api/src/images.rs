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

/// The order of an image listing (`sort=`), newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImageSort {
    /// By date taken; images without a known date by their upload time.
    #[default]
    Taken,
    /// By upload time.
    Uploaded,
}

/// One label of an image: an ImageNet class, a category of the label tree (`dog`, when no
/// breed is sure), or a user's tag; and its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LabelView {
    /// The WordNet id (`n02123045`), a category's id (`dog`) or `tag:<name>`.
    pub id: String,
    pub name: String,
    /// The WordNet id under the old project's name; empty for a category or a tag.
    pub wnid: String,
    /// 0–1: a class's probability, a category's summed over its classes (1 for a tag).
    pub score: f64,
    /// Who put it there: the classifier (`model`) or a person (`user`, a tag).
    #[serde(default)]
    pub source: LabelSource,
}

/// Who put a label on an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LabelSource {
    #[default]
    Model,
    User,
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
    /// The labels shown: the user's tags, then the classes the classifier is sure enough of
    /// (each class has its calibrated threshold), else the category it is sure of, else none.
    pub labels: Vec<LabelView>,
    /// The classifier's top-5 classes (shown as labels or not: its guesses), best first;
    /// empty until labeled.
    pub predictions: Vec<LabelView>,
    /// When the photo was taken: RFC 3339 with the offset the camera recorded (`Z` when the
    /// file gives none: the camera's wall clock, read as UTC); `null` while unknown (an image
    /// stored before dates were read, until its backfill).
    #[schema(required = true)]
    pub taken_at: Option<String>,
    /// Where `taken_at` came from; `null` with it.
    #[schema(required = true)]
    pub taken_at_source: Option<TakenSource>,
    /// The camera and its settings (each field `null` when the file does not say). Shown to
    /// whoever may see the image.
    pub camera: CameraView,
    /// Where the photo was taken: for the owner only (`null` for everyone else, and when the
    /// file has no position).
    #[schema(required = true)]
    pub location: Option<LocationView>,
    /// Whether the caller marked it a favourite (`false` signed out).
    pub favorite: bool,
    /// The tags its owner put on it, in the order they were added.
    pub tags: Vec<String>,
    /// Lines of text read in the photo (OCR), top to bottom; shown to whoever may see it.
    #[serde(default)]
    pub text: Vec<TextView>,
    /// Faces found in the photo: for the owner only (empty for everyone else).
    #[serde(default)]
    pub faces: Vec<FaceView>,
    /// How many faces the photo has (shown to whoever may see it; the boxes are not).
    #[serde(default)]
    pub face_count: i64,
    /// Its dominant colours, largest share first.
    #[serde(default)]
    pub colors: Vec<ColorView>,
    /// `null` where the bytes are not stored (demo mode).
    #[schema(required = true)]
    pub urls: Option<Urls>,
    /// Present (and `true`) for demo-mode uploads, which are not stored.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
}

/// A line of text read in a photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TextView {
    pub text: String,
    /// `[x, y, w, h]` as fractions of the image's width and height.
    #[serde(rename = "box")]
    pub bbox: [f64; 4],
    /// Recognition confidence, 0–1.
    pub score: f64,
}

/// A face found in a photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FaceView {
    /// `[x, y, w, h]` as fractions of the image's width and height.
    #[serde(rename = "box")]
    pub bbox: [f64; 4],
    /// Detection confidence, 0–1.
    pub score: f64,
}

/// One of a photo's dominant colours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ColorView {
    /// A plain colour name (`red`, `blue`, `white`, …).
    pub name: String,
    /// The colour itself, `#rrggbb`.
    pub hex: String,
    /// Share of the photo, 0–1.
    pub fraction: f64,
}

/// Where a photo's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TakenSource {
    /// EXIF `DateTimeOriginal` (with `OffsetTimeOriginal`), else `DateTimeDigitized`.
    Exif,
    /// The XMP packet (`exif:DateTimeOriginal`, `xmp:CreateDate`, `photoshop:DateCreated`).
    Xmp,
    /// The file's modification time (the import CLI sends it).
    File,
    /// Nothing said when: the upload time.
    Upload,
    /// Set by the owner (`PATCH`).
    Manual,
}

impl TakenSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TakenSource::Exif => "exif",
            TakenSource::Xmp => "xmp",
            TakenSource::File => "file",
            TakenSource::Upload => "upload",
            TakenSource::Manual => "manual",
        }
    }

    /// As stored in the database; `None` for anything else.
    pub fn from_db(s: &str) -> Option<Self> {
        [
            TakenSource::Exif,
            TakenSource::Xmp,
            TakenSource::File,
            TakenSource::Upload,
            TakenSource::Manual,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// The camera and its settings; every field `null` when unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CameraView {
    #[schema(required = true)]
    pub make: Option<String>,
    #[schema(required = true)]
    pub model: Option<String>,
    #[schema(required = true)]
    pub lens: Option<String>,
    #[schema(required = true)]
    pub focal_length_mm: Option<f64>,
    #[schema(required = true)]
    pub f_number: Option<f64>,
    /// Seconds (1/250 s is 0.004).
    #[schema(required = true)]
    pub exposure_time_s: Option<f64>,
    #[schema(required = true)]
    pub iso: Option<u32>,
}

/// A position and the nearest populated place (GeoNames, within 40 km; no place out at sea).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LocationView {
    pub lat: f64,
    pub lon: f64,
    #[schema(required = true)]
    pub city: Option<String>,
    /// The first-level division (state, region, prefecture).
    #[schema(required = true)]
    pub region: Option<String>,
    #[schema(required = true)]
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 (`FR`).
    #[schema(required = true)]
    pub country_code: Option<String>,
}

/// A position sent by the owner (`PATCH`): the place is looked up from it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PositionPatch {
    pub lat: f64,
    pub lon: f64,
}

/// One month of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TimelineBucket {
    /// `YYYY-MM`, in the photo's own local time.
    pub month: String,
    pub count: i64,
}

/// How many photos were taken in each month, newest first (`GET /api/v1/timeline`). Images
/// without a known date count in the month of their upload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Timeline {
    pub buckets: Vec<TimelineBucket>,
}

/// A place in the caller's library and how many of their photos were taken there
/// (`GET /api/v1/places`): one row per city (`city` null: in the country, no city near).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlaceCount {
    pub country_code: String,
    pub country: String,
    #[schema(required = true)]
    pub city: Option<String>,
    #[schema(required = true)]
    pub region: Option<String>,
    pub count: i64,
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
    /// A corrected date taken (RFC 3339 with an offset, or `YYYY-MM-DDTHH:MM:SS` for a wall
    /// clock without one); `null` goes back to what the file says.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub taken_at: Option<Option<String>>,
    /// A corrected position; `null` removes the position and its place.
    #[serde(default, deserialize_with = "present_position")]
    #[schema(value_type = Option<PositionPatch>)]
    pub location: Option<Option<PositionPatch>>,
}

fn present_position<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<PositionPatch>>, D::Error> {
    Ok(Some(Option::<PositionPatch>::deserialize(d)?))
}

/// A field that is present: `Some(None)` for `null`, `Some(Some(..))` for a value.
pub(crate) fn present<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::<String>::deserialize(d)?))
}

/// The upload form (`multipart/form-data`).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The image (JPEG, HEIC/HEIF, PNG, WebP, GIF, TIFF, BMP); one per request.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    pub title: Option<String>,
    pub attribution: Option<String>,
    /// Default `private`.
    pub visibility: Option<Visibility>,
    /// The file's modification time (RFC 3339), used as the date taken when the file itself
    /// has none (the import CLI sends it).
    pub file_modified_at: Option<String>,
}

/// A tag to put on an image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TagRequest {
    /// 1–50 characters.
    pub name: String,
}

/// A label in use, and on how many images the caller may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LabelCount {
    /// A WordNet id, or a category's id.
    pub id: String,
    pub name: String,
    /// The WordNet id; empty for a category.
    pub wnid: String,
    pub count: i64,
}

/// A category of the label tree in use (animal → dog), with the images under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LabelCategory {
    /// Its id: `?label=<id>` lists the images with it or anything below it.
    pub id: String,
    pub name: String,
    /// Images with it or anything below it (each once).
    pub count: i64,
    /// The categories below it that are in use, most used first.
    #[schema(no_recursion)]
    pub children: Vec<LabelCategory>,
    /// The classes in use whose nearest category it is, most used first.
    pub labels: Vec<LabelCount>,
}

/// `GET /api/v1/labels`: the labels in use, flat and as the category tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LabelList {
    /// Every label in use (classes and categories), most used first.
    pub items: Vec<LabelCount>,
    /// The category tree: top-level categories in use, most used first.
    pub categories: Vec<LabelCategory>,
}
