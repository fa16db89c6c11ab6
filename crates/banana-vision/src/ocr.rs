//! Text in images: PP-OCRv4 detection and recognition on ONNX Runtime.
//!
//! Follows rapidocr-onnxruntime 1.4.4 (the wheel the models come from): the models were
//! trained on OpenCV's BGR channel order, so every input is fed as BGR, normalised
//! `(x / 255 - 0.5) / 0.5`.
//!
//! 1. Detection (DB) runs on a reduced copy (longest side at most [`DET_LIMIT`], both sides
//!    multiples of 32). The probability map is thresholded and dilated; each 8-connected
//!    component gets a minimum-area rectangle, a score (mean probability inside it), and is
//!    expanded ("unclipped") by `area * 1.6 / perimeter`.
//! 2. Each rectangle is cut out of the full-resolution image twice, 30% taller and as it is
//!    ([`REC_PADS`]; an affine warp, so angled text comes out straight), turned 90° when it is
//!    tall, and turned 180° when the direction classifier is sure it is upside down.
//! 3. Recognition (CTC) runs in batches of similar aspect ratio, height 48; greedy decoding.
//!    Of the two readings, the one that splits more words wins when nearly as sure.
//!
//! A photo without text costs one detector run on a small copy (the quick look, at most
//! [`GATE_LIMIT`] px long: on a 1280 px preview under a ninth of the pixels of the full run);
//! only when that finds text-like pixels does the detector run at full size, and then only on
//! windows around what it found ([`text_windows`]); the classifier and the recogniser only run
//! on detected regions. Measured with `examples/ocr_eval.rs` on the rendered text set scaled to
//! 1280 px (`bench/quality/make_text_set.py`): word recall 0.965 with and without the quick
//! look (a 256 px quick look lost words: 0.873); windows instead of the whole copy: 0.971 ->
//! 0.968, pooled CER 0.189 -> 0.183 (read once, as cut out). On the 100 12 MP photos of
//! `bench/ingest/compare.sh` the quick look skips the full run on 93; what it misses there is
//! small print under about 1.5% of the image height (photographers' watermarks on 17). The
//! windows cut the photos with text there from 309 to 189 ms each (medians).

use std::sync::Mutex;

use image::imageops::{self, FilterType};
use image::{Rgb, RgbImage};
use ort::session::Session;
use ort::value::TensorRef;

use crate::error::{Result, VisionError};
use crate::fetch::ModelPaths;
use crate::runtime::Inputs;

/// Longest side of the image the detector sees.
pub const DET_LIMIT: u32 = 960;
/// Longest side of the detector's quick look, which decides whether a photo has text at all.
pub const GATE_LIMIT: u32 = 320;
/// Pixels of the quick look above [`DET_THRESH`] from which the full-size detection runs.
const GATE_MIN_PIXELS: usize = 4;
/// Around what the quick look saw, the full run looks this many text heights left and right…
const WINDOW_PAD_X: f32 = 6.0;
/// …this many up and down…
const WINDOW_PAD_Y: f32 = 3.0;
/// …and at least this many of its pixels (the detector needs context: with 3, 1 and 32 it
/// split or merged words on the 1280 px text set, sign word recall 0.91 instead of 1.0).
const WINDOW_MIN_PAD: f32 = 96.0;
/// Binarisation threshold of the detector's probability map.
const DET_THRESH: f32 = 0.3;
/// Minimum mean probability inside a detected box.
const BOX_THRESH: f32 = 0.5;
/// How much a detected box is expanded (DB's unclip ratio).
const UNCLIP_RATIO: f32 = 1.6;
/// Boxes whose short side is below this (detector pixels) are dropped.
const MIN_SIZE: f32 = 3.0;
/// At most this many components are considered.
const MAX_CANDIDATES: usize = 1000;
/// Recogniser input height and minimum width.
const REC_H: usize = 48;
/// Each region is read twice, cut out this much taller than the detector's box (a fraction of
/// its height, half above and half below) and then as it is; the recogniser often drops the
/// spaces between words ("FRESHBAKERY"), on one crop or the other. Measured with
/// `examples/ocr_eval.rs`, word recall on the rendered text set / scaled to 1280 px: one crop
/// as it is 0.635 / 0.968; one crop 30% taller 0.866 / 0.992 (0.25: 0.818 / 0.992, 0.35:
/// 0.843 / 0.995); both, by [`second_reading_is_better`], 0.901 / 0.995 (taking the higher
/// score instead: 0.757 / 0.980).
const REC_PADS: [f32; 2] = [0.3, 0.0];
/// The second reading wins with more spaces at this share of the first's score or more.
const SPACED_SCORE: f32 = 0.9;
const REC_MIN_W: usize = 320;
/// Recogniser batch size.
const REC_BATCH: usize = 6;
/// Direction classifier input size.
const CLS_H: usize = 48;
const CLS_W: usize = 192;
/// Minimum classifier score to turn a crop 180°.
const CLS_THRESH: f32 = 0.9;
/// Lines recognised with a lower mean score are dropped.
pub const TEXT_SCORE: f32 = 0.5;
/// Widest crop (in recogniser pixels) fed to the recogniser, to bound the cost of a run.
const REC_MAX_W: usize = 48 * 40;

/// One line of text found in an image.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// The recognised text.
    pub text: String,
    /// `[x, y, w, h]` as fractions of the image's width and height.
    pub bbox: [f32; 4],
    /// Recognition confidence, 0–1.
    pub score: f32,
}

/// The text reader (detector + recogniser sessions). Safe to share between threads; runs of
/// each model are serialised.
pub struct Ocr {
    det: Mutex<Session>,
    cls: Mutex<Session>,
    rec: Mutex<Session>,
    /// Class `i` of the recogniser: index 0 is the CTC blank (empty string here).
    charset: Vec<String>,
}

/// A detected text region in original image coordinates: corners top-left, top-right,
/// bottom-right, bottom-left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quad(pub [[f32; 2]; 4]);

impl Ocr {
    /// Loads the PP-OCRv4 models with `threads` intra-op threads.
    pub fn load(paths: &ModelPaths, threads: usize) -> Result<Self> {
        let ocr = paths.ocr()?;
        let det = crate::runtime::session(&paths.onnxruntime, &ocr.det, threads, Inputs::Varying)?;
        let cls = crate::runtime::session(&paths.onnxruntime, &ocr.cls, threads, Inputs::Varying)?;
        let rec = crate::runtime::session(&paths.onnxruntime, &ocr.rec, threads, Inputs::Varying)?;
        let chars = rec.metadata()?.custom("character").ok_or_else(|| {
            VisionError::Runtime(format!(
                "{} has no `character` metadata (the recogniser's character list)",
                ocr.rec.display()
            ))
        })?;
        let charset = charset_from_metadata(&chars);
        Ok(Ocr {
            det: Mutex::new(det),
            cls: Mutex::new(cls),
            rec: Mutex::new(rec),
            charset,
        })
    }

    /// The lines of text in `image` (oriented RGB, longest side at most 1280).
    pub fn read(&self, image: &RgbImage) -> Result<Vec<TextLine>> {
        let quads = self.detect(image)?;
        self.recognize(image, &quads)
    }

    /// Text regions in `image`, in reading order (top to bottom, left to right).
    ///
    /// A quick look first: the detector on a copy at most [`GATE_LIMIT`] px long. When too few
    /// of its pixels look like text (most photos), there is no text and the full-size run is
    /// skipped; otherwise the detector runs again at [`DET_LIMIT`] for the boxes, on the
    /// windows around what the quick look saw ([`text_windows`]) rather than the whole copy.
    pub fn detect(&self, image: &RgbImage) -> Result<Vec<Quad>> {
        let (w, h) = image.dimensions();
        if w < 4 || h < 4 {
            return Ok(Vec::new());
        }
        let (dw, dh) = det_size(w, h, DET_LIMIT);
        let (gw, gh) = det_size(w, h, GATE_LIMIT);
        // Only worth it when the quick look costs under a third of the full run.
        let windows = if 3 * gw * gh < dw * dh {
            let gate = self.prob_map(&crate::resize::bilinear(image, gw, gh))?;
            if !looks_like_text(&gate) {
                return Ok(Vec::new());
            }
            text_windows(&gate, gw as usize, gh as usize, dw as usize, dh as usize)
        } else {
            vec![Window::whole(dw as usize, dh as usize)]
        };
        let small = crate::resize::bilinear(image, dw, dh);
        let sx = w as f32 / dw as f32;
        let sy = h as f32 / dh as f32;
        let mut quads = Vec::new();
        for win in windows {
            let prob = if win.w == dw as usize && win.h == dh as usize {
                self.prob_map(&small)?
            } else {
                let view = imageops::crop_imm(
                    &small,
                    win.x as u32,
                    win.y as u32,
                    win.w as u32,
                    win.h as u32,
                );
                self.prob_map(&view.to_image())?
            };
            quads.extend(boxes_from_prob(&prob, win.w, win.h).into_iter().map(|q| {
                let mut pts = q.0;
                for p in &mut pts {
                    p[0] = ((p[0] + win.x as f32) * sx)
                        .round()
                        .clamp(0.0, w as f32 - 1.0);
                    p[1] = ((p[1] + win.y as f32) * sy)
                        .round()
                        .clamp(0.0, h as f32 - 1.0);
                }
                Quad(pts)
            }));
        }
        quads.retain(|q| q.width() > 3.0 && q.height() > 3.0);
        sort_reading_order(&mut quads);
        Ok(quads)
    }

    /// The detector's text probability for each pixel of `small` (both sides multiples of 32).
    fn prob_map(&self, small: &RgbImage) -> Result<Vec<f32>> {
        let (dw, dh) = (small.width() as usize, small.height() as usize);
        let mut input = vec![0f32; 3 * dw * dh];
        bgr_planes(small, &mut input, dw);
        let tensor = TensorRef::from_array_view(([1, 3, dh, dw], &input[..]))?;
        let mut session = self.det.lock().unwrap_or_else(|p| p.into_inner());
        let outputs = session.run(ort::inputs![tensor])?;
        let (_, data) = outputs[0].try_extract_tensor::<f32>()?;
        if data.len() != dw * dh {
            return Err(VisionError::Runtime(format!(
                "detector output has {} values, expected {}",
                data.len(),
                dw * dh
            )));
        }
        Ok(data.to_vec())
    }

    /// Recognises the text in each region of `image`; drops unreadable ones.
    pub fn recognize(&self, image: &RgbImage, quads: &[Quad]) -> Result<Vec<TextLine>> {
        if quads.is_empty() {
            return Ok(Vec::new());
        }
        let mut texts = self.read_regions(image, quads, REC_PADS[0])?;
        for (first, second) in texts
            .iter_mut()
            .zip(self.read_regions(image, quads, REC_PADS[1])?)
        {
            if second_reading_is_better(first, &second) {
                *first = second;
            }
        }
        let (w, h) = (image.width() as f32, image.height() as f32);
        Ok(quads
            .iter()
            .zip(texts)
            .filter(|(_, (text, score))| *score >= TEXT_SCORE && !text.trim().is_empty())
            .map(|(q, (text, score))| {
                let [x0, y0, x1, y1] = q.bounds();
                TextLine {
                    text: text.trim().to_string(),
                    bbox: [
                        (x0 / w).clamp(0.0, 1.0),
                        (y0 / h).clamp(0.0, 1.0),
                        ((x1 - x0) / w).clamp(0.0, 1.0),
                        ((y1 - y0) / h).clamp(0.0, 1.0),
                    ],
                    score,
                }
            })
            .collect())
    }

    /// Turns crops the direction classifier finds upside down (score ≥ 0.9) by 180°.
    /// The text and score of each region cut out with `pad` ([`Quad::padded`]).
    fn read_regions(
        &self,
        image: &RgbImage,
        quads: &[Quad],
        pad: f32,
    ) -> Result<Vec<(String, f32)>> {
        let mut crops: Vec<RgbImage> = quads
            .iter()
            .map(|q| crop_quad(image, &q.padded(pad)))
            .collect();
        self.fix_upside_down(&mut crops)?;
        self.rec_batches(&crops)
    }

    fn fix_upside_down(&self, crops: &mut [RgbImage]) -> Result<()> {
        const LEN: usize = 3 * CLS_H * CLS_W;
        for start in (0..crops.len()).step_by(REC_BATCH) {
            let end = (start + REC_BATCH).min(crops.len());
            let n = end - start;
            let mut input = vec![0f32; n * LEN];
            for (crop, out) in crops[start..end].iter().zip(input.chunks_exact_mut(LEN)) {
                resize_norm(crop, CLS_H, CLS_W, out);
            }
            let probs = {
                let tensor = TensorRef::from_array_view(([n, 3, CLS_H, CLS_W], &input[..]))?;
                let mut session = self.cls.lock().unwrap_or_else(|p| p.into_inner());
                let outputs = session.run(ort::inputs![tensor])?;
                let (_, data) = outputs[0].try_extract_tensor::<f32>()?;
                if data.len() != n * 2 {
                    return Err(VisionError::Runtime(format!(
                        "direction classifier output has {} values, expected {}",
                        data.len(),
                        n * 2
                    )));
                }
                data.to_vec()
            };
            for (crop, p) in crops[start..end].iter_mut().zip(probs.chunks_exact(2)) {
                if p[1] > p[0] && p[1] >= CLS_THRESH {
                    imageops::rotate180_in_place(crop);
                }
            }
        }
        Ok(())
    }

    /// `(text, score)` per crop, batched by similar aspect ratio.
    fn rec_batches(&self, crops: &[RgbImage]) -> Result<Vec<(String, f32)>> {
        let ratio = |c: &RgbImage| c.width() as f32 / c.height().max(1) as f32;
        let mut order: Vec<usize> = (0..crops.len()).collect();
        order.sort_by(|&a, &b| ratio(&crops[a]).total_cmp(&ratio(&crops[b])));
        let mut results = vec![(String::new(), 0f32); crops.len()];
        for batch in order.chunks(REC_BATCH) {
            let max_ratio = batch
                .iter()
                .map(|&i| ratio(&crops[i]))
                .fold(REC_MIN_W as f32 / REC_H as f32, f32::max);
            let width = ((REC_H as f32 * max_ratio) as usize).clamp(REC_MIN_W, REC_MAX_W);
            let len = 3 * REC_H * width;
            let n = batch.len();
            let mut input = vec![0f32; n * len];
            for (&i, out) in batch.iter().zip(input.chunks_exact_mut(len)) {
                resize_norm(&crops[i], REC_H, width, out);
            }
            let tensor = TensorRef::from_array_view(([n, 3, REC_H, width], &input[..]))?;
            let mut session = self.rec.lock().unwrap_or_else(|p| p.into_inner());
            let outputs = session.run(ort::inputs![tensor])?;
            let (shape, data) = outputs[0].try_extract_tensor::<f32>()?;
            if shape.len() != 3 || shape[0] as usize != n || shape[2] as usize != self.charset.len()
            {
                return Err(VisionError::Runtime(format!(
                    "recogniser output has shape {shape:?}, expected [{n}, T, {}]",
                    self.charset.len()
                )));
            }
            let steps = shape[1] as usize;
            let classes = shape[2] as usize;
            for (&i, probs) in batch.iter().zip(data.chunks_exact(steps * classes)) {
                results[i] = ctc_decode(probs, classes, &self.charset);
            }
        }
        Ok(results)
    }
}

impl Quad {
    /// The quad grown across its text by `frac` of its short side (half on each side).
    pub fn padded(&self, frac: f32) -> Quad {
        let [tl, tr, br, bl] = self.0;
        // Across the text: downwards in a wide box, sideways in a tall one; the top-right
        // corner moves with the top-left in the first, the bottom-left in the second.
        let (to, [s_tr, s_bl]) = if dist(tl, bl) <= dist(tl, tr) {
            (bl, [-1.0, 1.0])
        } else {
            (tr, [1.0, -1.0])
        };
        let d = [(to[0] - tl[0]) * frac / 2.0, (to[1] - tl[1]) * frac / 2.0];
        let mv = |p: [f32; 2], s: f32| [p[0] + s * d[0], p[1] + s * d[1]];
        Quad([mv(tl, -1.0), mv(tr, s_tr), mv(br, 1.0), mv(bl, s_bl)])
    }

    /// Length of the top edge.
    pub fn width(&self) -> f32 {
        dist(self.0[0], self.0[1]).max(dist(self.0[2], self.0[3]))
    }

    /// Length of the left edge.
    pub fn height(&self) -> f32 {
        dist(self.0[0], self.0[3]).max(dist(self.0[1], self.0[2]))
    }

    /// Axis-aligned bounds `[x0, y0, x1, y1]`.
    pub fn bounds(&self) -> [f32; 4] {
        let xs = self.0.map(|p| p[0]);
        let ys = self.0.map(|p| p[1]);
        let min = |v: [f32; 4]| v.into_iter().fold(f32::INFINITY, f32::min);
        let max = |v: [f32; 4]| v.into_iter().fold(f32::NEG_INFINITY, f32::max);
        [min(xs), min(ys), max(xs), max(ys)]
    }
}

fn dist(a: [f32; 2], b: [f32; 2]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// The recogniser's classes from its `character` metadata: blank, one per line, then space.
pub fn charset_from_metadata(meta: &str) -> Vec<String> {
    let mut set = vec![String::new()];
    set.extend(
        meta.split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string()),
    );
    // A trailing newline would give an empty last entry; rapidocr's list has none.
    if set.len() > 1 && set.last().is_some_and(|s| s.is_empty()) {
        set.pop();
    }
    set.push(" ".to_string());
    set
}

/// Greedy CTC decoding of `[T, classes]` probabilities: the best class per step, repeats
/// merged, blanks (class 0) dropped. Score = mean probability of the kept steps (0 if none).
pub fn ctc_decode(probs: &[f32], classes: usize, charset: &[String]) -> (String, f32) {
    let mut text = String::new();
    let mut sum = 0f32;
    let mut kept = 0usize;
    let mut prev = usize::MAX;
    for step in probs.chunks_exact(classes) {
        let (best, p) =
            step.iter()
                .copied()
                .enumerate()
                .fold(
                    (0, f32::NEG_INFINITY),
                    |a, (i, p)| if p > a.1 { (i, p) } else { a },
                );
        if best != 0 && best != prev {
            if let Some(c) = charset.get(best) {
                text.push_str(c);
            }
            sum += p;
            kept += 1;
        }
        prev = best;
    }
    let score = if kept == 0 { 0.0 } else { sum / kept as f32 };
    (text, score)
}

/// Whether the second reading of a region replaces the first: it splits more words and is
/// nearly as confident ([`SPACED_SCORE`]), or splits as many and is more confident.
fn second_reading_is_better(first: &(String, f32), second: &(String, f32)) -> bool {
    let words = |t: &str| t.split_whitespace().count();
    let (a, b) = (words(&first.0), words(&second.0));
    (b > a && second.1 >= SPACED_SCORE * first.1) || (b == a && second.1 > first.1)
}

/// Detector input size for a `w`×`h` image: longest side at most `limit`, both sides
/// rounded to multiples of 32 (at least 32).
pub fn det_size(w: u32, h: u32, limit: u32) -> (u32, u32) {
    let ratio = (limit as f32 / w.max(h) as f32).min(1.0);
    let r32 = |v: u32| {
        let v = (v as f32 * ratio) as u32;
        (((v as f32 / 32.0).round() as u32) * 32).max(32)
    };
    (r32(w), r32(h))
}

/// A rectangle of the full-size detector input, in its pixels; sides multiples of 32.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
}

impl Window {
    fn whole(w: usize, h: usize) -> Self {
        Window { x: 0, y: 0, w, h }
    }

    fn overlaps(&self, o: &Window) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    fn union(&self, o: &Window) -> Window {
        let (x, y) = (self.x.min(o.x), self.y.min(o.y));
        Window {
            x,
            y,
            w: (self.x + self.w).max(o.x + o.w) - x,
            h: (self.y + self.h).max(o.y + o.h) - y,
        }
    }
}

/// Where the full-size run (`dw`×`dh`) should look, from the quick look's `gw`×`gh` map: each
/// group of text-like pixels, widened by [`WINDOW_PAD_X`] text heights left and right and
/// [`WINDOW_PAD_Y`] up and down (the quick look often sees only part of a line), at least
/// [`WINDOW_MIN_PAD`] px, rounded out to multiples of 32; overlapping windows are merged.
/// When the windows would cover more than half of the copy, one window covers all of it.
pub fn text_windows(gate: &[f32], gw: usize, gh: usize, dw: usize, dh: usize) -> Vec<Window> {
    let mask: Vec<bool> = gate.iter().map(|&p| p > DET_THRESH).collect();
    let (fx, fy) = (dw as f32 / gw as f32, dh as f32 / gh as f32);
    let round_down = |v: f32| ((v.max(0.0) as usize) / 32) * 32;
    let round_up = |v: f32, max: usize| ((v.max(0.0).ceil() as usize).div_ceil(32) * 32).min(max);
    let mut windows: Vec<Window> = Vec::new();
    for comp in components(&mask, gw, gh) {
        let y0 = comp.rows.first().map_or(0, |r| r.0) as f32;
        let y1 = comp.rows.last().map_or(0, |r| r.0) as f32 + 1.0;
        let x0 = comp.rows.iter().map(|r| r.1).min().unwrap_or(0) as f32;
        let x1 = comp.rows.iter().map(|r| r.2).max().unwrap_or(0) as f32 + 1.0;
        let text_h = (y1 - y0) * fy;
        let pad_x = (text_h * WINDOW_PAD_X).max(WINDOW_MIN_PAD);
        let pad_y = (text_h * WINDOW_PAD_Y).max(WINDOW_MIN_PAD);
        let left = round_down(x0 * fx - pad_x);
        let top = round_down(y0 * fy - pad_y);
        let right = round_up(x1 * fx + pad_x, dw).max(left + 32);
        let bottom = round_up(y1 * fy + pad_y, dh).max(top + 32);
        let mut win = Window {
            x: left,
            y: top,
            w: right - left,
            h: bottom - top,
        };
        // Merge with every window it touches, repeatedly (a union can reach further ones).
        while let Some(i) = windows.iter().position(|o| o.overlaps(&win)) {
            win = win.union(&windows.swap_remove(i));
        }
        windows.push(win);
    }
    let area: usize = windows.iter().map(|w| w.w * w.h).sum();
    if 2 * area > dw * dh {
        return vec![Window::whole(dw, dh)];
    }
    windows.sort_by_key(|w| (w.y, w.x));
    windows
}

/// Whether the quick look's probability map holds enough text-like pixels to look closer.
fn looks_like_text(prob: &[f32]) -> bool {
    prob.iter().filter(|&&p| p > DET_THRESH).count() >= GATE_MIN_PIXELS
}

/// Writes `img` as normalised B, G, R planes into `out` (`3 * stride * height` values;
/// columns beyond the image's width stay as they are).
fn bgr_planes(img: &RgbImage, out: &mut [f32], stride: usize) {
    let h = img.height() as usize;
    let plane = stride * h;
    for (x, y, p) in img.enumerate_pixels() {
        let i = y as usize * stride + x as usize;
        for (c, ch) in [2usize, 1, 0].into_iter().enumerate() {
            out[c * plane + i] = p.0[ch] as f32 / 127.5 - 1.0;
        }
    }
}

/// Resizes `img` to height `h`, keeping its aspect ratio (width at most `w`), and writes it
/// as normalised BGR planes of `h`×`w`, zero-padded on the right.
fn resize_norm(img: &RgbImage, h: usize, w: usize, out: &mut [f32]) {
    let ratio = img.width() as f32 / img.height().max(1) as f32;
    let rw = ((h as f32 * ratio).ceil() as usize).clamp(1, w);
    let resized = imageops::resize(img, rw as u32, h as u32, FilterType::Triangle);
    out.fill(0.0);
    bgr_planes(&resized, out, w);
}

/// Text boxes (detector coordinates) in a DB probability map of `w`×`h`.
pub fn boxes_from_prob(prob: &[f32], w: usize, h: usize) -> Vec<Quad> {
    let mask: Vec<bool> = prob.iter().map(|&p| p > DET_THRESH).collect();
    let mask = dilate2x2(&mask, w, h);
    let mut out = Vec::new();
    for comp in components(&mask, w, h).into_iter().take(MAX_CANDIDATES) {
        let Some(rect) = min_area_rect(&comp.hull_points()) else {
            continue;
        };
        if rect.short_side() < MIN_SIZE {
            continue;
        }
        if rect_score(prob, w, h, &rect) < BOX_THRESH {
            continue;
        }
        let rect = rect.unclip(UNCLIP_RATIO);
        if rect.short_side() < MIN_SIZE + 2.0 {
            continue;
        }
        let mut pts = rect.corners();
        for p in &mut pts {
            p[0] = p[0].round().clamp(0.0, w as f32);
            p[1] = p[1].round().clamp(0.0, h as f32);
        }
        out.push(order_corners(pts));
    }
    out
}

/// OpenCV's `dilate` with a 2×2 kernel: a pixel is set when it or its left, upper or upper-left
/// neighbour is.
fn dilate2x2(mask: &[bool], w: usize, h: usize) -> Vec<bool> {
    let mut out = mask.to_vec();
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if out[i] {
                continue;
            }
            out[i] = (x > 0 && mask[i - 1])
                || (y > 0 && mask[i - w])
                || (x > 0 && y > 0 && mask[i - w - 1]);
        }
    }
    out
}

/// One 8-connected component of a mask: per row, its leftmost and rightmost pixel.
#[derive(Debug, Clone, Default)]
pub struct Component {
    /// `(y, x_min, x_max)` for each row the component touches.
    rows: Vec<(usize, usize, usize)>,
}

impl Component {
    /// Points whose convex hull is the component's (pixel centres of the row extremes).
    fn hull_points(&self) -> Vec<[f32; 2]> {
        let mut pts = Vec::with_capacity(self.rows.len() * 2);
        for &(y, x0, x1) in &self.rows {
            pts.push([x0 as f32, y as f32]);
            if x1 != x0 {
                pts.push([x1 as f32, y as f32]);
            }
        }
        pts
    }
}

/// The 8-connected components of `mask`, in order of their first pixel (row-major).
pub fn components(mask: &[bool], w: usize, h: usize) -> Vec<Component> {
    let mut label = vec![u32::MAX; w * h];
    let mut comps = Vec::new();
    let mut stack = Vec::new();
    for start in 0..w * h {
        if !mask[start] || label[start] != u32::MAX {
            continue;
        }
        let id = comps.len() as u32;
        let mut extent: std::collections::BTreeMap<usize, (usize, usize)> = Default::default();
        label[start] = id;
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            let e = extent.entry(y).or_insert((x, x));
            e.0 = e.0.min(x);
            e.1 = e.1.max(x);
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if mask[j] && label[j] == u32::MAX {
                        label[j] = id;
                        stack.push(j);
                    }
                }
            }
        }
        comps.push(Component {
            rows: extent.into_iter().map(|(y, (a, b))| (y, a, b)).collect(),
        });
    }
    comps
}

/// A rotated rectangle: centre, unit axis `u` (and `v` perpendicular), half extents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RotRect {
    pub center: [f32; 2],
    pub u: [f32; 2],
    pub half: [f32; 2],
}

impl RotRect {
    fn short_side(&self) -> f32 {
        2.0 * self.half[0].min(self.half[1])
    }

    /// Expands by `area * ratio / perimeter` on every side (DB's unclip; for a rectangle the
    /// round-joined offset's minimum-area rectangle is the rectangle grown by the distance).
    fn unclip(&self, ratio: f32) -> RotRect {
        let (w, h) = (2.0 * self.half[0], 2.0 * self.half[1]);
        let d = w * h * ratio / (2.0 * (w + h)).max(f32::EPSILON);
        RotRect {
            half: [self.half[0] + d, self.half[1] + d],
            ..*self
        }
    }

    fn corners(&self) -> [[f32; 2]; 4] {
        let [cx, cy] = self.center;
        let [ux, uy] = self.u;
        let (vx, vy) = (-uy, ux);
        let [a, b] = self.half;
        [
            [cx - a * ux - b * vx, cy - a * uy - b * vy],
            [cx + a * ux - b * vx, cy + a * uy - b * vy],
            [cx + a * ux + b * vx, cy + a * uy + b * vy],
            [cx - a * ux + b * vx, cy - a * uy + b * vy],
        ]
    }

    fn contains(&self, x: f32, y: f32) -> bool {
        let (dx, dy) = (x - self.center[0], y - self.center[1]);
        let pu = dx * self.u[0] + dy * self.u[1];
        let pv = -dx * self.u[1] + dy * self.u[0];
        pu.abs() <= self.half[0] + 0.5 && pv.abs() <= self.half[1] + 0.5
    }
}

fn cross(o: [f32; 2], a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

/// Convex hull (Andrew's monotone chain), counter-clockwise, no collinear points.
fn convex_hull(mut pts: Vec<[f32; 2]>) -> Vec<[f32; 2]> {
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let mut hull: Vec<[f32; 2]> = Vec::with_capacity(pts.len() * 2);
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &[f32; 2]>> = if pass == 0 {
            Box::new(pts.iter())
        } else {
            Box::new(pts.iter().rev())
        };
        for &p in iter {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0
            {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

/// The minimum-area rectangle around `pts` (rotating calipers over the hull's edges), or
/// `None` when the points are collinear.
pub fn min_area_rect(pts: &[[f32; 2]]) -> Option<RotRect> {
    let hull = convex_hull(pts.to_vec());
    if hull.len() < 3 {
        return None;
    }
    let mut best: Option<(f32, RotRect)> = None;
    for i in 0..hull.len() {
        let (a, b) = (hull[i], hull[(i + 1) % hull.len()]);
        let len = dist(a, b);
        if len == 0.0 {
            continue;
        }
        let u = [(b[0] - a[0]) / len, (b[1] - a[1]) / len];
        let (mut u0, mut u1, mut v0, mut v1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for p in &hull {
            let pu = p[0] * u[0] + p[1] * u[1];
            let pv = -p[0] * u[1] + p[1] * u[0];
            u0 = u0.min(pu);
            u1 = u1.max(pu);
            v0 = v0.min(pv);
            v1 = v1.max(pv);
        }
        let area = (u1 - u0) * (v1 - v0);
        if best.as_ref().is_none_or(|(a, _)| area < *a) {
            let (cu, cv) = ((u0 + u1) / 2.0, (v0 + v1) / 2.0);
            let center = [cu * u[0] - cv * u[1], cu * u[1] + cv * u[0]];
            best = Some((
                area,
                RotRect {
                    center,
                    u,
                    half: [(u1 - u0) / 2.0, (v1 - v0) / 2.0],
                },
            ));
        }
    }
    best.map(|(_, r)| r)
}

/// Mean probability of the map's pixels inside `rect`.
fn rect_score(prob: &[f32], w: usize, h: usize, rect: &RotRect) -> f32 {
    let c = rect.corners();
    let xs = c.map(|p| p[0]);
    let ys = c.map(|p| p[1]);
    let lo = |v: [f32; 4], n: usize| {
        (v.iter().copied().fold(f32::MAX, f32::min).floor().max(0.0) as usize).min(n - 1)
    };
    let hi = |v: [f32; 4], n: usize| {
        (v.iter().copied().fold(f32::MIN, f32::max).ceil().max(0.0) as usize).min(n - 1)
    };
    let (mut sum, mut n) = (0f64, 0usize);
    for y in lo(ys, h)..=hi(ys, h) {
        for x in lo(xs, w)..=hi(xs, w) {
            if rect.contains(x as f32, y as f32) {
                sum += prob[y * w + x] as f64;
                n += 1;
            }
        }
    }
    if n == 0 {
        0.0
    } else {
        (sum / n as f64) as f32
    }
}

/// Orders four corners top-left, top-right, bottom-right, bottom-left (rapidocr's rule: the
/// two leftmost points are the left side, the upper of each pair is the top).
fn order_corners(mut pts: [[f32; 2]; 4]) -> Quad {
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let (tl, bl) = if pts[0][1] <= pts[1][1] {
        (pts[0], pts[1])
    } else {
        (pts[1], pts[0])
    };
    let (tr, br) = if pts[2][1] <= pts[3][1] {
        (pts[2], pts[3])
    } else {
        (pts[3], pts[2])
    };
    Quad([tl, tr, br, bl])
}

/// Reading order: by top-left corner, top to bottom; boxes whose tops are within 10 px are
/// ordered left to right (rapidocr's `sorted_boxes`).
fn sort_reading_order(quads: &mut [Quad]) {
    quads.sort_by(|a, b| {
        a.0[0][1]
            .total_cmp(&b.0[0][1])
            .then(a.0[0][0].total_cmp(&b.0[0][0]))
    });
    for i in 0..quads.len().saturating_sub(1) {
        for j in (0..=i).rev() {
            if (quads[j + 1].0[0][1] - quads[j].0[0][1]).abs() < 10.0
                && quads[j + 1].0[0][0] < quads[j].0[0][0]
            {
                quads.swap(j, j + 1);
            } else {
                break;
            }
        }
    }
}

/// Cuts `q` out of `img` straightened (affine warp of the quad onto a rectangle, bilinear,
/// edges replicated); a crop at least 1.5 times taller than wide is turned 90° counter-clockwise.
fn crop_quad(img: &RgbImage, q: &Quad) -> RgbImage {
    let cw = (q.width() as u32).max(1);
    let ch = (q.height() as u32).max(1);
    let [p0, p1, _, p3] = q.0;
    let ux = [(p1[0] - p0[0]) / cw as f32, (p1[1] - p0[1]) / cw as f32];
    let vy = [(p3[0] - p0[0]) / ch as f32, (p3[1] - p0[1]) / ch as f32];
    let mut out = RgbImage::new(cw, ch);
    for (x, y, px) in out.enumerate_pixels_mut() {
        let (fx, fy) = (x as f32, y as f32);
        let sx = p0[0] + fx * ux[0] + fy * vy[0];
        let sy = p0[1] + fx * ux[1] + fy * vy[1];
        *px = sample(img, sx, sy);
    }
    if ch as f32 / cw as f32 >= 1.5 {
        imageops::rotate270(&out)
    } else {
        out
    }
}

fn sample(img: &RgbImage, x: f32, y: f32) -> Rgb<u8> {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let x = x.clamp(0.0, (w - 1) as f32);
    let y = y.clamp(0.0, (h - 1) as f32);
    let (x0, y0) = (x.floor() as i64, y.floor() as i64);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |x: i64, y: i64| img.get_pixel(x as u32, y as u32).0;
    let (a, b, c, d) = (p(x0, y0), p(x1, y0), p(x0, y1), p(x1, y1));
    let mut out = [0u8; 3];
    for k in 0..3 {
        let top = a[k] as f32 * (1.0 - fx) + b[k] as f32 * fx;
        let bot = c[k] as f32 * (1.0 - fx) + d[k] as f32 * fx;
        out[k] = (top * (1.0 - fy) + bot * fy).round() as u8;
    }
    Rgb(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn charset() -> Vec<String> {
        charset_from_metadata("a\nb\nc")
    }

    fn one_hot(seq: &[(usize, f32)], classes: usize) -> Vec<f32> {
        let mut v = vec![0f32; seq.len() * classes];
        for (t, &(c, p)) in seq.iter().enumerate() {
            v[t * classes + c] = p;
        }
        v
    }

    #[test]
    fn charset_has_blank_first_and_space_last() {
        let c = charset();
        assert_eq!(c, vec!["", "a", "b", "c", " "]);
        assert_eq!(charset_from_metadata("a\nb\n"), vec!["", "a", "b", " "]);
    }

    #[test]
    fn ctc_merges_repeats_and_drops_blanks() {
        let c = charset();
        // a a _ a b b _ _ space c
        let seq = [
            (1, 0.9),
            (1, 0.8),
            (0, 0.99),
            (1, 0.7),
            (2, 0.6),
            (2, 0.9),
            (0, 0.9),
            (0, 0.9),
            (4, 0.5),
            (3, 1.0),
        ];
        let (text, score) = ctc_decode(&one_hot(&seq, 5), 5, &c);
        assert_eq!(text, "aab c");
        // Kept steps: 0 (0.9), 3 (0.7), 4 (0.6), 8 (0.5), 9 (1.0).
        assert!((score - 3.7 / 5.0).abs() < 1e-6, "{score}");
        let (text, score) = ctc_decode(&one_hot(&[(0, 1.0), (0, 1.0)], 5), 5, &c);
        assert_eq!((text.as_str(), score), ("", 0.0));
    }

    #[test]
    fn the_quick_look_needs_a_few_text_like_pixels() {
        let mut prob = vec![0.1f32; 320 * 256];
        assert!(!looks_like_text(&prob));
        prob[..GATE_MIN_PIXELS - 1].fill(0.9);
        assert!(!looks_like_text(&prob), "fewer pixels than GATE_MIN_PIXELS");
        prob[GATE_MIN_PIXELS - 1] = DET_THRESH + 0.01;
        assert!(looks_like_text(&prob));
    }

    /// A 320×256 quick-look map with text-like pixels in the given `[x0, y0, x1, y1)` blocks.
    fn gate_with(blocks: &[[usize; 4]]) -> Vec<f32> {
        let mut prob = vec![0.05f32; 320 * 256];
        for &[x0, y0, x1, y1] in blocks {
            for y in y0..y1 {
                prob[y * 320 + x0..y * 320 + x1].fill(0.8);
            }
        }
        prob
    }

    #[test]
    fn the_full_run_looks_around_what_the_quick_look_saw() {
        // One short line 4 px high at (100, 50) in the quick look; the full run is 3x larger.
        let wins = text_windows(&gate_with(&[[100, 50, 120, 54]]), 320, 256, 960, 768);
        assert_eq!(wins.len(), 1, "{wins:?}");
        let w = wins[0];
        assert!(
            w.x % 32 == 0 && w.y % 32 == 0 && w.w % 32 == 0 && w.h % 32 == 0,
            "{w:?}"
        );
        // The line is 300..360 x 150..162 at full size (12 px high), padded on every side.
        let (pad_x, pad_y) = (
            (12.0 * WINDOW_PAD_X).max(WINDOW_MIN_PAD) as usize,
            (12.0 * WINDOW_PAD_Y).max(WINDOW_MIN_PAD) as usize,
        );
        assert!(w.x <= 300 - pad_x && w.x + w.w >= 360 + pad_x, "{w:?}");
        assert!(w.y <= 150 - pad_y && w.y + w.h >= 162 + pad_y, "{w:?}");
        assert!(w.w * w.h < 960 * 768 / 8, "a small window: {w:?}");
    }

    #[test]
    fn nearby_windows_merge_and_far_ones_stay_apart() {
        let gate = gate_with(&[[10, 10, 30, 14], [34, 12, 50, 16], [250, 200, 280, 206]]);
        let wins = text_windows(&gate, 320, 256, 960, 768);
        assert_eq!(wins.len(), 2, "{wins:?}");
        assert!(!wins[0].overlaps(&wins[1]));
        assert!(
            wins[0].x + wins[0].w >= 150,
            "the first two lines share one window"
        );
        assert!(wins[1].y + wins[1].h >= 618 + 96, "{:?}", wins[1]);
    }

    #[test]
    fn text_everywhere_is_read_in_one_run() {
        let rows: Vec<[usize; 4]> = (0..12)
            .map(|i| [10, 10 + 20 * i, 300, 16 + 20 * i])
            .collect();
        let wins = text_windows(&gate_with(&rows), 320, 256, 960, 768);
        assert_eq!(wins, vec![Window::whole(960, 768)]);
    }

    #[test]
    fn a_region_is_cut_out_a_little_taller_across_its_text() {
        let wide = Quad([[10.0, 50.0], [110.0, 50.0], [110.0, 70.0], [10.0, 70.0]]);
        assert_eq!(
            wide.padded(0.3).0,
            [[10.0, 47.0], [110.0, 47.0], [110.0, 73.0], [10.0, 73.0]]
        );
        // A tall box holds text running downwards: it grows sideways.
        let tall = Quad([[50.0, 10.0], [70.0, 10.0], [70.0, 110.0], [50.0, 110.0]]);
        assert_eq!(
            tall.padded(0.3).0,
            [[47.0, 10.0], [73.0, 10.0], [73.0, 110.0], [47.0, 110.0]]
        );
        assert_eq!(wide.padded(0.0), wide);
    }

    #[test]
    fn the_reading_that_splits_the_words_wins_when_nearly_as_sure() {
        let r = |t: &str, s: f32| (t.to_string(), s);
        assert!(second_reading_is_better(
            &r("FRESHBAKERY", 0.99),
            &r("FRESH BAKERY", 0.92)
        ));
        assert!(!second_reading_is_better(
            &r("FRESHBAKERY", 0.99),
            &r("FRESH BAK ERY", 0.6)
        ));
        assert!(!second_reading_is_better(
            &r("FRESH BAKERY", 0.9),
            &r("FRESHBAKERY", 0.99)
        ));
        assert!(second_reading_is_better(
            &r("FRESH BAKERY", 0.9),
            &r("FRESH BAKERY", 0.95)
        ));
        assert!(!second_reading_is_better(
            &r("FRESH BAKERY", 0.95),
            &r("FRESH BAKFRY", 0.9)
        ));
    }

    #[test]
    fn det_size_is_reduced_and_a_multiple_of_32() {
        assert_eq!(det_size(1280, 960, DET_LIMIT), (960, 736));
        assert_eq!(det_size(800, 600, DET_LIMIT), (800, 608));
        assert_eq!(det_size(10, 10, DET_LIMIT), (32, 32));
        assert_eq!(det_size(1280, 960, GATE_LIMIT), (320, 256));
        let (w, h) = det_size(1280, 200, DET_LIMIT);
        assert!(w <= 960 && w % 32 == 0 && h % 32 == 0, "{w}x{h}");
    }

    #[test]
    fn components_are_8_connected() {
        // Two blobs; the first has a diagonal step.
        #[rustfmt::skip]
        let m = [
            1, 1, 0, 0, 0, 0,
            0, 0, 1, 0, 0, 1,
            0, 0, 0, 0, 0, 1,
        ];
        let mask: Vec<bool> = m.iter().map(|&v| v == 1).collect();
        let comps = components(&mask, 6, 3);
        assert_eq!(comps.len(), 2);
        assert_eq!(comps[0].rows, vec![(0, 0, 1), (1, 2, 2)]);
        assert_eq!(comps[1].rows, vec![(1, 5, 5), (2, 5, 5)]);
    }

    #[test]
    fn min_area_rect_of_axis_aligned_and_rotated_boxes() {
        let r =
            min_area_rect(&[[2.0, 3.0], [12.0, 3.0], [12.0, 7.0], [2.0, 7.0], [5.0, 5.0]]).unwrap();
        let mut half = r.half;
        half.sort_by(f32::total_cmp);
        assert_eq!(half, [2.0, 5.0]);
        assert!((r.center[0] - 7.0).abs() < 1e-4 && (r.center[1] - 5.0).abs() < 1e-4);
        // A 45° square of side sqrt(2)*4.
        let r = min_area_rect(&[[4.0, 0.0], [8.0, 4.0], [4.0, 8.0], [0.0, 4.0]]).unwrap();
        let area = 4.0 * r.half[0] * r.half[1];
        assert!((area - 32.0).abs() < 1e-3, "{area}");
        assert!(min_area_rect(&[[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]).is_none());
    }

    #[test]
    fn boxes_from_a_synthetic_probability_map() {
        let (w, h) = (64, 32);
        let mut prob = vec![0f32; w * h];
        // A text bar at x 10..=40, y 10..=17, and a speck too small to keep.
        for y in 10..=17 {
            for x in 10..=40 {
                prob[y * w + x] = 0.9;
            }
        }
        prob[2 * w + 60] = 0.9;
        let boxes = boxes_from_prob(&prob, w, h);
        assert_eq!(boxes.len(), 1, "{boxes:?}");
        let [x0, y0, x1, y1] = boxes[0].bounds();
        // Dilated bar is x 10..=41, y 10..=18 (31 x 8 between pixel centres); unclip adds
        // 31*8*1.6/78 ≈ 5.1 on every side.
        assert!(
            (x0 - 5.0).abs() <= 1.0 && (x1 - 46.0).abs() <= 1.0,
            "{x0} {x1}"
        );
        assert!(
            (y0 - 5.0).abs() <= 1.0 && (y1 - 23.0).abs() <= 1.0,
            "{y0} {y1}"
        );
        // Corners are ordered tl, tr, br, bl.
        let q = boxes[0].0;
        assert!(q[0][0] < q[1][0] && q[0][1] < q[3][1] && q[2][0] > q[3][0]);
    }

    #[test]
    fn low_probability_regions_are_dropped() {
        let (w, h) = (64, 32);
        let mut prob = vec![0f32; w * h];
        for y in 10..=17 {
            for x in 10..=40 {
                prob[y * w + x] = 0.4;
            }
        }
        assert!(boxes_from_prob(&prob, w, h).is_empty());
    }

    #[test]
    fn reading_order_is_rows_then_columns() {
        let q = |x: f32, y: f32| Quad([[x, y], [x + 10.0, y], [x + 10.0, y + 5.0], [x, y + 5.0]]);
        let mut v = vec![q(50.0, 102.0), q(0.0, 200.0), q(0.0, 105.0), q(10.0, 10.0)];
        sort_reading_order(&mut v);
        assert_eq!(
            v,
            vec![q(10.0, 10.0), q(0.0, 105.0), q(50.0, 102.0), q(0.0, 200.0)]
        );
    }

    #[test]
    fn crop_straightens_and_turns_tall_boxes() {
        let mut img = RgbImage::new(20, 20);
        img.put_pixel(5, 5, Rgb([255, 0, 0]));
        let crop = crop_quad(
            &img,
            &Quad([[5.0, 5.0], [15.0, 5.0], [15.0, 9.0], [5.0, 9.0]]),
        );
        assert_eq!(crop.dimensions(), (10, 4));
        assert_eq!(crop.get_pixel(0, 0), &Rgb([255, 0, 0]));
        let tall = crop_quad(
            &img,
            &Quad([[5.0, 5.0], [9.0, 5.0], [9.0, 15.0], [5.0, 15.0]]),
        );
        assert_eq!(tall.dimensions(), (10, 4));
    }
}
