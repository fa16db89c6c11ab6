//! Photos with EXIF the test chooses (no dependencies): date taken with or without its offset,
//! camera and settings, GPS position, written as a little-endian TIFF structure in a JPEG's
//! APP1 segment, the way cameras do. The tests of dates, places and cameras check Banana's
//! reader against values they wrote themselves.

use tiff::{ascii, ifd_len, long, rationals, short, write_ifd, Entry};

/// What to write; `None` fields are left out.
#[derive(Debug, Clone, Default)]
pub struct PhotoExif {
    /// `YYYY:MM:DD HH:MM:SS`, as EXIF writes it (DateTimeOriginal).
    pub taken: Option<String>,
    /// `+02:00` (OffsetTimeOriginal).
    pub offset: Option<String>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub lens: Option<String>,
    /// Focal length (mm), f-number, exposure time as `(numerator, denominator)` s, ISO.
    pub focal_length_mm: Option<u32>,
    pub f_number_tenths: Option<u32>,
    pub exposure: Option<(u32, u32)>,
    pub iso: Option<u16>,
    /// Decimal degrees, north and east positive.
    pub gps: Option<(f64, f64)>,
}

impl PhotoExif {
    /// A date taken, `YYYY:MM:DD HH:MM:SS`, with an optional offset.
    pub fn taken(date: &str, offset: Option<&str>) -> PhotoExif {
        PhotoExif {
            taken: Some(date.into()),
            offset: offset.map(str::to_string),
            ..Default::default()
        }
    }

    pub fn camera(mut self, make: &str, model: &str) -> PhotoExif {
        self.make = Some(make.into());
        self.model = Some(model.into());
        self
    }

    pub fn at(mut self, lat: f64, lon: f64) -> PhotoExif {
        self.gps = Some((lat, lon));
        self
    }

    /// The EXIF block (a TIFF structure, no pixels).
    pub fn tiff(&self) -> Vec<u8> {
        let mut ifd0 = Vec::new();
        if let Some(m) = &self.make {
            ifd0.push(ascii(0x010f, m));
        }
        if let Some(m) = &self.model {
            ifd0.push(ascii(0x0110, m));
        }
        let mut exif = Vec::new();
        if let Some(t) = &self.taken {
            exif.push(ascii(0x9003, t)); // DateTimeOriginal
        }
        if let Some(o) = &self.offset {
            exif.push(ascii(0x9011, o)); // OffsetTimeOriginal
        }
        if let Some((n, d)) = self.exposure {
            exif.push(rationals(0x829a, &[(n, d)]));
        }
        if let Some(f) = self.f_number_tenths {
            exif.push(rationals(0x829d, &[(f, 10)]));
        }
        if let Some(iso) = self.iso {
            exif.push(short(0x8827, &[iso]));
        }
        if let Some(f) = self.focal_length_mm {
            exif.push(rationals(0x920a, &[(f, 1)]));
        }
        if let Some(l) = &self.lens {
            exif.push(ascii(0xa434, l));
        }
        let mut gps = Vec::new();
        if let Some((lat, lon)) = self.gps {
            gps.push(Entry {
                tag: 0,
                kind: 1,
                count: 4,
                value: vec![2, 3, 0, 0],
            });
            gps.push(ascii(1, if lat < 0.0 { "S" } else { "N" }));
            gps.push(rationals(2, &dms(lat.abs())));
            gps.push(ascii(3, if lon < 0.0 { "W" } else { "E" }));
            gps.push(rationals(4, &dms(lon.abs())));
        }
        // Layout: header, IFD0 (with pointers), Exif IFD, GPS IFD.
        if !exif.is_empty() {
            ifd0.push(long(0x8769, 0));
        }
        if !gps.is_empty() {
            ifd0.push(long(0x8825, 0));
        }
        let exif_at = 8 + ifd_len(&ifd0);
        let gps_at = exif_at + if exif.is_empty() { 0 } else { ifd_len(&exif) };
        for e in ifd0.iter_mut() {
            match e.tag {
                0x8769 => e.value = (exif_at as u32).to_le_bytes().to_vec(),
                0x8825 => e.value = (gps_at as u32).to_le_bytes().to_vec(),
                _ => {}
            }
        }
        let mut out = b"II*\0\x08\0\0\0".to_vec();
        write_ifd(&mut out, &mut ifd0);
        if !exif.is_empty() {
            write_ifd(&mut out, &mut exif);
        }
        if !gps.is_empty() {
            write_ifd(&mut out, &mut gps);
        }
        out
    }

    /// `jpeg` (a JPEG without metadata) with this EXIF in an APP1 segment after SOI.
    pub fn into_jpeg(&self, jpeg: &[u8]) -> Vec<u8> {
        assert_eq!(&jpeg[..2], b"\xff\xd8", "not a JPEG");
        let tiff = self.tiff();
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(b"\xff\xe1");
        out.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
        out.extend_from_slice(b"Exif\0\0");
        out.extend_from_slice(&tiff);
        out.extend_from_slice(&jpeg[2..]);
        out
    }
}

/// Degrees, minutes and seconds (1/10000 s) of a positive angle.
fn dms(v: f64) -> [(u32, u32); 3] {
    let d = v.trunc();
    let m = ((v - d) * 60.0).trunc();
    let s = ((v - d) * 60.0 - m) * 60.0;
    [
        (d as u32, 1),
        (m as u32, 1),
        ((s * 10_000.0).round() as u32, 10_000),
    ]
}

/// Little-endian TIFF structures: directory entries and their layout (also used by
/// banana-media's crafted privacy test files).
pub mod tiff {
    /// One directory entry: tag, field type (1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL), count
    /// and value bytes.
    pub struct Entry {
        pub tag: u16,
        pub kind: u16,
        pub count: u32,
        pub value: Vec<u8>,
    }

    pub fn ascii(tag: u16, s: &str) -> Entry {
        let mut value = s.as_bytes().to_vec();
        value.push(0);
        Entry {
            tag,
            kind: 2,
            count: value.len() as u32,
            value,
        }
    }

    pub fn short(tag: u16, v: &[u16]) -> Entry {
        Entry {
            tag,
            kind: 3,
            count: v.len() as u32,
            value: v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        }
    }

    pub fn long(tag: u16, v: u32) -> Entry {
        Entry {
            tag,
            kind: 4,
            count: 1,
            value: v.to_le_bytes().to_vec(),
        }
    }

    pub fn rationals(tag: u16, v: &[(u32, u32)]) -> Entry {
        Entry {
            tag,
            kind: 5,
            count: v.len() as u32,
            value: v
                .iter()
                .flat_map(|(n, d)| [n.to_le_bytes(), d.to_le_bytes()].concat())
                .collect(),
        }
    }

    fn extra_len(e: &Entry) -> usize {
        if e.value.len() > 4 {
            e.value.len() + e.value.len() % 2
        } else {
            0
        }
    }

    pub fn ifd_len(entries: &[Entry]) -> usize {
        2 + 12 * entries.len() + 4 + entries.iter().map(extra_len).sum::<usize>()
    }

    /// Append a directory (entries sorted by tag) and its out-of-line values (offsets from the
    /// TIFF header, the start of `out`).
    pub fn write_ifd(out: &mut Vec<u8>, entries: &mut [Entry]) {
        entries.sort_by_key(|e| e.tag);
        let mut data_at = out.len() + 2 + 12 * entries.len() + 4;
        let mut data = Vec::new();
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for e in entries.iter() {
            out.extend_from_slice(&e.tag.to_le_bytes());
            out.extend_from_slice(&e.kind.to_le_bytes());
            out.extend_from_slice(&e.count.to_le_bytes());
            if e.value.len() <= 4 {
                let mut v = e.value.clone();
                v.resize(4, 0);
                out.extend_from_slice(&v);
            } else {
                out.extend_from_slice(&(data_at as u32).to_le_bytes());
                data.extend_from_slice(&e.value);
                if e.value.len() % 2 == 1 {
                    data.push(0);
                }
                data_at += extra_len(e);
            }
        }
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&data);
    }
}
