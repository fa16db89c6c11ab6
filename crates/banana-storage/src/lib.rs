//! Object storage for Banana: originals and derived images under content-addressed keys, in a
//! local folder (the embedded default) or any S3-compatible bucket, behind one interface.
//! On S3 the originals are handed out as short-lived presigned URLs signed for the public host;
//! the bucket itself stays private.

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::stream::BoxStream;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::signer::Signer;
use object_store::{Attribute, Attributes, ObjectStore, PutOptions, PutPayload};

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

/// The object store Banana writes to.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    kind: Kind,
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
        })
    }

    /// An S3-compatible bucket (path-style addressing: works with MinIO, s3s and AWS).
    pub fn s3(settings: &S3Settings) -> Result<Storage> {
        let build = |endpoint: &str| -> Result<AmazonS3> {
            Ok(AmazonS3Builder::new()
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
        })
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
        self.store
            .put_opts(&Path::from(key), PutPayload::from(data), opts)
            .await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Object> {
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
    }

    /// Read a whole object into memory.
    pub async fn get_bytes(&self, key: &str) -> Result<Bytes> {
        match self.store.get(&Path::from(key)).await {
            Ok(r) => Ok(r.bytes().await?),
            Err(object_store::Error::NotFound { .. }) => {
                Err(StorageError::NotFound(key.to_string()))
            }
            Err(e) => Err(e.into()),
        }
    }

    pub async fn exists(&self, key: &str) -> Result<bool> {
        match self.store.head(&Path::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Delete an object; deleting one that is not there is not an error.
    pub async fn delete(&self, key: &str) -> Result<()> {
        match self.store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
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
