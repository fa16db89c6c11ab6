//! The JSON shapes the API returns, built from database rows. What a row stored under older
//! rules is shown under the current ones: file names are cleaned again
//! ([`crate::filename::download_filename`]) and a failure's `status_reason` is one of the
//! user-facing reasons of [`public_status_reason`], never internal detail.

use std::time::{Duration, UNIX_EPOCH};

use banana_db::images::{ImageLabel, ImageRow};
use banana_db::{metadata, Db, DbError};

use crate::access::Viewer;
use crate::analysis::metadata as meta;

pub use banana_api::{ImageStatus, ImageView, LabelView, OwnerView, Page, Urls, Visibility};

/// The stored original could not be read (storage unreachable, object missing).
pub const REASON_READ: &str = "the stored original could not be read";
/// The classifier failed.
pub const REASON_INFERENCE: &str = "the classifier failed on this image";
/// Anything else.
pub const REASON_OTHER: &str = "labeling failed; the server log has the details";

/// What users may read of why labeling an image failed. The worker records a stage prefix and
/// the error (`reading the original: <object-store error with endpoint and key>`, `decoding:
/// <decoder message>`, `inference: <runtime error>`); only the decoder's message is about the
/// user's file and is shown (shortened), the other stages become a fixed sentence and their
/// detail stays in the log and the job row. Anything unrecognised becomes [`REASON_OTHER`], so
/// new internal text can never leak by default. Idempotent.
pub fn public_status_reason(stored: &str) -> String {
    if let Some(message) = stored.strip_prefix("decoding: ") {
        let message: String = message
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        return format!("decoding: {message}");
    }
    if stored.starts_with("reading the original") {
        return REASON_READ.into();
    }
    if stored.starts_with("inference") {
        return REASON_INFERENCE.into();
    }
    match stored {
        REASON_READ | REASON_INFERENCE => stored.into(),
        _ => REASON_OTHER.into(),
    }
}

/// RFC 3339 UTC with milliseconds.
pub fn timestamp(ms: i64) -> String {
    let t = UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_millis(t).to_string()
}

/// A share link (of an image or an album); `token` and the page's `url` only when just made.
pub fn share_view(
    id: String,
    created_at: i64,
    expires_at: i64,
    token: Option<String>,
) -> banana_api::ShareView {
    banana_api::ShareView {
        id,
        created_at: timestamp(created_at),
        expires_at: timestamp(expires_at),
        url: token.as_ref().map(|t| format!("/s/{t}")),
        token,
    }
}

/// What the API shows of a stored image, with its stored labels ([`labels_of`]).
pub fn image_view(row: ImageRow, predictions: Vec<Labeled>) -> ImageView {
    let base = format!("/api/v1/images/{}", row.id);
    ImageView {
        urls: Some(Urls {
            original: format!("{base}/original"),
            thumbnail: format!("{base}/thumbnail"),
            preview: format!("{base}/preview"),
        }),
        id: row.id,
        filename: crate::filename::download_filename(&row.filename, &row.content_type),
        title: row.title,
        attribution: row.attribution,
        content_type: row.content_type,
        bytes: row.bytes,
        width: row.width,
        height: row.height,
        sha256: row.sha256,
        created_at: timestamp(row.created_at),
        status: ImageStatus::from_db(&row.status),
        status_reason: row.status_reason.as_deref().map(public_status_reason),
        visibility: Visibility::from_db(&row.visibility),
        owner: (!row.owner_id.is_empty()).then(|| OwnerView {
            id: row.owner_id.clone(),
            username: None,
        }),
        labels: predictions
            .iter()
            .filter(|l| l.attached)
            .map(|l| l.view.clone())
            .collect(),
        predictions: predictions
            .into_iter()
            .filter(|l| l.class)
            .map(|l| l.view)
            .collect(),
        taken_at: None,
        taken_at_source: None,
        camera: Default::default(),
        location: None,
        favorite: false,
        tags: Vec::new(),
        text: Vec::new(),
        faces: Vec::new(),
        face_count: 0,
        colors: Vec::new(),
        demo: false,
    }
}

/// Fill in what the photos say about themselves (date, camera; the place only for the
/// owner: a place is as personal as a GPS position, so administrators and everyone else get
/// none), their tags, and whether the viewer marked them as favourites.
pub async fn add_details<'a>(
    db: &Db,
    viewer: &Viewer,
    views: impl IntoIterator<Item = &'a mut ImageView>,
) -> Result<(), DbError> {
    let views: Vec<&mut ImageView> = views.into_iter().collect();
    let ids: Vec<String> = views.iter().map(|v| v.id.clone()).collect();
    let rows = metadata::for_images(db, &ids).await?;
    let favorites = match viewer {
        Viewer::User { id, .. } => banana_db::albums::favorites_among(db, id, &ids).await?,
        _ => Vec::new(),
    };
    let tags = banana_db::tags::among(db, &ids).await?;
    let found = banana_db::findings::among(db.pool(), &ids).await?;
    for view in views {
        let owner = view.owner.as_ref().map(|o| o.id.clone());
        let sees_faces = matches!(viewer, Viewer::User { id, .. } if Some(id) == owner.as_ref());
        let id = view.id.clone();
        for f in found.iter().filter(|f| f.image_id == id) {
            crate::analysis::findings::fill_view(view, f, sees_faces);
        }
        view.favorite = favorites.contains(&view.id);
        view.tags = tags
            .iter()
            .filter(|(i, _)| *i == view.id)
            .map(|(_, t)| t.clone())
            .collect();
        // A person's tags come first among the labels.
        let user: Vec<LabelView> = view
            .tags
            .iter()
            .map(|t| LabelView {
                id: format!("tag:{t}"),
                name: t.clone(),
                wnid: String::new(),
                score: 1.0,
                source: banana_api::LabelSource::User,
            })
            .collect();
        view.labels.splice(0..0, user);
        let Some(m) = rows.iter().find(|m| m.image_id == view.id) else {
            continue;
        };
        view.taken_at = Some(meta::taken_at_text(m));
        view.taken_at_source = banana_api::TakenSource::from_db(&m.taken_source);
        view.camera = meta::camera_view(m);
        if viewer.sees_places_of(owner.as_deref()) {
            view.location = meta::location_view(m);
        }
    }
    Ok(())
}

/// One image's stored labels (from rows of several images), each with whether it is
/// attached: its top-5 classes, and a category when one was shown instead.
pub fn labels_of(all: &[ImageLabel], image_id: &str) -> Vec<Labeled> {
    all.iter()
        .filter(|l| l.image_id == image_id)
        .map(|l| {
            let class = banana_vision::class_by_wnid(&l.label_id).is_some();
            let view = LabelView {
                id: l.label_id.clone(),
                name: l.name.clone(),
                wnid: if class {
                    l.label_id.clone()
                } else {
                    String::new()
                },
                score: l.score,
                source: banana_api::LabelSource::Model,
            };
            Labeled {
                view,
                attached: l.attached == 1,
                class,
            }
        })
        .collect()
}

/// A stored label of an image.
#[derive(Debug, Clone)]
pub struct Labeled {
    pub view: LabelView,
    /// Shown as a label.
    pub attached: bool,
    /// One of the classifier's classes (among its top-5), not a category.
    pub class: bool,
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(super::timestamp(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            super::timestamp(1_795_000_000_123),
            "2026-11-18T11:06:40.123Z"
        );
    }
}
