//! Warns, in the build output, when the JPEG codec will be built without SIMD.
//!
//! `mozjpeg-sys` (libjpeg-turbo) assembles its SIMD kernels with `nasm` on x86/x86_64 and, when
//! `nasm` is missing, silently builds the plain C code (2–3× slower thumbnails): its own
//! `cargo:warning` is not shown for a dependency. This script repeats the same check (`nasm -v`
//! runs and is not 0.x) where cargo does show it (a workspace crate), and fails the build
//! instead when `BANANA_REQUIRE_JPEG_SIMD=1` (scripts/run.sh and the Dockerfile set it).
//! What actually got linked is reported at run time by `banana_media::codec::codec_info`.
//!
//! It also finds the system libheif (HEIC/HEIF/AVIF, `src/heif.rs`) with `pkg-config`, so a
//! library outside the linker's default path (Homebrew) is found, and says what to install
//! when it is missing instead of leaving a bare linker error.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=BANANA_REQUIRE_JPEG_SIMD");
    libheif();
    nasm();
}

/// The link path of libheif from `pkg-config` (the `#[link(name = "heif")]` in `src/heif.rs`
/// names the library), and a warning when it is missing or older than the tested 1.15.
fn libheif() {
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    let pkg_config = |args: &[&str]| {
        std::process::Command::new("pkg-config")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    let Some(libs) = pkg_config(&["--libs-only-L", "libheif"]) else {
        println!(
            "cargo:warning=libheif was not found by pkg-config: HEIC/HEIF/AVIF decoding links \
             the system libheif. Install it (apt-get install pkg-config libheif-dev; \
             brew install libheif; dnf install libheif-devel)."
        );
        return;
    };
    for dir in String::from_utf8_lossy(&libs.stdout).split_whitespace() {
        if let Some(dir) = dir.strip_prefix("-L") {
            println!("cargo:rustc-link-search=native={dir}");
        }
    }
    if pkg_config(&["--atleast-version=1.15", "libheif"]).is_none() {
        println!("cargo:warning=libheif is older than 1.15, the version Banana is tested with");
    }
}

fn nasm() {
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if arch != "x86_64" && arch != "x86" {
        // ARM and MIPS SIMD is built with the C compiler's assembler; nothing to check.
        println!("cargo:rustc-env=BANANA_NASM_AT_BUILD=1");
        return;
    }
    let nasm = find_on_path("nasm");
    let problem = match &nasm {
        None => Some("nasm is not installed".to_string()),
        Some(path) => {
            // Re-run when nasm is replaced (an upgrade from an unusable version).
            println!("cargo:rerun-if-changed={}", path.display());
            match std::process::Command::new(path).arg("-v").output() {
                Err(e) => Some(format!("{} -v failed: {e}", path.display())),
                Ok(out) => {
                    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
                    version
                        .contains("NASM version 0.")
                        .then(|| format!("{version} is too old"))
                }
            }
        }
    };
    let Some(problem) = problem else {
        println!("cargo:rustc-env=BANANA_NASM_AT_BUILD=1");
        return;
    };
    println!("cargo:rustc-env=BANANA_NASM_AT_BUILD=0");
    let message = format!(
        "{problem}: the JPEG codec (mozjpeg-sys / libjpeg-turbo) is built WITHOUT SIMD and \
         thumbnails are 2-3x slower. Install nasm (apt-get install nasm), then run \
         `cargo clean -p mozjpeg-sys` and build again."
    );
    if std::env::var("BANANA_REQUIRE_JPEG_SIMD").as_deref() == Ok("1") {
        panic!("BANANA_REQUIRE_JPEG_SIMD=1: {message}");
    }
    println!("cargo:warning={message}");
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}
