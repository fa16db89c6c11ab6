//! Share links of albums: like image share links (an unguessable token stored as its SHA-256,
//! expiring, revocable, read-only), made by the album's owner. A link opens the album and its
//! images as its owner sees them at that moment — an image trashed, made private by its own
//! owner or removed from the album leaves the link at once — and every original it hands out
//! is the copy without personal metadata. Disabling the owner's account stops the link.

use banana_api::{ImageView, ShareView, SharedAlbum, SharedAlbumPage};
use banana_db::albums::{self as q, AlbumShareRow};
use banana_db::images::ListQuery;
use banana_db::now_ms;

use crate::access::Viewer;
use crate::accounts::{hash_token, new_token};
use crate::images::{cut_page, decode_cursor, Content, Variant};
use crate::{App, CoreError};

/// The album a link opens (shown as its owner, whose sight the link borrows, sees it).
pub struct LinkedAlbum {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub image_count: i64,
}

fn share_view(s: AlbumShareRow, token: Option<String>) -> ShareView {
    crate::view::share_view(s.id, s.created_at, s.expires_at, token)
}

impl App {
    /// A share link for the caller's album, valid for `expires_in_secs`.
    pub async fn create_album_share(
        &self,
        viewer: &Viewer,
        album_id: &str,
        expires_in_secs: i64,
    ) -> Result<ShareView, CoreError> {
        self.own_album(viewer, album_id).await?;
        if !(60..=365 * 24 * 3600).contains(&expires_in_secs) {
            return Err(CoreError::BadRequest(
                "expires_in must be between 60 seconds and one year".into(),
            ));
        }
        let token = new_token("bnx");
        let share = AlbumShareRow {
            id: uuid::Uuid::now_v7().to_string(),
            album_id: album_id.to_string(),
            created_by: viewer.user_id().unwrap_or_default().to_string(),
            created_at: now_ms(),
            expires_at: now_ms() + expires_in_secs * 1000,
        };
        q::insert_share(&self.db, &share, &hash_token(&token)).await?;
        Ok(share_view(share, Some(token)))
    }

    /// The live share links of the caller's album (without their tokens).
    pub async fn list_album_shares(
        &self,
        viewer: &Viewer,
        album_id: &str,
    ) -> Result<Vec<ShareView>, CoreError> {
        self.own_album(viewer, album_id).await?;
        Ok(q::list_shares(&self.db, album_id)
            .await?
            .into_iter()
            .map(|s| share_view(s, None))
            .collect())
    }

    /// Revoke a link of the caller's album: it stops working at once.
    pub async fn revoke_album_share(
        &self,
        viewer: &Viewer,
        album_id: &str,
        share_id: &str,
    ) -> Result<(), CoreError> {
        self.own_album(viewer, album_id).await?;
        if q::delete_share(&self.db, album_id, share_id).await? {
            Ok(())
        } else {
            Err(CoreError::NotFound("share"))
        }
    }

    /// The album a live album token opens, and its owner as a viewer.
    pub(crate) async fn shared_album(
        &self,
        token: &str,
    ) -> Result<(LinkedAlbum, Viewer), CoreError> {
        let share = q::share_by_hash(&self.db, &hash_token(token))
            .await?
            .ok_or(CoreError::NotFound("share"))?;
        let owner_id = q::owner_of(&self.db, &share.album_id)
            .await?
            .ok_or(CoreError::NotFound("share"))?;
        let owner = Viewer::User {
            id: owner_id,
            is_admin: false,
        };
        let album = self.get_album(&owner, &share.album_id).await?;
        Ok((
            LinkedAlbum {
                id: album.id,
                name: album.name,
                description: album.description,
                image_count: album.image_count,
            },
            owner,
        ))
    }

    /// What a share token opens: an album's first (or `cursor`'s) page, or an image.
    pub async fn open_shared(
        &self,
        token: &str,
        cursor: Option<&str>,
    ) -> Result<banana_api::Shared, CoreError> {
        match self.shared_album(token).await {
            Ok(linked) => Ok(banana_api::Shared::Album(
                self.shared_album_page(token, linked, cursor).await?,
            )),
            Err(CoreError::NotFound(_)) => Ok(banana_api::Shared::Image(Box::new(
                self.shared_image(token).await?,
            ))),
            Err(e) => Err(e),
        }
    }

    /// What an album link shows: the album and a page of its images (50 at a time), as a
    /// signed-out visitor sees them, with their bytes under the link.
    async fn shared_album_page(
        &self,
        token: &str,
        (album, owner): (LinkedAlbum, Viewer),
        cursor: Option<&str>,
    ) -> Result<SharedAlbumPage, CoreError> {
        let limit = 50;
        let mut rows = banana_db::images::list(
            &self.db,
            &ListQuery {
                scope: owner.scope(),
                album: Some(album.id.clone()),
                after: cursor.map(decode_cursor).transpose()?,
                limit: limit + 1,
                ..Default::default()
            },
        )
        .await?;
        let next_cursor = cut_page(&mut rows, limit, |(r, key)| (*key, r.id.clone()));
        let rows = rows.into_iter().map(|(r, _)| r).collect();
        // Built for a signed-out viewer: no place, no favourite, nothing personal.
        let mut images: Vec<ImageView> = self.view_rows(&Viewer::Anonymous, rows).await?;
        for v in &mut images {
            let base = format!("/api/v1/shared/{token}/images/{}", v.id);
            v.urls = Some(crate::view::Urls {
                original: format!("{base}/original"),
                thumbnail: format!("{base}/thumbnail"),
                preview: format!("{base}/preview"),
            });
        }
        Ok(SharedAlbumPage {
            album: SharedAlbum {
                name: album.name,
                description: album.description,
                image_count: album.image_count,
            },
            images,
            next_cursor,
        })
    }

    /// One variant of an image of a shared album (the original without personal metadata).
    pub async fn shared_album_content(
        &self,
        token: &str,
        image_id: &str,
        variant: Variant,
    ) -> Result<Content, CoreError> {
        let (album, owner) = self.shared_album(token).await?;
        let row = self.visible_row(&owner, image_id).await?;
        if !q::contains(&self.db, &album.id, &row.id).await? {
            return Err(CoreError::NotFound("image"));
        }
        self.content_of(&row, variant, false).await
    }
}
