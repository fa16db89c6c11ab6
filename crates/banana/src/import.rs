//! `banana import`: a folder (or files) into Banana, over HTTP to a running server or directly
//! into the configured database and storage through the ingest pipeline.

use std::path::PathBuf;
use std::sync::Arc;

use banana_core::images::Upload;
use banana_core::{App, CoreError};
use banana_ingest::pipeline::{Outcome, Prepared, Sink};
use banana_vision::Prediction;

/// Stores pipeline output through the core service (same checks and write order as uploads).
pub struct CoreSink {
    pub app: Arc<App>,
    pub owner_id: String,
    pub handle: tokio::runtime::Handle,
}

impl Sink for CoreSink {
    fn existing(&self, sha256: &str) -> Result<Option<String>, String> {
        self.handle
            .block_on(self.app.find_duplicate(&self.owner_id, sha256))
            .map_err(|e| e.to_string())
    }

    fn store(&self, item: Prepared, prediction: Option<&Prediction>) -> Result<Outcome, String> {
        let upload = Upload {
            filename: item
                .path
                .file_name()
                .map(|n| n.to_string_lossy().to_string()),
            bytes: item.bytes.into(),
            owner_id: self.owner_id.clone(),
            ..Upload::default()
        };
        let prepared = match self.app.prepared_from(upload, item.sha256, item.derived) {
            Ok(p) => p,
            Err(e) => {
                return Ok(Outcome::Rejected {
                    reason: e.to_string(),
                })
            }
        };
        match self
            .handle
            .block_on(self.app.commit_prepared(prepared, prediction))
        {
            Ok(view) => Ok(Outcome::Imported { id: view.id }),
            Err(CoreError::Duplicate { image_id }) => Ok(Outcome::Duplicate { existing: image_id }),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Print the summary lines of an import.
pub fn print_summary(
    imported: usize,
    duplicates: usize,
    rejected: &[(PathBuf, String)],
    failed: &[(PathBuf, String)],
) {
    println!(
        "imported {imported}, duplicates skipped {duplicates}, rejected {}, failed {}",
        rejected.len(),
        failed.len()
    );
    for (path, reason) in rejected {
        println!("  rejected {}: {reason}", path.display());
    }
    for (path, reason) in failed {
        println!("  failed {}: {reason}", path.display());
    }
}
