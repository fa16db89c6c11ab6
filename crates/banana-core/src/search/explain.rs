//! Step 6: why each hit is there (`matched`). A search hit lists the labels that carried its
//! vector similarity ([`banana_search::SemanticSpace::explain`]), then the labels and fields
//! (`"title"`, `"attribution"`, `"filename"`, `"tag: …"`) that contain query words; a "more like this" hit lists the
//! labels it shares with the image asked about. Explanations look at the hit's own data and
//! the query only.

use std::collections::{HashMap, HashSet};

use banana_db::images::{self as q, ImageLabel, ImageRow};
use banana_db::Db;
use banana_search::keyword::terms;
use banana_search::{class_categories, FusedRanks};
use banana_vision::class_by_wnid;
use banana_vision::taxonomy::taxonomy;

use super::{Query, SearchHit, KEYWORD_CATEGORIES};
use crate::view::{image_view, labels_of};
use crate::CoreError;

/// The hits of one search page: each row with its fused score and explanation.
pub async fn search_hits(
    db: &Db,
    query: &Query,
    rows: Vec<ImageRow>,
    fused: &[FusedRanks],
) -> Result<Vec<SearchHit>, CoreError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let labels = q::labels_for(db, &ids).await?;
    let tags = banana_db::tags::among(db, &ids).await?;
    let found = banana_db::findings::among(db.pool(), &ids).await?;
    let score_of: HashMap<&str, f32> = fused.iter().map(|f| (f.id.as_str(), f.score)).collect();
    let words: HashSet<String> = query.terms.iter().cloned().collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut matched = match &query.vector {
                Some((v, text)) => {
                    let classes = text.space.explaining_classes(v, &top5_of(&labels, &row.id));
                    shown_names(&labels, &row.id, &classes)
                }
                None => Vec::new(),
            };
            push_unique(&mut matched, keyword_matches(&words, &row, &labels));
            // Tags ride with the title in the keyword text: name the tag that matched.
            let tagged = tags
                .iter()
                .filter(|(i, t)| *i == row.id && terms(t).iter().any(|w| words.contains(w)));
            push_unique(
                &mut matched,
                tagged.map(|(_, t)| format!("tag: {t}")).collect(),
            );
            push_unique(&mut matched, finding_matches(&words, &row.id, &found));
            let score = score_of.get(row.id.as_str()).copied().unwrap_or(0.0);
            hit(row, &labels, score, matched)
        })
        .collect())
}

/// The text lines read in the image that hold query words (`"text: FRESH BAKERY"`), and its
/// faces when the query asks for people (`"faces: 3"`).
fn finding_matches(
    words: &HashSet<String>,
    id: &str,
    found: &[banana_db::findings::FindingRow],
) -> Vec<String> {
    let mut out = Vec::new();
    for f in found.iter().filter(|f| f.image_id == id) {
        match f.kind.as_str() {
            banana_db::findings::TEXT => {
                let lines: Vec<banana_api::TextView> =
                    serde_json::from_str(&f.data).unwrap_or_default();
                for l in lines {
                    let text = crate::analysis::findings::searchable_text(&l.text);
                    if terms(&text).iter().any(|t| words.contains(t)) {
                        out.push(format!("text: {}", l.text));
                    }
                }
            }
            banana_db::findings::FACES if terms(&f.words).iter().any(|t| words.contains(t)) => {
                let n = f.data.matches("\"box\"").count();
                out.push(format!("faces: {n}"));
            }
            _ => {}
        }
    }
    out
}

/// The hits of a "more like this" page: `matched` names the attached labels each shares
/// with `of`. `labels` holds the labels of the page's rows and of `of`.
pub fn similar_hits(
    of: &str,
    rows: Vec<ImageRow>,
    labels: &[ImageLabel],
    score_of: &HashMap<&str, f32>,
) -> Vec<SearchHit> {
    let own: HashSet<&str> = labels
        .iter()
        .filter(|l| l.image_id == of && l.attached == 1)
        .map(|l| l.label_id.as_str())
        .collect();
    rows.into_iter()
        .map(|r| {
            let matched = labels
                .iter()
                .filter(|l| l.image_id == r.id && l.attached == 1)
                .filter(|l| own.contains(l.label_id.as_str()))
                .map(|l| l.name.clone())
                .collect();
            let score = score_of.get(r.id.as_str()).copied().unwrap_or(0.0);
            hit(r, labels, score, matched)
        })
        .collect()
}

fn hit(row: ImageRow, labels: &[ImageLabel], score: f32, matched: Vec<String>) -> SearchHit {
    let l = labels_of(labels, &row.id);
    SearchHit {
        image: image_view(row, l),
        score,
        matched,
    }
}

/// An image's top-5 as `(class index, probability)` from its stored predictions.
pub fn top5_of(labels: &[ImageLabel], image_id: &str) -> Vec<(usize, f32)> {
    labels
        .iter()
        .filter(|l| l.image_id == image_id)
        .filter_map(|l| class_by_wnid(&l.label_id).map(|c| (c.index, l.score as f32)))
        .collect()
}

/// What a user sees of the classes that carried a hit's vector similarity: a class shown as
/// a label by its name; a guess (not shown) by the shown category holding it ("dog" for an
/// unsure beagle), or not at all. `matched` never names a guess.
fn shown_names(labels: &[ImageLabel], image_id: &str, classes: &[usize]) -> Vec<String> {
    let t = taxonomy();
    let shown: Vec<&ImageLabel> = labels
        .iter()
        .filter(|l| l.image_id == image_id && l.attached == 1)
        .collect();
    let mut out: Vec<String> = Vec::new();
    for &class in classes {
        let name = shown.iter().find_map(|l| {
            if class_by_wnid(&l.label_id).is_some_and(|c| c.index == class) {
                return Some(l.name.clone());
            }
            t.category(&l.label_id)
                .filter(|c| c.classes.binary_search(&class).is_ok())
                .map(|_| l.name.clone())
        });
        if let Some(name) = name.filter(|n| !out.contains(n)) {
            out.push(name);
        }
    }
    out
}

/// The labels and fields of an image that contain query words.
fn keyword_matches(words: &HashSet<String>, row: &ImageRow, labels: &[ImageLabel]) -> Vec<String> {
    let hits = |text: &str| terms(text).iter().any(|t| words.contains(t));
    let mut out = Vec::new();
    for l in labels
        .iter()
        .filter(|l| l.image_id == row.id && l.attached == 1)
    {
        if let Some(c) = class_by_wnid(&l.label_id) {
            let names = c.synonyms.join(" ");
            let cats = class_categories(c, KEYWORD_CATEGORIES).join(" ");
            if hits(&names) || hits(&cats) {
                out.push(l.name.clone());
            }
        } else if let Some(c) = taxonomy().category(&l.label_id) {
            let words = crate::labels::category_words(taxonomy(), c);
            if hits(&words) {
                out.push(l.name.clone());
            }
        }
    }
    if row.title.as_deref().is_some_and(hits) {
        out.push("title".into());
    }
    if row.attribution.as_deref().is_some_and(hits) {
        out.push("attribution".into());
    }
    if hits(&banana_db::search_text::filename_words(&row.filename)) {
        out.push("filename".into());
    }
    out
}

fn push_unique(into: &mut Vec<String>, more: Vec<String>) {
    for m in more {
        if !into.contains(&m) {
            into.push(m);
        }
    }
}
