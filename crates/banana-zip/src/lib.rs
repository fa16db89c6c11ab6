//! A streaming, stored-only ZIP encoder (APPNOTE 6.3.x) with no I/O of its own: for each file
//! [`ZipEncoder::begin`] gives the local header, the caller sends the file's bytes and passes
//! each chunk to [`ZipEncoder::data`] (which updates the CRC-32), [`ZipEncoder::end`] gives the
//! data descriptor (the CRC is only known after the data), and [`ZipEncoder::finish`] gives
//! the central directory. The archive's memory is the central directory only (about 100 bytes
//! per file), whatever the files' sizes.
//!
//! The size of each file is declared up front (objects in a store know theirs); a file whose
//! data turns out longer or shorter is an error, since its header is already sent. ZIP64
//! extra fields and end records are written exactly when a value does not fit the classic
//! fields, so small archives are plain ZIP 2.0 that every tool opens.

use std::collections::HashSet;

const LOCAL_HEADER: u32 = 0x0403_4b50;
const DATA_DESCRIPTOR: u32 = 0x0807_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIR: u32 = 0x0605_4b50;
const ZIP64_END_OF_CENTRAL_DIR: u32 = 0x0606_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const ZIP64_EXTRA_ID: u16 = 0x0001;
/// Bit 3: CRC and sizes follow the data; bit 11: the name is UTF-8.
const FLAGS: u16 = (1 << 3) | (1 << 11);
const STORED: u16 = 0;
const VERSION_PLAIN: u16 = 20;
const VERSION_ZIP64: u16 = 45;
/// "Made by" Unix (3), so the external attributes below are Unix permissions.
const MADE_BY_UNIX: u16 = 3 << 8;
/// A regular file, rw-r--r--.
const UNIX_FILE_MODE: u32 = 0o100_644 << 16;
const U32_MAX: u64 = 0xFFFF_FFFF;

/// What went wrong while encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZipError {
    /// A file's data did not have the size its header declared.
    SizeMismatch {
        name: String,
        declared: u64,
        got: u64,
    },
    /// `data`/`end` without a `begin`, or `begin`/`finish` while a file is open.
    Order(&'static str),
    /// A name longer than a ZIP name can be (65535 bytes).
    NameTooLong,
}

impl std::fmt::Display for ZipError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ZipError::SizeMismatch {
                name,
                declared,
                got,
            } => {
                write!(f, "{name}: declared {declared} bytes, got {got}")
            }
            ZipError::Order(what) => write!(f, "zip: {what}"),
            ZipError::NameTooLong => write!(f, "zip: file name too long"),
        }
    }
}

impl std::error::Error for ZipError {}

struct Entry {
    name: Vec<u8>,
    size: u64,
    crc: u32,
    offset: u64,
    dos_time: u16,
    dos_date: u16,
}

impl Entry {
    fn zip64(&self) -> bool {
        self.size >= U32_MAX || self.offset >= U32_MAX
    }
}

struct Open {
    entry: Entry,
    hasher: crc32fast::Hasher,
    got: u64,
}

/// Encodes one archive; see the module documentation for the call order.
#[derive(Default)]
pub struct ZipEncoder {
    offset: u64,
    entries: Vec<Entry>,
    open: Option<Open>,
}

impl ZipEncoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes written so far (the archive's size once finished).
    pub fn written(&self) -> u64 {
        self.offset
    }

    /// Start a file of `size` bytes modified at `modified` (Unix seconds, UTC): its local header.
    pub fn begin(&mut self, name: &str, size: u64, modified: i64) -> Result<Vec<u8>, ZipError> {
        if self.open.is_some() {
            return Err(ZipError::Order("begin while a file is open"));
        }
        if name.len() > usize::from(u16::MAX) - 1 {
            return Err(ZipError::NameTooLong);
        }
        let (dos_time, dos_date) = dos_datetime(modified);
        let entry = Entry {
            name: name.as_bytes().to_vec(),
            size,
            crc: 0,
            offset: self.offset,
            dos_time,
            dos_date,
        };
        let zip64 = entry.zip64();
        let mut h = Vec::with_capacity(30 + entry.name.len() + 20);
        put32(&mut h, LOCAL_HEADER);
        put16(&mut h, if zip64 { VERSION_ZIP64 } else { VERSION_PLAIN });
        put16(&mut h, FLAGS);
        put16(&mut h, STORED);
        put16(&mut h, dos_time);
        put16(&mut h, dos_date);
        put32(&mut h, 0); // CRC-32: in the data descriptor
        if zip64 {
            put32(&mut h, U32_MAX as u32);
            put32(&mut h, U32_MAX as u32);
        } else {
            put32(&mut h, size as u32);
            put32(&mut h, size as u32);
        }
        put16(&mut h, entry.name.len() as u16);
        put16(&mut h, if zip64 { 20 } else { 0 });
        h.extend_from_slice(&entry.name);
        if zip64 {
            put16(&mut h, ZIP64_EXTRA_ID);
            put16(&mut h, 16);
            put64(&mut h, size);
            put64(&mut h, size);
        }
        self.offset += h.len() as u64;
        self.open = Some(Open {
            entry,
            hasher: crc32fast::Hasher::new(),
            got: 0,
        });
        Ok(h)
    }

    /// Account for a chunk of the open file's data (the caller sends the chunk itself).
    pub fn data(&mut self, chunk: &[u8]) -> Result<(), ZipError> {
        let open = self
            .open
            .as_mut()
            .ok_or(ZipError::Order("data without an open file"))?;
        open.hasher.update(chunk);
        open.got += chunk.len() as u64;
        self.offset += chunk.len() as u64;
        if open.got > open.entry.size {
            return Err(ZipError::SizeMismatch {
                name: String::from_utf8_lossy(&open.entry.name).into_owned(),
                declared: open.entry.size,
                got: open.got,
            });
        }
        Ok(())
    }

    /// End the open file: its data descriptor.
    pub fn end(&mut self) -> Result<Vec<u8>, ZipError> {
        let open = self
            .open
            .take()
            .ok_or(ZipError::Order("end without an open file"))?;
        let mut entry = open.entry;
        if open.got != entry.size {
            return Err(ZipError::SizeMismatch {
                name: String::from_utf8_lossy(&entry.name).into_owned(),
                declared: entry.size,
                got: open.got,
            });
        }
        entry.crc = open.hasher.finalize();
        let mut d = Vec::with_capacity(24);
        put32(&mut d, DATA_DESCRIPTOR);
        put32(&mut d, entry.crc);
        if entry.zip64() {
            put64(&mut d, entry.size);
            put64(&mut d, entry.size);
        } else {
            put32(&mut d, entry.size as u32);
            put32(&mut d, entry.size as u32);
        }
        self.offset += d.len() as u64;
        self.entries.push(entry);
        Ok(d)
    }

    /// The central directory and end records; the archive is complete after these bytes.
    pub fn finish(self) -> Result<Vec<u8>, ZipError> {
        if self.open.is_some() {
            return Err(ZipError::Order("finish while a file is open"));
        }
        let cd_offset = self.offset;
        let mut c = Vec::with_capacity(self.entries.len() * 80 + 100);
        for e in &self.entries {
            let big_size = e.size >= U32_MAX;
            let big_offset = e.offset >= U32_MAX;
            let mut extra = Vec::new();
            if big_size {
                put64(&mut extra, e.size);
                put64(&mut extra, e.size);
            }
            if big_offset {
                put64(&mut extra, e.offset);
            }
            let version = if e.zip64() {
                VERSION_ZIP64
            } else {
                VERSION_PLAIN
            };
            put32(&mut c, CENTRAL_HEADER);
            put16(&mut c, MADE_BY_UNIX | version);
            put16(&mut c, version);
            put16(&mut c, FLAGS);
            put16(&mut c, STORED);
            put16(&mut c, e.dos_time);
            put16(&mut c, e.dos_date);
            put32(&mut c, e.crc);
            let size32 = if big_size {
                U32_MAX as u32
            } else {
                e.size as u32
            };
            put32(&mut c, size32);
            put32(&mut c, size32);
            put16(&mut c, e.name.len() as u16);
            put16(
                &mut c,
                if extra.is_empty() {
                    0
                } else {
                    extra.len() as u16 + 4
                },
            );
            put16(&mut c, 0); // comment
            put16(&mut c, 0); // disk
            put16(&mut c, 0); // internal attributes
            put32(&mut c, UNIX_FILE_MODE);
            put32(
                &mut c,
                if big_offset {
                    U32_MAX as u32
                } else {
                    e.offset as u32
                },
            );
            c.extend_from_slice(&e.name);
            if !extra.is_empty() {
                put16(&mut c, ZIP64_EXTRA_ID);
                put16(&mut c, extra.len() as u16);
                c.extend_from_slice(&extra);
            }
        }
        let cd_size = c.len() as u64;
        let count = self.entries.len() as u64;
        let zip64 = count >= 0xFFFF || cd_size >= U32_MAX || cd_offset >= U32_MAX;
        if zip64 {
            let record_offset = cd_offset + cd_size;
            put32(&mut c, ZIP64_END_OF_CENTRAL_DIR);
            put64(&mut c, 44); // size of the rest of this record
            put16(&mut c, MADE_BY_UNIX | VERSION_ZIP64);
            put16(&mut c, VERSION_ZIP64);
            put32(&mut c, 0);
            put32(&mut c, 0);
            put64(&mut c, count);
            put64(&mut c, count);
            put64(&mut c, cd_size);
            put64(&mut c, cd_offset);
            put32(&mut c, ZIP64_LOCATOR);
            put32(&mut c, 0);
            put64(&mut c, record_offset);
            put32(&mut c, 1);
        }
        put32(&mut c, END_OF_CENTRAL_DIR);
        put16(&mut c, 0);
        put16(&mut c, 0);
        let count16 = if zip64 { 0xFFFF } else { count as u16 };
        put16(&mut c, count16);
        put16(&mut c, count16);
        put32(
            &mut c,
            if zip64 {
                U32_MAX as u32
            } else {
                cd_size as u32
            },
        );
        put32(
            &mut c,
            if zip64 {
                U32_MAX as u32
            } else {
                cd_offset as u32
            },
        );
        put16(&mut c, 0); // comment
        Ok(c)
    }
}

/// Unique file names within one archive: a repeated name (compared case-insensitively, as
/// on the file systems people unzip onto) becomes `name (2).ext`, `name (3).ext`, ….
#[derive(Default)]
pub struct Names {
    seen: HashSet<String>,
}

impl Names {
    pub fn new() -> Self {
        Self::default()
    }

    /// `name` made safe (no directories, no control characters, not empty) and unique.
    pub fn unique(&mut self, name: &str) -> String {
        let clean: String = name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("")
            .chars()
            .map(|c| if c.is_control() { '_' } else { c })
            .collect();
        let clean = clean.trim().trim_start_matches('.').to_string();
        let clean = if clean.is_empty() {
            "file".to_string()
        } else {
            clean
        };
        let (stem, ext) = match clean.rsplit_once('.') {
            Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
            _ => (clean.clone(), String::new()),
        };
        let mut candidate = clean;
        let mut n = 2;
        while !self.seen.insert(candidate.to_lowercase()) {
            candidate = format!("{stem} ({n}){ext}");
            n += 1;
        }
        candidate
    }
}

/// MS-DOS time and date of a Unix time (UTC); before 1980 is 1980-01-01. The calendar
/// arithmetic is humantime's (its RFC 3339 text read back field by field).
fn dos_datetime(unix_secs: i64) -> (u16, u16) {
    let secs = unix_secs.clamp(315_532_800, 4_354_819_199); // 1980-01-01 ..= 2107-12-31
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs as u64);
    let text = humantime::format_rfc3339_seconds(t).to_string(); // YYYY-MM-DDTHH:MM:SSZ
    let field = |r: std::ops::Range<usize>| text[r].parse::<u16>().unwrap_or(0);
    let (y, mo, d) = (field(0..4), field(5..7), field(8..10));
    let (h, mi, s) = (field(11..13), field(14..16), field(17..19));
    (
        (h << 11) | (mi << 5) | (s / 2),
        ((y - 1980) << 9) | (mo << 5) | d,
    )
}

fn put16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn put32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn put64(v: &mut Vec<u8>, x: u64) {
    v.extend_from_slice(&x.to_le_bytes());
}

#[cfg(test)]
mod tests;
