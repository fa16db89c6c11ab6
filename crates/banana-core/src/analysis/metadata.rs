//! The `metadata` analyzer: what a photo says about itself (date taken with its offset and
//! source, camera and settings, GPS position) and the place that position is in (GeoNames,
//! offline, `banana-places`).
//!
//! It needs no model and only the original's bytes, so uploads and the import pipeline run it
//! where the bytes already are ([`read`], at prepare time) and store its result with the row;
//! the `label` job then skips it (its record is current) and never re-reads an original for
//! it. Images stored before it existed get it from the backfill (`reanalyze` jobs).
//!
//! Fallbacks for the date, in order: the file's own (EXIF, then XMP), the file's modification
//! time when the client sent one (the import CLI does), the upload time.

use std::sync::Arc;

use banana_api::{CameraView, LocationView, TakenSource};
use banana_db::metadata::MetadataRow;
use banana_media::metadata::{read_metadata, PhotoMetadata, TakenAt};
use banana_vision::ModelId;

use super::{AnalysisResult, Analyzer, Finding, Model, Prepared, Source};
use crate::App;

pub const NAME: &str = "metadata";
/// Version 1: EXIF/XMP date, camera, GPS; places within 40 km (GeoNames via `banana-places`).
pub const VERSION: i64 = 1;

/// What the analyzer found in one image.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub read: PhotoMetadata,
    pub place: Option<banana_places::Place>,
    /// The file's modification time (ms) the client reported, if any.
    pub file_modified_ms: Option<i64>,
}

/// Read one original's metadata and look up its place. Blocking CPU work (microseconds; the
/// first place lookup in a process builds the index).
pub fn read(bytes: &[u8], file_modified_ms: Option<i64>) -> Found {
    let read = read_metadata(bytes);
    let place = read.gps.and_then(|p| banana_places::lookup(p.lat, p.lon));
    Found {
        read,
        place,
        file_modified_ms,
    }
}

/// The result to store for `found`.
pub fn result(found: Found) -> AnalysisResult {
    AnalysisResult {
        analyzer: NAME,
        version: VERSION,
        findings: vec![Finding::Metadata(Box::new(found))],
    }
}

/// `YYYY-MM-DDTHH:MM:SS` of a UTC instant.
pub fn utc_local(ms: i64) -> String {
    let t = crate::view::timestamp(ms);
    t[..19].to_string()
}

/// The row to store for what was found in image `image_id`, uploaded at `created_at`.
pub fn row(image_id: &str, created_at: i64, f: &Found) -> MetadataRow {
    let (taken_at_ms, taken_local, offset, source) = match (&f.read.taken, f.file_modified_ms) {
        (Some(t), _) => (
            t.epoch_ms(),
            local_text(t),
            t.offset_minutes.map(i64::from),
            match t.source {
                banana_media::metadata::TakenSource::Exif => TakenSource::Exif,
                banana_media::metadata::TakenSource::Xmp => TakenSource::Xmp,
            },
        ),
        (None, Some(ms)) => (ms, utc_local(ms), Some(0), TakenSource::File),
        (None, None) => (
            created_at,
            utc_local(created_at),
            Some(0),
            TakenSource::Upload,
        ),
    };
    let c = &f.read.camera;
    MetadataRow {
        image_id: image_id.to_string(),
        taken_at_ms,
        taken_local,
        taken_offset_min: offset,
        taken_source: source.as_str().to_string(),
        taken_manual: 0,
        camera_make: c.make.clone(),
        camera_model: c.model.clone(),
        lens: c.lens.clone(),
        focal_length_mm: c.focal_length_mm,
        f_number: c.f_number,
        exposure_time_s: c.exposure_time_s,
        iso: c.iso.map(i64::from),
        lat: f.read.gps.map(|g| g.lat),
        lon: f.read.gps.map(|g| g.lon),
        city: f.place.as_ref().map(|p| p.city.clone()),
        region: f.place.as_ref().and_then(|p| p.region.clone()),
        country_code: f.place.as_ref().map(|p| p.country_code.clone()),
        location_manual: 0,
    }
}

/// `YYYY-MM-DDTHH:MM:SS` of a date taken (its wall clock).
pub fn local_text(t: &TakenAt) -> String {
    let l = t.local;
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        l.year, l.month, l.day, l.hour, l.minute, l.second
    )
}

/// `taken_at` as the API shows it: RFC 3339 with the recorded offset, `Z` without one.
pub fn taken_at_text(m: &MetadataRow) -> String {
    match m.taken_offset_min {
        Some(off) => {
            let sign = if off < 0 { '-' } else { '+' };
            let a = off.unsigned_abs();
            if off == 0 {
                format!("{}Z", m.taken_local)
            } else {
                format!("{}{sign}{:02}:{:02}", m.taken_local, a / 60, a % 60)
            }
        }
        None => format!("{}Z", m.taken_local),
    }
}

pub fn camera_view(m: &MetadataRow) -> CameraView {
    CameraView {
        make: m.camera_make.clone(),
        model: m.camera_model.clone(),
        lens: m.lens.clone(),
        focal_length_mm: m.focal_length_mm,
        f_number: m.f_number,
        exposure_time_s: m.exposure_time_s,
        iso: m.iso.and_then(|i| u32::try_from(i).ok()),
    }
}

pub fn location_view(m: &MetadataRow) -> Option<LocationView> {
    let (lat, lon) = (m.lat?, m.lon?);
    Some(LocationView {
        lat,
        lon,
        city: m.city.clone(),
        region: m.region.clone(),
        country: m
            .country_code
            .as_deref()
            .map(|c| banana_places::country_name(c).unwrap_or(c).to_string()),
        country_code: m.country_code.clone(),
    })
}

/// The analyzer (registered in [`super::all`]).
pub struct Metadata;

impl Analyzer for Metadata {
    fn name(&self) -> &'static str {
        NAME
    }

    fn version(&self) -> i64 {
        VERSION
    }

    fn model_files(&self) -> &'static [ModelId] {
        &[]
    }

    fn model(&self, _app: &App) -> Option<Model> {
        Some(Model(Arc::new(())))
    }

    fn prepare(&self, source: &Source<'_>) -> Result<Prepared, String> {
        Ok(Prepared(Box::new(read(source.bytes, None))))
    }

    fn run(&self, _model: &Model, inputs: Vec<Prepared>) -> Result<Vec<AnalysisResult>, String> {
        inputs
            .into_iter()
            .map(|p| {
                p.0.downcast::<Found>()
                    .map(|f| result(*f))
                    .map_err(|_| "metadata: wrong input".to_string())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_fall_back_to_the_file_then_the_upload() {
        let none = Found {
            read: PhotoMetadata::default(),
            place: None,
            file_modified_ms: None,
        };
        let r = row("i", 1_000_000_000_000, &none);
        assert_eq!(r.taken_source, "upload");
        assert_eq!(r.taken_local, "2001-09-09T01:46:40");
        assert_eq!(taken_at_text(&r), "2001-09-09T01:46:40Z");
        let file = Found {
            file_modified_ms: Some(1_200_000_000_000),
            ..none
        };
        let r = row("i", 1_000_000_000_000, &file);
        assert_eq!(r.taken_source, "file");
        assert_eq!(r.taken_at_ms, 1_200_000_000_000);
    }

    #[test]
    fn offsets_print_as_rfc3339() {
        let mut m = MetadataRow {
            taken_local: "2008-10-22T16:29:49".into(),
            taken_offset_min: Some(120),
            ..Default::default()
        };
        assert_eq!(taken_at_text(&m), "2008-10-22T16:29:49+02:00");
        m.taken_offset_min = Some(-330);
        assert_eq!(taken_at_text(&m), "2008-10-22T16:29:49-05:30");
        m.taken_offset_min = None;
        assert_eq!(taken_at_text(&m), "2008-10-22T16:29:49Z");
    }
}
