//! The findings of the OCR, face and colour analyzers as stored (`image_findings`: JSON and
//! words) and as shown (`ImageView.text`, `.faces`, `.face_count`, `.colors`), and what they
//! add to an image's semantic vector.

use banana_api::{ColorView, FaceView, ImageView, TextView};
use banana_db::findings::{FindingRow, COLORS, FACES, TEXT};
use banana_vision::colors::NamedColor;
use banana_vision::faces::Face;
use banana_vision::ocr::TextLine;

/// A face this wide (share of the image's width), alone, makes a selfie or a portrait.
const PORTRAIT_FACE_WIDTH: f64 = 0.18;
/// Most characters of read text that go into the semantic vector.
const SEMANTIC_TEXT_CHARS: usize = 200;

/// A row to store: `(kind, JSON, words)`.
pub type Stored = (&'static str, String, String);

fn round(x: f32) -> f64 {
    (f64::from(x) * 10_000.0).round() / 10_000.0
}

fn bbox(b: [f32; 4]) -> [f64; 4] {
    b.map(round)
}

/// The text lines read in a photo, to store.
pub fn text_row(lines: &[TextLine]) -> Stored {
    let views: Vec<TextView> = lines
        .iter()
        .map(|l| TextView {
            text: l.text.clone(),
            bbox: bbox(l.bbox),
            score: round(l.score),
        })
        .collect();
    let words = lines
        .iter()
        .map(|l| searchable_text(&l.text))
        .collect::<Vec<_>>()
        .join(" ");
    (TEXT, json(&views), words)
}

/// Read text as keyword search sees it: a letter run and a number the recogniser glued
/// together (a receipt's "BREAD2.50") are two words.
pub fn searchable_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if let Some(p) = prev {
            if (p.is_alphabetic() && c.is_ascii_digit())
                || (p.is_ascii_digit() && c.is_alphabetic())
            {
                out.push(' ');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// The faces found in a photo, to store.
pub fn faces_row(faces: &[Face]) -> Stored {
    let views: Vec<FaceView> = faces
        .iter()
        .map(|f| FaceView {
            bbox: bbox(f.bbox),
            score: round(f.score),
        })
        .collect();
    (FACES, json(&views), face_words(&views).join(" "))
}

/// The dominant colours of a photo, to store.
pub fn colors_row(colors: &[NamedColor]) -> Stored {
    let views: Vec<ColorView> = colors
        .iter()
        .map(|c| ColorView {
            name: c.name.to_string(),
            hex: c.hex.clone(),
            fraction: round(c.fraction),
        })
        .collect();
    let words = views
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    (COLORS, json(&views), words)
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("findings serialise")
}

/// The keyword words faces give a photo: every photo with a face is of a person; one large
/// face is a portrait (or a selfie); three or more make a group.
pub fn face_words(faces: &[FaceView]) -> Vec<&'static str> {
    if faces.is_empty() {
        return Vec::new();
    }
    let mut words = vec!["person", "people", "face", "human"];
    match faces.len() {
        1 if faces[0].bbox[2] >= PORTRAIT_FACE_WIDTH => words.extend(["portrait", "selfie"]),
        1 => {}
        2 => words.extend(["couple", "pair"]),
        _ => words.extend(["group", "crowd"]),
    }
    words
}

/// What the stored findings of an image add to its semantic vector: sentences for its faces
/// and the text read in it.
pub fn semantic_texts(rows: &[FindingRow]) -> Vec<String> {
    let mut out = Vec::new();
    for r in rows {
        match r.kind.as_str() {
            FACES => {
                let faces: Vec<FaceView> = serde_json::from_str(&r.data).unwrap_or_default();
                let sentence = match faces.len() {
                    0 => continue,
                    1 if faces[0].bbox[2] >= PORTRAIT_FACE_WIDTH => "a portrait photo of a person",
                    1 => "a photo of a person",
                    2 => "a photo of two people",
                    _ => "a group photo of people",
                };
                out.push(sentence.to_string());
            }
            TEXT if !r.words.trim().is_empty() => {
                let text: String = r.words.chars().take(SEMANTIC_TEXT_CHARS).collect();
                out.push(format!("a sign with the text \"{text}\""));
            }
            _ => {}
        }
    }
    out
}

/// Fill an image's view from one stored finding row (face boxes only for `sees_faces`).
pub fn fill_view(view: &mut ImageView, row: &FindingRow, sees_faces: bool) {
    match row.kind.as_str() {
        TEXT => view.text = serde_json::from_str(&row.data).unwrap_or_default(),
        FACES => {
            let faces: Vec<FaceView> = serde_json::from_str(&row.data).unwrap_or_default();
            view.face_count = faces.len() as i64;
            if sees_faces {
                view.faces = faces;
            }
        }
        COLORS => view.colors = serde_json::from_str(&row.data).unwrap_or_default(),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(w: f64) -> FaceView {
        FaceView {
            bbox: [0.1, 0.1, w, w],
            score: 0.9,
        }
    }

    #[test]
    fn glued_words_and_numbers_are_split() {
        assert_eq!(searchable_text("BREAD2.50"), "BREAD 2.50");
        assert_eq!(searchable_text("A4 paper"), "A 4 paper");
        assert_eq!(searchable_text("FRESH BAKERY"), "FRESH BAKERY");
    }

    #[test]
    fn faces_make_people_portraits_and_groups() {
        assert!(face_words(&[]).is_empty());
        let one = face_words(&[face(0.3)]);
        assert!(one.contains(&"person") && one.contains(&"portrait"));
        assert!(!face_words(&[face(0.05)]).contains(&"portrait"));
        let group = face_words(&[face(0.05), face(0.05), face(0.05)]);
        assert!(group.contains(&"group") && group.contains(&"people"));
    }

    #[test]
    fn stored_rows_round_trip_into_the_view() {
        let (kind, data, words) = text_row(&[TextLine {
            text: "FRESH BAKERY".into(),
            bbox: [0.1, 0.2, 0.3, 0.1],
            score: 0.97,
        }]);
        assert_eq!(words, "FRESH BAKERY");
        let row = FindingRow {
            image_id: "i".into(),
            kind: kind.into(),
            data,
            words,
        };
        let texts = semantic_texts(std::slice::from_ref(&row));
        assert_eq!(
            texts,
            vec!["a sign with the text \"FRESH BAKERY\"".to_string()]
        );
        let (kind, data, words) = faces_row(&[Face {
            bbox: [0.4, 0.2, 0.3, 0.4],
            score: 0.8,
        }]);
        let faces = FindingRow {
            image_id: "i".into(),
            kind: kind.into(),
            data,
            words,
        };
        let stored: Vec<FaceView> = serde_json::from_str(&faces.data).unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(faces.words, "person people face human portrait selfie");
        assert_eq!(
            semantic_texts(&[faces]),
            vec!["a portrait photo of a person".to_string()]
        );
    }
}
