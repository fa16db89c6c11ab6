//! The process-wide ONNX Runtime environment.
//!
//! ONNX Runtime is loaded from a shared library at run time (`ort`'s `load-dynamic`), once per
//! process: the first library loaded stays loaded, so every model shares one environment.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ort::environment::Environment;
use ort::ep::CPU;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;

use crate::error::{Result, VisionError};

static ENV: OnceLock<(Environment, PathBuf)> = OnceLock::new();
static INIT: Mutex<()> = Mutex::new(());

/// The shared environment, loading ONNX Runtime from `lib` on first use.
pub(crate) fn environment(lib: &Path) -> Result<&'static Environment> {
    if let Some((env, _)) = ENV.get() {
        return Ok(env);
    }
    let _guard = INIT.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((env, _)) = ENV.get() {
        return Ok(env);
    }
    if !lib.is_file() {
        return Err(VisionError::Runtime(format!(
            "ONNX Runtime library {} does not exist; run `banana models fetch` or set ORT_DYLIB_PATH",
            lib.display()
        )));
    }
    let env = ort::init_from(lib)
        .map_err(|e| VisionError::Runtime(format!("loading {}: {e}", lib.display())))?
        .with_name("banana")
        .build()?;
    let (env, _) = ENV.get_or_init(|| (env, lib.to_path_buf()));
    Ok(env)
}

/// How a model's inputs are shaped, which decides how its session allocates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Inputs {
    /// One input shape (the face detector's square): ONNX Runtime's arena and memory pattern
    /// reuse the same buffers on every run.
    Fixed,
    /// A new shape on most runs (OCR windows and text lines, sentences of any length, a
    /// classifier batch of 1 to 8 images): the arena would keep a buffer of every size seen
    /// and grow without end (a server's resident memory went 269 -> 698 MiB over 39 uploads,
    /// 31 of them 12 MP), so these sessions allocate per run and the analysis jobs give what
    /// a run freed back to the system ([`crate::memory`]). For the classifier alone that took
    /// a server's memory after 42 uploads from 390 to 275 MiB (measured with large blocks
    /// mapped one by one), at 1.01x the wall time of `bench ingest --all-analyzers` on the
    /// ImageNet sample.
    Varying,
}

/// Builds a CPU session for the ONNX file at `model` with `threads` intra-op threads.
pub(crate) fn session(lib: &Path, model: &Path, threads: usize, inputs: Inputs) -> Result<Session> {
    let env = environment(lib)?;
    let mut builder = Session::builder(env)?
        .with_optimization_level(GraphOptimizationLevel::Level3)?
        .with_intra_threads(threads.max(1))?
        .with_inter_threads(1)?;
    if inputs == Inputs::Varying {
        builder = builder
            .with_execution_providers([CPU::default().with_arena_allocator(false).build()])?
            .with_memory_pattern(false)?;
    }
    Ok(builder.commit_from_file(model)?)
}
