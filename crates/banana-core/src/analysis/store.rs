//! Persisting analysis results: the one place that writes what analyzers found. Three steps,
//! used in this order by the upload commit, the import pipeline's commit and every analysis
//! job: [`App::to_store`] before the transaction (embedding is CPU work and must not hold the
//! writer lock), [`App::store_analysis`] inside it, [`App::index_analysis`] after the commit.

use banana_db::images::ImageRow;
use banana_db::labels::{self, FEATURES_VECTOR};
use banana_db::{analyses, DbError, Transaction};
use banana_vision::Prediction;

use super::{classifier, findings, metadata, AnalysisResult, Finding};
use crate::App;

/// Analysis results of one image with what they imply for search, ready to be written.
pub struct ToStore {
    pub image_id: String,
    pub results: Vec<AnalysisResult>,
    /// The image's upload time (the date of a photo that says nothing of when it was taken).
    created_at: i64,
    /// The semantic search vector (sentence embeddings of labels, title, attribution), when a
    /// result has predictions and the text model is loaded.
    semantic: Option<Vec<f32>>,
}

impl ToStore {
    fn predictions(&self) -> Option<&Prediction> {
        self.results
            .iter()
            .flat_map(|r| &r.findings)
            // A new kind of finding adds its arm here (the match is exhaustive on purpose).
            .find_map(|f| match f {
                Finding::Predictions(p) => Some(p),
                Finding::Metadata(_)
                | Finding::Text(_)
                | Finding::Faces(_)
                | Finding::Colors(_) => None,
            })
    }

    /// The rows the OCR, face and colour findings store.
    fn finding_rows(&self) -> Vec<findings::Stored> {
        self.results
            .iter()
            .flat_map(|r| &r.findings)
            .filter_map(|f| match f {
                Finding::Text(lines) => Some(findings::text_row(lines)),
                Finding::Faces(faces) => Some(findings::faces_row(faces)),
                Finding::Colors(colors) => Some(findings::colors_row(colors)),
                Finding::Predictions(_) | Finding::Metadata(_) => None,
            })
            .collect()
    }
}

impl App {
    /// Step 1, before any transaction opens: compute the search data the results imply.
    pub async fn to_store(&self, row: &ImageRow, results: Vec<AnalysisResult>) -> ToStore {
        let mut s = ToStore {
            image_id: row.id.clone(),
            results,
            created_at: row.created_at,
            semantic: None,
        };
        let rows = s.finding_rows();
        let semantic_findings = rows
            .iter()
            .any(|(kind, _, _)| *kind != banana_db::findings::COLORS);
        if s.predictions().is_some() || semantic_findings {
            // The vector combines every analyzer's findings: what this result brings, and
            // what is stored of the others.
            let top5 = match s.predictions() {
                Some(p) => p.top5.clone(),
                None => banana_db::images::labels_for(&self.db, std::slice::from_ref(&row.id))
                    .await
                    .map(|l| crate::search::explain::top5_of(&l, &row.id))
                    .unwrap_or_default(),
            };
            let mut stored =
                banana_db::findings::among(self.db.pool(), std::slice::from_ref(&row.id))
                    .await
                    .unwrap_or_default();
            stored.retain(|f| !rows.iter().any(|(kind, _, _)| *kind == f.kind));
            stored.extend(rows.into_iter().map(|(kind, data, words)| {
                banana_db::findings::FindingRow {
                    image_id: row.id.clone(),
                    kind: kind.to_string(),
                    data,
                    words,
                }
            }));
            if !top5.is_empty() {
                s.semantic = self
                    .semantic_vector(
                        top5,
                        row.title.clone(),
                        row.attribution.clone(),
                        findings::semantic_texts(&stored),
                    )
                    .await;
            }
        }
        s
    }

    /// Step 2, in the caller's transaction: store every finding (stored predictions → labels
    /// and `ready` → features vector → search data) and record which analyzer version made
    /// each result. Idempotent (a rerun replaces the same rows). Returns false, having written
    /// nothing, when the image no longer exists.
    pub async fn store_analysis(
        &self,
        tx: &mut Transaction<'_>,
        s: &ToStore,
    ) -> Result<bool, DbError> {
        let mut search_changed = false;
        for result in &s.results {
            for finding in &result.findings {
                match finding {
                    Finding::Predictions(p) => {
                        let stored = classifier::stored_predictions(p);
                        if !labels::set_predictions(tx, &s.image_id, &stored).await? {
                            return Ok(false);
                        }
                        labels::set_vector(tx, &s.image_id, FEATURES_VECTOR, &p.features).await?;
                        search_changed = true;
                    }
                    Finding::Text(_) | Finding::Faces(_) | Finding::Colors(_) => {}
                    Finding::Metadata(found) => {
                        let row = metadata::row(&s.image_id, s.created_at, found);
                        if !banana_db::metadata::upsert(tx, &row).await? {
                            return Ok(false);
                        }
                        // Its keyword text (the file name's words) is rewritten with it.
                        search_changed = true;
                    }
                }
            }
            if !analyses::record(tx, &s.image_id, result.analyzer, result.version).await? {
                return Ok(false);
            }
        }
        let rows = s.finding_rows();
        if !rows.is_empty() && !banana_db::images::exists(&mut **tx, &s.image_id).await? {
            return Ok(false);
        }
        for (kind, data, words) in rows {
            banana_db::findings::set(tx, &s.image_id, kind, &data, &words).await?;
            search_changed = true;
        }
        if search_changed {
            self.store_search_data(tx, &s.image_id, s.semantic.as_deref())
                .await?;
        }
        Ok(true)
    }

    /// Step 3, after the commit: this process's search indexes (other instances follow at
    /// their catch-up).
    pub fn index_analysis(&self, s: &ToStore) {
        let features = s.predictions().map(|p| p.features.as_slice());
        if features.is_some() || s.semantic.is_some() {
            self.search
                .upsert(&s.image_id, s.semantic.as_deref(), features);
        }
    }
}
