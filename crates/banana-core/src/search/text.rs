//! The text model of search (MiniLM and the class embeddings): loaded once per process, on a
//! blocking thread, when the classifier's model files are known; and the semantic vector of
//! an image made with it.

use std::sync::Arc;

use banana_search::SemanticSpace;
use banana_vision::TextEmbedder;

use super::{SearchContext, SearchService};
use crate::models::{ModelPaths, Models};

/// The sentence embedder and the class embeddings, loaded once.
pub struct TextModel {
    pub embedder: TextEmbedder,
    pub space: SemanticSpace,
}

impl SearchService {
    /// The text model, when loaded.
    pub fn text(&self) -> Option<Arc<TextModel>> {
        self.text.get().cloned().flatten()
    }

    /// Load the text model once the classifier's model files are known (blocking; the first
    /// call loads, later calls return at once). `None` when MiniLM is missing or broken: search
    /// then stays keyword-only until a restart.
    pub fn load_text(&self, models: &Models, threads: usize) -> Option<Arc<TextModel>> {
        let paths = models.paths()?;
        self.text
            .get_or_init(|| load_text_model(paths, threads))
            .clone()
    }

    /// The text model, loading it (on a blocking thread) when the classifier's files are known
    /// and it was not tried yet.
    pub async fn text_model(&self, cx: &SearchContext<'_>) -> Option<Arc<TextModel>> {
        if let Some(t) = self.text.get() {
            return t.clone();
        }
        let paths = cx.models.paths()?.clone();
        let threads = cx.threads;
        let cell = self.text.clone();
        // One load per process: concurrent callers wait in `get_or_init`.
        tokio::task::spawn_blocking(move || {
            cell.get_or_init(|| load_text_model(&paths, threads))
                .clone()
        })
        .await
        .ok()
        .flatten()
    }

    /// An image's semantic vector from its top-5, title, attribution and the sentences its
    /// other findings give ([`crate::analysis::findings::semantic_texts`]; blocking work on a
    /// blocking thread). `None` without the text model or when embedding fails (logged).
    pub async fn semantic_vector(
        &self,
        cx: &SearchContext<'_>,
        top5: Vec<(usize, f32)>,
        title: Option<String>,
        attribution: Option<String>,
        findings: Vec<String>,
    ) -> Option<Vec<f32>> {
        let text = self.text_model(cx).await?;
        let result = tokio::task::spawn_blocking(move || {
            text.space.image_vector_with(
                &top5,
                title.as_deref(),
                attribution.as_deref(),
                &findings,
                &text.embedder,
            )
        })
        .await;
        match result {
            Ok(Ok(v)) => Some(v),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "search: semantic vector failed");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "search: semantic vector task failed");
                None
            }
        }
    }
}

fn load_text_model(paths: &ModelPaths, threads: usize) -> Option<Arc<TextModel>> {
    let started = std::time::Instant::now();
    let load = || -> Result<TextModel, String> {
        let embedder = TextEmbedder::load(paths, threads).map_err(|e| e.to_string())?;
        let (space, source) =
            SemanticSpace::load_or_build_for(&embedder, paths).map_err(|e| e.to_string())?;
        tracing::info!(?source, "search: class embeddings ready");
        Ok(TextModel { embedder, space })
    };
    match load() {
        Ok(m) => {
            tracing::info!(
                seconds = started.elapsed().as_secs_f64(),
                "search: text model loaded"
            );
            Some(Arc::new(m))
        }
        Err(e) => {
            tracing::error!(
                error = %e,
                "search: the text model could not be loaded; search is keyword-only"
            );
            None
        }
    }
}
