//! The trash. Deleting an image moves it to its owner's trash (`images.trashed_at`): from that
//! moment it is in no listing, search, album, favourite list or share link, and `GET` answers
//! 404 — but nothing is lost; its owner can restore it whole (labels, vectors, albums,
//! favourites) or empty the trash. A `purge_trash` job queued with the deletion removes it for
//! good `BANANA_TRASH_DAYS` later (0: deleting purges at once, as before the trash existed).
//!
//! Purging is the one way rows and objects are deleted: the row's deletion commits with the
//! intent to remove its objects, then the objects go unless another row shares the content;
//! a process killed in between leaves the intent to the sweeper (`sweep.rs`).

use banana_api::TrashItem;
use banana_db::images::{self as q, ImageRow};
use banana_db::{intents, now_ms, trash, Transaction};

use crate::access::Viewer;
use crate::images::{cut_page, decode_cursor, Page};
use crate::jobs::{BackgroundJob, PurgeTrash};
use crate::view::timestamp;
use crate::{App, CoreError};

const DAY_MS: i64 = 24 * 3600 * 1000;

impl App {
    /// Delete an image: into its owner's trash, or for good at once when the trash is off.
    pub async fn delete_image(&self, viewer: &Viewer, id: &str) -> Result<(), CoreError> {
        let row = self.editable_row(viewer, id).await?;
        if self.config.trash_days == 0 {
            self.remove_image_now(&row.id).await?;
            return Ok(());
        }
        let now = now_ms();
        let mut tx = self.db.begin().await?;
        if !trash::trash(&mut *tx, &row.id, now).await? {
            return Err(CoreError::NotFound("image"));
        }
        let job = PurgeTrash {
            image_id: row.id.clone(),
            trashed_at: now,
        };
        PurgeTrash::enqueue_at(
            &mut tx,
            &job,
            now + i64::from(self.config.trash_days) * DAY_MS,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The caller's trash, most recently deleted first, `limit` at a time (1–100, default 50).
    pub async fn trash_page(
        &self,
        viewer: &Viewer,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> Result<Page<TrashItem>, CoreError> {
        let owner = viewer.user_id().ok_or(CoreError::Unauthorized)?;
        let limit = limit.unwrap_or(50).clamp(1, 100);
        let after = cursor
            .map(decode_cursor)
            .transpose()?
            .map(|c| trash::TrashCursor {
                trashed_at: c.key,
                id: c.id,
            });
        let mut rows = trash::list(&self.db, owner, after.as_ref(), limit + 1).await?;
        let next_cursor = cut_page(&mut rows, limit, |r| {
            (r.trashed_at.unwrap_or(0), r.id.clone())
        });
        let times: Vec<i64> = rows.iter().map(|r| r.trashed_at.unwrap_or(0)).collect();
        let views = self.view_rows(viewer, rows).await?;
        let days = i64::from(self.config.trash_days);
        Ok(Page {
            items: views
                .into_iter()
                .zip(times)
                .map(|(image, at)| TrashItem {
                    image,
                    trashed_at: timestamp(at),
                    purge_at: (days > 0).then(|| timestamp(at + days * DAY_MS)),
                })
                .collect(),
            next_cursor,
        })
    }

    /// Take one of the caller's images out of their trash (404 when it is not in it).
    pub async fn restore_image(&self, viewer: &Viewer, id: &str) -> Result<(), CoreError> {
        let owner = viewer.user_id().ok_or(CoreError::Unauthorized)?;
        let mut tx = self.db.begin().await?;
        let Some(trashed_at) = trash::restore(&mut tx, owner, id).await? else {
            return Err(CoreError::NotFound("image in the trash"));
        };
        cancel_purge(&mut tx, id, trashed_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Restore these of the caller's images; ids not in their trash are skipped. How many were
    /// restored.
    pub async fn restore_images(&self, viewer: &Viewer, ids: &[String]) -> Result<i64, CoreError> {
        let mut n = 0;
        for id in &crate::albums::clean_ids(ids)? {
            match self.restore_image(viewer, id).await {
                Ok(()) => n += 1,
                Err(CoreError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(n)
    }

    /// Delete one image of the caller's trash for good, now (404 when it is not in it).
    pub async fn purge_image(&self, viewer: &Viewer, id: &str) -> Result<(), CoreError> {
        let row = self.own_trashed_row(viewer, id).await?;
        let mut tx = self.db.begin().await?;
        let Some(row) = trash::delete_trashed(&mut *tx, &row.id, None).await? else {
            return Err(CoreError::NotFound("image in the trash"));
        };
        self.commit_removal(tx, &row).await
    }

    /// Delete everything in the caller's trash for good, now. How many images were deleted.
    pub async fn empty_trash(&self, viewer: &Viewer) -> Result<i64, CoreError> {
        let owner = viewer.user_id().ok_or(CoreError::Unauthorized)?;
        let mut n = 0;
        for id in trash::ids(&self.db, owner).await? {
            let mut tx = self.db.begin().await?;
            let Some(row) = trash::delete_trashed(&mut *tx, &id, None).await? else {
                continue; // restored or purged meanwhile
            };
            self.commit_removal(tx, &row).await?;
            n += 1;
        }
        Ok(n)
    }

    /// Delete an image's row now, trashed or not (an account's deletion, `BANANA_TRASH_DAYS=0`),
    /// then its objects unless another row uses them.
    pub(crate) async fn remove_image_now(&self, id: &str) -> Result<(), CoreError> {
        let mut tx = self.db.begin().await?;
        let row = q::delete(&mut *tx, id)
            .await?
            .ok_or(CoreError::NotFound("image"))?;
        self.commit_removal(tx, &row).await
    }

    /// Commit the transaction that deleted `row`, with the intent to remove its content's
    /// objects (see `sweep.rs`) and without its scheduled purge (when it was trashed); then drop
    /// it from the search indexes and remove its objects when no other row uses them.
    pub(crate) async fn commit_removal(
        &self,
        mut tx: Transaction<'_>,
        row: &ImageRow,
    ) -> Result<(), CoreError> {
        if let Some(at) = row.trashed_at {
            cancel_purge(&mut tx, &row.id, at).await?;
        }
        let intent = uuid::Uuid::now_v7().to_string();
        intents::insert(&mut *tx, &intent, &row.sha256, &crate::sweep::INSTANCE).await?;
        tx.commit().await?;
        self.search.remove(&row.id);
        if let Some(pause) = self.config.test_pause_before_removal {
            // Test only (BANANA_TEST_PAUSE_BEFORE_REMOVAL_MS): crash tests kill the process here.
            tokio::time::sleep(pause).await;
        }
        self.remove_unreferenced_objects(&intent, &row.sha256).await;
        Ok(())
    }

    /// The row of an image in the viewer's own trash (their trash page shows its thumbnails).
    pub(crate) async fn own_trashed_row(
        &self,
        viewer: &Viewer,
        id: &str,
    ) -> Result<ImageRow, CoreError> {
        match q::get(&self.db, id).await? {
            Some(row)
                if row.trashed_at.is_some() && viewer.user_id() == Some(row.owner_id.as_str()) =>
            {
                Ok(row)
            }
            _ => Err(CoreError::NotFound("image")),
        }
    }

    /// When the owner's image of this content is in their trash, bring it back (uploading a
    /// photo again restores it); its id either way.
    pub(crate) async fn revive_duplicate(
        &self,
        owner_id: &str,
        id: String,
    ) -> Result<String, CoreError> {
        let mut tx = self.db.begin().await?;
        if let Some(trashed_at) = trash::restore(&mut tx, owner_id, &id).await? {
            cancel_purge(&mut tx, &id, trashed_at).await?;
        }
        tx.commit().await?;
        Ok(id)
    }
}

/// Drop the scheduled purge of an image trashed at `trashed_at` (restored, or purged now).
async fn cancel_purge(
    tx: &mut Transaction<'_>,
    id: &str,
    trashed_at: i64,
) -> Result<(), CoreError> {
    let job = PurgeTrash {
        image_id: id.to_string(),
        trashed_at,
    };
    let json = serde_json::to_value(&job).expect("job payloads serialize to JSON");
    banana_db::jobs::cancel_queued(&mut **tx, PurgeTrash::JOB_NAME, &json).await?;
    Ok(())
}
