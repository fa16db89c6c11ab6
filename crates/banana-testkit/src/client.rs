//! Typed callers and their request verbs: every request a test sends says who sends it —
//! nobody, a bearer token, or a browser session cookie (which adds the CSRF header to requests
//! that change state, as the web UI does).

use axum::body::Body;
use axum::http::{header, Method, Request};
use banana_server::auth::{CSRF_HEADER, SESSION_COOKIE};
use serde_json::Value;

use crate::app::{multipart, TestApp, TestResponse};

/// Who sends a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No credentials at all.
    Anonymous,
    /// `Authorization: Bearer <token>` (an API token or a session token).
    Token(String),
    /// The session cookie a browser holds after signing in, with `X-Banana-CSRF: 1` on every
    /// request that is not a GET/HEAD/OPTIONS.
    Cookie(String),
}

impl Caller {
    /// A request builder for `method uri` carrying this caller's credentials.
    pub fn request(&self, method: Method, uri: &str) -> axum::http::request::Builder {
        let b = Request::builder().method(method.clone()).uri(uri);
        match self {
            Caller::Anonymous => b,
            Caller::Token(t) => b.header(header::AUTHORIZATION, format!("Bearer {t}")),
            Caller::Cookie(t) => {
                let b = b.header(header::COOKIE, format!("{SESSION_COOKIE}={t}"));
                if matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
                    b
                } else {
                    b.header(CSRF_HEADER, "1")
                }
            }
        }
    }

    /// `method uri` as this caller, with a JSON body when given: what [`Client::send`] sends,
    /// for a router other than the app's or a request sent from a spawned task
    /// ([`crate::send`]).
    pub fn json_request(&self, method: Method, uri: &str, json: Option<&Value>) -> Request<Body> {
        let b = self.request(method, uri);
        match json {
            Some(j) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(j.to_string())),
            None => b.body(Body::empty()),
        }
        .expect("a valid request")
    }
}

/// Requests to one [`TestApp`] as one [`Caller`] (see [`TestApp::client`]).
pub struct Client<'a> {
    app: &'a TestApp,
    caller: Caller,
}

impl Client<'_> {
    /// `method uri`, with a JSON body when given.
    pub async fn send(&self, method: Method, uri: &str, json: Option<&Value>) -> TestResponse {
        self.app
            .raw(self.caller.json_request(method, uri, json))
            .await
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.send(Method::GET, uri, None).await
    }

    pub async fn post(&self, uri: &str, json: &Value) -> TestResponse {
        self.send(Method::POST, uri, Some(json)).await
    }

    pub async fn patch(&self, uri: &str, json: &Value) -> TestResponse {
        self.send(Method::PATCH, uri, Some(json)).await
    }

    pub async fn delete(&self, uri: &str) -> TestResponse {
        self.send(Method::DELETE, uri, None).await
    }

    /// POST `/api/v1/images`: a multipart upload with one file part and optional text fields.
    pub async fn upload(
        &self,
        filename: &str,
        bytes: &[u8],
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let (content_type, body) = multipart(filename, bytes, fields);
        let req = self
            .caller
            .request(Method::POST, "/api/v1/images")
            .header(header::CONTENT_TYPE, content_type)
            .header(header::CONTENT_LENGTH, body.len())
            .body(Body::from(body))
            .expect("a valid request");
        self.app.raw(req).await
    }
}

impl TestApp {
    /// Requests as `caller`.
    pub fn client(&self, caller: &Caller) -> Client<'_> {
        Client {
            app: self,
            caller: caller.clone(),
        }
    }

    /// Requests with `Authorization: Bearer <token>` (an API or a session token).
    pub fn bearer(&self, token: &str) -> Client<'_> {
        self.client(&Caller::Token(token.to_string()))
    }

    /// Requests with no credentials.
    pub fn anonymous(&self) -> Client<'_> {
        self.client(&Caller::Anonymous)
    }

    /// The owner every test app starts with, as a caller (its bearer token).
    pub fn owner_caller(&self) -> Caller {
        Caller::Token(self.token.clone().expect("the owner is signed in"))
    }

    /// Requests as the owner every test app starts with (its bearer token).
    pub fn owner(&self) -> Client<'_> {
        self.client(&self.owner_caller())
    }
}
