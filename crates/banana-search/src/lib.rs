//! Natural-language image search for Banana: the engine, without HTTP or database wiring.
//!
//! * [`VectorIndex`] is the index interface (upsert and remove by image id, top-k search by
//!   dot product with a filter); [`FlatIndex`] implements it as an exact scan over a
//!   contiguous row-major f32 matrix with AVX2/FMA dot products (runtime-detected, portable
//!   fallback), a bounded heap for the top-k, and an optional int8-quantised scan with exact
//!   re-ranking.
//! * [`SemanticSpace`] puts images and queries in one all-MiniLM-L6-v2 space: an image's
//!   vector is the probability-weighted mean of embeddings of its top-5 ImageNet classes'
//!   descriptions (names, WordNet gloss and categories), plus its title and attribution; a
//!   query's vector is its embedding (LRU-cached). [`SemanticSpace::explain`] says which
//!   labels carried a hit.
//! * [`reciprocal_rank_fusion`] fuses the vector ranking with the database's keyword ranking
//!   (k = 60), exact label-name matches first ([`exact_label_classes`]); [`fuse`] is its
//!   general form over any number of rankings (RRF terms or flat boosts).
//! * [`metrics`] and [`keyword`] (an in-memory stand-in for the database's full-text search)
//!   serve the quality bench (crate `banana-bench`).
//! * [`when_where`] parses the time, place and camera parts of a query ("a beach in Paris in
//!   2019", "shot on iPhone last summer") into structured filters plus the rest, which ranks.
//!
//! The design and the measured figures are in the crate's README.

pub mod duplicates;
pub mod error;
pub mod fusion;
pub mod index;
pub mod keyword;
pub mod metrics;
pub mod random;
pub mod semantic;
mod simd;
mod topk;
pub mod when_where;

pub use error::{Result, SearchError};
pub use fusion::{
    exact_forms, exact_label_classes, fuse, reciprocal_rank_fusion, Contribution, Fused,
    FusedRanks, FusionParams, Ranking, EXACT_MATCH_BOOST, RRF_K,
};
pub use index::{
    normalize, Filter, FlatIndex, Hit, ScanMode, VectorIndex, MIN_RERANK, PARALLEL_MIN_ROWS,
};
pub use keyword::KeywordBaseline;
pub use random::{random_gibberish, random_unit_vectors};
pub use semantic::{
    class_categories, class_description, class_texts, model_key, SemanticSpace, SpaceSource,
    VectorWeights, MIN_SIMILARITY, RECIPE_VERSION,
};
pub use simd::{dot, simd_kernel};
