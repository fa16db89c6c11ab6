//! What a photo says about itself: when it was taken (with its offset from UTC where the file
//! records one), with which camera, lens and settings, and where (GPS). Read from the EXIF of
//! JPEG, TIFF, PNG, WebP and HEIF files, and for the date from XMP when EXIF has none.
//!
//! Invariant: reading never fails and never guesses. A missing, blank, malformed or
//! implausible value (a date before 1800 or in the far future, a GPS fix of exactly 0°/0° or a
//! void one, latitudes past the poles) is `None`; callers decide the fallbacks (the file's
//! modification time, the upload time). Order of the date: `DateTimeOriginal` with
//! `OffsetTimeOriginal`, then `DateTimeDigitized` (`CreateDate`) with `OffsetTimeDigitized`,
//! then XMP (`exif:DateTimeOriginal`, `xmp:CreateDate`, `photoshop:DateCreated`).

use std::io::Cursor;

use exif::{In, Tag, Value};

/// Where a photo's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakenSource {
    Exif,
    Xmp,
}

/// A wall-clock time as the camera recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalDateTime {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// When a photo was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TakenAt {
    pub local: LocalDateTime,
    /// Minutes east of UTC, when the file says (EXIF 2.31 `OffsetTime*`, or an XMP date with a
    /// zone).
    pub offset_minutes: Option<i16>,
    pub source: TakenSource,
}

/// The camera and its settings for this photo; each field `None` when unknown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Camera {
    pub make: Option<String>,
    pub model: Option<String>,
    pub lens: Option<String>,
    pub focal_length_mm: Option<f64>,
    pub f_number: Option<f64>,
    pub exposure_time_s: Option<f64>,
    pub iso: Option<u32>,
}

/// A GPS position in decimal degrees (north and east positive).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GpsPosition {
    pub lat: f64,
    pub lon: f64,
}

/// Everything [`read_metadata`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhotoMetadata {
    pub taken: Option<TakenAt>,
    pub camera: Camera,
    pub gps: Option<GpsPosition>,
}

/// How far into a file XMP is looked for (JPEG APP1 and TIFF/PNG/WebP XMP packets sit near the
/// start; a scan of a whole 50 MB file for a date is not worth it).
const XMP_SCAN_BYTES: usize = 4 << 20;

/// The metadata of an image file (any format; nothing for one without metadata).
pub fn read_metadata(bytes: &[u8]) -> PhotoMetadata {
    // A damaged IFD (a bad GPS block, say) loses only what it holds: keep the rest.
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let exif = if bytes.starts_with(&[0xFF, 0xD8]) {
        // A JPEG's EXIF is an APP1 segment before the first scan: found by our marker walk
        // (the container reader scans on through the image data of a JPEG without one:
        // 1 ms for a 12 MP photo).
        crate::jpeg::header_segments(bytes)
            .filter(|s| s.code == 0xE1)
            .filter_map(|s| s.payload())
            .find_map(|p| p.strip_prefix(b"Exif\0\0"))
            .map(|tiff| reader.read_raw(tiff.to_vec()))
    } else {
        Some(reader.read_from_container(&mut Cursor::new(bytes)))
    }
    .and_then(|r| r.or_else(|e| e.distill_partial_result(|_| {})).ok());
    let mut out = PhotoMetadata::default();
    if let Some(exif) = &exif {
        out.taken = exif_date(exif, Tag::DateTimeOriginal, Tag::OffsetTimeOriginal)
            .or_else(|| exif_date(exif, Tag::DateTimeDigitized, Tag::OffsetTimeDigitized));
        out.camera = camera(exif);
        out.gps = gps(exif);
    }
    if out.taken.is_none() {
        out.taken = xmp_date(xmp_region(bytes));
    }
    out
}

impl LocalDateTime {
    /// A real calendar time between 1800 and 2200.
    fn checked(self) -> Option<Self> {
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap(self.year) => 29,
            2 => 28,
            _ => return None,
        };
        ((1800..=2200).contains(&self.year)
            && (1..=days).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
            && self.second < 61)
            .then_some(self)
    }

    /// Seconds since 1970-01-01T00:00:00 of this wall-clock time read as UTC.
    pub fn as_utc_seconds(&self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }
}

impl TakenAt {
    /// The instant in milliseconds since the epoch: exact with an offset, the wall-clock time
    /// read as UTC without one (so undated-offset photos still sort by their clock).
    pub fn epoch_ms(&self) -> i64 {
        let offset = i64::from(self.offset_minutes.unwrap_or(0)) * 60;
        (self.local.as_utc_seconds() - offset) * 1000
    }

    /// `2008-10-22T16:29:49+02:00` (RFC 3339) with an offset; `2008-10-22T16:29:49` (a local
    /// time, ISO 8601) without one.
    pub fn to_iso8601(&self) -> String {
        let l = self.local;
        let mut s = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            l.year, l.month, l.day, l.hour, l.minute, l.second
        );
        if let Some(m) = self.offset_minutes {
            let sign = if m < 0 { '-' } else { '+' };
            let m = m.unsigned_abs();
            s.push_str(&format!("{sign}{:02}:{:02}", m / 60, m % 60));
        }
        s
    }
}

fn leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn ascii(exif: &exif::Exif, tag: Tag) -> Option<&[u8]> {
    match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Ascii(v) => v.first().map(Vec::as_slice),
        _ => None,
    }
}

fn exif_date(exif: &exif::Exif, date: Tag, offset: Tag) -> Option<TakenAt> {
    let mut dt = exif::DateTime::from_ascii(ascii(exif, date)?).ok()?;
    let offset_minutes = match ascii(exif, offset) {
        Some(raw) if dt.parse_offset(raw).is_ok() => dt.offset.filter(|m| m.abs() <= 14 * 60),
        _ => None,
    };
    let local = LocalDateTime {
        year: i32::from(dt.year),
        month: dt.month,
        day: dt.day,
        hour: dt.hour,
        minute: dt.minute,
        second: dt.second,
    }
    .checked()?;
    Some(TakenAt {
        local,
        offset_minutes,
        source: TakenSource::Exif,
    })
}

/// An ASCII field as text: trimmed, without NULs, not blank.
fn text(exif: &exif::Exif, tag: Tag) -> Option<String> {
    let raw = ascii(exif, tag)?;
    let s: String = String::from_utf8_lossy(raw)
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// The first number of a field (rational, integer or float), if finite and positive.
fn number(exif: &exif::Exif, tag: Tag) -> Option<f64> {
    let v = match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Rational(v) => v.first().filter(|r| r.denom != 0).map(|r| r.to_f64()),
        Value::SRational(v) => v.first().filter(|r| r.denom != 0).map(|r| r.to_f64()),
        Value::Short(v) => v.first().map(|&n| f64::from(n)),
        Value::Long(v) => v.first().map(|&n| f64::from(n)),
        Value::Float(v) => v.first().map(|&n| f64::from(n)),
        Value::Double(v) => v.first().copied(),
        _ => None,
    }?;
    (v.is_finite() && v > 0.0).then_some(v)
}

fn camera(exif: &exif::Exif) -> Camera {
    let make = text(exif, Tag::Make);
    let mut model = text(exif, Tag::Model);
    // Many makers repeat the make in the model ("Canon" / "Canon EOS 40D"): keep the model
    // as written; only a model that is exactly the make says nothing more.
    if model.is_some() && model == make {
        model = None;
    }
    Camera {
        make,
        model,
        lens: text(exif, Tag::LensModel),
        focal_length_mm: number(exif, Tag::FocalLength),
        f_number: number(exif, Tag::FNumber),
        exposure_time_s: number(exif, Tag::ExposureTime),
        iso: number(exif, Tag::PhotographicSensitivity)
            .filter(|&n| n < 10_000_000.0)
            .map(|n| n as u32),
    }
}

/// Degrees from the three rationals (degrees, minutes, seconds) of a GPS coordinate.
fn degrees(exif: &exif::Exif, tag: Tag) -> Option<f64> {
    let parts = match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Rational(v) if !v.is_empty() && v.iter().all(|r| r.denom != 0) => {
            v.iter().map(|r| r.to_f64()).collect::<Vec<_>>()
        }
        // Some phones (HMD/Nokia) write signed rationals; the hemisphere is still the Ref's.
        Value::SRational(v) if !v.is_empty() && v.iter().all(|r| r.denom != 0) => {
            v.iter().map(|r| r.to_f64().abs()).collect::<Vec<_>>()
        }
        _ => return None,
    };
    let d = parts[0]
        + parts.get(1).copied().unwrap_or(0.0) / 60.0
        + parts.get(2).copied().unwrap_or(0.0) / 3600.0;
    d.is_finite().then_some(d)
}

fn gps(exif: &exif::Exif) -> Option<GpsPosition> {
    if ascii(exif, Tag::GPSStatus).is_some_and(|s| s.eq_ignore_ascii_case(b"V")) {
        return None; // "measurement void"
    }
    let hemisphere = |tag: Tag, negative: u8| -> Option<f64> {
        let r = ascii(exif, tag)?;
        match r.first()?.to_ascii_uppercase() {
            c if c == negative => Some(-1.0),
            b'N' | b'E' => Some(1.0),
            _ => None,
        }
    };
    let lat = degrees(exif, Tag::GPSLatitude)? * hemisphere(Tag::GPSLatitudeRef, b'S')?;
    let lon = degrees(exif, Tag::GPSLongitude)? * hemisphere(Tag::GPSLongitudeRef, b'W')?;
    let plausible = lat.abs() <= 90.0 && lon.abs() <= 180.0 && !(lat == 0.0 && lon == 0.0);
    plausible.then_some(GpsPosition { lat, lon })
}

/// The first XMP date in `bytes`, as an attribute (`xmp:CreateDate="…"`) or an element
/// (`<xmp:CreateDate>…</xmp:CreateDate>`).
/// Where an XMP packet can be: in a JPEG, the marker segments before the first scan (APP1);
/// in other formats the first [`XMP_SCAN_BYTES`]. A 12 MP JPEG without a date is then not
/// scanned whole (2.4 ms a photo in the ingest bench before this; microseconds now).
fn xmp_region(bytes: &[u8]) -> &[u8] {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let end = crate::jpeg::header_segments(bytes).last().map_or(2, |s| {
            bytes.len() - s.rest.len() + (s.len - 2).min(s.rest.len())
        });
        &bytes[..end]
    } else {
        &bytes[..bytes.len().min(XMP_SCAN_BYTES)]
    }
}

fn xmp_date(bytes: &[u8]) -> Option<TakenAt> {
    let start = find(bytes, b"<x:xmpmeta")?;
    let end = find(&bytes[start..], b"</x:xmpmeta>").map_or(bytes.len(), |e| start + e);
    let xmp = String::from_utf8_lossy(&bytes[start..end]);
    [
        "exif:DateTimeOriginal",
        "xmp:CreateDate",
        "photoshop:DateCreated",
    ]
    .iter()
    .find_map(|name| xmp_value(&xmp, name).and_then(|v| parse_iso8601(v.trim())))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn xmp_value<'a>(xmp: &'a str, name: &str) -> Option<&'a str> {
    let attr = format!("{name}=\"");
    if let Some(i) = xmp.find(&attr) {
        let rest = &xmp[i + attr.len()..];
        return rest.split('"').next();
    }
    let open = format!("<{name}>");
    let i = xmp.find(&open)?;
    let rest = &xmp[i + open.len()..];
    rest.split('<').next()
}

/// `YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM]` (the forms XMP dates take).
pub fn parse_iso8601(s: &str) -> Option<TakenAt> {
    let num = |t: &str| -> Option<u32> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (date, time) = s.split_once('T').unwrap_or((s, ""));
    let mut d = date.split('-');
    let year = num(d.next()?)? as i32;
    let month = num(d.next()?)? as u8;
    let day = num(d.next()?)? as u8;
    // The zone: `Z`, or a sign followed by HH:MM at the end of the time.
    let (clock, offset_minutes) = if let Some(c) = time.strip_suffix('Z') {
        (c, Some(0))
    } else if let Some(i) = time.rfind(['+', '-']) {
        let (c, z) = time.split_at(i);
        let (h, m) = z[1..].split_once(':').unwrap_or((&z[1..], "0"));
        let minutes = (num(h)? * 60 + num(m)?) as i16;
        (
            c,
            Some(if z.starts_with('-') {
                -minutes
            } else {
                minutes
            }),
        )
    } else {
        (time, None)
    };
    let mut t = clock.split(':');
    let hour = t
        .next()
        .map_or(Some(0), |h| if h.is_empty() { Some(0) } else { num(h) })? as u8;
    let minute = t.next().map_or(Some(0), num)? as u8;
    let second = t
        .next()
        .map_or(Some(0), |s| num(s.split('.').next().unwrap_or(s)))? as u8;
    let local = LocalDateTime {
        year,
        month,
        day,
        hour,
        minute,
        second,
    }
    .checked()?;
    Some(TakenAt {
        local,
        offset_minutes: offset_minutes.filter(|m| m.abs() <= 14 * 60),
        source: TakenSource::Xmp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u8, d: u8, h: u8, mi: u8, s: u8) -> LocalDateTime {
        LocalDateTime {
            year: y,
            month: mo,
            day: d,
            hour: h,
            minute: mi,
            second: s,
        }
    }

    #[test]
    fn epoch_and_iso_forms() {
        let t = TakenAt {
            local: at(2008, 10, 22, 16, 29, 49),
            offset_minutes: Some(120),
            source: TakenSource::Exif,
        };
        // 2008-10-22T14:29:49Z
        assert_eq!(t.epoch_ms(), 1_224_685_789_000);
        assert_eq!(t.to_iso8601(), "2008-10-22T16:29:49+02:00");
        let t = TakenAt {
            offset_minutes: Some(-330),
            ..t
        };
        assert_eq!(t.to_iso8601(), "2008-10-22T16:29:49-05:30");
        let t = TakenAt {
            offset_minutes: None,
            ..t
        };
        assert_eq!(t.to_iso8601(), "2008-10-22T16:29:49");
        assert_eq!(at(1970, 1, 1, 0, 0, 0).as_utc_seconds(), 0);
        assert_eq!(at(2000, 3, 1, 0, 0, 0).as_utc_seconds(), 951_868_800);
        assert_eq!(at(1900, 1, 1, 0, 0, 0).as_utc_seconds(), -2_208_988_800);
    }

    #[test]
    fn impossible_dates_are_none() {
        assert!(at(2021, 2, 29, 0, 0, 0).checked().is_none());
        assert!(at(2020, 2, 29, 0, 0, 0).checked().is_some());
        assert!(at(0, 1, 1, 0, 0, 0).checked().is_none());
        assert!(at(2008, 13, 1, 0, 0, 0).checked().is_none());
        assert!(at(2008, 1, 1, 24, 0, 0).checked().is_none());
    }

    #[test]
    fn xmp_dates_in_every_form() {
        let p = |s: &str| parse_iso8601(s).map(|t| (t.to_iso8601(), t.offset_minutes));
        assert_eq!(
            p("2019-07-04T18:30:05+09:00"),
            Some(("2019-07-04T18:30:05+09:00".into(), Some(540)))
        );
        assert_eq!(
            p("2019-07-04T18:30:05.25Z"),
            Some(("2019-07-04T18:30:05+00:00".into(), Some(0)))
        );
        assert_eq!(
            p("2019-07-04T18:30"),
            Some(("2019-07-04T18:30:00".into(), None))
        );
        assert_eq!(p("2019-07-04"), Some(("2019-07-04T00:00:00".into(), None)));
        assert_eq!(
            p("2019-07-04T18:30:05-03:00"),
            Some(("2019-07-04T18:30:05-03:00".into(), Some(-180)))
        );
        for bad in [
            "",
            "2019",
            "2019-13-01",
            "2019-02-30",
            "yesterday",
            "2019-07-04T25:00",
        ] {
            assert_eq!(p(bad), None, "{bad:?}");
        }
        let packet = br#"junk<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description xmp:CreateDate="2011-03-05T09:10:11+01:00"/></x:xmpmeta>"#;
        let t = xmp_date(packet).unwrap();
        assert_eq!(t.source, TakenSource::Xmp);
        assert_eq!(t.to_iso8601(), "2011-03-05T09:10:11+01:00");
        let packet =
            b"<x:xmpmeta><photoshop:DateCreated>2001-02-03</photoshop:DateCreated></x:xmpmeta>";
        assert_eq!(
            xmp_date(packet).unwrap().to_iso8601(),
            "2001-02-03T00:00:00"
        );
        assert!(xmp_date(b"<x:xmpmeta></x:xmpmeta>").is_none());
    }

    #[test]
    fn files_without_metadata_give_nothing() {
        assert_eq!(read_metadata(b""), PhotoMetadata::default());
        assert_eq!(read_metadata(b"not an image"), PhotoMetadata::default());
        let mut png = Vec::new();
        image::RgbImage::new(4, 4)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert_eq!(read_metadata(&png), PhotoMetadata::default());
    }

    #[test]
    fn jpeg_xmp_is_read_from_the_header_segments_only() {
        let mut jpeg = Vec::new();
        image::RgbImage::new(8, 8)
            .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        let packet = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><rdf:Description \
                      xmp:CreateDate=\"2011-05-06T07:08:09+02:00\"/></rdf:RDF></x:xmpmeta>";
        let mut app1 = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
        app1.extend_from_slice(packet.as_bytes());
        let mut with_xmp = jpeg[..2].to_vec();
        with_xmp.extend_from_slice(&[0xFF, 0xE1]);
        with_xmp.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        with_xmp.extend_from_slice(&app1);
        with_xmp.extend_from_slice(&jpeg[2..]);
        let t = read_metadata(&with_xmp).taken.unwrap();
        assert_eq!(t.to_iso8601(), "2011-05-06T07:08:09+02:00");
        assert_eq!(t.source, TakenSource::Xmp);
        // The same text after the image data (a trailer) is not the photo's XMP.
        let mut trailer = jpeg.clone();
        trailer.extend_from_slice(packet.as_bytes());
        assert_eq!(read_metadata(&trailer).taken, None);
    }
}
