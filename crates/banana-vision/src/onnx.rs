//! Writing ONNX graphs, and the EfficientNet-Lite0 checkpoint-to-ONNX converter.
//!
//! The protobuf encoding is done by hand: an ONNX model needs a dozen message types and only
//! length-delimited, varint and fixed32 fields, which is less code than a protobuf toolchain.
//! Field numbers are those of `onnx.proto` (ONNX 1.x).

use crate::error::{Result, VisionError};
use crate::pth::{self, StateDict, Tensor};

/// Bump whenever the converter's output changes; converted files are cached under a key that
/// includes it.
pub const CONVERTER_VERSION: u32 = 1;

/// ONNX opset the converted graphs use.
pub const OPSET: i64 = 17;
const IR_VERSION: i64 = 8;

// ---------------------------------------------------------------------------------------------
// Protobuf wire format

/// A protobuf message being encoded.
#[derive(Default, Clone)]
pub(crate) struct Msg(Vec<u8>);

impl Msg {
    fn key(&mut self, field: u32, wire: u8) {
        self.varint(((field as u64) << 3) | wire as u64);
    }

    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    pub(crate) fn int(&mut self, field: u32, v: i64) -> &mut Self {
        self.key(field, 0);
        self.varint(v as u64);
        self
    }

    pub(crate) fn float(&mut self, field: u32, v: f32) -> &mut Self {
        self.key(field, 5);
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }

    pub(crate) fn bytes(&mut self, field: u32, b: &[u8]) -> &mut Self {
        self.key(field, 2);
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
        self
    }

    pub(crate) fn str(&mut self, field: u32, s: &str) -> &mut Self {
        self.bytes(field, s.as_bytes())
    }

    pub(crate) fn msg(&mut self, field: u32, m: &Msg) -> &mut Self {
        self.bytes(field, &m.0)
    }
}

// ---------------------------------------------------------------------------------------------
// ONNX messages

/// Element types used here (`TensorProto.DataType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Elem {
    F32 = 1,
    I64 = 7,
}

/// An attribute value of a node.
pub(crate) enum Attr {
    Int(i64),
    Float(f32),
    Ints(Vec<i64>),
}

/// A dimension of a graph input or output.
pub(crate) enum Dim {
    Fixed(i64),
    Named(&'static str),
}

/// A graph under construction: nodes, initializers (weights) and named inputs/outputs.
pub(crate) struct Graph {
    name: String,
    nodes: Vec<Msg>,
    initializers: Vec<Msg>,
    inputs: Vec<Msg>,
    outputs: Vec<Msg>,
    counter: usize,
}

impl Graph {
    pub(crate) fn new(name: &str) -> Self {
        Graph {
            name: name.to_string(),
            nodes: Vec::new(),
            initializers: Vec::new(),
            inputs: Vec::new(),
            outputs: Vec::new(),
            counter: 0,
        }
    }

    /// A fresh value name with a readable prefix.
    pub(crate) fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}_{}", self.counter)
    }

    fn value_info(name: &str, elem: Elem, dims: &[Dim]) -> Msg {
        let mut shape = Msg::default();
        for d in dims {
            let mut dm = Msg::default();
            match d {
                Dim::Fixed(v) => dm.int(1, *v),
                Dim::Named(n) => dm.str(2, n),
            };
            shape.msg(1, &dm);
        }
        let mut tensor_type = Msg::default();
        tensor_type.int(1, elem as i64).msg(2, &shape);
        let mut ty = Msg::default();
        ty.msg(1, &tensor_type);
        let mut vi = Msg::default();
        vi.str(1, name).msg(2, &ty);
        vi
    }

    pub(crate) fn input(&mut self, name: &str, elem: Elem, dims: &[Dim]) {
        self.inputs.push(Self::value_info(name, elem, dims));
    }

    pub(crate) fn output(&mut self, name: &str, elem: Elem, dims: &[Dim]) {
        self.outputs.push(Self::value_info(name, elem, dims));
    }

    /// Adds a float initializer and returns its name.
    pub(crate) fn init_f32(&mut self, name: &str, dims: &[usize], data: &[f32]) -> String {
        assert_eq!(
            dims.iter().product::<usize>(),
            data.len(),
            "initializer {name}"
        );
        let mut t = Msg::default();
        for &d in dims {
            t.int(1, d as i64);
        }
        t.int(2, Elem::F32 as i64).str(8, name);
        let raw: Vec<u8> = data.iter().flat_map(|v| v.to_le_bytes()).collect();
        t.bytes(9, &raw);
        self.initializers.push(t);
        name.to_string()
    }

    /// Adds an int64 initializer and returns its name.
    pub(crate) fn init_i64(&mut self, name: &str, dims: &[usize], data: &[i64]) -> String {
        assert_eq!(
            dims.iter().product::<usize>(),
            data.len(),
            "initializer {name}"
        );
        let mut t = Msg::default();
        for &d in dims {
            t.int(1, d as i64);
        }
        t.int(2, Elem::I64 as i64).str(8, name);
        let raw: Vec<u8> = data.iter().flat_map(|v| v.to_le_bytes()).collect();
        t.bytes(9, &raw);
        self.initializers.push(t);
        name.to_string()
    }

    /// Adds a node; `outputs` are the names it defines.
    pub(crate) fn node(
        &mut self,
        op: &str,
        inputs: &[&str],
        outputs: &[&str],
        attrs: &[(&str, Attr)],
    ) {
        let mut n = Msg::default();
        for i in inputs {
            n.str(1, i);
        }
        for o in outputs {
            n.str(2, o);
        }
        let name = self.fresh(op);
        n.str(3, &name).str(4, op);
        for (aname, a) in attrs {
            let mut am = Msg::default();
            am.str(1, aname);
            match a {
                Attr::Float(f) => {
                    am.float(2, *f).int(20, 1);
                }
                Attr::Int(i) => {
                    am.int(3, *i).int(20, 2);
                }
                Attr::Ints(v) => {
                    for i in v {
                        am.int(8, *i);
                    }
                    am.int(20, 7);
                }
            }
            n.msg(5, &am);
        }
        self.nodes.push(n);
    }

    /// Adds a single-output node and returns the output's (fresh) name.
    pub(crate) fn op(&mut self, op: &str, inputs: &[&str], attrs: &[(&str, Attr)]) -> String {
        let out = self.fresh(&op.to_ascii_lowercase());
        self.node(op, inputs, &[&out], attrs);
        out
    }

    /// Serialises the graph as a complete `ModelProto`.
    pub(crate) fn into_model(self, producer: &str) -> Vec<u8> {
        let mut g = Msg::default();
        for n in &self.nodes {
            g.msg(1, n);
        }
        g.str(2, &self.name);
        for t in &self.initializers {
            g.msg(5, t);
        }
        for i in &self.inputs {
            g.msg(11, i);
        }
        for o in &self.outputs {
            g.msg(12, o);
        }
        let mut opset = Msg::default();
        opset.str(1, "").int(2, OPSET);
        let mut m = Msg::default();
        m.int(1, IR_VERSION)
            .str(2, producer)
            .str(3, env!("CARGO_PKG_VERSION"))
            .msg(7, &g)
            .msg(8, &opset);
        m.0
    }
}

// ---------------------------------------------------------------------------------------------
// EfficientNet-Lite0

/// Input side of the converted classifier.
pub const INPUT_SIZE: usize = 224;
/// Number of ImageNet classes.
pub const NUM_CLASSES: usize = 1000;
/// Length of the pooled feature vector (`features` output).
pub const FEATURE_DIM: usize = 1280;

const BN_EPS: f32 = 1e-3;

/// One stage of MBConv blocks: (repeats, kernel, first stride, expand ratio, in, out).
const STAGES: [(usize, usize, usize, usize, usize, usize); 7] = [
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
];

/// Converts the EfficientNet-Lite0 checkpoint at `path` into an ONNX model.
///
/// The graph has input `input` `[N,3,224,224]` float32 and outputs `logits` `[N,1000]` and
/// `features` `[N,1280]` (the globally pooled activations the classifier reads).
pub fn convert_efficientnet_lite0(path: &std::path::Path) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).map_err(|e| VisionError::io("read", path, e))?;
    let sd = pth::load_state_dict(&bytes)?;
    efficientnet_lite0_graph(&sd)
}

fn cerr(msg: impl Into<String>) -> VisionError {
    VisionError::Convert(msg.into())
}

struct Weights<'a>(&'a StateDict);

impl<'a> Weights<'a> {
    fn get(&self, key: &str, shape: &[usize]) -> Result<&'a Tensor> {
        let t = self
            .0
            .get(key)
            .ok_or_else(|| cerr(format!("missing tensor {key}")))?;
        if t.shape != shape {
            return Err(cerr(format!(
                "{key} has shape {:?}, expected {shape:?}",
                t.shape
            )));
        }
        Ok(t)
    }

    /// Conv weight `[out, in/groups, k, k]` with the following batch norm folded in:
    /// `w' = w * g / sqrt(var + eps)`, `b' = beta - mean * g / sqrt(var + eps)`.
    fn conv_bn(&self, conv: &str, bn: &str, shape: [usize; 4]) -> Result<(Vec<f32>, Vec<f32>)> {
        let w = self.get(&format!("{conv}.weight"), &shape)?;
        let c = shape[0];
        let gamma = self.get(&format!("{bn}.weight"), &[c])?;
        let beta = self.get(&format!("{bn}.bias"), &[c])?;
        let mean = self.get(&format!("{bn}.running_mean"), &[c])?;
        let var = self.get(&format!("{bn}.running_var"), &[c])?;
        let per_out = w.numel() / c;
        let mut weight = w.data.clone();
        let mut bias = vec![0f32; c];
        for o in 0..c {
            let scale = gamma.data[o] / (var.data[o] + BN_EPS).sqrt();
            for v in &mut weight[o * per_out..(o + 1) * per_out] {
                *v *= scale;
            }
            bias[o] = beta.data[o] - mean.data[o] * scale;
        }
        Ok((weight, bias))
    }
}

/// TensorFlow "SAME" padding for one spatial axis: `(begin, end, output size)`; the odd pixel
/// goes at the end (bottom/right).
fn same_padding(input: usize, kernel: usize, stride: usize) -> (usize, usize, usize) {
    let out = input.div_ceil(stride);
    let total = ((out - 1) * stride + kernel).saturating_sub(input);
    (total / 2, total - total / 2, out)
}

struct Builder<'a> {
    g: Graph,
    w: Weights<'a>,
    zero: String,
    six: String,
}

impl Builder<'_> {
    /// Conv + folded BN (+ ReLU6), TF-SAME padding for a square input of side `size`.
    #[allow(clippy::too_many_arguments)]
    fn conv(
        &mut self,
        x: &str,
        size: usize,
        conv: &str,
        bn: &str,
        shape: [usize; 4],
        stride: usize,
        groups: usize,
        relu6: bool,
    ) -> Result<(String, usize)> {
        let (weight, bias) = self.w.conv_bn(conv, bn, shape)?;
        let wn = self
            .g
            .init_f32(&format!("{conv}.weight_folded"), &shape, &weight);
        let bname = self
            .g
            .init_f32(&format!("{conv}.bias_folded"), &[shape[0]], &bias);
        let k = shape[2];
        let (pb, pe, out) = same_padding(size, k, stride);
        let (pb, pe) = (pb as i64, pe as i64);
        let y = self.g.op(
            "Conv",
            &[x, &wn, &bname],
            &[
                ("kernel_shape", Attr::Ints(vec![k as i64, k as i64])),
                ("strides", Attr::Ints(vec![stride as i64, stride as i64])),
                ("pads", Attr::Ints(vec![pb, pb, pe, pe])),
                ("group", Attr::Int(groups as i64)),
            ],
        );
        let y = if relu6 {
            let (zero, six) = (self.zero.clone(), self.six.clone());
            self.g.op("Clip", &[&y, &zero, &six], &[])
        } else {
            y
        };
        Ok((y, out))
    }
}

/// Builds the EfficientNet-Lite0 graph from its state dict (lukemelas' key names).
pub fn efficientnet_lite0_graph(sd: &StateDict) -> Result<Vec<u8>> {
    let mut g = Graph::new("efficientnet_lite0");
    g.input(
        "input",
        Elem::F32,
        &[
            Dim::Named("N"),
            Dim::Fixed(3),
            Dim::Fixed(INPUT_SIZE as i64),
            Dim::Fixed(INPUT_SIZE as i64),
        ],
    );
    let zero = g.init_f32("relu6_min", &[], &[0.0]);
    let six = g.init_f32("relu6_max", &[], &[6.0]);
    let mut b = Builder {
        g,
        w: Weights(sd),
        zero,
        six,
    };

    let (mut x, mut size) = b.conv(
        "input",
        INPUT_SIZE,
        "_conv_stem",
        "_bn0",
        [32, 3, 3, 3],
        2,
        1,
        true,
    )?;
    let mut idx = 0;
    for &(repeats, k, first_stride, expand, cin, cout) in &STAGES {
        for r in 0..repeats {
            let (stride, inp) = if r == 0 {
                (first_stride, cin)
            } else {
                (1, cout)
            };
            let p = format!("_blocks.{idx}");
            let hidden = inp * expand;
            let block_in = x.clone();
            if expand != 1 {
                (x, _) = b.conv(
                    &x,
                    size,
                    &format!("{p}._expand_conv"),
                    &format!("{p}._bn0"),
                    [hidden, inp, 1, 1],
                    1,
                    1,
                    true,
                )?;
            }
            let (y, out) = b.conv(
                &x,
                size,
                &format!("{p}._depthwise_conv"),
                &format!("{p}._bn1"),
                [hidden, 1, k, k],
                stride,
                hidden,
                true,
            )?;
            let (y, _) = b.conv(
                &y,
                out,
                &format!("{p}._project_conv"),
                &format!("{p}._bn2"),
                [cout, hidden, 1, 1],
                1,
                1,
                false,
            )?;
            x = if stride == 1 && inp == cout {
                b.g.op("Add", &[&y, &block_in], &[])
            } else {
                y
            };
            size = out;
            idx += 1;
        }
    }
    if sd.contains_key(&format!("_blocks.{idx}._depthwise_conv.weight")) {
        return Err(cerr(format!(
            "checkpoint has more than {idx} blocks: not EfficientNet-Lite0"
        )));
    }
    let (x, _) = b.conv(
        &x,
        size,
        "_conv_head",
        "_bn1",
        [FEATURE_DIM, 320, 1, 1],
        1,
        1,
        true,
    )?;
    let pooled = b.g.op("GlobalAveragePool", &[&x], &[]);
    b.g.node(
        "Flatten",
        &[&pooled],
        &["features"],
        &[("axis", Attr::Int(1))],
    );
    let fc_w = b.w.get("_fc.weight", &[NUM_CLASSES, FEATURE_DIM])?;
    let fc_b = b.w.get("_fc.bias", &[NUM_CLASSES])?;
    let wn =
        b.g.init_f32("_fc.weight", &[NUM_CLASSES, FEATURE_DIM], &fc_w.data);
    let bn = b.g.init_f32("_fc.bias", &[NUM_CLASSES], &fc_b.data);
    b.g.node(
        "Gemm",
        &["features", &wn, &bn],
        &["logits"],
        &[("transB", Attr::Int(1))],
    );
    b.g.output(
        "logits",
        Elem::F32,
        &[Dim::Named("N"), Dim::Fixed(NUM_CLASSES as i64)],
    );
    b.g.output(
        "features",
        Elem::F32,
        &[Dim::Named("N"), Dim::Fixed(FEATURE_DIM as i64)],
    );
    Ok(b.g.into_model("banana-vision efficientnet-lite0 converter"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_match_the_protobuf_encoding() {
        let mut m = Msg::default();
        m.int(1, 300);
        assert_eq!(m.0, vec![0x08, 0xac, 0x02]);
        let mut m = Msg::default();
        m.int(2, -1);
        // Negative int64 is ten bytes on the wire.
        assert_eq!(m.0.len(), 11);
        assert_eq!(*m.0.last().unwrap(), 0x01);
        let mut m = Msg::default();
        m.str(4, "Conv");
        assert_eq!(m.0, vec![0x22, 4, b'C', b'o', b'n', b'v']);
    }

    #[test]
    fn same_padding_puts_the_extra_pixel_at_the_end() {
        // 224 -> 112 with a 3x3 stride-2 kernel: total padding 1, all of it at the end.
        assert_eq!(same_padding(224, 3, 2), (0, 1, 112));
        // 5x5 stride 2 on 112 -> 56: total 3 = 1 + 2.
        assert_eq!(same_padding(112, 5, 2), (1, 2, 56));
        // stride 1 keeps the size with symmetric padding.
        assert_eq!(same_padding(14, 5, 1), (2, 2, 14));
        assert_eq!(same_padding(7, 1, 1), (0, 0, 7));
    }

    #[test]
    fn missing_weights_are_reported_by_name() {
        let e = efficientnet_lite0_graph(&StateDict::new()).unwrap_err();
        assert!(e.to_string().contains("_conv_stem.weight"), "{e}");
    }

    #[test]
    fn batch_norm_folding() {
        let mut sd = StateDict::new();
        let t = |shape: Vec<usize>, data: Vec<f32>| Tensor { shape, data };
        sd.insert("c.weight".into(), t(vec![2, 1, 1, 1], vec![1.0, 2.0]));
        sd.insert("b.weight".into(), t(vec![2], vec![2.0, 1.0]));
        sd.insert("b.bias".into(), t(vec![2], vec![0.5, -0.5]));
        sd.insert("b.running_mean".into(), t(vec![2], vec![1.0, 0.0]));
        sd.insert(
            "b.running_var".into(),
            t(vec![2], vec![4.0 - BN_EPS, 1.0 - BN_EPS]),
        );
        let (w, b) = Weights(&sd).conv_bn("c", "b", [2, 1, 1, 1]).unwrap();
        // channel 0: scale 2/2 = 1 -> w 1, b 0.5 - 1; channel 1: scale 1 -> w 2, b -0.5.
        assert!((w[0] - 1.0).abs() < 1e-6 && (w[1] - 2.0).abs() < 1e-6);
        assert!((b[0] + 0.5).abs() < 1e-6 && (b[1] + 0.5).abs() < 1e-6);
    }
}
