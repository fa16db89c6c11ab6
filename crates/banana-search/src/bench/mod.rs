//! The search benches as library entry points, so a binary can run them
//! (`banana bench search-quality`, `banana bench search-speed`); the examples
//! `search_quality` and `search_speed` call the same functions.

pub mod quality;
pub mod speed;

pub use quality::run as search_quality;
pub use speed::run as search_speed;
