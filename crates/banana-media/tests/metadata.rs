//! `banana_media::metadata` on real camera and phone files and on files written here with known
//! dates, offsets and positions. The expected values of the real files were read by another
//! EXIF reader (Pillow; `tests/data/exif_reference.py` made `exif-reference.json`), not by this
//! code.

use std::io::Cursor;
use std::path::Path;

use banana_media::metadata::{read_metadata, GpsPosition, TakenSource};
use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};
use serde_json::Value as Json;

const REFERENCE: &str = include_str!("data/exif-reference.json");

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * b.abs().max(1.0)
}

/// Pillow's value as a number (it gives ISO as an integer or a list of them).
fn first_number(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => n.as_f64(),
        Json::Array(a) => a.first().and_then(first_number),
        _ => None,
    }
}

fn dms(v: &Json) -> Option<f64> {
    let a = v.as_array()?;
    let part = |i: usize| a.get(i).and_then(Json::as_f64).unwrap_or(0.0);
    Some(part(0) + part(1) / 60.0 + part(2) / 3600.0)
}

/// A text field as EXIF defines it: it ends at the first NUL (Pillow keeps what follows).
fn text(v: &Json) -> Option<String> {
    let s = v.as_str()?.split('\0').next()?;
    let s: String = s.chars().filter(|c| !c.is_control()).collect();
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// `YYYY:MM:DD HH:MM:SS` from Pillow as our ISO form, if it is a real date.
fn exif_date_as_iso(v: &Json) -> Option<String> {
    let s = v.as_str()?.trim_end_matches('\0').trim();
    let (d, t) = s.split_once(' ')?;
    let d: Vec<&str> = d.split(':').collect();
    let t: Vec<&str> = t.split(':').collect();
    if d.len() != 3 || t.len() != 3 || d.iter().chain(&t).any(|p| p.parse::<u32>().is_err()) {
        return None;
    }
    let year: i32 = d[0].parse().ok()?;
    let month: u32 = d[1].parse().ok()?;
    let day: u32 = d[2].parse().ok()?;
    if !(1800..=2200).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(format!(
        "{}-{}-{}T{}:{}:{}",
        d[0], d[1], d[2], t[0], t[1], t[2]
    ))
}

#[test]
fn real_files_agree_with_an_independent_reader() {
    let Some(data) = banana_testkit::shared_data() else {
        return;
    };
    let root = data.join("exif-samples");
    let reference: serde_json::Map<String, Json> = serde_json::from_str(REFERENCE).unwrap();
    let (mut dates, mut cameras, mut positions, mut offsets) = (0, 0, 0, 0);
    for (rel, want) in &reference {
        let bytes = std::fs::read(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let got = read_metadata(&bytes);

        // The date: DateTimeOriginal, else DateTimeDigitized (when EXIF has a real one).
        let expected = exif_date_as_iso(&want["dto"]).or_else(|| exif_date_as_iso(&want["dtd"]));
        match (&expected, &got.taken) {
            (Some(e), Some(t)) if t.source == TakenSource::Exif => {
                let iso = t.to_iso8601();
                assert_eq!(&iso[..19], e, "{rel}: date taken");
                if let Some(o) = want["oto"].as_str() {
                    assert_eq!(&iso[19..], o.trim(), "{rel}: offset");
                    offsets += 1;
                }
                dates += 1;
            }
            (Some(e), other) => panic!("{rel}: expected {e}, got {other:?}"),
            (None, Some(t)) => assert_eq!(t.source, TakenSource::Xmp, "{rel}: {t:?} from EXIF"),
            (None, None) => {}
        }

        let cam = &got.camera;
        assert_eq!(cam.make, text(&want["make"]), "{rel}: make");
        let model = text(&want["model"]).filter(|m| Some(m) != text(&want["make"]).as_ref());
        assert_eq!(cam.model, model, "{rel}: model");
        assert_eq!(cam.lens, text(&want["lens"]), "{rel}: lens");
        for (name, ours, theirs) in [
            (
                "focal length",
                cam.focal_length_mm,
                first_number(&want["focal"]),
            ),
            ("f-number", cam.f_number, first_number(&want["fnum"])),
            ("exposure", cam.exposure_time_s, first_number(&want["exp"])),
            ("ISO", cam.iso.map(f64::from), first_number(&want["iso"])),
        ] {
            match (ours, theirs.filter(|v| v.is_finite() && *v > 0.0)) {
                (Some(a), Some(b)) => assert!(close(a, b, 1e-6), "{rel}: {name} {a} vs {b}"),
                (a, b) => assert_eq!(a, b, "{rel}: {name}"),
            }
        }
        if cam.make.is_some() {
            cameras += 1;
        }

        // GPS: the reference's degrees-minutes-seconds with their hemispheres.
        let sign = |r: &Json, neg: &str| match r.as_str().map(str::trim) {
            Some(s) if s.eq_ignore_ascii_case(neg) => Some(-1.0),
            Some(s) if s.eq_ignore_ascii_case("N") || s.eq_ignore_ascii_case("E") => Some(1.0),
            _ => None,
        };
        let expected = (|| {
            let lat = dms(&want["lat"])? * sign(&want["latref"], "S")?;
            let lon = dms(&want["lon"])? * sign(&want["lonref"], "W")?;
            (lat.abs() <= 90.0 && lon.abs() <= 180.0 && !(lat == 0.0 && lon == 0.0))
                .then_some((lat, lon))
        })();
        match (expected, got.gps) {
            (Some((lat, lon)), Some(GpsPosition { lat: a, lon: b })) => {
                assert!(
                    close(a, lat, 1e-9) && close(b, lon, 1e-9),
                    "{rel}: {a},{b} vs {lat},{lon}"
                );
                positions += 1;
            }
            (None, None) => {}
            (e, g) => panic!("{rel}: GPS {g:?}, the reference says {e:?}"),
        }
    }
    // The set has dated camera files, GPS files (jpg/gps) and iPhone HEICs with offsets.
    assert!(dates >= 50, "{dates} dated files");
    assert!(cameras >= 50, "{cameras} files with a camera");
    assert!(positions >= 15, "{positions} files with a position");
    assert!(offsets >= 2, "{offsets} files with an offset");
}

#[test]
fn every_sample_file_reads_without_panicking() {
    let Some(data) = banana_testkit::shared_data() else {
        return;
    };
    fn walk(dir: &Path, n: &mut usize) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, n);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                let m = read_metadata(&bytes);
                // Truncations of every file too (broken uploads).
                for cut in [bytes.len() / 2, bytes.len() / 10, 64] {
                    read_metadata(&bytes[..cut.min(bytes.len())]);
                }
                if let Some(t) = m.taken {
                    assert!((1800..=2200).contains(&t.local.year), "{}", p.display());
                }
                *n += 1;
            }
        }
    }
    let mut n = 0;
    walk(&data.join("exif-samples"), &mut n);
    assert!(n > 100, "{n} files");
}

fn rational(v: f64) -> Rational {
    Rational::from(((v * 1_000_000.0).round() as u32, 1_000_000))
}

fn gps_fields(lat: f64, lon: f64) -> Vec<Field> {
    let dms = |d: f64| {
        let d = d.abs();
        let deg = d.trunc();
        let min = ((d - deg) * 60.0).trunc();
        let sec = (d - deg - min / 60.0) * 3600.0;
        Value::Rational(vec![rational(deg), rational(min), rational(sec)])
    };
    let ascii = |s: &str| Value::Ascii(vec![s.as_bytes().to_vec()]);
    vec![
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: ascii(if lat < 0.0 { "S" } else { "N" }),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: dms(lat),
        },
        Field {
            tag: Tag::GPSLongitudeRef,
            ifd_num: In::PRIMARY,
            value: ascii(if lon < 0.0 { "W" } else { "E" }),
        },
        Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: dms(lon),
        },
    ]
}

/// A small JPEG whose APP1 segment holds these EXIF fields.
fn jpeg_with(fields: &[Field]) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::RgbImage::from_pixel(16, 16, image::Rgb([90, 120, 200]))
        .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    if fields.is_empty() {
        return jpeg;
    }
    let mut writer = Writer::new();
    for f in fields {
        writer.push_field(f);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(tiff.get_ref());
    let mut out = jpeg[..2].to_vec(); // SOI
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[test]
fn written_dates_offsets_and_positions_read_back() {
    let ascii = |s: &str| Value::Ascii(vec![s.as_bytes().to_vec()]);
    // Several cities on different continents, each with its local time and offset.
    let cases = [
        (
            "Tokyo",
            35.6762,
            139.6503,
            "2019:07:04 18:30:05",
            "+09:00",
            "2019-07-04T18:30:05+09:00",
        ),
        (
            "Sydney",
            -33.8688,
            151.2093,
            "2020:12:31 23:59:59",
            "+11:00",
            "2020-12-31T23:59:59+11:00",
        ),
        (
            "New York",
            40.7128,
            -74.0060,
            "2008:10:22 07:15:00",
            "-04:00",
            "2008-10-22T07:15:00-04:00",
        ),
        (
            "Buenos Aires",
            -34.6037,
            -58.3816,
            "2015:02:14 12:00:00",
            "-03:00",
            "2015-02-14T12:00:00-03:00",
        ),
        (
            "Nairobi",
            -1.2921,
            36.8219,
            "2022:06:01 06:45:30",
            "+03:00",
            "2022-06-01T06:45:30+03:00",
        ),
        (
            "Mid-Atlantic, at sea",
            30.0,
            -40.0,
            "2017:08:09 10:11:12",
            "+00:00",
            "2017-08-09T10:11:12+00:00",
        ),
    ];
    for (name, lat, lon, local, offset, iso) in cases {
        let mut fields = vec![
            Field {
                tag: Tag::Make,
                ifd_num: In::PRIMARY,
                value: ascii("Canon"),
            },
            Field {
                tag: Tag::Model,
                ifd_num: In::PRIMARY,
                value: ascii("Canon EOS R5"),
            },
            Field {
                tag: Tag::DateTimeOriginal,
                ifd_num: In::PRIMARY,
                value: ascii(local),
            },
            Field {
                tag: Tag::OffsetTimeOriginal,
                ifd_num: In::PRIMARY,
                value: ascii(offset),
            },
            Field {
                tag: Tag::FNumber,
                ifd_num: In::PRIMARY,
                value: Value::Rational(vec![Rational::from((28, 10))]),
            },
            Field {
                tag: Tag::ExposureTime,
                ifd_num: In::PRIMARY,
                value: Value::Rational(vec![Rational::from((1, 250))]),
            },
            Field {
                tag: Tag::PhotographicSensitivity,
                ifd_num: In::PRIMARY,
                value: Value::Short(vec![400]),
            },
            Field {
                tag: Tag::LensModel,
                ifd_num: In::PRIMARY,
                value: ascii("RF24-105mm F4 L IS USM"),
            },
        ];
        fields.extend(gps_fields(lat, lon));
        let m = read_metadata(&jpeg_with(&fields));
        let t = m.taken.unwrap_or_else(|| panic!("{name}: no date"));
        assert_eq!(t.to_iso8601(), iso, "{name}");
        assert_eq!(t.source, TakenSource::Exif);
        let gps = m.gps.unwrap_or_else(|| panic!("{name}: no position"));
        assert!(
            (gps.lat - lat).abs() < 1e-6 && (gps.lon - lon).abs() < 1e-6,
            "{name}: {gps:?}"
        );
        assert_eq!(m.camera.make.as_deref(), Some("Canon"));
        assert_eq!(m.camera.model.as_deref(), Some("Canon EOS R5"));
        assert_eq!(m.camera.lens.as_deref(), Some("RF24-105mm F4 L IS USM"));
        assert_eq!(m.camera.f_number, Some(2.8));
        assert_eq!(m.camera.exposure_time_s, Some(0.004));
        assert_eq!(m.camera.iso, Some(400));
    }
    // The same instant whatever the zone: Tokyo 18:30 +09:00 is 09:30 UTC.
    let tokyo = read_metadata(&jpeg_with(&[
        Field {
            tag: Tag::DateTimeOriginal,
            ifd_num: In::PRIMARY,
            value: ascii("2019:07:04 18:30:05"),
        },
        Field {
            tag: Tag::OffsetTimeOriginal,
            ifd_num: In::PRIMARY,
            value: ascii("+09:00"),
        },
    ]))
    .taken
    .unwrap();
    let utc = read_metadata(&jpeg_with(&[
        Field {
            tag: Tag::DateTimeOriginal,
            ifd_num: In::PRIMARY,
            value: ascii("2019:07:04 09:30:05"),
        },
        Field {
            tag: Tag::OffsetTimeOriginal,
            ifd_num: In::PRIMARY,
            value: ascii("+00:00"),
        },
    ]))
    .taken
    .unwrap();
    assert_eq!(tokyo.epoch_ms(), utc.epoch_ms());

    // No EXIF at all: nothing.
    assert_eq!(read_metadata(&jpeg_with(&[])), Default::default());
    // Only CreateDate, no offset: that date, as a local time.
    let m = read_metadata(&jpeg_with(&[Field {
        tag: Tag::DateTimeDigitized,
        ifd_num: In::PRIMARY,
        value: ascii("2003:01:02 03:04:05"),
    }]));
    assert_eq!(m.taken.unwrap().to_iso8601(), "2003-01-02T03:04:05");
    // A blank date ("    :  :     :  :  ", what some cameras write), a 0°/0° fix and a void
    // fix are unknown, not the epoch or the Gulf of Guinea.
    let mut fields = vec![Field {
        tag: Tag::DateTimeOriginal,
        ifd_num: In::PRIMARY,
        value: ascii("    :  :     :  :  "),
    }];
    fields.extend(gps_fields(0.0, 0.0));
    let m = read_metadata(&jpeg_with(&fields));
    assert_eq!((m.taken, m.gps), (None, None));
    let mut fields = gps_fields(48.8566, 2.3522);
    fields.push(Field {
        tag: Tag::GPSStatus,
        ifd_num: In::PRIMARY,
        value: ascii("V"),
    });
    assert_eq!(read_metadata(&jpeg_with(&fields)).gps, None);
}
