//! Copies of originals without personal metadata, for everyone but the owner: the public,
//! share-link holders and administrators never receive GPS positions, names, camera serial
//! numbers or editing history, whatever the format and wherever in the file they were.
//!
//! Who gets what is decided in `images::content` (the owner, and the system itself, get the
//! original; every other viewer and every share link gets the copy) — for every image, not only
//! those where an EXIF block was found at upload. What a copy keeps (the ICC profile and the
//! orientation, nothing else) is `banana_media::strip`.
//!
//! Invariants:
//! - A copy is made once per content and stored under the versioned key
//!   `keys::public_original`; its format is a function of the original's (so its content type
//!   is known without reading it).
//! - Single flight: concurrent requests in this process for the same copy wait for one build,
//!   and a build holds a decode permit (`App::decode_permit`), so N anonymous requests for a
//!   large TIFF cost one decode, bounded like uploads. Several instances may each build the same
//!   copy at once: the bytes are identical and writes are atomic, so that only costs work.
//! - Copies made by earlier rules (unversioned `public/ab/…` keys) are never served. They are
//!   removed by [`App::purge_legacy_public_copies`], run in the background at start-up: it is
//!   idempotent (deleting what is gone is no error), so a crash or several instances running it
//!   at once are harmless, and it writes a marker object once a whole pass succeeded so later
//!   starts skip it. An instance of an older release still running during a rolling upgrade
//!   may write a legacy copy after the pass; building a current copy deletes the legacy one
//!   of the same content too.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use banana_db::images::ImageRow;
use banana_media::{strip, Format};
use banana_storage::keys;
use bytes::Bytes;

use crate::{App, CoreError};

/// Written once a pass of [`App::purge_legacy_public_copies`] removed every legacy copy.
pub const LEGACY_PURGED_MARKER: &str = "maintenance/legacy-public-copies-purged";

/// The copies being built in this process, one lock per key (single flight).
#[derive(Default)]
pub struct CopyBuilds {
    inflight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    built: AtomicU64,
}

impl CopyBuilds {
    /// How many copies this process has built.
    pub fn built(&self) -> u64 {
        self.built.load(Ordering::Relaxed)
    }

    /// Wait until no other request of this process builds `key`.
    async fn turn(&self, key: &str) -> Turn<'_> {
        let lock = self
            .inflight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(key.to_string())
            .or_default()
            .clone();
        let guard = lock.clone().lock_owned().await;
        Turn {
            builds: self,
            key: key.to_string(),
            lock,
            guard: Some(guard),
        }
    }
}

/// One request's exclusive turn at building a copy; the map entry goes with the last waiter.
struct Turn<'a> {
    builds: &'a CopyBuilds,
    key: String,
    lock: Arc<tokio::sync::Mutex<()>>,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut map = self
            .builds
            .inflight
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        // References: the map's and this turn's; any more are requests waiting for a turn.
        if map
            .get(&self.key)
            .is_some_and(|l| Arc::ptr_eq(l, &self.lock) && Arc::strong_count(l) == 2)
        {
            map.remove(&self.key);
        }
    }
}

impl App {
    /// The key and format of the copy of this image's original without personal metadata,
    /// made now if it does not exist yet.
    pub(crate) async fn stripped_copy(
        &self,
        row: &ImageRow,
    ) -> Result<(String, Format), CoreError> {
        let original_format = Format::from_content_type(&row.content_type).ok_or_else(|| {
            CoreError::Internal(format!("stored content type {:?}", row.content_type))
        })?;
        let format = strip::copy_format(original_format);
        let key = keys::public_original(&row.sha256);
        if self.storage.exists(&key).await? {
            return Ok((key, format));
        }
        let _turn = self.copy_builds.turn(&key).await;
        if self.storage.exists(&key).await? {
            return Ok((key, format)); // built by the request this one waited for
        }
        let original = self.storage.get_bytes(&keys::original(&row.sha256)).await?;
        let stripped = {
            let _permit = self.decode_permit().await?;
            let limits = self.limits();
            tokio::task::spawn_blocking(move || strip::strip(&original, &limits)).await??
        };
        if stripped.format != format {
            return Err(CoreError::Internal(format!(
                "copy of a {original_format:?} came out as {:?}",
                stripped.format
            )));
        }
        self.storage
            .put(&key, Bytes::from(stripped.bytes), format.content_type())
            .await?;
        self.copy_builds.built.fetch_add(1, Ordering::Relaxed);
        if let Err(e) = self
            .storage
            .delete(&keys::legacy_public_original(&row.sha256))
            .await
        {
            tracing::warn!(error = %e, "could not delete a legacy public copy");
        }
        Ok((key, format))
    }

    /// Delete every copy made by the rules of earlier releases (unversioned keys under
    /// `public/`); how many were deleted. Skipped (0) once a pass has completed.
    pub async fn purge_legacy_public_copies(&self) -> Result<usize, CoreError> {
        if self.storage.exists(LEGACY_PURGED_MARKER).await? {
            return Ok(0);
        }
        let legacy: Vec<String> = self
            .storage
            .list(keys::LEGACY_PUBLIC_PREFIX)
            .await?
            .into_iter()
            .filter(|k| keys::is_legacy_public(k))
            .collect();
        for key in &legacy {
            self.storage.delete(key).await?;
        }
        self.storage
            .put(
                LEGACY_PURGED_MARKER,
                Bytes::from_static(b"copies under public/ made before public/v2 were deleted\n"),
                "text/plain",
            )
            .await?;
        Ok(legacy.len())
    }

    /// Run [`App::purge_legacy_public_copies`] in the background (a failure is logged; the next
    /// start tries again).
    pub fn start_legacy_copy_purge(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            match app.purge_legacy_public_copies().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "deleted public copies made by older rules"),
                Err(e) => tracing::warn!(
                    error = %e,
                    "could not delete the public copies made by older rules; retried at next start"
                ),
            }
        })
    }
}
