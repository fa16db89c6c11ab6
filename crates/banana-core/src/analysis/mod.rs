//! The analysis layer: every analyzer Banana runs on an image (today the classifier; next
//! metadata, OCR, faces, colours) is a type implementing [`Analyzer`] — a name, a version, the
//! model files it needs, and a `run` over what it prepared from decoded pixels and bytes that
//! returns what it found ([`AnalysisResult`], a list of [`Finding`]s).
//!
//! Invariants:
//! - Whatever path an image takes (single upload + its job, the import pipeline, a backfill
//!   job), its results are written by one function, [`App::store_analysis`], in the caller's
//!   transaction: the findings (stored predictions → labels → features vector → search data)
//!   and the `image_analyses` row naming the analyzer and version that produced them. A
//!   recorded version therefore always has its results, and `banana reanalyze` can find the
//!   images a new analyzer or version has not seen by reading that table alone.
//! - Adding an analyzer is one file in this folder plus one line in [`all`].
//!
//! This module depends on the search layer (it writes search data through
//! `App::store_search_data` and friends) and on the database; nothing in search, the views or
//! the read path depends on it. The jobs that run analyzers live in `crate::jobs`
//! (`jobs/analyze.rs`); this module knows nothing of jobs.

pub mod classifier;
pub mod colors;
pub mod faces;
pub mod findings;
pub mod metadata;
pub mod ocr;
mod store;

use std::any::Any;
use std::sync::Arc;

use banana_vision::{ModelId, Prediction};
use image::RgbImage;

pub use store::ToStore;

use crate::App;

/// What an analyzer looks at: one image's original bytes and its decoded preview pixels
/// (oriented, longest side at most 1280: exactly what uploads and the import pipeline derive).
pub struct Source<'a> {
    pub bytes: &'a [u8],
    pub preview: &'a RgbImage,
}

/// What an analyzer prepared from one [`Source`] for its batched [`Analyzer::run`]. Opaque to
/// everyone else; kept small (the batch holds one per image, the source is dropped).
pub struct Prepared(pub Box<dyn Any + Send>);

/// An analyzer's loaded model(s), shared with blocking threads.
pub struct Model(pub Arc<dyn Any + Send + Sync>);

/// One thing an analyzer found in an image.
#[derive(Debug, Clone)]
pub enum Finding {
    /// The classifier's top-5 and pooled features: stored as the image's predictions and
    /// shown labels (calibrated per class, else a category: `crate::labels`), its features vector, and (with its title and
    /// attribution) its search data.
    Predictions(Prediction),
    /// What the photo says about itself and the place it was taken: stored as its
    /// `image_metadata` row (keeping the owner's corrections).
    Metadata(Box<metadata::Found>),
    /// Lines of text read in the photo.
    Text(Vec<banana_vision::ocr::TextLine>),
    /// Faces found in it.
    Faces(Vec<banana_vision::faces::Face>),
    /// Its dominant colours.
    Colors(Vec<banana_vision::colors::NamedColor>),
}

/// Everything one analyzer (at one version) found in one image.
#[derive(Debug, Clone)]
pub struct AnalysisResult {
    pub analyzer: &'static str,
    pub version: i64,
    pub findings: Vec<Finding>,
}

/// One kind of analysis. Implementations are unit structs registered in [`all`].
pub trait Analyzer: Send + Sync + 'static {
    /// Stable name, stored in `image_analyses.analyzer` and accepted by
    /// `banana reanalyze --analyzer`.
    fn name(&self) -> &'static str;
    /// Bump it when the findings would differ (new model, new preprocessing, new rule): stored
    /// images with an older version are then backfilled by `banana reanalyze`.
    fn version(&self) -> i64;
    /// The model files it needs (fetched and verified by `banana models fetch`).
    fn model_files(&self) -> &'static [ModelId];
    /// Its loaded model(s) in this process, or `None` while they are not ready (its jobs then
    /// wait in the queue).
    fn model(&self, app: &App) -> Option<Model>;
    /// What an upload in this process already prepared for this image with
    /// [`Analyzer::prepare`] (see [`classifier::RecentInputs`]); when every analyzer of a job has one, the worker does not
    /// read the original at all.
    fn kept(&self, app: &App, image_id: &str) -> Option<Prepared> {
        app.recent_inputs.take(image_id, self.name())
    }
    /// From one image's pixels and bytes, what `run` needs of it. Blocking CPU work.
    fn prepare(&self, source: &Source<'_>) -> Result<Prepared, String>;
    /// Analyse a batch (one inference over all of them where the model allows): one result
    /// per input, in order, or one error for the whole batch. Blocking CPU work.
    fn run(&self, model: &Model, inputs: Vec<Prepared>) -> Result<Vec<AnalysisResult>, String>;
}

/// Every analyzer, in the order they run on a new image.
pub fn all() -> &'static [&'static dyn Analyzer] {
    &[
        &metadata::Metadata,
        &classifier::Classifier,
        &ocr::Ocr,
        &faces::Faces,
        &colors::Colors,
    ]
}

/// The analyzer called `name`.
pub fn by_name(name: &str) -> Option<&'static dyn Analyzer> {
    all().iter().copied().find(|a| a.name() == name)
}

/// The names of every analyzer, for messages.
pub fn names() -> Vec<&'static str> {
    all().iter().map(|a| a.name()).collect()
}
