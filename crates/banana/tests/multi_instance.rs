//! Several instances on one PostgreSQL and one bucket, as real processes: two `banana serve
//! --no-worker` on different ports and `banana worker` processes, against the S3 server the
//! test script starts (s3s-fs, which checks signatures) and a fresh PostgreSQL database.
//!
//! - 50 uploads spread over both instances are each labeled exactly once (job rows and the
//!   worker's own counters), and search on either instance finds what the other took in;
//!   a delete on one is gone from the other's search; a session from one works on the other.
//! - A worker killed with SIGKILL in the middle of a batch loses nothing: the next worker
//!   takes its jobs over when their lease runs out, and every image ends `ready`.
//! - A worker stopped with SIGTERM finishes its batch and releases the rest at once.
//! - `/metrics` (on each process's operations port, BANANA_METRICS_LISTEN / BANANA_WORKER_LISTEN;
//!   404 on the public port) parses as Prometheus text and moves with traffic; JSON logs carry
//!   request ids.
//!
//! Needs BANANA_TEST_PG_URL, BANANA_TEST_S3_* and the models (BANANA_MODELS_DIR); skipped
//! without them unless BANANA_TEST_REQUIRE_ALL=1 (as scripts/test.sh sets).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use banana_core::db::{raw, Db};
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_banana");
const PASSWORD: &str = "correct horse battery staple";

struct Env {
    vars: Vec<(String, String)>,
    db: Db,
    db_name: String,
    admin_url: String,
    _tmp: tempfile::TempDir,
    tmp: PathBuf,
}

fn need(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            assert!(
                std::env::var("BANANA_TEST_REQUIRE_ALL").as_deref() != Ok("1"),
                "{var} is required (BANANA_TEST_REQUIRE_ALL=1)"
            );
            eprintln!("skipped: {var} is not set");
            None
        }
    }
}

fn models_dir() -> PathBuf {
    std::env::var_os("BANANA_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/banana/models")
        })
}

impl Env {
    async fn new() -> Option<Env> {
        let pg = need("BANANA_TEST_PG_URL")?;
        let endpoint = need("BANANA_TEST_S3_ENDPOINT")?;
        let s3_root = need("BANANA_TEST_S3_ROOT")?;
        let public = std::env::var("BANANA_TEST_S3_PUBLIC_URL").unwrap_or(endpoint.clone());
        let access = std::env::var("BANANA_TEST_S3_ACCESS_KEY").unwrap_or("banana".into());
        let secret = std::env::var("BANANA_TEST_S3_SECRET_KEY").unwrap_or("banana-secret".into());
        if banana_core::models::locate(&models_dir()).is_none() {
            need("(models: run `banana models fetch`)")?;
        }
        // A database and a bucket of our own.
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let db_name = format!("bt_{suffix}");
        let admin_url = pg.clone();
        let admin = Db::connect(&admin_url, 1).await.expect("admin connection");
        raw::execute(&admin, &format!("CREATE DATABASE {db_name}"))
            .await
            .expect("create database");
        admin.close().await;
        let db_url = format!("{}/{db_name}", pg.rsplit_once('/').expect("db url").0);
        let bucket = format!("mi-{}", &suffix[..12]);
        std::fs::create_dir_all(Path::new(&s3_root).join(&bucket)).expect("bucket folder");
        let tmp = tempfile::tempdir().expect("tempdir");
        let vars = vec![
            ("DATABASE_URL", db_url.clone()),
            ("S3_ENDPOINT_URL", endpoint),
            ("S3_PUBLIC_URL", public),
            ("S3_BUCKETNAME", bucket),
            ("S3_ACCESS_KEY", access),
            ("S3_SECRET_KEY", secret),
            ("BANANA_MODELS_DIR", models_dir().display().to_string()),
            ("BANANA_MODELS_AUTO_FETCH", "false".into()),
            ("BANANA_INFERENCE_THREADS", "1".into()),
            ("BANANA_LOG_FORMAT", "json".into()),
            ("BANANA_JOB_LEASE_SECS", "3".into()),
            ("BANANA_SHUTDOWN_GRACE_SECS", "20".into()),
            ("BANANA_AUTO_MIGRATE", "false".into()),
            ("RUST_LOG", "info,sqlx=warn".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let db = Db::connect(&db_url, 2).await.expect("test connection");
        Some(Env {
            vars,
            db,
            db_name,
            admin_url,
            tmp: tmp.path().to_path_buf(),
            _tmp: tmp,
        })
    }

    fn command(&self, name: &str, args: &[&str], extra: &[(&str, String)]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", std::env::var_os("HOME").unwrap_or_default())
            .env("BANANA_DATA_DIR", self.tmp.join(name))
            .envs(self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(extra.iter().map(|(k, v)| (*k, v.as_str())));
        c
    }

    /// Start a long-running process with its stderr in `<tmp>/<name>.log`.
    fn spawn(&self, name: &str, args: &[&str], extra: &[(&str, String)]) -> Proc {
        let log = self.tmp.join(format!("{name}.log"));
        let file = std::fs::File::create(&log).expect("log file");
        let child = self
            .command(name, args, extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .expect("spawn banana");
        Proc {
            child: Some(child),
            log,
        }
    }

    async fn scalar(&self, sql: &str) -> i64 {
        raw::scalar_i64(&self.db, sql).await.expect(sql)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        // Best effort: drop the database (scripts/test.sh also drops every bt_* database).
        let (admin_url, name) = (self.admin_url.clone(), self.db_name.clone());
        let db = self.db.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                db.close().await;
                if let Ok(admin) = Db::connect(&admin_url, 1).await {
                    let _ = raw::execute(
                        &admin,
                        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                    )
                    .await;
                    admin.close().await;
                }
            });
        })
        .join();
    }
}

struct Proc {
    child: Option<Child>,
    log: PathBuf,
}

impl Proc {
    fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    fn kill9(&mut self) {
        let mut c = self.child.take().expect("running");
        c.kill().expect("SIGKILL");
        c.wait().expect("reap");
    }

    /// Send SIGTERM (without waiting).
    fn signal_term(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(ok.success());
    }

    /// SIGTERM, then wait (at most `limit`) for a clean exit.
    fn terminate(&mut self, limit: Duration) -> std::process::ExitStatus {
        self.signal_term();
        self.wait_exit(limit)
    }

    fn wait_exit(&mut self, limit: Duration) -> std::process::ExitStatus {
        let mut c = self.child.take().expect("running");
        let start = Instant::now();
        loop {
            if let Some(status) = c.try_wait().expect("try_wait") {
                return status;
            }
            if start.elapsed() > limit {
                let _ = c.kill();
                panic!(
                    "process did not stop within {limit:?} after SIGTERM\n{}",
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

struct Instance {
    base: String,
    /// The operations port (BANANA_METRICS_LISTEN): health and `/metrics`.
    ops: String,
    proc: Proc,
}

async fn wait_ready(http: &reqwest::Client, base: &str, proc: &Proc) {
    let start = Instant::now();
    loop {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{base} did not become ready\n{}",
            proc.log_text()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `banana serve`, with in-process labeling workers or (`worker: false`) HTTP only.
async fn start_instance(env: &Env, http: &reqwest::Client, name: &str, worker: bool) -> Instance {
    let (port, ops_port) = (free_port(), free_port());
    let args: &[&str] = if worker {
        &["serve"]
    } else {
        &["serve", "--no-worker"]
    };
    let proc = env.spawn(
        name,
        args,
        &[
            ("BANANA_LISTEN", format!("127.0.0.1:{port}")),
            ("BANANA_METRICS_LISTEN", format!("127.0.0.1:{ops_port}")),
        ],
    );
    let base = format!("http://127.0.0.1:{port}");
    let ops = format!("http://127.0.0.1:{ops_port}");
    wait_ready(http, &base, &proc).await;
    wait_ready(http, &ops, &proc).await;
    Instance { base, ops, proc }
}

/// A worker with its health and metrics endpoint; returns it and that endpoint's base URL.
async fn start_worker(
    env: &Env,
    http: &reqwest::Client,
    name: &str,
    batch: usize,
) -> (Proc, String) {
    let port = free_port();
    let proc = env.spawn(
        name,
        &["worker"],
        &[
            ("BANANA_WORKER_LISTEN", format!("127.0.0.1:{port}")),
            ("BANANA_WORKER_BATCH", batch.to_string()),
        ],
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(http, &base, &proc).await;
    (proc, base)
}

fn sample_images(n: usize) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/imagenet-sample");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("jpeg"))
        })
        .collect();
    files.sort();
    // Spread over the classes (every 13th file) rather than the first 66 fish.
    files.into_iter().step_by(13).take(n).collect()
}

async fn upload(http: &reqwest::Client, base: &str, token: &str, path: &Path) -> Value {
    let bytes = std::fs::read(path).expect("read sample");
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name),
    );
    let r = http
        .post(format!("{base}/api/v1/images"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = r.status();
    let body: Value = r.json().await.expect("upload json");
    assert_eq!(status, 201, "{body}");
    body
}

async fn get_json(http: &reqwest::Client, url: &str, token: &str) -> Value {
    let r = http.get(url).bearer_auth(token).send().await.expect(url);
    assert!(r.status().is_success(), "{url}: {}", r.status());
    r.json().await.expect("json")
}

/// A scrape of `/metrics`, checked by a strict Prometheus text-format parser.
struct Scrape {
    text: String,
    families: Vec<String>,
}

async fn metrics(http: &reqwest::Client, base: &str) -> Scrape {
    let r = http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics");
    assert_eq!(r.status(), 200);
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    let text = r.text().await.expect("metrics body");
    let parsed = openmetrics_parser::prometheus::parse_prometheus(&text)
        .unwrap_or_else(|e| panic!("/metrics is not valid Prometheus text: {e:?}\n{text}"));
    let mut families: Vec<String> = parsed.families.keys().cloned().collect();
    families.sort();
    Scrape { text, families }
}

impl Scrape {
    /// The value of one series, written as it is exposed (`name{a="b",c="d"}`); 0 if absent.
    fn value(&self, series: &str) -> f64 {
        let prefix = format!("{series} ");
        self.text
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .map_or(0.0, |v| v.trim().parse().expect("sample value"))
    }
}

async fn wait_until<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn search_ids(http: &reqwest::Client, base: &str, token: &str, q: &str) -> Vec<String> {
    let url = format!("{base}/api/v1/search?q={}&limit=100", urlencode(q));
    let page = get_json(http, &url, token).await;
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["image"]["id"].as_str().expect("id").to_string())
        .collect()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_instances_share_one_database_and_bucket() {
    let Some(env) = Env::new().await else { return };
    let http = reqwest::Client::new();
    // References for the polling closures below (each poll gets a fresh future).
    let (e, h) = (&env, &http);

    // Rolling-upgrade order: migrate once, then start instances that do not migrate.
    let status = env
        .command("migrate", &["migrate"], &[])
        .stderr(Stdio::null())
        .status()
        .expect("banana migrate");
    assert!(status.success());
    let mut create = env
        .command(
            "admin",
            &["user", "create", "--username", "alice", "--admin"],
            &[],
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("banana user create");
    {
        use std::io::Write;
        let mut stdin = create.stdin.take().expect("stdin");
        writeln!(stdin, "{PASSWORD}").expect("password");
    }
    assert!(create.wait().expect("user create").success());

    let mut a = start_instance(&env, &http, "serve-a", true).await;
    let mut b = start_instance(&env, &http, "serve-b", false).await;

    // A session made on A works on B (sessions live in the database).
    let login = http
        .post(format!("{}/api/v1/auth/login", a.base))
        .json(&json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
    let cookie = login
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_string();
    let token = login.json::<Value>().await.expect("login json")["token"]
        .as_str()
        .expect("token")
        .to_string();
    let me = http
        .get(format!("{}/api/v1/me", b.base))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("me on B");
    assert_eq!(me.status(), 200);
    assert_eq!(me.json::<Value>().await.unwrap()["username"], "alice");

    // The metrics are not on the public port (no BANANA_METRICS_TOKEN here).
    let public = http
        .get(format!("{}/metrics", a.base))
        .send()
        .await
        .expect("public /metrics");
    assert_eq!(public.status(), 404);
    let metrics_a_before = metrics(&http, &a.ops).await;

    // 50 uploads, alternating between the instances, 4 in flight; one worker labels them as
    // they arrive.
    let (mut w1, w1_base) = start_worker(&env, &http, "worker-1", 8).await;
    let files = sample_images(67);
    let (first, rest) = files[..66].split_at(50);
    let mut uploaded: Vec<(String, String)> = Vec::new(); // (image id, instance base)
    for chunk in first.chunks(4) {
        let offset = uploaded.len();
        let futures = chunk.iter().enumerate().map(|(i, path)| {
            let base = if (offset + i).is_multiple_of(2) {
                &a.base
            } else {
                &b.base
            };
            let (http, token) = (&http, &token);
            async move { (upload(http, base, token, path).await, base.clone()) }
        });
        for (view, base) in futures::future::join_all(futures).await {
            uploaded.push((view["id"].as_str().unwrap().to_string(), base));
        }
    }
    assert_eq!(uploaded.len(), 50);
    wait_until(
        "50 images ready",
        Duration::from_secs(180),
        move || async move {
            e.scalar("SELECT COUNT(*) FROM images WHERE status = 'ready'")
                .await
                == 50
        },
    )
    .await;
    // Each image was labeled exactly once although two processes competed for the jobs (A's
    // in-process worker and worker 1): one job each, claimed once, done; and the processes'
    // own counters add up to 50 (B serves HTTP only and labeled nothing).
    assert_eq!(
        env.scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'label'")
            .await,
        50
    );
    assert_eq!(
        env.scalar("SELECT COUNT(*) FROM jobs WHERE state = 'done' AND attempts = 1")
            .await,
        50
    );
    let wm = metrics(&http, &w1_base).await;
    let am = metrics(&http, &a.ops).await;
    let bm = metrics(&http, &b.ops).await;
    let done = |m: &Scrape| m.value("banana_label_jobs_total{result=\"done\"}");
    eprintln!("labeled by worker 1: {}, by A: {}", done(&wm), done(&am));
    assert_eq!(done(&wm) + done(&am), 50.0);
    assert_eq!(
        wm.value("banana_images_labeled_total") + am.value("banana_images_labeled_total"),
        50.0
    );
    assert_eq!(done(&bm), 0.0);
    assert!(
        wm.value("banana_label_batch_duration_seconds_count")
            + am.value("banana_label_batch_duration_seconds_count")
            >= 7.0
    );

    // /metrics moved with the traffic: 25 uploads through A, their bytes, the latency histogram.
    let created = |s: &Scrape| {
        s.value(r#"banana_http_requests_total{method="POST",route="/api/v1/images",status="201"}"#)
    };
    assert_eq!(created(&am) - created(&metrics_a_before), 25.0);
    assert_eq!(am.value("banana_uploads_total{outcome=\"created\"}"), 25.0);
    assert!(am.value("banana_upload_bytes_total") > 25.0 * 10_000.0);
    assert!(
        am.value(r#"banana_http_request_duration_seconds_count{route="/api/v1/images"}"#) >= 25.0,
        "latency histogram by route"
    );
    for family in [
        "banana_http_requests_total",
        "banana_http_request_duration_seconds",
        "banana_upload_bytes_total",
        "banana_jobs",
        "banana_job_oldest_waiting_seconds",
        "banana_label_delay_seconds",
        "banana_model_state",
    ] {
        assert!(
            am.families.iter().any(|f| f == family),
            "{family}: {:?}",
            am.families
        );
    }
    assert_eq!(am.value(r#"banana_jobs{kind="label",state="done"}"#), 50.0);
    assert_eq!(
        am.value(r#"banana_model_state{model="classifier",state="ready"}"#),
        1.0
    );

    // Search on either instance finds images that came in through the other one.
    let views: HashMap<String, Value> = {
        let mut m = HashMap::new();
        for (id, _) in &uploaded {
            let v = get_json(&http, &format!("{}/api/v1/images/{id}", a.base), &token).await;
            m.insert(id.clone(), v);
        }
        m
    };
    for (id, via) in uploaded.iter().take(6) {
        let other = if via == &a.base { &b.base } else { &a.base };
        let label = views[id]["labels"][0]["name"]
            .as_str()
            .expect("top label")
            .to_string();
        let (t, l) = (&token, &label);
        wait_until(
            &format!("{id} ({label}) in search on the other instance"),
            Duration::from_secs(15),
            move || async move { search_ids(h, other, t, l).await.contains(id) },
        )
        .await;
    }

    // A delete on A is gone from B's search at once (results are read back from the database)
    // and from B's index within a few seconds.
    let (victim, _) = uploaded
        .iter()
        .find(|(_, via)| via == &b.base)
        .unwrap()
        .clone();
    let label = views[&victim]["labels"][0]["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(search_ids(&http, &b.base, &token, &label)
        .await
        .contains(&victim));
    let del = http
        .delete(format!("{}/api/v1/images/{victim}", a.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("delete");
    assert_eq!(del.status(), 204);
    assert!(!search_ids(&http, &b.base, &token, &label)
        .await
        .contains(&victim));
    let b_ops = &b.ops;
    wait_until(
        "B's index drops the deleted image",
        Duration::from_secs(15),
        move || async move {
            let m = metrics(h, b_ops).await;
            m.value("banana_search_index_vectors{index=\"semantic\"}") == 49.0
        },
    )
    .await;

    // JSON logs with request ids.
    let marked = http
        .get(format!("{}/api/v1/labels", b.base))
        .bearer_auth(&token)
        .header("x-request-id", "multi-instance-probe-7")
        .send()
        .await
        .expect("labels");
    assert_eq!(marked.headers()["x-request-id"], "multi-instance-probe-7");
    let b_proc = &b.proc;
    wait_until(
        "the request's JSON log line",
        Duration::from_secs(5),
        move || async move {
            b_proc.log_text().lines().any(|l| {
                serde_json::from_str::<Value>(l).is_ok_and(|v| {
                    v["span"]["request_id"] == "multi-instance-probe-7"
                        || v["spans"].as_array().is_some_and(|s| {
                            s.iter()
                                .any(|s| s["request_id"] == "multi-instance-probe-7")
                        })
                })
            })
        },
    )
    .await;

    // SIGTERM during an upload: A stops taking connections but finishes the upload in flight
    // (row, objects and job all there), then exits cleanly.
    let before = env.scalar("SELECT COUNT(*) FROM images").await;
    let extra = std::fs::read(&files[66]).expect("sample");
    let boundary = "banana-multi-instance-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"late.jpg\"\r\n\
         Content-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&extra);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (tx, rx) = futures::channel::mpsc::unbounded::<Result<Vec<u8>, std::io::Error>>();
    let half = body.len() / 2;
    tx.unbounded_send(Ok(body[..half].to_vec())).unwrap();
    let request = tokio::spawn(
        http.post(format!("{}/api/v1/images", a.base))
            .bearer_auth(&token)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(reqwest::Body::wrap_stream(rx))
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    a.proc.signal_term();
    tokio::time::sleep(Duration::from_millis(500)).await;
    // A no longer accepts new connections...
    assert!(
        reqwest::Client::new()
            .get(format!("{}/healthz", a.base))
            .send()
            .await
            .is_err(),
        "a stopping instance refuses new connections"
    );
    // ...but the upload that was in flight completes.
    tx.unbounded_send(Ok(body[half..].to_vec())).unwrap();
    drop(tx);
    let response = request
        .await
        .expect("upload task")
        .expect("upload response");
    assert_eq!(response.status(), 201);
    let late: Value = response.json().await.expect("upload json");
    let status = a.proc.wait_exit(Duration::from_secs(30));
    assert!(status.success(), "{status:?}\n{}", a.proc.log_text());
    assert_eq!(env.scalar("SELECT COUNT(*) FROM images").await, before + 1);
    let id = late["id"].as_str().unwrap();
    let jobs = env
        .scalar(&format!(
            "SELECT COUNT(*) FROM jobs WHERE payload LIKE '%{id}%'"
        ))
        .await;
    assert_eq!(jobs, 1, "the upload's labeling job was committed with it");
    // ...and the worker still running labels it.
    wait_until(
        "the late upload labeled",
        Duration::from_secs(60),
        move || async move {
            e.scalar(&format!(
                "SELECT COUNT(*) FROM images WHERE id = '{id}' AND status = 'ready'"
            ))
            .await
                == 1
        },
    )
    .await;

    // SIGTERM: the worker stops cleanly and holds no job.
    let status = w1.terminate(Duration::from_secs(30));
    assert!(status.success(), "{status:?}\n{}", w1.log_text());
    assert_eq!(
        env.scalar("SELECT COUNT(*) FROM jobs WHERE state = 'running'")
            .await,
        0
    );

    // 16 more uploads (through B; A is gone) with no worker running, then a worker that is
    // killed mid-batch.
    let ready_before = env
        .scalar("SELECT COUNT(*) FROM images WHERE status = 'ready'")
        .await;
    let mut pending = Vec::new();
    for path in rest {
        pending.push(
            upload(&http, &b.base, &token, path).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let total = ready_before + 16;
    let (mut w2, _) = start_worker(&env, &http, "worker-2", 16).await;
    let w2_pid = w2.pid();
    wait_until(
        "worker 2 to hold a batch",
        Duration::from_secs(60),
        move || async move {
            e.scalar("SELECT COUNT(*) FROM jobs WHERE state = 'running'")
                .await
                > 0
        },
    )
    .await;
    w2.kill9();
    let held = env
        .scalar(&format!(
            "SELECT COUNT(*) FROM jobs WHERE state = 'running' AND locked_by LIKE '%-{w2_pid}-%'"
        ))
        .await;
    let labeled_before_kill = env
        .scalar("SELECT COUNT(*) FROM images WHERE status = 'ready'")
        .await;
    eprintln!("worker 2 was killed holding {held} jobs ({labeled_before_kill} images ready)");
    assert!(
        held > 0 || labeled_before_kill == total,
        "the killed worker held jobs (or had finished them all)"
    );
    let (mut w3, w3_base) = start_worker(&env, &http, "worker-3", 8).await;
    wait_until(
        "every image ready after the kill",
        Duration::from_secs(120),
        move || async move {
            e.scalar("SELECT COUNT(*) FROM images WHERE status = 'ready'")
                .await
                == total
        },
    )
    .await;
    assert_eq!(env.scalar("SELECT COUNT(*) FROM images").await, total);
    assert_eq!(
        env.scalar("SELECT COUNT(*) FROM jobs WHERE state <> 'done'")
            .await,
        0,
        "no job left behind"
    );
    // The jobs the killed worker held ran again (twice in all); the others once.
    assert_eq!(
        env.scalar("SELECT COUNT(*) FROM jobs WHERE attempts > 1")
            .await,
        held
    );
    let w3m = metrics(&http, &w3_base).await;
    assert_eq!(
        w3m.value("banana_label_jobs_total{result=\"done\"}") as i64
            + (labeled_before_kill - ready_before),
        16,
        "worker 3 did exactly what worker 2 left"
    );
    for id in &pending {
        let v = get_json(&http, &format!("{}/api/v1/images/{id}", b.base), &token).await;
        assert_eq!(v["status"], "ready");
        assert!(!v["labels"].as_array().unwrap().is_empty());
    }

    // Everything else stops cleanly.
    for p in [&mut w3, &mut b.proc] {
        let status = p.terminate(Duration::from_secs(30));
        assert!(status.success(), "{status:?}\n{}", p.log_text());
    }
}
