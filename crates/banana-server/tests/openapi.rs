//! The API contract (`banana_server::openapi`): the checked-in `docs/openapi.json` is what the
//! code generates, every route of the router is in the document, and every operation of the
//! document is a route that answers (not the JSON 404 of unknown `/api/` paths, not 405).

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::TestApp;

const CHECKED_IN: &str = include_str!("../../../docs/openapi.json");

#[test]
fn the_checked_in_document_is_current() {
    let generated = banana_server::openapi::document_json();
    assert!(
        generated == CHECKED_IN,
        "docs/openapi.json is stale: run `cargo run -p banana -- openapi > docs/openapi.json`, \
         then `npm run api` in web/ to regenerate the UI's types"
    );
}

/// The path literals of every `.route(` call in the server's route files.
fn routed_paths() -> Vec<String> {
    let sources = [
        include_str!("../src/routes/health.rs"),
        include_str!("../src/routes/images.rs"),
        include_str!("../src/routes/labels.rs"),
        include_str!("../src/routes/places.rs"),
        include_str!("../src/routes/albums.rs"),
        include_str!("../src/routes/library.rs"),
        include_str!("../src/routes/search.rs"),
        include_str!("../src/routes/shares.rs"),
        include_str!("../src/routes/accounts.rs"),
        include_str!("../src/openapi.rs"),
    ];
    let mut paths = Vec::new();
    for src in sources {
        for (i, _) in src.match_indices(".route(") {
            let rest = src[i + ".route(".len()..].trim_start();
            let literal = rest
                .strip_prefix('"')
                .and_then(|r| r.split('"').next())
                .expect("a .route( call starts with a path literal");
            paths.push(literal.to_string());
        }
    }
    paths.sort();
    paths.dedup();
    paths
}

fn documented() -> serde_json::Value {
    serde_json::from_str(CHECKED_IN).expect("docs/openapi.json is JSON")
}

#[test]
fn every_route_is_documented() {
    let doc = documented();
    let paths = doc["paths"].as_object().unwrap();
    let routed = routed_paths();
    assert!(routed.len() > 20, "found the routes: {routed:?}");
    // `/metrics` is for operators (Prometheus text, behind a token), not part of the API.
    let missing: Vec<_> = routed
        .iter()
        .filter(|p| *p != "/metrics" && !paths.contains_key(p.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "routes missing from the document: {missing:?}"
    );
    let extra: Vec<_> = paths.keys().filter(|p| !routed.contains(p)).collect();
    assert!(
        extra.is_empty(),
        "documented paths nobody routes: {extra:?}"
    );
}

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let app = TestApp::sqlite().await;
    let doc = documented();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let uri = path
            .replace("{id}", "0000")
            .replace("{share_id}", "0000")
            .replace("{token}", "0000")
            .replace("{variant}", "thumbnail");
        for method in item.as_object().unwrap().keys() {
            let method: Method = method.to_uppercase().parse().unwrap();
            let req = Request::builder()
                .method(method.clone())
                .uri(&uri)
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap();
            let res = app.raw(req).await;
            assert_ne!(
                res.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but not routed"
            );
            if res.status == StatusCode::NOT_FOUND {
                assert_ne!(
                    res.json()["error"]["message"],
                    "no such API endpoint",
                    "{method} {path} is documented but not routed"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 30, "checked {checked} operations");
}

#[tokio::test]
async fn the_document_is_served() {
    let app = TestApp::sqlite().await;
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.status, StatusCode::OK);
    let served = res.json();
    assert_eq!(served, documented());
    assert_eq!(served["openapi"], "3.1.0");
    assert!(served["components"]["schemas"]["ImageView"].is_object());
}
