//! The import client: uploads a folder tree to a Banana server over its HTTP API.
//!
//! Before the first upload the client asks who the token belongs to (`GET /api/v1/me`) and
//! lists that account's images (`GET /api/v1/images`, page by page) for their SHA-256. Each file
//! is hashed; a file whose content the account already has is skipped without being sent, so a
//! second run over the same folder uploads nothing. Otherwise it is sent as one multipart
//! `POST /api/v1/images`; `201` is an import, `409` a duplicate (a concurrent or earlier upload
//! of the same bytes), other `4xx` a rejection with the server's message. Uploads run
//! `parallel` at a time. After Ctrl-C no new upload starts; the ones in flight finish (the
//! server commits an upload whole or not at all).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use sha2::{Digest, Sha256};

use crate::pipeline::{walk_files, IMAGE_EXTENSIONS};
use crate::progress::Progress;

/// How [`import_http_with`] runs.
#[derive(Debug, Clone)]
pub struct HttpImportOptions {
    /// Base URL of the server, e.g. `http://127.0.0.1:8000`.
    pub server_url: String,
    /// Bearer token (`Authorization: Bearer …`).
    pub token: Option<String>,
    /// Uploads in flight at once.
    pub parallel: usize,
    /// Extensions the folder walk picks up; `None` takes every file.
    pub extensions: Option<Vec<String>>,
    /// Set (e.g. by a Ctrl-C handler) to stop starting uploads.
    pub stop: Arc<AtomicBool>,
    /// Install a Ctrl-C handler that sets `stop`.
    pub handle_ctrl_c: bool,
    pub title: Option<String>,
    pub attribution: Option<String>,
    pub visibility: Option<String>,
}

impl HttpImportOptions {
    pub fn new(server_url: &str) -> Self {
        HttpImportOptions {
            server_url: server_url.trim_end_matches('/').to_string(),
            token: None,
            parallel: 4,
            extensions: Some(IMAGE_EXTENSIONS.iter().map(|s| s.to_string()).collect()),
            stop: Arc::new(AtomicBool::new(false)),
            handle_ctrl_c: true,
            title: None,
            attribution: None,
            visibility: None,
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    /// `(file, new image id)`.
    pub imported: Vec<(PathBuf, String)>,
    /// `(file, existing image id when the server said)`.
    pub duplicates: Vec<(PathBuf, Option<String>)>,
    /// `(file, reason)`: the file is not an acceptable image (the server's message).
    pub rejected: Vec<(PathBuf, String)>,
    /// `(file, reason)`: the upload failed for another reason (network, server error).
    pub failed: Vec<(PathBuf, String)>,
    /// Files not started because the import was stopped.
    pub not_started: u64,
    pub bytes: u64,
    pub wall: Duration,
    pub interrupted: bool,
}

/// Why an import could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("invalid server URL {0:?}")]
    BadUrl(String),
    #[error("HTTP client: {0}")]
    Client(String),
    #[error("{0}")]
    Server(String),
}

enum FileOutcome {
    Imported(String),
    Duplicate(Option<String>),
    Rejected(String),
    Failed(String),
}

/// Uploads every image file under `paths` to `server_url` with `parallel` uploads in flight,
/// calling `progress` after each file. See the module documentation.
pub async fn import_http(
    paths: &[PathBuf],
    server_url: &str,
    token: Option<&str>,
    parallel: usize,
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<ImportSummary, ImportError> {
    let mut opts = HttpImportOptions::new(server_url);
    opts.token = token.map(str::to_string);
    opts.parallel = parallel;
    import_http_with(paths, &opts, progress).await
}

/// [`import_http`] with every option.
pub async fn import_http_with(
    paths: &[PathBuf],
    opts: &HttpImportOptions,
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<ImportSummary, ImportError> {
    let base = opts.server_url.trim_end_matches('/').to_string();
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(ImportError::BadUrl(base));
    }
    let client = reqwest::Client::builder()
        .build()
        .map_err(|e| ImportError::Client(e.to_string()))?;
    if opts.handle_ctrl_c {
        let stop = opts.stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("stopping: no new uploads; waiting for those in flight");
                stop.store(true, Ordering::SeqCst);
            }
        });
    }

    let known = known_images(&client, &base, opts.token.as_deref()).await?;
    let known = &known;

    // List first (sizes too), for totals and the ETA.
    let (files, listing_errors) = {
        let paths = paths.to_vec();
        let exts = opts.extensions.clone();
        tokio::task::spawn_blocking(move || {
            let (mut files, mut errors) = (Vec::new(), Vec::new());
            for f in walk_files(&paths, exts.as_deref()) {
                match f {
                    Ok(p) => {
                        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
                        files.push((p, len));
                    }
                    Err(e) => errors.push(e),
                }
            }
            (files, errors)
        })
        .await
        .map_err(|e| ImportError::Client(e.to_string()))?
    };

    let start = Instant::now();
    let mut summary = ImportSummary {
        rejected: listing_errors,
        ..ImportSummary::default()
    };
    let mut p = Progress {
        files_total: files.len() as u64,
        bytes_total: files.iter().map(|f| f.1).sum(),
        ..Progress::default()
    };
    let total = files.len() as u64;
    let stop = opts.stop.clone();
    let started = std::sync::atomic::AtomicU64::new(0);
    let results = futures::stream::iter(files)
        .take_while(|_| {
            let go = !stop.load(Ordering::SeqCst);
            async move { go }
        })
        .map(|(path, len)| {
            started.fetch_add(1, Ordering::Relaxed);
            let client = client.clone();
            let base = base.clone();
            async move {
                let outcome = upload_one(&client, &base, opts, known, &path).await;
                (path, len, outcome)
            }
        })
        .buffer_unordered(opts.parallel.max(1));
    let mut results = std::pin::pin!(results);
    while let Some((path, len, outcome)) = results.next().await {
        p.files_done += 1;
        p.bytes_done += len;
        summary.bytes += len;
        match outcome {
            FileOutcome::Imported(id) => {
                p.imported += 1;
                summary.imported.push((path, id));
            }
            FileOutcome::Duplicate(id) => {
                p.duplicates += 1;
                summary.duplicates.push((path, id));
            }
            FileOutcome::Rejected(r) => {
                p.rejected += 1;
                summary.rejected.push((path, r));
            }
            FileOutcome::Failed(r) => {
                p.failed += 1;
                summary.failed.push((path, r));
            }
        }
        p.elapsed = start.elapsed();
        progress(&p);
    }
    summary.not_started = total - started.load(Ordering::Relaxed);
    summary.interrupted = opts.stop.load(Ordering::SeqCst);
    summary.wall = start.elapsed();
    Ok(summary)
}

fn authorized(req: reqwest::RequestBuilder, token: Option<&str>) -> reqwest::RequestBuilder {
    match token {
        Some(t) => req.bearer_auth(t),
        None => req,
    }
}

/// The server's error message from `{"error": {"message": …}}`, else the status.
async fn error_message(resp: reqwest::Response) -> String {
    let status = resp.status();
    let body: Option<serde_json::Value> = resp.json().await.ok();
    body.as_ref()
        .and_then(|b| b.pointer("/error/message"))
        .and_then(|m| m.as_str())
        .map(|m| format!("{status}: {m}"))
        .unwrap_or_else(|| status.to_string())
}

/// The SHA-256 → id of every image the token's account owns.
async fn known_images(
    client: &reqwest::Client,
    base: &str,
    token: Option<&str>,
) -> Result<HashMap<String, String>, ImportError> {
    let get = |url: String| async move {
        let resp = authorized(client.get(&url), token)
            .send()
            .await
            .map_err(|e| ImportError::Client(format!("{url}: {e}")))?;
        if !resp.status().is_success() {
            let message = error_message(resp).await;
            return Err(ImportError::Server(format!("{url}: {message}")));
        }
        resp.json::<serde_json::Value>()
            .await
            .map_err(|e| ImportError::Server(format!("{url}: {e}")))
    };
    let me = get(format!("{base}/api/v1/me")).await?;
    let my_id = me
        .get("id")
        .and_then(|v| v.as_str())
        .ok_or_else(|| ImportError::Server("/api/v1/me has no user id".into()))?
        .to_string();
    let mut known = HashMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/api/v1/images?limit=100");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page = get(url).await?;
        for item in page
            .get("items")
            .and_then(|i| i.as_array())
            .into_iter()
            .flatten()
        {
            let owner = item.pointer("/owner/id").and_then(|v| v.as_str());
            let (Some(sha), Some(id)) = (
                item.get("sha256").and_then(|v| v.as_str()),
                item.get("id").and_then(|v| v.as_str()),
            ) else {
                continue;
            };
            if owner == Some(my_id.as_str()) {
                known.insert(sha.to_string(), id.to_string());
            }
        }
        match page.get("next_cursor").and_then(|c| c.as_str()) {
            Some(c) if cursor.as_deref() != Some(c) => cursor = Some(c.to_string()),
            _ => break,
        }
    }
    Ok(known)
}

async fn upload_one(
    client: &reqwest::Client,
    base: &str,
    opts: &HttpImportOptions,
    known: &HashMap<String, String>,
    path: &Path,
) -> FileOutcome {
    let bytes = match tokio::fs::read(path).await {
        Ok(b) => b,
        Err(e) => return FileOutcome::Rejected(format!("cannot read: {e}")),
    };
    let (bytes, sha256) = match tokio::task::spawn_blocking(move || {
        let sha = hex::encode(Sha256::digest(&bytes));
        (bytes, sha)
    })
    .await
    {
        Ok(v) => v,
        Err(e) => return FileOutcome::Failed(e.to_string()),
    };
    let token = opts.token.as_deref();
    if let Some(id) = known.get(&sha256) {
        return FileOutcome::Duplicate(Some(id.clone()));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "image".into());
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name),
    );
    let modified = crate::modified_ms(path).map(crate::rfc3339_ms);
    for (field, value) in [
        ("title", &opts.title),
        ("attribution", &opts.attribution),
        ("visibility", &opts.visibility),
        ("file_modified_at", &modified),
    ] {
        if let Some(v) = value {
            form = form.text(field, v.clone());
        }
    }
    let req = authorized(client.post(format!("{base}/api/v1/images")), token).multipart(form);
    let resp = match req.send().await {
        Ok(r) => r,
        Err(e) => return FileOutcome::Failed(format!("upload: {e}")),
    };
    let status = resp.status();
    if status.as_u16() == 201 || status.as_u16() == 200 {
        let body: serde_json::Value = resp.json().await.unwrap_or_default();
        let id = body
            .get("id")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        return FileOutcome::Imported(id);
    }
    if status.as_u16() == 409 {
        let body: serde_json::Value = resp.json().await.unwrap_or_default();
        let id = ["/error/image_id", "/error/existing_id", "/image_id", "/id"]
            .iter()
            .find_map(|p| body.pointer(p).and_then(|v| v.as_str()))
            .map(str::to_string);
        return FileOutcome::Duplicate(id);
    }
    let message = error_message(resp).await;
    if status.is_client_error() && status.as_u16() != 401 && status.as_u16() != 403 {
        FileOutcome::Rejected(message)
    } else {
        FileOutcome::Failed(message)
    }
}
