//! Uploading, reading and deleting images.
//!
//! Write order that cannot lose data: an upload intent is committed first, then the objects
//! under content-addressed keys (the SHA-256 of the original), then in one transaction the row,
//! the analysis results it came with (written by `App::store_analysis`: always its metadata,
//! read from the bytes at hand; the import pipeline's classifier results too) and the `label`
//! job for the analyzers still to run, then the intent is dropped. If the upload
//! fails the objects are removed again, unless another row or another upload in flight covers
//! the same content (objects are shared by content across owners); if the process dies, or the
//! store or database is unavailable, the intent stays and the sweeper (`sweep.rs`) removes
//! them. Deleting removes the row (with an intent, in one transaction), then the objects no
//! remaining row references.

use banana_db::images::{self as q, Cursor, ImageRow, ListQuery, MetaFilter, Sort};
use banana_db::{now_ms, DbError};
use banana_media::metadata::PhotoMetadata;
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
use banana_api::{ImagePatch, ImageSort, Library};

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
    /// The file's modification time (ms since the epoch), when the client knows it: the date
    /// taken of a photo whose file says nothing (the import CLI sends it).
    pub file_modified_ms: Option<i64>,
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

/// What a listing asks for (`GET /api/v1/images`).
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// Only images with this label attached (a category: with it or anything below it).
    pub label: Option<String>,
    /// Only the images of the caller's album (those they may see, whatever `library` says).
    pub album: Option<String>,
    /// Only the caller's favourites (all those they may see, whatever `library` says).
    pub favorite: bool,
    /// Only images with this tag (any case).
    pub tag: Option<String>,
    pub library: Library,
    pub sort: ImageSort,
    /// Local dates taken, `YYYY-MM-DD`, inclusive.
    pub taken_from: Option<String>,
    pub taken_to: Option<String>,
    /// ISO 3166-1 alpha-2 (the caller's own images only).
    pub country: Option<String>,
    /// The caller's own images only.
    pub city: Option<String>,
    /// A make, or part of a model.
    pub camera: Option<String>,
}

/// An instant sent as RFC 3339 (`2019-07-04T12:00:00Z`, `…+02:00`), in ms since the epoch;
/// a 400 naming `field` otherwise.
pub fn parse_instant(field: &str, text: &str) -> Result<i64, CoreError> {
    banana_media::metadata::parse_iso8601(text.trim())
        .filter(|t| t.offset_minutes.is_some())
        .map(|t| t.epoch_ms())
        .ok_or_else(|| {
            CoreError::BadRequest(format!(
                "{field} must be an RFC 3339 time like 2019-07-04T12:00:00Z, not {text:?}"
            ))
        })
}

/// A `YYYY-MM-DD` date, checked (a 400 naming the field otherwise).
fn clean_date(field: &str, value: &str) -> Result<String, CoreError> {
    let v = value.trim();
    let bad = || CoreError::BadRequest(format!("{field} must be a date, YYYY-MM-DD, not {v:?}"));
    let b = v.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| v[r].parse::<u32>().map_err(|_| bad());
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || y < 1 {
        return Err(bad());
    }
    Ok(v.to_string())
}

/// Encode a listing position as an opaque cursor string.
/// Cut `rows` (read with one more than `limit`) to a page: the cursor after its last row
/// (from that row's sort key and id), or `None` when there is nothing after it.
pub(crate) fn cut_page<T>(
    rows: &mut Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> (i64, String),
) -> Option<String> {
    if rows.len() as i64 <= limit {
        return None;
    }
    rows.truncate(limit as usize);
    rows.last().map(|r| {
        let (key, id) = key(r);
        encode_cursor(&Cursor { key, id })
    })
}

pub fn encode_cursor(c: &Cursor) -> String {
    format!("{}_{}", c.key, c.id)
}

pub fn decode_cursor(s: &str) -> Result<Cursor, CoreError> {
    let bad = || CoreError::BadRequest("invalid cursor".into());
    let (t, id) = s.split_once('_').ok_or_else(bad)?;
    Ok(Cursor {
        key: t.parse().map_err(|_| bad())?,
        id: id.to_string(),
    })
}

/// An upload whose CPU work is done, ready to be stored.
pub struct Prepared {
    pub row: ImageRow,
    pub original: Bytes,
    pub derived: Derived,
    /// What the `metadata` analyzer read from the original (stored with the row).
    pub metadata: analysis::metadata::Found,
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
    assemble(upload, fields, sha256, derived, limits, None)
}

fn assemble(
    upload: Upload,
    fields: Fields,
    sha256: String,
    derived: Derived,
    limits: &Limits,
    metadata: Option<analysis::metadata::Found>,
) -> Result<Prepared, CoreError> {
    let probe = banana_media::probe(&upload.bytes, limits)?;
    let metadata = metadata
        .unwrap_or_else(|| analysis::metadata::read(&upload.bytes, upload.file_modified_ms));
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
        trashed_at: None,
        sha256,
    };
    Ok(Prepared {
        row,
        original: upload.bytes,
        derived,
        metadata,
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
            // Before the decode; `commit_prepared` checks again for every path.
            self.check_quota(&upload.owner_id, upload.bytes.len() as u64)
                .await?;
        }
        let prepared = {
            let _permit = self.decode_permit().await?;
            let limits = self.limits();
            // This process's labeling worker will want the classifier input: make it from the
            // preview's pixels while they are at hand (see `analysis::classifier::RecentInputs`).
            let keep_input = !self.config.demo
                && self.recent_inputs.wanted()
                && self.models.classifier().is_some();
            let (prepared, inputs) = tokio::task::spawn_blocking(move || {
                let prepared = prepare_with(upload, fields, Some(sha256), &limits)?;
                let mut inputs = Vec::new();
                if keep_input {
                    let source = analysis::Source {
                        bytes: &prepared.original,
                        preview: &prepared.derived.preview_rgb,
                    };
                    // The metadata analyzer's results are stored with the row.
                    for a in analysis::all()
                        .iter()
                        .filter(|a| a.name() != analysis::metadata::NAME)
                    {
                        if let Ok(input) = a.prepare(&source) {
                            inputs.push((a.name(), input));
                        }
                    }
                }
                Ok::<_, CoreError>((prepared, inputs))
            })
            .await??;
            if !inputs.is_empty() {
                self.recent_inputs.put(prepared.row.id.clone(), inputs);
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

    /// An upload whose hash, derived images and metadata a pipeline already computed (no
    /// second decode, no second read of the EXIF).
    pub fn prepared_from(
        &self,
        upload: Upload,
        sha256: String,
        derived: Derived,
        metadata: PhotoMetadata,
        place: Option<banana_places::Place>,
    ) -> Result<Prepared, CoreError> {
        let fields = Fields::clean(&upload)?;
        let found = analysis::metadata::Found {
            read: metadata,
            place,
            file_modified_ms: upload.file_modified_ms,
        };
        assemble(upload, fields, sha256, derived, &self.limits(), Some(found))
    }

    /// The caller's image with this content, if any.
    pub async fn find_duplicate(
        &self,
        owner_id: &str,
        sha256: &str,
    ) -> Result<Option<String>, CoreError> {
        match q::find_by_sha(&self.db, owner_id, sha256).await? {
            Some(id) => Ok(Some(self.revive_duplicate(owner_id, id).await?)),
            None => Ok(None),
        }
    }

    /// Store a prepared upload: its intent, the objects, then the row in one transaction with
    /// its analysis results (its metadata, and whatever `results` has: the import pipeline's
    /// classifier results make the image `ready` at once) and, when an analyzer has not run
    /// yet, its `label` job (see the module comment and `sweep.rs`).
    pub async fn commit_prepared(
        &self,
        prepared: Prepared,
        mut results: Vec<AnalysisResult>,
    ) -> Result<ImageView, CoreError> {
        let Prepared {
            row,
            original,
            derived,
            metadata,
        } = prepared;
        if !results
            .iter()
            .any(|r| r.analyzer == analysis::metadata::NAME)
        {
            results.insert(0, analysis::metadata::result(metadata));
        }
        if !row.owner_id.is_empty() {
            self.check_quota(&row.owner_id, row.bytes.max(0) as u64)
                .await?;
        }
        let intent = self.begin_upload(&row.sha256).await?;
        if let Err(e) = self
            .store_objects(&row.sha256, original, &row.content_type, &derived)
            .await
        {
            self.abandon_upload(&intent.id, &row.sha256, &e).await;
            return Err(e);
        }
        // Search data is computed before the transaction opens.
        let label_job = analysis::all()
            .iter()
            .any(|a| !results.iter().any(|r| r.analyzer == a.name()));
        let store = self.to_store(&row, results).await;
        if let Some(pause) = self.config.test_pause_before_commit {
            // Test only (BANANA_TEST_PAUSE_BEFORE_COMMIT_MS): crash tests kill the process here.
            tokio::time::sleep(pause).await;
        }
        if !self.upload_in_time(&intent) {
            // Left to the sweeper, which may already count this upload as dead.
            return Err(CoreError::unavailable("object store"));
        }
        match self.commit_row(&row, &store, label_job).await {
            Ok(()) => {
                self.end_upload(intent).await;
                self.index_analysis(&store);
                if label_job {
                    self.jobs_notify.notify_waiters();
                }
                self.get_image(&Viewer::System, &row.id).await
            }
            Err(DbError::Conflict(_)) => {
                // Another upload of the same content by the same owner committed first; it
                // references the same objects, so they stay (the release finds its row).
                self.remove_unreferenced_objects(&intent.id, &row.sha256)
                    .await;
                let winner = self.find_duplicate(&row.owner_id, &row.sha256).await?;
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

    async fn commit_row(
        &self,
        row: &ImageRow,
        store: &ToStore,
        label_job: bool,
    ) -> Result<(), DbError> {
        let mut tx = self.db.begin().await?;
        q::insert(&mut *tx, row).await?;
        self.store_analysis(&mut tx, store).await?;
        if label_job {
            let job = LabelImage {
                image_id: row.id.clone(),
            };
            LabelImage::enqueue(&mut tx, &job).await?;
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
    pub(crate) async fn remove_unreferenced_objects(&self, intent_id: &str, sha256: &str) {
        if let Err(e) = self.release_content(intent_id, sha256).await {
            tracing::error!(error = %e, sha256, "could not remove objects now; the sweeper will");
        }
    }

    pub(crate) async fn view_rows(
        &self,
        viewer: &Viewer,
        rows: Vec<ImageRow>,
    ) -> Result<Vec<ImageView>, CoreError> {
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let labels = q::labels_for(&self.db, &ids).await?;
        let mut owners: Vec<String> = rows.iter().map(|r| r.owner_id.clone()).collect();
        owners.sort();
        owners.dedup();
        let names = banana_db::accounts::usernames(&self.db, &owners).await?;
        let mut views: Vec<ImageView> = rows
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
            .collect();
        crate::view::add_details(&self.db, viewer, views.iter_mut()).await?;
        Ok(views)
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
        Ok(self.view_rows(viewer, vec![row]).await?.remove(0))
    }

    /// Images this viewer may see, newest first (by date taken unless asked otherwise),
    /// `limit` at a time (1–100, default 50), narrowed by label, dates, place and camera.
    pub async fn list_images(
        &self,
        viewer: &Viewer,
        req: ListRequest,
    ) -> Result<Page<ImageView>, CoreError> {
        let limit = req.limit.unwrap_or(50).clamp(1, 100);
        let after = req.cursor.as_deref().map(decode_cursor).transpose()?;
        let mut query = self.list_query(viewer, req).await?;
        query.after = after;
        query.limit = limit + 1;
        let mut rows = q::list(&self.db, &query).await?;
        let next_cursor = cut_page(&mut rows, limit, |(r, key)| (*key, r.id.clone()));
        let rows = rows.into_iter().map(|(r, _)| r).collect();
        Ok(Page {
            items: self.view_rows(viewer, rows).await?,
            next_cursor,
        })
    }

    /// What a listing request selects (without its position and page size).
    async fn list_query(&self, viewer: &Viewer, req: ListRequest) -> Result<ListQuery, CoreError> {
        let meta = MetaFilter {
            taken_from: req
                .taken_from
                .as_deref()
                .map(|d| clean_date("taken_from", d))
                .transpose()?,
            taken_to: req
                .taken_to
                .as_deref()
                .map(|d| clean_date("taken_to", d))
                .transpose()?,
            country: clean_text("country", req.country)?.map(|c| c.to_ascii_uppercase()),
            city: clean_text("city", req.city)?,
            camera: clean_text("camera", req.camera)?,
            camera_in: Vec::new(),
            place_owner: viewer.place_owner(),
        };
        // An album holds what its owner may see, their own images or not.
        let scope = match &req.album {
            Some(album) => {
                self.own_album(viewer, album).await?;
                viewer.scope()
            }
            // Favourites are every image the caller may see that they marked.
            None if req.favorite => viewer.scope(),
            None => viewer.library_scope(req.library),
        };
        let favorite_of = match (req.favorite, viewer.user_id()) {
            (false, _) => None,
            (true, Some(user)) => Some(user.to_string()),
            (true, None) => return Err(CoreError::Unauthorized),
        };
        Ok(ListQuery {
            scope,
            labels: req.label.as_deref().map(crate::labels::filter_ids),
            album: req.album,
            tag: clean_text("tag", req.tag)?,
            favorite_of,
            meta,
            sort: match req.sort {
                ImageSort::Taken => Sort::Taken,
                ImageSort::Uploaded => Sort::Uploaded,
            },
            after: None,
            before: None,
            limit: 1,
        })
    }

    /// The images listed just before and after `id` in the listing `req` describes (its
    /// cursor and limit are ignored), so a viewer opened from a direct link can step through.
    pub async fn neighbors(
        &self,
        viewer: &Viewer,
        id: &str,
        req: ListRequest,
    ) -> Result<banana_api::Neighbors, CoreError> {
        let row = self.visible_row(viewer, id).await?;
        let mut query = self.list_query(viewer, req).await?;
        let key = q::sort_key(&self.db, &row.id, query.sort)
            .await?
            .ok_or(CoreError::NotFound("image"))?;
        let here = Cursor { key, id: row.id };
        query.after = Some(here.clone());
        let next = q::list(&self.db, &query).await?;
        query.after = None;
        query.before = Some(here);
        let previous = q::list(&self.db, &query).await?;
        let mut rows: Vec<ImageRow> = Vec::new();
        let has_prev = !previous.is_empty();
        rows.extend(previous.into_iter().map(|(r, _)| r));
        let has_next = !next.is_empty();
        rows.extend(next.into_iter().map(|(r, _)| r));
        let mut views = self.view_rows(viewer, rows).await?.into_iter();
        let previous = if has_prev { views.next() } else { None };
        let next = if has_next { views.next() } else { None };
        Ok(banana_api::Neighbors { previous, next })
    }

    /// How many photos (that this viewer may see in `library`) were taken in each month,
    /// newest first; images not analysed yet count in their upload month.
    pub async fn timeline(
        &self,
        viewer: &Viewer,
        library: Library,
    ) -> Result<banana_api::Timeline, CoreError> {
        let (months, undated) =
            banana_db::metadata::months(&self.db, &viewer.library_scope(library)).await?;
        let mut counts: std::collections::BTreeMap<String, i64> = months.into_iter().collect();
        for created in undated {
            let month = analysis::metadata::utc_local(created)[..7].to_string();
            *counts.entry(month).or_default() += 1;
        }
        Ok(banana_api::Timeline {
            buckets: counts
                .into_iter()
                .rev()
                .map(|(month, count)| banana_api::TimelineBucket { month, count })
                .collect(),
        })
    }

    /// The caller's own places (country, city) with their photo counts, most photos first.
    pub async fn places(&self, viewer: &Viewer) -> Result<Vec<banana_api::PlaceCount>, CoreError> {
        let Some(owner) = viewer.place_owner() else {
            return Err(CoreError::Unauthorized);
        };
        Ok(banana_db::metadata::places(&self.db, &owner)
            .await?
            .into_iter()
            .map(|p| banana_api::PlaceCount {
                country: banana_places::country_name(&p.country_code)
                    .unwrap_or(&p.country_code)
                    .to_string(),
                country_code: p.country_code,
                city: p.city,
                region: p.region,
                count: p.count,
            })
            .collect())
    }

    /// Change title, attribution or visibility, or correct the date taken or the position.
    pub async fn patch_image(
        &self,
        viewer: &Viewer,
        id: &str,
        patch: ImagePatch,
    ) -> Result<ImageView, CoreError> {
        let row = self.editable_row(viewer, id).await?;
        if patch.taken_at.is_some() || patch.location.is_some() {
            // Places are the owner's alone: an administrator may not move them.
            if !viewer.sees_places_of(Some(&row.owner_id)) {
                return Err(CoreError::Forbidden(
                    "only the owner can correct the date and place".into(),
                ));
            }
            self.correct_metadata(&row, &patch).await?;
        }
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

    /// The owner's corrections of the date taken and the position (checked first, then
    /// written: a bad value changes nothing).
    async fn correct_metadata(&self, row: &ImageRow, patch: &ImagePatch) -> Result<(), CoreError> {
        let taken = match &patch.taken_at {
            Some(Some(text)) => Some(Some(
                banana_media::metadata::parse_iso8601(text.trim())
                    .filter(|t| text.trim().len() >= 19 && t.local.year >= 1800)
                    .ok_or_else(|| {
                        CoreError::BadRequest(format!(
                            "taken_at must be a date and time like 2019-07-04T12:00:00+02:00 \
                             (the offset may be left out), not {text:?}"
                        ))
                    })?,
            )),
            Some(None) => Some(None),
            None => None,
        };
        let position = match patch.location {
            Some(Some(p)) if !banana_places::valid_position(p.lat, p.lon) => {
                return Err(CoreError::BadRequest(
                    "location needs lat in -90..90 and lon in -180..180".into(),
                ))
            }
            Some(Some(p)) => {
                let place =
                    tokio::task::spawn_blocking(move || banana_places::lookup(p.lat, p.lon))
                        .await?;
                Some(Some((p, place)))
            }
            Some(None) => Some(None),
            None => None,
        };
        // The row to correct exists once the analyzer ran; run it now when it has not (and
        // when a correction is withdrawn, to read the file's own values again).
        let withdraw_taken = matches!(taken, Some(None));
        let stored =
            banana_db::metadata::for_images(&self.db, std::slice::from_ref(&row.id)).await?;
        if stored.is_empty() || withdraw_taken {
            self.refresh_metadata(row, withdraw_taken).await?;
        }
        if let Some(Some(t)) = taken {
            let local = analysis::metadata::local_text(&t);
            banana_db::metadata::set_taken(
                self.db.pool(),
                &row.id,
                t.epoch_ms(),
                &local,
                t.offset_minutes.map(i64::from),
            )
            .await?;
        }
        match position {
            Some(Some((p, place))) => {
                banana_db::metadata::set_location(
                    self.db.pool(),
                    &row.id,
                    Some(p.lat),
                    Some(p.lon),
                    place.as_ref().map(|p| p.city.as_str()),
                    place.as_ref().and_then(|p| p.region.as_deref()),
                    place.as_ref().map(|p| p.country_code.as_str()),
                )
                .await?
            }
            Some(None) => {
                banana_db::metadata::set_location(
                    self.db.pool(),
                    &row.id,
                    None,
                    None,
                    None,
                    None,
                    None,
                )
                .await?
            }
            None => {}
        }
        Ok(())
    }

    /// Read the original's metadata again and store it (the owner's date correction
    /// withdrawn first when `release_taken`).
    async fn refresh_metadata(&self, row: &ImageRow, release_taken: bool) -> Result<(), CoreError> {
        let original = self.storage.get_bytes(&keys::original(&row.sha256)).await?;
        let found =
            tokio::task::spawn_blocking(move || analysis::metadata::read(&original, None)).await?;
        let s = self
            .to_store(row, vec![analysis::metadata::result(found)])
            .await;
        let mut tx = self.db.begin().await?;
        if release_taken {
            banana_db::metadata::release_taken(&mut tx, &row.id).await?;
        }
        self.store_analysis(&mut tx, &s).await?;
        tx.commit().await?;
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
        let row = match self.visible_row(viewer, id).await {
            Err(CoreError::NotFound(_)) => self.own_trashed_row(viewer, id).await?,
            r => r?,
        };
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

    pub(crate) async fn content_of(
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
        if variant == Variant::Original && !full_original {
            let copy = self.original_object(row, false).await?;
            (key, content_type, filename) = (copy.key, copy.content_type, copy.filename);
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

    /// The object a viewer gets as an image's original: the original itself for its owner
    /// (`full`), else the copy without personal metadata, made once. Every original anyone
    /// but the owner receives is that copy, whatever the format (not only when EXIF was found
    /// at upload: `has_exif` is not consulted); its ETag differs from the original's and from
    /// the unversioned copies'.
    pub(crate) async fn original_object(
        &self,
        row: &ImageRow,
        full: bool,
    ) -> Result<OriginalObject, CoreError> {
        if full {
            return Ok(OriginalObject {
                key: keys::original(&row.sha256),
                content_type: row.content_type.clone(),
                filename: row.filename.clone(),
            });
        }
        let (key, format) = self.ensure_stripped_copy(row).await?;
        let content_type = format.content_type().to_string();
        let filename = if content_type != row.content_type {
            with_extension(&row.filename, format.extension())
        } else {
            row.filename.clone()
        };
        Ok(OriginalObject {
            key,
            content_type,
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

/// Where an original a viewer receives is stored, and what it is called.
pub(crate) struct OriginalObject {
    pub key: String,
    pub content_type: String,
    pub filename: String,
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
            key: 1234,
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
