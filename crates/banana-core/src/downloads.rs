//! ZIP downloads of many originals: a selection, an album, a shared album. Everything is
//! checked before the first byte is sent (one image the caller may not see refuses the whole
//! download with 404: a response already streaming cannot turn into an error), then the
//! archive is streamed object by object through a small bounded channel, so the server's
//! memory stays flat whatever the archive's size. Files are stored, not compressed (photos do
//! not compress); names are made unique within the archive. The owner gets their originals;
//! everyone else (a shared album's recipients, a public image's viewers) gets the copies
//! without personal metadata, as for a single download.

use banana_db::images::ImageRow;
use banana_zip::{Names, ZipEncoder};
use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::access::Viewer;
use crate::{App, CoreError};

/// What a ZIP download holds, checked and ready to stream.
pub struct Download {
    /// The archive's file name (`Content-Disposition`).
    pub filename: String,
    items: Vec<(ImageRow, bool)>,
}

/// A chunk of the archive, or why it stopped (the response is then cut short).
pub type Chunk = Result<Bytes, std::io::Error>;

/// About how many bytes each chunk of an archive holds (the channel holds a few).
const CHUNK: usize = 256 * 1024;

/// Send what `buf` holds (and empty it); an error when the receiver is gone (the client left).
async fn send(out: &mpsc::Sender<Chunk>, buf: &mut BytesMut) -> Result<(), CoreError> {
    let chunk = buf.split().freeze();
    out.send(Ok(chunk))
        .await
        .map_err(|_| CoreError::Internal("client went away".into()))
}

/// `name` as a file name: letters, digits and a few marks, the rest `_`.
fn archive_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || " -_.()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        "banana.zip".into()
    } else {
        format!("{clean}.zip")
    }
}

impl App {
    /// These images (1–1000, all of which the caller must be allowed to see) as one archive.
    pub async fn download(&self, viewer: &Viewer, ids: &[String]) -> Result<Download, CoreError> {
        let ids = crate::albums::clean_ids(ids)?;
        // One read for all the rows (not a query per image), then the same check as
        // `visible_row`: 404 for the first the viewer may not see.
        let mut rows = banana_db::vectors::rows(&self.db, &ids).await?;
        let mut items = Vec::with_capacity(ids.len());
        for id in &ids {
            let at = rows
                .iter()
                .position(|r| r.id == *id && viewer.can_see(r))
                .ok_or(CoreError::NotFound("image"))?;
            let row = rows.swap_remove(at);
            let owner = viewer.user_id() == Some(row.owner_id.as_str());
            items.push((row, owner || *viewer == Viewer::System));
        }
        Ok(Download {
            filename: format!("banana-{}-photos.zip", items.len()),
            items,
        })
    }

    /// The caller's album as one archive (the images of it they may see).
    pub async fn album_download(
        &self,
        viewer: &Viewer,
        album_id: &str,
    ) -> Result<Download, CoreError> {
        let album = self.get_album(viewer, album_id).await?;
        let rows = self.album_rows(viewer, album_id).await?;
        let me = viewer.user_id().unwrap_or_default().to_string();
        Ok(Download {
            filename: archive_name(&album.name),
            items: rows
                .into_iter()
                .map(|r| {
                    let owner = r.owner_id == me;
                    (r, owner)
                })
                .collect(),
        })
    }

    /// Every image of an album (that its owner may see), newest first by date taken.
    pub(crate) async fn album_rows(
        &self,
        owner: &Viewer,
        album_id: &str,
    ) -> Result<Vec<ImageRow>, CoreError> {
        let mut rows = Vec::new();
        let mut after = None;
        loop {
            let page = banana_db::images::list(
                &self.db,
                &banana_db::images::ListQuery {
                    scope: owner.scope(),
                    album: Some(album_id.to_string()),
                    after: after.take(),
                    limit: 500,
                    ..Default::default()
                },
            )
            .await?;
            let full = page.len() == 500;
            after = page.last().map(|(r, key)| banana_db::images::Cursor {
                key: *key,
                id: r.id.clone(),
            });
            rows.extend(page.into_iter().map(|(r, _)| r));
            if !full {
                return Ok(rows);
            }
        }
    }

    /// A shared album as one archive, for its link's recipients.
    pub async fn shared_album_download(&self, token: &str) -> Result<Download, CoreError> {
        let (album, owner) = self.shared_album(token).await?;
        let rows = self.album_rows(&owner, &album.id).await?;
        Ok(Download {
            filename: archive_name(&album.name),
            items: rows.into_iter().map(|r| (r, false)).collect(),
        })
    }

    /// Stream `download` into `out` as a ZIP archive. Stops early (with an error chunk) when
    /// an object cannot be read, and quietly when the receiver is gone (the client left).
    pub async fn write_zip(&self, download: Download, out: mpsc::Sender<Chunk>) {
        if let Err(e) = self.zip_into(download, &out).await {
            tracing::warn!(error = %e, "ZIP download cut short");
            let _ = out.send(Err(std::io::Error::other(e.to_string()))).await;
        }
    }

    async fn zip_into(
        &self,
        download: Download,
        out: &mpsc::Sender<Chunk>,
    ) -> Result<(), CoreError> {
        let mut zip = ZipEncoder::new();
        let mut names = Names::new();
        let zip_err = |e: banana_zip::ZipError| CoreError::Internal(e.to_string());
        // Small reads (a local file comes in 8 KiB pieces) are gathered into chunks of about
        // CHUNK bytes, so the response is not a stream of tiny frames.
        let mut buf = BytesMut::with_capacity(CHUNK);
        for (row, full) in &download.items {
            let object = self.original_object(row, *full).await?;
            let mut body = self.storage.get(&object.key).await?;
            let name = names.unique(&object.filename);
            buf.extend_from_slice(
                &zip.begin(&name, body.size, row.created_at / 1000)
                    .map_err(zip_err)?,
            );
            while let Some(chunk) = body.stream.next().await {
                let chunk =
                    chunk.map_err(|e| CoreError::from(banana_storage::StorageError::from(e)))?;
                zip.data(&chunk).map_err(zip_err)?;
                buf.extend_from_slice(&chunk);
                if buf.len() >= CHUNK {
                    send(out, &mut buf).await?;
                }
            }
            buf.extend_from_slice(&zip.end().map_err(zip_err)?);
        }
        buf.extend_from_slice(&zip.finish().map_err(zip_err)?);
        send(out, &mut buf).await?;
        Ok(())
    }
}
