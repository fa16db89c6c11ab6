//! HEIF images (HEIC from phones, and AVIF) decoded by the system's libheif (1.15 or newer, with
//! libde265 for HEVC and dav1d or libaom for AV1), through a small hand-written binding of its C
//! API: the `libheif-rs` crates need libheif ≥ 1.17, newer than Debian 12 ships.
//!
//! Invariants:
//! - Nothing is decoded before the pixel limit was checked: every `ispe` (image spatial extent)
//!   property in the file, which covers the primary image and each grid tile, and the primary
//!   image's displayed size must each be within [`Limits::max_pixels`]. libheif itself refuses
//!   any side of 32768 pixels or more while reading the file.
//! - The pixels come out as the file says they are displayed: libheif applies the container's
//!   clean aperture, rotation and mirror (`clap`, `irot`, `imir`). The EXIF Orientation tag a
//!   phone also writes describes that same turn (an iPhone photo has `irot` 270° and EXIF 6) and
//!   must not be applied a second time, so the orientation handed on is always "none".
//! - Decoding is strict (libheif's `strict_decoding`): truncated or corrupt data is an error,
//!   not a picture with grey tiles. HDR (10/12-bit) images come out as 8-bit RGB.
//! - libheif decodes tiles on the calling thread only (no thread pool of its own), so the
//!   callers' one-decode-per-core budget holds.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::Once;

use image::{DynamicImage, RgbImage, RgbaImage};

use crate::{check_pixels, Format, Limits, MediaError};

#[allow(non_camel_case_types)]
mod ffi {
    use std::ffi::{c_char, c_int, c_void};

    #[repr(C)]
    pub struct heif_context {
        _private: [u8; 0],
    }
    #[repr(C)]
    pub struct heif_image_handle {
        _private: [u8; 0],
    }
    #[repr(C)]
    pub struct heif_image {
        _private: [u8; 0],
    }

    /// `struct heif_error`: two enums and a message that is always a valid C string.
    #[repr(C)]
    #[derive(Clone, Copy)]
    pub struct heif_error {
        pub code: c_int,
        pub subcode: c_int,
        pub message: *const c_char,
    }

    /// The first fields of `struct heif_decoding_options` (versions 1–3; the library allocates
    /// the whole structure, which may be longer, and says which version it is).
    #[repr(C)]
    pub struct heif_decoding_options {
        pub version: u8,
        pub ignore_transformations: u8,
        pub start_progress: *mut c_void,
        pub on_progress: *mut c_void,
        pub end_progress: *mut c_void,
        pub progress_user_data: *mut c_void,
        // version 2
        pub convert_hdr_to_8bit: u8,
        // version 3
        pub strict_decoding: u8,
    }

    pub const HEIF_ERROR_OK: c_int = 0;
    pub const HEIF_COLORSPACE_RGB: c_int = 1;
    pub const HEIF_CHROMA_INTERLEAVED_RGB: c_int = 10;
    pub const HEIF_CHROMA_INTERLEAVED_RGBA: c_int = 11;
    pub const HEIF_CHANNEL_INTERLEAVED: c_int = 10;
    pub const HEIF_COMPRESSION_HEVC: c_int = 1;
    pub const HEIF_COMPRESSION_AV1: c_int = 4;

    #[link(name = "heif")]
    extern "C" {
        pub fn heif_init(params: *mut c_void) -> heif_error;
        pub fn heif_get_version() -> *const c_char;
        pub fn heif_have_decoder_for_format(format: c_int) -> c_int;

        pub fn heif_context_alloc() -> *mut heif_context;
        pub fn heif_context_free(ctx: *mut heif_context);
        pub fn heif_context_set_max_decoding_threads(ctx: *mut heif_context, max_threads: c_int);
        pub fn heif_context_read_from_memory_without_copy(
            ctx: *mut heif_context,
            mem: *const c_void,
            size: usize,
            options: *const c_void,
        ) -> heif_error;
        pub fn heif_context_get_primary_image_handle(
            ctx: *mut heif_context,
            handle: *mut *mut heif_image_handle,
        ) -> heif_error;

        pub fn heif_image_handle_release(handle: *const heif_image_handle);
        pub fn heif_image_handle_get_width(handle: *const heif_image_handle) -> c_int;
        pub fn heif_image_handle_get_height(handle: *const heif_image_handle) -> c_int;
        pub fn heif_image_handle_get_ispe_width(handle: *const heif_image_handle) -> c_int;
        pub fn heif_image_handle_get_ispe_height(handle: *const heif_image_handle) -> c_int;
        pub fn heif_image_handle_has_alpha_channel(handle: *const heif_image_handle) -> c_int;
        pub fn heif_image_handle_get_number_of_metadata_blocks(
            handle: *const heif_image_handle,
            type_filter: *const c_char,
        ) -> c_int;
        pub fn heif_image_handle_get_color_profile_type(handle: *const heif_image_handle) -> u32;
        pub fn heif_image_handle_get_raw_color_profile_size(
            handle: *const heif_image_handle,
        ) -> usize;
        pub fn heif_image_handle_get_raw_color_profile(
            handle: *const heif_image_handle,
            out_data: *mut c_void,
        ) -> heif_error;

        pub fn heif_decoding_options_alloc() -> *mut heif_decoding_options;
        pub fn heif_decoding_options_free(options: *mut heif_decoding_options);
        pub fn heif_decode_image(
            handle: *const heif_image_handle,
            out_img: *mut *mut heif_image,
            colorspace: c_int,
            chroma: c_int,
            options: *const heif_decoding_options,
        ) -> heif_error;

        pub fn heif_image_release(img: *const heif_image);
        pub fn heif_image_get_width(img: *const heif_image, channel: c_int) -> c_int;
        pub fn heif_image_get_height(img: *const heif_image, channel: c_int) -> c_int;
        pub fn heif_image_get_plane_readonly(
            img: *const heif_image,
            channel: c_int,
            out_stride: *mut c_int,
        ) -> *const u8;
    }
}

/// The brands of an `ftyp` box that name an HEVC-coded image (or sequence) file.
const HEVC_BRANDS: [&[u8; 4]; 8] = [
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs",
];
/// The brands of an AV1-coded one.
const AV1_BRANDS: [&[u8; 4]; 2] = [b"avif", b"avis"];
/// Brands that say "HEIF", whatever the codec.
const GENERIC_BRANDS: [&[u8; 4]; 3] = [b"mif1", b"msf1", b"miaf"];

/// HEIF or AVIF, from the `ftyp` box at the start of the file: the major brand, or a
/// compatible brand when the major one is only "some HEIF" (`mif1`, `msf1`, `miaf`) or is
/// something else next to `mif1`/`msf1` (which every HEIF image file must list). AV1 brands
/// without HEVC ones make it AVIF.
pub(crate) fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.len() < 12 || &bytes[4..8] != b"ftyp" {
        return None;
    }
    let size = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let end = size.clamp(12, bytes.len().min(1024));
    let major: &[u8; 4] = bytes[8..12].try_into().ok()?;
    let compatible: Vec<&[u8; 4]> = bytes
        .get(16..end)
        .unwrap_or_default()
        .chunks_exact(4)
        .filter_map(|c| c.try_into().ok())
        .collect();
    let has = |set: &[&[u8; 4]]| compatible.iter().any(|b| set.contains(b));
    if HEVC_BRANDS.contains(&major) {
        return Some(Format::Heif);
    }
    if AV1_BRANDS.contains(&major) {
        return Some(Format::Avif);
    }
    if !GENERIC_BRANDS.contains(&major) && !has(&[b"mif1", b"msf1"]) {
        return None;
    }
    if has(&AV1_BRANDS) && !has(&HEVC_BRANDS) {
        Some(Format::Avif)
    } else {
        Some(Format::Heif)
    }
}

/// The linked libheif's version, and whether it has an HEVC and an AV1 decoder.
pub fn library_info() -> (String, bool, bool) {
    init();
    // SAFETY: heif_get_version returns a static NUL-terminated string; the decoder queries take
    // an enum value and only read libheif's plugin registry.
    unsafe {
        let version = CStr::from_ptr(ffi::heif_get_version())
            .to_string_lossy()
            .into_owned();
        let hevc = ffi::heif_have_decoder_for_format(ffi::HEIF_COMPRESSION_HEVC) != 0;
        let av1 = ffi::heif_have_decoder_for_format(ffi::HEIF_COMPRESSION_AV1) != 0;
        (version, hevc, av1)
    }
}

/// Register libheif's decoder plugins once per process (never undone: the contexts of other
/// threads may be alive at any time).
fn init() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        // SAFETY: a null parameter block means the defaults; the returned error only says
        // whether external plugins loaded (the built-in decoders are registered regardless).
        let _ = unsafe { ffi::heif_init(std::ptr::null_mut()) };
    });
}

fn check(err: ffi::heif_error, what: &str) -> Result<(), MediaError> {
    if err.code == ffi::HEIF_ERROR_OK {
        return Ok(());
    }
    // SAFETY: libheif documents `message` as always defined: a static or context-owned C
    // string that is valid until the next call on that context; it is copied here at once.
    let message = unsafe {
        err.message
            .as_ref()
            .map(|m| CStr::from_ptr(m as *const c_char))
    }
    .map(|m| m.to_string_lossy().into_owned())
    .unwrap_or_default();
    Err(MediaError::Undecodable(format!("HEIF {what}: {message}")))
}

/// A libheif context reading from `bytes`, which must outlive it (the data is not copied).
struct Context<'a> {
    ptr: *mut ffi::heif_context,
    _bytes: std::marker::PhantomData<&'a [u8]>,
}

impl Drop for Context<'_> {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from heif_context_alloc and is freed once, here. Handles hold their
        // own reference to the context's data, and are dropped before it (declared later).
        unsafe { ffi::heif_context_free(self.ptr) }
    }
}

struct Handle(*mut ffi::heif_image_handle);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: a handle from heif_context_get_primary_image_handle, released once.
        unsafe { ffi::heif_image_handle_release(self.0) }
    }
}

struct Image(*mut ffi::heif_image);

impl Drop for Image {
    fn drop(&mut self) {
        // SAFETY: an image from heif_decode_image, released once.
        unsafe { ffi::heif_image_release(self.0) }
    }
}

/// The file read (boxes parsed, no pixel decoded) and its primary image's handle, after the
/// pixel limit was checked.
struct Opened<'a> {
    handle: Handle,
    _context: Context<'a>,
    width: u32,
    height: u32,
}

fn open<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Opened<'a>, MediaError> {
    // Every spatial extent in the file, tiles included, before libheif sees it.
    for (w, h) in ispe_extents(bytes) {
        check_pixels(w.max(1), h.max(1), limits)?;
    }
    init();
    // SAFETY: a fresh context (null only when out of memory, checked).
    let ptr = unsafe { ffi::heif_context_alloc() };
    if ptr.is_null() {
        return Err(MediaError::Undecodable("HEIF: out of memory".into()));
    }
    let context = Context {
        ptr,
        _bytes: std::marker::PhantomData,
    };
    // SAFETY: `bytes` outlives the context (its lifetime is tied to `Context<'a>`, which the
    // returned value owns); libheif only reads it. 0 threads: tiles decode on this thread.
    unsafe {
        ffi::heif_context_set_max_decoding_threads(context.ptr, 0);
        check(
            ffi::heif_context_read_from_memory_without_copy(
                context.ptr,
                bytes.as_ptr().cast::<c_void>(),
                bytes.len(),
                std::ptr::null(),
            ),
            "container",
        )?;
    }
    let mut handle = std::ptr::null_mut();
    // SAFETY: a context that read a file successfully; the handle pointer is written on success.
    check(
        unsafe { ffi::heif_context_get_primary_image_handle(context.ptr, &mut handle) },
        "primary image",
    )?;
    if handle.is_null() {
        return Err(MediaError::Undecodable("HEIF: no primary image".into()));
    }
    let handle = Handle(handle);
    // SAFETY: plain getters on a valid handle.
    let (w, h, ispe_w, ispe_h) = unsafe {
        (
            ffi::heif_image_handle_get_width(handle.0),
            ffi::heif_image_handle_get_height(handle.0),
            ffi::heif_image_handle_get_ispe_width(handle.0),
            ffi::heif_image_handle_get_ispe_height(handle.0),
        )
    };
    let side = |v: c_int| u32::try_from(v).unwrap_or(0);
    // The coded extent (before cropping and rotation) bounds what the decoder allocates.
    if ispe_w > 0 && ispe_h > 0 {
        check_pixels(side(ispe_w), side(ispe_h), limits)?;
    }
    let (width, height) = (side(w), side(h));
    check_pixels(width, height, limits)?;
    Ok(Opened {
        handle,
        _context: context,
        width,
        height,
    })
}

/// The displayed dimensions of the primary image (after libheif's crop and rotation), with
/// the pixel limit checked, without decoding.
pub(crate) fn dimensions(bytes: &[u8], limits: &Limits) -> Result<(u32, u32), MediaError> {
    let opened = open(bytes, limits)?;
    Ok((opened.width, opened.height))
}

/// A decoded HEIF primary image, in display orientation.
pub(crate) struct HeifImage {
    pub image: DynamicImage,
    /// Whether the file has an EXIF block for the primary image.
    pub has_exif: bool,
}

/// Decode the primary image to 8-bit RGB (RGBA when it has an alpha channel).
pub(crate) fn decode(bytes: &[u8], limits: &Limits) -> Result<HeifImage, MediaError> {
    let opened = open(bytes, limits)?;
    let handle = opened.handle.0;
    // SAFETY: plain getters on a valid handle (the filter is a NUL-terminated string).
    let (alpha, exif_blocks) = unsafe {
        (
            ffi::heif_image_handle_has_alpha_channel(handle) != 0,
            ffi::heif_image_handle_get_number_of_metadata_blocks(handle, c"Exif".as_ptr()),
        )
    };
    let chroma = if alpha {
        ffi::HEIF_CHROMA_INTERLEAVED_RGBA
    } else {
        ffi::HEIF_CHROMA_INTERLEAVED_RGB
    };
    let channels: usize = if alpha { 4 } else { 3 };
    let image = {
        // SAFETY: the options come from libheif (null when out of memory, checked) and are
        // freed on every path below; only fields of the version it reports are written.
        let options = unsafe { ffi::heif_decoding_options_alloc() };
        if options.is_null() {
            return Err(MediaError::Undecodable("HEIF: out of memory".into()));
        }
        let mut out = std::ptr::null_mut();
        // SAFETY: see above; `handle` is valid and `out` is written on success.
        let err = unsafe {
            let o = &mut *options;
            if o.version >= 2 {
                o.convert_hdr_to_8bit = 1;
            }
            if o.version >= 3 {
                o.strict_decoding = 1;
            }
            let err =
                ffi::heif_decode_image(handle, &mut out, ffi::HEIF_COLORSPACE_RGB, chroma, options);
            ffi::heif_decoding_options_free(options);
            err
        };
        let image = (!out.is_null()).then(|| Image(out));
        check(err, "image data")?;
        image.ok_or_else(|| MediaError::Undecodable("HEIF: no image decoded".into()))?
    };
    let mut stride: c_int = 0;
    // SAFETY: a decoded interleaved image has exactly the interleaved channel; its plane is
    // `height` rows of `stride` bytes, of which the first `width * channels` are pixels, and
    // stays valid until the image is released (after the copy below).
    let (w, h, plane) = unsafe {
        (
            ffi::heif_image_get_width(image.0, ffi::HEIF_CHANNEL_INTERLEAVED),
            ffi::heif_image_get_height(image.0, ffi::HEIF_CHANNEL_INTERLEAVED),
            ffi::heif_image_get_plane_readonly(image.0, ffi::HEIF_CHANNEL_INTERLEAVED, &mut stride),
        )
    };
    let (Ok(w), Ok(h), Ok(stride)) = (u32::try_from(w), u32::try_from(h), usize::try_from(stride))
    else {
        return Err(MediaError::Undecodable("HEIF: bad decoded image".into()));
    };
    let row = w as usize * channels;
    if plane.is_null() || stride < row || (w, h) != (opened.width, opened.height) {
        return Err(MediaError::Undecodable(format!(
            "HEIF: decoded {w}x{h}, the header says {}x{}",
            opened.width, opened.height
        )));
    }
    check_pixels(w, h, limits)?;
    let mut pixels = Vec::with_capacity(row * h as usize);
    for y in 0..h as usize {
        // SAFETY: row `y` starts at `y * stride` and has `row` readable bytes (see above).
        pixels.extend_from_slice(unsafe { std::slice::from_raw_parts(plane.add(y * stride), row) });
    }
    let bad = || MediaError::Undecodable("HEIF: bad decoded image".into());
    let image = if alpha {
        DynamicImage::ImageRgba8(RgbaImage::from_raw(w, h, pixels).ok_or_else(bad)?)
    } else {
        DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, pixels).ok_or_else(bad)?)
    };
    Ok(HeifImage {
        image,
        has_exif: exif_blocks > 0,
    })
}

/// The primary image's ICC profile (`prof` or `rICC` colour property), if it has one.
pub(crate) fn icc_profile(bytes: &[u8], limits: &Limits) -> Option<Vec<u8>> {
    const PROF: u32 = u32::from_be_bytes(*b"prof");
    const RICC: u32 = u32::from_be_bytes(*b"rICC");
    let opened = open(bytes, limits).ok()?;
    let handle = opened.handle.0;
    // SAFETY: getters on a valid handle; the buffer has the size libheif reported.
    unsafe {
        let kind = ffi::heif_image_handle_get_color_profile_type(handle);
        if kind != PROF && kind != RICC {
            return None;
        }
        let size = ffi::heif_image_handle_get_raw_color_profile_size(handle);
        if size == 0 || size > 16 << 20 {
            return None;
        }
        let mut icc = vec![0u8; size];
        let err = ffi::heif_image_handle_get_raw_color_profile(handle, icc.as_mut_ptr().cast());
        (err.code == ffi::HEIF_ERROR_OK).then_some(icc)
    }
}

/// The (width, height) of every `ispe` property in `meta/iprp/ipco`, read without libheif:
/// the extents the file will ask the decoder to allocate, grid tiles included.
fn ispe_extents(bytes: &[u8]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for (kind, meta) in boxes(bytes) {
        if kind != *b"meta" || meta.len() < 4 {
            continue;
        }
        // `meta` is a full box: version and flags first.
        for (kind, iprp) in boxes(&meta[4..]) {
            if kind != *b"iprp" {
                continue;
            }
            for (kind, ipco) in boxes(iprp) {
                if kind != *b"ipco" {
                    continue;
                }
                for (kind, ispe) in boxes(ipco) {
                    if kind == *b"ispe" && ispe.len() >= 12 {
                        let word = |i: usize| {
                            u32::from_be_bytes([ispe[i], ispe[i + 1], ispe[i + 2], ispe[i + 3]])
                        };
                        out.push((word(4), word(8)));
                    }
                }
            }
        }
    }
    out
}

/// The ISO-BMFF boxes in `data`, as (type, payload); stops at the first malformed one.
fn boxes(data: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut i = 0usize;
    std::iter::from_fn(move || {
        let header = data.get(i..i + 8)?;
        let kind: [u8; 4] = header[4..8].try_into().ok()?;
        let (size, header_len) = match u32::from_be_bytes(header[..4].try_into().ok()?) {
            0 => (data.len() - i, 8),
            1 => {
                let large = u64::from_be_bytes(data.get(i + 8..i + 16)?.try_into().ok()?);
                (usize::try_from(large).ok()?, 16)
            }
            n => (n as usize, 8),
        };
        if size < header_len {
            return None;
        }
        let end = i.checked_add(size)?.min(data.len());
        let payload = data.get(i + header_len..end)?;
        i = end;
        Some((kind, payload))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brands() {
        let ftyp = |major: &[u8; 4], compat: &[&[u8; 4]]| {
            let mut b = Vec::new();
            b.extend_from_slice(&((16 + 4 * compat.len()) as u32).to_be_bytes());
            b.extend_from_slice(b"ftyp");
            b.extend_from_slice(major);
            b.extend_from_slice(&[0; 4]);
            for c in compat {
                b.extend_from_slice(*c);
            }
            b
        };
        assert_eq!(sniff(&ftyp(b"heic", &[b"mif1"])), Some(Format::Heif));
        assert_eq!(sniff(&ftyp(b"heix", &[])), Some(Format::Heif));
        assert_eq!(sniff(&ftyp(b"mif1", &[b"heic"])), Some(Format::Heif));
        assert_eq!(sniff(&ftyp(b"mif1", &[])), Some(Format::Heif));
        assert_eq!(sniff(&ftyp(b"avif", &[b"mif1"])), Some(Format::Avif));
        assert_eq!(
            sniff(&ftyp(b"mif1", &[b"avif", b"miaf"])),
            Some(Format::Avif)
        );
        assert_eq!(
            sniff(&ftyp(b"MiHE", &[b"mif1", b"heic"])),
            Some(Format::Heif)
        );
        // MP4 video, QuickTime: not images.
        assert_eq!(sniff(&ftyp(b"isom", &[b"iso2", b"mp41"])), None);
        assert_eq!(sniff(&ftyp(b"qt  ", &[])), None);
        assert_eq!(sniff(b"\0\0\0\x08ftyp"), None);
    }

    #[test]
    fn boxes_stop_at_malformed_sizes() {
        let mut data = Vec::new();
        data.extend_from_slice(&12u32.to_be_bytes());
        data.extend_from_slice(b"free1234");
        data.extend_from_slice(&4u32.to_be_bytes()); // smaller than its header
        data.extend_from_slice(b"junk");
        let kinds: Vec<[u8; 4]> = boxes(&data).map(|(k, _)| k).collect();
        assert_eq!(kinds, vec![*b"free"]);
    }
}
