//! Access control: the authorization matrix on both backends, CSRF, login rate limiting,
//! hashed tokens, registration rules and account deletion.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use banana_core::db::raw;
use common::{jpeg, sample, TestApp};
use sha2::{Digest, Sha256};

fn req(
    method: Method,
    uri: &str,
    token: Option<&str>,
    json: Option<serde_json::Value>,
) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    match json {
        Some(j) => b
            .header("content-type", "application/json")
            .body(Body::from(j.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}

fn has_gps(bytes: &[u8]) -> bool {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .map(|e| e.fields().any(|f| f.tag == exif::Tag::GPSLatitude))
        .unwrap_or(false)
}

/// The bytes behind an original URL (following the presigned redirect on S3).
async fn original_bytes(t: &TestApp, res: &common::TestResponse) -> Vec<u8> {
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

both_backends!(authorization_matrix);

async fn authorization_matrix(t: TestApp) {
    let Some(gps_photo) = sample("exif-samples/jpg/gps/DSCN0010.jpg") else {
        return;
    };
    let owner = t.token.clone().unwrap();
    let other = t.user("other", false).await;
    let admin = t.user("admin", true).await;
    let disabled = t.user("disabled", false).await;
    let disabled_id = t.app.authenticate(&disabled).await.unwrap().unwrap().1.id;
    let (revoked, revoked_view) = t
        .app
        .create_api_token(
            &t.app.authenticate(&owner).await.unwrap().unwrap().0,
            "ci",
            None,
        )
        .await
        .unwrap();

    let private = t.upload("private.jpg", &gps_photo, &[]).await.json();
    let public = t
        .upload("public.jpg", &jpeg(3, 120, 80), &[("visibility", "public")])
        .await
        .json();
    let p = private["id"].as_str().unwrap().to_string();
    let q = public["id"].as_str().unwrap().to_string();
    assert_eq!(private["visibility"], "private");
    assert_eq!(private["owner"]["username"], "owner");
    let owner_id = private["owner"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        t.raw(req(Method::GET, "/api/v1/me", Some(&owner), None))
            .await
            .json()["id"],
        owner_id.as_str()
    );
    // A label on each, to check that counts only include what the caller may see.
    t.app.seed_labels().await.unwrap();
    for id in [&p, &q] {
        raw::execute(&t.app.db, &format!("INSERT INTO image_labels (image_id, label_id, score, rank, attached) VALUES ('{id}', 'n02123045', 0.9, 0, 1)"))
            .await
            .unwrap();
    }

    // Admin disables one account; revoke an API token: both stop working at once.
    let res = t
        .request(req(
            Method::PATCH,
            &format!("/api/v1/admin/users/{disabled_id}"),
            Some(&admin),
            Some(serde_json::json!({"disabled": true})),
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let res = t
        .request(req(
            Method::DELETE,
            &format!("/api/v1/tokens/{}", revoked_view.id),
            Some(&owner),
            None,
        ))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);

    // Share links: one live, one expired.
    let share = t
        .request(req(
            Method::POST,
            &format!("/api/v1/images/{p}/shares"),
            Some(&owner),
            Some(serde_json::json!({"expires_in": 3600})),
        ))
        .await;
    assert_eq!(share.status, StatusCode::CREATED);
    let share_token = share.json()["token"].as_str().unwrap().to_string();
    assert_eq!(share.json()["url"], format!("/s/{share_token}"));
    let expired = t
        .request(req(
            Method::POST,
            &format!("/api/v1/images/{p}/shares"),
            Some(&owner),
            Some(serde_json::json!({"expires_in": 60})),
        ))
        .await
        .json();
    raw::execute(
        &t.app.db,
        &format!(
            "UPDATE shares SET expires_at = 0 WHERE id = '{}'",
            expired["id"].as_str().unwrap()
        ),
    )
    .await
    .unwrap();
    let expired_token = expired["token"].as_str().unwrap().to_string();

    use StatusCode as S;
    let callers: [(&str, Option<&str>); 6] = [
        ("owner", Some(&owner)),
        ("other", Some(&other)),
        ("admin", Some(&admin)),
        ("signed out", None),
        ("disabled", Some(&disabled)),
        ("revoked", Some(&revoked)),
    ];
    // (endpoint, expected status for each caller above)
    let reads = [
        format!("/api/v1/images/{p}"),
        format!("/api/v1/images/{p}/thumbnail"),
        format!("/api/v1/images/{p}/preview"),
        format!("/api/v1/images/{p}/shares"),
    ];
    for uri in &reads {
        let expected = [
            S::OK,
            S::NOT_FOUND,
            S::OK,
            S::NOT_FOUND,
            S::UNAUTHORIZED,
            S::UNAUTHORIZED,
        ];
        for ((who, token), want) in callers.iter().zip(expected) {
            let res = t.raw(req(Method::GET, uri, *token, None)).await;
            assert_eq!(res.status, want, "{} GET {uri} as {who}", t.backend);
        }
    }
    // The original: the owner gets the camera file with its GPS; an admin a copy without it.
    let expected = [
        S::OK,
        S::NOT_FOUND,
        S::OK,
        S::NOT_FOUND,
        S::UNAUTHORIZED,
        S::UNAUTHORIZED,
    ];
    for ((who, token), want) in callers.iter().zip(expected) {
        let res = t
            .raw(req(
                Method::GET,
                &format!("/api/v1/images/{p}/original"),
                *token,
                None,
            ))
            .await;
        if want == S::OK {
            let bytes = original_bytes(&t, &res).await;
            assert_eq!(
                has_gps(&bytes),
                *who == "owner",
                "{} original as {who}",
                t.backend
            );
        } else {
            assert_eq!(res.status, want, "{} original as {who}", t.backend);
        }
    }
    // Changes: the owner and admins may; others cannot even see the image.
    let expected = [
        S::OK,
        S::NOT_FOUND,
        S::OK,
        S::NOT_FOUND,
        S::UNAUTHORIZED,
        S::UNAUTHORIZED,
    ];
    for ((who, token), want) in callers.iter().zip(expected) {
        let res = t
            .raw(req(
                Method::PATCH,
                &format!("/api/v1/images/{p}"),
                *token,
                Some(serde_json::json!({"title": format!("by {who}")})),
            ))
            .await;
        assert_eq!(res.status, want, "{} PATCH as {who}", t.backend);
        let res = t
            .raw(req(
                Method::POST,
                &format!("/api/v1/images/{p}/shares"),
                *token,
                Some(serde_json::json!({"expires_in": 600})),
            ))
            .await;
        let want_share = if want == S::OK { S::CREATED } else { want };
        assert_eq!(res.status, want_share, "{} POST shares as {who}", t.backend);
    }
    // A public image: everyone sees it, only its owner (and admins) change it.
    let expected_get = [S::OK, S::OK, S::OK, S::OK, S::UNAUTHORIZED, S::UNAUTHORIZED];
    let expected_patch = [
        S::OK,
        S::FORBIDDEN,
        S::OK,
        S::UNAUTHORIZED,
        S::UNAUTHORIZED,
        S::UNAUTHORIZED,
    ];
    for (((who, token), g), pt) in callers.iter().zip(expected_get).zip(expected_patch) {
        assert_eq!(
            t.raw(req(
                Method::GET,
                &format!("/api/v1/images/{q}/thumbnail"),
                *token,
                None
            ))
            .await
            .status,
            g,
            "{who}"
        );
        let res = t
            .raw(req(
                Method::PATCH,
                &format!("/api/v1/images/{q}"),
                *token,
                Some(serde_json::json!({"title": "x"})),
            ))
            .await;
        assert_eq!(res.status, pt, "{} PATCH public as {who}", t.backend);
        if *who != "owner" && *who != "admin" {
            let res = t
                .raw(req(
                    Method::DELETE,
                    &format!("/api/v1/images/{q}"),
                    *token,
                    None,
                ))
                .await;
            assert_eq!(res.status, pt, "{} DELETE public as {who}", t.backend);
        }
    }
    // Listings, label counts: only what each caller may see.
    let expect_ids = [vec![&q, &p], vec![&q], vec![&q, &p], vec![&q]];
    for ((who, token), ids) in callers.iter().take(4).zip(expect_ids) {
        let list = t
            .raw(req(Method::GET, "/api/v1/images", *token, None))
            .await
            .json();
        let got: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            got,
            ids.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            "{} list as {who}",
            t.backend
        );
        let labels = t
            .raw(req(Method::GET, "/api/v1/labels", *token, None))
            .await
            .json();
        assert_eq!(
            labels["items"][0]["count"],
            ids.len(),
            "{} label count as {who}",
            t.backend
        );
    }
    for (who, token) in &callers[4..] {
        assert_eq!(
            t.raw(req(Method::GET, "/api/v1/images", *token, None))
                .await
                .status,
            S::UNAUTHORIZED,
            "{who}"
        );
    }

    // The share-link holder sees that one image (without GPS), and nothing else.
    let shared = t
        .raw(req(
            Method::GET,
            &format!("/api/v1/shared/{share_token}"),
            None,
            None,
        ))
        .await;
    assert_eq!(shared.status, S::OK);
    assert_eq!(shared.json()["id"], p.as_str());
    assert_eq!(
        shared.json()["urls"]["preview"],
        format!("/api/v1/shared/{share_token}/preview")
    );
    assert_eq!(
        t.raw(req(
            Method::GET,
            &format!("/api/v1/shared/{share_token}/preview"),
            None,
            None
        ))
        .await
        .status,
        S::OK
    );
    let res = t
        .raw(req(
            Method::GET,
            &format!("/api/v1/shared/{share_token}/original"),
            None,
            None,
        ))
        .await;
    assert!(!has_gps(&original_bytes(&t, &res).await));
    assert_eq!(
        t.raw(req(Method::GET, &format!("/api/v1/images/{p}"), None, None))
            .await
            .status,
        S::NOT_FOUND
    );
    for uri in [
        format!("/api/v1/shared/{expired_token}"),
        format!("/api/v1/shared/{expired_token}/preview"),
        "/api/v1/shared/bnx_guess".to_string(),
    ] {
        assert_eq!(
            t.raw(req(Method::GET, &uri, None, None)).await.status,
            S::NOT_FOUND,
            "{uri}"
        );
    }
    // Revoking the link closes it at once.
    let res = t
        .request(req(
            Method::DELETE,
            &format!(
                "/api/v1/images/{p}/shares/{}",
                share.json()["id"].as_str().unwrap()
            ),
            Some(&owner),
            None,
        ))
        .await;
    assert_eq!(res.status, S::NO_CONTENT);
    assert_eq!(
        t.raw(req(
            Method::GET,
            &format!("/api/v1/shared/{share_token}"),
            None,
            None
        ))
        .await
        .status,
        S::NOT_FOUND
    );

    // Deletion: others cannot, the owner can.
    assert_eq!(
        t.raw(req(
            Method::DELETE,
            &format!("/api/v1/images/{p}"),
            Some(&other),
            None
        ))
        .await
        .status,
        S::NOT_FOUND
    );
    assert_eq!(
        t.raw(req(
            Method::DELETE,
            &format!("/api/v1/images/{p}"),
            Some(&owner),
            None
        ))
        .await
        .status,
        S::NO_CONTENT
    );
    // Uploads need an account.
    let (ct, body) = common::multipart("x.jpg", &jpeg(9, 10, 10), &[]);
    let res = t
        .raw(
            Request::post("/api/v1/images")
                .header("content-type", ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(
        (res.status, res.error_code().as_str()),
        (S::UNAUTHORIZED, "unauthorized")
    );
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_header() {
    let t = TestApp::sqlite().await;
    let id = t.upload("a.jpg", &jpeg(1, 20, 20), &[]).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let login = t
        .raw(req(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({"username": "owner", "password": "correct horse battery"})),
        ))
        .await;
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

    let patch = |csrf: bool, origin: Option<&str>| {
        let mut b = Request::patch(format!("/api/v1/images/{id}"))
            .header("cookie", &cookie)
            .header("host", "banana.test")
            .header("content-type", "application/json");
        if csrf {
            b = b.header("x-banana-csrf", "1");
        }
        if let Some(o) = origin {
            b = b.header("origin", o);
        }
        b.body(Body::from(r#"{"title":"t"}"#)).unwrap()
    };
    assert_eq!(
        t.raw(patch(false, None)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.raw(patch(true, Some("https://evil.example")))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.raw(patch(true, Some("http://banana.test"))).await.status,
        StatusCode::OK
    );
    assert_eq!(t.raw(patch(true, None)).await.status, StatusCode::OK);
    let del = Request::delete(format!("/api/v1/images/{id}"))
        .header("cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.raw(del).await.status, StatusCode::FORBIDDEN);
    // Reads with the cookie need nothing more.
    let get = Request::get("/api/v1/me")
        .header("cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.raw(get).await.json()["username"], "owner");
    // Logging out ends the session.
    let out = Request::post("/api/v1/auth/logout")
        .header("cookie", &cookie)
        .header("x-banana-csrf", "1")
        .body(Body::empty())
        .unwrap();
    let out = t.raw(out).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let get = Request::get("/api/v1/me")
        .header("cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.raw(get).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn failed_logins_are_rate_limited_per_address() {
    let t = TestApp::sqlite_with(|c| c.trust_proxy = true).await;
    let login = |password: &str, ip: &str| {
        Request::post("/api/v1/auth/login")
            .header("content-type", "application/json")
            .header("x-forwarded-for", ip)
            .body(Body::from(
                serde_json::json!({"username": "owner", "password": password}).to_string(),
            ))
            .unwrap()
    };
    for _ in 0..5 {
        let res = t.raw(login("wrong password", "203.0.113.7")).await;
        assert_eq!(
            (res.status, res.error_code().as_str()),
            (StatusCode::UNAUTHORIZED, "invalid_credentials")
        );
    }
    let res = t.raw(login("wrong password", "203.0.113.7")).await;
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
        t.raw(login("correct horse battery", "203.0.113.7"))
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // ...while the real user, elsewhere, still gets in.
    assert_eq!(
        t.raw(login("correct horse battery", "198.51.100.20"))
            .await
            .status,
        StatusCode::OK
    );
    // Unknown and known user names fail alike (no enumeration).
    let a = t.raw(login("wrong password", "198.51.100.21")).await;
    let nobody = Request::post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .header("x-forwarded-for", "198.51.100.21")
        .body(Body::from(
            r#"{"username":"nobody","password":"wrong password"}"#,
        ))
        .unwrap();
    let b = t.raw(nobody).await;
    assert_eq!((a.status, a.json()), (b.status, b.json()));
}

#[tokio::test]
async fn api_tokens_are_stored_hashed_and_revocable() {
    let t = TestApp::sqlite().await;
    let res = t
        .request(req(
            Method::POST,
            "/api/v1/tokens",
            None,
            Some(serde_json::json!({"name": "laptop", "expires_in": 86400})),
        ))
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let token = res.json()["token"].as_str().unwrap().to_string();
    let id = res.json()["id"].as_str().unwrap().to_string();
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    assert_eq!(
        raw::scalar_i64(
            &t.app.db,
            &format!("SELECT COUNT(*) FROM auth_tokens WHERE token_hash = '{hash}'")
        )
        .await
        .unwrap(),
        1
    );
    assert_eq!(
        raw::scalar_i64(
            &t.app.db,
            &format!("SELECT COUNT(*) FROM auth_tokens WHERE token_hash = '{token}'")
        )
        .await
        .unwrap(),
        0
    );
    let listed = t.get("/api/v1/tokens").await.json();
    assert_eq!(listed["items"][0]["name"], "laptop");
    assert!(listed["items"][0].get("token").is_none(), "shown once only");
    assert_eq!(
        t.raw(req(Method::GET, "/api/v1/me", Some(&token), None))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        t.request(req(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            None,
            None
        ))
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        t.raw(req(Method::GET, "/api/v1/me", Some(&token), None))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // An expired token fails too.
    let res = t
        .request(req(
            Method::POST,
            "/api/v1/tokens",
            None,
            Some(serde_json::json!({"name": "short", "expires_in": 1})),
        ))
        .await;
    let short = res.json()["token"].as_str().unwrap().to_string();
    raw::execute(
        &t.app.db,
        "UPDATE auth_tokens SET expires_at = 1 WHERE name = 'short'",
    )
    .await
    .unwrap();
    assert_eq!(
        t.raw(req(Method::GET, "/api/v1/me", Some(&short), None))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn first_account_is_admin_then_registration_closes() {
    let t = TestApp::sqlite().await;
    raw::execute(&t.app.db, "DELETE FROM users").await.unwrap();
    assert_eq!(
        t.raw(req(Method::GET, "/api/v1/info", None, None))
            .await
            .json()["needs_setup"],
        true
    );
    let body = |u: &str, p: &str| Some(serde_json::json!({"username": u, "password": p}));
    let short = t
        .raw(req(
            Method::POST,
            "/api/v1/auth/register",
            None,
            body("ann", "short"),
        ))
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    let first = t
        .raw(req(
            Method::POST,
            "/api/v1/auth/register",
            None,
            body("ann", "a long password"),
        ))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(first.json()["is_admin"], true);
    let second = t
        .raw(req(
            Method::POST,
            "/api/v1/auth/register",
            None,
            body("bob", "a long password"),
        ))
        .await;
    assert_eq!(
        (second.status, second.error_code().as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let open = TestApp::sqlite_with(|c| c.open_registration = true).await;
    let res = open
        .raw(req(
            Method::POST,
            "/api/v1/auth/register",
            None,
            body("bob", "a long password"),
        ))
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(res.json()["is_admin"], false);
    let dup = open
        .raw(req(
            Method::POST,
            "/api/v1/auth/register",
            None,
            body("BOB", "a long password"),
        ))
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn deleting_a_user_deletes_their_images_and_objects() {
    let t = TestApp::sqlite().await;
    let admin = t.user("root", true).await;
    let other = t.user("keeper", false).await;
    t.upload("a.jpg", &jpeg(1, 30, 30), &[]).await;
    t.upload("b.jpg", &jpeg(2, 30, 30), &[]).await;
    // The same content kept by another account keeps its objects.
    let (ct, body) = common::multipart("b.jpg", &jpeg(2, 30, 30), &[]);
    let kept = t
        .raw(
            Request::post("/api/v1/images")
                .header("content-type", ct)
                .header("authorization", format!("Bearer {other}"))
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(kept.status, StatusCode::CREATED);
    assert_eq!(t.objects().await.len(), 6);
    let owner_id = t
        .app
        .authenticate(t.token.as_ref().unwrap())
        .await
        .unwrap()
        .unwrap()
        .1
        .id;
    let res = t
        .raw(req(
            Method::DELETE,
            &format!("/api/v1/admin/users/{owner_id}"),
            Some(&admin),
            None,
        ))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(t.count("images").await, 1);
    assert_eq!(t.objects().await.len(), 3);
    let users = t
        .raw(req(Method::GET, "/api/v1/admin/users", Some(&admin), None))
        .await
        .json();
    assert_eq!(users["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        t.raw(req(Method::GET, "/api/v1/admin/users", Some(&other), None))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
