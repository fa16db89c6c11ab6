//! Steps 3 and 4 of a search: each [`CandidateSource`] ranks the images that match the query
//! by its own signal, restricted by the request's [`Filters`] *before* ranking; the rankings
//! are then fused ([`banana_search::fuse`]: reciprocal rank fusion, with flat boosts).
//!
//! The sources today, in fusion order (the order breaks ties between equal scores):
//! [`SemanticVectors`] (cosine similarity with the query's vector, above
//! [`MIN_SIMILARITY`]), [`Keywords`] (the database's full-text index) and [`ExactLabels`]
//! (images carrying a label whose name *is* the query, boosted above everything). A new
//! signal (OCR text, faces, dates, places, colours) is one more type implementing [`Ranker`]
//! (its name, its contribution, its ranking) and one more entry in [`SOURCES`]; nothing else
//! changes.

use std::future::Future;
use std::pin::Pin;

use banana_db::vectors::VectorKind;
use banana_db::{search_text, Db};
use banana_search::{
    fuse, Contribution, FusedRanks, Ranking, EXACT_MATCH_BOOST, MIN_SIMILARITY, RRF_K,
};

use super::{Filters, Indexes, Query, MAX_CANDIDATES};
use crate::CoreError;

/// A future a source returns (boxed, so sources can sit in one list).
pub type SourceFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<String>, CoreError>> + Send + 'a>>;

/// What a source may read.
pub struct SourceEnv<'a> {
    pub db: &'a Db,
    pub indexes: &'a Indexes,
}

/// One signal that finds and ranks images for a query, as the search holds it (a trait object:
/// every [`Ranker`] is one).
pub trait CandidateSource: Sync {
    /// Short name, for logs.
    fn name(&self) -> &'static str;
    /// How this source's ranking enters the fusion.
    fn contribution(&self) -> Contribution;
    /// Image ids, best first, at most [`MAX_CANDIDATES`], **only among what `filters`
    /// allows** (applied before ranking, never after). Empty when the query gives this
    /// source nothing to go on.
    fn candidates<'a>(
        &'a self,
        env: &'a SourceEnv<'a>,
        query: &'a Query,
        filters: &'a Filters,
    ) -> SourceFuture<'a>;
}

/// What a source implements: [`CandidateSource`] follows from it.
pub trait Ranker: Sync {
    /// Short name, for logs.
    const NAME: &'static str;
    /// How this source's ranking enters the fusion.
    const CONTRIBUTION: Contribution;
    /// Image ids, best first, at most [`MAX_CANDIDATES`], **only among what `filters`
    /// allows** (applied before ranking, never after). Empty when the query gives this
    /// source nothing to go on.
    fn rank(
        &self,
        env: &SourceEnv<'_>,
        query: &Query,
        filters: &Filters,
    ) -> impl Future<Output = Result<Vec<String>, CoreError>> + Send;
}

impl<R: Ranker> CandidateSource for R {
    fn name(&self) -> &'static str {
        R::NAME
    }

    fn contribution(&self) -> Contribution {
        R::CONTRIBUTION
    }

    fn candidates<'a>(
        &'a self,
        env: &'a SourceEnv<'a>,
        query: &'a Query,
        filters: &'a Filters,
    ) -> SourceFuture<'a> {
        Box::pin(self.rank(env, query, filters))
    }
}

/// The sources of a search, in fusion order.
pub static SOURCES: &[&dyn CandidateSource] = &[&SemanticVectors, &Keywords, &ExactLabels];

/// Run every source and fuse their rankings: every candidate once, best first.
pub async fn fused(
    env: &SourceEnv<'_>,
    query: &Query,
    filters: &Filters,
) -> Result<Vec<FusedRanks>, CoreError> {
    let mut lists = Vec::with_capacity(SOURCES.len());
    for source in SOURCES {
        let ids = source.candidates(env, query, filters).await?;
        tracing::trace!(
            source = source.name(),
            candidates = ids.len(),
            "search: ranked"
        );
        lists.push((ids, source.contribution()));
    }
    let rankings: Vec<Ranking<'_, String>> = lists
        .iter()
        .map(|(ids, contribution)| Ranking {
            ids,
            contribution: *contribution,
        })
        .collect();
    Ok(fuse(&rankings, RRF_K))
}

/// Images whose semantic vector has cosine similarity at least [`MIN_SIMILARITY`] with the
/// query's, best first (hybrid mode only).
pub struct SemanticVectors;

impl Ranker for SemanticVectors {
    const NAME: &'static str = "semantic";
    const CONTRIBUTION: Contribution = Contribution::Rank { weight: 1.0 };

    async fn rank(
        &self,
        env: &SourceEnv<'_>,
        query: &Query,
        filters: &Filters,
    ) -> Result<Vec<String>, CoreError> {
        let Some((q, _)) = &query.vector else {
            return Ok(Vec::new());
        };
        let kind = VectorKind::Semantic;
        let held = env.indexes.len(kind);
        if held == 0 {
            return Ok(Vec::new());
        }
        let rows = filters.vector_rows(env.db, kind, held).await?;
        let hits = rows
            .search(&env.indexes.read(kind), q, MAX_CANDIDATES, &|_| true)
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        Ok(hits
            .into_iter()
            .take_while(|h| h.score >= MIN_SIMILARITY)
            .map(|h| h.id)
            .collect())
    }
}

/// The database's full-text ranking of the query's words (over label names, synonyms,
/// categories, title, attribution). Beside the vector ranking it is word evidence: an image
/// must carry every query word (conjunctive, as keyword engines default to). Alone (keyword
/// mode) any word will do, or a sentence would rarely find anything.
pub struct Keywords;

impl Ranker for Keywords {
    const NAME: &'static str = "keyword";
    const CONTRIBUTION: Contribution = Contribution::Rank { weight: 1.0 };

    async fn rank(
        &self,
        env: &SourceEnv<'_>,
        query: &Query,
        filters: &Filters,
    ) -> Result<Vec<String>, CoreError> {
        let all_terms = query.vector.is_some();
        Ok(search_text::keyword(
            env.db,
            &query.terms,
            all_terms,
            filters.scope(),
            MAX_CANDIDATES as i64,
        )
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect())
    }
}

/// Images with a label whose name or synonym is the query, most confident first; boosted
/// by [`EXACT_MATCH_BOOST`] so they come first.
pub struct ExactLabels;

impl Ranker for ExactLabels {
    const NAME: &'static str = "exact-label";
    const CONTRIBUTION: Contribution = Contribution::Boost(EXACT_MATCH_BOOST);

    async fn rank(
        &self,
        env: &SourceEnv<'_>,
        query: &Query,
        filters: &Filters,
    ) -> Result<Vec<String>, CoreError> {
        Ok(search_text::with_labels(
            env.db,
            &query.exact_wnids,
            filters.scope(),
            MAX_CANDIDATES as i64,
        )
        .await?)
    }
}
