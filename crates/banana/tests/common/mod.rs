//! What the tests of the `banana` binary share: the binary run as a real process with an
//! environment of the test's own (none of the caller's but PATH, HOME and ORT_DYLIB_PATH), its
//! long-running processes (`banana serve`, `banana worker`) with their logs, waiting for them,
//! and the HTTP calls such tests make (sign-in, upload, metrics). Data, models and test servers
//! come from the test kit (`banana-testkit`), re-exported here.
#![allow(dead_code, unused_imports)]

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub use banana_testkit::*;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_banana");

/// How long a process may take to answer `/readyz` after it was started.
const READY_WITHIN: Duration = Duration::from_secs(120);

/// `banana` with an environment of its own: PATH, HOME and ORT_DYLIB_PATH (when set) of the
/// caller's, `BANANA_DATA_DIR=data_dir`, the models of [`models_dir`] and no fetching. Add
/// the arguments and any further variables (a later one wins).
pub fn banana(data_dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.env_clear();
    for keep in ["PATH", "HOME", "ORT_DYLIB_PATH"] {
        if let Some(v) = std::env::var_os(keep) {
            c.env(keep, v);
        }
    }
    c.env("BANANA_DATA_DIR", data_dir)
        .env("BANANA_MODELS_DIR", models_dir())
        .env("BANANA_MODELS_AUTO_FETCH", "false");
    c
}

/// Runs `banana user create --username NAME [--admin]` (which migrates first) with `cmd`'s
/// environment and [`PASSWORD`] on stdin; fails the test unless it succeeds.
pub fn create_user(mut cmd: Command, name: &str, admin: bool) {
    cmd.args(["user", "create", "--username", name]);
    if admin {
        cmd.arg("--admin");
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("banana user create");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        writeln!(stdin, "{PASSWORD}").expect("password");
    }
    let out = child.wait_with_output().expect("user create");
    assert!(out.status.success(), "user create: {}", text(&out));
}

/// A finished process's status, stdout and stderr, for failure messages.
pub fn text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Sends signal `name` (`TERM`, `INT`) to process `pid`, without waiting.
pub fn signal(pid: u32, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .expect("kill");
    assert!(ok.success(), "kill -{name} {pid}");
}

/// A port on 127.0.0.1 that nothing listens on (now).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A long-running process with its stderr in a log file; killed (SIGKILL) when dropped.
pub struct Proc {
    child: Option<Child>,
    pub log: PathBuf,
}

impl Proc {
    /// Starts `cmd` (stdin and stdout closed, stderr into `log`).
    pub fn spawn(mut cmd: Command, log: PathBuf) -> Proc {
        let file = std::fs::File::create(&log).expect("log file");
        let child = cmd
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

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// SIGKILL, and reap it.
    pub fn kill9(&mut self) {
        let mut c = self.child.take().expect("running");
        c.kill().expect("SIGKILL");
        c.wait().expect("reap");
    }

    /// SIGTERM (without waiting).
    pub fn signal_term(&self) {
        signal(self.pid(), "TERM");
    }

    /// SIGTERM, then [`Proc::wait_exit`].
    pub fn terminate(&mut self, limit: Duration) -> ExitStatus {
        self.signal_term();
        self.wait_exit(limit)
    }

    /// Its exit status; fails the test (after SIGKILL) when it runs longer than `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
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

    pub fn log_text(&self) -> String {
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

/// Starts `cmd` with each of `listen` (`BANANA_LISTEN`, `BANANA_METRICS_LISTEN`,
/// `BANANA_WORKER_LISTEN`) set to a free port of 127.0.0.1, and waits until every one of them
/// answers `/readyz` with a success; the process and the base URL of each port, in order.
pub async fn spawn_ready(mut cmd: Command, log: PathBuf, listen: &[&str]) -> (Proc, Vec<String>) {
    let mut bases = Vec::new();
    for var in listen {
        let port = free_port();
        cmd.env(var, format!("127.0.0.1:{port}"));
        bases.push(format!("http://127.0.0.1:{port}"));
    }
    let proc = Proc::spawn(cmd, log);
    let http = reqwest::Client::new();
    for base in &bases {
        let start = Instant::now();
        loop {
            if let Ok(r) = http.get(format!("{base}/readyz")).send().await {
                if r.status().is_success() {
                    break;
                }
            }
            assert!(
                start.elapsed() < READY_WITHIN,
                "{base} did not become ready\n{}",
                proc.log_text()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    (proc, bases)
}

/// What a condition polled by [`wait_until`] returns: `true`/`Ok(())` when met, else
/// `false` or `Err(what the state is)`.
pub trait Condition {
    fn state(self) -> Result<(), String>;
}

impl Condition for bool {
    fn state(self) -> Result<(), String> {
        if self {
            Ok(())
        } else {
            Err("not yet".into())
        }
    }
}

impl Condition for Result<(), String> {
    fn state(self) -> Result<(), String> {
        self
    }
}

/// Polls `check` every 100 ms until it is met; fails the test with its last state after
/// `limit`.
pub async fn wait_until<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future,
    Fut::Output: Condition,
{
    let start = Instant::now();
    loop {
        match check().await.state() {
            Ok(()) => return,
            Err(state) => assert!(
                start.elapsed() < limit,
                "timed out after {limit:?} waiting for {what}: {state}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A signed-in session: the bearer token and the `name=value` session cookie.
pub struct Session {
    pub token: String,
    pub cookie: String,
}

/// `POST base/api/v1/auth/login` as `user` with [`PASSWORD`]; fails the test unless it is 200.
pub async fn login(http: &reqwest::Client, base: &str, user: &str) -> Session {
    let r = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": user, "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), 200, "login as {user}");
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_string();
    let token = r.json::<Value>().await.expect("login json")["token"]
        .as_str()
        .expect("token")
        .to_string();
    Session { token, cookie }
}

/// One answered upload: its status, JSON body (`Null` when there is none), Retry-After header
/// and how long it took.
pub struct Uploaded {
    pub status: u16,
    pub body: Value,
    pub retry_after: Option<String>,
    pub took: Duration,
}

/// `POST base/api/v1/images` of the file at `path` (multipart, its file name) as `token`; an
/// `Err` only when no answer came (the server is gone).
pub async fn upload(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    path: &Path,
) -> Result<Uploaded, reqwest::Error> {
    let bytes = std::fs::read(path).expect("read sample");
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name),
    );
    let start = Instant::now();
    let r = http
        .post(format!("{base}/api/v1/images"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await?;
    let status = r.status().as_u16();
    let retry_after = retry_after(&r);
    let body: Value = r.json().await.unwrap_or(Value::Null);
    Ok(Uploaded {
        status,
        body,
        retry_after,
        took: start.elapsed(),
    })
}

/// The Retry-After header of a response.
pub fn retry_after(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `GET url` as `token`: the JSON body; fails the test unless the status is a success.
pub async fn get_json(http: &reqwest::Client, url: &str, token: &str) -> Value {
    let r = http.get(url).bearer_auth(token).send().await.expect(url);
    assert!(r.status().is_success(), "{url}: {}", r.status());
    r.json().await.expect("json")
}

/// The value of one series of a Prometheus text exposition, written as it is exposed
/// (`name{a="b",c="d"}`); 0 when absent.
pub fn metric(text: &str, series: &str) -> f64 {
    let prefix = format!("{series} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map_or(0.0, |v| v.trim().parse().expect("sample value"))
}
