//! The API contract: the OpenAPI 3.1 document of every route, generated from the handlers'
//! `#[utoipa::path]` annotations and the wire types of `banana-api`. It is served at
//! `GET /api/v1/openapi.json`, printed by `banana openapi`, checked in as `docs/openapi.json`
//! (a test fails when that copy is stale) and turned into the web UI's types
//! (`web/src/api/schema.ts`, by `openapi-typescript`; the test command fails when those are
//! stale too).
//!
//! Adding an endpoint: annotate its handler with `#[utoipa::path]` and list it in
//! [`ApiDoc`]'s `paths`; a route missing here fails `tests/openapi.rs`.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::auth::{CSRF_HEADER, SESSION_COOKIE};
use crate::routes::{accounts, albums, health, images, labels, library, places, search, shares};
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Banana",
        description = "An AI-powered image repository: upload photos, have them labeled, search \
            them in natural language. Authenticate with `Authorization: Bearer <token>` (an API \
            token, or the session token a sign-in returns) or the session cookie; \
            cookie-authenticated requests that change something also send `X-Banana-CSRF: 1`. \
            Every error is `{\"error\": {\"code\", \"message\"}}` (`ErrorResponse`).",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        health::healthz,
        health::readyz,
        health::info,
        images::list,
        images::upload,
        images::show,
        images::update,
        images::remove,
        images::original,
        images::thumbnail,
        images::preview,
        labels::list,
        labels::add_tag,
        labels::remove_tag,
        labels::reject_label,
        places::timeline,
        albums::create,
        albums::list,
        albums::show,
        albums::update,
        albums::remove,
        albums::add_images,
        albums::remove_images,
        albums::favorite,
        albums::unfavorite,
        albums::create_share,
        albums::list_shares,
        albums::revoke_share,
        library::album_download,
        library::trash,
        library::restore,
        library::empty_trash,
        library::bulk,
        library::neighbors,
        library::download,
        library::duplicates,
        places::places,
        search::search,
        search::similar,
        shares::create,
        shares::list,
        shares::revoke,
        shares::show,
        shares::content,
        shares::download,
        shares::album_content,
        accounts::register,
        accounts::login,
        accounts::logout,
        accounts::me,
        accounts::change_password,
        accounts::list_sessions,
        accounts::end_session,
        accounts::list_tokens,
        accounts::create_token,
        accounts::revoke_token,
        accounts::list_users,
        accounts::create_user,
        accounts::update_user,
        accounts::delete_user,
        openapi_json,
    ),
    components(schemas(
        banana_api::ImageStatus,
        banana_api::Visibility,
        banana_api::Mode,
        banana_api::Library,
        banana_api::ImageSort,
        banana_api::TakenSource,
        banana_api::LabelCategory
    )),
    modifiers(&Security),
    security(("bearer" = []), ("cookie" = [])),
    tags(
        (name = "images", description = "Upload, list, change and delete images; their bytes."),
        (name = "albums", description = "Albums and favourites: a user's own collections."),
        (name = "library", description = "The trash, bulk actions, ZIP downloads and near-duplicates."),
        (name = "search", description = "Natural-language search and \"more like this\"."),
        (name = "shares", description = "Share links: one image or one album, no account, until they expire."),
        (name = "accounts", description = "Sign-up, sign-in, sessions and API tokens."),
        (name = "admin", description = "Accounts, for administrators."),
        (name = "server", description = "Health and what the server offers."),
    ),
)]
pub struct ApiDoc;

/// The two ways to authenticate.
struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token (`POST /api/v1/tokens`) or the token a sign-in returns.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                &format!(
                    "The session cookie a sign-in sets; requests that change something also \
                     send `{CSRF_HEADER}: 1`."
                ),
            ))),
        );
    }
}

/// The document, as served and checked in.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `document()` as the pretty JSON that `docs/openapi.json` holds (with a final newline).
pub fn document_json() -> String {
    let mut s = document()
        .to_pretty_json()
        .expect("the OpenAPI document serializes");
    s.push('\n');
    s
}

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(openapi_json))
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", operation_id = "getOpenapi", tag = "server", security(()),
    responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json")))]
pub(crate) async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
