//! Step 1b of a search: when, where and with what. The query's dates, places and cameras
//! ([`banana_search::when_where::parse`], against the vocabulary of the caller's own library)
//! become a [`MetaFilter`] that narrows the request's [`Filters`] before any source ranks, and
//! the rest of the query ranks as usual ("a beach in 2019" = beach-ranked images taken in
//! 2019). A query that is only filters lists its images newest first.
//!
//! Place names come from the caller's own places only, and a place filter matches only the
//! caller's own images ([`MetaFilter::place_owner`]): nobody learns where someone else's
//! photos were taken by searching for a city.

use banana_db::images::{self as q, MetaFilter};
use banana_db::{metadata, Db};
use banana_search::when_where::{
    self, CameraFilter, Date, KnownPlace, Parsed, PlaceFilter, PlaceKind, Vocabulary,
};

use crate::access::Viewer;
use crate::CoreError;
use banana_api::Library;

/// Most images a filter admits into one search (the newest first by date taken).
pub const MAX_FILTERED: i64 = 50_000;

/// The places and cameras a query may name: the caller's own places, and the cameras of the
/// library searched.
pub struct Vocab {
    places: Vec<KnownPlace>,
    cameras: Vec<String>,
}

impl Vocab {
    pub async fn of(db: &Db, viewer: &Viewer, library: Library) -> Result<Vocab, CoreError> {
        let mut places = Vec::new();
        if let Some(owner) = viewer.place_owner() {
            for p in metadata::places(db, &owner).await? {
                let country = banana_places::country_name(&p.country_code)
                    .unwrap_or(&p.country_code)
                    .to_string();
                let known = KnownPlace {
                    name: country,
                    kind: PlaceKind::Country,
                    country_code: p.country_code.clone(),
                };
                if !places.contains(&known) {
                    places.push(known);
                }
                if let Some(city) = p.city {
                    let known = KnownPlace {
                        name: city,
                        kind: PlaceKind::City,
                        country_code: p.country_code,
                    };
                    if !places.contains(&known) {
                        places.push(known);
                    }
                }
            }
        }
        let mut cameras = Vec::new();
        for (make, model) in metadata::cameras(db, &viewer.library_scope(library)).await? {
            for c in [make, model].into_iter().flatten() {
                if !cameras.contains(&c) {
                    cameras.push(c);
                }
            }
        }
        Ok(Vocab { places, cameras })
    }

    /// The query's filters and the rest of it.
    pub fn parse(&self, query: &str, today: Date) -> Parsed {
        let vocab = Vocabulary {
            places: &self.places,
            cameras: &self.cameras,
        };
        when_where::parse(query, today, &vocab)
    }
}

/// Today's date (UTC).
pub fn today() -> Date {
    let now = crate::view::timestamp(banana_db::now_ms());
    let num = |r: std::ops::Range<usize>| now[r].parse::<i64>().unwrap_or(1);
    Date::new(num(0..4) as i32, num(5..7) as u8, num(8..10) as u8)
}

fn day(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

/// The listing filter of a parsed query's filters.
pub fn meta_filter(parsed: &Parsed, viewer: &Viewer) -> MetaFilter {
    let mut m = MetaFilter {
        place_owner: viewer.place_owner(),
        ..MetaFilter::default()
    };
    if let Some(r) = &parsed.taken {
        m.taken_from = Some(day(r.from));
        m.taken_to = Some(day(r.to));
    }
    match &parsed.place {
        Some(PlaceFilter::City { name, country_code }) => {
            m.city = Some(name.clone());
            m.country = country_code.clone();
        }
        Some(PlaceFilter::Country { code, .. }) => m.country = Some(code.clone()),
        None => {}
    }
    if let Some(CameraFilter { entries, .. }) = &parsed.camera {
        m.camera_in = entries.clone();
    }
    m
}

/// The images of `scope` the filter admits, newest first by date taken.
pub async fn matching(
    db: &Db,
    scope: &q::Scope,
    meta: &MetaFilter,
) -> Result<Vec<String>, CoreError> {
    Ok(q::ids_matching(db, scope, meta, MAX_FILTERED).await?)
}
