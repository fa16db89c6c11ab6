//! Fixture builders that go through the public API only (the HTTP routes a client uses), so a
//! test's set-up exercises the same code as a user would and never writes rows by hand. The
//! one exception is the first administrator, which the product itself creates outside the API
//! (`banana user create --admin`): [`TestApp::bootstrap_admin`] makes the same domain call.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::app::{TestApp, TestResponse};
use crate::client::Caller;

/// The password of every account the kit creates.
pub const PASSWORD: &str = "correct horse battery";

/// A signed-in account.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: String,
    pub username: String,
    pub is_admin: bool,
    /// A session token from `POST /api/v1/auth/login`.
    pub token: String,
}

impl TestUser {
    /// This user as a bearer-token caller.
    pub fn caller(&self) -> Caller {
        Caller::Token(self.token.clone())
    }
}

/// An uploaded image: its id and the upload's response body.
#[derive(Debug, Clone)]
pub struct TestImage {
    pub id: String,
    pub json: Value,
}

/// A share link: its id and the secret token (`/api/v1/shared/{token}`).
#[derive(Debug, Clone)]
pub struct TestShare {
    pub id: String,
    pub token: String,
}

fn expect(res: TestResponse, status: StatusCode, what: &str) -> Value {
    assert_eq!(
        res.status,
        status,
        "{what}: {}",
        String::from_utf8_lossy(&res.body)
    );
    if res.body.is_empty() {
        Value::Null
    } else {
        res.json()
    }
}

fn string(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key:?} in {v}"))
        .to_string()
}

impl TestApp {
    /// `POST /api/v1/auth/login`: the response (token in the body, session cookie set).
    pub async fn login(&self, username: &str, password: &str) -> TestResponse {
        self.anonymous()
            .post(
                "/api/v1/auth/login",
                &json!({"username": username, "password": password}),
            )
            .await
    }

    /// Signs in with [`PASSWORD`] and returns the browser-session caller (the cookie the
    /// response set).
    pub async fn cookie_session(&self, username: &str) -> Caller {
        let res = self.login(username, PASSWORD).await;
        assert_eq!(res.status, StatusCode::OK, "login as {username}");
        let set_cookie = res.headers[axum::http::header::SET_COOKIE]
            .to_str()
            .expect("an ASCII cookie");
        let value = set_cookie
            .split(';')
            .next()
            .and_then(|kv| kv.split_once('='))
            .map(|(_, v)| v.to_string())
            .expect("a session cookie");
        Caller::Cookie(value)
    }

    async fn signed_in(&self, username: &str) -> TestUser {
        let body = expect(
            self.login(username, PASSWORD).await,
            StatusCode::OK,
            "login",
        );
        TestUser {
            id: string(&body["user"], "id"),
            username: string(&body["user"], "username"),
            is_admin: body["user"]["is_admin"].as_bool().unwrap_or(false),
            token: string(&body, "token"),
        }
    }

    /// The owner the app starts with, as a [`TestUser`] (`GET /api/v1/me`).
    pub async fn owner_user(&self) -> TestUser {
        let me = expect(self.owner().get("/api/v1/me").await, StatusCode::OK, "me");
        TestUser {
            id: string(&me, "id"),
            username: string(&me, "username"),
            is_admin: me["is_admin"].as_bool().unwrap_or(false),
            token: self.token.clone().expect("the owner is signed in"),
        }
    }

    /// The first administrator, created as `banana user create --admin` does, then signed in
    /// through the API.
    pub async fn bootstrap_admin(&self, username: &str) -> TestUser {
        self.app
            .create_user(username, PASSWORD, true)
            .await
            .expect("create the first admin");
        self.signed_in(username).await
    }

    /// `POST /api/v1/admin/users` as `admin`, then signs the new account in.
    pub async fn create_user(&self, admin: &TestUser, username: &str, is_admin: bool) -> TestUser {
        expect(
            self.client(&admin.caller())
                .post(
                    "/api/v1/admin/users",
                    &json!({"username": username, "password": PASSWORD, "is_admin": is_admin}),
                )
                .await,
            StatusCode::CREATED,
            "create user",
        );
        self.signed_in(username).await
    }

    /// `PATCH /api/v1/admin/users/{id}` `{"disabled": true}` as `admin`.
    pub async fn disable_user(&self, admin: &TestUser, user_id: &str) {
        expect(
            self.client(&admin.caller())
                .patch(
                    &format!("/api/v1/admin/users/{user_id}"),
                    &json!({"disabled": true}),
                )
                .await,
            StatusCode::OK,
            "disable user",
        );
    }

    /// `POST /api/v1/tokens` as `caller`: the new API token and its id.
    pub async fn api_token(&self, caller: &Caller, name: &str) -> (String, String) {
        let body = expect(
            self.client(caller)
                .post("/api/v1/tokens", &json!({"name": name}))
                .await,
            StatusCode::CREATED,
            "create token",
        );
        (string(&body, "token"), string(&body, "id"))
    }

    /// `DELETE /api/v1/tokens/{id}` as `caller`.
    pub async fn revoke_token(&self, caller: &Caller, id: &str) {
        expect(
            self.client(caller)
                .delete(&format!("/api/v1/tokens/{id}"))
                .await,
            StatusCode::NO_CONTENT,
            "revoke token",
        );
    }

    /// An upload by `caller`; see [`ImageBuilder`].
    pub fn image(&self, caller: &Caller) -> ImageBuilder<'_> {
        ImageBuilder {
            app: self,
            caller: caller.clone(),
            filename: "photo.jpg".into(),
            bytes: crate::app::jpeg(7, 64, 48),
            fields: Vec::new(),
        }
    }

    /// `PATCH /api/v1/images/{id}` `{"visibility": "public"}` as `caller`.
    pub async fn make_public(&self, caller: &Caller, image_id: &str) {
        expect(
            self.client(caller)
                .patch(
                    &format!("/api/v1/images/{image_id}"),
                    &json!({"visibility": "public"}),
                )
                .await,
            StatusCode::OK,
            "make public",
        );
    }

    /// `POST /api/v1/images/{id}/shares` as `caller`, valid for `expires_in` seconds.
    pub async fn share(&self, caller: &Caller, image_id: &str, expires_in: i64) -> TestShare {
        let body = expect(
            self.client(caller)
                .post(
                    &format!("/api/v1/images/{image_id}/shares"),
                    &json!({"expires_in": expires_in}),
                )
                .await,
            StatusCode::CREATED,
            "share",
        );
        TestShare {
            id: string(&body, "id"),
            token: string(&body, "token"),
        }
    }
}

/// An image upload through `POST /api/v1/images`: a small generated JPEG unless
/// [`ImageBuilder::file`] gives one.
pub struct ImageBuilder<'a> {
    app: &'a TestApp,
    caller: Caller,
    filename: String,
    bytes: Vec<u8>,
    fields: Vec<(String, String)>,
}

impl ImageBuilder<'_> {
    pub fn file(mut self, filename: &str, bytes: &[u8]) -> Self {
        self.filename = filename.into();
        self.bytes = bytes.to_vec();
        self
    }

    /// A form field of the upload (`title`, `attribution`, `visibility`).
    pub fn field(mut self, name: &str, value: &str) -> Self {
        self.fields.push((name.into(), value.into()));
        self
    }

    pub fn public(self) -> Self {
        self.field("visibility", "public")
    }

    /// Uploads and expects 201 Created.
    pub async fn create(self) -> TestImage {
        let fields: Vec<(&str, &str)> = self
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let json = expect(
            self.app
                .client(&self.caller)
                .upload(&self.filename, &self.bytes, &fields)
                .await,
            StatusCode::CREATED,
            "upload",
        );
        TestImage {
            id: string(&json, "id"),
            json,
        }
    }
}
