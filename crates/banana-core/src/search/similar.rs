//! "More like this": the images nearest to one image by the classifier's pooled features,
//! through the same steps as a search — the request's [`Filters`] restrict the index before
//! it ranks, rows are checked live, and the explanation names the shared labels.

use std::collections::HashMap;

use banana_db::images as q;
use banana_db::vectors::{self, VectorKind};
use banana_search::{normalize, Hit};

use super::{explain, Filters, SearchContext, SearchHit, SearchService, SimilarRequest};
use crate::view::Page;
use crate::CoreError;

impl SearchService {
    /// The images most like the request's image, best first, without the image itself;
    /// `matched` lists the labels they share with it. Empty while the image is not labeled
    /// yet. 404 when the viewer may not see it.
    pub async fn similar(
        &self,
        cx: &SearchContext<'_>,
        req: &SimilarRequest,
    ) -> Result<Page<SearchHit>, CoreError> {
        let filters = Filters::for_viewer(&req.viewer);
        let row = q::get(cx.db, &req.image_id)
            .await?
            .filter(|r| filters.can_see(r))
            .ok_or(CoreError::NotFound("image"))?;
        let limit = req.limit;
        self.ensure_loaded(cx).await?;
        let kind = VectorKind::Features;
        let query = match self.indexes.get(kind, &row.id) {
            Some(v) => v,
            None => match vectors::get(cx.db, &row.id, kind).await? {
                Some(mut v) => {
                    normalize(&mut v);
                    v
                }
                None => {
                    return Ok(Page {
                        items: Vec::new(),
                        next_cursor: None,
                    })
                }
            },
        };
        let held = self.indexes.len(kind);
        let allowed = filters.vector_rows(cx.db, kind, held).await?;
        let not_self = |other: &str| other != row.id;
        let mut depth = limit;
        let (hits, rows) = loop {
            let hits: Vec<Hit> = allowed
                .search(&self.indexes.read(kind), &query, depth, &not_self)
                .map_err(|e| CoreError::Internal(e.to_string()))?;
            let ids: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
            let rows = filters.visible_rows(&ids, vectors::rows(cx.db, &ids).await?);
            // Only what the viewer may see was scored, so rows are missing only for images
            // deleted since the index heard of them: growing the depth is rare.
            if rows.len() >= limit || hits.len() < depth {
                break (hits, rows);
            }
            depth *= 4;
        };
        let score_of: HashMap<&str, f32> = hits.iter().map(|h| (h.id.as_str(), h.score)).collect();
        let page: Vec<_> = rows.into_iter().take(limit).collect();
        let mut ids: Vec<String> = page.iter().map(|r| r.id.clone()).collect();
        ids.push(row.id.clone());
        let labels = q::labels_for(cx.db, &ids).await?;
        let mut items = explain::similar_hits(&row.id, page, &labels, &score_of);
        crate::view::add_details(cx.db, &req.viewer, items.iter_mut().map(|h| &mut h.image))
            .await?;
        Ok(Page {
            items,
            next_cursor: None,
        })
    }
}
