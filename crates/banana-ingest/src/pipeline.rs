//! The ingest pipeline: one worker per core, each running the whole chain for the files it
//! takes, so every core is busy with exactly one thread and an image's pixels stay in that
//! core's caches from decode to inference.
//!
//! ```text
//! files (a lazy walk, shared) ─┬─ worker 1: read + SHA-256 → duplicate? → decode (DCT-scaled)
//!                              │            → preview + thumbnail → model input ─┐ × batch
//!                              │            → inference (its own ONNX Runtime session,
//!                              │              one thread) → store → result ──────┐
//!                              └─ worker N: … the same …                          ├→ caller
//! ```
//!
//! The stages of different files overlap across the cores (one worker decodes while the other
//! runs the network); a stage design with queues between thread pools did the same work with
//! more threads than cores and was slower on small machines. Memory is bounded by
//! workers × batch files in flight, whatever the number of files: the walk is lazy and the
//! result queue is bounded.
//!
//! A file that is refused early (unreadable, too large, already stored, undecodable) gets its
//! result at once, so every file gets exactly one [`FileResult`], delivered on the calling
//! thread.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use std::sync::Mutex;

use banana_media::metadata::{read_metadata, PhotoMetadata};
use banana_media::{Derived, Limits};
use banana_vision::preprocess::{preprocess_into, INPUT_LEN};
use banana_vision::{Classifier, Prediction};
use crossbeam_channel::{bounded, Sender};
use sha2::{Digest, Sha256};

use crate::stats::Histogram;

/// File name extensions the folder walk picks up (case-insensitive).
pub const IMAGE_EXTENSIONS: [&str; 11] = [
    "jpg", "jpeg", "png", "webp", "gif", "tif", "tiff", "bmp", "heic", "heif", "avif",
];

/// How the pipeline runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Workers, each running the whole chain on its own thread (default: the number of cores).
    pub workers: usize,
    /// Images a worker prepares before one inference run over them (1: no batching; with one
    /// ONNX Runtime thread per worker, larger batches are not faster on CPU).
    pub batch_size: usize,
    /// Header limits (pixel count) applied before decoding.
    pub limits: Limits,
    /// Files larger than this are refused without being read.
    pub max_file_bytes: u64,
    /// Only files with these extensions are picked up by the folder walk; `None` takes all.
    pub extensions: Option<Vec<String>>,
    /// Set to stop starting new files; files already read finish.
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            workers: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            batch_size: 1,
            limits: Limits::default(),
            max_file_bytes: 50 << 20,
            extensions: Some(IMAGE_EXTENSIONS.iter().map(|s| s.to_string()).collect()),
            stop: None,
        }
    }
}

/// One file, decoded and derived, ready to be stored.
pub struct Prepared {
    pub path: PathBuf,
    pub sha256: String,
    pub bytes: Vec<u8>,
    pub derived: Derived,
    /// What the file says about itself, and the place its GPS position is in.
    pub metadata: PhotoMetadata,
    pub place: Option<banana_places::Place>,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Stored under this id.
    Imported { id: String },
    /// The same content was already stored (under this id).
    Duplicate { existing: String },
    /// The file is not an acceptable image (or could not be read): why.
    Rejected { reason: String },
    /// The file was fine but storing it failed: why.
    Failed { reason: String },
}

/// Milliseconds each stage spent on one file (`None`: the stage did not run).
#[derive(Debug, Clone, Copy, Default)]
pub struct FileTimings {
    pub read_hash: Option<Duration>,
    pub decode: Option<Duration>,
    pub thumbnails: Option<Duration>,
    /// EXIF/XMP read and the place lookup.
    pub metadata: Option<Duration>,
    pub preprocess: Option<Duration>,
    /// This file's share of its batch's inference time.
    pub inference: Option<Duration>,
    pub store: Option<Duration>,
}

/// The result for one file.
#[derive(Debug, Clone)]
pub struct FileResult {
    pub path: PathBuf,
    pub sha256: Option<String>,
    /// Size of the file in bytes (0 when it could not be read).
    pub bytes: u64,
    pub outcome: Outcome,
    /// The classifier's answer, when a classifier ran on this file.
    pub prediction: Option<Prediction>,
    pub timings: FileTimings,
}

/// Where prepared files go. Implementations: [`crate::LocalSink`] (a content-addressed folder),
/// and a sink over Banana's core service once it can commit prepared uploads.
pub trait Sink: Sync {
    /// The id of an already stored file with this content, if any (checked before decoding).
    fn existing(&self, sha256: &str) -> Result<Option<String>, String> {
        let _ = sha256;
        Ok(None)
    }

    /// Stores one prepared file with its labels. Returns [`Outcome::Imported`] or
    /// [`Outcome::Duplicate`]; an `Err` becomes [`Outcome::Failed`].
    fn store(&self, item: Prepared, prediction: Option<&Prediction>) -> Result<Outcome, String>;
}

/// Counts and per-stage timing of a whole run.
#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    pub files: u64,
    pub imported: u64,
    pub duplicates: u64,
    /// Files refused, with the reason (capped at [`MAX_LISTED`] entries; `rejected` counts all).
    pub rejected: u64,
    pub rejected_list: Vec<(PathBuf, String)>,
    pub failed: u64,
    pub failed_list: Vec<(PathBuf, String)>,
    /// Bytes of the files read.
    pub bytes: u64,
    pub wall: Duration,
    pub stages: StageStats,
}

/// How many rejected/failed files a [`RunSummary`] lists by name.
pub const MAX_LISTED: usize = 10_000;

/// Histograms of the per-file stage times.
#[derive(Debug, Clone, Default)]
pub struct StageStats {
    pub read_hash: Histogram,
    pub decode: Histogram,
    pub thumbnails: Histogram,
    pub metadata: Histogram,
    pub preprocess: Histogram,
    pub inference: Histogram,
    pub store: Histogram,
}

impl StageStats {
    fn record(&mut self, t: &FileTimings) {
        let pairs = [
            (&mut self.read_hash, t.read_hash),
            (&mut self.decode, t.decode),
            (&mut self.thumbnails, t.thumbnails),
            (&mut self.metadata, t.metadata),
            (&mut self.preprocess, t.preprocess),
            (&mut self.inference, t.inference),
            (&mut self.store, t.store),
        ];
        for (h, d) in pairs {
            if let Some(d) = d {
                h.record(d);
            }
        }
    }

    /// `(stage name, histogram)` in pipeline order.
    pub fn named(&self) -> [(&'static str, &Histogram); 7] {
        [
            ("read+hash", &self.read_hash),
            ("decode", &self.decode),
            ("thumbnails", &self.thumbnails),
            ("metadata", &self.metadata),
            ("preprocess", &self.preprocess),
            ("inference", &self.inference),
            ("store", &self.store),
        ]
    }
}

impl RunSummary {
    fn add(&mut self, r: &FileResult) {
        self.files += 1;
        self.bytes += r.bytes;
        self.stages.record(&r.timings);
        match &r.outcome {
            Outcome::Imported { .. } => self.imported += 1,
            Outcome::Duplicate { .. } => self.duplicates += 1,
            Outcome::Rejected { reason } => {
                self.rejected += 1;
                if self.rejected_list.len() < MAX_LISTED {
                    self.rejected_list.push((r.path.clone(), reason.clone()));
                }
            }
            Outcome::Failed { reason } => {
                self.failed += 1;
                if self.failed_list.len() < MAX_LISTED {
                    self.failed_list.push((r.path.clone(), reason.clone()));
                }
            }
        }
    }

    /// Files per second over the run (all outcomes).
    pub fn files_per_s(&self) -> f64 {
        self.files as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// The files under `roots` (files given directly are taken as they are, folders are walked
/// recursively in name order, hidden entries skipped), filtered by extension. Lazy: a huge tree
/// is never listed in memory at once.
pub fn walk_files<'a>(
    roots: &'a [PathBuf],
    extensions: Option<&'a [String]>,
) -> impl Iterator<Item = Result<PathBuf, (PathBuf, String)>> + 'a {
    let wanted = move |p: &Path| match extensions {
        None => true,
        Some(exts) => p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.iter().any(|x| x.eq_ignore_ascii_case(e))),
    };
    roots.iter().flat_map(move |root| {
        walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.'))
            })
            .filter_map(move |entry| match entry {
                Ok(e) if e.file_type().is_file() && (e.depth() == 0 || wanted(e.path())) => {
                    Some(Ok(e.into_path()))
                }
                Ok(_) => None,
                Err(err) => Some(Err((
                    err.path().unwrap_or(root).to_path_buf(),
                    err.to_string(),
                ))),
            })
    })
}

fn result(path: PathBuf) -> FileResult {
    FileResult {
        path,
        sha256: None,
        bytes: 0,
        outcome: Outcome::Rejected {
            reason: String::new(),
        },
        prediction: None,
        timings: FileTimings::default(),
    }
}

fn rejected(mut r: FileResult, reason: String) -> FileResult {
    r.outcome = Outcome::Rejected { reason };
    r
}

/// Reads and hashes one file and asks the sink about it: `Ok` with the bytes when it is new,
/// `Err` with its finished result otherwise.
fn read_one(
    path: PathBuf,
    opts: &Options,
    sink: &dyn Sink,
) -> Result<(Vec<u8>, FileResult), Box<FileResult>> {
    let start = Instant::now();
    let mut r = result(path);
    match std::fs::metadata(&r.path) {
        Ok(m) if m.len() > opts.max_file_bytes => {
            r.bytes = m.len();
            return Err(Box::new(rejected(
                r,
                format!(
                    "file is {} bytes, over the limit of {}",
                    m.len(),
                    opts.max_file_bytes
                ),
            )));
        }
        Ok(_) => {}
        Err(e) => return Err(Box::new(rejected(r, format!("cannot read: {e}")))),
    }
    let bytes = match std::fs::read(&r.path) {
        Ok(b) => b,
        Err(e) => return Err(Box::new(rejected(r, format!("cannot read: {e}")))),
    };
    let sha256 = hex::encode(Sha256::digest(&bytes));
    r.bytes = bytes.len() as u64;
    r.timings.read_hash = Some(start.elapsed());
    let existing = sink.existing(&sha256);
    r.sha256 = Some(sha256);
    match existing {
        Ok(Some(existing)) => {
            r.outcome = Outcome::Duplicate { existing };
            Err(Box::new(r))
        }
        Ok(None) => Ok((bytes, r)),
        Err(e) => {
            r.outcome = Outcome::Failed {
                reason: format!("duplicate check failed: {e}"),
            };
            Err(Box::new(r))
        }
    }
}

/// One file ready for inference and storing.
struct Ready {
    bytes: Vec<u8>,
    derived: Derived,
    metadata: PhotoMetadata,
    place: Option<banana_places::Place>,
    result: FileResult,
}

/// Decodes and derives one read file; `Err` with its result when it is not an acceptable image.
fn prepare_one(
    bytes: Vec<u8>,
    mut r: FileResult,
    limits: &Limits,
) -> Result<Ready, Box<FileResult>> {
    match banana_media::process_timed(&bytes, limits) {
        Err(e) => Err(Box::new(rejected(r, e.to_string()))),
        Ok((derived, t)) => {
            r.timings.decode = Some(t.decode);
            r.timings.thumbnails = Some(t.derive);
            let start = Instant::now();
            let metadata = read_metadata(&bytes);
            let place = metadata
                .gps
                .and_then(|g| banana_places::lookup(g.lat, g.lon));
            r.timings.metadata = Some(start.elapsed());
            Ok(Ready {
                bytes,
                derived,
                metadata,
                place,
                result: r,
            })
        }
    }
}

/// What one worker shares with the others.
struct Shared<'a, I> {
    files: Mutex<I>,
    opts: &'a Options,
    sink: &'a dyn Sink,
}

impl<I: Iterator<Item = Result<PathBuf, (PathBuf, String)>>> Shared<'_, I> {
    fn stopped(&self) -> bool {
        self.opts
            .stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
    }

    /// The next file to work on, unless the run was stopped or the walk is over.
    fn next_file(&self) -> Option<Result<PathBuf, (PathBuf, String)>> {
        if self.stopped() {
            return None;
        }
        self.files.lock().unwrap_or_else(|p| p.into_inner()).next()
    }

    /// Runs the whole chain on files until there are none left (or the run is stopped), and
    /// sends each file's result to `results`.
    fn work(&self, classifier: Option<&Classifier>, results: Sender<FileResult>) {
        let batch_size = self.opts.batch_size.max(1);
        let mut batch: Vec<Ready> = Vec::with_capacity(batch_size);
        let mut input: Vec<f32> = Vec::new();
        loop {
            let mut more = true;
            while batch.len() < batch_size {
                let Some(file) = self.next_file() else {
                    more = false;
                    break;
                };
                let ready = match file {
                    Err((path, e)) => Err(Box::new(rejected(
                        result(path),
                        format!("cannot read: {e}"),
                    ))),
                    Ok(path) => read_one(path, self.opts, self.sink)
                        .and_then(|(bytes, r)| prepare_one(bytes, r, &self.opts.limits)),
                };
                match ready {
                    Ok(ready) => batch.push(ready),
                    Err(done) => {
                        if results.send(*done).is_err() {
                            return;
                        }
                    }
                }
            }
            if !batch.is_empty() {
                let predictions = classify(classifier, &mut batch, &mut input);
                for (ready, prediction) in batch.drain(..).zip(predictions) {
                    if results.send(self.store(ready, prediction)).is_err() {
                        return;
                    }
                }
            }
            if !more {
                return;
            }
        }
    }

    fn store(&self, ready: Ready, prediction: Option<Prediction>) -> FileResult {
        let Ready {
            bytes,
            derived,
            metadata,
            place,
            mut result,
        } = ready;
        let t = Instant::now();
        let prepared = Prepared {
            path: result.path.clone(),
            sha256: result.sha256.clone().unwrap_or_default(),
            bytes,
            derived,
            metadata,
            place,
        };
        result.outcome = match self.sink.store(prepared, prediction.as_ref()) {
            Ok(o) => o,
            Err(reason) => Outcome::Failed { reason },
        };
        result.timings.store = Some(t.elapsed());
        result.prediction = prediction;
        result
    }
}

/// Preprocesses the batch's previews into `input` and runs the classifier once over them.
fn classify(
    classifier: Option<&Classifier>,
    batch: &mut [Ready],
    input: &mut Vec<f32>,
) -> Vec<Option<Prediction>> {
    let Some(c) = classifier else {
        return vec![None; batch.len()];
    };
    input.resize(batch.len() * INPUT_LEN, 0.0);
    for (ready, slot) in batch.iter_mut().zip(input.chunks_exact_mut(INPUT_LEN)) {
        let start = Instant::now();
        // The preview's pixels as resized, before JPEG encoding: no second decode, and for
        // photos up to 1280 px the same pixels the Python reference classifies.
        preprocess_into(&ready.derived.preview_rgb, slot);
        ready.result.timings.preprocess = Some(start.elapsed());
    }
    let start = Instant::now();
    let predictions = c.classify_preprocessed(input);
    let share = start.elapsed() / batch.len() as u32;
    for ready in batch.iter_mut() {
        ready.result.timings.inference = Some(share);
    }
    match predictions {
        Ok(p) if p.len() == batch.len() => p.into_iter().map(Some).collect(),
        Ok(p) => {
            eprintln!(
                "banana-ingest: inference gave {} results for {} images",
                p.len(),
                batch.len()
            );
            vec![None; batch.len()]
        }
        Err(e) => {
            // A runtime failure is not the files' fault: they are stored without labels.
            eprintln!("banana-ingest: inference failed: {e}");
            vec![None; batch.len()]
        }
    }
}

/// Every file allocates a few buffers of megabytes (the file, the decoded pixels, the preview).
/// glibc's malloc gives such blocks back to the kernel when they are freed, so each one is
/// page-faulted in again for the next file: a third of the kernel time of a 12 MP import. Keep
/// them mapped instead (blocks up to 64 MiB come from the heap, which is trimmed only above
/// 256 MiB free). Process-wide and idempotent; glibc only.
fn keep_large_buffers_mapped() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            extern "C" {
                fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
            }
            const M_TRIM_THRESHOLD: std::ffi::c_int = -1;
            const M_MMAP_THRESHOLD: std::ffi::c_int = -3;
            // SAFETY: mallopt only changes allocator tuning parameters; it is thread-safe.
            unsafe {
                mallopt(M_MMAP_THRESHOLD, 64 << 20);
                mallopt(M_TRIM_THRESHOLD, 256 << 20);
            }
        });
    }
}

/// Runs the pipeline over `files`, storing through `sink`, and calls `on_result` for every file
/// on the calling thread, as results arrive. `opts.workers` workers run the whole chain each;
/// worker `i` classifies with `classifiers[i % len]` (give one classifier with one intra-op
/// thread per worker: sessions are not shared then). An empty slice skips preprocessing and
/// inference.
pub fn run(
    files: impl Iterator<Item = Result<PathBuf, (PathBuf, String)>> + Send,
    opts: &Options,
    classifiers: &[Classifier],
    sink: &dyn Sink,
    on_result: &mut dyn FnMut(&FileResult),
) -> RunSummary {
    let start = Instant::now();
    keep_large_buffers_mapped();
    let workers = opts.workers.max(1);
    let (tx, rx) = bounded::<FileResult>(workers * opts.batch_size.max(1) * 2);
    let shared = Shared {
        files: Mutex::new(files),
        opts,
        sink,
    };
    let mut summary = RunSummary::default();
    std::thread::scope(|s| {
        for i in 0..workers {
            let (shared, results) = (&shared, tx.clone());
            let classifier = (!classifiers.is_empty()).then(|| &classifiers[i % classifiers.len()]);
            s.spawn(move || shared.work(classifier, results));
        }
        // The workers hold the only senders now: the loop ends when the last one finishes.
        drop(tx);
        for r in rx.iter() {
            summary.add(&r);
            on_result(&r);
        }
    });
    summary.wall = start.elapsed();
    summary
}
