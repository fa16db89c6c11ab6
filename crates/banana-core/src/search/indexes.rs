//! The in-memory vector indexes of one process, one exact [`FlatIndex`] per [`VectorKind`].
//! Searches take a read lock, updates a write lock; no lock is held across an `.await`.

use std::sync::{RwLock, RwLockReadGuard};

use banana_db::vectors::VectorKind;
use banana_search::{normalize, FlatIndex, VectorIndex};
use banana_vision::TextEmbedder;

/// Width of the classifier's pooled features.
pub const FEATURES_DIM: usize = 1280;

/// One index per vector kind.
pub struct Indexes {
    semantic: RwLock<FlatIndex>,
    features: RwLock<FlatIndex>,
}

impl Default for Indexes {
    fn default() -> Self {
        Indexes {
            semantic: RwLock::new(FlatIndex::new(TextEmbedder::DIM)),
            features: RwLock::new(FlatIndex::new(FEATURES_DIM)),
        }
    }
}

impl Indexes {
    fn lock(&self, kind: VectorKind) -> &RwLock<FlatIndex> {
        match kind {
            VectorKind::Semantic => &self.semantic,
            VectorKind::Features => &self.features,
        }
    }

    /// The index of `kind`, for reading (do not hold it across an `.await`).
    pub fn read(&self, kind: VectorKind) -> RwLockReadGuard<'_, FlatIndex> {
        self.lock(kind).read().expect("index lock")
    }

    /// Rows in the index of `kind`.
    pub fn len(&self, kind: VectorKind) -> usize {
        self.read(kind).len()
    }

    /// The held vector of `id` in the index of `kind`.
    pub fn get(&self, kind: VectorKind, id: &str) -> Option<Vec<f32>> {
        self.read(kind).get(id).map(<[f32]>::to_vec)
    }

    /// Put one vector in the index of `kind` (features are normalised first); a vector the
    /// index refuses (wrong width, not finite) is logged and skipped.
    pub fn upsert(&self, kind: VectorKind, id: &str, vector: &[f32]) {
        let mut v = vector.to_vec();
        if kind == VectorKind::Features {
            normalize(&mut v);
        }
        if let Err(e) = self.lock(kind).write().expect("index lock").upsert(id, &v) {
            tracing::warn!(image.id = id, kind = kind.as_str(), error = %e, "search: vector refused");
        }
    }

    /// Drop an image from every index.
    pub fn remove(&self, id: &str) {
        for kind in VectorKind::ALL {
            self.lock(kind).write().expect("index lock").remove(id);
        }
    }

    /// Drop these ids from the index of `kind`.
    pub fn remove_from(&self, kind: VectorKind, ids: &[String]) {
        let mut index = self.lock(kind).write().expect("index lock");
        for id in ids {
            index.remove(id);
        }
    }

    /// The ids held in the index of `kind`.
    pub fn ids(&self, kind: VectorKind) -> Vec<String> {
        self.read(kind).ids().map(str::to_string).collect()
    }
}
