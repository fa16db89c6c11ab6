//! Accounts and sign-in under attack, and the account lifecycle, through the real router (issue
//! #14): the first-admin race, concurrent wrong passwords against the rate limit, the client
//! address behind proxies, share links of disabled accounts, oversized user names and bodies,
//! the CSRF header's value, look-alike user names, API tokens minting tokens, token lifetimes,
//! password changes and resets, admin roles and the sessions list. Where the database decides
//! (races, counters, joins), the scenario runs on SQLite + folder and on PostgreSQL + S3.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use banana_core::access::Viewer;
use banana_core::accounts::UserChanges;
use common::{jpeg, Caller, TestApp, PASSWORD};
use serde_json::json;

/// `POST /api/v1/auth/login` as sent by a client that has no credentials yet (headers and
/// connection info may be added before it is sent).
fn login_req(username: &str, password: &str) -> Request<Body> {
    Caller::Anonymous.json_request(
        Method::POST,
        "/api/v1/auth/login",
        Some(&json!({"username": username, "password": password})),
    )
}

/// `POST /api/v1/auth/register` of `username` with [`PASSWORD`].
fn register_req(username: &str) -> Request<Body> {
    Caller::Anonymous.json_request(
        Method::POST,
        "/api/v1/auth/register",
        Some(&json!({"username": username, "password": PASSWORD})),
    )
}

/// Six registrations (`{prefix}0` … `{prefix}5`) sent at once, each from a task of its own.
fn six_registrations(
    t: &TestApp,
    prefix: &str,
) -> Vec<tokio::task::JoinHandle<common::TestResponse>> {
    (0..6)
        .map(|i| {
            tokio::spawn(common::send(
                t.router.clone(),
                register_req(&format!("{prefix}{i}")),
            ))
        })
        .collect()
}

/// Sign in through the router; the bearer token.
async fn sign_in(t: &TestApp, username: &str, password: &str) -> String {
    let res = t.login(username, password).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.json());
    res.json()["token"].as_str().unwrap().to_string()
}

async fn status_of(t: &TestApp, token: &str) -> StatusCode {
    t.bearer(token).get("/api/v1/me").await.status
}

async fn user_id(t: &TestApp, token: &str) -> String {
    t.app.authenticate(token).await.unwrap().unwrap().1.id
}

/// A fresh server: no account at all (the test app starts with one).
async fn wipe_accounts(t: &TestApp) {
    common::sqlx_exec(&t.app.db, "DELETE FROM auth_tokens").await;
    common::sqlx_exec(&t.app.db, "DELETE FROM users").await;
}

/// Both backends with an adjusted configuration.
macro_rules! both_backends_with {
    ($($name:ident => $adjust:expr),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_local() {
                super::$name($crate::common::TestApp::sqlite_with($adjust).await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres_s3() {
                if let Some(t) = $crate::common::TestApp::postgres_s3_with($adjust).await {
                    super::$name(t).await;
                }
            }
        }
    )*};
}

both_backends!(
    six_concurrent_first_registrations_make_one_admin,
    parallel_wrong_passwords_hit_the_limit,
    disabled_accounts_share_links_stop_opening,
    oversized_user_names_are_refused_before_storing,
    changing_the_password_ends_other_sessions,
    admin_resets_passwords_and_sets_roles_but_keeps_an_admin,
    sessions_are_listed_and_ended_one_by_one,
);
both_backends_with!(
    open_registration_race_still_makes_one_admin => |c: &mut banana_core::Config| c.open_registration = true,
);

/// Finding 4: six registrations at once on a fresh server: one administrator, the rest refused
/// (registration closes with the first account).
async fn six_concurrent_first_registrations_make_one_admin(t: TestApp) {
    wipe_accounts(&t).await;
    let tasks = six_registrations(&t, "racer");
    let mut created = Vec::new();
    let mut refused = 0;
    for task in tasks {
        let res = task.await.unwrap();
        match res.status {
            StatusCode::CREATED => created.push(res.json()),
            StatusCode::FORBIDDEN => refused += 1,
            s => panic!("{}: {s} {}", t.backend, res.json()),
        }
    }
    assert_eq!(
        (created.len(), refused),
        (1, 5),
        "{}: {created:?}",
        t.backend
    );
    assert_eq!(created[0]["is_admin"], true);
    assert_eq!(t.count("users").await, 1);
    // Later registrations stay closed, and the info endpoint says set-up is done.
    let late = t.raw(register_req("late")).await;
    assert_eq!(late.status, StatusCode::FORBIDDEN);
    let info = t.anonymous().get("/api/v1/info").await;
    assert_eq!(info.json()["needs_setup"], false);
}

/// Finding 4 with open registration: all six get accounts, exactly one is the administrator.
async fn open_registration_race_still_makes_one_admin(t: TestApp) {
    wipe_accounts(&t).await;
    let tasks = six_registrations(&t, "open");
    let mut admins = 0;
    for task in tasks {
        let res = task.await.unwrap();
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.json());
        admins += usize::from(res.json()["is_admin"] == true);
    }
    assert_eq!(admins, 1, "{}", t.backend);
    assert_eq!(
        common::sqlx_scalar(&t.app.db, "SELECT COUNT(*) FROM users WHERE is_admin = 1").await,
        1
    );
}

/// Finding 5: 25 wrong passwords at once against a limit of 5 per account and address: at most
/// 5 passwords are checked, the rest get 429 with Retry-After.
async fn parallel_wrong_passwords_hit_the_limit(t: TestApp) {
    let tasks: Vec<_> = (0..25)
        .map(|_| {
            tokio::spawn(common::send(
                t.router.clone(),
                login_req("owner", "wrong password"),
            ))
        })
        .collect();
    let (mut wrong, mut limited) = (0, 0);
    for task in tasks {
        let res = task.await.unwrap();
        match res.status {
            StatusCode::UNAUTHORIZED => wrong += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(res.headers.contains_key("retry-after"));
                limited += 1
            }
            s => panic!("{}: {s} {}", t.backend, res.json()),
        }
    }
    assert!(
        wrong <= 5 && wrong + limited == 25,
        "{}: {wrong} x 401, {limited} x 429",
        t.backend
    );
    // Only checked attempts are kept as failures.
    assert_eq!(t.count("login_failures").await, wrong);
    // A burst that waited its turn one by one ends on 429 all the same.
    for _ in wrong..5 {
        let res = t.login("owner", "wrong password").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let res = t.login("owner", PASSWORD).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", t.backend);
}

/// Finding 6: with one trusted proxy, the client's own left-most X-Forwarded-For entries are
/// ignored: changing them does not escape the per-address limit.
#[tokio::test]
async fn spoofed_forwarded_for_does_not_escape_the_limit() {
    let t = TestApp::sqlite_with(|c| c.trust_proxy = true).await;
    for i in 0..6 {
        let mut r = login_req("owner", "wrong password");
        // nginx appends the real peer (203.0.113.7) to whatever the client sent.
        r.headers_mut().insert(
            "x-forwarded-for",
            format!("198.51.100.{i}, 203.0.113.7").parse().unwrap(),
        );
        let res = t.raw(r).await;
        let expected = if i < 5 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(res.status, expected, "attempt {i}: {}", res.json());
    }
    let ips = common::sqlx_scalar(
        &t.app.db,
        "SELECT COUNT(*) FROM login_failures WHERE ip = '203.0.113.7'",
    )
    .await;
    assert_eq!(ips, 5);
}

/// Finding 6 with a proxy list: the peer must be a listed proxy, and the client is the
/// right-most entry that is not one (shown in the sessions list).
#[tokio::test]
async fn trusted_proxy_list_picks_the_right_most_untrusted_hop() {
    let t = TestApp::sqlite_with(|c| {
        c.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
        c.trust_proxy = true;
    })
    .await;
    let login_via = |peer: &str, xff: &str| {
        let mut r = login_req("owner", PASSWORD);
        r.headers_mut()
            .insert("x-forwarded-for", xff.parse().unwrap());
        r.headers_mut()
            .insert("user-agent", "Firefox/140 test".parse().unwrap());
        r.extensions_mut()
            .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        r
    };
    let client_ip = |token: String| {
        let t = &t;
        async move {
            let res = t.bearer(&token).get("/api/v1/me/sessions").await;
            let items = res.json()["items"].as_array().unwrap().clone();
            let current: Vec<_> = items.iter().filter(|s| s["current"] == true).collect();
            assert_eq!(current.len(), 1, "{items:?}");
            assert_eq!(current[0]["user_agent"], "Firefox/140 test");
            current[0]["client_ip"].as_str().unwrap().to_string()
        }
    };
    let via_proxy = t
        .raw(login_via("10.0.0.2:5000", "6.6.6.6, 203.0.113.9, 10.0.0.5"))
        .await;
    assert_eq!(via_proxy.status, StatusCode::OK);
    assert_eq!(
        client_ip(via_proxy.json()["token"].as_str().unwrap().into()).await,
        "203.0.113.9"
    );
    // Straight from the internet (not a listed proxy): the header is the client's own claim.
    let direct = t
        .raw(login_via("198.51.100.77:5000", "10.9.9.9, 203.0.113.9"))
        .await;
    assert_eq!(
        client_ip(direct.json()["token"].as_str().unwrap().into()).await,
        "198.51.100.77"
    );
}

/// Finding 7: share links stop opening when their creator's account is disabled (and open again
/// when it is enabled).
async fn disabled_accounts_share_links_stop_opening(t: TestApp) {
    let admin = t.user("root", true).await;
    let id = t.upload("s.jpg", &jpeg(4, 40, 30), &[]).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let share = t
        .owner()
        .post(
            &format!("/api/v1/images/{id}/shares"),
            &json!({"expires_in": 3600}),
        )
        .await;
    assert_eq!(share.status, StatusCode::CREATED);
    let token = share.json()["token"].as_str().unwrap().to_string();
    let open = |variant: &'static str| {
        if variant.is_empty() {
            format!("/api/v1/shared/{token}")
        } else {
            format!("/api/v1/shared/{token}/{variant}")
        }
    };
    assert_eq!(t.anonymous().get(&open("")).await.status, StatusCode::OK);
    let owner_id = user_id(&t, t.token.as_deref().unwrap()).await;
    let set_disabled = |d: bool| {
        let (t, admin, uri) = (&t, &admin, format!("/api/v1/admin/users/{owner_id}"));
        async move {
            t.bearer(admin)
                .patch(&uri, &json!({"disabled": d}))
                .await
                .status
        }
    };
    assert_eq!(set_disabled(true).await, StatusCode::OK);
    for variant in ["", "thumbnail", "preview", "original"] {
        assert_eq!(
            t.anonymous().get(&open(variant)).await.status,
            StatusCode::NOT_FOUND,
            "{}: {variant}",
            t.backend
        );
    }
    assert_eq!(set_disabled(false).await, StatusCode::OK);
    assert_eq!(
        t.anonymous().get(&open("thumbnail")).await.status,
        StatusCode::OK
    );
}

/// Finding 8: user names longer than any account's are refused before anything is stored, and
/// the account routes refuse large bodies before reading them whole.
async fn oversized_user_names_are_refused_before_storing(t: TestApp) {
    let long = t.login(&"n".repeat(1000), "whatever").await;
    assert_eq!(
        (long.status, long.error_code().as_str()),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
    let huge_name = "x".repeat(1_900_000);
    for uri in ["/api/v1/auth/login", "/api/v1/auth/register"] {
        let res = t
            .anonymous()
            .post(uri, &json!({"username": huge_name, "password": "whatever"}))
            .await;
        assert_eq!(
            (res.status, res.error_code().as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            "{uri}"
        );
    }
    assert_eq!(t.count("login_failures").await, 0, "{}", t.backend);
}

/// The CSRF header must say exactly `1`.
#[tokio::test]
async fn csrf_header_must_be_exactly_one() {
    let t = TestApp::sqlite().await;
    let id = t.upload("c.jpg", &jpeg(2, 20, 20), &[]).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cookie = t.cookie_session("owner").await;
    // The cookie caller's request, with the CSRF header it adds replaced by `csrf`.
    let patch = |csrf: &str| {
        let mut r = cookie.json_request(
            Method::PATCH,
            &format!("/api/v1/images/{id}"),
            Some(&json!({"title": "t"})),
        );
        r.headers_mut()
            .insert("x-banana-csrf", csrf.parse().unwrap());
        r
    };
    for bad in ["0", "", "yes", "11"] {
        let res = t.raw(patch(bad)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{bad:?}");
    }
    assert_eq!(t.raw(patch("1")).await.status, StatusCode::OK);
}

/// Look-alike user names (Cyrillic `а` in "аdmin", invisible characters) are refused with a
/// clear message, by registration and by administrators.
#[tokio::test]
async fn confusable_user_names_are_refused() {
    let t = TestApp::sqlite_with(|c| c.open_registration = true).await;
    let admin = t.user("admin", true).await;
    for name in [
        "\u{430}dmin",
        "admin\u{200b}",
        "ädmin",
        "ad min",
        "admin\u{202e}",
    ] {
        let res = t
            .bearer(&admin)
            .post(
                "/api/v1/admin/users",
                &json!({"username": name, "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{name:?}");
        assert!(
            res.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("ASCII"),
            "{}",
            res.json()
        );
        let res = t.raw(register_req(name)).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{name:?}");
    }
    assert_eq!(t.count("users").await, 2);
}

/// An API token cannot mint more API tokens; a session (password sign-in) can.
#[tokio::test]
async fn api_tokens_cannot_mint_api_tokens() {
    let t = TestApp::sqlite().await;
    let script = json!({"name": "script"});
    let res = t.owner().post("/api/v1/tokens", &script).await;
    assert_eq!(res.status, StatusCode::CREATED);
    let api = res.json()["token"].as_str().unwrap().to_string();
    let res = t.bearer(&api).post("/api/v1/tokens", &script).await;
    assert_eq!(
        (res.status, res.error_code().as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    // The API token still works for everything else.
    assert_eq!(
        t.bearer(&api).get("/api/v1/tokens").await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// `expires_in` is range-checked (no overflow into the past or a wrapped date).
#[tokio::test]
async fn token_and_share_lifetimes_are_range_checked() {
    let t = TestApp::sqlite().await;
    for bad in [
        0i64,
        -5,
        1_000_000_000_000_000,
        i64::MAX,
        10 * 365 * 86400 + 1,
    ] {
        let res = t
            .owner()
            .post("/api/v1/tokens", &json!({"name": "x", "expires_in": bad}))
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad}: {}", res.json());
    }
    let ok = t
        .owner()
        .post(
            "/api/v1/tokens",
            &json!({"name": "x", "expires_in": 10 * 365 * 86400}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    let id = t.upload("e.jpg", &jpeg(5, 20, 20), &[]).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    for bad in [0i64, -1, i64::MAX, i64::MIN] {
        let res = t
            .owner()
            .post(
                &format!("/api/v1/images/{id}/shares"),
                &json!({"expires_in": bad}),
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

/// `POST /api/v1/me/password`: a wrong current password changes nothing; the right one ends
/// every other session, keeps this one and the API tokens (unless `revoke_tokens`).
async fn changing_the_password_ends_other_sessions(t: TestApp) {
    let this = t.token.clone().unwrap();
    let other = sign_in(&t, "owner", PASSWORD).await;
    let api = t
        .owner()
        .post("/api/v1/tokens", &json!({"name": "ci"}))
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let change = |current: &str, new: &str, revoke: bool| {
        let body =
            json!({"current_password": current, "new_password": new, "revoke_tokens": revoke});
        let (t, this) = (&t, &this);
        async move { t.bearer(this).post("/api/v1/me/password", &body).await }
    };
    let wrong = change("not it at all", "a new long password", false).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let short = change(PASSWORD, "short", false).await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert_eq!(status_of(&t, &other).await, StatusCode::OK);

    let ok = change(PASSWORD, "a new long password", false).await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    assert_eq!(status_of(&t, &this).await, StatusCode::OK);
    assert_eq!(status_of(&t, &other).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status_of(&t, &api).await, StatusCode::OK);
    assert_eq!(
        t.login("owner", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = sign_in(&t, "owner", "a new long password").await;

    let ok = change("a new long password", "a third long password", true).await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    assert_eq!(status_of(&t, &again).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status_of(&t, &api).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status_of(&t, &this).await, StatusCode::OK, "{}", t.backend);
}

/// `PATCH /api/v1/admin/users/{id}`: a password reset ends the user's sessions; make/remove
/// admin; administrators cannot demote themselves, and the last active administrator is never
/// demoted or disabled.
async fn admin_resets_passwords_and_sets_roles_but_keeps_an_admin(t: TestApp) {
    let admin = t.user("root", true).await;
    let owner = t.token.clone().unwrap();
    let owner_id = user_id(&t, &owner).await;
    let admin_id = user_id(&t, &admin).await;
    let patch = |id: &str, body: serde_json::Value| {
        let (t, admin, uri) = (&t, &admin, format!("/api/v1/admin/users/{id}"));
        async move { t.bearer(admin).patch(&uri, &body).await }
    };
    let short = patch(&owner_id, json!({"password": "short"})).await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert_eq!(status_of(&t, &owner).await, StatusCode::OK);
    let reset = patch(&owner_id, json!({"password": "reset by the admin"})).await;
    assert_eq!(reset.status, StatusCode::OK);
    assert_eq!(status_of(&t, &owner).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        t.login("owner", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let owner = sign_in(&t, "owner", "reset by the admin").await;
    // An ordinary user may not do any of it.
    let res = t
        .bearer(&owner)
        .patch(
            &format!("/api/v1/admin/users/{admin_id}"),
            &json!({"password": "taken over now"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    let promoted = patch(&owner_id, json!({"is_admin": true})).await;
    assert_eq!(promoted.json()["is_admin"], true);
    let demoted = patch(&owner_id, json!({"is_admin": false})).await;
    assert_eq!(demoted.json()["is_admin"], false);
    let myself = patch(&admin_id, json!({"is_admin": false})).await;
    assert_eq!(myself.status, StatusCode::BAD_REQUEST);
    // The command line (the system) cannot remove the last administrator either.
    for changes in [
        UserChanges {
            is_admin: Some(false),
            ..Default::default()
        },
        UserChanges {
            disabled: Some(true),
            ..Default::default()
        },
    ] {
        let e = t
            .app
            .update_user(&Viewer::System, &admin_id, changes)
            .await
            .unwrap_err();
        assert!(
            matches!(e, banana_core::CoreError::Conflict(_)),
            "{}: {e}",
            t.backend
        );
    }
    assert_eq!(status_of(&t, &admin).await, StatusCode::OK);
    let missing = patch("no-such-user", json!({"is_admin": true})).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

/// `GET /api/v1/me/sessions` lists the caller's sessions with the current one flagged;
/// `DELETE /api/v1/me/sessions/{id}` signs one out. API tokens are not sessions.
async fn sessions_are_listed_and_ended_one_by_one(t: TestApp) {
    let this = t.token.clone().unwrap();
    let mut r = login_req("owner", PASSWORD);
    r.headers_mut()
        .insert("user-agent", "Phone browser".parse().unwrap());
    let phone = t.raw(r).await.json()["token"].as_str().unwrap().to_string();
    let someone = t.user("someone", false).await;
    let api = t
        .owner()
        .post("/api/v1/tokens", &json!({"name": "ci"}))
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_string();

    let list = t.bearer(&this).get("/api/v1/me/sessions").await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2, "{items:?}");
    let current: Vec<_> = items.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    let phone_session = items
        .iter()
        .find(|s| s["user_agent"] == "Phone browser")
        .expect("the phone's session");
    assert_eq!(phone_session["current"], false);
    assert!(phone_session["created_at"].is_string());
    assert!(phone_session.get("token").is_none());
    let phone_id = phone_session["id"].as_str().unwrap().to_string();

    // Someone else cannot end it, and API tokens are not in the list.
    let end = |token: &str, id: &str| {
        let (t, token, uri) = (&t, token.to_string(), format!("/api/v1/me/sessions/{id}"));
        async move { t.bearer(&token).delete(&uri).await.status }
    };
    assert_eq!(end(&someone, &phone_id).await, StatusCode::NOT_FOUND);
    assert_eq!(status_of(&t, &phone).await, StatusCode::OK);
    let api_id = t
        .app
        .authenticate_token(&api)
        .await
        .unwrap()
        .unwrap()
        .token_id;
    assert_eq!(end(&this, &api_id).await, StatusCode::NOT_FOUND);

    assert_eq!(end(&this, &phone_id).await, StatusCode::NO_CONTENT);
    assert_eq!(status_of(&t, &phone).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status_of(&t, &this).await, StatusCode::OK);
    assert_eq!(status_of(&t, &api).await, StatusCode::OK);
    let left = t.bearer(&this).get("/api/v1/me/sessions").await;
    assert_eq!(left.json()["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        t.anonymous().get("/api/v1/me/sessions").await.status,
        StatusCode::UNAUTHORIZED
    );
}
