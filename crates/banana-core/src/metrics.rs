//! Process metrics in the Prometheus text format (version 0.0.4), without a global registry:
//! each [`App`] owns its counters, so several apps in one process (tests) do not mix.
//!
//! What is measured:
//! - HTTP: requests by method, route template and status; latency histogram by route.
//! - Uploads: bytes received and uploads by outcome.
//! - Labeling: jobs done/failed, images labeled, inference batch latency, and the delay from
//!   upload to label (the latency a user sees).
//! - At scrape time, from the database: jobs by state and the age of the oldest waiting job;
//!   from this process: model state, search index sizes, resident memory.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::models::ModelState;
use crate::{App, CoreError};

/// Upper bounds (seconds) of the latency buckets.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Upper bounds (seconds) of the upload-to-label delay buckets.
const DELAY_BUCKETS: [f64; 10] = [0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0];

/// A cumulative histogram with fixed buckets.
#[derive(Debug)]
pub struct Histogram {
    bounds: &'static [f64],
    counts: Vec<AtomicU64>,
    count: AtomicU64,
    sum_ns: AtomicU64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Self {
        Histogram {
            bounds,
            counts: bounds.iter().map(|_| AtomicU64::new(0)).collect(),
            count: AtomicU64::new(0),
            sum_ns: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        if let Some(i) = self.bounds.iter().position(|&b| secs <= b) {
            self.counts[i].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_ns.fetch_add(
            u64::try_from(d.as_nanos()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
    }

    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        let mut cumulative = 0;
        for (bound, c) in self.bounds.iter().zip(&self.counts) {
            cumulative += c.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {cumulative}"
            );
        }
        let count = self.count();
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {count}");
        let sum = self.sum_ns.load(Ordering::Relaxed) as f64 / 1e9;
        let braces = |s: &str| {
            if s.is_empty() {
                String::new()
            } else {
                format!("{{{s}}}")
            }
        };
        let _ = writeln!(out, "{name}_sum{} {sum}", braces(labels));
        let _ = writeln!(out, "{name}_count{} {count}", braces(labels));
    }
}

/// How an upload ended, for `banana_uploads_total{outcome}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UploadOutcome {
    Created,
    Duplicate,
    Rejected,
    Failed,
}

impl UploadOutcome {
    fn as_str(self) -> &'static str {
        match self {
            UploadOutcome::Created => "created",
            UploadOutcome::Duplicate => "duplicate",
            UploadOutcome::Rejected => "rejected",
            UploadOutcome::Failed => "failed",
        }
    }
}

/// The metrics of one process.
#[derive(Debug)]
pub struct Metrics {
    /// (method, route, status) → count.
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    /// route → latency.
    latency: Mutex<BTreeMap<String, Histogram>>,
    upload_bytes: AtomicU64,
    uploads: Mutex<BTreeMap<UploadOutcome, u64>>,
    /// One labeling batch (reading and decoding the originals + classification).
    pub label_batch: Histogram,
    /// From an image's upload to its labels being stored.
    pub label_delay: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            requests: Mutex::default(),
            latency: Mutex::default(),
            upload_bytes: AtomicU64::new(0),
            uploads: Mutex::default(),
            label_batch: Histogram::new(&BUCKETS),
            label_delay: Histogram::new(&DELAY_BUCKETS),
        }
    }
}

impl Metrics {
    /// Count one HTTP request. `route` is the route template (`/api/v1/images/{id}`), never
    /// the raw path, so the number of series stays bounded.
    pub fn http_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        *self
            .requests
            .lock()
            .expect("metrics lock")
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        self.latency
            .lock()
            .expect("metrics lock")
            .entry(route.to_string())
            .or_insert_with(|| Histogram::new(&BUCKETS))
            .observe(elapsed);
    }

    /// Count an upload of `bytes` bytes (the file part) and how it ended.
    pub fn upload(&self, bytes: u64, outcome: UploadOutcome) {
        self.upload_bytes.fetch_add(bytes, Ordering::Relaxed);
        *self
            .uploads
            .lock()
            .expect("metrics lock")
            .entry(outcome)
            .or_default() += 1;
    }

    fn render_local(&self, out: &mut String) {
        header(
            out,
            "banana_http_requests_total",
            "counter",
            "HTTP requests by method, route template and status.",
        );
        for ((method, route, status), n) in self.requests.lock().expect("metrics lock").iter() {
            let _ = writeln!(
                out,
                "banana_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                escape(method),
                escape(route)
            );
        }
        header(
            out,
            "banana_http_request_duration_seconds",
            "histogram",
            "HTTP request latency by route template.",
        );
        for (route, h) in self.latency.lock().expect("metrics lock").iter() {
            h.render(
                out,
                "banana_http_request_duration_seconds",
                &format!("route=\"{}\"", escape(route)),
            );
        }
        header(
            out,
            "banana_upload_bytes_total",
            "counter",
            "Bytes of uploaded files received.",
        );
        let _ = writeln!(
            out,
            "banana_upload_bytes_total {}",
            self.upload_bytes.load(Ordering::Relaxed)
        );
        header(
            out,
            "banana_uploads_total",
            "counter",
            "Uploads by outcome.",
        );
        let uploads = self.uploads.lock().expect("metrics lock");
        for outcome in [
            UploadOutcome::Created,
            UploadOutcome::Duplicate,
            UploadOutcome::Rejected,
            UploadOutcome::Failed,
        ] {
            let n = uploads.get(&outcome).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "banana_uploads_total{{outcome=\"{}\"}} {n}",
                outcome.as_str()
            );
        }
        drop(uploads);
        header(
            out,
            "banana_label_batch_duration_seconds",
            "histogram",
            "Labeling: one batch (read the originals, decode them to preview pixels, classify).",
        );
        self.label_batch
            .render(out, "banana_label_batch_duration_seconds", "");
        header(
            out,
            "banana_label_delay_seconds",
            "histogram",
            "Labeling: from upload to labels stored, per image.",
        );
        self.label_delay
            .render(out, "banana_label_delay_seconds", "");
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Where a `/metrics` request arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsPort {
    /// `BANANA_LISTEN`, the address users reach (usually through a proxy, on the internet).
    Public,
    /// An operations address (`BANANA_METRICS_LISTEN`, `BANANA_WORKER_LISTEN`) kept on a
    /// private network.
    Ops,
}

impl App {
    /// Whether a `/metrics` request may read. The metrics show every account's upload activity
    /// and login failures, so:
    /// - with `BANANA_METRICS_TOKEN` set, only a request with that bearer token reads, on any
    ///   port (compared as SHA-256 digests, so in constant time); others get 401;
    /// - without it, the operations port serves everyone and the public port nobody (404, as if
    ///   there were no such endpoint).
    pub fn metrics_access(&self, port: MetricsPort, bearer: Option<&str>) -> Result<(), CoreError> {
        use sha2::{Digest, Sha256};
        match (&self.config.metrics_token, port) {
            (Some(token), _) => {
                let ok = bearer.is_some_and(|given| {
                    Sha256::digest(given.as_bytes()) == Sha256::digest(token.as_bytes())
                });
                if ok {
                    Ok(())
                } else {
                    Err(CoreError::Unauthorized)
                }
            }
            (None, MetricsPort::Ops) => Ok(()),
            (None, MetricsPort::Public) => Err(CoreError::NotFound("endpoint")),
        }
    }

    /// Everything `/metrics` shows, in the Prometheus text format.
    pub async fn render_metrics(&self) -> Result<String, CoreError> {
        use std::sync::atomic::Ordering::Relaxed;
        let mut out = String::with_capacity(8192);
        self.metrics.render_local(&mut out);

        let w = &self.worker_stats;
        header(
            &mut out,
            "banana_label_jobs_total",
            "counter",
            "Labeling jobs finished by this process, by result.",
        );
        let _ = writeln!(
            out,
            "banana_label_jobs_total{{result=\"done\"}} {}",
            w.jobs_done.load(Relaxed)
        );
        let _ = writeln!(
            out,
            "banana_label_jobs_total{{result=\"failed\"}} {}",
            w.jobs_failed.load(Relaxed)
        );
        header(
            &mut out,
            "banana_images_labeled_total",
            "counter",
            "Images labeled by this process.",
        );
        let _ = writeln!(
            out,
            "banana_images_labeled_total {}",
            w.images_labeled.load(Relaxed)
        );

        let stats = banana_db::jobs::stats(&self.db).await?;
        header(
            &mut out,
            "banana_jobs",
            "gauge",
            "Jobs in the queue (whole cluster) by kind and state.",
        );
        for s in &stats {
            let _ = writeln!(
                out,
                "banana_jobs{{kind=\"{}\",state=\"{}\"}} {}",
                escape(&s.kind),
                escape(&s.state),
                s.count
            );
        }
        header(
            &mut out,
            "banana_job_oldest_waiting_seconds",
            "gauge",
            "Age of the oldest queued or running job (0 when none).",
        );
        let oldest = stats
            .iter()
            .filter(|s| s.state == "queued" || s.state == "running")
            .filter_map(|s| s.oldest_age_ms)
            .max()
            .unwrap_or(0);
        let _ = writeln!(
            out,
            "banana_job_oldest_waiting_seconds {}",
            oldest as f64 / 1000.0
        );

        header(
            &mut out,
            "banana_model_state",
            "gauge",
            "1 for the state the classifier is in (missing, loading, ready, failed).",
        );
        let current = match self.models.state() {
            ModelState::Missing { .. } => "missing",
            ModelState::Loading { .. } => "loading",
            ModelState::Ready => "ready",
            ModelState::Failed { .. } => "failed",
        };
        for state in ["missing", "loading", "ready", "failed"] {
            let _ = writeln!(
                out,
                "banana_model_state{{model=\"classifier\",state=\"{state}\"}} {}",
                u8::from(state == current)
            );
        }
        header(
            &mut out,
            "banana_text_model_loaded",
            "gauge",
            "1 when the sentence embedder for search is loaded.",
        );
        let _ = writeln!(
            out,
            "banana_text_model_loaded {}",
            u8::from(self.search.text().is_some())
        );
        let (semantic, features) = self.search.len();
        header(
            &mut out,
            "banana_search_index_vectors",
            "gauge",
            "Vectors held by this process's search indexes.",
        );
        let _ = writeln!(
            out,
            "banana_search_index_vectors{{index=\"semantic\"}} {semantic}"
        );
        let _ = writeln!(
            out,
            "banana_search_index_vectors{{index=\"features\"}} {features}"
        );
        header(
            &mut out,
            "banana_process_resident_memory_bytes",
            "gauge",
            "Resident memory of this process.",
        );
        let _ = writeln!(
            out,
            "banana_process_resident_memory_bytes {}",
            (crate::models::rss_mib() * 1024.0 * 1024.0) as u64
        );
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let h = Histogram::new(&BUCKETS);
        h.observe(Duration::from_micros(500));
        h.observe(Duration::from_millis(20));
        h.observe(Duration::from_secs(60));
        let mut out = String::new();
        h.render(&mut out, "x", "route=\"/a\"");
        assert!(
            out.contains("x_bucket{route=\"/a\",le=\"0.001\"} 1\n"),
            "{out}"
        );
        assert!(
            out.contains("x_bucket{route=\"/a\",le=\"0.025\"} 2\n"),
            "{out}"
        );
        assert!(
            out.contains("x_bucket{route=\"/a\",le=\"30\"} 2\n"),
            "{out}"
        );
        assert!(
            out.contains("x_bucket{route=\"/a\",le=\"+Inf\"} 3\n"),
            "{out}"
        );
        assert!(out.contains("x_count{route=\"/a\"} 3\n"), "{out}");
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
