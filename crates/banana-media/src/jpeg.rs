//! A structural check of JPEG files: walk the marker segments and the entropy-coded scans and
//! require an end-of-image marker after at least one scan. Lenient decoders fill a truncated
//! scan with grey; this is how Banana tells a cut-off upload from a complete one.

/// True when the JPEG's segments are well-formed and an EOI marker follows the last scan.
pub fn is_complete(data: &[u8]) -> bool {
    if data.len() < 4 || data[0] != 0xFF || data[1] != 0xD8 {
        return false;
    }
    let mut i = 2;
    let mut seen_scan = false;
    loop {
        // Find the next marker, skipping fill bytes.
        if i >= data.len() || data[i] != 0xFF {
            return false;
        }
        while i < data.len() && data[i] == 0xFF {
            i += 1;
        }
        let Some(&marker) = data.get(i) else {
            return false;
        };
        i += 1;
        match marker {
            0xD9 => return seen_scan,
            0xD0..=0xD7 | 0x01 => continue,
            0x00 | 0xD8 => return false,
            _ => {}
        }
        let Some(len) = data
            .get(i..i + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
        else {
            return false;
        };
        if len < 2 || i + len > data.len() {
            return false;
        }
        i += len;
        if marker == 0xDA {
            seen_scan = true;
            // Entropy-coded data: ends at a marker other than a stuffed 0xFF00 or a restart marker.
            loop {
                let Some(pos) = data[i..].iter().position(|&b| b == 0xFF) else {
                    return false;
                };
                i += pos;
                let mut j = i + 1;
                while j < data.len() && data[j] == 0xFF {
                    j += 1;
                }
                match data.get(j) {
                    None => return false,
                    Some(0x00) | Some(0xD0..=0xD7) => i = j + 1,
                    Some(_) => {
                        i = j - 1;
                        break;
                    }
                }
            }
        }
    }
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
    fn trailing_bytes_after_eoi_are_allowed() {
        let mut data = tiny_jpeg();
        data.extend_from_slice(b"trailer");
        assert!(is_complete(&data));
    }
}
