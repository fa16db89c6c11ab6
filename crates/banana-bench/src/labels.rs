//! Accuracy and speed of the labeling path on a folder of ImageNet samples.
//!
//! Files are named `<wnid>_<name>.<ext>` (as in `shared/data/imagenet-sample/`); the WordNet id
//! in the name is the ground truth. Each image goes through the real path — read + decode with
//! EXIF orientation, preprocess, inference (batch of one) — and each stage is timed separately.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::image_files;
use banana_vision::error::Result;
use banana_vision::preprocess::{preprocess_into, INPUT_LEN};
use banana_vision::{
    class_by_wnid, decode_image, imagenet_classes, Classifier, ModelPaths, Prediction,
};

/// Result of [`bench_labels`].
#[derive(Debug, Clone)]
pub struct BenchReport {
    /// Images classified.
    pub images: usize,
    /// Images whose file-name WordNet id was the top-1 / in the top-5.
    pub top1_hits: usize,
    pub top5_hits: usize,
    /// Intra-op threads of the session.
    pub threads: usize,
    /// Wall time of the whole run (excluding model load and warm-up), seconds.
    pub wall_s: f64,
    /// Median milliseconds per image for each stage.
    pub decode_ms: f64,
    pub preprocess_ms: f64,
    pub inference_ms: f64,
    /// 90th percentile of inference milliseconds.
    pub inference_p90_ms: f64,
    /// Per image: file name and top-1 class index, in file-name order.
    pub predictions: Vec<(String, usize)>,
    /// Files that could not be decoded or whose name has no known WordNet id.
    pub skipped: Vec<(PathBuf, String)>,
    /// Label quality if labels were attached at each of [`THRESHOLDS`] (the top-1 always, the
    /// rest of the top-5 when their probability reaches the threshold).
    pub thresholds: Vec<ThresholdStat>,
}

/// Probability thresholds [`BenchReport::thresholds`] evaluates.
pub const THRESHOLDS: [f32; 7] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5];

/// What attaching labels at one probability threshold would give on the bench images.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThresholdStat {
    pub threshold: f32,
    /// Mean number of labels per image.
    pub labels_per_image: f64,
    /// Fraction of attached labels that are the true class.
    pub precision: f64,
    /// Fraction of images whose true class is among their labels.
    pub recall: f64,
}

fn threshold_stats(results: &[(usize, Vec<(usize, f32)>)]) -> Vec<ThresholdStat> {
    let n = results.len().max(1) as f64;
    THRESHOLDS
        .iter()
        .map(|&t| {
            let (mut labels, mut correct) = (0usize, 0usize);
            for (truth, top5) in results {
                for (rank, &(i, p)) in top5.iter().enumerate() {
                    if rank == 0 || p >= t {
                        labels += 1;
                        correct += usize::from(i == *truth);
                    }
                }
            }
            ThresholdStat {
                threshold: t,
                labels_per_image: labels as f64 / n,
                precision: correct as f64 / labels.max(1) as f64,
                recall: correct as f64 / n,
            }
        })
        .collect()
}

impl BenchReport {
    pub fn top1_accuracy(&self) -> f64 {
        self.top1_hits as f64 / self.images.max(1) as f64
    }

    pub fn top5_accuracy(&self) -> f64 {
        self.top5_hits as f64 / self.images.max(1) as f64
    }

    pub fn images_per_s(&self) -> f64 {
        self.images as f64 / self.wall_s.max(1e-9)
    }
}

impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "images={} threads={} top1={:.1}% ({}/{}) top5={:.1}% ({}/{})",
            self.images,
            self.threads,
            100.0 * self.top1_accuracy(),
            self.top1_hits,
            self.images,
            100.0 * self.top5_accuracy(),
            self.top5_hits,
            self.images
        )?;
        writeln!(
            f,
            "wall_s={:.2} images_per_s={:.1}",
            self.wall_s,
            self.images_per_s()
        )?;
        write!(
            f,
            "median ms per image: decode={:.2} preprocess={:.2} inference={:.2} (inference p90={:.2})",
            self.decode_ms, self.preprocess_ms, self.inference_ms, self.inference_p90_ms
        )?;
        for t in &self.thresholds {
            write!(
                f,
                "\nlabels at p>={:<4}: {:.2} per image, precision {:.1}%, recall {:.1}%",
                t.threshold,
                t.labels_per_image,
                100.0 * t.precision,
                100.0 * t.recall
            )?;
        }
        for (p, why) in &self.skipped {
            write!(f, "\nskipped {}: {why}", p.display())?;
        }
        Ok(())
    }
}

fn quantile(v: &mut [f64], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let pos = q * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

/// Classifies every image in `dir` and reports accuracy against the WordNet id in each file
/// name, plus throughput and per-stage median times.
pub fn bench_labels(dir: &Path, models: &ModelPaths, threads: usize) -> Result<BenchReport> {
    let classifier = Classifier::load(models, threads)?;
    let files = image_files(dir)?;
    let classes = imagenet_classes();

    // Warm up: the first runs allocate and pick kernels.
    let warm = vec![0f32; INPUT_LEN];
    for _ in 0..3 {
        classifier.run(&warm)?;
    }

    let (mut dec, mut pre, mut inf) = (Vec::new(), Vec::new(), Vec::new());
    let mut report = BenchReport {
        images: 0,
        top1_hits: 0,
        top5_hits: 0,
        threads: classifier.threads(),
        wall_s: 0.0,
        decode_ms: 0.0,
        preprocess_ms: 0.0,
        inference_ms: 0.0,
        inference_p90_ms: 0.0,
        predictions: Vec::new(),
        skipped: Vec::new(),
        thresholds: Vec::new(),
    };
    let mut results = Vec::new();
    let mut input = vec![0f32; INPUT_LEN];
    let start = Instant::now();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let wnid = name.split('_').next().unwrap_or("");
        let Some(truth) = class_by_wnid(wnid).map(|c| c.index) else {
            report
                .skipped
                .push((path, "no WordNet id in the file name".into()));
            continue;
        };
        let t0 = Instant::now();
        let img = match decode_image(&path) {
            Ok(img) => img,
            Err(e) => {
                report.skipped.push((path, e.to_string()));
                continue;
            }
        };
        let t1 = Instant::now();
        preprocess_into(&img, &mut input);
        let t2 = Instant::now();
        let (logits, features) = classifier.run(&input)?;
        let p = Prediction::from_logits(&logits, features);
        let t3 = Instant::now();
        dec.push((t1 - t0).as_secs_f64() * 1e3);
        pre.push((t2 - t1).as_secs_f64() * 1e3);
        inf.push((t3 - t2).as_secs_f64() * 1e3);
        report.images += 1;
        if p.top5[0].0 == truth {
            report.top1_hits += 1;
        }
        if p.top5.iter().any(|&(i, _)| i == truth) {
            report.top5_hits += 1;
        }
        debug_assert_eq!(classes[truth].wnid, wnid);
        report.predictions.push((name, p.top5[0].0));
        results.push((truth, p.top5));
    }
    report.wall_s = start.elapsed().as_secs_f64();
    report.decode_ms = quantile(&mut dec, 0.5);
    report.preprocess_ms = quantile(&mut pre, 0.5);
    report.inference_ms = quantile(&mut inf, 0.5);
    report.inference_p90_ms = quantile(&mut inf, 0.9);
    report.thresholds = threshold_stats(&results);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles() {
        assert_eq!(quantile(&mut [3.0, 1.0, 2.0], 0.5), 2.0);
        assert_eq!(quantile(&mut [4.0, 1.0, 2.0, 3.0], 0.5), 2.5);
        assert_eq!(quantile(&mut [], 0.5), 0.0);
    }

    #[test]
    fn threshold_stats_count_the_top1_always() {
        // Image 1: truth 3 ranked first (0.9), a wrong 0.06 second. Image 2: truth 7 second (0.3).
        let results = vec![
            (
                3,
                vec![(3, 0.9), (1, 0.06), (2, 0.01), (4, 0.01), (5, 0.01)],
            ),
            (7, vec![(8, 0.6), (7, 0.3), (2, 0.05), (4, 0.03), (5, 0.01)]),
        ];
        let s = threshold_stats(&results);
        let at = |t: f32| *s.iter().find(|x| x.threshold == t).unwrap();
        // p >= 0.5: only the top-1s -> 2 labels, 1 correct, recall 1/2.
        assert_eq!(
            (at(0.5).labels_per_image, at(0.5).precision, at(0.5).recall),
            (1.0, 0.5, 0.5)
        );
        // p >= 0.05: 0.9, 0.06 | 0.6, 0.3, 0.05 -> 5 labels, 2 correct, recall 1.
        assert_eq!(
            (
                at(0.05).labels_per_image,
                at(0.05).precision,
                at(0.05).recall
            ),
            (2.5, 0.4, 1.0)
        );
    }
}
