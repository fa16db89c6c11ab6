//! Bulk actions: one action over up to 1000 images, each authorised and carried out on its own
//! exactly as the single-image endpoint would (one image the caller may not touch fails alone,
//! with that endpoint's error; the rest go ahead). Ids given twice are acted on once and
//! reported twice.

use banana_api::{BulkAction, BulkRequest, ImagePatch, Visibility};

use crate::access::Viewer;
use crate::{App, CoreError};

impl App {
    /// Carry out `req` image by image: each id with its outcome, in the order given. A
    /// database failure ends the request (every action is idempotent: retry it whole).
    pub async fn bulk(
        &self,
        viewer: &Viewer,
        req: BulkRequest,
    ) -> Result<Vec<(String, Result<(), CoreError>)>, CoreError> {
        let ids = crate::albums::clean_ids(&req.image_ids)?;
        if viewer.user_id().is_none() {
            return Err(CoreError::Unauthorized);
        }
        let visibility = match (req.action, req.visibility) {
            (BulkAction::SetVisibility, None) => {
                return Err(CoreError::BadRequest(
                    "set_visibility needs \"visibility\": \"public\" or \"private\"".into(),
                ))
            }
            (_, v) => v,
        };
        let album = match (req.action, req.album_id) {
            (BulkAction::AddToAlbum | BulkAction::RemoveFromAlbum, None) => {
                return Err(CoreError::BadRequest(
                    "add_to_album and remove_from_album need \"album_id\"".into(),
                ))
            }
            (BulkAction::AddToAlbum | BulkAction::RemoveFromAlbum, Some(a)) => {
                // The album itself is checked once: not theirs fails the whole request.
                self.own_album(viewer, &a).await?;
                Some(a)
            }
            _ => None,
        };
        let tag = match (req.action, req.tag) {
            (BulkAction::Tag | BulkAction::Untag, None) => {
                return Err(CoreError::BadRequest("tag and untag need \"tag\"".into()))
            }
            (BulkAction::Tag | BulkAction::Untag, Some(t)) => Some(clean_tag(&t)?),
            _ => None,
        };
        let mut done = Vec::with_capacity(ids.len());
        for id in &ids {
            let one = std::slice::from_ref(id);
            let r = match req.action {
                BulkAction::Trash => self.delete_image(viewer, id).await,
                BulkAction::Restore => self.restore_image(viewer, id).await,
                BulkAction::Purge => self.purge_image(viewer, id).await,
                BulkAction::SetVisibility => {
                    let patch = ImagePatch {
                        visibility: visibility.map(|v| match v {
                            Visibility::Public => "public".to_string(),
                            Visibility::Private => "private".to_string(),
                        }),
                        ..ImagePatch::default()
                    };
                    self.patch_image(viewer, id, patch).await.map(drop)
                }
                BulkAction::Favorite => self.set_favorite(viewer, id, true).await.map(drop),
                BulkAction::Unfavorite => self.set_favorite(viewer, id, false).await.map(drop),
                BulkAction::AddToAlbum => {
                    let album = album.as_deref().unwrap_or_default();
                    self.add_album_images(viewer, album, one).await.map(drop)
                }
                BulkAction::RemoveFromAlbum => {
                    let album = album.as_deref().unwrap_or_default();
                    self.remove_album_images(viewer, album, one).await.map(drop)
                }
                BulkAction::Tag | BulkAction::Untag => {
                    let tag = tag.as_deref().unwrap_or_default();
                    self.set_tag(viewer, id, tag, req.action == BulkAction::Tag)
                        .await
                }
            };
            match r {
                Err(e) if matches!(e, CoreError::Db(_) | CoreError::Internal(_)) => return Err(e),
                r => done.push((id.clone(), r)),
            }
        }
        Ok(done)
    }
}

/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 50;

/// A tag as stored: trimmed, inner runs of whitespace as one space, 1–50 characters, no
/// control characters.
pub fn clean_tag(tag: &str) -> Result<String, CoreError> {
    let t = tag.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() || t.chars().count() > MAX_TAG_CHARS || t.chars().any(char::is_control) {
        return Err(CoreError::BadRequest(format!(
            "a tag is 1–{MAX_TAG_CHARS} characters without control characters"
        )));
    }
    Ok(t)
}

impl App {
    /// Put a tag on an image or take it off (the owner or an administrator), and rewrite its
    /// keyword text in the same transaction.
    pub async fn set_tag(
        &self,
        viewer: &Viewer,
        id: &str,
        tag: &str,
        on: bool,
    ) -> Result<(), CoreError> {
        let row = self.editable_row(viewer, id).await?;
        let mut tx = self.db.begin().await?;
        if on {
            banana_db::tags::add(&mut *tx, &row.id, tag).await?;
        } else {
            banana_db::tags::remove(&mut *tx, &row.id, tag).await?;
        }
        banana_db::search_text::refresh(&mut tx, &row.id).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl App {
    /// Add a user tag to one image (the owner or an administrator): the image as it is now.
    pub async fn add_image_tag(
        &self,
        viewer: &Viewer,
        id: &str,
        name: &str,
    ) -> Result<banana_api::ImageView, CoreError> {
        let tag = clean_tag(name)?;
        self.set_tag(viewer, id, &tag, true).await?;
        self.get_image(viewer, id).await
    }

    /// Remove a user tag from one image (404 when it does not have it).
    pub async fn remove_image_tag(
        &self,
        viewer: &Viewer,
        id: &str,
        name: &str,
    ) -> Result<banana_api::ImageView, CoreError> {
        let row = self.editable_row(viewer, id).await?;
        let mut tx = self.db.begin().await?;
        if !banana_db::tags::remove(&mut *tx, &row.id, name.trim()).await? {
            return Err(CoreError::NotFound("tag"));
        }
        banana_db::search_text::refresh(&mut tx, &row.id).await?;
        tx.commit().await?;
        self.get_image(viewer, id).await
    }

    /// Reject a model label on one image (the owner or an administrator): it leaves the
    /// image's labels, its keyword text and label filters, and stays off after re-analysis.
    pub async fn reject_label(
        &self,
        viewer: &Viewer,
        id: &str,
        label_id: &str,
    ) -> Result<banana_api::ImageView, CoreError> {
        let row = self.editable_row(viewer, id).await?;
        let mut tx = self.db.begin().await?;
        if !banana_db::labels::reject(&mut tx, &row.id, label_id).await? {
            return Err(CoreError::NotFound("label"));
        }
        banana_db::search_text::refresh(&mut tx, &row.id).await?;
        tx.commit().await?;
        self.search_reindex(&row.id).await?;
        self.get_image(viewer, id).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_are_cleaned_and_limited() {
        assert_eq!(
            super::clean_tag("  summer \t 2019 ").unwrap(),
            "summer 2019"
        );
        assert!(super::clean_tag("   ").is_err());
        assert!(super::clean_tag(&"x".repeat(51)).is_err());
        assert!(super::clean_tag(&"é".repeat(50)).is_ok());
    }
}
