//! Step 1c of a search: a colour named in the query ("red car", "something blue") filters on
//! the images' dominant colours (the `colors` analyzer) and leaves the query's other words to
//! rank, so "red" is never matched against a strawberry's label text. A query that is only a
//! colour ("something blue") lists the photos with the largest share of it first.

use banana_db::Db;
use banana_search::when_where::Parsed;
use banana_vision::colors::COLOR_NAMES;

use crate::CoreError;

/// Words that say nothing once the colour is taken out ("something blue", "a red one").
const GLUE: &[&str] = &[
    "a",
    "an",
    "the",
    "some",
    "something",
    "things",
    "thing",
    "stuff",
    "one",
    "ones",
    "photo",
    "photos",
    "picture",
    "pictures",
    "image",
    "images",
    "of",
    "with",
    "in",
    "colour",
    "color",
    "coloured",
    "colored",
];

/// Other spellings of the palette's names.
const ALIASES: &[(&str, &str)] = &[("grey", "gray"), ("violet", "purple"), ("golden", "yellow")];

/// The colour the query names (the first palette word), taken out of `parsed.rest` (or of the
/// query, when it had no other filter) and named in `parsed.matched`.
pub fn take_colour(parsed: &mut Parsed, query: &str) -> Option<String> {
    let text = if parsed.has_filters() {
        parsed.rest.clone()
    } else {
        query.to_string()
    };
    let mut found = None;
    let mut rest = Vec::new();
    for word in text.split_whitespace() {
        let w = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        let name = ALIASES
            .iter()
            .find(|(a, _)| *a == w)
            .map(|(_, n)| *n)
            .or_else(|| COLOR_NAMES.iter().copied().find(|n| *n == w));
        match name {
            Some(n) if found.is_none() => found = Some(n.to_string()),
            _ => rest.push(word),
        }
    }
    let colour = found?;
    parsed.rest = rest.join(" ");
    parsed.matched.push(format!("colour: {colour}"));
    Some(colour)
}

/// The images with `colour` among their dominant colours and its share of each, the largest
/// share first (ties by id, so pages are stable).
pub async fn coloured(db: &Db, colour: &str) -> Result<Vec<(String, f32)>, CoreError> {
    let rows = banana_db::findings::having_word(db, banana_db::findings::COLORS, colour).await?;
    let mut shares: Vec<(String, f32)> = rows
        .into_iter()
        .map(|(id, data)| {
            let share = share_of(&data, colour);
            (id, share)
        })
        .collect();
    shares.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(shares)
}

/// The share of `colour` in a stored `colors` finding (`[{"name", "hex", "fraction"}]`); 0 when
/// the data does not parse.
fn share_of(data: &str, colour: &str) -> f32 {
    #[derive(serde::Deserialize)]
    struct Share {
        name: String,
        fraction: f32,
    }
    serde_json::from_str::<Vec<Share>>(data)
        .map(|v| {
            v.iter()
                .filter(|s| s.name == colour)
                .map(|s| s.fraction)
                .sum()
        })
        .unwrap_or(0.0)
}

/// Whether nothing but glue words is left to rank by.
pub fn only_glue(rest: &str) -> bool {
    rest.split_whitespace().all(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        GLUE.contains(&w.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed() -> Parsed {
        Parsed {
            rest: String::new(),
            taken: None,
            place: None,
            camera: None,
            matched: Vec::new(),
        }
    }

    #[test]
    fn a_colour_filters_and_the_rest_ranks() {
        let mut p = parsed();
        assert_eq!(take_colour(&mut p, "red car").as_deref(), Some("red"));
        assert_eq!(p.rest, "car");
        assert_eq!(p.matched, vec!["colour: red".to_string()]);
        let mut p = parsed();
        assert_eq!(
            take_colour(&mut p, "something Blue").as_deref(),
            Some("blue")
        );
        assert!(only_glue(&p.rest));
        let mut p = parsed();
        assert_eq!(take_colour(&mut p, "a grey cat").as_deref(), Some("gray"));
        assert!(take_colour(&mut parsed(), "a pet cat").is_none());
    }

    #[test]
    fn the_share_of_a_colour_comes_from_the_stored_finding() {
        let data = r##"[{"name":"blue","hex":"#2d81e6","fraction":0.49},{"name":"gray","hex":"#817a74","fraction":0.51}]"##;
        assert_eq!(share_of(data, "blue"), 0.49);
        assert_eq!(share_of(data, "red"), 0.0);
        assert_eq!(share_of("not json", "blue"), 0.0);
    }
}
