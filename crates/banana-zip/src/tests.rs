use std::io::{Cursor, Read};

use super::*;

/// Encode `files` (name, bytes, Unix time), streaming each in chunks of `chunk`.
fn archive(files: &[(&str, &[u8], i64)], chunk: usize) -> Vec<u8> {
    let mut z = ZipEncoder::new();
    let mut out = Vec::new();
    for (name, data, t) in files {
        out.extend(z.begin(name, data.len() as u64, *t).unwrap());
        for c in data.chunks(chunk.max(1)) {
            z.data(c).unwrap();
            out.extend_from_slice(c);
        }
        out.extend(z.end().unwrap());
    }
    let written = z.written();
    out.extend(z.finish().unwrap());
    assert!(written <= out.len() as u64);
    out
}

#[test]
fn archives_read_back_with_the_zip_crate() {
    let big: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let bytes = archive(
        &[
            ("a.jpg", b"hello", 1_700_000_000),
            ("été à Paris.jpg", &big, 1_224_000_000),
            ("empty.txt", b"", 0),
        ],
        4096,
    );
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    assert_eq!(zip.len(), 3);
    let mut f = zip.by_name("été à Paris.jpg").unwrap();
    let mut got = Vec::new();
    f.read_to_end(&mut got).unwrap();
    assert_eq!(got, big);
    let m = f.last_modified().unwrap();
    // 1_224_000_000 = 2008-10-14T16:00:00Z
    assert_eq!(
        (m.year(), m.month(), m.day(), m.hour(), m.minute()),
        (2008, 10, 14, 16, 0)
    );
    drop(f);
    let mut a = String::new();
    zip.by_name("a.jpg")
        .unwrap()
        .read_to_string(&mut a)
        .unwrap();
    assert_eq!(a, "hello");
    assert_eq!(zip.by_name("empty.txt").unwrap().size(), 0);
}

#[test]
fn a_file_of_the_wrong_size_is_an_error() {
    let mut z = ZipEncoder::new();
    z.begin("x", 3, 0).unwrap();
    z.data(b"ab").unwrap();
    assert!(matches!(
        z.end(),
        Err(ZipError::SizeMismatch { got: 2, .. })
    ));
    let mut z = ZipEncoder::new();
    z.begin("x", 1, 0).unwrap();
    assert!(z.data(b"ab").is_err());
    let mut z = ZipEncoder::new();
    assert!(z.data(b"a").is_err());
    z.begin("x", 0, 0).unwrap();
    assert!(z.begin("y", 0, 0).is_err());
}

#[test]
fn many_entries_use_zip64_end_records() {
    // 70,000 entries do not fit the classic 16-bit count.
    let files: Vec<(String, Vec<u8>)> = (0..70_000)
        .map(|i| (format!("{i}.txt"), vec![b'x'; i % 3]))
        .collect();
    let refs: Vec<(&str, &[u8], i64)> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice(), 0))
        .collect();
    let bytes = archive(&refs, 2);
    let eocd = &bytes[bytes.len() - 22..];
    assert_eq!(&eocd[8..10], &[0xFF, 0xFF]);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    assert_eq!(zip.len(), 70_000);
    assert_eq!(zip.by_name("69999.txt").unwrap().size(), 0);
    assert_eq!(zip.by_name("69998.txt").unwrap().size(), 2);
}

#[test]
fn names_are_unique_and_safe() {
    let mut n = Names::new();
    assert_eq!(n.unique("IMG_1.JPG"), "IMG_1.JPG");
    assert_eq!(n.unique("img_1.jpg"), "img_1 (2).jpg");
    assert_eq!(n.unique("IMG_1.JPG"), "IMG_1 (3).JPG");
    assert_eq!(n.unique("../../etc/passwd"), "passwd");
    assert_eq!(n.unique("a\\b\nc.png"), "b_c.png");
    assert_eq!(n.unique(""), "file");
    assert_eq!(n.unique(".hidden"), "hidden");
    assert_eq!(n.unique("noext"), "noext");
    assert_eq!(n.unique("noext"), "noext (2)");
}

#[test]
fn dos_times() {
    // Before 1980: 1980-01-01 00:00 (year 0, month 1, day 1).
    assert_eq!(dos_datetime(0), (0, (1 << 5) | 1));
    // 2026-12-02T03:04:06Z
    let (t, d) = dos_datetime(1_796_180_646);
    assert_eq!((t >> 11, (t >> 5) & 63, (t & 31) * 2), (3, 4, 6));
    assert_eq!(((d >> 9) + 1980, (d >> 5) & 15, d & 31), (2026, 12, 2));
}
