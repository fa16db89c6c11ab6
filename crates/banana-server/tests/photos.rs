//! When, where and with what, through the API on both backends: photos written with known
//! EXIF (dates with and without offsets, cameras, positions on four continents and one at
//! sea) and one with no metadata at all; the image JSON (place for the owner only), the
//! gallery's order and filters with cursor paging, the timeline, the places, corrections by
//! the owner, and the backfill of images stored before metadata was read.

mod common;

use banana_testkit::PhotoExif;
use common::{jpeg, Caller, TestApp};
use serde_json::{json, Value};

struct Photo {
    name: &'static str,
    exif: Option<PhotoExif>,
}

fn photos() -> Vec<Photo> {
    let mut canon = PhotoExif::taken("2008:10:22 16:29:49", Some("+02:00"))
        .camera("Canon", "Canon EOS 5D")
        .at(48.8566, 2.3522); // Hôtel de Ville (nearest-place lookup: near the Eiffel Tower, Neuilly-sur-Seine is nearer than Paris's own point)
    canon.lens = Some("EF24-105mm f/4L IS USM".into());
    canon.focal_length_mm = Some(50);
    canon.f_number_tenths = Some(28);
    canon.exposure = Some((1, 250));
    canon.iso = Some(400);
    vec![
        Photo {
            name: "fr.jpg",
            exif: Some(canon),
        },
        Photo {
            name: "jp.jpg",
            exif: Some(
                PhotoExif::taken("2019:07:04 09:00:00", Some("+09:00"))
                    .camera("Apple", "iPhone 13 Pro")
                    .at(35.6595, 139.7005), // Shibuya
            ),
        },
        Photo {
            name: "au.jpg",
            exif: Some(
                PhotoExif::taken("2021:07:15 12:00:00", None)
                    .camera("NIKON CORPORATION", "NIKON D750")
                    .at(-33.8568, 151.2153), // Opera House
            ),
        },
        Photo {
            name: "sea.jpg",
            exif: Some(PhotoExif::taken("2008:10:02 08:00:00", Some("-03:00")).at(30.0, -40.0)),
        },
        Photo {
            name: "plain.jpg",
            exif: None,
        },
    ]
}

async fn upload_all(t: &TestApp, owner: &Caller) -> Vec<Value> {
    let mut out = Vec::new();
    for (n, p) in photos().into_iter().enumerate() {
        let base = jpeg(40 + n as u8, 64, 48);
        let bytes = match &p.exif {
            Some(e) => e.into_jpeg(&base),
            None => base,
        };
        let res = t.client(owner).upload(p.name, &bytes, &[]).await;
        assert_eq!(
            res.status,
            201,
            "{}: {}",
            p.name,
            String::from_utf8_lossy(&res.body)
        );
        out.push(res.json());
    }
    out
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["filename"].as_str().unwrap().to_string())
        .collect()
}

async fn names(t: &TestApp, who: &Caller, query: &str) -> Vec<String> {
    let res = t.client(who).get(&format!("/api/v1/images{query}")).await;
    assert_eq!(
        res.status,
        200,
        "{query}: {}",
        String::from_utf8_lossy(&res.body)
    );
    ids(&res.json())
}

async fn what_photos_say(t: TestApp) {
    let owner = t.owner_caller();
    let up = upload_all(&t, &owner).await;
    let paris = &up[0];
    // Read at upload: the response already has it.
    assert_eq!(paris["taken_at"], "2008-10-22T16:29:49+02:00");
    assert_eq!(paris["taken_at_source"], "exif");
    assert_eq!(
        paris["camera"],
        json!({"make": "Canon", "model": "Canon EOS 5D", "lens": "EF24-105mm f/4L IS USM",
               "focal_length_mm": 50.0, "f_number": 2.8, "exposure_time_s": 0.004, "iso": 400})
    );
    let loc = &paris["location"];
    assert_eq!(loc["country_code"], "FR");
    assert_eq!(loc["country"], "France");
    assert_eq!(loc["city"], "Paris");
    assert!((loc["lat"].as_f64().unwrap() - 48.8566).abs() < 1e-4);
    assert_eq!(up[1]["location"]["country_code"], "JP");
    assert_eq!(up[1]["taken_at"], "2019-07-04T09:00:00+09:00");
    // No offset in the file: the wall clock, marked UTC.
    assert_eq!(up[2]["taken_at"], "2021-07-15T12:00:00Z");
    assert_eq!(up[2]["location"]["country_code"], "AU");
    // A position far out at sea: the position, no place.
    let sea = &up[3]["location"];
    assert_eq!(sea["lat"], 30.0);
    assert!(
        sea["city"].is_null() && sea["country_code"].is_null(),
        "{sea}"
    );
    // Nothing in the file: the upload time.
    let plain = &up[4];
    assert_eq!(plain["taken_at_source"], "upload");
    assert!(plain["location"].is_null());
    assert!(plain["camera"]["make"].is_null());
    assert_eq!(
        plain["taken_at"].as_str().unwrap()[..16],
        plain["created_at"].as_str().unwrap()[..16]
    );

    // Others see the date and camera of a public photo, never its place.
    let root = t.bootstrap_admin("root").await;
    let admin = root.caller();
    let other = t.create_user(&root, "other", false).await.caller();
    t.make_public(&owner, paris["id"].as_str().unwrap()).await;
    for (who, caller) in [
        ("other", &other),
        ("admin", &admin),
        ("anonymous", &Caller::Anonymous),
    ] {
        let res = t
            .client(caller)
            .get(&format!("/api/v1/images/{}", paris["id"].as_str().unwrap()))
            .await;
        assert_eq!(res.status, 200, "{who}");
        let v = res.json();
        assert!(v["location"].is_null(), "{who} sees the place: {v}");
        assert_eq!(v["taken_at"], "2008-10-22T16:29:49+02:00", "{who}");
        assert_eq!(v["camera"]["model"], "Canon EOS 5D", "{who}");
        // Nor can they find it by place.
        let found = names(&t, caller, "?scope=all&country=FR").await;
        assert!(found.is_empty(), "{who} found {found:?} by place");
    }
    let public = names(&t, &other, "?scope=public&camera=canon").await;
    assert_eq!(public, ["fr.jpg"]);
    let res = t.client(&other).get("/api/v1/places").await;
    assert!(res.json()["items"].as_array().unwrap().is_empty());
    // Search knows when, where and with what; place names only for the owner's own photos.
    for (who, caller, query, expected, matched) in [
        (
            "owner",
            &owner,
            "photos from 2008",
            vec!["fr.jpg", "sea.jpg"],
            "taken 2008",
        ),
        (
            "owner",
            &owner,
            "October 2008",
            vec!["fr.jpg", "sea.jpg"],
            "taken October 2008",
        ),
        ("owner", &owner, "in Paris", vec!["fr.jpg"], "place: Paris"),
        (
            "owner",
            &owner,
            "photos in Japan",
            vec!["jp.jpg"],
            "place: Japan",
        ),
        (
            "owner",
            &owner,
            "taken with a Canon",
            vec!["fr.jpg"],
            "camera: Canon",
        ),
        ("owner", &owner, "iPhone", vec!["jp.jpg"], "camera: iPhone"),
        ("owner", &owner, "Paris 2019", vec![], ""),
        ("other", &other, "in Paris", vec![], ""),
        ("other", &other, "France", vec![], ""),
        (
            "other",
            &other,
            "canon 2008",
            vec!["fr.jpg"],
            "camera: Canon",
        ),
    ] {
        let res = t
            .client(caller)
            .get(&format!(
                "/api/v1/search?scope=all&q={}",
                query.replace(' ', "%20")
            ))
            .await;
        assert_eq!(
            res.status,
            200,
            "{who} {query}: {}",
            String::from_utf8_lossy(&res.body)
        );
        let page = res.json();
        let got: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["image"]["filename"].as_str().unwrap())
            .collect();
        assert_eq!(got, expected, "{who} searched {query:?}: {page}");
        for h in page["items"].as_array().unwrap() {
            let m: Vec<&str> = h["matched"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert!(m.contains(&matched), "{who} {query}: matched {m:?}");
            if who != "owner" {
                assert!(h["image"]["location"].is_null());
            }
        }
    }

    // Order: by date taken (the undated one by its upload time, today), newest first.
    let all = names(&t, &owner, "").await;
    assert_eq!(all, ["plain.jpg", "au.jpg", "jp.jpg", "fr.jpg", "sea.jpg"]);
    let by_upload = names(&t, &owner, "?sort=uploaded").await;
    assert_eq!(
        by_upload,
        ["plain.jpg", "sea.jpg", "au.jpg", "jp.jpg", "fr.jpg"]
    );
    // Paging by date taken: two at a time, nothing lost or repeated.
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = match &cursor {
            Some(c) => format!("/api/v1/images?limit=2&cursor={c}"),
            None => "/api/v1/images?limit=2".into(),
        };
        let page = t.client(&owner).get(&q).await.json();
        paged.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(paged, all);

    // Filters, alone and combined.
    let q = |s: &str| s.to_string();
    for (query, expected) in [
        (
            q("?taken_from=2008-01-01&taken_to=2008-12-31"),
            vec!["fr.jpg", "sea.jpg"],
        ),
        (
            q("?taken_from=2008-10-22&taken_to=2008-10-22"),
            vec!["fr.jpg"],
        ),
        (
            q("?taken_from=2019-07-04"),
            vec!["plain.jpg", "au.jpg", "jp.jpg"],
        ),
        (q("?country=jp"), vec!["jp.jpg"]),
        (q("?city=paris"), vec!["fr.jpg"]),
        (q("?camera=nikon"), vec!["au.jpg"]),
        (q("?camera=iphone"), vec!["jp.jpg"]),
        (q("?camera=canon&taken_to=2007-12-31"), vec![]),
        (q("?country=FR&sort=uploaded"), vec!["fr.jpg"]),
    ] {
        let got = names(&t, &owner, &query).await;
        assert_eq!(got, expected, "{query}");
    }
    let bad = t
        .client(&owner)
        .get("/api/v1/images?taken_from=22-10-2008")
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("YYYY-MM-DD"));

    // The timeline: months newest first.
    let tl = t.client(&owner).get("/api/v1/timeline").await.json();
    let buckets = tl["buckets"].as_array().unwrap();
    let months: Vec<(&str, i64)> = buckets
        .iter()
        .map(|b| (b["month"].as_str().unwrap(), b["count"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        &months[1..],
        [("2021-07", 1), ("2019-07", 1), ("2008-10", 2)]
    );
    assert_eq!(months[0].1, 1);
    // Another user's timeline is their own.
    let theirs = t.client(&other).get("/api/v1/timeline").await.json();
    assert!(theirs["buckets"].as_array().unwrap().is_empty());

    // Places: the owner's, one row per city.
    let places = t.client(&owner).get("/api/v1/places").await.json();
    let mut rows: Vec<(String, String)> = places["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["country"].as_str().unwrap().to_string(),
                p["city"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    rows.sort();
    assert_eq!(rows.len(), 3, "{places}");
    assert_eq!(rows[1], ("France".to_string(), "Paris".to_string()));
    assert!(rows.iter().any(|(c, _)| c == "Japan"));
    assert!(rows.iter().any(|(c, _)| c == "Australia"));
    assert_eq!(t.anonymous().get("/api/v1/places").await.status, 401);
}

async fn owners_correct_dates_and_places(t: TestApp) {
    let owner = t.owner_caller();
    let up = upload_all(&t, &owner).await;
    let plain = up[4]["id"].as_str().unwrap().to_string();
    let paris = up[0]["id"].as_str().unwrap().to_string();
    let url = |id: &str| format!("/api/v1/images/{id}");

    let res = t
        .client(&owner)
        .patch(
            &url(&plain),
            &json!({"taken_at": "1999-12-31T23:59:00+01:00", "location": {"lat": 41.9028, "lon": 12.4964}}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    let v = res.json();
    assert_eq!(v["taken_at"], "1999-12-31T23:59:00+01:00");
    assert_eq!(v["taken_at_source"], "manual");
    assert_eq!(v["location"]["city"], "Rome");
    assert_eq!(v["location"]["country_code"], "IT");
    // The corrected photo is now the oldest, and found by its new place.
    let all = names(&t, &owner, "").await;
    assert_eq!(all.last().unwrap(), "plain.jpg");
    assert_eq!(names(&t, &owner, "?country=IT").await, ["plain.jpg"]);

    // Bad values change nothing.
    for body in [
        json!({"taken_at": "yesterday"}),
        json!({"taken_at": "2019-13-01T00:00:00Z"}),
        json!({"location": {"lat": 123.0, "lon": 0.0}}),
        json!({"taken_at": "2001-01-01T00:00:00Z", "location": {"lat": 0.0, "lon": 500.0}}),
    ] {
        let res = t.client(&owner).patch(&url(&plain), &body).await;
        assert_eq!(res.status, 400, "{body}");
    }
    let v = t.client(&owner).get(&url(&plain)).await.json();
    assert_eq!(v["taken_at"], "1999-12-31T23:59:00+01:00");

    // Withdrawing the corrections: the date goes back to what the file says (here: nothing,
    // so the upload time); `null` location removes the position.
    let v = t
        .client(&owner)
        .patch(&url(&plain), &json!({"taken_at": null, "location": null}))
        .await
        .json();
    assert_eq!(v["taken_at_source"], "upload");
    assert!(v["location"].is_null());
    // A wall clock without an offset is accepted as such.
    let v = t
        .client(&owner)
        .patch(&url(&paris), &json!({"taken_at": "2008-10-23T10:00:00"}))
        .await
        .json();
    assert_eq!(v["taken_at"], "2008-10-23T10:00:00Z");
    assert_eq!(v["location"]["city"], "Paris", "the place was not touched");

    // Only the owner corrects: an administrator may not move someone's photo.
    let admin = t.bootstrap_admin("root").await.caller();
    let res = t
        .client(&admin)
        .patch(&url(&paris), &json!({"location": {"lat": 0.1, "lon": 0.1}}))
        .await;
    assert_eq!(res.status, 403);
}

/// Images stored before dates and places were read (no `image_metadata` row, no
/// `metadata` analysis record) get them from the backfill, from their stored originals.
async fn images_stored_before_get_dates_and_places_by_backfill(t: TestApp) {
    let t = t.with_models().await;
    let owner = t.owner_caller();
    upload_all(&t, &owner).await;
    t.app.drain_jobs().await.unwrap();
    // As before this change.
    common::sqlx_exec(&t.app.db, "DELETE FROM image_metadata").await;
    common::sqlx_exec(
        &t.app.db,
        "DELETE FROM image_analyses WHERE analyzer = 'metadata'",
    )
    .await;
    let v = names(&t, &owner, "?country=FR").await;
    assert!(v.is_empty());
    let page = t.client(&owner).get("/api/v1/images").await.json();
    assert!(page["items"][0]["taken_at"].is_null());

    let metadata = banana_core::analysis::by_name("metadata").unwrap();
    let backfill = t.app.reanalyze(&[metadata]).await.unwrap();
    assert_eq!(backfill.enqueued, 5);
    t.app.drain_jobs().await.unwrap();
    assert_eq!(names(&t, &owner, "?country=FR").await, ["fr.jpg"]);
    let all = names(&t, &owner, "").await;
    assert_eq!(all[1..], ["au.jpg", "jp.jpg", "fr.jpg", "sea.jpg"]);
    // Labels were not touched, and a second backfill finds nothing to do.
    assert_eq!(
        common::sqlx_scalar(
            &t.app.db,
            "SELECT COUNT(*) FROM images WHERE status = 'ready'"
        )
        .await,
        5
    );
    assert_eq!(t.app.reanalyze(&[metadata]).await.unwrap().enqueued, 0);
}

/// Phone photos: every HEIC/HEIF sample is accepted, shown upright, dated and placed from its
/// own EXIF, and served to anyone but its owner as a JPEG without metadata.
async fn phone_photos_in_heic(t: TestApp) {
    let owner = t.owner_caller();
    let root = t.bootstrap_admin("root").await;
    let other = t.create_user(&root, "other", false).await.caller();
    // name, displayed size, date taken, camera model, country.
    let files = [
        (
            "heic/IMG_5195.HEIC",
            None,
            Some("2021-04-11T15:47:53-05:00"),
            Some("iPhone 11 Pro Max"),
            Some("US"),
        ),
        (
            "heic/mobile/iphone_13_pro_max.HEIC",
            Some((3024, 4032)),
            Some("2022-02-16T12:55:41+01:00"),
            Some("iPhone 13 Pro Max"),
            None,
        ),
        (
            "heic/mobile/HMD_Nokia_8.3_5G.heif",
            None,
            None,
            None,
            Some("ES"),
        ),
        (
            "heic/mobile/HMD_Nokia_8.3_5G_hdr.heif",
            None,
            None,
            None,
            Some("ES"),
        ),
        ("heic/samplefilehub.heif", None, None, None, None),
    ];
    for (rel, size, taken, model, country) in files {
        let Some(bytes) = common::sample(&format!("exif-samples/{rel}")) else {
            return;
        };
        let name = rel.rsplit('/').next().unwrap();
        let res = t
            .client(&owner)
            .upload(name, &bytes, &[("visibility", "public")])
            .await;
        assert_eq!(
            res.status,
            201,
            "{rel}: {}",
            String::from_utf8_lossy(&res.body)
        );
        let v = res.json();
        assert_eq!(v["content_type"], "image/heic", "{rel}");
        if let Some((w, h)) = size {
            assert_eq!(
                (v["width"].as_i64(), v["height"].as_i64()),
                (Some(w), Some(h)),
                "{rel}"
            );
        }
        match taken {
            Some(at) => {
                assert_eq!(v["taken_at"], at, "{rel}");
                assert_eq!(v["taken_at_source"], "exif", "{rel}");
            }
            None => assert_eq!(v["taken_at_source"], "upload", "{rel}"),
        }
        assert_eq!(v["camera"]["model"].as_str(), model, "{rel}");
        assert_eq!(v["location"]["country_code"].as_str(), country, "{rel}");
        let id = v["id"].as_str().unwrap();
        for variant in ["thumbnail", "preview"] {
            let res = t
                .client(&owner)
                .get(&format!("/api/v1/images/{id}/{variant}"))
                .await;
            assert_eq!(res.status, 200, "{rel} {variant}");
            assert_eq!(&res.body[..2], b"\xff\xd8", "{rel} {variant} is a JPEG");
        }
        // Someone else gets a JPEG copy without EXIF, and no place in the JSON.
        let v = t
            .client(&other)
            .get(&format!("/api/v1/images/{id}"))
            .await
            .json();
        assert!(v["location"].is_null(), "{rel}");
        let res = t
            .client(&other)
            .get(&format!("/api/v1/images/{id}/original"))
            .await;
        let body = match res.status.as_u16() {
            200 => res.body.to_vec(),
            302 => reqwest::get(res.headers["location"].to_str().unwrap())
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
                .to_vec(),
            s => panic!("{rel}: original {s}"),
        };
        assert_eq!(&body[..2], b"\xff\xd8", "{rel}: the copy is a JPEG");
        let meta = banana_core::media::metadata::read_metadata(&body);
        assert!(
            meta.taken.is_none() && meta.gps.is_none() && meta.camera.model.is_none(),
            "{rel}: {meta:?}"
        );
    }
}

/// The camera files with GPS: each gets the place an independent lookup (the Python
/// `reverse_geocoder` package, `banana-places/tests/data/places-reference.json`) finds for its
/// coordinates: the same country and region.
async fn camera_files_with_gps_get_their_places(t: TestApp) {
    let reference: Value = serde_json::from_str(include_str!(
        "../../banana-places/tests/data/places-reference.json"
    ))
    .unwrap();
    let owner = t.owner_caller();
    let mut seen = 0;
    for p in reference["places"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        let Some(rel) = name.strip_prefix("jpg/gps/") else {
            continue;
        };
        let Some(bytes) = common::sample(&format!("exif-samples/jpg/gps/{rel}")) else {
            return;
        };
        let res = t.client(&owner).upload(rel, &bytes, &[]).await;
        assert_eq!(
            res.status,
            201,
            "{rel}: {}",
            String::from_utf8_lossy(&res.body)
        );
        let v = res.json();
        let loc = &v["location"];
        assert!(
            (loc["lat"].as_f64().unwrap() - p["lat"].as_f64().unwrap()).abs() < 1e-5,
            "{rel}: {loc}"
        );
        assert!(
            (loc["lon"].as_f64().unwrap() - p["lon"].as_f64().unwrap()).abs() < 1e-5,
            "{rel}: {loc}"
        );
        assert_eq!(loc["country_code"], p["cc"], "{rel}: {loc} vs {p}");
        assert_eq!(loc["region"], p["admin1"], "{rel}: {loc} vs {p}");
        assert_eq!(v["taken_at_source"], "exif", "{rel}");
        seen += 1;
    }
    assert!(seen >= 5, "{seen} GPS files");
    let places = t.client(&owner).get("/api/v1/places").await.json();
    let total: i64 = places["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["count"].as_i64().unwrap())
        .sum();
    assert_eq!(total, seen);
}

both_backends!(
    camera_files_with_gps_get_their_places,
    phone_photos_in_heic,
    what_photos_say,
    owners_correct_dates_and_places,
    images_stored_before_get_dates_and_places_by_backfill,
);
