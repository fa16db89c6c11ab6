//! Near-duplicates in a user's own library: groups of their images whose classifier feature
//! vectors (1280-d, L2-normalised) are at cosine ≥ [`DUPLICATE_THRESHOLD`]. The threshold is
//! calibrated by `cargo run --release -p banana-bench --example calibrate_duplicates` on
//! copies made of real photos (resized, recompressed, cropped, rotated) against distinct
//! photos of the same ImageNet class; its precision and recall are in `bench/duplicates/`.

use banana_api::{DuplicateGroup, Duplicates};
use banana_db::images::Scope;
use banana_db::vectors::{self, VectorKind};
use banana_search::index::normalize;

use crate::access::Viewer;
use crate::{App, CoreError};

/// Cosine similarity of feature vectors at or above which two images are copies: no false
/// pair among the 499,500 pairs of 1000 distinct photos (the most similar is 0.751), and 82 %
/// of the copies found (bench/duplicates/README.md). Keep `calibrate_duplicates`'s copy equal.
pub const DUPLICATE_THRESHOLD: f32 = 0.80;

impl App {
    /// The caller's near-duplicate groups, the largest image of each first.
    pub async fn duplicates(&self, viewer: &Viewer) -> Result<Duplicates, CoreError> {
        let owner = viewer.user_id().ok_or(CoreError::Unauthorized)?;
        let stored =
            vectors::of_scope(&self.db, VectorKind::Features, &Scope::Owner(owner.into())).await?;
        let ids: Vec<String> = stored.iter().map(|v| v.image_id.clone()).collect();
        let mut unit: Vec<Vec<f32>> = stored.into_iter().map(|v| v.vector).collect();
        let groups = tokio::task::spawn_blocking(move || {
            for v in &mut unit {
                normalize(v);
            }
            banana_search::duplicates::near_duplicate_groups(&unit, DUPLICATE_THRESHOLD)
        })
        .await?;
        let wanted: Vec<String> = groups
            .iter()
            .flat_map(|g| g.members.iter().map(|&i| ids[i].clone()))
            .collect();
        let rows = vectors::rows(&self.db, &wanted).await?;
        let views = self.view_rows(viewer, rows).await?;
        let mut out = Vec::with_capacity(groups.len());
        for g in groups {
            let mut images: Vec<_> = g
                .members
                .iter()
                .filter_map(|&i| views.iter().find(|v| v.id == ids[i]).cloned())
                .collect();
            // The one to keep first: most pixels, then most bytes, then the earliest upload.
            images.sort_by(|a, b| {
                (b.width * b.height)
                    .cmp(&(a.width * a.height))
                    .then(b.bytes.cmp(&a.bytes))
                    .then(a.created_at.cmp(&b.created_at))
            });
            if images.len() >= 2 {
                out.push(DuplicateGroup {
                    images,
                    similarity: g.similarity,
                });
            }
        }
        Ok(Duplicates {
            groups: out,
            threshold: DUPLICATE_THRESHOLD,
        })
    }
}
