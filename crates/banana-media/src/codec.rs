//! Which JPEG code path this binary runs: libjpeg-turbo's SIMD kernels, or its plain C
//! fallback. `mozjpeg-sys` builds the SIMD kernels only when `nasm` is on the PATH at build
//! time (x86/x86_64) and otherwise falls back silently (its `cargo:warning` is hidden for
//! dependencies); the fallback is 2–3× slower on thumbnails. `build.rs` warns at build time;
//! this module tells the truth at run time, from the linked library itself.

use std::fmt;

// libjpeg-turbo's SIMD dispatch (simd/*/jsimd.c), or `jsimd_none.c` when built without SIMD,
// where every `jsimd_can_*` returns 0. Both define these symbols (plain C ABI, no arguments).
extern "C" {
    fn jsimd_can_idct_islow() -> std::os::raw::c_int;
    fn jsimd_can_ycc_rgb() -> std::os::raw::c_int;
}

/// The JPEG code path of this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JpegCodec {
    /// libjpeg-turbo with SIMD kernels; the instruction set they use.
    Simd(&'static str),
    /// Built without SIMD (no `nasm` when `mozjpeg-sys` was compiled).
    NoSimd,
}

impl JpegCodec {
    pub fn is_simd(self) -> bool {
        matches!(self, JpegCodec::Simd(_))
    }
}

impl fmt::Display for JpegCodec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JpegCodec::Simd(isa) => write!(f, "libjpeg-turbo SIMD ({isa})"),
            JpegCodec::NoSimd => write!(
                f,
                "libjpeg-turbo without SIMD (slow): install nasm, then `cargo clean -p mozjpeg-sys` and rebuild"
            ),
        }
    }
}

/// The JPEG code path the linked libjpeg-turbo takes on this machine. (mozjpeg-sys builds it
/// with `NO_GETENV`, so libjpeg-turbo's `JSIMD_*` variables have no effect.)
pub fn codec_info() -> JpegCodec {
    // SAFETY: both functions take no arguments, only read the CPU's features (into
    // thread-local state) and return an int.
    let simd = unsafe { jsimd_can_idct_islow() != 0 || jsimd_can_ycc_rgb() != 0 };
    if simd {
        JpegCodec::Simd(instruction_set())
    } else {
        JpegCodec::NoSimd
    }
}

/// The instruction set libjpeg-turbo's dispatcher picks (AVX2 when the CPU and OS have it).
fn instruction_set() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            "AVX2"
        } else {
            "SSE2"
        }
    }
    #[cfg(target_arch = "x86")]
    {
        "SSE2"
    }
    #[cfg(any(target_arch = "aarch64", target_arch = "arm"))]
    {
        "NEON"
    }
    #[cfg(not(any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64",
        target_arch = "arm"
    )))]
    {
        "native"
    }
}

/// Whether `build.rs` found a usable `nasm` (what `mozjpeg-sys` needs for SIMD on x86).
pub const NASM_AT_BUILD: bool = match option_env!("BANANA_NASM_AT_BUILD") {
    Some(v) => v.len() == 1 && v.as_bytes()[0] == b'1',
    None => false,
};
