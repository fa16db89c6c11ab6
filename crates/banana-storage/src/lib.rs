//! Object storage for Banana: originals and derived images under content-addressed keys, in a
//! local folder (the embedded default) or any S3-compatible bucket, behind one interface.
//! On S3 the originals are handed out as short-lived presigned URLs signed for the public host;
//! the bucket itself stays private.
//!
//! Every operation is bounded in time: an S3 store that is down or hangs makes each call fail
//! within [`Storage::timeout`] (a few seconds; larger puts get time for their bytes) with an
//! error that [`StorageError::is_unavailable`] recognises, instead of the client's default of
//! up to ten retries over three minutes. Callers answer that with 503 and retry later.

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::stream::BoxStream;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::signer::Signer;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientOptions, ObjectStore, PutOptions, PutPayload,
    RetryConfig,
};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("object not found: {0}")]
    NotFound(String),
    #[error("storage configuration: {0}")]
    Config(String),
    #[error("storage error: {0}")]
    Backend(#[from] object_store::Error),
    #[error("storage I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The store did not answer within the bound ([`Storage::timeout`]).
    #[error("storage did not answer within {0:?}")]
    Timeout(Duration),
}

impl StorageError {
    /// The store cannot be reached right now (connection refused or reset, timed out): a
    /// condition that passes by itself, unlike a missing object, a bad key or a wrong secret.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StorageError::Timeout(_) => true,
            StorageError::Backend(e) => {
                // object_store wraps the HTTP client's error (through its retry error) without
                // exposing the kind by type; the client's and the socket's errors are in the
                // chain of sources.
                let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
                while let Some(err) = source {
                    if let Some(http) = err.downcast_ref::<object_store::client::HttpError>() {
                        use object_store::client::HttpErrorKind as K;
                        if matches!(
                            http.kind(),
                            K::Connect | K::Request | K::Timeout | K::Interrupted
                        ) {
                            return true;
                        }
                    }
                    if let Some(r) = err.downcast_ref::<reqwest::Error>() {
                        if r.is_connect() || r.is_timeout() {
                            return true;
                        }
                    }
                    if let Some(io) = err.downcast_ref::<std::io::Error>() {
                        use std::io::ErrorKind as K;
                        if matches!(
                            io.kind(),
                            K::ConnectionRefused
                                | K::ConnectionReset
                                | K::ConnectionAborted
                                | K::BrokenPipe
                                | K::TimedOut
                                | K::UnexpectedEof
                        ) {
                            return true;
                        }
                    }
                    source = err.source();
                }
                false
            }
            _ => false,
        }
    }
}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// Connection settings for an S3-compatible store.
#[derive(Clone)]
pub struct S3Settings {
    /// e.g. `http://127.0.0.1:9000` for MinIO; path-style addressing is always used.
    pub endpoint: String,
    /// The base URL browsers reach the store at; presigned URLs are signed for this host.
    pub public_url: Option<String>,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
    pub region: String,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("endpoint", &self.endpoint)
            .field("public_url", &self.public_url)
            .field("bucket", &self.bucket)
            .field("access_key", &"[redacted]")
            .field("secret_key", &"[redacted]")
            .field("region", &self.region)
            .finish()
    }
}

/// The object keys of one image's content.
pub mod keys {
    fn fanout(sha256: &str) -> &str {
        sha256.get(..2).unwrap_or("xx")
    }
    pub fn original(sha256: &str) -> String {
        format!("originals/{}/{sha256}", fanout(sha256))
    }
    pub fn thumbnail(sha256: &str) -> String {
        format!("thumbnails/{}/{sha256}.jpg", fanout(sha256))
    }
    pub fn preview(sha256: &str) -> String {
        format!("previews/{}/{sha256}.jpg", fanout(sha256))
    }
    /// The copy of the original without personal metadata that everyone but the owner gets
    /// (`banana_media::strip`). Versioned: when the rules for what a copy keeps change, the
    /// version changes, so no copy made by older rules is ever served; those are removed by
    /// `banana_core::privacy` (see [`LEGACY_PUBLIC_PREFIX`]).
    pub fn public_original(sha256: &str) -> String {
        format!("{PUBLIC_PREFIX}/{}/{sha256}", fanout(sha256))
    }
    /// Where [`public_original`] copies live (under the `public/` folder, beside the
    /// unversioned copies of earlier releases).
    pub const PUBLIC_PREFIX: &str = "public/v2";
    /// The folder of the copies made by releases before the key was versioned (`public/ab/…`);
    /// they may hold metadata the current rules remove. Everything in it that is not under
    /// [`PUBLIC_PREFIX`] is such a copy.
    pub const LEGACY_PUBLIC_PREFIX: &str = "public";
    /// The unversioned copy earlier releases made (only ever deleted now).
    pub fn legacy_public_original(sha256: &str) -> String {
        format!("{LEGACY_PUBLIC_PREFIX}/{}/{sha256}", fanout(sha256))
    }
    /// Whether a key under [`LEGACY_PUBLIC_PREFIX`] is a copy made by the old rules.
    pub fn is_legacy_public(key: &str) -> bool {
        key.starts_with(&format!("{LEGACY_PUBLIC_PREFIX}/"))
            && !key.starts_with(&format!("{PUBLIC_PREFIX}/"))
    }
    /// Every key that may exist for this content.
    pub fn all(sha256: &str) -> [String; 5] {
        [
            original(sha256),
            thumbnail(sha256),
            preview(sha256),
            public_original(sha256),
            legacy_public_original(sha256),
        ]
    }
}

/// A stored object being read.
pub struct Object {
    pub size: u64,
    pub stream: BoxStream<'static, Result<Bytes, object_store::Error>>,
}

#[derive(Clone)]
enum Kind {
    Local {
        root: PathBuf,
    },
    S3 {
        signer: Arc<AmazonS3>,
        bucket: String,
    },
}

/// The default bound of one storage operation.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// How fast a put is assumed to move at least, for its time bound beyond [`Storage::timeout`].
const MIN_PUT_BYTES_PER_SEC: u64 = 1 << 20;

/// The object store Banana writes to.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    kind: Kind,
    timeout: Duration,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Storage {
    /// A folder on the local disk, created if missing.
    pub fn local(root: &FsPath) -> Result<Storage> {
        std::fs::create_dir_all(root)?;
        let root = root.canonicalize()?;
        let store = LocalFileSystem::new_with_prefix(&root)?;
        Ok(Storage {
            store: Arc::new(store),
            kind: Kind::Local { root },
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// An S3-compatible bucket (path-style addressing: works with MinIO, s3s and AWS), each
    /// operation bounded by [`DEFAULT_TIMEOUT`].
    pub fn s3(settings: &S3Settings) -> Result<Storage> {
        Storage::s3_with_timeout(settings, DEFAULT_TIMEOUT)
    }

    /// An S3-compatible bucket whose operations each fail within `timeout` when the store is
    /// down or does not answer: connecting is bounded by it, a failed request is retried at
    /// most twice with short waits and never after `timeout`, and the whole call is cut off at
    /// `timeout` (puts get one more second per MiB).
    pub fn s3_with_timeout(settings: &S3Settings, timeout: Duration) -> Result<Storage> {
        let timeout = timeout.max(Duration::from_millis(100));
        let retry = RetryConfig {
            backoff: BackoffConfig {
                init_backoff: Duration::from_millis(50),
                max_backoff: (timeout / 4).min(Duration::from_secs(1)),
                base: 2.0,
            },
            max_retries: 2,
            retry_timeout: timeout,
        };
        // The client's own request timeout covers the body as well; it only has to stop
        // transfers that stall (the per-call bound below is the one callers see).
        let client = ClientOptions::new()
            .with_connect_timeout(timeout)
            .with_timeout(Duration::from_secs(30).max(timeout * 6));
        let build = |endpoint: &str| -> Result<AmazonS3> {
            Ok(AmazonS3Builder::new()
                .with_client_options(client.clone())
                .with_retry(retry.clone())
                .with_endpoint(endpoint.trim_end_matches('/'))
                .with_bucket_name(&settings.bucket)
                .with_access_key_id(&settings.access_key)
                .with_secret_access_key(&settings.secret_key)
                .with_region(&settings.region)
                .with_allow_http(true)
                .with_virtual_hosted_style_request(false)
                .build()?)
        };
        let store = build(&settings.endpoint)?;
        let signer = match &settings.public_url {
            Some(public) => build(public)?,
            None => build(&settings.endpoint)?,
        };
        Ok(Storage {
            store: Arc::new(store),
            kind: Kind::S3 {
                signer: Arc::new(signer),
                bucket: settings.bucket.clone(),
            },
            timeout,
        })
    }

    /// The bound of one operation (puts: plus a second per MiB).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Run one store call within `limit`.
    async fn bounded<T>(
        &self,
        limit: Duration,
        call: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        match tokio::time::timeout(limit, call).await {
            Ok(r) => r,
            Err(_) => Err(StorageError::Timeout(limit)),
        }
    }

    /// A one-line description for logs (no secrets).
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Local { root } => format!("local folder {}", root.display()),
            Kind::S3 { bucket, .. } => format!("S3 bucket {bucket}"),
        }
    }

    pub fn is_local(&self) -> bool {
        matches!(self.kind, Kind::Local { .. })
    }

    /// Write an object (atomically on both backends: readers never see half an object).
    pub async fn put(&self, key: &str, data: Bytes, content_type: &str) -> Result<()> {
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, content_type.to_string().into());
        let opts = PutOptions {
            attributes: if self.is_local() {
                Attributes::new()
            } else {
                attributes
            },
            ..Default::default()
        };
        let limit = self.timeout + Duration::from_secs(data.len() as u64 / MIN_PUT_BYTES_PER_SEC);
        self.bounded(limit, async {
            self.store
                .put_opts(&Path::from(key), PutPayload::from(data), opts)
                .await?;
            Ok(())
        })
        .await
    }

    /// Open an object for reading (the bound covers the call until the body starts).
    pub async fn get(&self, key: &str) -> Result<Object> {
        self.bounded(self.timeout, async {
            match self.store.get(&Path::from(key)).await {
                Ok(r) => Ok(Object {
                    size: r.meta.size,
                    stream: r.into_stream(),
                }),
                Err(object_store::Error::NotFound { .. }) => {
                    Err(StorageError::NotFound(key.to_string()))
                }
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    /// Read a whole object into memory.
    pub async fn get_bytes(&self, key: &str) -> Result<Bytes> {
        let r = self
            .bounded(self.timeout, async {
                match self.store.get(&Path::from(key)).await {
                    Ok(r) => Ok(r),
                    Err(object_store::Error::NotFound { .. }) => {
                        Err(StorageError::NotFound(key.to_string()))
                    }
                    Err(e) => Err(e.into()),
                }
            })
            .await?;
        let limit = self.timeout + Duration::from_secs(r.meta.size / MIN_PUT_BYTES_PER_SEC);
        self.bounded(limit, async { Ok(r.bytes().await?) }).await
    }

    pub async fn exists(&self, key: &str) -> Result<bool> {
        self.bounded(self.timeout, async {
            match self.store.head(&Path::from(key)).await {
                Ok(_) => Ok(true),
                Err(object_store::Error::NotFound { .. }) => Ok(false),
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    /// Delete an object; deleting one that is not there is not an error.
    pub async fn delete(&self, key: &str) -> Result<()> {
        self.bounded(self.timeout, async {
            match self.store.delete(&Path::from(key)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    /// A presigned GET URL valid for `ttl`, signed for the public host; `None` for local storage
    /// (the server streams those itself).
    pub async fn presign_get(&self, key: &str, ttl: Duration) -> Result<Option<url::Url>> {
        match &self.kind {
            Kind::Local { .. } => Ok(None),
            Kind::S3 { signer, .. } => Ok(Some(
                signer
                    .signed_url(http::Method::GET, &Path::from(key), ttl)
                    .await?,
            )),
        }
    }

    /// Every key under a prefix (for sweeps and tests).
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>> {
        use futures::TryStreamExt;
        let prefix = Path::from(prefix);
        let metas: Vec<_> = self.store.list(Some(&prefix)).try_collect().await?;
        Ok(metas.into_iter().map(|m| m.location.to_string()).collect())
    }

    /// A round trip to the store, for readiness checks.
    pub async fn check(&self) -> Result<()> {
        self.exists(".banana-readiness-probe").await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_roundtrip_and_delete() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::local(dir.path()).unwrap();
        let key = keys::original("abcdef");
        assert_eq!(key, "originals/ab/abcdef");
        assert_eq!(keys::public_original("abcdef"), "public/v2/ab/abcdef");
        assert!(keys::is_legacy_public(&keys::legacy_public_original(
            "abcdef"
        )));
        assert!(!keys::is_legacy_public(&keys::public_original("abcdef")));
        assert!(!keys::is_legacy_public(&keys::original("abcdef")));
        s.put(&key, Bytes::from_static(b"hello"), "text/plain")
            .await
            .unwrap();
        assert!(s.exists(&key).await.unwrap());
        assert_eq!(
            s.get_bytes(&key).await.unwrap(),
            Bytes::from_static(b"hello")
        );
        assert_eq!(s.list("originals").await.unwrap(), vec![key.clone()]);
        assert!(s
            .presign_get(&key, Duration::from_secs(60))
            .await
            .unwrap()
            .is_none());
        s.delete(&key).await.unwrap();
        s.delete(&key).await.unwrap();
        assert!(!s.exists(&key).await.unwrap());
        assert!(matches!(s.get(&key).await, Err(StorageError::NotFound(_))));
        s.check().await.unwrap();
    }

    /// A store nobody listens for fails fast (not after the client's default three minutes of
    /// retries) with an error callers can tell from a bug.
    #[tokio::test]
    async fn an_unreachable_store_fails_within_the_bound_as_unavailable() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let settings = S3Settings {
            endpoint: format!("http://127.0.0.1:{port}"),
            public_url: None,
            bucket: "b".into(),
            access_key: "a".into(),
            secret_key: "s".into(),
            region: "us-east-1".into(),
        };
        let s = Storage::s3_with_timeout(&settings, Duration::from_secs(1)).unwrap();
        let start = std::time::Instant::now();
        let e = s
            .put("k", Bytes::from_static(b"x"), "text/plain")
            .await
            .unwrap_err();
        assert!(e.is_unavailable(), "{e}");
        let e = s.get_bytes("k").await.unwrap_err();
        assert!(e.is_unavailable(), "{e}");
        assert!(s.exists("k").await.unwrap_err().is_unavailable());
        assert!(s.delete("k").await.unwrap_err().is_unavailable());
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        // A listener that accepts but never answers: cut off at the bound.
        let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = silent.local_addr().unwrap();
        let _hold = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((c, _)) = silent.accept().await {
                held.push(c);
            }
        });
        let settings = S3Settings {
            endpoint: format!("http://{addr}"),
            ..settings
        };
        let s = Storage::s3_with_timeout(&settings, Duration::from_secs(1)).unwrap();
        let start = std::time::Instant::now();
        let e = s.exists("k").await.unwrap_err();
        assert!(e.is_unavailable(), "{e}");
        assert!(
            start.elapsed() < Duration::from_millis(1500),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn debug_redacts_secrets() {
        let settings = S3Settings {
            endpoint: "http://127.0.0.1:9000".into(),
            public_url: None,
            bucket: "b".into(),
            access_key: "AKIDSECRET".into(),
            secret_key: "SUPERSECRET".into(),
            region: "us-east-1".into(),
        };
        let text = format!("{settings:?}");
        assert!(!text.contains("SUPERSECRET") && !text.contains("AKIDSECRET"));
    }
}
