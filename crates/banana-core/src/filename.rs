//! File names: what an uploaded name is kept as, and what a download is called. A name shown
//! or saved has no directories, no invisible or reordering characters, at most 255 characters
//! and an extension that matches the bytes' format, so a JPEG never downloads as `.html`.

/// A file name fit for display and download: no directories; no control, format (bidi
/// overrides such as U+202E, zero-width characters, …) or line/paragraph separator characters;
/// at most 255 characters; and an extension that matches the sniffed format (`extension`,
/// e.g. `jpg`): a JPEG sent as `poly.html` is kept as `poly.jpg`, `holiday.2024` becomes
/// `holiday.2024.jpg`, and an equivalent spelling (`.jpeg`, `.TIF`) is kept.
pub fn sanitize_filename(raw: Option<&str>, extension: &str) -> String {
    let base = raw.unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|&c| !invisible(c) && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        return format!("image.{extension}");
    }
    with_format_extension(cleaned, extension)
}

/// The name an image variant is downloaded under (`Content-Disposition`): the stored name,
/// cleaned again (rows stored before the current rules are fixed on the way out, no
/// migration), with the extension of the format actually sent (`content_type`; a TIFF's copy
/// for non-owners is a PNG).
pub fn download_filename(stored: &str, content_type: &str) -> String {
    match extension_for(content_type) {
        Some(ext) => sanitize_filename(Some(stored), ext),
        None => {
            let cleaned: String = stored.chars().filter(|&c| !invisible(c)).collect();
            if cleaned.trim().is_empty() {
                "image".into()
            } else {
                cleaned
            }
        }
    }
}

/// Characters that must not reach a displayed or saved name: controls (Cc), Unicode format
/// characters (Cf: bidi embeddings, overrides and isolates, zero-width space/joiners, word
/// joiner, BOM, soft hyphen, tags, …) and the line and paragraph separators (Zl, Zp).
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}'
            | '\u{0890}'..='\u{0891}' | '\u{08E2}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

/// `name` with the extension `ext`: an extension that names the same format is kept as
/// written, any other one (1–5 ASCII letters/digits, at least one letter) is replaced, and a
/// name without one gets it appended. The result has at most 255 characters (the stem is cut).
fn with_format_extension(name: &str, ext: &str) -> String {
    let same_format: &[&str] = match ext {
        "jpg" => &["jpg", "jpeg", "jpe", "jfif"],
        "tiff" => &["tiff", "tif"],
        "bmp" => &["bmp", "dib"],
        "heic" => &["heic", "heif", "hif"],
        _ => &[],
    };
    let (stem, current) = match name.rsplit_once('.') {
        Some((stem, e))
            if !stem.trim().is_empty()
                && (1..=5).contains(&e.len())
                && e.chars().all(|c| c.is_ascii_alphanumeric())
                && e.chars().any(|c| c.is_ascii_alphabetic()) =>
        {
            (stem, Some(e))
        }
        _ => (name, None),
    };
    let keep = match current {
        Some(e)
            if e.eq_ignore_ascii_case(ext)
                || same_format.iter().any(|s| e.eq_ignore_ascii_case(s)) =>
        {
            e
        }
        _ => ext,
    };
    // Cut the stem, never the extension.
    let room = 255 - (keep.len() + 1);
    let stem: String = stem.chars().take(room).collect();
    format!("{}.{keep}", stem.trim_end())
}

/// The file extension of an image content type Banana stores or sends.
fn extension_for(content_type: &str) -> Option<&'static str> {
    banana_media::Format::from_content_type(content_type).map(banana_media::Format::extension)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_are_sanitised() {
        assert_eq!(
            sanitize_filename(Some("../../etc/passwd"), "jpg"),
            "passwd.jpg"
        );
        assert_eq!(
            sanitize_filename(Some("C:\\Users\\me\\cat.jpg"), "jpg"),
            "cat.jpg"
        );
        assert_eq!(sanitize_filename(Some("a\u{0}b\nc.png"), "png"), "abc.png");
        assert_eq!(sanitize_filename(Some("   "), "png"), "image.png");
        assert_eq!(sanitize_filename(None, "gif"), "image.gif");
        assert_eq!(sanitize_filename(Some(".hidden"), "gif"), "hidden.gif");
        let long = "é".repeat(1000) + ".jpg";
        let cut = sanitize_filename(Some(&long), "jpg");
        assert_eq!(cut.chars().count(), 255);
        assert!(cut.ends_with(".jpg"), "{cut}");
        assert_eq!(
            sanitize_filename(Some("猫 の 写真.jpg"), "jpg"),
            "猫 の 写真.jpg"
        );
    }

    #[test]
    fn filenames_lose_bidi_zero_width_and_separator_characters() {
        // "photo<RLO>gpj.exe" displays as "photoexe.jpg".
        assert_eq!(
            sanitize_filename(Some("photo\u{202E}gpj.exe"), "jpg"),
            "photogpj.jpg"
        );
        for c in [
            '\u{200B}',
            '\u{200D}',
            '\u{2028}',
            '\u{2029}',
            '\u{2066}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{061C}',
            '\u{E0041}',
        ] {
            assert_eq!(
                sanitize_filename(Some(&format!("a{c}b.png")), "png"),
                "ab.png",
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn the_extension_follows_the_format_and_the_stem_stays() {
        assert_eq!(sanitize_filename(Some("poly.html"), "jpg"), "poly.jpg");
        assert_eq!(sanitize_filename(Some("poly.HTML"), "png"), "poly.png");
        assert_eq!(sanitize_filename(Some("IMG_1.JPEG"), "jpg"), "IMG_1.JPEG");
        assert_eq!(sanitize_filename(Some("scan.tif"), "tiff"), "scan.tif");
        assert_eq!(sanitize_filename(Some("cat"), "webp"), "cat.webp");
        assert_eq!(
            sanitize_filename(Some("holiday.2024"), "jpg"),
            "holiday.2024.jpg"
        );
        assert_eq!(sanitize_filename(Some("a.tar.svg"), "png"), "a.tar.png");
        // Stored before these rules: fixed on the way out.
        assert_eq!(
            download_filename("x\u{202E}lmth.jpg", "image/jpeg"),
            "xlmth.jpg"
        );
        assert_eq!(download_filename("poly.html", "image/jpeg"), "poly.jpg");
        assert_eq!(download_filename("scan.tiff", "image/png"), "scan.png");
        assert_eq!(
            download_filename("cat.thumbnail.jpg", "image/jpeg"),
            "cat.thumbnail.jpg"
        );
    }
}
