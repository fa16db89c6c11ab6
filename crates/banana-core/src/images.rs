//! Uploading, reading and deleting images.
//!
//! Write order that cannot lose data: an upload intent is committed first, then the objects
//! under content-addressed keys (the SHA-256 of the original), then the row and either its
//! analysis results (written by `App::store_analysis`, when they came with it: the import
//! pipeline) or its `label` job in one transaction, then the intent is dropped. If the upload
//! fails the objects are removed again, unless another row or another upload in flight covers
//! the same content (objects are shared by content across owners); if the process dies, or the
//! store or database is unavailable, the intent stays and the sweeper (`sweep.rs`) removes
//! them. Deleting removes the row (with an intent, in one transaction), then the objects no
//! remaining row references.

use banana_db::images::{self as q, Cursor, ImageRow, ListQuery};
use banana_db::{labels, now_ms, DbError};
use banana_media::{Derived, Limits};
use banana_storage::keys;
use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::access::Viewer;
use crate::analysis::{self, AnalysisResult, ToStore};
use crate::filename::sanitize_filename;
use crate::jobs::{BackgroundJob, LabelImage};
pub use crate::view::Page;
use crate::view::{image_view, labels_of, ImageView};
use crate::{App, CoreError};
use banana_api::{ImagePatch, Library};

/// The longest title or attribution accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 1000;

/// One uploaded file and its form fields.
#[derive(Debug, Default)]
pub struct Upload {
    pub bytes: Bytes,
    pub filename: Option<String>,
    pub title: Option<String>,
    pub attribution: Option<String>,
    pub owner_id: String,
    pub visibility: Option<String>,
}

/// What to send for an image's bytes.
pub enum Content {
    /// Stream these bytes.
    Object {
        object: banana_storage::Object,
        content_type: String,
        etag: String,
        filename: String,
    },
    /// Redirect the client to a presigned URL.
    Redirect(String),
}

/// Which derived file of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Original,
    Thumbnail,
    Preview,
}

fn clean_text(field: &str, value: Option<String>) -> Result<Option<String>, CoreError> {
    let Some(v) = value else { return Ok(None) };
    let v = v.trim().to_string();
    if v.chars().count() > MAX_TEXT_CHARS {
        return Err(CoreError::BadRequest(format!(
            "{field} is longer than {MAX_TEXT_CHARS} characters"
        )));
    }
    Ok(if v.is_empty() { None } else { Some(v) })
}

fn clean_visibility(value: Option<String>) -> Result<String, CoreError> {
    match value.as_deref().map(str::trim) {
        None | Some("") | Some("private") => Ok("private".into()),
        Some("public") => Ok("public".into()),
        Some(other) => Err(CoreError::BadRequest(format!(
            "visibility must be \"private\" or \"public\", not {other:?}"
        ))),
    }
}

/// Encode a listing position as an opaque cursor string.
pub fn encode_cursor(c: &Cursor) -> String {
    format!("{}_{}", c.created_at, c.id)
}

pub fn decode_cursor(s: &str) -> Result<Cursor, CoreError> {
    let bad = || CoreError::BadRequest("invalid cursor".into());
    let (t, id) = s.split_once('_').ok_or_else(bad)?;
    Ok(Cursor {
        created_at: t.parse().map_err(|_| bad())?,
        id: id.to_string(),
    })
}

/// An upload whose CPU work is done, ready to be stored.
pub struct Prepared {
    pub row: ImageRow,
    pub original: Bytes,
    pub derived: Derived,
}

/// Validated form fields.
struct Fields {
    title: Option<String>,
    attribution: Option<String>,
    visibility: String,
}

impl Fields {
    fn clean(upload: &Upload) -> Result<Fields, CoreError> {
        Ok(Fields {
            title: clean_text("title", upload.title.clone())?,
            attribution: clean_text("attribution", upload.attribution.clone())?,
            visibility: clean_visibility(upload.visibility.clone())?,
        })
    }
}

fn prepare_with(
    upload: Upload,
    fields: Fields,
    sha256: Option<String>,
    limits: &Limits,
) -> Result<Prepared, CoreError> {
    let derived = banana_media::process(&upload.bytes, limits)?;
    let sha256 = sha256.unwrap_or_else(|| hex::encode(Sha256::digest(&upload.bytes)));
    assemble(upload, fields, sha256, derived, limits)
}

fn assemble(
    upload: Upload,
    fields: Fields,
    sha256: String,
    derived: Derived,
    limits: &Limits,
) -> Result<Prepared, CoreError> {
    let probe = banana_media::probe(&upload.bytes, limits)?;
    let row = ImageRow {
        id: uuid::Uuid::now_v7().to_string(),
        owner_id: upload.owner_id,
        filename: sanitize_filename(upload.filename.as_deref(), probe.format.extension()),
        title: fields.title,
        attribution: fields.attribution,
        content_type: probe.format.content_type().to_string(),
        bytes: upload.bytes.len() as i64,
        width: i64::from(derived.width),
        height: i64::from(derived.height),
        has_exif: i64::from(derived.has_exif),
        visibility: fields.visibility,
        status: "pending".into(),
        status_reason: None,
        created_at: now_ms(),
        sha256,
    };
    Ok(Prepared {
        row,
        original: upload.bytes,
        derived,
    })
}

impl App {
    /// Validate, process and store one upload, and queue its labeling.
    #[tracing::instrument(skip_all, fields(bytes = upload.bytes.len()))]
    pub async fn ingest(&self, upload: Upload) -> Result<ImageView, CoreError> {
        if upload.bytes.len() as u64 > self.config.max_upload_bytes {
            return Err(CoreError::TooLarge {
                limit: self.config.max_upload_bytes,
            });
        }
        // Cheap checks first: the form fields, the header (format, pixel count) and the hash.
        let fields = Fields::clean(&upload)?;
        let limits = self.limits();
        let bytes = upload.bytes.clone();
        let sha256 = tokio::task::spawn_blocking(move || {
            banana_media::probe(&bytes, &limits)?;
            Ok::<_, CoreError>(hex::encode(Sha256::digest(&bytes)))
        })
        .await??;
        if !self.config.demo {
            if let Some(id) = self.find_duplicate(&upload.owner_id, &sha256).await? {
                return Err(CoreError::Duplicate { image_id: id });
            }
        }
        let prepared = {
            let _permit = self.decode_permit().await?;
            let limits = self.limits();
            // This process's labeling worker will want the classifier input: make it from the
            // preview's pixels while they are at hand (see `analysis::classifier::RecentInputs`).
            let keep_input = !self.config.demo
                && self.recent_inputs.wanted()
                && self.models.classifier().is_some();
            let (prepared, input) = tokio::task::spawn_blocking(move || {
                let prepared = prepare_with(upload, fields, Some(sha256), &limits)?;
                let input = keep_input
                    .then(|| analysis::classifier::input_of(&prepared.derived.preview_rgb));
                Ok::<_, CoreError>((prepared, input))
            })
            .await??;
            if let Some(input) = input {
                self.recent_inputs.put(prepared.row.id.clone(), input);
            }
            prepared
        };
        if self.config.demo {
            let mut view = image_view(prepared.row, Vec::new());
            view.urls = None;
            view.demo = true;
            return Ok(view);
        }
        self.commit_prepared(prepared, Vec::new()).await
    }

    /// The CPU part of an upload (hash, header checks, full decode, derived images), for
    /// pipelines that schedule CPU work themselves. Blocking.
    pub fn prepare(&self, upload: Upload) -> Result<Prepared, CoreError> {
        if upload.bytes.len() as u64 > self.config.max_upload_bytes {
            return Err(CoreError::TooLarge {
                limit: self.config.max_upload_bytes,
            });
        }
        let fields = Fields::clean(&upload)?;
        prepare_with(upload, fields, None, &self.limits())
    }

    /// An upload whose hash and derived images a pipeline already computed (no second decode).
    pub fn prepared_from(
        &self,
        upload: Upload,
        sha256: String,
        derived: Derived,
    ) -> Result<Prepared, CoreError> {
        let fields = Fields::clean(&upload)?;
        assemble(upload, fields, sha256, derived, &self.limits())
    }

    /// The caller's image with this content, if any.
    pub async fn find_duplicate(
        &self,
        owner_id: &str,
        sha256: &str,
    ) -> Result<Option<String>, CoreError> {
        Ok(q::find_by_sha(&self.db, owner_id, sha256).await?)
    }

    /// Store a prepared upload: its intent, the objects, then the row in one transaction with
    /// either its analysis results (when `results` has any: the image is `ready` at once) or
    /// its `label` job (see the module comment and `sweep.rs`).
    pub async fn commit_prepared(
        &self,
        prepared: Prepared,
        results: Vec<AnalysisResult>,
    ) -> Result<ImageView, CoreError> {
        let Prepared {
            row,
            original,
            derived,
        } = prepared;
        let intent = self.begin_upload(&row.sha256).await?;
        if let Err(e) = self
            .store_objects(&row.sha256, original, &row.content_type, &derived)
            .await
        {
            self.abandon_upload(&intent.id, &row.sha256, &e).await;
            return Err(e);
        }
        // Search data is computed before the transaction opens.
        let store = if results.is_empty() {
            None
        } else {
            Some(self.to_store(&row, results).await)
        };
        if let Some(pause) = self.config.test_pause_before_commit {
            // Test only (BANANA_TEST_PAUSE_BEFORE_COMMIT_MS): crash tests kill the process here.
            tokio::time::sleep(pause).await;
        }
        if !self.upload_in_time(&intent) {
            // Left to the sweeper, which may already count this upload as dead.
            return Err(CoreError::unavailable("object store"));
        }
        match self.commit_row(&row, store.as_ref()).await {
            Ok(()) => {
                self.end_upload(intent).await;
                match &store {
                    None => self.jobs_notify.notify_waiters(),
                    Some(s) => self.index_analysis(s),
                }
                self.get_image(&Viewer::System, &row.id).await
            }
            Err(DbError::Conflict(_)) => {
                // Another upload of the same content by the same owner committed first; it
                // references the same objects, so they stay (the release finds its row).
                self.remove_unreferenced_objects(&intent.id, &row.sha256)
                    .await;
                let winner = q::find_by_sha(&self.db, &row.owner_id, &row.sha256).await?;
                Err(CoreError::Duplicate {
                    image_id: winner.unwrap_or_default(),
                })
            }
            Err(e) => {
                let e = CoreError::from(e);
                self.abandon_upload(&intent.id, &row.sha256, &e).await;
                Err(e)
            }
        }
    }

    async fn store_objects(
        &self,
        sha256: &str,
        original: Bytes,
        content_type: &str,
        d: &Derived,
    ) -> Result<(), CoreError> {
        let puts = [
            (keys::original(sha256), original, content_type),
            (
                keys::thumbnail(sha256),
                Bytes::from(d.thumbnail.clone()),
                "image/jpeg",
            ),
            (
                keys::preview(sha256),
                Bytes::from(d.preview.clone()),
                "image/jpeg",
            ),
        ];
        for (key, data, ct) in puts {
            self.storage.put(&key, data, ct).await?;
        }
        Ok(())
    }

    async fn commit_row(&self, row: &ImageRow, store: Option<&ToStore>) -> Result<(), DbError> {
        let mut tx = self.db.begin().await?;
        q::insert(&mut *tx, row).await?;
        match store {
            Some(s) => {
                self.store_analysis(&mut tx, s).await?;
            }
            None => {
                let job = LabelImage {
                    image_id: row.id.clone(),
                };
                LabelImage::enqueue(&mut tx, &job).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// A failed upload's objects: removed now, or, when the store or database is unavailable
    /// (`cause`), left with the intent to the sweeper.
    async fn abandon_upload(&self, intent_id: &str, sha256: &str, cause: &CoreError) {
        if cause.is_unavailable() {
            tracing::warn!(sha256, "upload failed; its objects are left to the sweeper");
        } else {
            self.remove_unreferenced_objects(intent_id, sha256).await;
        }
    }

    /// Delete the objects of this content, under intent `intent_id`, when no row and no other
    /// upload in flight references it. Failures are logged: the intent then stays, and the
    /// sweeper removes the objects later.
    async fn remove_unreferenced_objects(&self, intent_id: &str, sha256: &str) {
        if let Err(e) = self.release_content(intent_id, sha256).await {
            tracing::error!(error = %e, sha256, "could not remove objects now; the sweeper will");
        }
    }

    async fn view_rows(&self, rows: Vec<ImageRow>) -> Result<Vec<ImageView>, CoreError> {
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let labels = q::labels_for(&self.db, &ids).await?;
        let mut owners: Vec<String> = rows.iter().map(|r| r.owner_id.clone()).collect();
        owners.sort();
        owners.dedup();
        let names = banana_db::accounts::usernames(&self.db, &owners).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let l = labels_of(&labels, &r.id);
                let mut view = image_view(r, l);
                if let Some(owner) = view.owner.as_mut() {
                    owner.username = names
                        .iter()
                        .find(|(id, _)| *id == owner.id)
                        .map(|(_, n)| n.clone());
                }
                view
            })
            .collect())
    }

    async fn row(&self, id: &str) -> Result<ImageRow, CoreError> {
        q::get(&self.db, id)
            .await?
            .ok_or(CoreError::NotFound("image"))
    }

    /// The row, if this viewer may see it (404 otherwise, so ids of private images do not leak).
    pub async fn visible_row(&self, viewer: &Viewer, id: &str) -> Result<ImageRow, CoreError> {
        let row = self.row(id).await?;
        if viewer.can_see(&row) {
            Ok(row)
        } else {
            Err(CoreError::NotFound("image"))
        }
    }

    /// The row, if this viewer may change it (404 when they cannot even see it, 403 when they
    /// can see but not change it).
    pub async fn editable_row(&self, viewer: &Viewer, id: &str) -> Result<ImageRow, CoreError> {
        let row = self.visible_row(viewer, id).await?;
        if viewer.can_edit(&row) {
            Ok(row)
        } else if *viewer == Viewer::Anonymous {
            Err(CoreError::Unauthorized)
        } else {
            Err(CoreError::Forbidden(
                "only the owner can change this image".into(),
            ))
        }
    }

    pub async fn get_image(&self, viewer: &Viewer, id: &str) -> Result<ImageView, CoreError> {
        let row = self.visible_row(viewer, id).await?;
        Ok(self.view_rows(vec![row]).await?.remove(0))
    }

    /// Images this viewer may see, newest first, `limit` at a time (1–100, default 50).
    pub async fn list_images(
        &self,
        viewer: &Viewer,
        limit: Option<i64>,
        cursor: Option<&str>,
        label: Option<String>,
        library: Library,
    ) -> Result<Page<ImageView>, CoreError> {
        let limit = limit.unwrap_or(50).clamp(1, 100);
        let after = cursor.map(decode_cursor).transpose()?;
        let mut rows = q::list(
            &self.db,
            &ListQuery {
                scope: viewer.library_scope(library),
                label,
                after,
                limit: limit + 1,
            },
        )
        .await?;
        let next_cursor = if rows.len() as i64 > limit {
            rows.truncate(limit as usize);
            rows.last().map(|r| {
                encode_cursor(&Cursor {
                    created_at: r.created_at,
                    id: r.id.clone(),
                })
            })
        } else {
            None
        };
        Ok(Page {
            items: self.view_rows(rows).await?,
            next_cursor,
        })
    }

    /// Labels with the number of images (that this viewer may see) each is attached to.
    pub async fn label_counts(
        &self,
        viewer: &Viewer,
        library: Library,
    ) -> Result<Vec<banana_api::LabelCount>, CoreError> {
        Ok(labels::counts(&self.db, &viewer.library_scope(library))
            .await?
            .into_iter()
            .map(|l| banana_api::LabelCount {
                wnid: l.id.clone(),
                id: l.id,
                name: l.name,
                count: l.count,
            })
            .collect())
    }

    /// Change title, attribution or visibility.
    pub async fn patch_image(
        &self,
        viewer: &Viewer,
        id: &str,
        patch: ImagePatch,
    ) -> Result<ImageView, CoreError> {
        let row = self.editable_row(viewer, id).await?;
        let title = match patch.title {
            Some(t) => clean_text("title", t)?,
            None => row.title.clone(),
        };
        let attribution = match patch.attribution {
            Some(a) => clean_text("attribution", a)?,
            None => row.attribution.clone(),
        };
        let visibility = match patch.visibility {
            Some(v) => clean_visibility(Some(v))?,
            None => row.visibility.clone(),
        };
        q::update_fields(
            &self.db,
            &row.id,
            title.as_deref(),
            attribution.as_deref(),
            &visibility,
        )
        .await?;
        // Title and attribution feed keyword and semantic search.
        self.search_reindex(&row.id).await?;
        self.get_image(viewer, id).await
    }

    /// Delete an image, its labels and (when no other image has the same content) its objects.
    pub async fn delete_image(&self, viewer: &Viewer, id: &str) -> Result<(), CoreError> {
        self.editable_row(viewer, id).await?;
        let mut tx = self.db.begin().await?;
        let row = q::delete(&mut *tx, id)
            .await?
            .ok_or(CoreError::NotFound("image"))?;
        // The intent of removing its objects commits with the deletion (see sweep.rs).
        let intent = uuid::Uuid::now_v7().to_string();
        banana_db::intents::insert(&mut *tx, &intent, &row.sha256, &crate::sweep::INSTANCE).await?;
        tx.commit().await?;
        self.search.remove(id);
        self.remove_unreferenced_objects(&intent, &row.sha256).await;
        Ok(())
    }

    /// The bytes (or a presigned redirect, for originals on S3) of one variant of an image the
    /// viewer may see. Everyone but the owner gets the original without personal metadata.
    pub async fn content(
        &self,
        viewer: &Viewer,
        id: &str,
        variant: Variant,
    ) -> Result<Content, CoreError> {
        let row = self.visible_row(viewer, id).await?;
        let owner = matches!(viewer, Viewer::User { id, .. } if *id == row.owner_id);
        self.content_of(&row, variant, owner || *viewer == Viewer::System)
            .await
    }

    /// The image a share link opens.
    pub async fn shared_image(&self, token: &str) -> Result<ImageView, CoreError> {
        let id = self.shared_image_id(token).await?;
        let mut view = self.get_image(&Viewer::System, &id).await?;
        let base = format!("/api/v1/shared/{token}");
        view.urls = Some(crate::view::Urls {
            original: format!("{base}/original"),
            thumbnail: format!("{base}/thumbnail"),
            preview: format!("{base}/preview"),
        });
        Ok(view)
    }

    /// One variant of the image a share link opens (original without personal metadata).
    pub async fn shared_content(
        &self,
        token: &str,
        variant: Variant,
    ) -> Result<Content, CoreError> {
        let id = self.shared_image_id(token).await?;
        let row = self.row(&id).await?;
        self.content_of(&row, variant, false).await
    }

    async fn content_of(
        &self,
        row: &ImageRow,
        variant: Variant,
        full_original: bool,
    ) -> Result<Content, CoreError> {
        let (mut key, mut content_type, filename) = match variant {
            Variant::Original => (
                keys::original(&row.sha256),
                row.content_type.clone(),
                row.filename.clone(),
            ),
            Variant::Thumbnail => (
                keys::thumbnail(&row.sha256),
                "image/jpeg".into(),
                thumb_name(&row.filename, "thumbnail"),
            ),
            Variant::Preview => (
                keys::preview(&row.sha256),
                "image/jpeg".into(),
                thumb_name(&row.filename, "preview"),
            ),
        };
        let mut tag = variant_tag(variant);
        let mut filename = filename;
        // Every original anyone but the owner receives is the copy without personal metadata,
        // whatever the format (not only when EXIF was found at upload: `has_exif` is not
        // consulted). Its ETag differs from the original's and from the unversioned copies'.
        if variant == Variant::Original && !full_original {
            let format;
            (key, format) = self.ensure_stripped_copy(row).await?;
            content_type = format.content_type().into();
            if content_type != row.content_type {
                filename = with_extension(&filename, format.extension());
            }
            tag = "s2";
        }
        if variant == Variant::Original {
            if let Some(url) = self
                .storage
                .presign_get(&key, self.config.presign_ttl)
                .await?
            {
                return Ok(Content::Redirect(url.to_string()));
            }
        }
        let object = self.storage.get(&key).await?;
        Ok(Content::Object {
            object,
            content_type,
            etag: format!("\"{}-{tag}\"", row.sha256),
            filename,
        })
    }

    /// Make (once) the copy of an original without personal metadata; its key and format.
    async fn ensure_stripped_copy(
        &self,
        row: &ImageRow,
    ) -> Result<(String, banana_media::Format), CoreError> {
        self.stripped_copy(row).await
    }
}

/// `filename` with its extension replaced (the copy of a TIFF is a PNG).
fn with_extension(filename: &str, extension: &str) -> String {
    let stem = filename
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(filename);
    format!("{stem}.{extension}")
}

fn variant_tag(v: Variant) -> &'static str {
    match v {
        Variant::Original => "o",
        Variant::Thumbnail => "t",
        Variant::Preview => "p",
    }
}

fn thumb_name(filename: &str, suffix: &str) -> String {
    let stem = filename
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(filename);
    format!("{stem}.{suffix}.jpg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = Cursor {
            created_at: 1234,
            id: "0190-abc".into(),
        };
        assert_eq!(decode_cursor(&encode_cursor(&c)).unwrap(), c);
        assert!(decode_cursor("nonsense").is_err());
        assert!(decode_cursor("x_y").is_err());
    }

    #[test]
    fn text_fields_are_limited() {
        assert!(clean_text("title", Some("a".repeat(1000))).is_ok());
        assert!(matches!(
            clean_text("title", Some("a".repeat(1001))),
            Err(CoreError::BadRequest(_))
        ));
        assert_eq!(clean_text("title", Some("  ".into())).unwrap(), None);
    }
}
