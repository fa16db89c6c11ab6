//! A real Banana app per test: its own SQLite file and data folder, or its own PostgreSQL
//! database and S3 bucket (on the servers `scripts/test.sh` starts), driven through the real
//! router. Nothing is mocked; each test's state is its own, so tests run in parallel.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use banana_core::config::StorageConfig;
use banana_core::storage::S3Settings;
use banana_core::{App, Config};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::env::{models_dir, need_var, skip, test_s3};

pub struct TestApp {
    pub app: Arc<App>,
    pub router: Router,
    /// The signed-in owner's bearer token, sent by [`TestApp::request`] (and `get`, `delete`,
    /// `upload`) with every request that has no Authorization header of its own.
    pub token: Option<String>,
    pub backend: &'static str,
    _dir: tempfile::TempDir,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: bytes::Bytes,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        Self::sqlite_with(|_| {}).await
    }

    pub async fn sqlite_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::embedded(dir.path().join("data"));
        adjust(&mut config);
        Self::start(config, dir, "sqlite+local").await
    }

    /// PostgreSQL + S3, or `None` (skip) when the test servers are not configured.
    pub async fn postgres_s3() -> Option<TestApp> {
        Self::postgres_s3_with(|_| {}).await
    }

    pub async fn postgres_s3_with(adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let pg = need_var("BANANA_TEST_PG_URL")?;
        let s3 = test_s3()?;
        let (name, url) = create_pg_database(&pg).await;
        let bucket = s3.create_bucket(&name.replace('_', "-"));
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::embedded(dir.path().join("data"));
        config.database_url = url;
        config.storage = StorageConfig::S3(S3Settings {
            endpoint: s3.endpoint,
            public_url: s3.public_url,
            bucket,
            access_key: s3.access_key,
            secret_key: s3.secret_key,
            region: "us-east-1".into(),
        });
        adjust(&mut config);
        Some(Self::start(config, dir, "postgres+s3").await)
    }

    /// Load the real classifier from the shared model cache (fetching it on first use) and
    /// seed the label vocabulary.
    pub async fn with_models(self) -> TestApp {
        let dir = models_dir();
        let app = self.app.clone();
        let ready = tokio::task::spawn_blocking(move || app.models.load(&dir, true, 1))
            .await
            .unwrap();
        assert!(
            ready,
            "models could not be loaded: {:?}",
            self.app.models.state()
        );
        self.app.seed_labels().await.unwrap();
        self
    }

    async fn start(config: Config, dir: tempfile::TempDir, backend: &'static str) -> TestApp {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| "warn".into()),
            )
            .with_test_writer()
            .try_init();
        let app = App::build(config, true).await.expect("app builds");
        let mut t = TestApp {
            router: banana_server::router(app.clone()),
            app,
            token: None,
            backend,
            _dir: dir,
        };
        t.token = Some(t.user("owner", false).await);
        t
    }

    /// Create an account the way `banana user create` does (the domain call the CLI makes) and
    /// sign it in; its bearer token. [`TestApp::create_user`] is the same through the API.
    pub async fn user(&self, name: &str, admin: bool) -> String {
        self.app
            .create_user(name, "correct horse battery", admin)
            .await
            .unwrap();
        self.app
            .login(name, "correct horse battery", "127.0.0.1")
            .await
            .unwrap()
            .0
    }

    /// Send a request as given (no token added).
    pub async fn raw(&self, req: Request<Body>) -> TestResponse {
        send(self.router.clone(), req).await
    }

    pub async fn request(&self, mut req: Request<Body>) -> TestResponse {
        if let Some(token) = &self.token {
            if !req.headers().contains_key(header::AUTHORIZATION) {
                req.headers_mut().insert(
                    header::AUTHORIZATION,
                    format!("Bearer {token}").parse().unwrap(),
                );
            }
        }
        self.raw(req).await
    }

    /// `GET uri` as the owner (see [`TestApp::owner`]).
    pub async fn get(&self, uri: &str) -> TestResponse {
        self.owner().get(uri).await
    }

    /// `DELETE uri` as the owner.
    pub async fn delete(&self, uri: &str) -> TestResponse {
        self.owner().delete(uri).await
    }

    /// POST a multipart upload with one file part and optional text fields, as the owner.
    pub async fn upload(
        &self,
        filename: &str,
        bytes: &[u8],
        fields: &[(&str, &str)],
    ) -> TestResponse {
        self.owner().upload(filename, bytes, fields).await
    }

    /// Every object key in the store.
    pub async fn objects(&self) -> Vec<String> {
        let mut all = Vec::new();
        for prefix in ["originals", "thumbnails", "previews", "public"] {
            all.extend(self.app.storage.list(prefix).await.unwrap());
        }
        all
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx_scalar(&self.app.db, &format!("SELECT COUNT(*) FROM {table}")).await
    }
}

/// Sends `req` through `router` (the app's, a clone of it, or another such as
/// `banana_server::ops_router`) and reads the whole response. Owns what it needs, so it can
/// run in a spawned task (requests in parallel).
pub async fn send(router: Router, req: Request<Body>) -> TestResponse {
    let res = router.oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    TestResponse {
        status,
        headers,
        body,
    }
}

pub fn multipart(filename: &str, bytes: &[u8], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "----banana-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn url_with_db(base: &str, db: &str) -> String {
    let (head, query) = match base.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (base, None),
    };
    let prefix = match head.rfind('/') {
        Some(i) if i > "postgres://".len() => &head[..i],
        _ => head,
    };
    match query {
        Some(q) => format!("{prefix}/{db}?{q}"),
        None => format!("{prefix}/{db}"),
    }
}

/// A fresh database `bt_<random>` on the PostgreSQL server of `admin_url` (which names any
/// database of it): its name and URL. Nothing drops it (`scripts/test.sh` drops every `bt_*`
/// database); [`PgDatabase`] does, when dropped.
pub async fn create_pg_database(admin_url: &str) -> (String, String) {
    let name = format!("bt_{}", uuid::Uuid::new_v4().simple());
    let admin = banana_core::db::Db::connect(admin_url, 1)
        .await
        .expect("test PostgreSQL reachable");
    sqlx_exec(&admin, &format!("CREATE DATABASE {name}")).await;
    admin.close().await;
    let url = url_with_db(admin_url, &name);
    (name, url)
}

/// A fresh PostgreSQL database of one test ([`create_pg_database`]), dropped (`WITH (FORCE)`,
/// best effort) when this is dropped.
pub struct PgDatabase {
    pub name: String,
    pub url: String,
    admin_url: String,
}

impl PgDatabase {
    pub async fn create(admin_url: &str) -> PgDatabase {
        let (name, url) = create_pg_database(admin_url).await;
        PgDatabase {
            name,
            url,
            admin_url: admin_url.to_string(),
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        // A runtime of its own on a thread of its own: this may run inside a test's runtime.
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok(admin) = banana_core::db::Db::connect(&admin_url, 1).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = banana_core::db::raw::execute(&admin, &sql).await;
                    admin.close().await;
                }
            });
        })
        .join();
    }
}

/// The models folder ([`models_dir`]) when the models are in it (`banana models fetch` puts
/// them there); else [`skip`].
pub fn need_models() -> Option<PathBuf> {
    let dir = models_dir();
    if banana_core::models::locate(&dir).is_some() {
        Some(dir)
    } else {
        skip(&format!(
            "no models in {} (run `banana models fetch`)",
            dir.display()
        ))
    }
}

pub async fn sqlx_exec(db: &banana_core::db::Db, sql: &str) {
    banana_core::db::raw::execute(db, sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

pub async fn sqlx_scalar(db: &banana_core::db::Db, sql: &str) -> i64 {
    banana_core::db::raw::scalar_i64(db, sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A small real photo-like JPEG, different for each seed.
pub fn jpeg(seed: u8, w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x as u8).wrapping_mul(seed),
            (y as u8).wrapping_add(seed),
            seed,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}
