//! The test kit (crate `banana-testkit`: `TestApp`, callers, API fixtures, data and models
//! helpers), re-exported for this crate's test files. `both_backends!` is declared here too, so
//! `mod common;` keeps bringing it into scope.
#![allow(dead_code, unused_imports)]

pub use banana_testkit::*;

/// Run the same scenario on SQLite + local folder and on PostgreSQL + S3
/// (see `banana_testkit::both_backends!`).
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        banana_testkit::both_backends!($($name),*);
    };
}
