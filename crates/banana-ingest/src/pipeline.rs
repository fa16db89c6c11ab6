//! The ingest pipeline: stages overlapped on all cores, connected by bounded queues so memory
//! stays bounded whatever the number of files.
//!
//! ```text
//! walk + read + SHA-256 (1 thread)
//!   → decode + derive + preprocess (N workers)
//!   → batched inference (1 thread, ONNX Runtime with its own intra-op threads)
//!   → store (the calling thread, through a [`Sink`])
//! ```
//!
//! A file that is refused early (unreadable, too large, already stored, undecodable) travels
//! down the same queues as a finished result, so every file gets exactly one [`FileResult`],
//! delivered on the calling thread.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use banana_media::{Derived, Limits};
use banana_vision::preprocess::{preprocess_into, INPUT_LEN};
use banana_vision::{Classifier, Prediction};
use crossbeam_channel::{bounded, Receiver, Sender};
use sha2::{Digest, Sha256};

use crate::stats::Histogram;

/// File name extensions the folder walk picks up (case-insensitive).
pub const IMAGE_EXTENSIONS: [&str; 8] = ["jpg", "jpeg", "png", "webp", "gif", "tif", "tiff", "bmp"];

/// How the pipeline runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Threads decoding and deriving (default: the number of cores).
    pub decode_workers: usize,
    /// Images per inference run (inference does not wait to fill a batch).
    pub batch_size: usize,
    /// Capacity of each queue between stages, in files.
    pub queue_depth: usize,
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
            decode_workers: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            batch_size: 4,
            queue_depth: 4,
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
    pub fn named(&self) -> [(&'static str, &Histogram); 6] {
        [
            ("read+hash", &self.read_hash),
            ("decode", &self.decode),
            ("thumbnails", &self.thumbnails),
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

/// Work travelling between stages.
enum Work<T> {
    Item(T, FileResult),
    Done(FileResult),
}

struct Read {
    bytes: Vec<u8>,
}

struct Decoded {
    bytes: Vec<u8>,
    derived: Derived,
    input: Option<Vec<f32>>,
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

/// Reads, hashes and asks the sink about each file.
fn read_stage(
    files: impl Iterator<Item = Result<PathBuf, (PathBuf, String)>>,
    opts: &Options,
    sink: &dyn Sink,
    out: Sender<Work<Read>>,
) {
    for file in files {
        if opts
            .stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
        {
            break;
        }
        let work = match file {
            Err((path, e)) => Work::Done(rejected(result(path), format!("cannot read: {e}"))),
            Ok(path) => read_one(path, opts, sink),
        };
        if out.send(work).is_err() {
            break;
        }
    }
}

fn read_one(path: PathBuf, opts: &Options, sink: &dyn Sink) -> Work<Read> {
    let start = Instant::now();
    let mut r = result(path);
    match std::fs::metadata(&r.path) {
        Ok(m) if m.len() > opts.max_file_bytes => {
            r.bytes = m.len();
            return Work::Done(rejected(
                r,
                format!(
                    "file is {} bytes, over the limit of {}",
                    m.len(),
                    opts.max_file_bytes
                ),
            ));
        }
        Ok(_) => {}
        Err(e) => return Work::Done(rejected(r, format!("cannot read: {e}"))),
    }
    let bytes = match std::fs::read(&r.path) {
        Ok(b) => b,
        Err(e) => return Work::Done(rejected(r, format!("cannot read: {e}"))),
    };
    let sha256 = hex::encode(Sha256::digest(&bytes));
    r.bytes = bytes.len() as u64;
    r.timings.read_hash = Some(start.elapsed());
    match sink.existing(&sha256) {
        Ok(Some(existing)) => {
            r.sha256 = Some(sha256);
            r.outcome = Outcome::Duplicate { existing };
            return Work::Done(r);
        }
        Ok(None) => {}
        Err(e) => {
            r.sha256 = Some(sha256);
            r.outcome = Outcome::Failed {
                reason: format!("duplicate check failed: {e}"),
            };
            return Work::Done(r);
        }
    }
    r.sha256 = Some(sha256);
    Work::Item(Read { bytes }, r)
}

/// Decodes, derives the preview and thumbnail, and preprocesses for the classifier.
fn decode_stage(
    input: Receiver<Work<Read>>,
    out: Sender<Work<Decoded>>,
    limits: Limits,
    classify: bool,
) {
    for work in input {
        let next = match work {
            Work::Done(r) => Work::Done(r),
            Work::Item(Read { bytes }, mut r) => {
                match banana_media::process_timed(&bytes, &limits) {
                    Err(e) => Work::Done(rejected(r, e.to_string())),
                    Ok((derived, t)) => {
                        r.timings.decode = Some(t.decode);
                        r.timings.thumbnails = Some(t.derive);
                        let input = classify.then(|| {
                            let start = Instant::now();
                            let mut x = vec![0f32; INPUT_LEN];
                            preprocess_into(&derived.preview_rgb, &mut x);
                            r.timings.preprocess = Some(start.elapsed());
                            x
                        });
                        Work::Item(
                            Decoded {
                                bytes,
                                derived,
                                input,
                            },
                            r,
                        )
                    }
                }
            }
        };
        if out.send(next).is_err() {
            break;
        }
    }
}

type Classified = (Decoded, Option<Prediction>);

/// Runs the classifier on batches of whatever is ready.
fn inference_stage(
    input: Receiver<Work<Decoded>>,
    out: Sender<Work<Classified>>,
    classifier: Option<&Classifier>,
    batch_size: usize,
) {
    let mut batch: Vec<(Decoded, FileResult)> = Vec::with_capacity(batch_size);
    let mut flat: Vec<f32> = Vec::new();
    while let Ok(first) = input.recv() {
        let mut pending = vec![first];
        while pending.len() < batch_size {
            match input.try_recv() {
                Ok(w) => pending.push(w),
                Err(_) => break,
            }
        }
        for w in pending {
            match w {
                Work::Done(r) => {
                    if out.send(Work::Done(r)).is_err() {
                        return;
                    }
                }
                Work::Item(d, r) => batch.push((d, r)),
            }
        }
        if batch.is_empty() {
            continue;
        }
        let predictions = match classifier {
            None => None,
            Some(c) => {
                flat.clear();
                for (d, _) in &batch {
                    flat.extend_from_slice(d.input.as_deref().unwrap_or(&[]));
                }
                let start = Instant::now();
                let p = c.classify_preprocessed(&flat);
                let share = start.elapsed() / batch.len() as u32;
                for (_, r) in batch.iter_mut() {
                    r.timings.inference = Some(share);
                }
                Some(p)
            }
        };
        let mut preds: Vec<Option<Prediction>> = match predictions {
            Some(Ok(p)) => p.into_iter().map(Some).collect(),
            Some(Err(e)) => {
                // A runtime failure is not the file's fault: store without labels.
                eprintln!("banana-ingest: inference failed: {e}");
                vec![None; batch.len()]
            }
            None => vec![None; batch.len()],
        };
        preds.resize(batch.len(), None);
        for ((mut d, r), p) in batch.drain(..).zip(preds) {
            d.input = None;
            if out.send(Work::Item((d, p), r)).is_err() {
                return;
            }
        }
    }
}

/// Runs the pipeline over `files`, storing through `sink`, and calls `on_result` for every file
/// on the calling thread, as results arrive. Each classifier runs in its own inference thread
/// (one per core, one intra-op thread each, is the fastest on small machines); an empty slice
/// skips preprocessing and inference.
pub fn run(
    files: impl Iterator<Item = Result<PathBuf, (PathBuf, String)>> + Send,
    opts: &Options,
    classifiers: &[Classifier],
    sink: &dyn Sink,
    on_result: &mut dyn FnMut(&FileResult),
) -> RunSummary {
    let start = Instant::now();
    let depth = opts.queue_depth.max(1);
    let workers = opts.decode_workers.max(1);
    let batch_size = opts.batch_size.max(1);
    let (read_tx, read_rx) = bounded::<Work<Read>>(depth.max(workers));
    let (dec_tx, dec_rx) = bounded::<Work<Decoded>>(depth.max(batch_size));
    let (inf_tx, inf_rx) = bounded::<Work<Classified>>(depth.max(batch_size));
    let mut summary = RunSummary::default();
    std::thread::scope(|s| {
        s.spawn(move || read_stage(files, opts, sink, read_tx));
        for _ in 0..workers {
            let (rx, tx) = (read_rx.clone(), dec_tx.clone());
            let limits = opts.limits;
            let classify = !classifiers.is_empty();
            s.spawn(move || decode_stage(rx, tx, limits, classify));
        }
        drop((read_rx, dec_tx));
        if classifiers.is_empty() {
            s.spawn(move || inference_stage(dec_rx, inf_tx, None, batch_size));
        } else {
            for c in classifiers {
                let (rx, tx) = (dec_rx.clone(), inf_tx.clone());
                s.spawn(move || inference_stage(rx, tx, Some(c), batch_size));
            }
            drop((dec_rx, inf_tx));
        }
        for work in inf_rx {
            let r = match work {
                Work::Done(r) => r,
                Work::Item((d, prediction), mut r) => {
                    let t = Instant::now();
                    let prepared = Prepared {
                        path: r.path.clone(),
                        sha256: r.sha256.clone().unwrap_or_default(),
                        bytes: d.bytes,
                        derived: d.derived,
                    };
                    r.outcome = match sink.store(prepared, prediction.as_ref()) {
                        Ok(o) => o,
                        Err(reason) => Outcome::Failed { reason },
                    };
                    r.timings.store = Some(t.elapsed());
                    r.prediction = prediction;
                    r
                }
            };
            summary.add(&r);
            on_result(&r);
        }
    });
    summary.wall = start.elapsed();
    summary
}
