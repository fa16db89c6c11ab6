//! Places, offline: a GPS position → the nearest populated place (city, first-level region,
//! country) from GeoNames data, with no network at run time.
//!
//! The data is the GeoNames cities table (144,563 populated places: name, region, country
//! code) that the `reverse_geocoder` package embeds; it comes by name and pinned version
//! (`=4.1.1`), verified by the SHA-256 in `Cargo.lock`, and is compiled into the binary.
//! GeoNames data is CC BY 4.0: [`CREDIT`] is shown wherever places are (UI, README).
//!
//! Invariants:
//! - A place is given only within [`MAX_DISTANCE_KM`] of the position (great-circle distance):
//!   a photo far out at sea, on an ice sheet or in an empty desert has a position and no place.
//! - The index is built once per process on first use (about 0.3 s); [`warm`] builds it ahead.
//! - Country names are short common names ("United States", "South Korea"), not ISO's formal
//!   ones; an unknown code gives the code itself.

use std::sync::OnceLock;

use reverse_geocoder::ReverseGeocoder;

/// How far the nearest populated place may be for a position to be "in" it.
pub const MAX_DISTANCE_KM: f64 = 40.0;

/// The attribution GeoNames' licence asks for.
pub const CREDIT: &str = "Place names from GeoNames (geonames.org), CC BY 4.0";

/// Mean Earth radius (IUGG), km.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The populated place nearest a position.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub city: String,
    /// First-level division (state, region, prefecture); `None` where GeoNames has none.
    pub region: Option<String>,
    pub country: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country_code: String,
    /// Great-circle distance from the position to the place, km.
    pub distance_km: f64,
}

fn index() -> &'static ReverseGeocoder {
    static INDEX: OnceLock<ReverseGeocoder> = OnceLock::new();
    INDEX.get_or_init(ReverseGeocoder::new)
}

/// Build the index now (on a thread of the caller's choosing) rather than on the first lookup.
pub fn warm() {
    index();
}

/// Whether a position is on the globe at all.
pub fn valid_position(lat: f64, lon: f64) -> bool {
    lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
}

/// The populated place within [`MAX_DISTANCE_KM`] of the position, nearest first; `None` for
/// an invalid position or one with no place near.
pub fn lookup(lat: f64, lon: f64) -> Option<Place> {
    if !valid_position(lat, lon) {
        return None;
    }
    let found = index().search((lat, lon));
    let r = found.record;
    let distance_km = haversine_km(lat, lon, r.lat, r.lon);
    if distance_km > MAX_DISTANCE_KM {
        return None;
    }
    let code = r.cc.trim().to_ascii_uppercase();
    let region = Some(r.admin1.trim().to_string()).filter(|s| !s.is_empty());
    Some(Place {
        city: r.name.trim().to_string(),
        region,
        country: country_name(&code).unwrap_or(&code).to_string(),
        country_code: code,
        distance_km,
    })
}

/// Great-circle distance between two positions, km.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

/// ISO's formal names that nobody types, by code, with the name people use.
const COMMON_NAMES: &[(&str, &str)] = &[
    ("BO", "Bolivia"),
    ("BN", "Brunei"),
    ("CD", "DR Congo"),
    ("CZ", "Czechia"),
    ("FM", "Micronesia"),
    ("GB", "United Kingdom"),
    ("IR", "Iran"),
    ("KP", "North Korea"),
    ("KR", "South Korea"),
    ("LA", "Laos"),
    ("MD", "Moldova"),
    ("PS", "Palestine"),
    ("RU", "Russia"),
    ("SY", "Syria"),
    ("TW", "Taiwan"),
    ("TZ", "Tanzania"),
    ("US", "United States"),
    ("VE", "Venezuela"),
    ("VN", "Vietnam"),
    ("XK", "Kosovo"),
];

/// The common English name of a country, from its ISO 3166-1 alpha-2 code (any case).
pub fn country_name(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_uppercase();
    if let Some((_, name)) = COMMON_NAMES.iter().find(|(c, _)| *c == code) {
        return Some(name);
    }
    isocountry::CountryCode::for_alpha2(&code)
        .ok()
        .map(|c| c.name())
}

/// The code of a country named `name` (any case; the common or the ISO name), for searches
/// and filters that say "France" rather than "FR".
pub fn country_code(name: &str) -> Option<&'static str> {
    let wanted = name.trim();
    if wanted.is_empty() {
        return None;
    }
    if let Some((code, _)) = COMMON_NAMES
        .iter()
        .find(|(_, n)| n.eq_ignore_ascii_case(wanted))
    {
        return Some(code);
    }
    isocountry::CountryCode::as_array()
        .iter()
        .find(|c| c.name().eq_ignore_ascii_case(wanted))
        .map(|c| c.alpha2())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_great_circle_km() {
        // Paris (Notre-Dame) to London (Trafalgar Square): about 344 km.
        let d = haversine_km(48.8530, 2.3499, 51.5080, -0.1281);
        assert!((d - 344.0).abs() < 3.0, "{d}");
        assert_eq!(haversine_km(10.0, 20.0, 10.0, 20.0), 0.0);
    }

    #[test]
    fn country_names_are_the_common_ones() {
        assert_eq!(country_name("us"), Some("United States"));
        assert_eq!(country_name("GB"), Some("United Kingdom"));
        assert_eq!(country_name("FR"), Some("France"));
        assert_eq!(country_name("JP"), Some("Japan"));
        assert_eq!(country_name("ZZ"), None);
        assert_eq!(country_code("france"), Some("FR"));
        assert_eq!(country_code("United States"), Some("US"));
        assert_eq!(country_code("United States of America"), Some("US"));
        assert_eq!(country_code("Atlantis"), None);
    }

    #[test]
    fn invalid_positions_have_no_place() {
        assert!(lookup(91.0, 0.0).is_none());
        assert!(lookup(0.0, 181.0).is_none());
        assert!(lookup(f64::NAN, 0.0).is_none());
    }
}
