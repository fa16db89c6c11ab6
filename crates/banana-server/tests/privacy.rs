//! Personal metadata through the HTTP API, on both backends: every original that anyone but the
//! owner receives — signed out, through a share link, as an administrator — carries no personal
//! metadata, whatever the format and wherever in the file it was, and shows the same picture;
//! the owner gets the exact bytes uploaded. Copies made by earlier rules are never served and
//! are removed. Crafted files come from `banana-media/tests/support/crafted.rs`.

mod common;
#[path = "../../banana-media/tests/support/crafted.rs"]
mod crafted;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use banana_core::media::{self, strip, Limits};
use banana_core::storage::keys;
use common::{sample, TestApp, TestResponse};
use crafted::{contains_planted, contains_xmp_or_video};

fn get(uri: &str, token: Option<&str>) -> Request<Body> {
    let mut b = Request::get(uri);
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    b.body(Body::empty()).unwrap()
}

/// The bytes behind an original URL (following the presigned redirect on S3).
async fn original_bytes(t: &TestApp, what: &str, res: &TestResponse) -> Vec<u8> {
    match res.status {
        StatusCode::OK => res.body.to_vec(),
        StatusCode::FOUND => {
            let url = res.headers["location"].to_str().unwrap();
            let fetched = reqwest::get(url).await.unwrap();
            assert_eq!(fetched.status(), 200, "{} {what}", t.backend);
            fetched.bytes().await.unwrap().to_vec()
        }
        s => panic!(
            "{} {what}: {s} {}",
            t.backend,
            String::from_utf8_lossy(&res.body)
        ),
    }
}

fn exif_fields(bytes: &[u8]) -> Vec<exif::Tag> {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .map(|e| e.fields().map(|f| f.tag).collect())
        .unwrap_or_default()
}

fn has_gps_or_artist(bytes: &[u8]) -> bool {
    exif_fields(bytes).iter().any(|t| {
        t.context() == exif::Context::Gps
            || *t == exif::Tag::GPSInfoIFDPointer
            || *t == exif::Tag::Artist
    })
}

fn oriented(bytes: &[u8]) -> image::RgbaImage {
    media::decode(bytes, &Limits::default())
        .unwrap()
        .image
        .into_rgba8()
}

/// The crafted files, and the real TIFF sample whose Artist leaked (with that Artist).
fn files() -> Vec<(String, Vec<u8>, Option<String>)> {
    let mut files: Vec<_> = crafted::all()
        .into_iter()
        .map(|(n, b)| (n.to_string(), b, None))
        .collect();
    if let Some(tiff) = sample("exif-samples/tiff/DudleyLeavittUtah.tiff") {
        let artist = exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(&tiff))
            .unwrap()
            .get_field(exif::Tag::Artist, exif::In::PRIMARY)
            .map(|f| f.display_value().to_string().trim_matches('"').to_string())
            .expect("the sample has an Artist");
        files.push(("DudleyLeavittUtah.tiff".into(), tiff, Some(artist)));
    }
    files
}

both_backends!(
    non_owners_get_originals_without_personal_metadata,
    copies_by_older_rules_are_never_served_and_are_removed,
    concurrent_requests_build_one_copy,
    jpegs_with_thousands_of_scans_are_refused
);

async fn non_owners_get_originals_without_personal_metadata(t: TestApp) {
    let owner = t.token.clone().unwrap();
    let admin = t.user("admin", true).await;
    for (name, original, artist) in files() {
        let up = t
            .upload(&name, &original, &[("visibility", "public")])
            .await;
        assert_eq!(
            up.status,
            StatusCode::CREATED,
            "{} {name}: {:?}",
            t.backend,
            up.body
        );
        let image = up.json();
        let id = image["id"].as_str().unwrap();
        let share = t
            .request(
                Request::post(format!("/api/v1/images/{id}/shares"))
                    .header("content-type", "application/json")
                    .body(Body::from(r#"{"expires_in": 3600}"#))
                    .unwrap(),
            )
            .await;
        assert_eq!(share.status, StatusCode::CREATED, "{name}");
        let share_token = share.json()["token"].as_str().unwrap().to_string();

        // The owner: the exact bytes.
        let uri = format!("/api/v1/images/{id}/original");
        let res = t.raw(get(&uri, Some(&owner))).await;
        let owners = original_bytes(&t, &format!("{name} as owner"), &res).await;
        assert!(
            owners == original,
            "{} {name}: owner gets the original",
            t.backend
        );

        let want_format = strip::copy_format(media::sniff(&original).unwrap());
        let want_pixels = oriented(&original);
        let shared_uri = format!("/api/v1/shared/{share_token}/original");
        for (who, req) in [
            ("anonymous", get(&uri, None)),
            ("share link", get(&shared_uri, None)),
            ("admin", get(&uri, Some(&admin))),
        ] {
            let what = format!("{name} as {who}");
            let res = t.raw(req).await;
            if res.status == StatusCode::OK {
                assert_eq!(
                    res.headers["content-type"],
                    want_format.content_type(),
                    "{what}"
                );
                assert!(
                    res.headers["etag"].to_str().unwrap().ends_with("-s2\""),
                    "{what}"
                );
            }
            let copy = original_bytes(&t, &what, &res).await;
            assert!(
                !contains_planted(&copy),
                "{} {what}: planted text",
                t.backend
            );
            assert!(
                !contains_xmp_or_video(&copy),
                "{} {what}: XMP/video",
                t.backend
            );
            assert!(
                !has_gps_or_artist(&copy),
                "{} {what}: GPS/Artist",
                t.backend
            );
            if let Some(artist) = &artist {
                assert!(
                    !copy.windows(artist.len()).any(|w| w == artist.as_bytes()),
                    "{what}: the sample's Artist"
                );
            }
            // The same picture: the same oriented pixels, as the image JSON says.
            assert_eq!(media::sniff(&copy).unwrap(), want_format, "{what}");
            let got = oriented(&copy);
            assert_eq!(
                (i64::from(got.width()), i64::from(got.height())),
                (
                    image["width"].as_i64().unwrap(),
                    image["height"].as_i64().unwrap()
                ),
                "{what}"
            );
            assert!(got == want_pixels, "{} {what}: same pixels", t.backend);
        }
    }
}

async fn copies_by_older_rules_are_never_served_and_are_removed(t: TestApp) {
    // A JPEG whose only metadata is XMP: the old rules served it byte for byte, and a copy made
    // by them may sit under the unversioned key.
    let original = crafted::with_segments(&crafted::jpeg(64, 48, 21), &[crafted::app1_xmp()]);
    let image = t
        .upload("xmp.jpg", &original, &[("visibility", "public")])
        .await
        .json();
    let sha = image["sha256"].as_str().unwrap().to_string();
    let stale = keys::legacy_public_original(&sha);
    t.app
        .storage
        .put(&stale, original.clone().into(), "image/jpeg")
        .await
        .unwrap();
    // And a stale copy of content no row references any more.
    let orphan = keys::legacy_public_original(&"ab".repeat(32));
    t.app
        .storage
        .put(&orphan, original.clone().into(), "image/jpeg")
        .await
        .unwrap();

    let res = t
        .raw(get(
            &format!("/api/v1/images/{}/original", image["id"].as_str().unwrap()),
            None,
        ))
        .await;
    let copy = original_bytes(&t, "anonymous", &res).await;
    if t.app.storage.is_local() {
        // A browser holding what earlier releases sent (the copy, tag "-s"; or, for a file like
        // this one, the original itself, tag "-o") must not be told it is still current.
        let uri = format!("/api/v1/images/{}/original", image["id"].as_str().unwrap());
        for old_tag in [format!("\"{sha}-s\""), format!("\"{sha}-o\"")] {
            let res = t
                .raw(
                    Request::get(&uri)
                        .header("if-none-match", &old_tag)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            assert_eq!(res.status, StatusCode::OK, "If-None-Match: {old_tag}");
            assert_eq!(res.body.to_vec(), copy);
        }
    }
    assert!(
        !contains_planted(&copy) && !contains_xmp_or_video(&copy),
        "{}",
        t.backend
    );
    // Building the current copy removed the stale one of the same content.
    let objects = t.objects().await;
    assert!(!objects.contains(&stale), "{} {objects:?}", t.backend);
    assert!(objects.contains(&keys::public_original(&sha)));
    assert!(objects.contains(&orphan));

    // The start-up purge removes the rest, once.
    assert_eq!(t.app.purge_legacy_public_copies().await.unwrap(), 1);
    let objects = t.objects().await;
    assert!(
        !objects.iter().any(|k| keys::is_legacy_public(k)),
        "{objects:?}"
    );
    assert!(objects.contains(&keys::public_original(&sha)));
    t.app
        .storage
        .put(&orphan, original.into(), "image/jpeg")
        .await
        .unwrap();
    assert_eq!(
        t.app.purge_legacy_public_copies().await.unwrap(),
        0,
        "a completed pass is not repeated"
    );

    // Deleting the image for good (trash, then empty it) removes its copy too.
    assert_eq!(
        t.delete(&format!("/api/v1/images/{}", image["id"].as_str().unwrap()))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(t.delete("/api/v1/trash").await.status, StatusCode::OK);
    assert!(!t.objects().await.contains(&keys::public_original(&sha)));
}

async fn concurrent_requests_build_one_copy(t: TestApp) {
    let (tiff, _) = crafted::tiff_with_gps(900, 700);
    let image = t
        .upload("big.tiff", &tiff, &[("visibility", "public")])
        .await
        .json();
    let uri = format!("/api/v1/images/{}/original", image["id"].as_str().unwrap());
    let responses = futures::future::join_all((0..8).map(|_| t.raw(get(&uri, None)))).await;
    let mut copies = Vec::new();
    for res in &responses {
        copies.push(original_bytes(&t, "anonymous", res).await);
    }
    assert!(copies.windows(2).all(|w| w[0] == w[1]));
    assert!(!contains_planted(&copies[0]));
    assert_eq!(
        t.app.copy_builds.built(),
        1,
        "{}: one build for 8 requests",
        t.backend
    );
    // Later requests use the stored copy.
    t.raw(get(&uri, None)).await;
    assert_eq!(t.app.copy_builds.built(), 1);
}

async fn jpegs_with_thousands_of_scans_are_refused(t: TestApp) {
    let many = crafted::jpeg_with_scans(crafted::MOST_SCANS);
    let res = t.upload("scans.jpg", &many, &[]).await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        t.backend
    );
    assert_eq!(res.error_code(), "undecodable");
    assert!(res.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("2647 scans"));
    assert_eq!(t.objects().await, Vec::<String>::new(), "nothing stored");
    assert_eq!(t.count("images").await, 0);
    // The same progression cut at the limit, and an ordinary progressive JPEG, are accepted.
    let at_limit = crafted::jpeg_with_scans(media::MAX_JPEG_SCANS);
    assert_eq!(
        t.upload("100.jpg", &at_limit, &[]).await.status,
        StatusCode::CREATED
    );
    let normal = crafted::progressive_jpeg(&crafted::pixels(32, 32, 5));
    assert_eq!(
        t.upload("p.jpg", &normal, &[]).await.status,
        StatusCode::CREATED
    );
}
