//! Who is calling: a bearer token, a session cookie, or nobody, and from which address.
//! Cookie-authenticated requests that change state must carry exactly `X-Banana-CSRF: 1` (a
//! header a cross-site form cannot send) and, when the browser sends an Origin, come from this
//! site.
//!
//! The client address is the TCP peer, unless the peer is a trusted reverse proxy
//! (`BANANA_TRUST_PROXY` / `BANANA_TRUSTED_PROXIES`): then it is the right-most
//! `X-Forwarded-For` entry that is not a trusted proxy. Entries to the left of it were written
//! by the client and are never believed (proxies append; the left-most entry is the client's
//! own claim).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use banana_core::access::Viewer;
use banana_core::accounts::TokenKind;
use banana_core::config::Config;
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
    /// That token's id and kind (a session from a password sign-in, or an API token).
    pub token_id: Option<String>,
    pub kind: Option<TokenKind>,
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

    /// 403 unless the request was made with a session (a password sign-in), not an API token:
    /// for minting API tokens, so a leaked token cannot make itself permanent.
    pub fn require_session(&self) -> Result<(), AppError> {
        match self.kind {
            Some(TokenKind::Session) => Ok(()),
            Some(TokenKind::Api) => Err(CoreError::Forbidden(
                "API tokens cannot create API tokens; sign in with your password".into(),
            )
            .into()),
            None => Err(CoreError::Unauthorized.into()),
        }
    }

    fn anonymous(ip: String, https: bool) -> Caller {
        Caller {
            viewer: Viewer::Anonymous,
            token: None,
            token_id: None,
            kind: None,
            ip,
            https,
        }
    }

    fn signed_in(
        auth: banana_core::accounts::Authenticated,
        token: String,
        ip: String,
        https: bool,
    ) -> Caller {
        Caller {
            viewer: auth.viewer,
            token: Some(token),
            token_id: Some(auth.token_id),
            kind: Some(auth.kind),
            ip,
            https,
        }
    }
}

/// One `X-Forwarded-For` entry as an address (`1.2.3.4`, `1.2.3.4:5678`, `[::1]:80`, `::1`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| hop.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
        .map(|ip| ip.to_canonical())
}

/// The client's address, and whether the request came through a trusted proxy (so that its
/// X-Forwarded-Proto/-Host may be believed). See the module comment.
pub fn client_address(
    config: &Config,
    peer: Option<IpAddr>,
    headers: &HeaderMap,
) -> (String, bool) {
    let peer = peer.map(|p| p.to_canonical());
    let is_proxy = |ip: IpAddr| config.trusted_proxies.iter().any(|n| n.contains(ip));
    let peer_is_proxy = if config.trusted_proxies.is_empty() {
        config.trust_proxy
    } else {
        peer.is_some_and(is_proxy)
    };
    let fallback = || peer.map_or_else(|| "unknown".to_string(), |p| p.to_string());
    if !peer_is_proxy {
        return (fallback(), false);
    }
    // Every X-Forwarded-For line, in order, as one list of hops (left = farthest).
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    let mut nearest = None;
    for hop in hops.iter().rev() {
        match parse_hop(hop) {
            // One proxy (no list): the entry it appended is the client.
            Some(ip) if config.trusted_proxies.is_empty() => return (ip.to_string(), true),
            Some(ip) if is_proxy(ip) => nearest = Some(ip),
            Some(ip) => return (ip.to_string(), true),
            // Not an address: a trusted proxy never writes that, so the hop to its right
            // (or the peer) is the best we know.
            None => break,
        }
    }
    (nearest.map_or_else(fallback, |ip| ip.to_string()), true)
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
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let (ip, trust) = client_address(&app.config, peer, &parts.headers);
        // The nearest proxy's word (right-most), if the proxy is trusted.
        let https = trust
            && header_str(parts, "x-forwarded-proto")
                .and_then(|p| p.rsplit(',').next())
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));

        if let Some(auth) = header_str(parts, header::AUTHORIZATION.as_str()) {
            let token = auth
                .strip_prefix("Bearer ")
                .or_else(|| auth.strip_prefix("bearer "))
                .ok_or(CoreError::Unauthorized)?
                .trim()
                .to_string();
            // A bearer token that does not work is an error, never a silent sign-out.
            let auth = app
                .authenticate_token(&token)
                .await?
                .ok_or(CoreError::Unauthorized)?;
            return Ok(Caller::signed_in(auth, token, ip, https));
        }
        if let Some(token) = cookie(parts, SESSION_COOKIE).map(str::to_string) {
            if let Some(auth) = app.authenticate_token(&token).await? {
                let changes_state =
                    !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
                if changes_state {
                    if header_str(parts, CSRF_HEADER).map(str::trim) != Some("1") {
                        return Err(CoreError::Forbidden(format!(
                            "cookie-authenticated requests that change something need the header {CSRF_HEADER}: 1"
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
                return Ok(Caller::signed_in(auth, token, ip, https));
            }
        }
        Ok(Caller::anonymous(ip, https))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Config {
        Config::from_vars(
            vars.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
        .unwrap()
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn forwarded_for_is_read_from_the_right() {
        let none = config(&[]);
        let one = config(&[("BANANA_TRUST_PROXY", "true")]);
        let list = config(&[("BANANA_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")]);
        let spoofed = xff(&["6.6.6.6, 203.0.113.7"]);
        // Not trusted: the peer, headers ignored.
        assert_eq!(
            client_address(&none, ip("198.51.100.1"), &spoofed),
            ("198.51.100.1".into(), false)
        );
        // One proxy: what it appended (right-most), never the client's own left-most claim.
        assert_eq!(
            client_address(&one, ip("127.0.0.1"), &spoofed),
            ("203.0.113.7".into(), true)
        );
        // A list: the right-most entry that is not a proxy, across several header lines.
        let chain = xff(&["6.6.6.6, 203.0.113.9", "10.1.1.1:4711, [::ffff:10.2.2.2]"]);
        assert_eq!(
            client_address(&list, ip("127.0.0.1"), &chain),
            ("203.0.113.9".into(), true)
        );
        // A peer outside the list is a client that talks to us directly.
        assert_eq!(
            client_address(&list, ip("198.51.100.2"), &chain),
            ("198.51.100.2".into(), false)
        );
        // No header: the peer; garbage right of the proxies: the nearest proxy.
        assert_eq!(
            client_address(&list, ip("10.0.0.3"), &HeaderMap::new()),
            ("10.0.0.3".into(), true)
        );
        assert_eq!(
            client_address(&list, ip("10.0.0.3"), &xff(&["1.2.3.4, bogus, 10.0.0.7"])),
            ("10.0.0.7".into(), true)
        );
        assert_eq!(
            client_address(&one, ip("::ffff:127.0.0.1"), &xff(&["2001:db8::1"])),
            ("2001:db8::1".into(), true)
        );
    }
}
