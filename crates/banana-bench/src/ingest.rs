//! The ingest bench: a folder through the whole pipeline into a [`LocalSink`], as the Python
//! reference (`shared/bench/reference-ingest`) does, timed the same way (the wall clock starts
//! before the model is loaded and stops when the last file is stored).

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use std::sync::Mutex;

use banana_vision::faces::{FaceDetector, DETECT_SIDE};
use banana_vision::ocr::Ocr;
use banana_vision::{imagenet_classes, locate_models, reduced, Classifier, ModelPaths, Prediction};

use banana_ingest::pipeline::{self, Options, Outcome, Prepared, RunSummary, Sink};
use banana_ingest::stats::Histogram;
use banana_ingest::LocalSink;

use crate::models_dir;

/// What [`bench_ingest`] runs.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// The models folder (`BANANA_MODELS_DIR`, default `~/.cache/banana/models`).
    pub models_dir: PathBuf,
    /// Where the content-addressed output goes; emptied first.
    pub out_dir: PathBuf,
    /// Write `file name<TAB>top-1 WordNet id<TAB>probability` per image here.
    pub tsv: Option<PathBuf>,
    /// ONNX Runtime intra-op threads of each worker's session.
    pub inference_threads: usize,
    /// Only the first `limit` files (in name order); 0: all.
    pub limit: usize,
    /// Also run every other analyzer of the service (text, faces, colours) on each preview,
    /// as its labeling worker does, inside the same worker chain.
    pub all_analyzers: bool,
    pub pipeline: Options,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            models_dir: models_dir(),
            out_dir: std::env::temp_dir().join("banana-ingest-out"),
            tsv: None,
            inference_threads: 1,
            limit: 0,
            all_analyzers: false,
            pipeline: Options::default(),
        }
    }
}

/// Result of [`bench_ingest`].
#[derive(Debug, Clone)]
pub struct BenchReport {
    pub summary: RunSummary,
    pub workers: usize,
    pub inference_threads: usize,
    pub batch_size: usize,
    /// Images whose top-1 WordNet id equals the one their file name starts with, and how many
    /// names had one (ImageNet sample naming `nXXXXXXXX_name.ext`).
    pub top1_hits: usize,
    pub named: usize,
    /// Peak resident memory of the process (VmHWM), MiB.
    pub peak_rss_mib: f64,
    /// The ONNX file that was run.
    pub model: PathBuf,
    /// With [`BenchOptions::all_analyzers`]: what the other analyzers took.
    pub analyzers: Option<AnalyzerTimes>,
}

/// Milliseconds per image the other analyzers took (medians of [`Histogram`]s).
#[derive(Debug, Clone, Default)]
pub struct AnalyzerTimes {
    /// Text detection and recognition, on photos where no text was found (detection only:
    /// recognition runs on detected regions) and on photos with text.
    pub ocr_no_text: Histogram,
    pub ocr_text: Histogram,
    pub faces: Histogram,
    pub colors: Histogram,
}

impl BenchReport {
    /// Images stored per second of wall time.
    pub fn images_per_s(&self) -> f64 {
        self.summary.imported as f64 / self.summary.wall.as_secs_f64().max(1e-9)
    }
}

impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.summary;
        writeln!(
            f,
            "banana-ingest images={} rejected={} failed={} workers={} ort_threads={} batch={} wall_s={:.2} images_per_s={:.1}",
            s.imported,
            s.rejected,
            s.failed,
            self.workers,
            self.inference_threads,
            self.batch_size,
            s.wall.as_secs_f64(),
            self.images_per_s()
        )?;
        let stages: Vec<String> = s
            .stages
            .named()
            .iter()
            .map(|(name, h)| format!("{name}={:.2}", h.median_ms()))
            .collect();
        writeln!(f, "median ms per image: {}", stages.join(" "))?;
        if self.named > 0 {
            writeln!(
                f,
                "top-1 against the WordNet id in the file name: {}/{}",
                self.top1_hits, self.named
            )?;
        }
        if let Some(a) = &self.analyzers {
            writeln!(
                f,
                "analyzers median ms per image (inside store): ocr no-text={:.2} (n={}) ocr with-text={:.2} (n={}) faces={:.2} colors={:.2}",
                a.ocr_no_text.median_ms(),
                a.ocr_no_text.count(),
                a.ocr_text.median_ms(),
                a.ocr_text.count(),
                a.faces.median_ms(),
                a.colors.median_ms()
            )?;
        }
        write!(
            f,
            "peak_rss_mib={:.0} model={}",
            self.peak_rss_mib,
            self.model.display()
        )
    }
}

/// Peak resident set size of this process (VmHWM from `/proc/self/status`), MiB; 0 elsewhere.
pub fn peak_rss_mib() -> f64 {
    crate::status_mib("VmHWM:").unwrap_or(0.0)
}

fn wnid_of(path: &Path) -> Option<&str> {
    let name = path.file_name()?.to_str()?;
    let id = name.split('_').next()?;
    (id.len() == 9 && id.starts_with('n') && id[1..].bytes().all(|b| b.is_ascii_digit()))
        .then_some(id)
}

/// The service's other analyzers on one worker's thread: OCR, faces, colours.
struct Models {
    ocr: Ocr,
    faces: FaceDetector,
}

/// A sink that runs the other analyzers on each preview before storing it (one model set per
/// worker, taken by whichever worker is free).
struct AnalyzingSink {
    inner: LocalSink,
    models: Vec<Mutex<Models>>,
    times: Mutex<AnalyzerTimes>,
}

impl AnalyzingSink {
    fn load(inner: LocalSink, paths: &ModelPaths, workers: usize) -> Result<Self, String> {
        let models = (0..workers)
            .map(|_| {
                Ok(Mutex::new(Models {
                    ocr: Ocr::load(paths, 1)?,
                    faces: FaceDetector::load(paths, 1)?,
                }))
            })
            .collect::<Result<Vec<_>, banana_vision::VisionError>>()
            .map_err(|e| e.to_string())?;
        Ok(AnalyzingSink {
            inner,
            models,
            times: Mutex::new(AnalyzerTimes::default()),
        })
    }

    fn analyze(&self, preview: &image::RgbImage) -> Result<(), String> {
        let guard = loop {
            if let Some(g) = self.models.iter().find_map(|m| m.try_lock().ok()) {
                break g;
            }
            std::thread::yield_now();
        };
        let t = Instant::now();
        let lines = guard.ocr.read(preview).map_err(|e| e.to_string())?;
        let ocr = t.elapsed();
        let t = Instant::now();
        guard
            .faces
            .detect(&reduced(preview, DETECT_SIDE))
            .map_err(|e| e.to_string())?;
        let faces = t.elapsed();
        drop(guard);
        let t = Instant::now();
        banana_vision::colors::dominant_colors(&reduced(
            preview,
            banana_vision::colors::COLOR_SIDE,
        ));
        let colors = t.elapsed();
        let mut times = self.times.lock().unwrap_or_else(|p| p.into_inner());
        if lines.is_empty() {
            times.ocr_no_text.record(ocr);
        } else {
            times.ocr_text.record(ocr);
        }
        times.faces.record(faces);
        times.colors.record(colors);
        Ok(())
    }
}

impl Sink for AnalyzingSink {
    fn existing(&self, sha256: &str) -> Result<Option<String>, String> {
        self.inner.existing(sha256)
    }

    fn store(&self, item: Prepared, prediction: Option<&Prediction>) -> Result<Outcome, String> {
        self.analyze(&item.derived.preview_rgb)?;
        self.inner.store(item, prediction)
    }
}

/// Runs every image of `dir` through decode, derive, preprocess, classify and store, and
/// reports speed, per-stage medians, top-1 against file names and peak memory.
pub fn bench_ingest(dir: &Path, opts: &BenchOptions) -> Result<BenchReport, String> {
    let models = locate_models(&opts.models_dir).ok_or_else(|| {
        format!(
            "no classifier in {} (run `banana models fetch` or set BANANA_MODELS_DIR)",
            opts.models_dir.display()
        )
    })?;
    let model = models
        .efficientnet()
        .map_err(|e| e.to_string())?
        .onnx
        .clone();
    let _ = std::fs::remove_dir_all(&opts.out_dir);
    let local = LocalSink::new(&opts.out_dir).map_err(|e| e.to_string())?;
    let mut tsv = match &opts.tsv {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()))?,
        )),
        None => None,
    };

    let roots = [dir.to_path_buf()];
    let exts = opts.pipeline.extensions.clone();
    let files = pipeline::walk_files(&roots, exts.as_deref());
    let files: Box<dyn Iterator<Item = _> + Send> = if opts.limit > 0 {
        Box::new(files.take(opts.limit))
    } else {
        Box::new(files)
    };

    let start = Instant::now();
    // One session per worker, so no worker waits for another's.
    let classifiers = (0..opts.pipeline.workers.max(1))
        .map(|_| Classifier::load(&models, opts.inference_threads))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    // The other analyzers' models load inside the timed span too, as the classifier's do.
    let analyzing = if opts.all_analyzers {
        let workers = opts.pipeline.workers.max(1);
        Some(AnalyzingSink::load(local, &models, workers)?)
    } else {
        None
    };
    let local_only;
    let sink: &dyn Sink = match &analyzing {
        Some(a) => a,
        None => {
            local_only = LocalSink::new(&opts.out_dir).map_err(|e| e.to_string())?;
            &local_only
        }
    };
    let classes = imagenet_classes();
    let (mut hits, mut named) = (0usize, 0usize);
    let mut write_err = None;
    let mut summary = pipeline::run(files, &opts.pipeline, &classifiers, sink, &mut |r| {
        let Some(p) = &r.prediction else { return };
        let Some(&(top, prob)) = p.top5.first() else {
            return;
        };
        let wnid = classes[top].wnid;
        if let Some(truth) = wnid_of(&r.path) {
            named += 1;
            hits += usize::from(truth == wnid);
        }
        if let Some(w) = tsv.as_mut() {
            let name = r.path.file_name().unwrap_or_default().to_string_lossy();
            if let Err(e) = writeln!(w, "{name}\t{wnid}\t{prob:.5}") {
                write_err.get_or_insert(e);
            }
        }
    });
    summary.wall = start.elapsed();
    if let Some(mut w) = tsv {
        w.flush().map_err(|e| e.to_string())?;
    }
    if let Some(e) = write_err {
        return Err(format!("writing the TSV: {e}"));
    }
    for (path, reason) in summary
        .rejected_list
        .iter()
        .chain(summary.failed_list.iter())
    {
        eprintln!("not stored: {}: {reason}", path.display());
    }
    debug_assert!(
        summary.imported + summary.duplicates + summary.rejected + summary.failed == summary.files
    );
    Ok(BenchReport {
        workers: opts.pipeline.workers.max(1),
        inference_threads: classifiers[0].threads(),
        batch_size: opts.pipeline.batch_size,
        summary,
        top1_hits: hits,
        named,
        peak_rss_mib: peak_rss_mib(),
        model,
        analyzers: analyzing.map(|a| a.times.into_inner().unwrap_or_else(|p| p.into_inner())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordnet_ids_come_from_sample_names() {
        assert_eq!(
            wnid_of(Path::new("/x/n01440764_tench.JPEG")),
            Some("n01440764")
        );
        assert_eq!(wnid_of(Path::new("holiday_1.jpg")), None);
        assert_eq!(wnid_of(Path::new("n0144076x_a.jpg")), None);
    }
}
