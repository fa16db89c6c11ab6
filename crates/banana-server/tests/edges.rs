//! Limits, odd requests, real camera files and demo mode.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{jpeg, shared_data, TestApp};

#[tokio::test]
async fn health_and_readiness() {
    let t = TestApp::sqlite().await;
    assert_eq!(t.get("/healthz").await.json()["status"], "ok");
    assert_eq!(t.get("/readyz").await.status, StatusCode::OK);
    let info = t.get("/api/v1/info").await.json();
    assert_eq!(info["demo"], false);
    t.app.db.close().await;
    let res = t.get("/readyz").await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.error_code(), "not_ready");
}

#[tokio::test]
async fn wrong_method_and_unknown_routes_are_json() {
    let t = TestApp::sqlite().await;
    let res = t
        .request(Request::put("/api/v1/images").body(Body::empty()).unwrap())
        .await;
    assert_eq!(
        (res.status, res.error_code().as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
    let res = t.get("/api/v1/nothing-here").await;
    assert_eq!(
        (res.status, res.error_code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let res = t.get("/api/v1/images/0000-not-an-id").await;
    assert_eq!(
        (res.status, res.error_code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let res = t.get("/api/v1/images?limit=many").await;
    assert_eq!(
        (res.status, res.error_code().as_str()),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
    // Client-side routes of the web UI get the app's page, not an error.
    let res = t.get("/images/some-id").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
}

#[tokio::test]
async fn oversize_bodies_get_413_and_leave_nothing() {
    let t = TestApp::sqlite_with(|c| c.max_upload_bytes = 100_000).await;
    let big = vec![0xAB; 150_000];
    // Declared too large: refused before the body is read.
    let res = t.upload("big.jpg", &big, &[]).await;
    assert_eq!(
        (res.status, res.error_code().as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
    );
    // Streamed without a length: refused once the limit is passed.
    let (ct, body) = common::multipart("big.jpg", &big, &[]);
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = body
        .chunks(8192)
        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
        .collect();
    let res = t
        .request(
            Request::post("/api/v1/images")
                .header("content-type", ct)
                .body(Body::from_stream(futures::stream::iter(chunks)))
                .unwrap(),
        )
        .await;
    assert_eq!(
        (res.status, res.error_code().as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
    );
    // Just under the limit is fine.
    let ok = t.upload("ok.jpg", &jpeg(1, 200, 100), &[]).await;
    assert_eq!(ok.status, StatusCode::CREATED);
    assert_eq!(t.count("images").await, 1);
    assert_eq!(t.objects().await.len(), 3);
}

#[tokio::test]
async fn pixel_limit_is_configurable() {
    let t = TestApp::sqlite_with(|c| c.max_pixels = 100 * 100).await;
    let res = t.upload("wide.jpg", &jpeg(1, 101, 100), &[]).await;
    assert_eq!(
        (res.status, res.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "too_many_pixels")
    );
    assert_eq!(
        t.upload("ok.jpg", &jpeg(1, 100, 100), &[]).await.status,
        StatusCode::CREATED
    );
}

/// Real camera files whose metadata broke other tools (`jpg/invalid/`: an oversized XMP packet;
/// `jpg/tests/`: odd EXIF) have intact pixels: Banana accepts them with the right size, and the
/// same files cut short are refused.
#[tokio::test]
async fn odd_camera_files_are_accepted_and_their_truncations_refused() {
    let Some(data) = shared_data() else { return };
    let t = TestApp::sqlite().await;
    let mut accepted = 0;
    for sub in ["exif-samples/jpg/invalid", "exif-samples/jpg/tests"] {
        let mut files: Vec<_> = std::fs::read_dir(data.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files.iter().filter(|f| {
            f.extension()
                .is_some_and(|e| e != "md" && !f.ends_with("README"))
        }) {
            let bytes = std::fs::read(f).unwrap();
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            let cut = t.upload(&name, &bytes[..bytes.len() * 3 / 4], &[]).await;
            assert_eq!(
                cut.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{name} cut short"
            );
            let res = t.upload(&name, &bytes, &[]).await;
            assert_eq!(
                res.status,
                StatusCode::CREATED,
                "{name}: {}",
                String::from_utf8_lossy(&res.body)
            );
            let header = banana_core::media::probe(&bytes, &Default::default()).unwrap();
            let j = res.json();
            let dims = (
                j["width"].as_u64().unwrap() as u32,
                j["height"].as_u64().unwrap() as u32,
            );
            assert!(
                dims == (header.width, header.height) || dims == (header.height, header.width),
                "{name}"
            );
            accepted += 1;
        }
    }
    assert_eq!(accepted, 19);
    assert_eq!(t.count("images").await, 19);
    assert_eq!(t.objects().await.len(), 19 * 3);
}

#[tokio::test]
async fn demo_mode_processes_but_stores_nothing() {
    let t = TestApp::sqlite_with(|c| c.demo = true).await;
    let bytes = jpeg(4, 640, 480);
    for _ in 0..2 {
        let res = t
            .upload("demo.jpg", &bytes, &[("title", "just looking")])
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let j = res.json();
        assert_eq!(j["demo"], true);
        assert_eq!(
            (j["width"].as_i64(), j["height"].as_i64()),
            (Some(640), Some(480))
        );
        assert_eq!(j["title"], "just looking");
        assert!(j["urls"].is_null());
    }
    let res = t.upload("bad.jpg", b"nope", &[]).await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(t.get("/api/v1/info").await.json()["demo"], true);
    assert_eq!(t.count("images").await, 0);
    assert_eq!(t.count("jobs").await, 0);
    assert!(t.objects().await.is_empty());
}

/// `/metrics` counts by route template (never the raw path, which would grow without bound),
/// and with BANANA_METRICS_TOKEN set only that bearer token may read it.
#[tokio::test]
async fn metrics_use_route_templates_and_can_require_a_token() {
    let app = TestApp::sqlite_with(|c| c.metrics_token = Some("scrape-secret".into())).await;
    for id in ["0190c5aa", "0190c5bb", "0190c5cc"] {
        let r = app
            .raw(
                Request::get(format!("/api/v1/images/{id}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let r = app
        .raw(Request::get("/metrics").body(Body::empty()).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .raw(
            Request::get("/metrics")
                .header("authorization", "Bearer wrong")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .raw(
            Request::get("/metrics")
                .header("authorization", "Bearer scrape-secret")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let text = String::from_utf8(r.body.to_vec()).unwrap();
    assert!(
        text.contains(
            "banana_http_requests_total{method=\"GET\",route=\"/api/v1/images/{id}\",status=\"404\"} 3\n"
        ),
        "{text}"
    );
    assert!(!text.contains("0190c5aa"), "raw paths never become labels");
    // The two refused scrapes are counted too, under their route.
    assert!(
        text.contains(
            "banana_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"401\"} 2\n"
        ),
        "{text}"
    );
}
