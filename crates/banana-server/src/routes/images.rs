//! `/api/v1/images`: upload, list, get, delete, and the image bytes.
//!
//! The upload form is read while streaming and every part is bounded as it arrives (the file by
//! `BANANA_MAX_UPLOAD_BYTES`, text fields by [`MAX_FIELD_BYTES`]), so no part is buffered whole
//! before its check. Image bytes are sent with `private, no-cache` and an ETag: a browser keeps
//! them but asks again each time (a cheap 304), so access is re-checked on every use and an
//! image made private, a revoked share link or a disabled account stops working at once. The
//! download name's extension always matches the bytes' format.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use banana_core::images::{Content, ListRequest, Upload, Variant};
use banana_core::metrics::UploadOutcome;
use bytes::BytesMut;
use serde::Deserialize;

use banana_api::{ErrorResponse, ImagePatch, ImageSort, ImageView, Library, Page, UploadForm};
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::{empty, header_value, AppError, AppState};

/// Room for the multipart framing and the text fields around the file.
const FORM_OVERHEAD: u64 = 64 * 1024;
/// The most bytes a text field (title, attribution, visibility) may have: room for
/// [`banana_core::images::MAX_TEXT_CHARS`] characters of up to 4 bytes, and some whitespace
/// (trimmed before the character count is checked).
pub const MAX_FIELD_BYTES: usize = banana_core::images::MAX_TEXT_CHARS * 4 + 1024;
/// How image bytes may be cached (see the module comment): stored, but revalidated on every use.
const IMAGE_CACHE: &str = "private, no-cache";

pub fn body_limit(app: &AppState) -> usize {
    (app.config.max_upload_bytes + FORM_OVERHEAD) as usize
}

pub fn router(body_limit: usize) -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/images",
            get(list)
                .post(upload)
                .layer(DefaultBodyLimit::max(body_limit)),
        )
        .route(
            "/api/v1/images/{id}",
            get(show).delete(remove).patch(update),
        )
        .route("/api/v1/images/{id}/original", get(original))
        .route("/api/v1/images/{id}/thumbnail", get(thumbnail))
        .route("/api/v1/images/{id}/preview", get(preview))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListParams {
    /// 1–100, default 20.
    limit: Option<i64>,
    /// `next_cursor` of the page before.
    cursor: Option<String>,
    /// Only images with this label attached: a WordNet id, or a category id (`dog`) for the
    /// images with it or anything below it attached (the pug, the beagle; not the hotdog).
    label: Option<String>,
    /// Whose images: `mine` (default), `public`, or `all` the caller may see.
    #[serde(default)]
    #[param(inline)]
    scope: Library,
    /// `taken` (default: by date taken, images without one by upload time) or `uploaded`.
    #[serde(default)]
    #[param(inline)]
    sort: ImageSort,
    /// Taken on or after this local date (`YYYY-MM-DD`).
    taken_from: Option<String>,
    /// Taken on or before this local date (`YYYY-MM-DD`).
    taken_to: Option<String>,
    /// Taken in this country (ISO 3166-1 alpha-2); matches the caller's own images only.
    country: Option<String>,
    /// Taken in this city (any case); matches the caller's own images only.
    city: Option<String>,
    /// Taken with this camera make, or a model containing it ("Canon", "iPhone").
    camera: Option<String>,
    /// Only the images of this album of the caller's (all those they may see in it,
    /// whatever `scope` says).
    album: Option<String>,
    /// `true`: only the caller's favourites (all those they may see, whatever `scope` says).
    #[serde(default)]
    favorite: bool,
    /// Only images with this tag (any case).
    tag: Option<String>,
}

impl From<ListParams> for ListRequest {
    fn from(p: ListParams) -> Self {
        ListRequest {
            limit: p.limit,
            cursor: p.cursor,
            label: p.label,
            library: p.scope,
            sort: p.sort,
            taken_from: p.taken_from,
            taken_to: p.taken_to,
            country: p.country,
            city: p.city,
            camera: p.camera,
            album: p.album,
            favorite: p.favorite,
            tag: p.tag,
        }
    }
}

/// Images newest first (by date taken, or `sort=uploaded`): the caller's own by default
/// (`scope`), narrowed by label, dates, place and camera.
#[utoipa::path(get, path = "/api/v1/images", operation_id = "listImages", tag = "images", params(ListParams),
    responses(
        (status = 200, body = Page<ImageView>),
        (status = 400, description = "a bad cursor", body = ErrorResponse),
    ))]
pub(crate) async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let page = app.list_images(&caller.viewer, p.into()).await?;
    Ok(Json(page).into_response())
}

/// One image.
#[utoipa::path(get, path = "/api/v1/images/{id}", operation_id = "getImage", tag = "images", params(("id" = String, Path, description = "the image's id")),
    responses(
        (status = 200, body = ImageView),
        (status = 404, description = "no such image, or not visible to the caller", body = ErrorResponse),
    ))]
pub(crate) async fn show(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    Ok(Json(app.get_image(&caller.viewer, &id).await?).into_response())
}

/// Change an image's title, attribution or visibility (the owner or an administrator).
#[utoipa::path(patch, path = "/api/v1/images/{id}", operation_id = "updateImage", tag = "images", params(("id" = String, Path, description = "the image's id")),
    request_body = ImagePatch,
    responses(
        (status = 200, body = ImageView),
        (status = 400, body = ErrorResponse),
        (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(patch): Json<ImagePatch>,
) -> Result<Response, AppError> {
    Ok(Json(app.patch_image(&caller.viewer, &id, patch).await?).into_response())
}

/// Move an image to its owner's trash (`GET /api/v1/trash`): it leaves every list, search,
/// album and share link at once, and is deleted for good after the server's `trash_days`
/// (`GET /api/v1/info`; 0: deleted for good now, files included).
#[utoipa::path(delete, path = "/api/v1/images/{id}", operation_id = "deleteImage", tag = "images", params(("id" = String, Path, description = "the image's id")),
    responses(
        (status = 204, description = "in the trash (or deleted, when the trash is off)"),
        (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn remove(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    app.delete_image(&caller.viewer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Upload an image (`201` with `Location`; `200` without storing in demo mode).
#[utoipa::path(post, path = "/api/v1/images", operation_id = "uploadImage", tag = "images",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "stored; labeling follows (`status: pending`)", body = ImageView,
            headers(("Location" = String, description = "the image's URL"))),
        (status = 200, description = "demo mode: labeled, not stored", body = ImageView),
        (status = 400, description = "a malformed form or a bad field", body = ErrorResponse),
        (status = 401, body = ErrorResponse),
        (status = 409, description = "`duplicate`: the caller already has these bytes (`image_id`)", body = ErrorResponse),
        (status = 413, body = ErrorResponse),
        (status = 415, description = "not an image format Banana reads", body = ErrorResponse),
        (status = 422, description = "empty, undecodable, or too many pixels", body = ErrorResponse),
        (status = 503, description = "storage or database unavailable; try again", body = ErrorResponse),
    ))]
#[tracing::instrument(skip_all)]
pub(crate) async fn upload(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, AppError> {
    // Demo mode needs no account (it stores nothing); otherwise uploads belong to someone.
    let owner = if app.config.demo {
        String::new()
    } else {
        caller.user_id()?.to_string()
    };
    let limit = app.config.max_upload_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit + FORM_OVERHEAD) {
        return Err(banana_core::CoreError::TooLarge { limit }.into());
    }
    let (bytes, result) = store_upload(&app, multipart, limit, owner).await;
    let response = result.unwrap_or_else(IntoResponse::into_response);
    // The outcome follows the status the one error mapping (crate::error) gave.
    let outcome = match response.status() {
        s if s.is_success() => UploadOutcome::Created,
        StatusCode::CONFLICT => UploadOutcome::Duplicate,
        s if s.is_server_error() => UploadOutcome::Failed,
        _ => UploadOutcome::Rejected,
    };
    app.metrics.upload(bytes, outcome);
    Ok(response)
}

/// Read the form and ingest the file; also returns the file's size (0 when the form failed).
async fn store_upload(
    app: &AppState,
    multipart: Multipart,
    limit: u64,
    owner: String,
) -> (u64, Result<Response, AppError>) {
    let mut form = match read_form(multipart, limit).await {
        Ok(form) => form,
        Err(e) => return (0, Err(e)),
    };
    form.owner_id = owner;
    let bytes = form.bytes.len() as u64;
    let view = match app.ingest(form).await {
        Ok(view) => view,
        Err(e) => return (bytes, Err(e.into())),
    };
    if app.config.demo {
        return (bytes, Ok((StatusCode::OK, Json(view)).into_response()));
    }
    let location = format!("/api/v1/images/{}", view.id);
    let created = (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(view),
    );
    (bytes, Ok(created.into_response()))
}

/// Read the multipart form, streaming the file part into one buffer and stopping as soon as it
/// passes the limit.
async fn read_form(mut multipart: Multipart, limit: u64) -> Result<Upload, AppError> {
    use banana_core::CoreError::{BadRequest, TooLarge};
    let mut form = Upload::default();
    let mut have_file = false;
    let too_large =
        |e: &axum::extract::multipart::MultipartError| e.status() == StatusCode::PAYLOAD_TOO_LARGE;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if too_large(&e) => return Err(TooLarge { limit }.into()),
            Err(e) => {
                return Err(
                    BadRequest(format!("malformed multipart body: {}", e.body_text())).into(),
                )
            }
        };
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "file" => {
                if have_file {
                    return Err(BadRequest("send one `file` part per request".into()).into());
                }
                have_file = true;
                form.filename = field.file_name().map(str::to_string);
                let mut field = field;
                let mut buf = BytesMut::new();
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if (buf.len() + chunk.len()) as u64 > limit {
                                return Err(TooLarge { limit }.into());
                            }
                            buf.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(e) if too_large(&e) => return Err(TooLarge { limit }.into()),
                        Err(e) => {
                            return Err(BadRequest(format!(
                                "malformed multipart body: {}",
                                e.body_text()
                            ))
                            .into())
                        }
                    }
                }
                form.bytes = buf.freeze();
            }
            "title" | "attribution" | "visibility" => {
                let slot = match name.as_str() {
                    "title" => &mut form.title,
                    "attribution" => &mut form.attribution,
                    _ => &mut form.visibility,
                };
                if slot.is_some() {
                    return Err(BadRequest(format!("send one `{name}` part per request")).into());
                }
                *slot = Some(read_text_field(field, &name, limit).await?);
            }
            "file_modified_at" => {
                if form.file_modified_ms.is_some() {
                    return Err(BadRequest(format!("send one `{name}` part per request")).into());
                }
                let text = read_text_field(field, &name, limit).await?;
                form.file_modified_ms = Some(banana_core::images::parse_instant(&name, &text)?);
            }
            other => return Err(BadRequest(format!("unexpected form field {other:?}")).into()),
        }
    }
    if !have_file {
        return Err(BadRequest("the form has no `file` part".into()).into());
    }
    Ok(form)
}

/// A text part, read chunk by chunk and refused as soon as it passes [`MAX_FIELD_BYTES`].
async fn read_text_field(
    mut field: axum::extract::multipart::Field<'_>,
    name: &str,
    limit: u64,
) -> Result<String, AppError> {
    use banana_core::CoreError::{BadRequest, TooLarge};
    let mut buf = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if buf.len() + chunk.len() > MAX_FIELD_BYTES {
                    return Err(BadRequest(format!(
                        "{name} is longer than {} characters",
                        banana_core::images::MAX_TEXT_CHARS
                    ))
                    .into());
                }
                buf.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(TooLarge { limit }.into())
            }
            Err(e) => return Err(BadRequest(format!("field {name}: {}", e.body_text())).into()),
        }
    }
    String::from_utf8(buf).map_err(|_| BadRequest(format!("field {name} is not UTF-8")).into())
}

/// The original bytes (non-owners get the copy without private metadata).
#[utoipa::path(get, path = "/api/v1/images/{id}/original", operation_id = "getOriginal", tag = "images", params(("id" = String, Path, description = "the image's id")),
    responses(
        (status = 200, description = "the bytes, with `ETag`; `If-None-Match` gives 304", content_type = "image/*", body = Vec<u8>),
        (status = 302, description = "a presigned URL of the object store (when so configured)"),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn original(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    send_content(
        app.content(&caller.viewer, &id, Variant::Original).await?,
        &headers,
    )
}

/// A square thumbnail (JPEG).
#[utoipa::path(get, path = "/api/v1/images/{id}/thumbnail", operation_id = "getThumbnail", tag = "images", params(("id" = String, Path, description = "the image's id")),
    responses(
        (status = 200, description = "the bytes, with `ETag`; `If-None-Match` gives 304", content_type = "image/*", body = Vec<u8>),
        (status = 302, description = "a presigned URL of the object store (when so configured)"),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn thumbnail(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    send_content(
        app.content(&caller.viewer, &id, Variant::Thumbnail).await?,
        &headers,
    )
}

/// A preview, at most 1280 pixels on the long side (JPEG).
#[utoipa::path(get, path = "/api/v1/images/{id}/preview", operation_id = "getPreview", tag = "images", params(("id" = String, Path, description = "the image's id")),
    responses(
        (status = 200, description = "the bytes, with `ETag`; `If-None-Match` gives 304", content_type = "image/*", body = Vec<u8>),
        (status = 302, description = "a presigned URL of the object store (when so configured)"),
        (status = 404, body = ErrorResponse),
    ))]
pub(crate) async fn preview(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    send_content(
        app.content(&caller.viewer, &id, Variant::Preview).await?,
        &headers,
    )
}

/// Send image bytes (with ETag and caching) or the presigned redirect.
pub fn send_content(content: Content, headers: &HeaderMap) -> Result<Response, AppError> {
    match content {
        Content::Redirect(url) => {
            // 302 Found, as the old project answered (the presigned URL is short-lived).
            let mut r = empty(StatusCode::FOUND);
            r.headers_mut().insert(header::LOCATION, header_value(&url));
            r.headers_mut()
                .insert(header::CACHE_CONTROL, header_value("private, no-store"));
            Ok(r)
        }
        Content::Object {
            object,
            content_type,
            etag,
            filename,
        } => {
            // The owner's original and everyone else's copy share a URL: caches must key on
            // who asks.
            let vary = "authorization, cookie";
            if headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
            {
                let mut r = empty(StatusCode::NOT_MODIFIED);
                let h = r.headers_mut();
                h.insert(header::ETAG, header_value(&etag));
                h.insert(header::CACHE_CONTROL, header_value(IMAGE_CACHE));
                h.insert(header::VARY, header_value(vary));
                return Ok(r);
            }
            let name = banana_core::filename::download_filename(&filename, &content_type);
            let mut r = Response::new(Body::from_stream(object.stream));
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, header_value(&content_type));
            h.insert(
                header::CONTENT_LENGTH,
                header_value(&object.size.to_string()),
            );
            h.insert(header::ETAG, header_value(&etag));
            h.insert(header::CACHE_CONTROL, header_value(IMAGE_CACHE));
            h.insert(header::VARY, header_value(vary));
            h.insert(
                header::CONTENT_DISPOSITION,
                header_value(&content_disposition(&name)),
            );
            Ok(r)
        }
    }
}

/// `inline` with an ASCII fallback name and the exact name in RFC 5987 form.
fn content_disposition(filename: &str) -> String {
    disposition("inline", filename)
}

/// `kind` (`inline`, `attachment`) with an ASCII fallback name and the exact name in RFC 5987
/// form.
pub(crate) fn disposition(kind: &str, filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    const ATTR_CHAR: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'.')
        .remove(b'-')
        .remove(b'_')
        .remove(b'~');
    let encoded = percent_encoding::utf8_percent_encode(filename, ATTR_CHAR);
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_disposition_keeps_unicode_names_safe() {
        assert_eq!(
            super::content_disposition("chat \"noir\".jpg"),
            "inline; filename=\"chat _noir_.jpg\"; filename*=UTF-8''chat%20%22noir%22.jpg"
        );
        assert!(super::content_disposition("猫.jpg")
            .starts_with("inline; filename=\"_.jpg\"; filename*=UTF-8''%E7%8C%AB"));
    }
}
