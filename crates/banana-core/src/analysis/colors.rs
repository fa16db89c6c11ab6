//! Dominant colours as an analyzer (no model: k-means over a small copy of the preview).
//! They are shown as swatches and filter searches that name a colour ("red car").

use std::sync::Arc;

use banana_vision::colors::COLOR_SIDE;
use banana_vision::{reduced, ModelId};

use super::{AnalysisResult, Analyzer, Finding, Model, Prepared, Source};
use crate::App;

/// The colour analyzer.
pub struct Colors;

/// Its name in `image_analyses`.
pub const NAME: &str = "colors";
/// Its version: bump when the colours found would change.
pub const VERSION: i64 = 1;

impl Analyzer for Colors {
    fn name(&self) -> &'static str {
        NAME
    }

    fn version(&self) -> i64 {
        VERSION
    }

    fn model_files(&self) -> &'static [ModelId] {
        &[]
    }

    fn model(&self, _app: &App) -> Option<Model> {
        Some(Model(Arc::new(())))
    }

    fn prepare(&self, source: &Source<'_>) -> Result<Prepared, String> {
        Ok(Prepared(Box::new(reduced(source.preview, COLOR_SIDE))))
    }

    fn run(&self, _model: &Model, inputs: Vec<Prepared>) -> Result<Vec<AnalysisResult>, String> {
        inputs
            .into_iter()
            .map(|p| {
                let image =
                    p.0.downcast::<image::RgbImage>()
                        .map_err(|_| "colors: not an image")?;
                Ok(AnalysisResult {
                    analyzer: NAME,
                    version: VERSION,
                    findings: vec![Finding::Colors(banana_vision::colors::dominant_colors(
                        &image,
                    ))],
                })
            })
            .collect()
    }
}
