//! Who is calling: a bearer token, a session cookie, or nobody. Cookie-authenticated requests
//! that change state must carry `X-Banana-CSRF: 1` (a header a cross-site form cannot send) and,
//! when the browser sends an Origin, come from this site.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, Method};
use banana_core::access::Viewer;
use banana_core::CoreError;

use crate::{AppError, AppState};

pub const SESSION_COOKIE: &str = "banana_session";
pub const CSRF_HEADER: &str = "x-banana-csrf";

/// The caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub viewer: Viewer,
    /// The token that authenticated the request, if any.
    pub token: Option<String>,
    /// The client's address (from X-Forwarded-For when the proxy is trusted).
    pub ip: String,
    /// The request reached us over HTTPS (directly or through a trusted proxy).
    pub https: bool,
}

impl Caller {
    /// The signed-in user's id, or 401.
    pub fn user_id(&self) -> Result<&str, AppError> {
        match &self.viewer {
            Viewer::User { id, .. } => Ok(id),
            _ => Err(CoreError::Unauthorized.into()),
        }
    }
}

fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn header_str<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts.headers.get(name).and_then(|v| v.to_str().ok())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let trust = app.config.trust_proxy;
        let ip = trust
            .then(|| header_str(parts, "x-forwarded-for"))
            .flatten()
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_string())
            .or_else(|| {
                parts
                    .extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip().to_string())
            })
            .unwrap_or_else(|| "unknown".into());
        let https = trust
            && header_str(parts, "x-forwarded-proto")
                .is_some_and(|p| p.eq_ignore_ascii_case("https"));

        if let Some(auth) = header_str(parts, header::AUTHORIZATION.as_str()) {
            let token = auth
                .strip_prefix("Bearer ")
                .or_else(|| auth.strip_prefix("bearer "))
                .ok_or(CoreError::Unauthorized)?
                .trim()
                .to_string();
            // A bearer token that does not work is an error, never a silent sign-out.
            let (viewer, _) = app
                .authenticate(&token)
                .await?
                .ok_or(CoreError::Unauthorized)?;
            return Ok(Caller {
                viewer,
                token: Some(token),
                ip,
                https,
            });
        }
        if let Some(token) = cookie(parts, SESSION_COOKIE).map(str::to_string) {
            if let Some((viewer, _)) = app.authenticate(&token).await? {
                let changes_state =
                    !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
                if changes_state {
                    if header_str(parts, CSRF_HEADER).is_none() {
                        return Err(CoreError::Forbidden(format!(
                            "cookie-authenticated requests that change something need the {CSRF_HEADER} header"
                        ))
                        .into());
                    }
                    if let (Some(origin), Some(host)) =
                        (header_str(parts, "origin"), header_str(parts, "host"))
                    {
                        let origin_host = origin.split("://").nth(1).unwrap_or(origin);
                        let forwarded_host = trust
                            .then(|| header_str(parts, "x-forwarded-host"))
                            .flatten();
                        if origin_host != host && Some(origin_host) != forwarded_host {
                            return Err(
                                CoreError::Forbidden("cross-site request refused".into()).into()
                            );
                        }
                    }
                }
                return Ok(Caller {
                    viewer,
                    token: Some(token),
                    ip,
                    https,
                });
            }
        }
        Ok(Caller {
            viewer: Viewer::Anonymous,
            token: None,
            ip,
            https,
        })
    }
}

/// The Set-Cookie value for a new session.
pub fn session_cookie(token: &str, https: bool) -> String {
    let max_age = banana_core::accounts::SESSION_TTL_MS / 1000;
    let secure = if https { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// The Set-Cookie value that removes the session cookie.
pub fn clear_cookie(https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}
