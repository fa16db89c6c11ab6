//! A plain in-memory keyword matcher: **a stand-in for the database's full-text search**
//! (SQLite FTS5 / PostgreSQL), used by the quality bench as the "keyword only" baseline and
//! as the keyword side of the hybrid ranking there. The server uses the database instead.
//!
//! Documents are bags of words (lowercased alphanumeric runs, English stop words dropped,
//! a light plural stemmer). A document's score is the sum of the BM25 idf of the distinct
//! query terms it contains; documents without any query term are not returned.

use std::collections::{HashMap, HashSet};

const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "has",
    "have",
    "i",
    "in",
    "is",
    "it",
    "its",
    "me",
    "my",
    "of",
    "on",
    "or",
    "that",
    "the",
    "this",
    "to",
    "was",
    "with",
    "what",
    "which",
    "who",
    "you",
    "your",
    "some",
    "something",
    "thing",
    "things",
    "kind",
    "type",
    "picture",
    "photo",
    "image",
    "show",
    "shows",
    "find",
];

/// Words of `text`: lowercased alphanumeric runs without stop words, plurals stemmed.
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .map(|w| stem(&w))
        .collect()
}

fn stem(w: &str) -> String {
    if w.len() > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..w.len() - 3]);
    }
    for suf in ["ches", "shes", "sses", "xes"] {
        if w.len() > suf.len() + 1 && w.ends_with(suf) {
            return w[..w.len() - 2].to_owned();
        }
    }
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        return w[..w.len() - 1].to_owned();
    }
    w.to_owned()
}

/// The in-memory keyword index (see the module docs: a stand-in, not the server's search).
#[derive(Debug, Default)]
pub struct KeywordBaseline {
    docs: Vec<(String, HashSet<String>)>,
    df: HashMap<String, usize>,
}

impl KeywordBaseline {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a document: an id and its searchable text (e.g. label names and synonyms).
    pub fn add(&mut self, id: &str, text: &str) {
        let set: HashSet<String> = terms(text).into_iter().collect();
        for t in &set {
            *self.df.entry(t.clone()).or_default() += 1;
        }
        self.docs.push((id.to_owned(), set));
    }

    /// Ids of the documents containing any query term, best first (ties by insertion order).
    pub fn search(&self, query: &str, limit: usize) -> Vec<(String, f32)> {
        self.search_with(query, limit, false)
    }

    /// Ids of the documents containing every query term, best first (the server's keyword
    /// side in hybrid mode).
    pub fn search_all(&self, query: &str, limit: usize) -> Vec<(String, f32)> {
        self.search_with(query, limit, true)
    }

    fn search_with(&self, query: &str, limit: usize, all: bool) -> Vec<(String, f32)> {
        let n = self.docs.len() as f32;
        let q: HashSet<String> = terms(query).into_iter().collect();
        let idf: Vec<(&String, f32)> = q
            .iter()
            .map(|t| {
                let df = *self.df.get(t).unwrap_or(&0) as f32;
                (t, (1.0 + (n - df + 0.5) / (df + 0.5)).ln())
            })
            .collect();
        let mut scored: Vec<(usize, f32)> = self
            .docs
            .iter()
            .enumerate()
            .filter(|(_, (_, set))| !all || q.iter().all(|t| set.contains(t)))
            .filter_map(|(i, (_, set))| {
                let s: f32 = idf
                    .iter()
                    .filter(|(t, _)| set.contains(*t))
                    .map(|(_, w)| w)
                    .sum();
                (s > 0.0).then_some((i, s))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored
            .into_iter()
            .take(limit)
            .map(|(i, s)| (self.docs[i].0.clone(), s))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_drop_stop_words_and_stem_plurals() {
        assert_eq!(
            terms("Something to drink coffee from"),
            vec!["drink", "coffee"]
        );
        assert_eq!(
            terms("Boxes, puppies & glasses; bus"),
            vec!["box", "puppy", "glass", "bus"]
        );
    }

    #[test]
    fn rarer_terms_weigh_more_and_non_matches_are_absent() {
        let mut k = KeywordBaseline::new();
        k.add("1", "tabby, tabby cat");
        k.add("2", "Persian cat");
        k.add("3", "coffee mug");
        k.add("4", "tiger cat");
        let r = k.search("a tabby cat", 10);
        let ids: Vec<&str> = r.iter().map(|(i, _)| i.as_str()).collect();
        assert_eq!(ids, vec!["1", "2", "4"]);
        assert!(r[0].1 > r[1].1);
        assert!(k.search("zebra", 10).is_empty());
        let all: Vec<String> = k
            .search_all("a tabby cat", 10)
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(all, vec!["1"]);
    }
}
