//! Step 1 of a search: what the query says, worked out once for every candidate source —
//! its words (for the keyword side and the explanation), the classes whose name it is, and
//! its vector in the semantic space (hybrid mode with the text model loaded).

use std::sync::Arc;

use banana_search::keyword::terms;
use banana_search::{exact_label_classes, SearchError};
use banana_vision::imagenet_classes;

use super::{Mode, SearchContext, SearchRequest, SearchService, TextModel};
use crate::CoreError;

/// Most distinct query words sent to the keyword search.
pub const MAX_KEYWORD_TERMS: usize = 32;

/// A query, understood.
pub struct Query {
    /// The request's text (already cut to length).
    pub text: String,
    /// Distinct words (stop words dropped, plurals stemmed), at most [`MAX_KEYWORD_TERMS`].
    pub terms: Vec<String>,
    /// WordNet ids of the classes whose name or synonym is the query.
    pub exact_wnids: Vec<&'static str>,
    /// The query's semantic vector, with the model that made it; `None` in keyword mode.
    pub vector: Option<(Arc<[f32]>, Arc<TextModel>)>,
}

impl Query {
    /// Which mode ran: hybrid when the query has a vector.
    pub fn mode(&self) -> Mode {
        if self.vector.is_some() {
            Mode::Hybrid
        } else {
            Mode::Keyword
        }
    }
}

impl SearchService {
    /// Understand the request's query: embedding it (on a blocking thread) when hybrid mode
    /// was asked for and the text model is loaded. A query with nothing to embed is a 400;
    /// an embedding failure falls back to keyword mode (logged).
    pub async fn understand(
        &self,
        cx: &SearchContext<'_>,
        req: &SearchRequest,
    ) -> Result<Query, CoreError> {
        self.understand_text(cx, req.mode, &req.query).await
    }

    /// [`SearchService::understand`] of `query` in `mode` (the part of a request's query left
    /// when its dates, place and camera are taken out).
    pub async fn understand_text(
        &self,
        cx: &SearchContext<'_>,
        mode: Mode,
        query: &str,
    ) -> Result<Query, CoreError> {
        let text = match mode {
            Mode::Hybrid => self.text_model(cx).await,
            Mode::Keyword => None,
        };
        let vector = match text {
            Some(t) => {
                let (model, q) = (t.clone(), query.to_string());
                let v = tokio::task::spawn_blocking(move || {
                    model.space.query_vector(&q, &model.embedder)
                })
                .await?;
                match v {
                    Ok(v) => Some((v, t)),
                    Err(SearchError::EmptyQuery) => {
                        return Err(CoreError::BadRequest("q must not be empty".into()))
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "search: query embedding failed; keyword only");
                        None
                    }
                }
            }
            None => None,
        };
        let mut words: Vec<String> = Vec::new();
        for t in terms(query) {
            if !words.contains(&t) && words.len() < MAX_KEYWORD_TERMS {
                words.push(t);
            }
        }
        let mut exact_wnids: Vec<&'static str> = exact_label_classes(query)
            .into_iter()
            .map(|i| imagenet_classes()[i].wnid)
            .collect();
        for id in crate::labels::exact_category(query) {
            if !exact_wnids.contains(&id) {
                exact_wnids.push(id);
            }
        }
        Ok(Query {
            text: query.to_string(),
            terms: words,
            exact_wnids,
            vector,
        })
    }
}
