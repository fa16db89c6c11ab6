//! A structural check of JPEG files: walk the marker segments and the entropy-coded scans and
//! require an end-of-image marker after at least one scan. Lenient decoders fill a truncated
//! scan with grey; this is how Banana tells a cut-off upload from a complete one.

/// True when the JPEG's segments are well-formed and an EOI marker follows the last scan.
#[cfg(test)]
pub fn is_complete(data: &[u8]) -> bool {
    scan_count(data).is_some()
}

/// The number of scans (SOS segments) before the end-of-image marker, when the segments are
/// well-formed, there is at least one scan and an EOI follows the last one; `None` otherwise.
/// A progressive JPEG has one scan per refinement pass (about ten, as encoders write them);
/// the decoder passes over every block of the image for each, so this is what a limit on the
/// decoding work counts.
pub fn scan_count(data: &[u8]) -> Option<usize> {
    if data.len() < 4 || data[0] != 0xFF || data[1] != 0xD8 {
        return None;
    }
    let mut i = 2;
    let mut scans = 0usize;
    loop {
        let (marker, after) = marker_at(data, i)?;
        i = after;
        match marker {
            0xD9 => return (scans > 0).then_some(scans),
            0xD0..=0xD7 | 0x01 => continue,
            0x00 | 0xD8 => return None,
            _ => {}
        }
        let len = length_at(data, i)?;
        if len < 2 || i + len > data.len() {
            return None;
        }
        i += len;
        if marker == 0xDA {
            scans += 1;
            i = scan_end(data, i)?;
        }
    }
}

/// The marker that starts at `data[i]`: its code and the index just after it, fill bytes
/// (repeated 0xFF) skipped; `None` when `data[i]` is not 0xFF or the data ends first. The one
/// marker step of every walk over JPEG segments here and in `strip`.
pub fn marker_at(data: &[u8], mut i: usize) -> Option<(u8, usize)> {
    if *data.get(i)? != 0xFF {
        return None;
    }
    while data.get(i) == Some(&0xFF) {
        i += 1;
    }
    Some((*data.get(i)?, i + 1))
}

/// The big-endian segment length field at `data[i..i + 2]` (it counts itself), or `None`
/// when the data ends first.
pub fn length_at(data: &[u8], i: usize) -> Option<usize> {
    Some(usize::from(u16::from_be_bytes([
        *data.get(i)?,
        *data.get(i + 1)?,
    ])))
}

/// Where the entropy-coded data that starts at `from` ends: the index of the 0xFF that begins
/// the next marker other than a stuffed 0xFF00 or a restart marker (fill bytes before it
/// included). `None` when the data runs out first.
pub fn scan_end(data: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        i += find_ff(data.get(i..)?)?;
        let mut j = i + 1;
        while j < data.len() && data[j] == 0xFF {
            j += 1;
        }
        match data.get(j)? {
            0x00 | 0xD0..=0xD7 => i = j + 1,
            _ => return Some(i),
        }
    }
}

/// The index of the first 0xFF byte, eight bytes at a time (entropy-coded data is megabytes of
/// bytes that are almost never 0xFF).
fn find_ff(data: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut chunks = data.chunks_exact(8);
    let mut base = 0;
    for c in chunks.by_ref() {
        // A byte of `!word` is zero exactly where `word` has 0xFF.
        let x = !u64::from_le_bytes(c.try_into().expect("8 bytes"));
        if (x.wrapping_sub(LO) & !x & HI) != 0 {
            return c.iter().position(|&b| b == 0xFF).map(|p| base + p);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == 0xFF)
        .map(|p| base + p)
}

/// One marker segment before the first scan (see [`header_segments`]).
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    /// The marker code (the byte after 0xFF).
    pub code: u8,
    /// The segment's length field (itself included), at least 2.
    pub len: usize,
    /// Every byte after the length field, to the end of the data (which may end before the
    /// segment does).
    pub rest: &'a [u8],
}

impl<'a> Segment<'a> {
    /// The segment's payload (`len - 2` bytes after the length field), or `None` when the
    /// data ends before the segment does.
    pub fn payload(&self) -> Option<&'a [u8]> {
        self.rest.get(..self.len - 2)
    }
}

/// The marker segments from `data[2..]` (just after SOI; the caller checks SOI) up to the
/// first scan: fill bytes and standalone markers (RSTn, TEM) are skipped; the walk ends at
/// SOS, EOI, a second SOI, a byte that is not a marker, a length field below 2, or the end of
/// the data. A segment whose declared length runs past the data is the last one yielded.
pub fn header_segments(data: &[u8]) -> impl Iterator<Item = Segment<'_>> {
    let mut i = 2;
    std::iter::from_fn(move || loop {
        let (code, after) = marker_at(data, i)?;
        i = after;
        match code {
            0xD0..=0xD7 | 0x01 => continue,
            0xD8 | 0xD9 | 0xDA | 0x00 => return None,
            _ => {}
        }
        let len = length_at(data, i)?;
        if len < 2 {
            return None;
        }
        let rest = &data[i + 2..];
        i += len;
        return Some(Segment { code, len, rest });
    })
}

/// Width and height from the frame header (SOF0–SOF15), found by walking the marker segments
/// before the first scan; `None` when there is none or the segments are malformed.
pub fn dimensions(data: &[u8]) -> Option<(u32, u32)> {
    if data.len() < 4 || data[0] != 0xFF || data[1] != 0xD8 {
        return None;
    }
    // SOFn, except DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
    let sof = header_segments(data)
        .find(|s| matches!(s.code, 0xC0..=0xCF) && !matches!(s.code, 0xC4 | 0xC8 | 0xCC))?;
    let seg = sof.rest.get(..5)?;
    let height = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
    let width = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
    Some((width, height))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_jpeg() -> Vec<u8> {
        let img = image::RgbImage::from_pixel(16, 16, image::Rgb([200, 10, 10]));
        crate::encode_jpeg(&img, 90).unwrap()
    }

    #[test]
    fn complete_jpeg_passes() {
        assert!(is_complete(&tiny_jpeg()));
    }

    #[test]
    fn every_truncation_fails() {
        let full = tiny_jpeg();
        for cut in 0..full.len() - 1 {
            assert!(!is_complete(&full[..cut]), "truncated at {cut} passed");
        }
    }

    #[test]
    fn finds_the_first_ff() {
        let mut data = vec![0u8; 40];
        assert_eq!(find_ff(&data), None);
        for at in [0, 7, 8, 15, 33, 39] {
            data.fill(0xFE);
            data[at] = 0xFF;
            data[39] = 0xFF;
            assert_eq!(find_ff(&data), Some(at), "{at}");
        }
    }

    #[test]
    fn dimensions_come_from_the_frame_header() {
        let img = image::RgbImage::from_pixel(37, 21, image::Rgb([1, 2, 3]));
        let jpeg = crate::encode_jpeg(&img, 90).unwrap();
        assert_eq!(dimensions(&jpeg), Some((37, 21)));
        assert_eq!(dimensions(&jpeg[..20]), None);
        assert_eq!(dimensions(b"\xFF\xD8\xFF\xDA\x00\x02"), None);
        assert_eq!(dimensions(b"GIF89a"), None);
    }

    #[test]
    fn header_segments_stop_at_the_first_scan_and_show_a_cut_segment() {
        let jpeg = tiny_jpeg();
        let codes: Vec<u8> = header_segments(&jpeg).map(|s| s.code).collect();
        assert!(
            codes.contains(&0xC0) && codes.contains(&0xC4),
            "{codes:02X?}"
        );
        assert!(!codes.contains(&0xDA), "no scan header: {codes:02X?}");
        assert!(header_segments(&jpeg).all(|s| s.payload().is_some()));
        // Cut inside the first segment: it is still yielded, without a whole payload.
        let cut: Vec<_> = header_segments(&jpeg[..8]).collect();
        assert_eq!(cut.len(), 1);
        assert!(cut[0].payload().is_none());
    }

    #[test]
    fn trailing_bytes_after_eoi_are_allowed() {
        let mut data = tiny_jpeg();
        data.extend_from_slice(b"trailer");
        assert!(is_complete(&data));
    }
}
