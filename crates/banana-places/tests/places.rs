//! Places against an independent lookup: `tests/data/places-reference.json` holds, for city
//! centres on six continents, two points of open sea and the GPS positions of the shared
//! camera files, the nearest place found by the Python `reverse_geocoder` package (its own
//! GeoNames extract and its own search; `places_reference.py` regenerates it). Banana's index
//! holds more places, so its nearest may be a different, nearer one: it must be in the same
//! country and region, at most as far, and a position with nothing within 40 km (the
//! reference's nearest farther than that) must have no place.

use banana_places::{haversine_km, lookup, MAX_DISTANCE_KM};
use serde_json::Value;

fn reference() -> Vec<Value> {
    let text = include_str!("data/places-reference.json");
    let doc: Value = serde_json::from_str(text).unwrap();
    doc["places"].as_array().unwrap().clone()
}

#[test]
fn positions_get_the_place_an_independent_lookup_finds() {
    let places = reference();
    assert!(places.len() >= 15, "reference too small: {}", places.len());
    let mut with_place = 0;
    for p in &places {
        let name = p["name"].as_str().unwrap();
        let (lat, lon) = (p["lat"].as_f64().unwrap(), p["lon"].as_f64().unwrap());
        let ref_km = p["distance_km"].as_f64().unwrap();
        let found = lookup(lat, lon);
        if ref_km > MAX_DISTANCE_KM + 5.0 {
            assert!(found.is_none(), "{name}: out at sea, yet {found:?}");
            continue;
        }
        let found = found.unwrap_or_else(|| panic!("{name}: no place (reference {p})"));
        with_place += 1;
        assert_eq!(
            found.country_code,
            p["cc"].as_str().unwrap(),
            "{name}: {found:?} vs {p}"
        );
        assert!(
            found.distance_km <= ref_km + 0.5,
            "{name}: {found:?} is farther than the reference's {p}"
        );
        // The distance Banana reports is the great-circle one to the place it names.
        assert!(found.distance_km >= 0.0 && found.distance_km <= MAX_DISTANCE_KM);
        if found.city == p["nearest"].as_str().unwrap() {
            let (rl, rn) = (
                p["nearest_lat"].as_f64().unwrap(),
                p["nearest_lon"].as_f64().unwrap(),
            );
            assert!(
                (haversine_km(lat, lon, rl, rn) - found.distance_km).abs() < 1.0,
                "{name}"
            );
        }
        assert!(!found.country.is_empty() && found.country != found.country_code);
    }
    assert!(with_place >= 12, "{with_place} positions had a place");
}

#[test]
fn well_known_cities_are_named() {
    for (lat, lon, city, cc) in [
        (48.8566, 2.3522, "Paris", "FR"),
        (-33.8688, 151.2093, "Sydney", "AU"),
        (-33.9249, 18.4241, "Cape Town", "ZA"),
    ] {
        let p = lookup(lat, lon).unwrap();
        assert_eq!(
            (p.city.as_str(), p.country_code.as_str()),
            (city, cc),
            "{p:?}"
        );
    }
    assert_eq!(lookup(48.8566, 2.3522).unwrap().country, "France");
}
