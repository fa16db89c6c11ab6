//! The HTTP layer's hardening (issue 14: items 9–12 and the HTTP "also" items), each through the
//! real router:
//! - `/metrics` is not on the public router unless `BANANA_METRICS_TOKEN` is set; the
//!   operations router serves it (item 9);
//! - share-link tokens never reach the log: the log output is captured and searched (item 10);
//! - CSP with `frame-ancestors 'none'`, `X-Frame-Options`, `Referrer-Policy: no-referrer` and
//!   `nosniff` on every response, HTML and share pages included (item 11);
//! - file names lose bidi, zero-width and separator characters, and the download name's
//!   extension follows the sniffed format, also for rows stored before (item 12);
//! - multipart text fields are bounded while streaming; `status_reason` never shows internal
//!   detail; image bytes are revalidated, so an image made private again stops being served.
//!
//! Every test here installs the log capture first (see [`init_logs`]), so the capture is the
//! process's subscriber whichever test starts first.

mod common;

use std::io::Write;
use std::sync::{Mutex, Once};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use bytes::Bytes;
use common::{jpeg, Caller, TestApp, TestResponse};

// ---------------------------------------------------------------------------------------------
// Log capture: one global subscriber writing into a buffer.

static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Install the capturing subscriber (once per test binary, before any app is built: the
/// common test kit's own `try_init` then finds it in place).
fn init_logs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "info,sqlx=warn,tower_http=debug",
            ))
            .with_ansi(false)
            .with_writer(|| Capture)
            .try_init()
            .expect("the log capture is the first subscriber of this test binary");
    });
}

fn logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap()).into_owned()
}

/// Like `common::both_backends!`, with the log capture installed first.
macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_local() {
                super::init_logs();
                super::$name(crate::common::TestApp::sqlite().await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres_s3() {
                super::init_logs();
                if let Some(t) = crate::common::TestApp::postgres_s3().await {
                    super::$name(t).await;
                }
            }
        }
    )*};
}

fn anonymous_get(uri: &str) -> Request<Body> {
    Caller::Anonymous.json_request(Method::GET, uri, None)
}

fn header_str(res: &TestResponse, name: &str) -> String {
    res.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

async fn share(t: &TestApp, image_id: &str) -> String {
    t.share(&t.owner_caller(), image_id, 3600).await.token
}

// ---------------------------------------------------------------------------------------------
// Item 10: share tokens never reach the log.

both!(share_tokens_never_reach_the_log);

async fn share_tokens_never_reach_the_log(t: TestApp) {
    let image = t.upload("shared.jpg", &jpeg(41, 64, 48), &[]).await.json();
    let token = share(&t, image["id"].as_str().unwrap()).await;
    let paths = [
        format!("/api/v1/shared/{token}"),
        format!("/api/v1/shared/{token}/thumbnail"),
        format!("/api/v1/shared/{token}/nonsense"),
        format!("/s/{token}"),
        format!("/S/{token}/"),
        format!("/api/v1/%73hared/{token}"),
    ];
    let mut ids = Vec::new();
    for path in &paths {
        let res = t.anonymous().get(path).await;
        assert!(
            res.status.is_success() || res.status == StatusCode::NOT_FOUND,
            "{} {path}: {}",
            t.backend,
            res.status
        );
        ids.push(header_str(&res, "x-request-id"));
    }
    let text = logs();
    // The capture works: every one of these requests left its line (with its request id).
    for (path, id) in paths.iter().zip(&ids) {
        assert!(
            !id.is_empty() && text.contains(id.as_str()),
            "{path}: no log line"
        );
    }
    assert!(
        !text.contains(&token),
        "{}: the share token is in the log",
        t.backend
    );
    assert!(
        text.contains("/api/v1/shared/{token}") && text.contains("/s/{token}"),
        "the paths are logged, redacted"
    );
}

// ---------------------------------------------------------------------------------------------
// Item 11: security headers on every response.

fn assert_security_headers(res: &TestResponse, what: &str) {
    let csp = header_str(res, "content-security-policy");
    assert!(
        csp.contains("frame-ancestors 'none'"),
        "{what}: CSP {csp:?}"
    );
    assert_eq!(header_str(res, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header_str(res, "referrer-policy"), "no-referrer", "{what}");
    assert_eq!(
        header_str(res, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_on_every_response() {
    init_logs();
    let t = TestApp::sqlite().await;
    let image = t.upload("h.jpg", &jpeg(42, 64, 48), &[]).await.json();
    let id = image["id"].as_str().unwrap().to_string();
    let token = share(&t, &id).await;

    // HTML: the app, a client-side route, and a share page.
    for path in ["/", "/users", &format!("/s/{token}")] {
        let res = t.anonymous().get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert!(
            header_str(&res, "content-type").starts_with("text/html"),
            "{path}"
        );
        assert_security_headers(&res, path);
        let csp = header_str(&res, "content-security-policy");
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
        ] {
            assert!(
                csp.contains(directive),
                "{path}: CSP {csp:?} lacks {directive}"
            );
        }
    }
    // JSON, image bytes, errors of every origin (ours, axum's 405, the fallback's 404), health.
    let owner = t.owner_caller();
    let others = [
        (Method::GET, "/api/v1/images".to_string(), &owner),
        (
            Method::GET,
            format!("/api/v1/images/{id}/thumbnail"),
            &owner,
        ),
        (
            Method::GET,
            format!("/api/v1/shared/{token}/preview"),
            &Caller::Anonymous,
        ),
        (
            Method::GET,
            "/api/v1/images/none".into(),
            &Caller::Anonymous,
        ),
        (
            Method::GET,
            "/api/v1/nothing-here".into(),
            &Caller::Anonymous,
        ),
        (Method::PUT, "/healthz".into(), &Caller::Anonymous),
        (Method::GET, "/healthz".into(), &Caller::Anonymous),
        (Method::GET, "/metrics".into(), &Caller::Anonymous),
    ];
    for (method, uri, caller) in others {
        let what = format!("{method} {uri}");
        let res = t.client(caller).send(method, &uri, None).await;
        assert_security_headers(&res, &what);
        let csp = header_str(&res, "content-security-policy");
        assert!(csp.contains("default-src 'none'"), "{what}: CSP {csp:?}");
    }
    // The operations router too.
    let ops = banana_server::ops_router(t.app.clone());
    for path in ["/metrics", "/readyz"] {
        let res = common::send(ops.clone(), anonymous_get(path)).await;
        assert_eq!(res.status, StatusCode::OK, "ops {path}");
        assert_eq!(res.headers["x-frame-options"], "DENY", "ops {path}");
        assert!(
            res.headers.contains_key("content-security-policy"),
            "ops {path}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Item 9: /metrics is not public by default.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_private_by_default() {
    init_logs();
    let t = TestApp::sqlite().await;
    // A login failure, which the metrics would show.
    let _ = t.login("owner", "wrong").await;
    let public = t.anonymous().get("/metrics").await;
    assert_eq!(
        public.status,
        StatusCode::NOT_FOUND,
        "public /metrics without a token"
    );
    // Signed in is not enough either: the metrics are about everyone.
    assert_eq!(
        t.owner().get("/metrics").await.status,
        StatusCode::NOT_FOUND
    );
    let ops = banana_server::ops_router(t.app.clone());
    let res = common::send(ops, anonymous_get("/metrics")).await;
    assert_eq!(res.status, StatusCode::OK, "the operations port serves it");
    assert!(String::from_utf8_lossy(&res.body).contains("banana_http_requests_total"));

    // With a token: on both routers, only for that bearer token.
    let t = TestApp::sqlite_with(|c| c.metrics_token = Some("scrape-secret-1".into())).await;
    assert_eq!(
        t.anonymous().get("/metrics").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        t.bearer("wrong").get("/metrics").await.status,
        StatusCode::UNAUTHORIZED
    );
    let ok = t.bearer("scrape-secret-1").get("/metrics").await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&ok.body).contains("banana_http_requests_total"));
    let ops = banana_server::ops_router(t.app.clone());
    let res = common::send(ops.clone(), anonymous_get("/metrics")).await;
    assert_eq!(
        res.status,
        StatusCode::UNAUTHORIZED,
        "ops port with a token set"
    );
    let scrape =
        Caller::Token("scrape-secret-1".into()).json_request(Method::GET, "/metrics", None);
    let res = common::send(ops, scrape).await;
    assert_eq!(res.status, StatusCode::OK);
}

// ---------------------------------------------------------------------------------------------
// Item 12: file names.

both!(file_names_lose_invisible_characters_and_follow_the_format);

async fn file_names_lose_invisible_characters_and_follow_the_format(t: TestApp) {
    // A JPEG/HTML polyglot sent as "<RLO>"-reversed HTML with a line separator and a zero-width
    // space: it must be neither displayed reversed nor saved as .html.
    let mut poly = jpeg(43, 64, 48);
    poly.extend_from_slice(b"<html><script>alert(document.domain)</script></html>");
    let sent = "poly\u{200B}\u{202E}lmth.gpj\u{2028}.html";
    let res = t.upload(sent, &poly, &[("visibility", "public")]).await;
    assert_eq!(
        res.status,
        StatusCode::CREATED,
        "{}: {}",
        t.backend,
        res.json()
    );
    let view = res.json();
    assert_eq!(view["filename"], "polylmth.gpj.jpg", "{}", t.backend);
    let id = view["id"].as_str().unwrap().to_string();

    let thumb = t.get(&format!("/api/v1/images/{id}/thumbnail")).await;
    let cd = header_str(&thumb, "content-disposition");
    assert!(
        cd.contains("filename=\"polylmth.gpj.thumbnail.jpg\""),
        "{}: {cd}",
        t.backend
    );
    let original = t.get(&format!("/api/v1/images/{id}/original")).await;
    if original.status == StatusCode::OK {
        let cd = header_str(&original, "content-disposition");
        assert!(
            cd.contains("filename=\"polylmth.gpj.jpg\""),
            "{}: {cd}",
            t.backend
        );
        assert!(
            cd.contains("filename*=UTF-8''polylmth.gpj.jpg"),
            "{}: {cd}",
            t.backend
        );
    } else {
        // S3: a presigned redirect to a content-addressed key (no name, no extension).
        assert_eq!(original.status, StatusCode::FOUND, "{}", t.backend);
    }

    // A row stored under the old rules: fixed when shown and served, without a migration.
    common::sqlx_exec(
        &t.app.db,
        &format!("UPDATE images SET filename = 'old\u{202E}lmth.html\u{2029}' WHERE id = '{id}'"),
    )
    .await;
    let view = t.get(&format!("/api/v1/images/{id}")).await.json();
    assert_eq!(view["filename"], "oldlmth.jpg", "{}", t.backend);
    let listed = t.get("/api/v1/images").await.json();
    assert_eq!(
        listed["items"][0]["filename"], "oldlmth.jpg",
        "{}",
        t.backend
    );
    let preview = t
        .anonymous()
        .get(&format!("/api/v1/images/{id}/preview"))
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    let cd = header_str(&preview, "content-disposition");
    assert!(
        cd.contains("filename=\"oldlmth.preview.jpg\""),
        "{}: {cd}",
        t.backend
    );
    assert!(
        !cd.contains("%E2%80%AE") && !cd.contains(".html"),
        "{}: {cd}",
        t.backend
    );
    let original = t
        .anonymous()
        .get(&format!("/api/v1/images/{id}/original"))
        .await;
    if original.status == StatusCode::OK {
        let cd = header_str(&original, "content-disposition");
        assert!(
            cd.contains("filename=\"oldlmth.jpg\""),
            "{}: {cd}",
            t.backend
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Also: multipart text fields are bounded while they stream.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_fields_are_refused_while_streaming() {
    init_logs();
    let t = TestApp::sqlite().await;
    let boundary = "----banana-hardening-boundary";
    // A title part that sends 64 KiB and then never ends: it must be refused as soon as it
    // passes the limit, not read to the end of the body.
    let mut head =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n")
            .into_bytes();
    head.extend(std::iter::repeat_n(b'a', 64 * 1024));
    let body = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from(head))])
        .chain(futures::stream::pending());
    let request = Request::post("/api/v1/images")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from_stream(body))
        .unwrap();
    let res = tokio::time::timeout(Duration::from_secs(10), t.request(request))
        .await
        .expect("the over-long title is refused without waiting for the rest of the body");
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("title"));

    // The limits themselves are unchanged: 1000 characters pass, 1001 do not.
    let ok = t
        .upload("a.jpg", &jpeg(44, 32, 32), &[("title", &"é".repeat(1000))])
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    let long = t
        .upload(
            "b.jpg",
            &jpeg(45, 32, 32),
            &[("attribution", &"é".repeat(1001))],
        )
        .await;
    assert_eq!(long.status, StatusCode::BAD_REQUEST);
    // One part of each name.
    let twice = t
        .upload(
            "c.jpg",
            &jpeg(46, 32, 32),
            &[("title", "one"), ("title", "two")],
        )
        .await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
    assert_eq!(t.count("images").await, 1);
}

use futures::StreamExt as _;

// ---------------------------------------------------------------------------------------------
// Also: status_reason is for users.

both!(failure_reasons_hide_internal_detail);

// The sentences users see (docs/API.md).
const REASON_READ: &str = "the stored original could not be read";
const REASON_INFERENCE: &str = "the classifier failed on this image";
const REASON_OTHER: &str = "labeling failed; the server log has the details";

async fn failure_reasons_hide_internal_detail(t: TestApp) {
    let t = t.with_models().await;
    let view = t.upload("gone.jpg", &jpeg(47, 96, 64), &[]).await.json();
    let id = view["id"].as_str().unwrap().to_string();
    let sha = view["sha256"].as_str().unwrap().to_string();
    // The original disappears from the store before labeling; one attempt only.
    t.app
        .storage
        .delete(&banana_storage::keys::original(&sha))
        .await
        .unwrap();
    common::sqlx_exec(&t.app.db, "UPDATE jobs SET max_attempts = 1").await;
    t.app.drain_jobs().await.unwrap();
    let view = t.get(&format!("/api/v1/images/{id}")).await.json();
    assert_eq!(view["status"], "failed", "{}: {view}", t.backend);
    assert_eq!(view["status_reason"], REASON_READ, "{}: {view}", t.backend);
    // And what is stored is the user-facing reason, too.
    let stored = common::sqlx_scalar(
        &t.app.db,
        &format!(
            "SELECT COUNT(*) FROM images WHERE id = '{id}' AND status_reason = '{REASON_READ}'"
        ),
    )
    .await;
    assert_eq!(
        stored, 1,
        "{}: the stored reason is the user-facing one",
        t.backend
    );

    // Rows written before this rule show the reason, not the detail.
    let image = t.upload("old.jpg", &jpeg(48, 64, 64), &[]).await.json();
    let old_id = image["id"].as_str().unwrap();
    for (stored, shown) in [
        (
            "reading the original: Generic S3 error: Error performing GET http://10.1.2.3:9000/banana/originals/ab/abcdef in 15s",
            REASON_READ.to_string(),
        ),
        (
            "inference: ort: Failed to run session /models/efficientnet.onnx",
            REASON_INFERENCE.to_string(),
        ),
        (
            "something internal at /var/lib/banana",
            REASON_OTHER.to_string(),
        ),
        (
            "decoding: the image data could not be decoded: truncated",
            "decoding: the image data could not be decoded: truncated".to_string(),
        ),
    ] {
        common::sqlx_exec(
            &t.app.db,
            &format!(
                "UPDATE images SET status = 'failed', status_reason = '{stored}' WHERE id = '{old_id}'"
            ),
        )
        .await;
        let view = t.get(&format!("/api/v1/images/{old_id}")).await.json();
        assert_eq!(view["status_reason"], shown.as_str(), "{}: {stored}", t.backend);
    }
}

// ---------------------------------------------------------------------------------------------
// Also: image bytes are revalidated, so access is checked on every use.

both!(image_bytes_are_revalidated_and_stop_when_private);

async fn image_bytes_are_revalidated_and_stop_when_private(t: TestApp) {
    let view = t
        .upload("pub.jpg", &jpeg(49, 80, 60), &[("visibility", "public")])
        .await
        .json();
    let id = view["id"].as_str().unwrap().to_string();
    let thumb = format!("/api/v1/images/{id}/thumbnail");

    let first = t.anonymous().get(&thumb).await;
    assert_eq!(first.status, StatusCode::OK);
    let cache = header_str(&first, "cache-control");
    assert!(cache.contains("no-cache"), "{}: {cache}", t.backend);
    assert!(
        !cache.contains("max-age") && !cache.contains("public"),
        "{}: {cache}",
        t.backend
    );
    let vary = header_str(&first, "vary").to_ascii_lowercase();
    assert!(
        vary.contains("authorization") && vary.contains("cookie"),
        "{vary}"
    );
    let etag = header_str(&first, "etag");
    assert!(!etag.is_empty());

    let revalidate = |uri: &str, caller: &Caller| {
        caller
            .request(Method::GET, uri)
            .header(header::IF_NONE_MATCH, etag.as_str())
            .body(Body::empty())
            .unwrap()
    };
    let again = t.raw(revalidate(&thumb, &Caller::Anonymous)).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{}", t.backend);
    assert!(header_str(&again, "cache-control").contains("no-cache"));

    // Made private: the next revalidation is refused, so no cache can keep serving it.
    let patched = t
        .owner()
        .patch(
            &format!("/api/v1/images/{id}"),
            &serde_json::json!({"visibility": "private"}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(
        t.raw(revalidate(&thumb, &Caller::Anonymous)).await.status,
        StatusCode::NOT_FOUND
    );
    // The owner still revalidates cheaply, and private bytes are no-cache too.
    let owner = t.owner_caller();
    assert_eq!(
        t.raw(revalidate(&thumb, &owner)).await.status,
        StatusCode::NOT_MODIFIED
    );
    for variant in ["thumbnail", "preview", "original"] {
        let res = t.get(&format!("/api/v1/images/{id}/{variant}")).await;
        let cache = header_str(&res, "cache-control");
        assert!(
            cache.contains("private") && (cache.contains("no-cache") || cache.contains("no-store")),
            "{} {variant}: {cache}",
            t.backend
        );
        assert!(
            !cache.contains("max-age"),
            "{} {variant}: {cache}",
            t.backend
        );
    }
    // Share-link bytes are revalidated as well (a revoked link stops at once).
    let token = share(&t, &id).await;
    let shared = format!("/api/v1/shared/{token}/preview");
    let res = t.anonymous().get(&shared).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(header_str(&res, "cache-control").contains("no-cache"));
}
