//! ImageNet classification with EfficientNet-Lite0 on ONNX Runtime.

use std::sync::Mutex;

use image::RgbImage;
use ort::session::Session;
use ort::value::TensorRef;

use crate::classes::{imagenet_classes, ImageNetClass};
use crate::error::{Result, VisionError};
use crate::fetch::ModelPaths;
use crate::onnx::{FEATURE_DIM, INPUT_SIZE, NUM_CLASSES};
use crate::preprocess::{preprocess_into, INPUT_LEN};

/// How many classes a [`Prediction`] keeps.
pub const TOP_K: usize = 5;

/// The classifier's answer for one image.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The five most probable classes, best first: `(class index, softmax probability)`.
    /// Class indices index [`imagenet_classes`].
    pub top5: Vec<(usize, f32)>,
    /// The 1280-d pooled feature vector before the classifier layer (not normalised), for
    /// "more like this" search.
    pub features: Vec<f32>,
    /// Per category of the [`taxonomy`](crate::taxonomy::taxonomy), the probability summed
    /// over all 1000 classes it holds.
    pub sums: Vec<f32>,
}

impl Prediction {
    /// Builds a prediction from raw logits (softmax, then top-5).
    pub fn from_logits(logits: &[f32], features: Vec<f32>) -> Self {
        let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let exp: Vec<f32> = logits.iter().map(|&l| (l - max).exp()).collect();
        let sum: f32 = exp.iter().sum();
        let mut idx: Vec<usize> = (0..logits.len()).collect();
        idx.sort_unstable_by(|&a, &b| logits[b].total_cmp(&logits[a]).then(a.cmp(&b)));
        let top5 = idx
            .into_iter()
            .take(TOP_K)
            .map(|i| (i, exp[i] / sum))
            .collect();
        let probabilities: Vec<f32> = exp.iter().map(|e| e / sum).collect();
        let sums = crate::taxonomy::taxonomy().sums(&probabilities);
        Prediction {
            top5,
            features,
            sums,
        }
    }

    /// What a user is shown of it: the classes sure enough, else the deepest category sure
    /// enough, else nothing (see [`taxonomy`](crate::taxonomy)).
    pub fn shown(&self) -> Vec<crate::taxonomy::Shown> {
        crate::taxonomy::taxonomy().shown(&self.top5, &self.sums)
    }

    /// The top-5 as classes with their probabilities, best first.
    pub fn labels(&self) -> impl Iterator<Item = (&'static ImageNetClass, f32)> + '_ {
        self.top5.iter().map(|&(i, p)| (&imagenet_classes()[i], p))
    }
}

/// EfficientNet-Lite0 in an ONNX Runtime session. Safe to share between threads; runs are
/// serialised (each run already uses the configured number of threads).
pub struct Classifier {
    session: Mutex<Session>,
    threads: usize,
}

impl Classifier {
    /// Loads the converted EfficientNet-Lite0 graph with `threads` intra-op threads.
    pub fn load(paths: &ModelPaths, threads: usize) -> Result<Self> {
        let onnx = &paths.efficientnet()?.onnx;
        let session = crate::runtime::session(
            &paths.onnxruntime,
            onnx,
            threads,
            crate::runtime::Inputs::Varying,
        )?;
        Ok(Classifier {
            session: Mutex::new(session),
            threads: threads.max(1),
        })
    }

    /// Intra-op threads of the session.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Preprocesses and classifies a batch of images (decoded, EXIF orientation applied), in
    /// one ONNX Runtime run.
    pub fn classify_batch(&self, images: &[RgbImage]) -> Result<Vec<Prediction>> {
        if images.is_empty() {
            return Ok(Vec::new());
        }
        let mut input = vec![0f32; images.len() * INPUT_LEN];
        for (img, out) in images.iter().zip(input.chunks_exact_mut(INPUT_LEN)) {
            preprocess_into(img, out);
        }
        self.classify_preprocessed(&input)
    }

    /// Classifies already preprocessed input: `n` images of `[3, 224, 224]` back to back
    /// (see [`crate::preprocess`]). Lets a pipeline time preprocessing and inference apart.
    pub fn classify_preprocessed(&self, input: &[f32]) -> Result<Vec<Prediction>> {
        let (logits, features) = self.run(input)?;
        Ok(logits
            .chunks_exact(NUM_CLASSES)
            .zip(features.chunks_exact(FEATURE_DIM))
            .map(|(l, f)| Prediction::from_logits(l, f.to_vec()))
            .collect())
    }

    /// Raw model outputs for preprocessed input: `(logits [n*1000], features [n*1280])`.
    pub fn run(&self, input: &[f32]) -> Result<(Vec<f32>, Vec<f32>)> {
        if input.is_empty() || input.len() % INPUT_LEN != 0 {
            return Err(VisionError::Runtime(format!(
                "input length {} is not a multiple of 3x{INPUT_SIZE}x{INPUT_SIZE}",
                input.len()
            )));
        }
        let n = input.len() / INPUT_LEN;
        let tensor = TensorRef::from_array_view(([n, 3, INPUT_SIZE, INPUT_SIZE], input))?;
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let outputs = session.run(ort::inputs!["input" => tensor])?;
        let extract = |name: &str, width: usize| -> Result<Vec<f32>> {
            let value = outputs
                .get(name)
                .ok_or_else(|| VisionError::Runtime(format!("model has no output {name}")))?;
            let (_, data) = value.try_extract_tensor::<f32>()?;
            if data.len() != n * width {
                return Err(VisionError::Runtime(format!(
                    "output {name} has {} values, expected {}",
                    data.len(),
                    n * width
                )));
            }
            Ok(data.to_vec())
        };
        Ok((
            extract("logits", NUM_CLASSES)?,
            extract("features", FEATURE_DIM)?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_top5_is_sorted_and_normalised() {
        let mut logits = vec![0f32; NUM_CLASSES];
        logits[7] = 5.0;
        logits[3] = 4.0;
        logits[999] = 3.0;
        logits[10] = 2.0;
        logits[11] = 2.0;
        let p = Prediction::from_logits(&logits, vec![]);
        let idx: Vec<usize> = p.top5.iter().map(|t| t.0).collect();
        assert_eq!(idx, vec![7, 3, 999, 10, 11]);
        let e: f32 = 995.0 + 5f32.exp() + 4f32.exp() + 3f32.exp() + 2.0 * 2f32.exp();
        assert!((p.top5[0].1 - 5f32.exp() / e).abs() < 1e-5, "{:?}", p.top5);
        assert!(p.top5.windows(2).all(|w| w[0].1 >= w[1].1));
        assert_eq!(p.labels().next().unwrap().0.index, 7);
    }
}
