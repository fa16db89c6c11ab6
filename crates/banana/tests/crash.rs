//! Crashes and outages against the real `banana serve` binary.
//!
//! - SIGKILL while uploads have written their objects but not committed their rows (held in that
//!   window by the test-only `BANANA_TEST_PAUSE_BEFORE_COMMIT_MS`), with four uploaders and two
//!   owners sharing content: after a restart the sweeper leaves exactly the objects rows
//!   reference, and every acknowledged (201) image is there and gets labeled. On SQLite + a
//!   local folder and on PostgreSQL + S3 (s3s-fs).
//! - The object store stopped (an s3s-fs process of the test's own): uploads and thumbnails
//!   answer 503 `unavailable` with Retry-After within the configured bound, nothing is left
//!   half-written, and everything works again once the store is back, without a restart.
//! - The database gone: PostgreSQL behind a TCP proxy the test cuts (connections reset, new ones
//!   refused, as when the server stops); SQLite with another process holding its write lock
//!   past the busy timeout (SQLite has no server to go down: a lock held by a backup or a shell
//!   is its "unavailable"). Both answer 503 with Retry-After within the bound and recover.
//!
//! PostgreSQL/S3 parts need BANANA_TEST_PG_URL and BANANA_TEST_S3_*; the crash test needs the
//! models. Skipped without them unless BANANA_TEST_REQUIRE_ALL=1.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use banana_core::db::{intents, raw, Db};
use banana_core::storage::{keys, S3Settings, Storage};
use common::{wait_until, PgDatabase, Proc};
use serde_json::Value;

/// `n` sample photos, every 7th file.
fn sample_images(n: usize) -> Option<Vec<PathBuf>> {
    Some(
        common::imagenet_jpegs()?
            .into_iter()
            .step_by(7)
            .take(n)
            .collect(),
    )
}

/// A database and an object store for one test, and the variables that point `banana` at them.
struct Install {
    vars: Vec<(String, String)>,
    db_url: String,
    storage: Storage,
    /// PostgreSQL: the database, dropped at the end.
    _pg: Option<PgDatabase>,
    tmp: tempfile::TempDir,
    label: &'static str,
}

fn s3_vars(endpoint: &str, bucket: &str) -> (Vec<(String, String)>, S3Settings) {
    let (access, secret) = common::s3_keys();
    let settings = S3Settings {
        endpoint: endpoint.to_string(),
        public_url: None,
        bucket: bucket.to_string(),
        access_key: access.clone(),
        secret_key: secret.clone(),
        region: "us-east-1".into(),
    };
    let vars = vec![
        ("S3_ENDPOINT_URL".to_string(), endpoint.to_string()),
        ("S3_BUCKETNAME".to_string(), bucket.to_string()),
        ("S3_ACCESS_KEY".to_string(), access),
        ("S3_SECRET_KEY".to_string(), secret),
    ];
    (vars, settings)
}

impl Install {
    /// SQLite in the data folder, objects in a local folder.
    fn sqlite() -> Install {
        let tmp = tempfile::tempdir().expect("tempdir");
        let data = tmp.path().join("data");
        let db_url = format!("sqlite://{}?mode=rwc", data.join("banana.db").display());
        let storage = Storage::local(&data.join("objects")).expect("local storage");
        Install {
            vars: vec![("DATABASE_URL".into(), db_url.clone())],
            db_url,
            storage,
            _pg: None,
            tmp,
            label: "sqlite+folder",
        }
    }

    /// A fresh PostgreSQL database of the test servers; storage is set by the caller.
    async fn postgres() -> Option<(Install, String)> {
        let pg = common::need_var("BANANA_TEST_PG_URL")?;
        let database = PgDatabase::create(&pg).await;
        let (name, db_url) = (database.name.clone(), database.url.clone());
        let tmp = tempfile::tempdir().expect("tempdir");
        let storage = Storage::local(&tmp.path().join("data/objects")).expect("local storage");
        Some((
            Install {
                vars: vec![("DATABASE_URL".into(), db_url.clone())],
                db_url,
                storage,
                _pg: Some(database),
                tmp,
                label: "postgres+folder",
            },
            name,
        ))
    }

    /// PostgreSQL and a bucket of the shared s3s-fs server.
    async fn postgres_s3() -> Option<Install> {
        let s3 = common::test_s3()?;
        let (mut install, name) = Install::postgres().await?;
        let bucket = s3.create_bucket(&name.replace('_', "-"));
        let (vars, settings) = s3_vars(&s3.endpoint, &bucket);
        install.vars.extend(vars);
        install.storage = Storage::s3(&settings).expect("s3 storage");
        install.label = "postgres+s3";
        Some(install)
    }

    fn command(&self, args: &[&str], extra: &[(&str, String)]) -> Command {
        let mut c = common::banana(&self.tmp.path().join("data"));
        c.args(args)
            .env("BANANA_INFERENCE_THREADS", "1")
            .env("RUST_LOG", "info,sqlx=warn")
            .envs(self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(extra.iter().map(|(k, v)| (*k, v.as_str())));
        c
    }

    /// `banana user create` (which also migrates).
    fn create_user(&self, name: &str) {
        common::create_user(self.command(&[], &[]), name, false);
    }

    async fn db(&self) -> Db {
        Db::connect(&self.db_url, 2).await.expect("test connection")
    }

    /// Every object key, and the keys the image rows reference (original, thumbnail and
    /// preview of each content, and the stripped public copy where one was made).
    async fn objects_and_referenced(&self, db: &Db) -> (BTreeSet<String>, BTreeSet<String>) {
        let mut objects = BTreeSet::new();
        for prefix in ["originals", "thumbnails", "previews", "public"] {
            objects.extend(self.storage.list(prefix).await.expect("list objects"));
        }
        let mut referenced = BTreeSet::new();
        for sha in shas(db).await {
            referenced.insert(keys::original(&sha));
            referenced.insert(keys::thumbnail(&sha));
            referenced.insert(keys::preview(&sha));
            let public = keys::public_original(&sha);
            if objects.contains(&public) {
                referenced.insert(public);
            }
        }
        (objects, referenced)
    }
}

async fn shas(db: &Db) -> BTreeSet<String> {
    raw::strings(db, "SELECT DISTINCT sha256 FROM images")
        .await
        .expect("image shas")
        .into_iter()
        .collect()
}

/// `scheme://user@host:port/db` → (`host:port`, the URL with `host:port` replaced).
fn split_authority(url: &str, replace_with: &str) -> (String, String) {
    let (scheme, rest) = url.split_once("://").expect("scheme");
    let (authority, path) = rest.split_once('/').expect("path");
    let (user, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (format!("{u}@"), h),
        None => (String::new(), authority),
    };
    let hostport = if hostport.contains(':') {
        hostport.to_string()
    } else {
        format!("{hostport}:5432")
    };
    (hostport, format!("{scheme}://{user}{replace_with}/{path}"))
}

/// A running `banana serve`.
struct Server {
    proc: Proc,
    base: String,
}

impl Server {
    async fn start(install: &Install, name: &str, extra: &[(&str, String)]) -> Server {
        let log = install.tmp.path().join(format!("{name}.log"));
        let cmd = install.command(&["serve"], extra);
        let (proc, mut bases) = common::spawn_ready(cmd, log, &["BANANA_LISTEN"]).await;
        Server {
            proc,
            base: bases.remove(0),
        }
    }

    async fn login(&self, http: &reqwest::Client, user: &str) -> String {
        common::login(http, &self.base, user).await.token
    }
}

/// An outage test under way: alice signed in to a `banana serve`, a connection of the test's
/// own to the database, the sample files, and the first of them uploaded (201).
struct Started {
    server: Server,
    http: reqwest::Client,
    token: String,
    db: Db,
    files: Vec<PathBuf>,
    /// The first upload's body.
    first: Value,
}

/// Creates alice, starts `banana serve` of `install` with `extra` and uploads the first of
/// `n` sample files through `http`; `None` (skipped) without the samples.
async fn start_with_one_upload(
    install: &Install,
    extra: &[(&str, String)],
    http: reqwest::Client,
    n: usize,
) -> Option<Started> {
    let files = sample_images(n)?;
    install.create_user("alice");
    let server = Server::start(install, "serve", extra).await;
    let token = server.login(&http, "alice").await;
    let db = install.db().await;
    let up = common::upload(&http, &server.base, &token, &files[0])
        .await
        .unwrap();
    assert_eq!(up.status, 201, "{}", up.body);
    Some(Started {
        server,
        http,
        token,
        db,
        files,
        first: up.body,
    })
}

/// The settings of the outage tests: a 1 s timeout (`BANANA_DB_TIMEOUT_SECS` or
/// `BANANA_STORAGE_TIMEOUT_SECS`) and no models (nothing gets labeled).
fn outage_settings(install: &Install, timeout_var: &'static str) -> Vec<(&'static str, String)> {
    vec![
        (timeout_var, "1".to_string()),
        (
            "BANANA_MODELS_DIR",
            install.tmp.path().join("no-models").display().to_string(),
        ),
    ]
}

/// Objects exactly those rows reference, and no intent left.
async fn assert_swept_clean(install: &Install, db: &Db, limit: Duration) {
    wait_until(
        &format!("{}: objects == objects referenced by rows", install.label),
        limit,
        move || async move {
            let (objects, referenced) = install.objects_and_referenced(db).await;
            let left = intents::all(db).await.expect("intents");
            if objects == referenced && left.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "orphans {:?}, missing {:?}, intents left {}",
                    objects.difference(&referenced).collect::<Vec<_>>(),
                    referenced.difference(&objects).collect::<Vec<_>>(),
                    left.len()
                ))
            }
        },
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// SIGKILL between objects and row.

async fn crash_during_uploads(install: Install) {
    install.create_user("alice");
    install.create_user("bob");
    let common = [
        ("BANANA_SWEEP_GRACE_SECS", "4".to_string()),
        ("BANANA_SWEEP_INTERVAL_SECS", "1".to_string()),
    ];
    let mut first: Vec<(&str, String)> = common.to_vec();
    first.push(("BANANA_TEST_PAUSE_BEFORE_COMMIT_MS", "800".to_string()));
    let mut server = Server::start(&install, "serve-1", &first).await;
    let http = reqwest::Client::new();
    let alice = server.login(&http, "alice").await;
    let bob = server.login(&http, "bob").await;
    let db = install.db().await;

    // Four uploaders: three of alice's over their own files, and bob uploading files alice
    // uploads as well (content shared across owners: one set of objects, two rows).
    let Some(files) = sample_images(40) else {
        return;
    };
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut tasks = Vec::new();
    for u in 0..4usize {
        let (http, base, ack) = (http.clone(), server.base.clone(), acknowledged.clone());
        let (token, mine): (String, Vec<PathBuf>) = if u < 3 {
            (
                alice.clone(),
                files.iter().skip(u).step_by(3).cloned().collect(),
            )
        } else {
            (bob.clone(), files.iter().step_by(3).cloned().collect())
        };
        tasks.push(tokio::spawn(async move {
            for path in mine {
                match common::upload(&http, &base, &token, &path).await {
                    Ok(up) if up.status == 201 => ack
                        .lock()
                        .unwrap()
                        .push(up.body["id"].as_str().expect("id").to_string()),
                    Ok(up) => panic!("upload answered {}: {}", up.status, up.body),
                    Err(_) => return, // the server was killed
                }
            }
        }));
    }

    // Kill when some uploads were acknowledged and at least one original is on disk whose row
    // is not committed (the uploads sleep 800 ms in that window).
    let start = Instant::now();
    loop {
        let acked = acknowledged.lock().unwrap().len();
        let originals = install.storage.list("originals").await.expect("list");
        let rows = shas(&db).await;
        let uncommitted = originals
            .iter()
            .filter(|k| !rows.iter().any(|s| **k == keys::original(s)))
            .count();
        if acked >= 4 && uncommitted >= 1 {
            server.proc.kill9();
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "never saw an uncommitted upload ({acked} acknowledged)\n{}",
            server.proc.log_text()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for t in tasks {
        t.await.expect("uploader");
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    // The kill left objects no row references.
    let (objects, referenced) = install.objects_and_referenced(&db).await;
    let orphans: Vec<_> = objects.difference(&referenced).cloned().collect();
    assert!(
        !orphans.is_empty(),
        "{}: the kill should leave orphans",
        install.label
    );
    eprintln!(
        "{}: {} acknowledged, {} orphaned objects after SIGKILL",
        install.label,
        acknowledged.len(),
        orphans.len()
    );

    // Restart (no pause): the start-up and periodic sweeps remove exactly the orphans.
    let server = Server::start(&install, "serve-2", &common).await;
    assert_swept_clean(&install, &db, Duration::from_secs(30)).await;

    // Every acknowledged image survived, and gets labeled.
    let token = server.login(&http, "alice").await;
    let bob = server.login(&http, "bob").await;
    let (h, b, a, bb, acked) = (&http, &server.base, &token, &bob, &acknowledged);
    wait_until(
        "every acknowledged image labeled",
        Duration::from_secs(180),
        move || async move {
            for id in acked {
                let mut found = None;
                for t in [a, bb] {
                    let r = h
                        .get(format!("{b}/api/v1/images/{id}"))
                        .bearer_auth(t)
                        .send()
                        .await
                        .map_err(|e| e.to_string())?;
                    if r.status() == 200 {
                        found = Some(r.json::<Value>().await.map_err(|e| e.to_string())?);
                    }
                }
                let view = found.ok_or(format!("{id} is gone"))?;
                // Labeled: its top-5 is stored (a label is shown only when the classifier is
                // sure, so an unsure photo has none).
                let labeled = view["status"] == "ready"
                    && view["predictions"].as_array().is_some_and(|l| l.len() == 5);
                if !labeled {
                    return Err(format!("{id} is {}", view["status"]));
                }
                let thumb = h
                    .get(format!("{b}/api/v1/images/{id}/thumbnail"))
                    .bearer_auth(a)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                let thumb_bob = h
                    .get(format!("{b}/api/v1/images/{id}/thumbnail"))
                    .bearer_auth(bb)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if thumb.status() != 200 && thumb_bob.status() != 200 {
                    return Err(format!("{id}: thumbnail {}", thumb.status()));
                }
            }
            Ok(())
        },
    )
    .await;
    drop(server);
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_between_objects_and_row_leaves_no_orphans_sqlite() {
    if common::need_models().is_none() {
        return;
    }
    crash_during_uploads(Install::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_between_objects_and_row_leaves_no_orphans_postgres_s3() {
    if common::need_models().is_none() {
        return;
    }
    let Some(install) = Install::postgres_s3().await else {
        return;
    };
    crash_during_uploads(install).await;
}

// ---------------------------------------------------------------------------------------------
// SIGKILL while the trash is being purged.

/// Emptying the trash commits each row's deletion with the intent to remove its objects, then
/// removes them. Killed in between (held there by `BANANA_TEST_PAUSE_BEFORE_REMOVAL_MS`), the
/// restarted server's sweeper removes exactly the purged image's objects; the images still in
/// the trash keep theirs, and a second purge leaves no object and no row.
async fn crash_during_purge(install: Install) {
    let Some(files) = sample_images(3) else {
        return;
    };
    install.create_user("alice");
    let mut common = outage_settings(&install, "BANANA_DB_TIMEOUT_SECS");
    common.push(("BANANA_SWEEP_GRACE_SECS", "2".to_string()));
    common.push(("BANANA_SWEEP_INTERVAL_SECS", "1".to_string()));
    let mut paused = common.clone();
    paused.push(("BANANA_TEST_PAUSE_BEFORE_REMOVAL_MS", "60000".to_string()));
    let mut server = Server::start(&install, "purge-1", &paused).await;
    let http = reqwest::Client::new();
    let token = server.login(&http, "alice").await;
    let db = install.db().await;
    let mut ids = Vec::new();
    for f in &files {
        let up = common::upload(&http, &server.base, &token, f)
            .await
            .unwrap();
        assert_eq!(up.status, 201, "{}", up.body);
        ids.push(up.body["id"].as_str().unwrap().to_string());
    }
    for id in &ids {
        let r = http
            .delete(format!("{}/api/v1/images/{id}", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
    }
    let (objects_before, _) = install.objects_and_referenced(&db).await;
    // Empty the trash; the first deletion commits, then the server waits before its objects.
    let (h, base, t) = (http.clone(), server.base.clone(), token.clone());
    let purge = tokio::spawn(async move {
        h.delete(format!("{base}/api/v1/trash"))
            .bearer_auth(&t)
            .send()
            .await
    });
    let d = &db;
    wait_until(
        "the first purged row committed",
        Duration::from_secs(30),
        move || async move {
            let n = raw::scalar_i64(d, "SELECT COUNT(*) FROM images")
                .await
                .map_err(|e| e.to_string())?;
            if n == 2 {
                Ok(())
            } else {
                Err(format!("{n} rows"))
            }
        },
    )
    .await;
    server.proc.kill9();
    assert!(
        purge.await.unwrap().is_err(),
        "the purge request died with the server"
    );
    let (objects, referenced) = install.objects_and_referenced(&db).await;
    assert_eq!(
        objects, objects_before,
        "{}: the kill came before any object went",
        install.label
    );
    assert!(
        objects.difference(&referenced).count() >= 3,
        "{}: the purged image's objects are orphans now",
        install.label
    );

    // Restart: the sweeper removes exactly the purged image's objects.
    let server = Server::start(&install, "purge-2", &common).await;
    assert_swept_clean(&install, &db, Duration::from_secs(30)).await;
    assert_eq!(
        raw::scalar_i64(&db, "SELECT COUNT(*) FROM images")
            .await
            .unwrap(),
        2
    );
    // The rest of the trash purges cleanly.
    let token = server.login(&http, "alice").await;
    let r = http
        .delete(format!("{}/api/v1/trash", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["purged"], 2);
    assert_swept_clean(&install, &db, Duration::from_secs(30)).await;
    let (objects, _) = install.objects_and_referenced(&db).await;
    assert!(objects.is_empty(), "{}: {objects:?}", install.label);
    drop(server);
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_purge_leaves_objects_equal_to_rows_sqlite() {
    crash_during_purge(Install::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_purge_leaves_objects_equal_to_rows_postgres_s3() {
    let Some(install) = Install::postgres_s3().await else {
        return;
    };
    crash_during_purge(install).await;
}

// ---------------------------------------------------------------------------------------------
// The object store stopped and started again.

/// An s3s-fs process of this test's own.
struct S3Server {
    child: Option<Child>,
    port: u16,
    root: PathBuf,
}

impl S3Server {
    fn start(root: &Path, port: u16) -> S3Server {
        let (access, secret) = common::s3_keys();
        let child = Command::new("s3s-fs")
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", &access, "--secret-key", &secret])
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("s3s-fs on PATH");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "s3s-fs did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        S3Server {
            child: Some(child),
            port,
            root: root.to_path_buf(),
        }
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn restart(&mut self) {
        self.stop();
        *self = S3Server::start(&self.root.clone(), self.port);
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_outage_answers_503_within_the_bound_and_recovers() {
    if !std::process::Command::new("s3s-fs")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        common::skip::<()>("s3s-fs is not on PATH");
        return;
    }
    let mut install = Install::sqlite();
    let root = install.tmp.path().join("s3");
    std::fs::create_dir_all(root.join("outage")).expect("bucket folder");
    let port = common::free_port();
    let mut s3 = S3Server::start(&root, port);
    let (vars, settings) = s3_vars(&format!("http://127.0.0.1:{port}"), "outage");
    install.vars.extend(vars);
    install.storage = Storage::s3(&settings).expect("s3 storage");
    install.label = "sqlite+own s3s-fs";
    let mut extra = outage_settings(&install, "BANANA_STORAGE_TIMEOUT_SECS");
    extra.push(("BANANA_SWEEP_GRACE_SECS", "3".to_string()));
    extra.push(("BANANA_SWEEP_INTERVAL_SECS", "1".to_string()));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let Some(Started {
        server,
        http,
        token,
        db,
        files,
        first,
    }) = start_with_one_upload(&install, &extra, http, 3).await
    else {
        return;
    };
    let id = first["id"].as_str().unwrap().to_string();
    let rows_before = raw::scalar_i64(&db, "SELECT COUNT(*) FROM images")
        .await
        .unwrap();
    let jobs_before = raw::scalar_i64(&db, "SELECT COUNT(*) FROM jobs")
        .await
        .unwrap();

    s3.stop();
    // The bound: the 1 s storage timeout, plus the work of the request itself.
    let bound = Duration::from_secs(3);
    for file in &files[1..] {
        let common::Uploaded {
            status,
            body,
            retry_after,
            took,
        } = common::upload(&http, &server.base, &token, file)
            .await
            .unwrap();
        assert_eq!(status, 503, "{body}");
        assert_eq!(body["error"]["code"], "unavailable", "{body}");
        assert!(retry_after.is_some_and(|r| r.parse::<u64>().is_ok_and(|s| s > 0)));
        assert!(took < bound, "upload answered after {took:?}");
        let text = body.to_string();
        assert!(
            !text.contains("127.0.0.1") && !text.contains("originals/"),
            "{text}"
        );
    }
    for variant in ["thumbnail", "preview", "original"] {
        let start = Instant::now();
        let r = http
            .get(format!("{}/api/v1/images/{id}/{variant}", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let took = start.elapsed();
        // The original on S3 is a presigned redirect, which needs no round trip.
        if variant == "original" && r.status() == 302 {
            continue;
        }
        assert_eq!(r.status(), 503, "{variant}");
        assert!(
            common::retry_after(&r).is_some(),
            "{variant}: no Retry-After"
        );
        assert!(took < bound, "{variant} answered after {took:?}");
    }
    let ready = http
        .get(format!("{}/readyz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 503);
    // Nothing half-written: no row, no job for the failed uploads.
    assert_eq!(
        raw::scalar_i64(&db, "SELECT COUNT(*) FROM images")
            .await
            .unwrap(),
        rows_before
    );
    assert_eq!(
        raw::scalar_i64(&db, "SELECT COUNT(*) FROM jobs")
            .await
            .unwrap(),
        jobs_before
    );

    // The store comes back: the same process recovers by itself.
    s3.restart();
    let (h, b) = (&http, &server.base);
    wait_until("ready again", Duration::from_secs(20), move || async move {
        let r = h
            .get(format!("{b}/readyz"))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        (r.status() == 200)
            .then_some(())
            .ok_or(r.status().to_string())
    })
    .await;
    for file in &files[1..] {
        let up = common::upload(&http, &server.base, &token, file)
            .await
            .unwrap();
        assert_eq!(up.status, 201, "{}", up.body);
    }
    let r = http
        .get(format!("{}/api/v1/images/{id}/thumbnail", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // The failed uploads' intents are swept; what is stored is what rows reference.
    assert_swept_clean(&install, &db, Duration::from_secs(20)).await;
    drop(server);
    db.close().await;
}

// ---------------------------------------------------------------------------------------------
// The database gone and back.

/// A TCP proxy to PostgreSQL that the test can cut (every connection reset, the port closed)
/// and restore on the same port.
struct Proxy {
    port: u16,
    target: String,
    tasks: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Proxy {
    async fn start(port: u16, target: String) -> Proxy {
        let proxy = Proxy {
            port,
            target,
            tasks: Arc::default(),
        };
        proxy.open().await;
        proxy
    }

    async fn open(&self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("proxy bind");
        let (target, tasks) = (self.target.clone(), self.tasks.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                let conn = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                tasks.lock().unwrap().push(conn.abort_handle());
            }
        });
        self.tasks.lock().unwrap().push(accept.abort_handle());
    }

    async fn cut(&self) {
        for t in self.tasks.lock().unwrap().drain(..) {
            t.abort();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(
            std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err(),
            "proxy port still open"
        );
    }
}

/// Upload and list while the database is unreachable: 503 + Retry-After within the bound, and
/// no object written for the failed upload.
async fn assert_database_unavailable(
    install: &Install,
    server: &Server,
    http: &reqwest::Client,
    token: &str,
    file: &Path,
    db: &Db,
) {
    let bound = Duration::from_secs(4); // the 1 s database timeout, plus the request's own work
    let common::Uploaded {
        status,
        body,
        retry_after,
        took,
    } = common::upload(http, &server.base, token, file)
        .await
        .unwrap();
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    assert!(retry_after.is_some(), "no Retry-After");
    assert!(took < bound, "upload answered after {took:?}");
    let start = Instant::now();
    let r = http
        .get(format!("{}/api/v1/images", server.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert!(common::retry_after(&r).is_some());
    assert!(
        start.elapsed() < bound,
        "listing answered after {:?}",
        start.elapsed()
    );
    // The intent could not be written, so no object was either.
    let (objects, referenced) = install.objects_and_referenced(db).await;
    assert_eq!(objects, referenced, "objects written without a row");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_outage_answers_503_within_the_bound_and_recovers() {
    let Some((mut install, _)) = Install::postgres().await else {
        return;
    };
    // The server reaches PostgreSQL through the proxy; the test itself directly.
    let port = common::free_port();
    let (target, via) = split_authority(&install.db_url, &format!("127.0.0.1:{port}"));
    let proxy = Proxy::start(port, target).await;
    install.vars = vec![("DATABASE_URL".into(), via)];
    let extra = outage_settings(&install, "BANANA_DB_TIMEOUT_SECS");
    let Some(Started {
        server,
        http,
        token,
        db,
        files,
        ..
    }) = start_with_one_upload(&install, &extra, reqwest::Client::new(), 2).await
    else {
        return;
    };

    proxy.cut().await;
    assert_database_unavailable(&install, &server, &http, &token, &files[1], &db).await;
    assert_eq!(
        raw::scalar_i64(&db, "SELECT COUNT(*) FROM images")
            .await
            .unwrap(),
        1
    );

    proxy.open().await;
    let (h, b, t, f) = (&http, &server.base, &token, &files[1]);
    wait_until(
        "uploads work again",
        Duration::from_secs(20),
        move || async move {
            match common::upload(h, b, t, f).await {
                Ok(up) if up.status == 201 => Ok(()),
                Ok(up) => Err(format!("{} {}", up.status, up.body)),
                Err(e) => Err(e.to_string()),
            }
        },
    )
    .await;
    assert_eq!(
        raw::scalar_i64(&db, "SELECT COUNT(*) FROM images")
            .await
            .unwrap(),
        2
    );
    assert_swept_clean(&install, &db, Duration::from_secs(5)).await;
    drop(server);
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_locked_by_another_process_answers_503_within_the_bound_and_recovers() {
    let install = Install::sqlite();
    let extra = outage_settings(&install, "BANANA_DB_TIMEOUT_SECS");
    let Some(Started {
        server,
        http,
        token,
        db,
        files,
        ..
    }) = start_with_one_upload(&install, &extra, reqwest::Client::new(), 2).await
    else {
        return;
    };

    // Another process (here: this test's own connection) holds the write lock.
    let holder = Db::connect(&install.db_url, 1).await.unwrap();
    let mut tx = holder.begin().await.unwrap();
    banana_core::db::intents::insert(&mut *tx, "lock-holder", "00", "test")
        .await
        .unwrap();
    let bound = Duration::from_secs(4);
    let common::Uploaded {
        status,
        body,
        retry_after,
        took,
    } = common::upload(&http, &server.base, &token, &files[1])
        .await
        .unwrap();
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    assert!(retry_after.is_some(), "no Retry-After");
    assert!(took < bound, "upload answered after {took:?}");
    let (objects, referenced) = install.objects_and_referenced(&db).await;
    assert_eq!(objects, referenced, "objects written without a row");
    tx.rollback().await.unwrap();
    holder.close().await;

    let up = common::upload(&http, &server.base, &token, &files[1])
        .await
        .unwrap();
    assert_eq!(up.status, 201, "{}", up.body);
    assert_eq!(
        raw::scalar_i64(&db, "SELECT COUNT(*) FROM images")
            .await
            .unwrap(),
        2
    );
    assert_swept_clean(&install, &db, Duration::from_secs(5)).await;
    drop(server);
    db.close().await;
}
