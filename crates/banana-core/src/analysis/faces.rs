//! Faces (BlazeFace on ONNX Runtime) as an analyzer: the boxes are kept for the owner; the
//! count makes the photo one of a person, a couple or a group for search.

use std::sync::Arc;

use banana_vision::faces::DETECT_SIDE;
use banana_vision::{reduced, ModelId};

use super::{AnalysisResult, Analyzer, Finding, Model, Prepared, Source};
use crate::App;

/// The face analyzer.
pub struct Faces;

/// Its name in `image_analyses`.
pub const NAME: &str = "faces";
/// Its version: bump when the faces found would change.
pub const VERSION: i64 = 1;

impl Analyzer for Faces {
    fn name(&self) -> &'static str {
        NAME
    }

    fn version(&self) -> i64 {
        VERSION
    }

    fn model_files(&self) -> &'static [ModelId] {
        &[ModelId::OnnxRuntime, ModelId::BlazeFace]
    }

    fn model(&self, app: &App) -> Option<Model> {
        let m: Arc<banana_vision::faces::FaceDetector> = app.models.faces()?;
        Some(Model(m))
    }

    fn prepare(&self, source: &Source<'_>) -> Result<Prepared, String> {
        Ok(Prepared(Box::new(reduced(source.preview, DETECT_SIDE))))
    }

    fn run(&self, model: &Model, inputs: Vec<Prepared>) -> Result<Vec<AnalysisResult>, String> {
        let detector = model
            .0
            .downcast_ref::<banana_vision::faces::FaceDetector>()
            .ok_or("faces: not the face detector")?;
        inputs
            .into_iter()
            .map(|p| {
                let image =
                    p.0.downcast::<image::RgbImage>()
                        .map_err(|_| "faces: not an image")?;
                let faces = detector.detect(&image).map_err(|e| format!("faces: {e}"))?;
                Ok(AnalysisResult {
                    analyzer: NAME,
                    version: VERSION,
                    findings: vec![Finding::Faces(faces)],
                })
            })
            .collect()
    }
}
