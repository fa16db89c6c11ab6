//! Albums and favourites: a user's own collections of the images they may see.
//!
//! Invariants:
//! - An album is its owner's alone: every other caller (administrators included) gets 404 for
//!   it, as for an image they may not see.
//! - Only images the owner may see can be added; one that is not (or does not exist) refuses
//!   the whole request with 404 and adds nothing. An image that later becomes invisible to the
//!   owner (made private by its own owner) stays a member but is neither listed, counted nor
//!   used as cover.
//! - Deleting an album keeps its images; deleting an image removes it from every album.

use banana_api::{Added, AlbumPatch, AlbumView, ImageView, NewAlbum, OwnerView, Removed};
use banana_db::albums::{self as q, AlbumRow};

use crate::access::Viewer;
use crate::view::timestamp;
use crate::{App, CoreError};

/// Longest album name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Most images one request adds or removes.
pub const MAX_IMAGE_IDS: usize = 1000;

fn album_view(r: AlbumRow, username: Option<String>) -> AlbumView {
    AlbumView {
        id: r.id,
        name: r.name,
        description: r.description,
        cover_image_id: r.cover_image_id,
        image_count: r.image_count,
        created_at: timestamp(r.created_at),
        updated_at: timestamp(r.updated_at),
        owner: OwnerView {
            id: r.owner_id,
            username,
        },
    }
}

fn clean_name(name: &str) -> Result<String, CoreError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(CoreError::BadRequest(format!(
            "name must be 1–{MAX_NAME_CHARS} characters"
        )));
    }
    Ok(name.to_string())
}

fn clean_description(d: Option<&str>) -> Result<Option<String>, CoreError> {
    let Some(d) = d.map(str::trim).filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    if d.chars().count() > crate::images::MAX_TEXT_CHARS {
        return Err(CoreError::BadRequest(format!(
            "description is longer than {} characters",
            crate::images::MAX_TEXT_CHARS
        )));
    }
    Ok(Some(d.to_string()))
}

/// 1–1000 ids without repeats (in their first order), as every request naming images takes.
pub(crate) fn clean_ids(ids: &[String]) -> Result<Vec<String>, CoreError> {
    if ids.is_empty() || ids.len() > MAX_IMAGE_IDS {
        return Err(CoreError::BadRequest(format!(
            "image_ids must list 1–{MAX_IMAGE_IDS} images"
        )));
    }
    let mut out: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    Ok(out)
}

impl App {
    /// The signed-in user albums and favourites belong to.
    fn album_owner(viewer: &Viewer) -> Result<String, CoreError> {
        viewer
            .user_id()
            .map(str::to_string)
            .ok_or(CoreError::Unauthorized)
    }

    async fn album_views(&self, rows: Vec<AlbumRow>) -> Result<Vec<AlbumView>, CoreError> {
        let owners: Vec<String> = rows.iter().map(|r| r.owner_id.clone()).collect();
        let names = banana_db::accounts::usernames(&self.db, &owners).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let name = names
                    .iter()
                    .find(|(i, _)| *i == r.owner_id)
                    .map(|(_, n)| n.clone());
                album_view(r, name)
            })
            .collect())
    }

    /// The caller's album (404 for anyone else's, or none).
    pub async fn get_album(&self, viewer: &Viewer, id: &str) -> Result<AlbumView, CoreError> {
        let owner = Self::album_owner(viewer)?;
        let rows = q::list(&self.db, Some(&owner), Some(id), &viewer.scope()).await?;
        let row = rows
            .into_iter()
            .next()
            .ok_or(CoreError::NotFound("album"))?;
        Ok(self.album_views(vec![row]).await?.remove(0))
    }

    /// Check that the album is the caller's.
    pub(crate) async fn own_album(&self, viewer: &Viewer, id: &str) -> Result<(), CoreError> {
        let owner = Self::album_owner(viewer)?;
        match q::owner_of(&self.db, id).await? {
            Some(o) if o == owner => Ok(()),
            _ => Err(CoreError::NotFound("album")),
        }
    }

    pub async fn create_album(
        &self,
        viewer: &Viewer,
        new: NewAlbum,
    ) -> Result<AlbumView, CoreError> {
        let owner = Self::album_owner(viewer)?;
        let name = clean_name(&new.name)?;
        let description = clean_description(new.description.as_deref())?;
        let id = uuid::Uuid::now_v7().to_string();
        q::insert(&self.db, &id, &owner, &name, description.as_deref()).await?;
        self.get_album(viewer, &id).await
    }

    /// The caller's albums, most recently changed first.
    pub async fn list_albums(&self, viewer: &Viewer) -> Result<Vec<AlbumView>, CoreError> {
        let owner = Self::album_owner(viewer)?;
        let rows = q::list(&self.db, Some(&owner), None, &viewer.scope()).await?;
        self.album_views(rows).await
    }

    pub async fn patch_album(
        &self,
        viewer: &Viewer,
        id: &str,
        patch: AlbumPatch,
    ) -> Result<AlbumView, CoreError> {
        self.own_album(viewer, id).await?;
        let (name, description, cover) = q::fields(&self.db, id)
            .await?
            .ok_or(CoreError::NotFound("album"))?;
        let name = match patch.name {
            Some(n) => clean_name(&n)?,
            None => name,
        };
        let description = match patch.description {
            Some(d) => clean_description(d.as_deref())?,
            None => description,
        };
        let cover = match patch.cover_image_id {
            Some(Some(c)) => {
                // One of the album's images the owner may see.
                let row = self.visible_row(viewer, &c).await?;
                if !q::contains(&self.db, id, &row.id).await? {
                    return Err(CoreError::BadRequest(
                        "cover_image_id must be an image in the album".into(),
                    ));
                }
                Some(row.id)
            }
            Some(None) => None,
            None => cover,
        };
        q::update(
            &self.db,
            id,
            &name,
            description.as_deref(),
            cover.as_deref(),
        )
        .await?;
        self.get_album(viewer, id).await
    }

    /// Delete the caller's album (its images stay).
    pub async fn delete_album(&self, viewer: &Viewer, id: &str) -> Result<(), CoreError> {
        self.own_album(viewer, id).await?;
        q::delete(&self.db, id).await?;
        Ok(())
    }

    /// Add images the caller may see to their album: all or nothing (404 naming the first
    /// image they may not see).
    pub async fn add_album_images(
        &self,
        viewer: &Viewer,
        id: &str,
        image_ids: &[String],
    ) -> Result<Added, CoreError> {
        self.own_album(viewer, id).await?;
        let ids = clean_ids(image_ids)?;
        for image in &ids {
            self.visible_row(viewer, image).await?;
        }
        let added = q::add_images(self.db.pool(), id, &ids).await?;
        Ok(Added { added })
    }

    pub async fn remove_album_images(
        &self,
        viewer: &Viewer,
        id: &str,
        image_ids: &[String],
    ) -> Result<Removed, CoreError> {
        self.own_album(viewer, id).await?;
        let ids = clean_ids(image_ids)?;
        let removed = q::remove_images(self.db.pool(), id, &ids).await?;
        Ok(Removed { removed })
    }

    /// Mark (or unmark) an image the caller may see as their favourite.
    pub async fn set_favorite(
        &self,
        viewer: &Viewer,
        id: &str,
        on: bool,
    ) -> Result<ImageView, CoreError> {
        let user = Self::album_owner(viewer)?;
        let row = self.visible_row(viewer, id).await?;
        q::set_favorite(&self.db, &user, &row.id, on).await?;
        self.get_image(viewer, id).await
    }
}
