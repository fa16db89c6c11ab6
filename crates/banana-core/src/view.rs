//! The JSON shapes the API returns, built from database rows.

use std::time::{Duration, UNIX_EPOCH};

use banana_db::images::{ImageLabel, ImageRow};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LabelView {
    pub id: String,
    pub name: String,
    pub wnid: String,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Urls {
    pub original: String,
    pub thumbnail: String,
    pub preview: String,
}

/// Who owns an image.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OwnerView {
    pub id: String,
    /// Filled in where the listing looked it up.
    pub username: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ImageView {
    pub id: String,
    pub filename: String,
    pub title: Option<String>,
    pub attribution: Option<String>,
    pub content_type: String,
    pub bytes: i64,
    pub width: i64,
    pub height: i64,
    pub sha256: String,
    pub created_at: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub visibility: String,
    /// `null` for demo uploads (nobody owns them).
    pub owner: Option<OwnerView>,
    /// Attached labels, best first.
    pub labels: Vec<LabelView>,
    /// The classifier's top-5 (attached or not), best first; empty until labeled.
    pub predictions: Vec<LabelView>,
    pub urls: Option<Urls>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
}

/// RFC 3339 UTC with milliseconds.
pub fn timestamp(ms: i64) -> String {
    let t = UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_millis(t).to_string()
}

impl ImageView {
    pub fn from_row(row: ImageRow, predictions: Vec<(LabelView, bool)>) -> ImageView {
        let base = format!("/api/v1/images/{}", row.id);
        ImageView {
            urls: Some(Urls {
                original: format!("{base}/original"),
                thumbnail: format!("{base}/thumbnail"),
                preview: format!("{base}/preview"),
            }),
            id: row.id,
            filename: row.filename,
            title: row.title,
            attribution: row.attribution,
            content_type: row.content_type,
            bytes: row.bytes,
            width: row.width,
            height: row.height,
            sha256: row.sha256,
            created_at: timestamp(row.created_at),
            status: row.status,
            status_reason: row.status_reason,
            visibility: row.visibility,
            owner: (!row.owner_id.is_empty()).then(|| OwnerView {
                id: row.owner_id.clone(),
                username: None,
            }),
            labels: predictions
                .iter()
                .filter(|(_, a)| *a)
                .map(|(l, _)| l.clone())
                .collect(),
            predictions: predictions.into_iter().map(|(l, _)| l).collect(),
            demo: false,
        }
    }
}

/// One image's predictions (from rows of several images), each with whether it is attached.
pub fn labels_of(all: &[ImageLabel], image_id: &str) -> Vec<(LabelView, bool)> {
    all.iter()
        .filter(|l| l.image_id == image_id)
        .map(|l| {
            let view = LabelView {
                id: l.label_id.clone(),
                name: l.name.clone(),
                wnid: l.label_id.clone(),
                score: l.score,
            };
            (view, l.attached == 1)
        })
        .collect()
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

/// A page of results and where the next one starts.
#[derive(Debug, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}
