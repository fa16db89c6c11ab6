//! The process-wide ONNX Runtime environment.
//!
//! ONNX Runtime is loaded from a shared library at run time (`ort`'s `load-dynamic`), once per
//! process: the first library loaded stays loaded, so every model shares one environment.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ort::environment::Environment;
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

/// Builds a CPU session for the ONNX file at `model` with `threads` intra-op threads.
pub(crate) fn session(lib: &Path, model: &Path, threads: usize) -> Result<Session> {
    let env = environment(lib)?;
    let session = Session::builder(env)?
        .with_optimization_level(GraphOptimizationLevel::Level3)?
        .with_intra_threads(threads.max(1))?
        .with_inter_threads(1)?
        .commit_from_file(model)?;
    Ok(session)
}
