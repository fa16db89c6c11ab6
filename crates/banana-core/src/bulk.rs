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
        let mut done = Vec::with_capacity(ids.len());
        for id in &ids {
            let one = std::slice::from_ref(id);
            let r = match req.action {
                BulkAction::Trash => self.delete_image(viewer, id).await,
                BulkAction::Restore => self.restore_image(viewer, id).await,
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
            };
            match r {
                Err(e) if matches!(e, CoreError::Db(_) | CoreError::Internal(_)) => return Err(e),
                r => done.push((id.clone(), r)),
            }
        }
        Ok(done)
    }
}
