//! Banana's test kit (a dev-dependency only): one place for what the integration tests of every
//! crate share, so no test file re-implements it.
//!
//! - Environment and data ([`env`], always available, no dependencies): the shared test data
//!   folder ([`shared_data`], [`sample`], [`imagenet_jpegs`]), the models cache
//!   ([`models_dir`]), the test servers ([`need_var`], [`test_s3`]), and
//!   `BANANA_TEST_REQUIRE_ALL` ([`require_all`], [`skip`]): a missing prerequisite skips a test
//!   with a message, or fails it when everything is required (as `scripts/test.sh` does).
//! - With the `app` feature (the default): [`TestApp`], a real app per test on SQLite + a local
//!   folder or on PostgreSQL + S3, driven through the real router; typed callers ([`Caller`]:
//!   anonymous, bearer token, browser session cookie) with request verbs; fixture builders that
//!   go through the public API only ([`TestUser`], [`TestImage`], [`TestShare`]);
//!   [`both_backends!`] to run one scenario on both backends; and for tests that run the
//!   binary instead, scratch PostgreSQL databases ([`PgDatabase`]) and [`need_models`].
//!
//! Crates below the server (media, vision, search, ingest, db) use it with
//! `default-features = false`, so their tests do not build the app.

pub mod env;
pub mod exif;

pub use env::{
    files_with_extensions, imagenet_jpegs, imagenet_sample, models_dir, need_var, require_all,
    s3_keys, sample, shared_data, skip, test_s3, TestS3,
};
pub use exif::PhotoExif;

#[cfg(feature = "app")]
mod app;
#[cfg(feature = "app")]
mod client;
#[cfg(feature = "app")]
mod fixtures;

#[cfg(feature = "app")]
pub use app::{
    create_pg_database, jpeg, multipart, need_models, send, sqlx_exec, sqlx_scalar, PgDatabase,
    TestApp, TestResponse,
};
#[cfg(feature = "app")]
pub use client::{Caller, Client};
#[cfg(feature = "app")]
pub use fixtures::{ImageBuilder, TestImage, TestShare, TestUser, PASSWORD};

/// Runs the same scenario on SQLite + a local folder and on PostgreSQL + S3: for each `name`,
/// a module with the tests `sqlite_local` and `postgres_s3` calling `async fn name(TestApp)`
/// (the PostgreSQL one skips when the test servers are not configured and not required).
#[cfg(feature = "app")]
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_local() {
                super::$name($crate::TestApp::sqlite().await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres_s3() {
                if let Some(t) = $crate::TestApp::postgres_s3().await {
                    super::$name(t).await;
                }
            }
        }
    )*};
}
