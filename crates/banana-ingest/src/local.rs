//! A content-addressed folder as a [`Sink`]: `<root>/<sha[0..2]>/<sha>` for the original,
//! `<sha>.preview.jpg` and `<sha>.thumb.jpg` beside it (the layout of the Python reference, so
//! the bench compares like with like). The original is written last, through a temporary name
//! and a rename, so its presence means all three files are complete.

use std::path::{Path, PathBuf};

use banana_vision::Prediction;

use crate::pipeline::{Outcome, Prepared, Sink};

/// See the module documentation.
pub struct LocalSink {
    root: PathBuf,
}

impl LocalSink {
    /// A sink writing under `root` (created if missing).
    pub fn new(root: impl Into<PathBuf>) -> std::io::Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(&root)?;
        Ok(LocalSink { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the original with this SHA-256 is stored.
    pub fn original_path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2.min(sha256.len())]).join(sha256)
    }
}

impl Sink for LocalSink {
    fn existing(&self, sha256: &str) -> Result<Option<String>, String> {
        Ok(self
            .original_path(sha256)
            .is_file()
            .then(|| sha256.to_string()))
    }

    fn store(&self, item: Prepared, _prediction: Option<&Prediction>) -> Result<Outcome, String> {
        let original = self.original_path(&item.sha256);
        if original.is_file() {
            return Ok(Outcome::Duplicate {
                existing: item.sha256,
            });
        }
        let dir = original.parent().expect("has a parent");
        let io = |what: &str, e: std::io::Error| format!("{what}: {e}");
        std::fs::create_dir_all(dir).map_err(|e| io("create folder", e))?;
        let derived = |suffix: &str| dir.join(format!("{}{suffix}", item.sha256));
        std::fs::write(derived(".preview.jpg"), &item.derived.preview)
            .map_err(|e| io("write preview", e))?;
        std::fs::write(derived(".thumb.jpg"), &item.derived.thumbnail)
            .map_err(|e| io("write thumbnail", e))?;
        let tmp = derived(&format!(".tmp-{}", std::process::id()));
        std::fs::write(&tmp, &item.bytes).map_err(|e| io("write original", e))?;
        std::fs::rename(&tmp, &original).map_err(|e| io("rename original", e))?;
        Ok(Outcome::Imported { id: item.sha256 })
    }
}
