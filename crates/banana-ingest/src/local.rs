//! A content-addressed folder as a [`Sink`]: `<root>/<sha[0..2]>/<sha>` for the original,
//! `<sha>.preview.jpg` and `<sha>.thumb.jpg` beside it (the layout of the Python reference, so
//! the bench compares like with like). The original is written last, through a temporary name
//! and a hard link (which never replaces a file), so its presence means all three files are
//! complete and two workers storing the same content make one import and one duplicate.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use banana_vision::Prediction;

use crate::pipeline::{Outcome, Prepared, Sink};

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

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
        // Every file goes through a temporary name of its own (workers may store the same
        // content at the same time), derived files first.
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{}.tmp-{}-{n}", item.sha256, std::process::id()));
        for (suffix, data) in [
            (".preview.jpg", &item.derived.preview),
            (".thumb.jpg", &item.derived.thumbnail),
        ] {
            std::fs::write(&tmp, data).map_err(|e| io("write derived file", e))?;
            std::fs::rename(&tmp, dir.join(format!("{}{suffix}", item.sha256)))
                .map_err(|e| io("rename derived file", e))?;
        }
        std::fs::write(&tmp, &item.bytes).map_err(|e| io("write original", e))?;
        // A hard link does not replace an existing file: the first store of a content wins.
        let linked = std::fs::hard_link(&tmp, &original);
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok(Outcome::Imported { id: item.sha256 }),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(Outcome::Duplicate {
                existing: item.sha256,
            }),
            Err(e) => Err(io("link original", e)),
        }
    }
}
