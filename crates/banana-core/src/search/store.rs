//! The write side of search: an image's search data (semantic vector and keyword text) is
//! written in the transaction that writes its labels, title or attribution, and this
//! process's indexes follow after the commit (other instances follow at their catch-up).

use banana_db::images::{self as q, ImageRow};
use banana_db::vectors::{self, VectorKind};
use banana_db::{search_text, DbError, Transaction};
use banana_vision::Prediction;

use super::explain::top5_of;
use super::{SearchContext, SearchService};
use crate::CoreError;

/// In the transaction that stores an image's labels: its semantic vector (when given) and its
/// keyword-search text.
pub async fn store_search_data(
    tx: &mut Transaction<'_>,
    image_id: &str,
    semantic: Option<&[f32]>,
) -> Result<(), DbError> {
    if let Some(v) = semantic {
        vectors::set(tx, image_id, VectorKind::Semantic, v).await?;
    }
    search_text::refresh(tx, image_id).await
}

impl SearchService {
    /// For `commit_row`: compute and store the search data of an upload that came with its
    /// prediction (the in-memory indexes follow after the commit, [`SearchService::index_stored`]).
    pub async fn store_prediction(
        &self,
        cx: &SearchContext<'_>,
        tx: &mut Transaction<'_>,
        row: &ImageRow,
        p: &Prediction,
    ) -> Result<(), DbError> {
        let semantic = self
            .semantic_vector(
                cx,
                p.top5.clone(),
                row.title.clone(),
                row.attribution.clone(),
                Vec::new(),
            )
            .await;
        store_search_data(tx, &row.id, semantic.as_deref()).await
    }

    /// Put an image's stored vectors into this process's indexes (after its commit).
    pub async fn index_stored(&self, db: &banana_db::Db, image_id: &str) {
        let semantic = vectors::get(db, image_id, VectorKind::Semantic).await;
        let features = vectors::get(db, image_id, VectorKind::Features).await;
        match (semantic, features) {
            (Ok(s), Ok(f)) => self.upsert(image_id, s.as_deref(), f.as_deref()),
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!(image.id = image_id, error = %e, "search: reading vectors failed; the catch-up will index it")
            }
        }
    }

    /// After an image's title or attribution changed (the PATCH path): rewrite its keyword
    /// text and, when it is labeled and the text model is loaded, its semantic vector, and
    /// update this process's index (other instances follow at their catch-up).
    pub async fn reindex(&self, cx: &SearchContext<'_>, id: &str) -> Result<(), CoreError> {
        let row = q::get(cx.db, id)
            .await?
            .ok_or(CoreError::NotFound("image"))?;
        let labels = q::labels_for(cx.db, std::slice::from_ref(&row.id)).await?;
        let top5 = top5_of(&labels, id);
        let semantic = if top5.is_empty() {
            None
        } else {
            let findings = findings_texts(cx.db, id).await?;
            self.semantic_vector(
                cx,
                top5,
                row.title.clone(),
                row.attribution.clone(),
                findings,
            )
            .await
        };
        let mut tx = cx.db.begin().await?;
        store_search_data(&mut tx, id, semantic.as_deref()).await?;
        tx.commit().await?;
        if semantic.is_some() {
            self.upsert(id, semantic.as_deref(), None);
        }
        Ok(())
    }

    /// Fill in what images labeled before search existed lack: keyword text, and semantic
    /// vectors (when the text model is loaded). Returns how many images were updated.
    pub async fn backfill(&self, cx: &SearchContext<'_>) -> Result<usize, CoreError> {
        let mut done = 0;
        loop {
            let ids = search_text::missing(cx.db, 200).await?;
            if ids.is_empty() {
                break;
            }
            let mut tx = cx.db.begin().await?;
            for id in &ids {
                search_text::refresh(&mut tx, id).await?;
            }
            tx.commit().await?;
            done += ids.len();
        }
        if self.text_model(cx).await.is_none() {
            return Ok(done);
        }
        loop {
            let ids =
                vectors::missing(cx.db, VectorKind::Features, VectorKind::Semantic, 100).await?;
            if ids.is_empty() {
                break;
            }
            let labels = q::labels_for(cx.db, &ids).await?;
            let rows = vectors::rows(cx.db, &ids).await?;
            let mut progressed = false;
            for row in rows {
                let top5 = top5_of(&labels, &row.id);
                let findings = findings_texts(cx.db, &row.id).await?;
                let Some(v) = self
                    .semantic_vector(
                        cx,
                        top5,
                        row.title.clone(),
                        row.attribution.clone(),
                        findings,
                    )
                    .await
                else {
                    continue;
                };
                let mut tx = cx.db.begin().await?;
                vectors::set(&mut tx, &row.id, VectorKind::Semantic, &v).await?;
                tx.commit().await?;
                self.upsert(&row.id, Some(&v), None);
                progressed = true;
                done += 1;
            }
            if !progressed {
                break;
            }
        }
        Ok(done)
    }
}

/// The sentences an image's stored findings add to its semantic vector.
pub async fn findings_texts(db: &banana_db::Db, id: &str) -> Result<Vec<String>, DbError> {
    let rows = banana_db::findings::among(db.pool(), &[id.to_string()]).await?;
    Ok(crate::analysis::findings::semantic_texts(&rows))
}
