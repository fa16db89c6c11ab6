//! `banana import` end to end: the real binary on a folder of real photos and broken files,
//! directly into SQLite + a local folder, and over HTTP into a real `banana serve`.
//!
//! Needs `../shared/data/` and the models in `BANANA_MODELS_DIR` (default
//! `~/.cache/banana/models`); skipped with a message when either is missing, unless
//! `BANANA_TEST_REQUIRE_ALL=1`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use banana_core::access::Viewer;
use banana_core::{App, Config};
use common::{text, PASSWORD};

/// Shared data and models present (else the test is skipped).
fn prerequisites() -> Option<PathBuf> {
    let data = common::shared_data()?;
    common::need_models()?;
    Some(data)
}

/// A scratch installation: its own data folder (SQLite + local objects).
struct Install {
    dir: tempfile::TempDir,
}

impl Install {
    fn new() -> Install {
        Install {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn objects(&self) -> PathBuf {
        self.data().join("objects")
    }

    /// The real binary with this installation's environment (and nothing from the caller's
    /// that would point it elsewhere).
    fn banana(&self) -> Command {
        let mut c = common::banana(&self.data());
        c.current_dir(self.dir.path()).env("RUST_LOG", "warn");
        c
    }

    fn create_user(&self, name: &str) {
        common::create_user(self.banana(), name, false);
    }

    fn import(&self, args: &[&str]) -> Output {
        self.banana().arg("import").args(args).output().unwrap()
    }

    /// Every object file under `objects/` with its modification time.
    fn object_files(&self) -> BTreeMap<PathBuf, SystemTime> {
        walk(&self.objects())
            .into_iter()
            .map(|p| {
                let t = std::fs::metadata(&p).unwrap().modified().unwrap();
                (p, t)
            })
            .collect()
    }

    /// SHA-256 of every stored original (from the content-addressed key).
    fn originals(&self) -> BTreeSet<String> {
        walk(&self.objects().join("originals"))
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    /// The rows: SHA-256 → (status, number of stored predictions: the classifier's top-5,
    /// whether or not it was sure enough to show a label), read through the core service.
    fn rows(&self) -> BTreeMap<String, (String, usize)> {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let app = App::build(Config::embedded(self.data()), false)
                .await
                .unwrap();
            let mut rows = BTreeMap::new();
            let mut cursor = None;
            loop {
                let page = app
                    .list_images(
                        &Viewer::System,
                        banana_core::images::ListRequest {
                            limit: Some(100),
                            cursor: cursor.clone(),
                            ..Default::default()
                        },
                    )
                    .await
                    .unwrap();
                for v in &page.items {
                    let v = serde_json::to_value(v).unwrap();
                    let labels = v["predictions"].as_array().map_or(0, |l| l.len());
                    rows.insert(
                        v["sha256"].as_str().unwrap().to_string(),
                        (v["status"].as_str().unwrap().to_string(), labels),
                    );
                }
                match page.next_cursor {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
            }
            app.db.close().await;
            rows
        })
    }

    /// Every row has its original, thumbnail and preview, and every object belongs to a row.
    fn assert_no_orphans(&self) {
        let rows: BTreeSet<String> = self.rows().into_keys().collect();
        assert_eq!(self.originals(), rows, "originals and rows differ");
        for kind in ["thumbnails", "previews"] {
            let names: BTreeSet<String> = walk(&self.objects().join(kind))
                .iter()
                .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
                .collect();
            assert_eq!(names, rows, "{kind} and rows differ");
        }
        for p in walk(&self.objects()) {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                !name.starts_with('.') && !name.contains("tmp"),
                "leftover temporary object {}",
                p.display()
            );
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// `(imported, duplicates, rejected, failed)` from the summary line.
fn counts(out: &Output) -> (usize, usize, usize, usize) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("imported "))
        .unwrap_or_else(|| panic!("no summary line\n{}", text(out)));
    let n: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(n.len(), 4, "{line}");
    (n[0], n[1], n[2], n[3])
}

/// The reason printed for a rejected file.
fn reason(out: &Output, file: &Path) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let prefix = format!("  rejected {}: ", file.display());
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{} not reported\n{}", file.display(), text(out)))
        .to_string()
}

/// A folder to import: `good` real photos (one in a sub-folder with a name full of spaces and
/// non-ASCII letters, one EXIF-rotated camera file), and beside them broken files that must be
/// reported: a truncated JPEG, a text file named `.jpg` and an empty `.jpg`. A `.txt` file is
/// not picked up at all.
struct Folder {
    _dir: tempfile::TempDir,
    root: PathBuf,
    good: usize,
    truncated: PathBuf,
    text: PathBuf,
    empty: PathBuf,
}

fn folder(data: &Path, good: usize) -> Folder {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("photos");
    let odd = root.join("Sommer 2024 – Grüße 猫");
    std::fs::create_dir_all(&odd).unwrap();
    let mut samples: Vec<PathBuf> = walk(&data.join("imagenet-sample"));
    samples.retain(|p| p.extension().is_some_and(|e| e == "JPEG"));
    assert!(samples.len() > good + 1);
    for p in &samples[..good - 2] {
        std::fs::copy(p, root.join(p.file_name().unwrap())).unwrap();
    }
    std::fs::copy(&samples[good - 2], odd.join("holiday photo #1 (ü).jpg")).unwrap();
    std::fs::copy(
        data.join("exif-samples/jpg/orientation/portrait_6.jpg"),
        root.join("portrait_6.jpg"),
    )
    .unwrap();
    let broken = root.join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    let whole = std::fs::read(&samples[good]).unwrap();
    let truncated = broken.join("truncated.jpg");
    std::fs::write(&truncated, &whole[..whole.len() * 2 / 3]).unwrap();
    let text = broken.join("notes.jpg");
    std::fs::write(&text, "this is not a photo\n").unwrap();
    let empty = odd.join("empty file.jpg");
    std::fs::write(&empty, b"").unwrap();
    std::fs::write(root.join("readme.txt"), "not picked up").unwrap();
    Folder {
        _dir: dir,
        root,
        good,
        truncated,
        text,
        empty,
    }
}

fn assert_broken_reported(out: &Output, f: &Folder) {
    assert!(
        reason(out, &f.truncated).contains("truncated"),
        "{}",
        text(out)
    );
    assert!(
        reason(out, &f.text).contains("not a supported image format"),
        "{}",
        text(out)
    );
    assert!(reason(out, &f.empty).contains("empty"), "{}", text(out));
}

#[test]
fn direct_import_stores_everything_once_and_reports_broken_files() {
    let Some(data) = prerequisites() else { return };
    let install = Install::new();
    install.create_user("alice");
    let f = folder(&data, 14);
    let root = f.root.to_str().unwrap();

    let first = install.import(&[root, "--owner", "alice"]);
    assert!(first.status.success(), "{}", text(&first));
    assert_eq!(counts(&first), (f.good, 0, 3, 0), "{}", text(&first));
    assert_broken_reported(&first, &f);
    let rows = install.rows();
    assert_eq!(rows.len(), f.good);
    // Labelled in the same pass: ready at once, with labels.
    for (sha, (status, labels)) in &rows {
        assert_eq!(status, "ready", "{sha}");
        assert_eq!(*labels, 5, "{sha} has no predictions");
    }
    install.assert_no_orphans();
    let objects = install.object_files();
    assert_eq!(objects.len(), 3 * f.good);

    // Again: everything is a duplicate, found by SHA-256 before decoding; nothing is written.
    let second = install.import(&[root, "--owner", "alice"]);
    assert!(second.status.success(), "{}", text(&second));
    assert_eq!(counts(&second), (0, f.good, 3, 0), "{}", text(&second));
    assert_eq!(install.rows(), rows);
    assert_eq!(install.object_files(), objects);
}

#[test]
fn reanalyze_backfills_what_is_missing_and_a_rerun_is_a_no_op() {
    let Some(data) = prerequisites() else { return };
    let install = Install::new();
    install.create_user("dave");
    let f = folder(&data, 4);
    let imported = install.import(&[f.root.to_str().unwrap(), "--owner", "dave"]);
    assert!(imported.status.success(), "{}", text(&imported));
    let reanalyze = |args: &[&str]| {
        install
            .banana()
            .arg("reanalyze")
            .args(args)
            .output()
            .unwrap()
    };

    // The import pipeline recorded the classifier's version with its labels; the OCR, face
    // and colour analyzers run after it (the import leaves them queued): one backfill runs
    // those three on every image, and then there is nothing to do.
    let later = reanalyze(&[]);
    assert!(later.status.success(), "{}", text(&later));
    assert!(
        text(&later).contains(&format!("reanalyzed {}, failed 0", 3 * f.good)),
        "{}",
        text(&later)
    );
    let current = reanalyze(&[]);
    assert!(current.status.success(), "{}", text(&current));
    assert!(
        text(&current).contains("nothing to do"),
        "{}",
        text(&current)
    );

    // As if the classifier had been added after the import: its records and labels are gone.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let app = App::build(Config::embedded(install.data()), false)
            .await
            .unwrap();
        for sql in [
            "DELETE FROM image_analyses WHERE analyzer = 'classifier'",
            "DELETE FROM image_labels",
            "UPDATE images SET status = 'failed'",
        ] {
            banana_core::db::raw::execute(&app.db, sql).await.unwrap();
        }
        app.db.close().await;
    });
    assert!(install.rows().values().all(|(_, labels)| *labels == 0));

    let backfill = reanalyze(&["--analyzer", "classifier"]);
    assert!(backfill.status.success(), "{}", text(&backfill));
    let out = text(&backfill);
    assert!(out.contains(&format!("queued {} images", f.good)), "{out}");
    assert!(
        out.contains(&format!("reanalyzed {}, failed 0", f.good)),
        "{out}"
    );
    for (sha, (status, labels)) in install.rows() {
        assert_eq!(status, "ready", "{sha}");
        assert_eq!(labels, 5, "{sha} has no predictions");
    }

    let rerun = reanalyze(&[]);
    assert!(rerun.status.success(), "{}", text(&rerun));
    assert!(text(&rerun).contains("nothing to do"), "{}", text(&rerun));

    let unknown = reanalyze(&["--analyzer", "nope"]);
    assert!(!unknown.status.success());
    assert!(text(&unknown).contains("classifier"), "{}", text(&unknown));
}

#[test]
fn ctrl_c_leaves_nothing_half_done_and_a_rerun_completes() {
    let Some(data) = prerequisites() else { return };
    let install = Install::new();
    install.create_user("carol");
    let f = folder(&data, 60);
    let root = f.root.to_str().unwrap();

    let child = install
        .banana()
        .args(["import", root, "--owner", "carol"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt as soon as the first image is stored.
    let deadline = Instant::now() + Duration::from_secs(120);
    while install.originals().is_empty() {
        assert!(Instant::now() < deadline, "no image was stored");
        std::thread::sleep(Duration::from_millis(5));
    }
    common::signal(child.id(), "INT");
    let first = child.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", text(&first));
    let (imported, _, _, failed) = counts(&first);
    assert_eq!(failed, 0);
    assert!(
        String::from_utf8_lossy(&first.stdout).contains("interrupted:"),
        "{}",
        text(&first)
    );
    assert!(imported < f.good, "{}", text(&first));
    assert_eq!(install.rows().len(), imported);
    install.assert_no_orphans();

    let second = install.import(&[root, "--owner", "carol"]);
    assert!(second.status.success(), "{}", text(&second));
    assert_eq!(
        counts(&second),
        (f.good - imported, imported, 3, 0),
        "{}",
        text(&second)
    );
    assert_eq!(install.rows().len(), f.good);
    install.assert_no_orphans();
}

/// `/metrics` is on the public port only for this bearer token.
const METRICS_TOKEN: &str = "import-test-metrics-token";

/// A `banana serve` of `install` on its own port (stopped when dropped), and its base URL.
async fn serve(install: &Install) -> (common::Proc, String) {
    let mut cmd = install.banana();
    cmd.arg("serve").env("BANANA_METRICS_TOKEN", METRICS_TOKEN);
    let log = install.dir.path().join("serve.log");
    let (proc, mut bases) = common::spawn_ready(cmd, log, &["BANANA_LISTEN"]).await;
    (proc, bases.remove(0))
}

/// `banana_uploads_total{outcome="…"}` from the server's metrics.
async fn uploads(http: &reqwest::Client, base: &str, outcome: &str) -> u64 {
    let metrics = http
        .get(format!("{base}/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert!(metrics.status().is_success(), "{}", metrics.status());
    let text = metrics.text().await.unwrap();
    common::metric(
        &text,
        &format!("banana_uploads_total{{outcome=\"{outcome}\"}}"),
    ) as u64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_over_http_uploads_each_file_once_and_reports_broken_files() {
    let Some(data) = prerequisites() else { return };
    let install = Install::new();
    install.create_user("bob");
    let (_server, base) = serve(&install).await;
    let http = reqwest::Client::new();
    let session = common::login(&http, &base, "bob").await.token;
    let created = http
        .post(format!("{base}/api/v1/tokens"))
        .bearer_auth(&session)
        .json(&serde_json::json!({"name": "import"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let token = created.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    // `banana import` runs to its end while the server answers it (another process).
    let import = |args: &[&str]| tokio::task::block_in_place(|| install.import(args));

    let f = folder(&data, 12);
    let root = f.root.to_str().unwrap();
    let args = [
        root,
        "--server",
        &base,
        "--token",
        &token,
        "--parallel",
        "3",
    ];
    let first = import(&args);
    assert!(first.status.success(), "{}", text(&first));
    assert_eq!(counts(&first), (f.good, 0, 3, 0), "{}", text(&first));
    assert_broken_reported(&first, &f);
    assert_eq!(uploads(&http, &base, "created").await, f.good as u64);

    let list = |token: String| {
        let (http, url) = (&http, format!("{base}/api/v1/images?limit=100"));
        async move {
            let page = common::get_json(http, &url, &token).await;
            let mut shas: Vec<String> = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["sha256"].as_str().unwrap().to_string())
                .collect();
            shas.sort();
            shas
        }
    };
    let stored = list(token.clone()).await;
    assert_eq!(stored.len(), f.good);

    // Again: every good file is skipped by SHA-256 without being sent (no upload reaches the
    // server, not even one answered 409); only the broken files are tried again.
    let second = import(&args);
    assert!(second.status.success(), "{}", text(&second));
    assert_eq!(counts(&second), (0, f.good, 3, 0), "{}", text(&second));
    assert_eq!(uploads(&http, &base, "created").await, f.good as u64);
    assert_eq!(uploads(&http, &base, "duplicate").await, 0);
    assert_eq!(list(token.clone()).await, stored);

    // A wrong token stops the import before anything is sent.
    let refused = import(&[root, "--server", &base, "--token", "nope"]);
    assert!(!refused.status.success(), "{}", text(&refused));
    assert_eq!(uploads(&http, &base, "created").await, f.good as u64);
}

/// What one stored image looks like, for comparing two ways of storing it.
#[derive(Debug, PartialEq)]
struct Stored {
    width: i64,
    height: i64,
    /// A hash of the JPEG bytes (equal bytes, equal hash).
    thumbnail: u64,
    preview: u64,
    /// The classifier's top-5 WordNet ids, best first.
    top5: Vec<String>,
}

fn digest(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

async fn stored(app: &App, id: &str) -> Stored {
    use banana_core::storage::keys;
    let view = app.get_image(&Viewer::System, id).await.unwrap();
    Stored {
        width: view.width,
        height: view.height,
        thumbnail: digest(
            &app.storage
                .get_bytes(&keys::thumbnail(&view.sha256))
                .await
                .unwrap(),
        ),
        preview: digest(
            &app.storage
                .get_bytes(&keys::preview(&view.sha256))
                .await
                .unwrap(),
        ),
        top5: view.predictions.iter().map(|p| p.wnid.clone()).collect(),
    }
}

/// The same files through the single-upload path (`App::ingest`, then the labeling worker, from
/// the stored original or from the input the upload kept) and
/// through `banana import` (the pipeline): the same dimensions (EXIF orientation applied), the
/// same thumbnail and preview bytes, and the same top-5 labels. The files: the eight EXIF
/// orientations of a landscape and a portrait photo, camera JPEGs and ImageNet samples.
#[test]
fn pipeline_outputs_equal_single_upload_outputs() {
    let Some(data) = prerequisites() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = walk(&data.join("exif-samples/jpg/orientation"));
    for name in [
        "Canon_40D.jpg",
        "Nikon_D70.jpg",
        "Pentax_K10D.jpg",
        "Sony_HDR-HC3.jpg",
    ] {
        files.push(data.join("exif-samples/jpg").join(name));
    }
    files.extend(walk(&data.join("imagenet-sample")).into_iter().take(8));
    files.retain(|f| {
        f.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jpg") || e.eq_ignore_ascii_case("jpeg"))
    });
    for (i, f) in files.iter().enumerate() {
        std::fs::copy(
            f,
            dir.path().join(format!(
                "{i:02}-{}",
                f.file_name().unwrap().to_string_lossy()
            )),
        )
        .unwrap();
    }

    // Through the pipeline, with the real binary.
    let install = Install::new();
    install.create_user("dave");
    let out = install.import(&[dir.path().to_str().unwrap(), "--owner", "dave"]);
    assert_eq!(counts(&out), (files.len(), 0, 0, 0), "{}", text(&out));

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let piped = App::build(Config::embedded(install.data()), false)
            .await
            .unwrap();
        // One at a time through the single-upload path, labeled by the worker.
        let single_dir = tempfile::tempdir().unwrap();
        let single = App::build(Config::embedded(single_dir.path().join("data")), true)
            .await
            .unwrap();
        single.seed_labels().await.unwrap();
        let owner = single
            .create_user("erin", PASSWORD, false)
            .await
            .unwrap()
            .id;
        let models = common::models_dir();
        let loader = single.clone();
        assert!(
            tokio::task::spawn_blocking(move || loader.models.load(&models, false, 1))
                .await
                .unwrap()
        );
        // The first half is labeled from the stored originals, the second half from the
        // inputs the uploads kept for this process's worker (`RecentInputs`): both must
        // give the pipeline's labels.
        let half = files.len() / 2;
        let mut ids = Vec::new();
        for (i, f) in files.iter().enumerate() {
            if i == half {
                assert!(single.recent_inputs.is_empty());
                single.recent_inputs.enable();
            }
            let upload = banana_core::images::Upload {
                bytes: std::fs::read(f).unwrap().into(),
                filename: f.file_name().map(|n| n.to_string_lossy().into_owned()),
                owner_id: owner.clone(),
                ..Default::default()
            };
            ids.push(single.ingest(upload).await.unwrap());
        }
        // (At most RECENT_INPUTS are kept: the others are labeled from their originals.)
        assert_eq!(
            single.recent_inputs.len(),
            (files.len() - half).min(banana_core::analysis::classifier::RECENT_INPUTS)
        );
        single.drain_jobs().await.unwrap();
        assert_eq!(single.recent_inputs.len(), 0, "kept inputs were not used");
        let mut landscape = None;
        for (f, view) in files.iter().zip(&ids) {
            let sha = &view.sha256;
            let piped_id = banana_core::db::images::find_by_sha(
                &piped.db,
                &piped.user_id_by_name("dave").await.unwrap(),
                sha,
            )
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{} not imported", f.display()));
            let a = stored(&single, &view.id).await;
            let b = stored(&piped, &piped_id).await;
            assert_eq!(a.top5.len(), 5, "{}", f.display());
            assert_eq!(b.top5.len(), 5, "{}", f.display());
            assert_eq!(
                (a.width, a.height, a.thumbnail, a.preview),
                (b.width, b.height, b.thumbnail, b.preview),
                "{}",
                f.display()
            );
            // Both classify the same preview pixels (the labeling worker re-derives them from
            // the stored original), so the five labels are the same, in the same order.
            assert_eq!(a.top5, b.top5, "{}", f.display());
            let name = f.file_name().unwrap().to_string_lossy();
            if name.starts_with("landscape_") {
                // All eight orientations display the same way round.
                let dims = (a.width, a.height);
                assert!(dims.0 > dims.1, "{name}");
                assert_eq!(*landscape.get_or_insert(dims), dims, "{name}");
            }
        }
        piped.db.close().await;
        single.db.close().await;
    });
}
