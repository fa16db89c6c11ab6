//! A reader for PyTorch checkpoints in the legacy (pre-1.6) serialization.
//!
//! The file is a sequence of pickles followed by raw storage data:
//!
//! 1. the magic number `0x1950a86a20f9469cfc6c`,
//! 2. the protocol version (1001),
//! 3. system info (endianness, type sizes),
//! 4. the object itself — here a state dict whose tensors are built by
//!    `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)` and whose storages are
//!    persistent ids `('storage', torch.FloatStorage, key, location, numel, view_metadata)`,
//! 5. the list of storage keys, in the order their data follows,
//! 6. for each key: the element count as a little-endian `i64`, then the elements.
//!
//! Only the pickle opcodes that such files use are implemented; anything else is an error, not
//! a guess. Tensors are returned contiguous (row-major) whatever their strides in the file.

use std::collections::{BTreeMap, HashMap};

use crate::error::{Result, VisionError};

/// A dense float tensor in row-major order.
#[derive(Debug, Clone, PartialEq)]
pub struct Tensor {
    pub shape: Vec<usize>,
    pub data: Vec<f32>,
}

impl Tensor {
    /// Number of elements.
    pub fn numel(&self) -> usize {
        self.shape.iter().product()
    }
}

/// Tensors by state-dict key.
pub type StateDict = BTreeMap<String, Tensor>;

fn err(msg: impl Into<String>) -> VisionError {
    VisionError::Checkpoint(msg.into())
}

/// Magic number at the start of a legacy checkpoint, as the little-endian bytes of a `LONG1`.
const MAGIC: [u8; 10] = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
const PROTOCOL_VERSION: i64 = 1001;

/// Reads the float tensors of a legacy-format state dict. Integer tensors (such as batch-norm
/// `num_batches_tracked` counters) are not weights and are left out.
pub fn load_state_dict(bytes: &[u8]) -> Result<StateDict> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(err(
            "this is the zip-based checkpoint format (PyTorch >= 1.6), not the legacy one",
        ));
    }
    let mut pos = 0usize;
    let magic = Unpickler::new(bytes, &mut pos).load()?;
    match magic {
        Value::BigInt(b) if b == MAGIC => {}
        _ => return Err(err("bad magic number: not a legacy PyTorch checkpoint")),
    }
    match Unpickler::new(bytes, &mut pos).load()? {
        Value::Int(PROTOCOL_VERSION) => {}
        v => return Err(err(format!("unsupported protocol version {v:?}"))),
    }
    let sys_info = Unpickler::new(bytes, &mut pos).load()?;
    if let Some(Value::Bool(false)) = sys_info.dict_get("little_endian") {
        return Err(err("big-endian checkpoints are not supported"));
    }
    let object = Unpickler::new(bytes, &mut pos).load()?;
    let keys = match Unpickler::new(bytes, &mut pos).load()? {
        Value::List(keys) => keys
            .into_iter()
            .map(|k| match k {
                Value::Str(s) => Ok(s),
                other => Err(err(format!("storage key is not a string: {other:?}"))),
            })
            .collect::<Result<Vec<String>>>()?,
        other => return Err(err(format!("expected the storage key list, got {other:?}"))),
    };

    // Collect the tensors first so the storages' element sizes are known.
    let Value::Dict(items) = object else {
        return Err(err("the checkpoint's object is not a dict"));
    };
    let mut tensors = Vec::new();
    let mut elem_size: HashMap<String, usize> = HashMap::new();
    for (k, v) in items {
        let Value::Str(name) = k else {
            return Err(err("state dict key is not a string"));
        };
        let Value::Tensor(t) = v else {
            return Err(err(format!("state dict entry {name} is not a tensor")));
        };
        elem_size.insert(t.storage.key.clone(), t.storage.dtype.size());
        tensors.push((name, t));
    }

    // Locate each storage's data.
    let mut storages: HashMap<String, (usize, usize)> = HashMap::new(); // key -> (offset, numel)
    for key in &keys {
        let size_bytes = bytes
            .get(pos..pos + 8)
            .ok_or_else(|| err(format!("file ends before storage {key}")))?;
        let numel = i64::from_le_bytes(size_bytes.try_into().expect("8 bytes"));
        let numel = usize::try_from(numel).map_err(|_| err("negative storage size"))?;
        pos += 8;
        let esize = *elem_size.get(key).unwrap_or(&4);
        let len = numel
            .checked_mul(esize)
            .ok_or_else(|| err("storage size overflows"))?;
        if pos + len > bytes.len() {
            return Err(err(format!("file ends inside storage {key}")));
        }
        storages.insert(key.clone(), (pos, numel));
        pos += len;
    }

    let mut out = StateDict::new();
    for (name, t) in tensors {
        if t.storage.dtype != DType::F32 {
            continue;
        }
        let &(offset, numel) = storages
            .get(&t.storage.key)
            .ok_or_else(|| err(format!("{name}: storage {} has no data", t.storage.key)))?;
        let storage = &bytes[offset..offset + numel * 4];
        let base = t.storage.view_offset + t.offset;
        let data = gather_strided(storage, numel, base, &t.shape, &t.stride)
            .ok_or_else(|| err(format!("{name}: shape/stride reach outside its storage")))?;
        out.insert(
            name,
            Tensor {
                shape: t.shape,
                data,
            },
        );
    }
    Ok(out)
}

/// Copies a strided view of a little-endian f32 storage into a row-major vector.
fn gather_strided(
    storage: &[u8],
    numel: usize,
    base: usize,
    shape: &[usize],
    stride: &[usize],
) -> Option<Vec<f32>> {
    if shape.len() != stride.len() {
        return None;
    }
    let total: usize = shape.iter().product();
    if total == 0 {
        return Some(Vec::new());
    }
    let max_index = base
        + shape
            .iter()
            .zip(stride)
            .map(|(&n, &s)| (n - 1) * s)
            .sum::<usize>();
    if max_index >= numel {
        return None;
    }
    let read =
        |i: usize| f32::from_le_bytes(storage[i * 4..i * 4 + 4].try_into().expect("4 bytes"));
    let mut out = Vec::with_capacity(total);
    let mut idx = vec![0usize; shape.len()];
    for _ in 0..total {
        let off = base + idx.iter().zip(stride).map(|(i, s)| i * s).sum::<usize>();
        out.push(read(off));
        for d in (0..shape.len()).rev() {
            idx[d] += 1;
            if idx[d] < shape[d] {
                break;
            }
            idx[d] = 0;
        }
    }
    Some(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DType {
    F32,
    F64,
    F16,
    I64,
    I32,
    I16,
    I8,
    U8,
    Bool,
}

impl DType {
    fn from_storage_class(name: &str) -> Option<DType> {
        Some(match name {
            "FloatStorage" => DType::F32,
            "DoubleStorage" => DType::F64,
            "HalfStorage" => DType::F16,
            "LongStorage" => DType::I64,
            "IntStorage" => DType::I32,
            "ShortStorage" => DType::I16,
            "CharStorage" => DType::I8,
            "ByteStorage" => DType::U8,
            "BoolStorage" => DType::Bool,
            _ => return None,
        })
    }

    fn size(self) -> usize {
        match self {
            DType::F64 | DType::I64 => 8,
            DType::F32 | DType::I32 => 4,
            DType::F16 | DType::I16 => 2,
            DType::I8 | DType::U8 | DType::Bool => 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct StorageRef {
    dtype: DType,
    key: String,
    /// Offset into the root storage when the persistent id carries view metadata.
    view_offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
struct TensorRef {
    storage: StorageRef,
    offset: usize,
    shape: Vec<usize>,
    stride: Vec<usize>,
}

/// The values the unpickler builds.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    None,
    Bool(bool),
    Int(i64),
    /// An integer too large for `i64`: its little-endian two's-complement bytes.
    BigInt(Vec<u8>),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Value>),
    List(Vec<Value>),
    /// Insertion-ordered, like the `OrderedDict` of a state dict.
    Dict(Vec<(Value, Value)>),
    Global(String, String),
    Storage(StorageRef),
    Tensor(TensorRef),
    /// Any other `callable(*args)` result, kept opaque.
    Object(Box<Value>, Vec<Value>),
}

impl Value {
    fn dict_get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Dict(items) => items
                .iter()
                .find(|(k, _)| matches!(k, Value::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_usize(&self) -> Option<usize> {
        match self {
            Value::Int(i) => usize::try_from(*i).ok(),
            _ => None,
        }
    }

    fn as_usize_tuple(&self) -> Option<Vec<usize>> {
        match self {
            Value::Tuple(v) | Value::List(v) => v.iter().map(Value::as_usize).collect(),
            _ => None,
        }
    }
}

enum Slot {
    Mark,
    V(Value),
}

struct Unpickler<'a, 'p> {
    data: &'a [u8],
    pos: &'p mut usize,
    stack: Vec<Slot>,
    memo: HashMap<u32, Value>,
}

impl<'a, 'p> Unpickler<'a, 'p> {
    fn new(data: &'a [u8], pos: &'p mut usize) -> Self {
        Unpickler {
            data,
            pos,
            stack: Vec::new(),
            memo: HashMap::new(),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let start = *self.pos;
        let end = start.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or_else(|| err(format!("pickle truncated at byte {start}")))?;
        *self.pos = end;
        Ok(&self.data[start..end])
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn line(&mut self) -> Result<String> {
        let rest = &self.data[*self.pos..];
        let n = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| err("unterminated GLOBAL"))?;
        let s = String::from_utf8(rest[..n].to_vec()).map_err(|_| err("GLOBAL is not UTF-8"))?;
        *self.pos += n + 1;
        Ok(s)
    }

    fn push(&mut self, v: Value) {
        self.stack.push(Slot::V(v));
    }

    fn pop(&mut self) -> Result<Value> {
        match self.stack.pop() {
            Some(Slot::V(v)) => Ok(v),
            Some(Slot::Mark) => Err(err("unexpected MARK on the pickle stack")),
            None => Err(err("pickle stack underflow")),
        }
    }

    fn top(&mut self) -> Result<&mut Value> {
        match self.stack.last_mut() {
            Some(Slot::V(v)) => Ok(v),
            _ => Err(err("pickle stack underflow")),
        }
    }

    /// Pops everything above the topmost MARK (and the mark).
    fn pop_mark(&mut self) -> Result<Vec<Value>> {
        let mark = self
            .stack
            .iter()
            .rposition(|s| matches!(s, Slot::Mark))
            .ok_or_else(|| err("no MARK on the pickle stack"))?;
        let items = self.stack.split_off(mark + 1);
        self.stack.pop();
        Ok(items
            .into_iter()
            .map(|s| match s {
                Slot::V(v) => v,
                Slot::Mark => unreachable!("marks above the topmost mark"),
            })
            .collect())
    }

    fn memo_get(&self, i: u32) -> Result<Value> {
        self.memo
            .get(&i)
            .cloned()
            .ok_or_else(|| err(format!("memo {i} is empty")))
    }

    fn memo_put(&mut self, i: u32) -> Result<()> {
        let v = match self.stack.last() {
            Some(Slot::V(v)) => v.clone(),
            _ => return Err(err("PUT with nothing on the stack")),
        };
        self.memo.insert(i, v);
        Ok(())
    }

    fn load(mut self) -> Result<Value> {
        loop {
            let op = self.u8()?;
            match op {
                0x80 => {
                    // PROTO
                    let p = self.u8()?;
                    if p > 2 {
                        return Err(err(format!("pickle protocol {p} is not supported")));
                    }
                }
                b'.' => return self.pop(), // STOP
                b'(' => self.stack.push(Slot::Mark),
                b'q' => {
                    let i = self.u8()? as u32;
                    self.memo_put(i)?
                }
                b'r' => {
                    let i = self.u32()?;
                    self.memo_put(i)?
                }
                b'h' => {
                    let i = self.u8()? as u32;
                    let v = self.memo_get(i)?;
                    self.push(v)
                }
                b'j' => {
                    let i = self.u32()?;
                    let v = self.memo_get(i)?;
                    self.push(v)
                }
                b'J' => {
                    let v = i32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes"));
                    self.push(Value::Int(v as i64))
                }
                b'K' => {
                    let v = self.u8()?;
                    self.push(Value::Int(v as i64))
                }
                b'M' => {
                    let v = self.u16()?;
                    self.push(Value::Int(v as i64))
                }
                0x8a => {
                    // LONG1
                    let n = self.u8()? as usize;
                    let b = self.take(n)?.to_vec();
                    let v = if n <= 8 {
                        let fill = if b.last().is_some_and(|&x| x & 0x80 != 0) {
                            0xff
                        } else {
                            0
                        };
                        let mut buf = [fill; 8];
                        buf[..n].copy_from_slice(&b);
                        Value::Int(i64::from_le_bytes(buf))
                    } else {
                        Value::BigInt(b)
                    };
                    self.push(v)
                }
                b'G' => {
                    let v = f64::from_be_bytes(self.take(8)?.try_into().expect("8 bytes"));
                    self.push(Value::Float(v))
                }
                b'N' => self.push(Value::None),
                0x88 => self.push(Value::Bool(true)),
                0x89 => self.push(Value::Bool(false)),
                b'X' => {
                    let n = self.u32()? as usize;
                    let s = String::from_utf8(self.take(n)?.to_vec())
                        .map_err(|_| err("string is not UTF-8"))?;
                    self.push(Value::Str(s))
                }
                0x8c => {
                    // SHORT_BINUNICODE
                    let n = self.u8()? as usize;
                    let s = String::from_utf8(self.take(n)?.to_vec())
                        .map_err(|_| err("string is not UTF-8"))?;
                    self.push(Value::Str(s))
                }
                b'T' => {
                    let n = self.u32()? as usize;
                    let b = self.take(n)?.to_vec();
                    self.push(Value::Bytes(b))
                }
                b'U' => {
                    let n = self.u8()? as usize;
                    let b = self.take(n)?.to_vec();
                    self.push(Value::Bytes(b))
                }
                b')' => self.push(Value::Tuple(Vec::new())),
                b't' => {
                    let items = self.pop_mark()?;
                    self.push(Value::Tuple(items))
                }
                0x85..=0x87 => {
                    // TUPLE1..TUPLE3
                    let n = (op - 0x84) as usize;
                    let mut items = Vec::with_capacity(n);
                    for _ in 0..n {
                        items.push(self.pop()?);
                    }
                    items.reverse();
                    self.push(Value::Tuple(items))
                }
                b']' => self.push(Value::List(Vec::new())),
                b'a' => {
                    let v = self.pop()?;
                    match self.top()? {
                        Value::List(l) => l.push(v),
                        _ => return Err(err("APPEND to a non-list")),
                    }
                }
                b'e' => {
                    let items = self.pop_mark()?;
                    match self.top()? {
                        Value::List(l) => l.extend(items),
                        _ => return Err(err("APPENDS to a non-list")),
                    }
                }
                b'}' => self.push(Value::Dict(Vec::new())),
                b's' => {
                    let v = self.pop()?;
                    let k = self.pop()?;
                    match self.top()? {
                        Value::Dict(d) => d.push((k, v)),
                        _ => return Err(err("SETITEM on a non-dict")),
                    }
                }
                b'u' => {
                    let items = self.pop_mark()?;
                    if items.len() % 2 != 0 {
                        return Err(err("SETITEMS with an odd number of items"));
                    }
                    let mut it = items.into_iter();
                    let mut pairs = Vec::new();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        pairs.push((k, v));
                    }
                    match self.top()? {
                        Value::Dict(d) => d.extend(pairs),
                        _ => return Err(err("SETITEMS on a non-dict")),
                    }
                }
                b'c' => {
                    let module = self.line()?;
                    let name = self.line()?;
                    self.push(Value::Global(module, name))
                }
                b'R' => {
                    let args = self.pop()?;
                    let callable = self.pop()?;
                    let Value::Tuple(args) = args else {
                        return Err(err("REDUCE arguments are not a tuple"));
                    };
                    let v = reduce(callable, args)?;
                    self.push(v)
                }
                b'b' => {
                    // BUILD: the state of an object; an OrderedDict's (its `_metadata`) is not needed.
                    self.pop()?;
                }
                b'Q' => {
                    let pid = self.pop()?;
                    let v = persistent_load(pid)?;
                    self.push(v)
                }
                _ => {
                    return Err(err(format!(
                        "pickle opcode 0x{op:02x} at byte {} is not supported",
                        *self.pos - 1
                    )))
                }
            }
        }
    }
}

/// `callable(*args)` for the few callables a state dict uses.
fn reduce(callable: Value, args: Vec<Value>) -> Result<Value> {
    let Value::Global(module, name) = &callable else {
        return Ok(Value::Object(Box::new(callable), args));
    };
    match (module.as_str(), name.as_str()) {
        ("collections", "OrderedDict") => Ok(Value::Dict(Vec::new())),
        ("torch._utils", "_rebuild_tensor_v2") | ("torch._utils", "_rebuild_tensor") => {
            // (storage, storage_offset, size, stride, [requires_grad, backward_hooks, ...])
            let mut it = args.into_iter();
            let storage = match it.next() {
                Some(Value::Storage(s)) => s,
                other => return Err(err(format!("tensor storage is {other:?}"))),
            };
            let offset = it
                .next()
                .and_then(|v| v.as_usize())
                .ok_or_else(|| err("bad tensor storage offset"))?;
            let shape = it
                .next()
                .and_then(|v| v.as_usize_tuple())
                .ok_or_else(|| err("bad tensor size"))?;
            let stride = it
                .next()
                .and_then(|v| v.as_usize_tuple())
                .ok_or_else(|| err("bad tensor stride"))?;
            Ok(Value::Tensor(TensorRef {
                storage,
                offset,
                shape,
                stride,
            }))
        }
        _ => Ok(Value::Object(Box::new(callable), args)),
    }
}

/// `('storage', torch.XStorage, key, location, numel, view_metadata)`.
fn persistent_load(pid: Value) -> Result<Value> {
    let Value::Tuple(items) = pid else {
        return Err(err("persistent id is not a tuple"));
    };
    match items.as_slice() {
        [Value::Str(kind), Value::Global(module, class), Value::Str(key), _location, _numel, view]
            if kind == "storage" =>
        {
            if module != "torch" {
                return Err(err(format!("unknown storage type {module}.{class}")));
            }
            let dtype = DType::from_storage_class(class)
                .ok_or_else(|| err(format!("unknown storage type torch.{class}")))?;
            // view_metadata = (view_key, offset, view_size) for views of a shared root storage.
            let view_offset = match view {
                Value::None => 0,
                Value::Tuple(v) if v.len() == 3 => v[1]
                    .as_usize()
                    .ok_or_else(|| err("bad storage view offset"))?,
                other => return Err(err(format!("bad storage view metadata {other:?}"))),
            };
            Ok(Value::Storage(StorageRef {
                dtype,
                key: key.clone(),
                view_offset,
            }))
        }
        _ => Err(err(format!("unsupported persistent id {items:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a legacy checkpoint by hand, opcode by opcode, the way `torch.save` writes one.
    struct Writer(Vec<u8>);

    impl Writer {
        fn op(&mut self, b: &[u8]) -> &mut Self {
            self.0.extend_from_slice(b);
            self
        }
        fn str(&mut self, s: &str) -> &mut Self {
            self.0.push(b'X');
            self.0.extend_from_slice(&(s.len() as u32).to_le_bytes());
            self.0.extend_from_slice(s.as_bytes());
            self
        }
        fn int(&mut self, v: u8) -> &mut Self {
            self.op(&[b'K', v])
        }
    }

    fn checkpoint() -> Vec<u8> {
        let mut w = Writer(Vec::new());
        // 1. magic, 2. protocol version, 3. sys info
        w.op(&[0x80, 2, 0x8a, 10]).op(&MAGIC).op(b".");
        w.op(&[0x80, 2, b'M']).op(&1001u16.to_le_bytes()).op(b".");
        w.op(&[0x80, 2, b'}', b'('])
            .str("little_endian")
            .op(&[0x88, b'u', b'.']);
        // 4. OrderedDict with: "w" a 2x3 tensor stored transposed (stride [1, 2]),
        //    "b" a view at offset 1 of the same storage with shape [2],
        //    "n" an int64 counter (skipped).
        w.op(&[0x80, 2])
            .op(b"ccollections\nOrderedDict\n")
            .op(&[b'q', 0, b')', b'R', b'(']);
        w.str("w")
            .op(b"ctorch._utils\n_rebuild_tensor_v2\n")
            .op(&[b'q', 1, b'(', b'(']);
        w.str("storage")
            .op(b"ctorch\nFloatStorage\n")
            .op(&[b'q', 2])
            .str("k0")
            .str("cpu")
            .int(6)
            .op(b"N");
        w.op(b"tQ")
            .int(0)
            .int(2)
            .int(3)
            .op(&[0x86])
            .int(1)
            .int(2)
            .op(&[0x86]);
        w.op(&[0x89, b')', b't', b'R']);
        w.str("b")
            .op(&[b'h', 1, b'(', b'('])
            .str("storage")
            .op(&[b'h', 2])
            .str("k0")
            .str("cpu")
            .int(6);
        w.op(b"N")
            .op(b"tQ")
            .int(1)
            .int(2)
            .op(&[0x85])
            .int(1)
            .op(&[0x85]);
        w.op(&[0x89, b')', b't', b'R']);
        w.str("n")
            .op(&[b'h', 1, b'(', b'('])
            .str("storage")
            .op(b"ctorch\nLongStorage\n")
            .str("k1");
        w.str("cpu")
            .int(1)
            .op(b"N")
            .op(b"tQ")
            .int(0)
            .op(&[b')', b')', 0x89, b')', b't', b'R']);
        w.op(b"u}b.");
        // 5. storage keys
        w.op(&[0x80, 2, b']', b'(']).str("k0").str("k1").op(b"e.");
        // 6. data: k0 = [0, 1, 2, 3, 4, 5] (f32), k1 = [7] (i64)
        w.op(&6i64.to_le_bytes());
        for i in 0..6 {
            w.op(&(i as f32).to_le_bytes());
        }
        w.op(&1i64.to_le_bytes()).op(&7i64.to_le_bytes());
        w.0
    }

    #[test]
    fn reads_strided_tensors_and_skips_integer_ones() {
        let sd = load_state_dict(&checkpoint()).unwrap();
        assert_eq!(sd.keys().collect::<Vec<_>>(), vec!["b", "w"]);
        // Storage [0..6] viewed as shape [2,3] stride [1,2]: element (i,j) = storage[i + 2j].
        assert_eq!(sd["w"].shape, vec![2, 3]);
        assert_eq!(sd["w"].data, vec![0.0, 2.0, 4.0, 1.0, 3.0, 5.0]);
        assert_eq!(sd["b"].data, vec![1.0, 2.0]);
    }

    #[test]
    fn rejects_other_formats_and_truncation() {
        assert!(load_state_dict(b"PK\x03\x04rest").is_err());
        assert!(load_state_dict(b"\x80\x02K\x01.").is_err());
        let full = checkpoint();
        let e = load_state_dict(&full[..full.len() - 3]).unwrap_err();
        assert!(e.to_string().contains("ends inside storage"), "{e}");
    }

    #[test]
    fn gather_checks_bounds() {
        let storage: Vec<u8> = (0..4).flat_map(|i| (i as f32).to_le_bytes()).collect();
        assert_eq!(
            gather_strided(&storage, 4, 0, &[2, 2], &[1, 2]),
            Some(vec![0.0, 2.0, 1.0, 3.0])
        );
        assert_eq!(gather_strided(&storage, 4, 1, &[2, 2], &[1, 2]), None);
    }
}
