//! Text in photos (PP-OCRv4 on ONNX Runtime) as an analyzer: detection on a reduced copy of
//! the preview, recognition only on the regions found, so a photo without text costs one
//! small detector run.

use std::sync::Arc;

use banana_vision::ModelId;

use super::{AnalysisResult, Analyzer, Finding, Model, Prepared, Source};
use crate::App;

/// The OCR analyzer.
pub struct Ocr;

/// Its name in `image_analyses`.
pub const NAME: &str = "ocr";
/// Its version: bump when the text read would change. 2: regions cut out taller for the
/// recogniser (spaces kept), the full detector run on windows.
pub const VERSION: i64 = 2;

impl Analyzer for Ocr {
    fn name(&self) -> &'static str {
        NAME
    }

    fn version(&self) -> i64 {
        VERSION
    }

    fn model_files(&self) -> &'static [ModelId] {
        &[ModelId::OnnxRuntime, ModelId::PpOcrV4]
    }

    fn model(&self, app: &App) -> Option<Model> {
        let m: Arc<banana_vision::ocr::Ocr> = app.models.ocr()?;
        Some(Model(m))
    }

    fn prepare(&self, source: &Source<'_>) -> Result<Prepared, String> {
        Ok(Prepared(Box::new(source.preview.clone())))
    }

    fn run(&self, model: &Model, inputs: Vec<Prepared>) -> Result<Vec<AnalysisResult>, String> {
        let ocr = model
            .0
            .downcast_ref::<banana_vision::ocr::Ocr>()
            .ok_or("ocr: not the OCR model")?;
        inputs
            .into_iter()
            .map(|p| {
                let image =
                    p.0.downcast::<image::RgbImage>()
                        .map_err(|_| "ocr: not an image")?;
                let lines = ocr.read(&image).map_err(|e| format!("ocr: {e}"))?;
                Ok(AnalysisResult {
                    analyzer: NAME,
                    version: VERSION,
                    findings: vec![Finding::Text(lines)],
                })
            })
            .collect()
    }
}
