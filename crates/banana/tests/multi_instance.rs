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

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use banana_core::db::{raw, Db};
use common::{PgDatabase, Proc};
use serde_json::Value;

/// One PostgreSQL database and one bucket for every process of the test, and the variables
/// that point `banana` at them.
struct Env {
    vars: Vec<(String, String)>,
    db: Db,
    _database: PgDatabase,
    _tmp: tempfile::TempDir,
    tmp: PathBuf,
}

impl Env {
    async fn new() -> Option<Env> {
        let pg = common::need_var("BANANA_TEST_PG_URL")?;
        let s3 = common::test_s3()?;
        common::need_models()?;
        // A database and a bucket of our own.
        let database = PgDatabase::create(&pg).await;
        let bucket = s3.create_bucket(&database.name.replace('_', "-"));
        let tmp = tempfile::tempdir().expect("tempdir");
        let vars = vec![
            ("DATABASE_URL", database.url.clone()),
            (
                "S3_PUBLIC_URL",
                s3.public_url.unwrap_or(s3.endpoint.clone()),
            ),
            ("S3_ENDPOINT_URL", s3.endpoint),
            ("S3_BUCKETNAME", bucket),
            ("S3_ACCESS_KEY", s3.access_key),
            ("S3_SECRET_KEY", s3.secret_key),
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
        let db = Db::connect(&database.url, 2)
            .await
            .expect("test connection");
        Some(Env {
            vars,
            db,
            _database: database,
            tmp: tmp.path().to_path_buf(),
            _tmp: tmp,
        })
    }

    /// `banana` for the process `name` (its own data folder), pointed at the shared database
    /// and bucket.
    fn command(&self, name: &str) -> Command {
        let mut c = common::banana(&self.tmp.join(name));
        c.envs(self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        c
    }

    /// A long-running process with its stderr in `<tmp>/<name>.log`, ready on each of `listen`.
    async fn spawn(&self, name: &str, cmd: Command, listen: &[&str]) -> (Proc, Vec<String>) {
        common::spawn_ready(cmd, self.tmp.join(format!("{name}.log")), listen).await
    }

    async fn scalar(&self, sql: &str) -> i64 {
        raw::scalar_i64(&self.db, sql).await.expect(sql)
    }
}

struct Instance {
    base: String,
    /// The operations port (BANANA_METRICS_LISTEN): health and `/metrics`.
    ops: String,
    proc: Proc,
}

/// `banana serve`, with in-process labeling workers or (`worker: false`) HTTP only.
async fn start_instance(env: &Env, name: &str, worker: bool) -> Instance {
    let mut cmd = env.command(name);
    cmd.arg("serve");
    if !worker {
        cmd.arg("--no-worker");
    }
    let (proc, bases) = env
        .spawn(name, cmd, &["BANANA_LISTEN", "BANANA_METRICS_LISTEN"])
        .await;
    let [base, ops] = <[String; 2]>::try_from(bases).expect("two ports");
    Instance { base, ops, proc }
}

/// A worker with its health and metrics endpoint; returns it and that endpoint's base URL.
async fn start_worker(env: &Env, name: &str, batch: usize) -> (Proc, String) {
    let mut cmd = env.command(name);
    cmd.arg("worker")
        .env("BANANA_WORKER_BATCH", batch.to_string());
    let (proc, mut bases) = env.spawn(name, cmd, &["BANANA_WORKER_LISTEN"]).await;
    (proc, bases.remove(0))
}

/// `n` sample photos spread over the classes (every 13th file) rather than the first 66 fish.
fn sample_images(n: usize) -> Option<Vec<PathBuf>> {
    Some(
        common::imagenet_jpegs()?
            .into_iter()
            .step_by(13)
            .take(n)
            .collect(),
    )
}

/// An upload that must be created (201); its body.
async fn upload(http: &reqwest::Client, base: &str, token: &str, path: &Path) -> Value {
    let up = common::upload(http, base, token, path)
        .await
        .expect("upload");
    assert_eq!(up.status, 201, "{}", up.body);
    up.body
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
    /// The value of one series (see [`common::metric`]).
    fn value(&self, series: &str) -> f64 {
        common::metric(&self.text, series)
    }
}

async fn search_ids(http: &reqwest::Client, base: &str, token: &str, q: &str) -> Vec<String> {
    let url = format!("{base}/api/v1/search?q={}&limit=100", urlencode(q));
    let page = common::get_json(http, &url, token).await;
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
    let Some(files) = sample_images(67) else {
        return;
    };
    let http = reqwest::Client::new();
    // References for the polling closures below (each poll gets a fresh future).
    let (e, h) = (&env, &http);

    // Rolling-upgrade order: migrate once, then start instances that do not migrate.
    let status = env
        .command("migrate")
        .arg("migrate")
        .stderr(Stdio::null())
        .status()
        .expect("banana migrate");
    assert!(status.success());
    common::create_user(env.command("admin"), "alice", true);

    let mut a = start_instance(&env, "serve-a", true).await;
    let mut b = start_instance(&env, "serve-b", false).await;

    // A session made on A works on B (sessions live in the database).
    let common::Session { token, cookie } = common::login(&http, &a.base, "alice").await;
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
    let (mut w1, w1_base) = start_worker(&env, "worker-1", 8).await;
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
    common::wait_until(
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
            let v =
                common::get_json(&http, &format!("{}/api/v1/images/{id}", a.base), &token).await;
            m.insert(id.clone(), v);
        }
        m
    };
    // Photos with a label shown (an unsure photo shows none).
    let labeled = |id: &String| {
        views[id]["labels"]
            .as_array()
            .is_some_and(|l| !l.is_empty())
    };
    for (id, via) in uploaded.iter().filter(|(id, _)| labeled(id)).take(6) {
        let other = if via == &a.base { &b.base } else { &a.base };
        let label = views[id]["labels"][0]["name"]
            .as_str()
            .expect("top label")
            .to_string();
        let (t, l) = (&token, &label);
        common::wait_until(
            &format!("{id} ({label}) in search on the other instance"),
            Duration::from_secs(15),
            move || async move { search_ids(h, other, t, l).await.contains(id) },
        )
        .await;
    }

    // A delete on A (to the trash) is gone from B's search at once (results are read back from
    // the database); emptying the trash on A drops it from B's index within a few seconds.
    let (victim, _) = uploaded
        .iter()
        .find(|(id, via)| via == &b.base && labeled(id))
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
    let emptied = http
        .delete(format!("{}/api/v1/trash", a.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("empty the trash");
    assert_eq!(emptied.status(), 200);
    let b_ops = &b.ops;
    common::wait_until(
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
    common::wait_until(
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
    common::wait_until(
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
    let (mut w2, _) = start_worker(&env, "worker-2", 16).await;
    let w2_pid = w2.pid();
    common::wait_until(
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
    let (mut w3, w3_base) = start_worker(&env, "worker-3", 8).await;
    common::wait_until(
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
        let v = common::get_json(&http, &format!("{}/api/v1/images/{id}", b.base), &token).await;
        assert_eq!(v["status"], "ready");
        assert_eq!(v["predictions"].as_array().unwrap().len(), 5, "{v}");
    }

    // Everything else stops cleanly.
    for p in [&mut w3, &mut b.proc] {
        let status = p.terminate(Duration::from_secs(30));
        assert!(status.success(), "{status:?}\n{}", p.log_text());
    }
}
