//! Step 5 of a search: one page of the fused ranking. The ranking depends on the query, the
//! viewer and the data only (not on the page asked for), so pages are slices of one list.
//! Rows are read for a prefix of it, just long enough for this page and one more hit (the
//! next-page check); the live check ([`Filters::visible_rows`]) drops images deleted since
//! the indexes last heard of them.

use banana_db::images::ImageRow;
use banana_db::{vectors, Db};
use banana_search::FusedRanks;

use super::{Filters, Paging};
use crate::CoreError;

/// The rows of one page, in ranking order, and the cursor of the next.
pub struct PageRows {
    pub rows: Vec<ImageRow>,
    pub next_cursor: Option<String>,
}

/// Cut `page` out of `fused`.
pub async fn page(
    db: &Db,
    filters: &Filters,
    fused: &[FusedRanks],
    page: &Paging,
) -> Result<PageRows, CoreError> {
    let (offset, limit) = (page.offset, page.limit);
    let want = offset + limit + 1;
    let mut rows: Vec<ImageRow> = Vec::new();
    let mut pos = 0;
    while rows.len() < want && pos < fused.len() {
        let end = (pos + 2 * (want - rows.len()).max(16)).min(fused.len());
        let ids: Vec<String> = fused[pos..end].iter().map(|f| f.id.clone()).collect();
        rows.extend(filters.visible_rows(&ids, vectors::rows(db, &ids).await?));
        pos = end;
    }
    let next_cursor = (rows.len() > offset + limit).then(|| page.next_cursor());
    Ok(PageRows {
        rows: rows.into_iter().skip(offset).take(limit).collect(),
        next_cursor,
    })
}
