//! The catch-up between the database and this process's indexes: everything at the first
//! call, then what changed since the newest write seen (minus [`SYNC_SLACK_MS`]); ids whose
//! image is gone (deleted by another instance) are dropped when the counts differ.

use std::collections::HashSet;

use banana_db::vectors::{self, VectorKind};
use banana_db::Db;

use super::{SearchContext, SearchService, SYNC_SLACK_MS};
use crate::CoreError;

#[derive(Debug, Default)]
pub(super) struct SyncState {
    loaded: bool,
    /// Newest `updated_at` seen of the semantic and of the features vectors.
    semantic_since: i64,
    features_since: i64,
}

impl SyncState {
    fn since(&mut self, kind: VectorKind) -> &mut i64 {
        match kind {
            VectorKind::Semantic => &mut self.semantic_since,
            VectorKind::Features => &mut self.features_since,
        }
    }
}

impl SearchService {
    /// Read what changed in the database since the last call (all vectors the first time),
    /// and drop images deleted elsewhere. Cheap when nothing changed: two small queries per
    /// kind. Runs every [`super::SYNC_INTERVAL`] in the background ([`super::spawn_sync`]);
    /// call it to converge at once.
    pub async fn sync(&self, db: &Db) -> Result<(), CoreError> {
        let mut state = self.sync.lock().await;
        for kind in VectorKind::ALL {
            let rows = if state.loaded {
                vectors::changed_since(db, kind, *state.since(kind) - SYNC_SLACK_MS).await?
            } else {
                vectors::all(db, kind).await?
            };
            for r in &rows {
                let since = state.since(kind);
                *since = (*since).max(r.updated_at);
                self.indexes.upsert(kind, &r.image_id, &r.vector);
            }
            let stored = vectors::count(db, kind).await? as usize;
            if stored != self.indexes.len(kind) {
                let present: HashSet<String> = vectors::ids(db, kind).await?.into_iter().collect();
                let gone: Vec<String> = self
                    .indexes
                    .ids(kind)
                    .into_iter()
                    .filter(|id| !present.contains(id))
                    .collect();
                self.indexes.remove_from(kind, &gone);
            }
        }
        state.loaded = true;
        Ok(())
    }

    /// The first sync, when it has not run yet.
    pub(super) async fn ensure_loaded(&self, cx: &SearchContext<'_>) -> Result<(), CoreError> {
        if !self.sync.lock().await.loaded {
            self.sync(cx.db).await?;
        }
        Ok(())
    }
}
