//! Sentence embeddings with all-MiniLM-L6-v2 on ONNX Runtime.

use std::sync::Mutex;

use ort::session::Session;
use ort::value::TensorRef;
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use crate::bert::EMBEDDING_DIM;
use crate::error::{Result, VisionError};
use crate::fetch::ModelPaths;

/// Longest input in tokens (sentence-transformers' limit for this model); longer text is cut.
pub const MAX_TOKENS: usize = 256;

/// all-MiniLM-L6-v2: text to 384-d unit vectors (mean pooling + L2 normalisation), so the dot
/// product of two embeddings is their cosine similarity. Safe to share between threads.
pub struct TextEmbedder {
    tokenizer: Tokenizer,
    session: Mutex<Session>,
}

impl TextEmbedder {
    /// Width of the embeddings.
    pub const DIM: usize = EMBEDDING_DIM;

    /// Loads the tokenizer and the converted graph with `threads` intra-op threads.
    pub fn load(paths: &ModelPaths, threads: usize) -> Result<Self> {
        let m = paths.minilm()?;
        let mut tokenizer = Tokenizer::from_file(&m.tokenizer)
            .map_err(|e| VisionError::Tokenizer(format!("{}: {e}", m.tokenizer.display())))?;
        // The shipped tokenizer.json pads everything to 128 tokens; pad to the longest input
        // of each batch instead, and truncate at the model's window.
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..PaddingParams::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| VisionError::Tokenizer(e.to_string()))?;
        let session = crate::runtime::session(
            &paths.onnxruntime,
            &m.onnx,
            threads,
            crate::runtime::Inputs::Varying,
        )?;
        Ok(TextEmbedder {
            tokenizer,
            session: Mutex::new(session),
        })
    }

    /// Embeds each text (one batch, one ONNX Runtime run). Empty input gives an empty result.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| VisionError::Tokenizer(e.to_string()))?;
        let n = encodings.len();
        let seq = encodings
            .iter()
            .map(|e| e.get_ids().len())
            .max()
            .unwrap_or(0);
        let mut ids = Vec::with_capacity(n * seq);
        let mut mask = Vec::with_capacity(n * seq);
        for e in &encodings {
            ids.extend(e.get_ids().iter().map(|&v| v as i64));
            mask.extend(e.get_attention_mask().iter().map(|&v| v as i64));
        }
        let ids_t = TensorRef::from_array_view(([n, seq], &ids[..]))?;
        let mask_t = TensorRef::from_array_view(([n, seq], &mask[..]))?;
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let outputs =
            session.run(ort::inputs!["input_ids" => ids_t, "attention_mask" => mask_t])?;
        let (_, data) = outputs
            .get("sentence_embedding")
            .ok_or_else(|| VisionError::Runtime("model has no output sentence_embedding".into()))?
            .try_extract_tensor::<f32>()?;
        if data.len() != n * EMBEDDING_DIM {
            return Err(VisionError::Runtime(format!(
                "embedding has {} values, expected {}",
                data.len(),
                n * EMBEDDING_DIM
            )));
        }
        Ok(data
            .chunks_exact(EMBEDDING_DIM)
            .map(<[f32]>::to_vec)
            .collect())
    }

    /// Number of tokens the model sees for `text` (after truncation), including [CLS]/[SEP].
    pub fn token_count(&self, text: &str) -> Result<usize> {
        let e = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| VisionError::Tokenizer(e.to_string()))?;
        Ok(e.get_ids().len())
    }
}
