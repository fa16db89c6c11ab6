//! Crafted image files that carry personal metadata where real tools write it: EXIF with GPS
//! and an Artist in TIFF IFDs, PNG chunks after the image data, JPEG XMP/IPTC/COM segments,
//! secondary images and video trailers, segments between progressive scans, GIF and WebP
//! extensions. Each built in a few lines; every planted text contains [`PLANTED`].
//!
//! Shared by banana-media's unit tests (`src/strip/tests.rs`) and banana-server's HTTP tests
//! (`tests/privacy.rs`), which include this file with `#[path]`.
#![allow(dead_code)]

use image::{DynamicImage, RgbImage, RgbaImage};

/// Part of every planted string: a copy for non-owners must not contain it in any form.
pub const PLANTED: &str = "PLANTED-SECRET";
pub const ARTIST: &str = "PLANTED-SECRET Artist Jane Roe";
pub const GPS_DATUM: &str = "PLANTED-SECRET-GPS-DATUM";

/// An XMP packet with a planted creator and position.
pub fn xmp_packet() -> String {
    format!(
        "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'>\
         <rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description \
         xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:exif='http://ns.adobe.com/exif/1.0/' \
         exif:GPSLatitude='37,46.494N' exif:GPSLongitude='122,25.164W'><dc:creator>{PLANTED} \
         xmp creator</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    )
}

/// Whether `bytes` contain a planted string: as text, hex-encoded (ImageMagick's raw
/// profiles), or UTF-16.
pub fn contains_planted(bytes: &[u8]) -> bool {
    let needle = PLANTED.as_bytes();
    let hex_lower: String = needle.iter().map(|b| format!("{b:02x}")).collect();
    let hex_upper = hex_lower.to_uppercase();
    let utf16: Vec<u8> = needle.iter().flat_map(|&b| [b, 0]).collect();
    [
        needle.to_vec(),
        hex_lower.into_bytes(),
        hex_upper.into_bytes(),
        utf16,
    ]
    .iter()
    .any(|n| bytes.windows(n.len()).any(|w| w == &n[..]))
}

/// Whether `bytes` hold an XMP packet or an MP4 box.
pub fn contains_xmp_or_video(bytes: &[u8]) -> bool {
    [&b"x:xmpmeta"[..], b"xpacket", b"ftypmp4", b"ftypisom"]
        .iter()
        .any(|n| bytes.windows(n.len()).any(|w| w == *n))
}

// ---------------------------------------------------------------------------------------------
// TIFF structures (little-endian)

pub use banana_testkit::exif::tiff::{ascii, ifd_len, long, rationals, short, write_ifd, Entry};

fn gps_ifd() -> Vec<Entry> {
    vec![
        Entry {
            tag: 0,
            kind: 1,
            count: 4,
            value: vec![2, 3, 0, 0],
        }, // GPSVersionID
        ascii(1, "N"),
        rationals(2, &[(37, 1), (46, 1), (2964, 100)]),
        ascii(3, "W"),
        rationals(4, &[(122, 1), (25, 1), (984, 100)]),
        ascii(18, GPS_DATUM), // GPSMapDatum
    ]
}

/// A TIFF structure: IFD0 (`ifd0`, plus Artist and a GPS IFD pointer), the GPS IFD, then
/// `pixels` if any (pointed to by a StripOffsets entry the caller includes as tag 273 = 0).
fn tiff_structure(mut ifd0: Vec<Entry>, pixels: Option<&[u8]>) -> Vec<u8> {
    ifd0.push(ascii(315, ARTIST)); // Artist
    ifd0.push(long(34853, 0)); // GPSInfo, patched below
    let mut gps = gps_ifd();
    let gps_at = 8 + ifd_len(&ifd0);
    let pixels_at = gps_at + ifd_len(&gps);
    for e in ifd0.iter_mut() {
        match e.tag {
            34853 => e.value = (gps_at as u32).to_le_bytes().to_vec(),
            273 => e.value = (pixels_at as u32).to_le_bytes().to_vec(),
            _ => {}
        }
    }
    let mut out = b"II*\0\x08\0\0\0".to_vec();
    write_ifd(&mut out, &mut ifd0);
    assert_eq!(out.len(), gps_at);
    write_ifd(&mut out, &mut gps);
    assert_eq!(out.len(), pixels_at);
    if let Some(p) = pixels {
        out.extend_from_slice(p);
    }
    out
}

/// An EXIF block (a TIFF structure without pixels): Artist, GPS position, and the orientation
/// when given.
pub fn exif_with_gps(orientation: Option<u16>) -> Vec<u8> {
    let mut ifd0 = Vec::new();
    if let Some(o) = orientation {
        ifd0.push(short(274, &[o]));
    }
    tiff_structure(ifd0, None)
}

/// Deterministic test pixels.
pub fn pixels(w: u32, h: u32, seed: u8) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x * 7 + u32::from(seed)) as u8,
            (y * 5) as u8,
            ((x ^ y) as u8).wrapping_mul(seed | 1),
        ])
    })
}

/// An uncompressed RGB TIFF with an Artist, a GPS IFD and orientation 6 (rotate 90°).
pub fn tiff_with_gps(w: u32, h: u32) -> (Vec<u8>, RgbImage) {
    let img = pixels(w, h, 3);
    let ifd0 = vec![
        long(256, w),
        long(257, h),
        short(258, &[8, 8, 8]),
        short(259, &[1]),
        short(262, &[2]),
        long(273, 0),
        short(274, &[6]),
        short(277, &[3]),
        long(278, h),
        long(279, w * h * 3),
        short(284, &[1]),
    ];
    (tiff_structure(ifd0, Some(img.as_raw())), img)
}

// ---------------------------------------------------------------------------------------------
// JPEG

/// A marker segment.
pub fn segment(code: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, code];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

pub fn app1_exif(tiff: &[u8]) -> Vec<u8> {
    segment(0xE1, &[&b"Exif\0\0"[..], tiff].concat())
}

pub fn app1_xmp() -> Vec<u8> {
    segment(
        0xE1,
        &[
            &b"http://ns.adobe.com/xap/1.0/\0"[..],
            xmp_packet().as_bytes(),
        ]
        .concat(),
    )
}

/// APP13 with a Photoshop IRB holding an IPTC By-line.
pub fn app13_iptc() -> Vec<u8> {
    let by_line = format!("{PLANTED} iptc by-line");
    let mut iptc = vec![0x1C, 0x02, 0x50];
    iptc.extend_from_slice(&(by_line.len() as u16).to_be_bytes());
    iptc.extend_from_slice(by_line.as_bytes());
    let mut p = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    p.extend_from_slice(&(iptc.len() as u32).to_be_bytes());
    p.extend_from_slice(&iptc);
    segment(0xED, &p)
}

pub fn com() -> Vec<u8> {
    segment(0xFE, format!("{PLANTED} comment").as_bytes())
}

/// A baseline JPEG (libjpeg-turbo via `banana_media`-independent `image` encoder).
pub fn jpeg(w: u32, h: u32, seed: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&pixels(w, h, seed))
        .unwrap();
    out
}

/// `segments` inserted right after SOI.
pub fn with_segments(jpeg: &[u8], segments: &[Vec<u8>]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    for s in segments {
        out.extend_from_slice(s);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A camera-style JPEG with an MPF index and a second JPEG appended that has its own EXIF
/// with GPS (as MPF "large thumbnails" and burst files do). The primary has no EXIF.
pub fn jpeg_with_mpf_secondary() -> Vec<u8> {
    let mut mpf = b"MPF\0MM\0\x2a\0\0\0\x08".to_vec();
    mpf.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let primary = with_segments(&jpeg(64, 48, 1), &[segment(0xE2, &mpf)]);
    let secondary = with_segments(&jpeg(32, 24, 2), &[app1_exif(&exif_with_gps(None))]);
    [primary, secondary].concat()
}

/// A Motion Photo: a JPEG whose XMP points at an MP4 appended after its EOI; the video's own
/// metadata carries the position.
pub fn motion_photo() -> Vec<u8> {
    let primary = with_segments(&jpeg(64, 48, 3), &[app1_xmp()]);
    let mut mp4 = Vec::new();
    mp4.extend_from_slice(&24u32.to_be_bytes());
    mp4.extend_from_slice(b"ftypmp42\0\0\0\0mp42isom");
    let meta = format!("\u{a9}xyz+37.7749-122.4194/ {PLANTED} video location");
    mp4.extend_from_slice(&((8 + meta.len()) as u32).to_be_bytes());
    mp4.extend_from_slice(b"udta");
    mp4.extend_from_slice(meta.as_bytes());
    mp4.extend_from_slice(&16u32.to_be_bytes());
    mp4.extend_from_slice(b"mdat\x01\x02\x03\x04\x05\x06\x07\x08");
    [primary, mp4].concat()
}

extern "C" {
    fn free(p: *mut std::ffi::c_void);
}

/// A progressive JPEG written by libjpeg-turbo with libjpeg's default progression (10 scans).
pub fn progressive_jpeg(img: &RgbImage) -> Vec<u8> {
    use mozjpeg_sys as ffi;
    let (w, h) = img.dimensions();
    // SAFETY: the standard libjpeg compression sequence on a zeroed struct, with an error
    // manager that outlives it; the rows outlive the compression; the
    // memory destination's buffer is malloc'd by libjpeg and freed here after copying.
    unsafe {
        let mut err: ffi::jpeg_error_mgr = std::mem::zeroed();
        let mut c: ffi::jpeg_compress_struct = std::mem::zeroed();
        c.common.err = ffi::jpeg_std_error(&mut err);
        ffi::jpeg_CreateCompress(
            &mut c,
            ffi::JPEG_LIB_VERSION,
            std::mem::size_of::<ffi::jpeg_compress_struct>(),
        );
        let mut buf: *mut u8 = std::ptr::null_mut();
        let mut size: std::os::raw::c_ulong = 0;
        ffi::jpeg_mem_dest(&mut c, &mut buf, &mut size);
        c.image_width = w;
        c.image_height = h;
        c.input_components = 3;
        c.in_color_space = ffi::J_COLOR_SPACE::JCS_RGB;
        ffi::jpeg_c_set_int_param(
            &mut c,
            ffi::J_INT_PARAM::JINT_COMPRESS_PROFILE,
            ffi::JCP_FASTEST as i32,
        );
        ffi::jpeg_set_defaults(&mut c);
        ffi::jpeg_set_quality(&mut c, 90, 1);
        ffi::jpeg_simple_progression(&mut c);
        ffi::jpeg_start_compress(&mut c, 1);
        for row in img.as_raw().chunks_exact(w as usize * 3) {
            let ptr = row.as_ptr();
            ffi::jpeg_write_scanlines(&mut c, &ptr, 1);
        }
        ffi::jpeg_finish_compress(&mut c);
        let out = std::slice::from_raw_parts(buf, size as usize).to_vec();
        ffi::jpeg_destroy_compress(&mut c);
        free(buf.cast());
        out
    }
}

/// The most scans [`jpeg_with_scans`] can write: one DC scan, then for each of 3 components
/// and 63 AC coefficients a first scan and 13 refinement scans.
pub const MOST_SCANS: usize = 1 + 3 * 63 * 14;

/// A valid progressive 8×8 JPEG (mid-grey) with the first `n` scans of a progression that
/// gives every AC coefficient of every component its own scan per bit plane. Written by hand
/// (libjpeg's encoder cannot write more than 64 scans): with all coefficients zero, each scan's
/// data is one Huffman code per block ("0": the only code of each table) padded with ones.
pub fn jpeg_with_scans(n: usize) -> Vec<u8> {
    assert!((1..=MOST_SCANS).contains(&n));
    let mut out = vec![0xFF, 0xD8];
    out.extend(segment(0xDB, &[&[0u8][..], &[1u8; 64]].concat())); // DQT 0: all ones
    out.extend(segment(
        0xC2, // SOF2: progressive, 8 bits, 8×8, 3 components sampled 1×1 with table 0
        &[8, 0, 8, 0, 8, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0],
    ));
    let one_code = |class_id: u8| {
        let mut t = vec![class_id, 1];
        t.extend_from_slice(&[0; 15]);
        t.push(0); // the one symbol: 0 (DC: difference 0; AC: end of band)
        segment(0xC4, &t)
    };
    out.extend(one_code(0x00));
    out.extend(one_code(0x10));
    // DC first scan, all three components interleaved: three codes "000", padded.
    out.extend(segment(0xDA, &[3, 1, 0, 2, 0, 3, 0, 0, 0, 0]));
    out.push(0x1F);
    let mut written = 1;
    'all: for c in 1..=3u8 {
        for k in 1..=63u8 {
            for (ah, al) in std::iter::once((0u8, 13u8)).chain((1..=13u8).rev().map(|a| (a, a - 1)))
            {
                if written == n {
                    break 'all;
                }
                out.extend(segment(0xDA, &[1, c, 0, k, k, (ah << 4) | al]));
                out.push(0x7F); // "0" and seven padding ones
                written += 1;
            }
        }
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// The offsets of the SOS markers of a JPEG.
pub fn sos_offsets(jpeg: &[u8]) -> Vec<usize> {
    let mut at = Vec::new();
    let mut i = 2;
    while i + 4 <= jpeg.len() {
        let code = jpeg[i + 1];
        if code == 0xD9 {
            break;
        }
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        if code == 0xDA {
            at.push(i);
            // Skip the entropy-coded data to the next real marker.
            let mut j = i + 2 + len;
            while j + 1 < jpeg.len()
                && !(jpeg[j] == 0xFF && jpeg[j + 1] != 0 && !(0xD0..=0xD7).contains(&jpeg[j + 1]))
            {
                j += 1;
            }
            i = j;
        } else {
            i += 2 + len;
        }
    }
    at
}

/// A progressive JPEG with EXIF (GPS), XMP, IPTC and a comment between its scans only.
pub fn progressive_with_segments_between_scans() -> Vec<u8> {
    let jpeg = progressive_jpeg(&pixels(96, 64, 4));
    let sos = sos_offsets(&jpeg);
    assert!(
        sos.len() > 3,
        "libjpeg's default progression has several scans"
    );
    let at = sos[2];
    let mut out = jpeg[..at].to_vec();
    for s in [
        app1_exif(&exif_with_gps(None)),
        app1_xmp(),
        app13_iptc(),
        com(),
    ] {
        out.extend_from_slice(&s);
    }
    out.extend_from_slice(&jpeg[at..]);
    out
}

// ---------------------------------------------------------------------------------------------
// PNG

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    c.extend_from_slice(&crc32(&[&kind[..], data].concat()).to_be_bytes());
    c
}

/// A zlib stream of stored (uncompressed) deflate blocks: the planted text stays visible.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = data.chunks(65535).collect();
    for (n, c) in chunks.iter().enumerate() {
        out.push(u8::from(n + 1 == chunks.len()));
        out.extend_from_slice(&(c.len() as u16).to_le_bytes());
        out.extend_from_slice(&(!(c.len() as u16)).to_le_bytes());
        out.extend_from_slice(c);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

pub fn png(img: &DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// `before_idat` inserted before the first IDAT and `after_idat` before IEND.
pub fn png_with(img: &DynamicImage, before_idat: &[Vec<u8>], after_idat: &[Vec<u8>]) -> Vec<u8> {
    let base = png(img);
    let idat = base.windows(4).position(|w| w == b"IDAT").unwrap() - 4;
    let iend = base.len() - 12;
    [
        &base[..idat],
        &before_idat.concat()[..],
        &base[idat..iend],
        &after_idat.concat()[..],
        &base[iend..],
    ]
    .concat()
}

/// eXIf with GPS after the image data (where exiftool writes it).
pub fn png_exif_after_idat() -> Vec<u8> {
    let img = DynamicImage::ImageRgb8(pixels(40, 30, 5));
    png_with(&img, &[], &[png_chunk(b"eXIf", &exif_with_gps(None))])
}

/// eXIf with GPS and orientation 6 before the image data (the decoder applies it).
pub fn png_exif_orientation() -> Vec<u8> {
    let img = DynamicImage::ImageRgb8(pixels(40, 30, 9));
    png_with(&img, &[png_chunk(b"eXIf", &exif_with_gps(Some(6)))], &[])
}

/// ImageMagick's zTXt "Raw profile type exif": the EXIF block hex-encoded, compressed.
pub fn png_ztxt_raw_profile() -> Vec<u8> {
    let exif = [&b"Exif\0\0"[..], &exif_with_gps(None)].concat();
    let hex: String = exif.iter().map(|b| format!("{b:02x}")).collect();
    let mut text = format!("\nexif\n{:8}\n", exif.len());
    for line in hex.as_bytes().chunks(72) {
        text.push_str(std::str::from_utf8(line).unwrap());
        text.push('\n');
    }
    let mut data = b"Raw profile type exif\0\0".to_vec();
    data.extend_from_slice(&zlib_stored(text.as_bytes()));
    let img = DynamicImage::ImageRgb8(pixels(40, 30, 6));
    png_with(&img, &[png_chunk(b"zTXt", &data)], &[])
}

/// XMP in iTXt (and a tEXt Author), after the image data.
pub fn png_itxt_xmp() -> Vec<u8> {
    let mut data = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
    data.extend_from_slice(xmp_packet().as_bytes());
    let author = format!("Author\0{PLANTED} author");
    let img = DynamicImage::ImageRgba8(RgbaImage::from_fn(40, 30, |x, y| {
        image::Rgba([x as u8 * 6, y as u8 * 8, 77, (x * 6) as u8])
    }));
    png_with(
        &img,
        &[],
        &[
            png_chunk(b"iTXt", &data),
            png_chunk(b"tEXt", author.as_bytes()),
        ],
    )
}

// ---------------------------------------------------------------------------------------------
// GIF and WebP

fn gif_sub_blocks(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in data.chunks(255) {
        out.push(c.len() as u8);
        out.extend_from_slice(c);
    }
    out.push(0);
    out
}

/// A GIF with a comment, an XMP application extension and bytes after the trailer.
pub fn gif_with_xmp() -> Vec<u8> {
    let mut base = Vec::new();
    {
        let frame = image::Frame::new(DynamicImage::ImageRgb8(pixels(30, 20, 7)).into_rgba8());
        let mut enc = image::codecs::gif::GifEncoder::new(&mut base);
        enc.encode_frame(frame).unwrap();
    }
    let flags = base[10];
    let mut at = 13;
    if flags & 0x80 != 0 {
        at += 3 << ((flags & 7) + 1);
    }
    let mut ext = vec![0x21, 0xFE];
    ext.extend_from_slice(&gif_sub_blocks(format!("{PLANTED} gif comment").as_bytes()));
    ext.extend_from_slice(&[0x21, 0xFF, 0x0B]);
    ext.extend_from_slice(b"XMP DataXMP");
    ext.extend_from_slice(&gif_sub_blocks(xmp_packet().as_bytes()));
    let trailer = format!("{PLANTED} after the trailer");
    [&base[..at], &ext[..], &base[at..], trailer.as_bytes()].concat()
}

fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = kind.to_vec();
    c.extend_from_slice(&(data.len() as u32).to_le_bytes());
    c.extend_from_slice(data);
    if data.len() % 2 == 1 {
        c.push(0);
    }
    c
}

/// An extended WebP (VP8X) with lossless pixels, EXIF (GPS, orientation 6) and XMP.
pub fn webp_with_xmp() -> Vec<u8> {
    let (w, h) = (36u32, 24u32);
    let mut simple = Vec::new();
    DynamicImage::ImageRgb8(pixels(w, h, 8))
        .write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut simple))
        .unwrap();
    assert_eq!(&simple[12..16], b"VP8L");
    let vp8l_len = u32::from_le_bytes(simple[16..20].try_into().unwrap()) as usize;
    let vp8l = &simple[20..20 + vp8l_len];
    let mut vp8x = vec![0x08 | 0x04, 0, 0, 0];
    vp8x.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
    vp8x.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
    let body = [
        riff_chunk(b"VP8X", &vp8x),
        riff_chunk(b"VP8L", vp8l),
        riff_chunk(b"EXIF", &exif_with_gps(Some(6))),
        riff_chunk(b"XMP ", xmp_packet().as_bytes()),
    ]
    .concat();
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&((4 + body.len()) as u32).to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&body);
    out
}

/// Every crafted file with a name, for tests that run them all.
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("tiff_gps.tiff", tiff_with_gps(48, 32).0),
        ("png_exif_after_idat.png", png_exif_after_idat()),
        ("png_exif_orientation.png", png_exif_orientation()),
        ("png_ztxt_raw_profile.png", png_ztxt_raw_profile()),
        ("png_itxt_xmp.png", png_itxt_xmp()),
        (
            "jpeg_xmp_only.jpg",
            with_segments(&jpeg(64, 48, 10), &[app1_xmp()]),
        ),
        (
            "jpeg_iptc_only.jpg",
            with_segments(&jpeg(64, 48, 11), &[app13_iptc()]),
        ),
        (
            "jpeg_com_only.jpg",
            with_segments(&jpeg(64, 48, 12), &[com()]),
        ),
        (
            "jpeg_exif_orientation.jpg",
            with_segments(&jpeg(64, 48, 13), &[app1_exif(&exif_with_gps(Some(6)))]),
        ),
        ("jpeg_mpf_secondary.jpg", jpeg_with_mpf_secondary()),
        ("motion_photo.jpg", motion_photo()),
        (
            "progressive_segments_between_scans.jpg",
            progressive_with_segments_between_scans(),
        ),
        ("gif_xmp.gif", gif_with_xmp()),
        ("webp_xmp.webp", webp_with_xmp()),
    ]
}
