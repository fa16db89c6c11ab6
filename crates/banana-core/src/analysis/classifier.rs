//! The ImageNet classifier (EfficientNet-Lite0 on ONNX Runtime) as an analyzer: the preview's
//! pixels → the 224×224 input → one inference per batch → top-5 and pooled features.
//!
//! Every path classifies the same pixels (the preview derived by `banana_media`): uploads keep
//! the input for this process's worker ([`RecentInputs`]), the worker otherwise re-derives it
//! from the original, and the import pipeline makes it from the same preview on its own
//! sessions and stores it as this analyzer's result ([`result`]). So an image gets the same
//! labels whichever way it arrived.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use banana_db::labels::{self, StoredPrediction};
use banana_vision::preprocess::INPUT_LEN;
use banana_vision::taxonomy::{taxonomy, Shown};
use banana_vision::{imagenet_classes, ModelId, Prediction};

use super::{AnalysisResult, Analyzer, Finding, Model, Prepared, Source};
use crate::{App, CoreError};

/// The classifier analyzer.
pub struct Classifier;

/// Its name in `image_analyses`.
pub const NAME: &str = "classifier";
/// Its version: bump when its labels would change (model, preprocessing, top-k, which labels
/// are shown). 2: calibrated per-class thresholds and categories instead of top-1-always.
pub const VERSION: i64 = 2;

/// How many uploads' inputs [`RecentInputs`] keeps (about 6 MB each: the classifier's 600 KB,
/// the preview for OCR, a reduced copy for faces and colours).
pub const RECENT_INPUTS: usize = 8;

impl Analyzer for Classifier {
    fn name(&self) -> &'static str {
        NAME
    }

    fn version(&self) -> i64 {
        VERSION
    }

    fn model_files(&self) -> &'static [ModelId] {
        &[ModelId::OnnxRuntime, ModelId::EfficientNetLite0]
    }

    fn model(&self, app: &App) -> Option<Model> {
        let c: Arc<banana_vision::Classifier> = app.models.classifier()?;
        Some(Model(c))
    }

    fn prepare(&self, source: &Source<'_>) -> Result<Prepared, String> {
        Ok(Prepared(Box::new(input_of(source.preview))))
    }

    fn run(&self, model: &Model, inputs: Vec<Prepared>) -> Result<Vec<AnalysisResult>, String> {
        let classifier = model
            .0
            .downcast_ref::<banana_vision::Classifier>()
            .ok_or("inference: not the classifier's model")?;
        let mut batch = Vec::with_capacity(inputs.len() * INPUT_LEN);
        for p in inputs {
            let input =
                p.0.downcast::<Vec<f32>>()
                    .map_err(|_| "inference: not a classifier input")?;
            batch.extend_from_slice(&input);
        }
        let predictions = classifier
            .classify_preprocessed(&batch)
            .map_err(|e| format!("inference: {e}"))?;
        Ok(predictions.into_iter().map(result).collect())
    }
}

/// The classifier's input for a preview's pixels (what every path classifies).
pub fn input_of(preview: &image::RgbImage) -> Vec<f32> {
    banana_vision::preprocess(preview)
}

/// A prediction made elsewhere (the import pipeline's own sessions) as this analyzer's result.
pub fn result(prediction: Prediction) -> AnalysisResult {
    AnalysisResult {
        analyzer: NAME,
        version: VERSION,
        findings: vec![Finding::Predictions(prediction)],
    }
}

/// What to store of a prediction: its top-5 classes, attached (shown as labels) when sure
/// enough for that class; when none is, the category it is sure of, attached, after them
/// (see [`banana_vision::taxonomy`]). Nothing is attached when neither is sure.
pub fn stored_predictions(p: &Prediction) -> Vec<StoredPrediction<'static>> {
    let shown = p.shown();
    let t = taxonomy();
    let mut stored: Vec<StoredPrediction<'static>> = p
        .top5
        .iter()
        .map(|&(class, prob)| StoredPrediction {
            wnid: imagenet_classes()[class].wnid,
            score: f64::from(prob),
            attached: shown.contains(&Shown::Class(class, prob)),
        })
        .collect();
    stored.extend(shown.iter().filter_map(|s| match *s {
        Shown::Category(c, sum) => Some(StoredPrediction {
            wnid: t.categories[c].id,
            score: f64::from(sum),
            attached: true,
        }),
        Shown::Class(..) => None,
    }));
    stored
}

/// The analyzer inputs of images just uploaded to this process, kept for its labeling
/// workers so they need not read and decode the original again. An upload already has the
/// preview's pixels; a worker that finds no entry here (another instance took the upload, the
/// entry was evicted, the process restarted) re-derives the same pixels from the original, so
/// either way the results are the same. Bounded: the oldest entries go first.
#[derive(Default)]
pub struct RecentInputs {
    /// Set once this process runs a labeling worker: until then nothing here would be used.
    active: AtomicBool,
    entries: Mutex<VecDeque<(String, KeptInputs)>>,
}

/// One upload's prepared inputs, by analyzer name.
type KeptInputs = Vec<(&'static str, Prepared)>;

impl RecentInputs {
    /// Start keeping inputs (a labeling worker runs in this process).
    pub fn enable(&self) {
        self.active.store(true, Ordering::Relaxed);
    }

    /// Whether uploads should compute and keep their inputs.
    pub fn wanted(&self) -> bool {
        self.active.load(Ordering::Relaxed)
    }

    /// Keep the prepared inputs of image `image_id`, per analyzer name.
    pub fn put(&self, image_id: String, inputs: KeptInputs) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.push_back((image_id, inputs));
        while entries.len() > RECENT_INPUTS {
            entries.pop_front();
        }
    }

    /// Take the input kept for `image_id` by `analyzer`, if any.
    pub fn take(&self, image_id: &str, analyzer: &str) -> Option<Prepared> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let at = entries.iter().position(|(id, _)| id == image_id)?;
        let inputs = &mut entries[at].1;
        let k = inputs.iter().position(|(name, _)| *name == analyzer)?;
        let (_, input) = inputs.remove(k);
        if inputs.is_empty() {
            entries.remove(at);
        }
        Some(input)
    }

    /// How many images have inputs kept.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl App {
    /// Insert the label vocabulary (the 1000 ImageNet classes and the categories of the label
    /// tree) if it is not there yet.
    pub async fn seed_labels(&self) -> Result<(), CoreError> {
        let mut vocab: Vec<labels::Label<'_>> = imagenet_classes()
            .iter()
            .map(|c| labels::Label {
                wnid: c.wnid,
                class_index: c.index as i64,
                name: c.name,
                synonyms: c.synonyms.join(", "),
            })
            .collect();
        vocab.extend(crate::labels::category_labels());
        labels::seed(&self.db, &vocab).await?;
        crate::search::seed_label_categories(&self.db).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prediction(top5: Vec<(usize, f32)>) -> Prediction {
        let mut probabilities = vec![0.0; 1000];
        for &(c, p) in &top5 {
            probabilities[c] = p;
        }
        Prediction {
            sums: taxonomy().sums(&probabilities),
            top5,
            features: vec![],
        }
    }

    #[test]
    fn a_sure_class_is_attached_and_a_guess_is_not() {
        // A tabby cat at 0.97: sure. The rest: guesses.
        let tabby = banana_vision::class_by_wnid("n02123045").unwrap().index;
        let s = stored_predictions(&prediction(vec![(tabby, 0.97), (0, 0.02), (1, 0.01)]));
        assert_eq!(
            s.iter().map(|s| s.attached).collect::<Vec<_>>(),
            vec![true, false, false]
        );
        assert_eq!(s[0].wnid, "n02123045");
    }

    #[test]
    fn unsure_breeds_of_one_kind_attach_the_category_instead() {
        // Five dog breeds, none sure, together 0.95: "dog".
        let breeds = &taxonomy().category("dog").unwrap().classes;
        let dogs = [0.25, 0.2, 0.2, 0.15, 0.15];
        let s = stored_predictions(&prediction(breeds.iter().copied().zip(dogs).collect()));
        assert_eq!(s.len(), 6);
        assert!(s[..5].iter().all(|s| !s.attached));
        assert_eq!(s[5].wnid, "dog");
        assert!(s[5].attached && (s[5].score - 0.95).abs() < 1e-6);
    }

    #[test]
    fn a_spread_guess_attaches_nothing() {
        // A waterfall read as a safety pin at 24%: nothing is shown.
        let alp = imagenet_classes()
            .iter()
            .position(|c| c.name == "alp")
            .unwrap();
        let pin = imagenet_classes()
            .iter()
            .position(|c| c.name == "safety pin")
            .unwrap();
        // The rest: classes of no category.
        let mut loose = (0..1000).filter(|&c| taxonomy().group_of(c).is_none() && c != pin);
        let (a, b, c) = (
            loose.next().unwrap(),
            loose.next().unwrap(),
            loose.next().unwrap(),
        );
        let s = stored_predictions(&prediction(vec![
            (pin, 0.24),
            (alp, 0.1),
            (a, 0.08),
            (b, 0.05),
            (c, 0.05),
        ]));
        assert!(s.iter().all(|s| !s.attached), "{s:?}");
    }

    #[test]
    fn analyzers_are_registered_by_unique_names() {
        let names = crate::analysis::names();
        assert!(names.contains(&NAME));
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        assert_eq!(crate::analysis::by_name(NAME).unwrap().version(), VERSION);
    }
}
