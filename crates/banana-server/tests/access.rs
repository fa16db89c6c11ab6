//! Access control: the authorization matrix on both backends (who × what × expected status, in
//! one table), what each caller's listings and downloads contain, CSRF, login rate limiting,
//! hashed tokens, registration rules and account deletion. Fixtures go through the API
//! (`banana-testkit`).

mod common;

use axum::http::{Method, StatusCode};
use banana_core::db::raw;
use std::collections::BTreeMap;

use common::{jpeg, sample, Caller, TestApp, TestResponse, TestUser, PASSWORD};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn has_gps(bytes: &[u8]) -> bool {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .map(|e| e.fields().any(|f| f.tag == exif::Tag::GPSLatitude))
        .unwrap_or(false)
}

/// The bytes behind an original URL (following the presigned redirect on S3).
async fn original_bytes(t: &TestApp, res: &TestResponse) -> Vec<u8> {
    match res.status {
        StatusCode::OK => res.body.to_vec(),
        StatusCode::FOUND => {
            let url = res.headers["location"].to_str().unwrap();
            reqwest::get(url)
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
                .to_vec()
        }
        s => panic!("{} original: {s}", t.backend),
    }
}

/// The callers of [`MATRIX`], in its column order.
const WHO: [&str; 7] = [
    "owner",
    "owner (cookie)",
    "other",
    "admin",
    "anonymous",
    "disabled",
    "revoked token",
];

const OK: StatusCode = StatusCode::OK;
const CREATED: StatusCode = StatusCode::CREATED;
const GONE: StatusCode = StatusCode::NO_CONTENT;
const UNAUTH: StatusCode = StatusCode::UNAUTHORIZED;
const FORBID: StatusCode = StatusCode::FORBIDDEN;
const NOTFOUND: StatusCode = StatusCode::NOT_FOUND;
/// Not sent as this caller (it would change a fixture later rows need).
const SKIP: StatusCode = StatusCode::CONTINUE;

/// A request body.
#[derive(Clone, Copy)]
enum Body {
    None,
    Json(&'static str),
    /// A multipart upload of a small JPEG, different for each caller.
    Upload,
}

/// (method, path, body, expected status for each of [`WHO`]). Paths name fixtures:
/// `{private}` (the owner's private photo, with GPS), `{public}` (the owner's public image),
/// `{share}` / `{expired}` (share-link tokens of `{private}`), `{share2_id}` (a second link's
/// id), `{spare_token_id}` (an API token of the owner's), `{disabled_id}`, `{victim_id}` (users).
/// An original on S3 answers 302 to a presigned URL: it counts as 200.
#[rustfmt::skip]
const MATRIX: &[(Method, &str, Body, [StatusCode; 7])] = &[
    //                                                                      owner    cookie   other     admin    anon      disabled revoked
    // A private image: only its owner and admins see it; to anyone else it does not exist.
    (Method::GET,    "/api/v1/images/{private}",                Body::None, [OK,      OK,      NOTFOUND, OK,      NOTFOUND, UNAUTH,  UNAUTH]),
    (Method::GET,    "/api/v1/images/{private}/thumbnail",      Body::None, [OK,      OK,      NOTFOUND, OK,      NOTFOUND, UNAUTH,  UNAUTH]),
    (Method::GET,    "/api/v1/images/{private}/preview",        Body::None, [OK,      OK,      NOTFOUND, OK,      NOTFOUND, UNAUTH,  UNAUTH]),
    (Method::GET,    "/api/v1/images/{private}/original",       Body::None, [OK,      OK,      NOTFOUND, OK,      NOTFOUND, UNAUTH,  UNAUTH]),
    (Method::GET,    "/api/v1/images/{private}/similar",        Body::None, [OK,      OK,      NOTFOUND, OK,      NOTFOUND, UNAUTH,  UNAUTH]),
    (Method::GET,    "/api/v1/images/{private}/shares",         Body::None, [OK,      OK,      NOTFOUND, OK,      NOTFOUND, UNAUTH,  UNAUTH]),
    (Method::PATCH,  "/api/v1/images/{private}",                Body::Json(r#"{"title":"retitled"}"#),
                                                                            [OK,      OK,      NOTFOUND, OK,      NOTFOUND, UNAUTH,  UNAUTH]),
    (Method::POST,   "/api/v1/images/{private}/shares",         Body::Json(r#"{"expires_in":600}"#),
                                                                            [CREATED, CREATED, NOTFOUND, CREATED, NOTFOUND, UNAUTH,  UNAUTH]),
    (Method::DELETE, "/api/v1/images/{private}/shares/{share2_id}", Body::None,
                                                                            [SKIP,    SKIP,    NOTFOUND, SKIP,    NOTFOUND, UNAUTH,  UNAUTH]),
    (Method::DELETE, "/api/v1/images/{private}",                Body::None, [SKIP,    SKIP,    NOTFOUND, SKIP,    NOTFOUND, UNAUTH,  UNAUTH]),
    // A public image: everyone signed in or not sees it; only its owner (and admins) change it.
    (Method::GET,    "/api/v1/images/{public}",                 Body::None, [OK,      OK,      OK,       OK,      OK,       UNAUTH,  UNAUTH]),
    (Method::GET,    "/api/v1/images/{public}/thumbnail",       Body::None, [OK,      OK,      OK,       OK,      OK,       UNAUTH,  UNAUTH]),
    (Method::GET,    "/api/v1/images/{public}/preview",         Body::None, [OK,      OK,      OK,       OK,      OK,       UNAUTH,  UNAUTH]),
    (Method::GET,    "/api/v1/images/{public}/original",        Body::None, [OK,      OK,      OK,       OK,      OK,       UNAUTH,  UNAUTH]),
    (Method::GET,    "/api/v1/images/{public}/similar",         Body::None, [OK,      OK,      OK,       OK,      OK,       UNAUTH,  UNAUTH]),
    (Method::GET,    "/api/v1/images/{public}/shares",          Body::None, [OK,      OK,      FORBID,   OK,      UNAUTH,   UNAUTH,  UNAUTH]),
    (Method::PATCH,  "/api/v1/images/{public}",                 Body::Json(r#"{"title":"x"}"#),
                                                                            [OK,      OK,      FORBID,   OK,      UNAUTH,   UNAUTH,  UNAUTH]),
    (Method::POST,   "/api/v1/images/{public}/shares",          Body::Json(r#"{"expires_in":600}"#),
                                                                            [CREATED, CREATED, FORBID,   CREATED, UNAUTH,   UNAUTH,  UNAUTH]),
    (Method::DELETE, "/api/v1/images/{public}",                 Body::None, [SKIP,    SKIP,    FORBID,   SKIP,    UNAUTH,   UNAUTH,  UNAUTH]),
    // Listings and search (their contents are checked below).
    (Method::GET,    "/api/v1/images",                          Body::None, [OK,      OK,      OK,       OK,      OK,       UNAUTH,  UNAUTH]),
    (Method::GET,    "/api/v1/labels",                          Body::None, [OK,      OK,      OK,       OK,      OK,       UNAUTH,  UNAUTH]),
    (Method::GET,    "/api/v1/search?q=photo",                  Body::None, [OK,      OK,      OK,       OK,      OK,       UNAUTH,  UNAUTH]),
    // Uploads need an account.
    (Method::POST,   "/api/v1/images",                          Body::Upload,
                                                                            [CREATED, CREATED, CREATED,  CREATED, UNAUTH,   UNAUTH,  UNAUTH]),
    // One's own account and tokens.
    (Method::GET,    "/api/v1/me",                              Body::None, [OK,      OK,      OK,       OK,      UNAUTH,   UNAUTH,  UNAUTH]),
    (Method::GET,    "/api/v1/tokens",                          Body::None, [OK,      OK,      OK,       OK,      UNAUTH,   UNAUTH,  UNAUTH]),
    (Method::POST,   "/api/v1/tokens",                          Body::Json(r#"{"name":"matrix"}"#),
                                                                            [CREATED, CREATED, CREATED,  CREATED, UNAUTH,   UNAUTH,  UNAUTH]),
    // Someone else's token is not found, even by an admin (the owner's cookie comes after the
    // owner revoked it).
    (Method::DELETE, "/api/v1/tokens/{spare_token_id}",         Body::None, [GONE,    NOTFOUND, NOTFOUND, NOTFOUND, UNAUTH, UNAUTH,  UNAUTH]),
    // Administration: admins only.
    (Method::GET,    "/api/v1/admin/users",                     Body::None, [FORBID,  FORBID,  FORBID,   OK,      UNAUTH,   UNAUTH,  UNAUTH]),
    (Method::POST,   "/api/v1/admin/users",                     Body::Json(r#"{"username":"made-by-matrix","password":"a long password"}"#),
                                                                            [FORBID,  FORBID,  FORBID,   CREATED, UNAUTH,   UNAUTH,  UNAUTH]),
    (Method::PATCH,  "/api/v1/admin/users/{disabled_id}",       Body::Json(r#"{"disabled":true}"#),
                                                                            [FORBID,  FORBID,  FORBID,   OK,      UNAUTH,   UNAUTH,  UNAUTH]),
    (Method::DELETE, "/api/v1/admin/users/{victim_id}",         Body::None, [FORBID,  FORBID,  FORBID,   GONE,    UNAUTH,   UNAUTH,  UNAUTH]),
    // A share link opens its one image for anyone holding it, whatever else they send; an
    // expired or guessed one opens nothing.
    (Method::GET,    "/api/v1/shared/{share}",                  Body::None, [OK,      OK,      OK,       OK,      OK,       OK,      OK]),
    (Method::GET,    "/api/v1/shared/{share}/thumbnail",        Body::None, [OK,      OK,      OK,       OK,      OK,       OK,      OK]),
    (Method::GET,    "/api/v1/shared/{share}/preview",          Body::None, [OK,      OK,      OK,       OK,      OK,       OK,      OK]),
    (Method::GET,    "/api/v1/shared/{share}/original",         Body::None, [OK,      OK,      OK,       OK,      OK,       OK,      OK]),
    (Method::GET,    "/api/v1/shared/{share}/exif",             Body::None, [NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND]),
    (Method::GET,    "/api/v1/shared/{expired}",                Body::None, [NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND]),
    (Method::GET,    "/api/v1/shared/{expired}/preview",        Body::None, [NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND]),
    (Method::GET,    "/api/v1/shared/bnx_guess",                Body::None, [NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND]),
];

/// The fixtures the matrix and the checks after it use, all made through the API.
struct World {
    owner: TestUser,
    admin: TestUser,
    callers: [Caller; 7],
    private: String,
    public: String,
    share: common::TestShare,
    vars: Vec<(&'static str, String)>,
}

async fn world(t: &TestApp, gps_photo: &[u8]) -> World {
    let owner = t.owner_user().await;
    let admin = t.bootstrap_admin("admin").await;
    let other = t.create_user(&admin, "other", false).await;
    let disabled = t.create_user(&admin, "disabled", false).await;
    let victim = t.create_user(&admin, "victim", false).await;
    t.disable_user(&admin, &disabled.id).await;
    let (revoked, revoked_id) = t.api_token(&owner.caller(), "ci").await;
    t.revoke_token(&owner.caller(), &revoked_id).await;
    let (_, spare_token_id) = t.api_token(&owner.caller(), "spare").await;
    let cookie = t.cookie_session(&owner.username).await;

    let private = t
        .image(&owner.caller())
        .file("private.jpg", gps_photo)
        .create()
        .await;
    assert_eq!(private.json["visibility"], "private");
    assert_eq!(private.json["owner"]["username"], "owner");
    assert_eq!(private.json["owner"]["id"], owner.id.as_str());
    let public = t
        .image(&owner.caller())
        .file("public.jpg", &jpeg(3, 120, 80))
        .create()
        .await;
    t.make_public(&owner.caller(), &public.id).await;

    let share = t.share(&owner.caller(), &private.id, 3600).await;
    let share2 = t.share(&owner.caller(), &private.id, 3600).await;
    let expired = t.share(&owner.caller(), &private.id, 60).await;
    // Time passing is the one thing the API cannot do: move this link's expiry into the past.
    raw::execute(
        &t.app.db,
        &format!(
            "UPDATE shares SET expires_at = 0 WHERE id = '{}'",
            expired.id
        ),
    )
    .await
    .unwrap();

    World {
        callers: [
            owner.caller(),
            cookie,
            other.caller(),
            admin.caller(),
            Caller::Anonymous,
            disabled.caller(),
            Caller::Token(revoked),
        ],
        vars: vec![
            ("{private}", private.id.clone()),
            ("{public}", public.id.clone()),
            ("{share}", share.token.clone()),
            ("{expired}", expired.token),
            ("{share2_id}", share2.id),
            ("{spare_token_id}", spare_token_id),
            ("{disabled_id}", disabled.id),
            ("{victim_id}", victim.id),
        ],
        private: private.id,
        public: public.id,
        owner,
        admin,
        share,
    }
}

both_backends!(authorization_matrix);

async fn authorization_matrix(t: TestApp) {
    let Some(gps_photo) = sample("exif-samples/jpg/gps/DSCN0010.jpg") else {
        return;
    };
    // Real labels (and vectors for `similar`) from the classifier, so label counts and search
    // have something to filter.
    let t = t.with_models().await;
    let w = world(&t, &gps_photo).await;
    t.app.drain_jobs().await.unwrap();
    t.app.search_sync().await.unwrap();

    let mut wrong = Vec::new();
    let mut sent = 0;
    for (method, template, body, expected) in MATRIX {
        let uri = w
            .vars
            .iter()
            .fold(template.to_string(), |u, (k, v)| u.replace(k, v));
        for (col, (caller, want)) in w.callers.iter().zip(expected).enumerate() {
            if *want == SKIP {
                continue;
            }
            let c = t.client(caller);
            let res = match body {
                Body::None => c.send(method.clone(), &uri, None).await,
                Body::Json(j) => {
                    let j: Value = serde_json::from_str(j).unwrap();
                    c.send(method.clone(), &uri, Some(&j)).await
                }
                Body::Upload => {
                    c.upload("new.jpg", &jpeg(100 + col as u8, 24, 24), &[])
                        .await
                }
            };
            sent += 1;
            let got = if res.status == StatusCode::FOUND && uri.ends_with("/original") {
                OK
            } else {
                res.status
            };
            if got != *want {
                wrong.push(format!(
                    "{method} {template} as {}: {got}, expected {want} ({})",
                    WHO[col],
                    String::from_utf8_lossy(&res.body)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{}: {} of {sent} cells differ:\n{}",
        t.backend,
        wrong.len(),
        wrong.join("\n")
    );

    // What the allowed calls return. The original: the owner gets the camera file with its
    // GPS; an admin, and a share-link holder, a copy without it.
    for (who, caller) in [("owner", &w.callers[0]), ("admin", &w.callers[3])] {
        let res = t
            .client(caller)
            .get(&format!("/api/v1/images/{}/original", w.private))
            .await;
        assert_eq!(
            has_gps(&original_bytes(&t, &res).await),
            who == "owner",
            "{} original as {who}",
            t.backend
        );
    }
    let shared = t
        .anonymous()
        .get(&format!("/api/v1/shared/{}", w.share.token))
        .await;
    assert_eq!(shared.json()["id"], w.private.as_str());
    assert_eq!(
        shared.json()["urls"]["preview"],
        format!("/api/v1/shared/{}/preview", w.share.token)
    );
    let res = t
        .anonymous()
        .get(&format!("/api/v1/shared/{}/original", w.share.token))
        .await;
    assert!(!has_gps(&original_bytes(&t, &res).await), "{}", t.backend);

    // Listings and label counts hold exactly what each caller may see.
    let labels_of = |v: &Value| -> Vec<String> {
        v["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_string())
            .collect()
    };
    let pv = t
        .owner()
        .get(&format!("/api/v1/images/{}", w.private))
        .await
        .json();
    let qv = t
        .owner()
        .get(&format!("/api/v1/images/{}", w.public))
        .await
        .json();
    assert!(
        !labels_of(&pv).is_empty() && !labels_of(&qv).is_empty(),
        "{}: both images are labeled",
        t.backend
    );
    // Listings, label counts and search cover the library asked for (`scope`, default the
    // caller's own), and never more than the caller may see. Both images are the owner's.
    let (private, public) = (w.private.as_str(), w.public.as_str());
    let both = vec![public, private];
    let only_public = vec![public];
    let none: Vec<&str> = Vec::new();
    for (who, caller, mine, all) in [
        ("owner", &w.callers[0], &both, &both),
        ("owner (cookie)", &w.callers[1], &both, &both),
        ("other", &w.callers[2], &none, &only_public),
        ("admin", &w.callers[3], &none, &both),
        ("anonymous", &w.callers[4], &only_public, &only_public),
    ] {
        let c = t.client(caller);
        for (scope, expected) in [
            ("", mine),
            ("?scope=mine", mine),
            ("?scope=public", &only_public),
            ("?scope=all", all),
        ] {
            let list = c.get(&format!("/api/v1/images{scope}")).await.json();
            let ids: Vec<&str> = list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap())
                .filter(|id| *id == private || *id == public)
                .collect();
            assert_eq!(&ids, expected, "{} list{scope} as {who}", t.backend);

            // Label counts: over the same images (the matrix's own uploads are not labeled:
            // no job ran after them).
            let mut want = BTreeMap::<String, i64>::new();
            for v in [&qv, &pv] {
                if expected.contains(&v["id"].as_str().unwrap()) {
                    for l in labels_of(v) {
                        *want.entry(l).or_default() += 1;
                    }
                }
            }
            let got: BTreeMap<String, i64> = c.get(&format!("/api/v1/labels{scope}")).await.json()
                ["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    (
                        i["id"].as_str().unwrap().to_string(),
                        i["count"].as_i64().unwrap(),
                    )
                })
                .filter(|(_, n)| *n > 0)
                .collect();
            assert_eq!(got, want, "{} label counts{scope} as {who}", t.backend);

            let sep = if scope.is_empty() { "?" } else { "&" };
            let found = c
                .get(&format!("/api/v1/search{scope}{sep}q=photo"))
                .await
                .json();
            for h in found["items"].as_array().unwrap() {
                let id = h["image"]["id"].as_str().unwrap();
                if id == private || id == public {
                    assert!(
                        expected.contains(&id),
                        "{} search{scope} as {who} found {id} outside its scope",
                        t.backend
                    );
                }
            }
        }
    }

    // Revoking the link closes it at once.
    let res = t
        .client(&w.owner.caller())
        .delete(&format!(
            "/api/v1/images/{}/shares/{}",
            w.private, w.share.id
        ))
        .await;
    assert_eq!(res.status, GONE);
    assert_eq!(
        t.anonymous()
            .get(&format!("/api/v1/shared/{}", w.share.token))
            .await
            .status,
        NOTFOUND
    );
    // Deletion: others cannot (see the matrix), the owner can; then it is gone for the admin.
    assert_eq!(
        t.client(&w.owner.caller())
            .delete(&format!("/api/v1/images/{}", w.private))
            .await
            .status,
        GONE
    );
    assert_eq!(
        t.client(&w.admin.caller())
            .get(&format!("/api/v1/images/{}", w.private))
            .await
            .status,
        NOTFOUND
    );
    // An admin may delete someone else's public image.
    assert_eq!(
        t.client(&w.admin.caller())
            .delete(&format!("/api/v1/images/{}", w.public))
            .await
            .status,
        GONE
    );
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_header() {
    let t = TestApp::sqlite().await;
    let id = t.image(&t.owner_user().await.caller()).create().await.id;
    let login = t.login("owner", PASSWORD).await;
    assert_eq!(login.status, StatusCode::OK);
    let set_cookie = login.headers["set-cookie"].to_str().unwrap().to_string();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    assert!(
        !set_cookie.contains("Secure"),
        "plain HTTP gets no Secure flag"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    assert!(login.json()["token"].as_str().unwrap().len() > 40);

    // Hand-built requests: the kit's cookie caller always sends the CSRF header.
    let patch = |csrf: bool, origin: Option<&str>| {
        let mut b = axum::http::Request::patch(format!("/api/v1/images/{id}"))
            .header("cookie", &cookie)
            .header("host", "banana.test")
            .header("content-type", "application/json");
        if csrf {
            b = b.header("x-banana-csrf", "1");
        }
        if let Some(o) = origin {
            b = b.header("origin", o);
        }
        b.body(axum::body::Body::from(r#"{"title":"t"}"#)).unwrap()
    };
    assert_eq!(t.raw(patch(false, None)).await.status, FORBID);
    assert_eq!(
        t.raw(patch(true, Some("https://evil.example")))
            .await
            .status,
        FORBID
    );
    assert_eq!(
        t.raw(patch(true, Some("http://banana.test"))).await.status,
        OK
    );
    assert_eq!(t.raw(patch(true, None)).await.status, OK);
    let del = axum::http::Request::delete(format!("/api/v1/images/{id}"))
        .header("cookie", &cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(t.raw(del).await.status, FORBID);
    // Reads with the cookie need nothing more; the kit's cookie caller is the same session.
    let session = Caller::Cookie(cookie.split_once('=').unwrap().1.to_string());
    assert_eq!(
        t.client(&session).get("/api/v1/me").await.json()["username"],
        "owner"
    );
    // Logging out ends the session.
    let out = t
        .client(&session)
        .send(Method::POST, "/api/v1/auth/logout", None)
        .await;
    assert_eq!(out.status, GONE);
    assert!(out.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(t.client(&session).get("/api/v1/me").await.status, UNAUTH);
}

#[tokio::test]
async fn failed_logins_are_rate_limited_per_address() {
    let t = TestApp::sqlite_with(|c| c.trust_proxy = true).await;
    let login = |username: &str, password: &str, ip: &str| {
        axum::http::Request::post("/api/v1/auth/login")
            .header("content-type", "application/json")
            .header("x-forwarded-for", ip)
            .body(axum::body::Body::from(
                json!({"username": username, "password": password}).to_string(),
            ))
            .unwrap()
    };
    for _ in 0..5 {
        let res = t.raw(login("owner", "wrong password", "203.0.113.7")).await;
        assert_eq!(
            (res.status, res.error_code().as_str()),
            (UNAUTH, "invalid_credentials")
        );
    }
    let res = t.raw(login("owner", "wrong password", "203.0.113.7")).await;
    assert_eq!(
        (res.status, res.error_code().as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    let retry: i64 = res.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // Even the right password waits from that address...
    assert_eq!(
        t.raw(login("owner", PASSWORD, "203.0.113.7")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // ...while the real user, elsewhere, still gets in.
    assert_eq!(
        t.raw(login("owner", PASSWORD, "198.51.100.20"))
            .await
            .status,
        OK
    );
    // Unknown and known user names fail alike (no enumeration).
    let a = t
        .raw(login("owner", "wrong password", "198.51.100.21"))
        .await;
    let b = t
        .raw(login("nobody", "wrong password", "198.51.100.21"))
        .await;
    assert_eq!((a.status, a.json()), (b.status, b.json()));
}

#[tokio::test]
async fn api_tokens_are_stored_hashed_and_revocable() {
    let t = TestApp::sqlite().await;
    let res = t
        .owner()
        .post(
            "/api/v1/tokens",
            &json!({"name": "laptop", "expires_in": 86400}),
        )
        .await;
    assert_eq!(res.status, CREATED);
    let token = res.json()["token"].as_str().unwrap().to_string();
    let id = res.json()["id"].as_str().unwrap().to_string();
    // Only the hash is stored (read back from the table itself: no API shows it).
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    for (stored, n) in [(&hash, 1), (&token, 0)] {
        let sql = format!("SELECT COUNT(*) FROM auth_tokens WHERE token_hash = '{stored}'");
        assert_eq!(raw::scalar_i64(&t.app.db, &sql).await.unwrap(), n);
    }
    let listed = t.get("/api/v1/tokens").await.json();
    assert_eq!(listed["items"][0]["name"], "laptop");
    assert!(listed["items"][0].get("token").is_none(), "shown once only");
    let laptop = Caller::Token(token);
    assert_eq!(t.client(&laptop).get("/api/v1/me").await.status, OK);
    t.revoke_token(&t.owner_user().await.caller(), &id).await;
    assert_eq!(t.client(&laptop).get("/api/v1/me").await.status, UNAUTH);
    // An expired token fails too.
    let (short, _) = t.api_token(&t.owner_user().await.caller(), "short").await;
    // Time passing is the one thing the API cannot do.
    raw::execute(
        &t.app.db,
        "UPDATE auth_tokens SET expires_at = 1 WHERE name = 'short'",
    )
    .await
    .unwrap();
    assert_eq!(
        t.client(&Caller::Token(short))
            .get("/api/v1/me")
            .await
            .status,
        UNAUTH
    );
}

async fn register(t: &TestApp, username: &str, password: &str) -> TestResponse {
    t.anonymous()
        .post(
            "/api/v1/auth/register",
            &json!({"username": username, "password": password}),
        )
        .await
}

#[tokio::test]
async fn first_account_is_admin_then_registration_closes() {
    let t = TestApp::sqlite().await;
    // A fresh installation has no account at all.
    raw::execute(&t.app.db, "DELETE FROM users").await.unwrap();
    assert_eq!(
        t.anonymous().get("/api/v1/info").await.json()["needs_setup"],
        true
    );
    assert_eq!(
        register(&t, "ann", "short").await.status,
        StatusCode::BAD_REQUEST
    );
    let first = register(&t, "ann", "a long password").await;
    assert_eq!(first.status, CREATED);
    assert_eq!(first.json()["is_admin"], true);
    let second = register(&t, "bob", "a long password").await;
    assert_eq!(
        (second.status, second.error_code().as_str()),
        (FORBID, "forbidden")
    );
    let open = TestApp::sqlite_with(|c| c.open_registration = true).await;
    let res = register(&open, "bob", "a long password").await;
    assert_eq!(res.status, CREATED);
    assert_eq!(res.json()["is_admin"], false);
    let dup = register(&open, "BOB", "a long password").await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn deleting_a_user_deletes_their_images_and_objects() {
    let t = TestApp::sqlite().await;
    let owner = t.owner_user().await;
    let admin = t.bootstrap_admin("root").await;
    let keeper = t.create_user(&admin, "keeper", false).await;
    t.image(&owner.caller())
        .file("a.jpg", &jpeg(1, 30, 30))
        .create()
        .await;
    t.image(&owner.caller())
        .file("b.jpg", &jpeg(2, 30, 30))
        .create()
        .await;
    // The same content kept by another account keeps its objects.
    t.image(&keeper.caller())
        .file("b.jpg", &jpeg(2, 30, 30))
        .create()
        .await;
    assert_eq!(t.objects().await.len(), 6);
    let admin_client = t.client(&admin.caller());
    let res = admin_client
        .delete(&format!("/api/v1/admin/users/{}", owner.id))
        .await;
    assert_eq!(res.status, GONE);
    assert_eq!(t.count("images").await, 1);
    assert_eq!(t.objects().await.len(), 3);
    let users = admin_client.get("/api/v1/admin/users").await.json();
    assert_eq!(users["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        t.client(&keeper.caller())
            .get("/api/v1/admin/users")
            .await
            .status,
        FORBID
    );
}
