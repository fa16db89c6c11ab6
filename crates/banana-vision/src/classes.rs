//! The 1000 ImageNet-1k classes: WordNet id, display name, synonyms, hypernyms and gloss.
//!
//! The data file `data/imagenet_classes.tsv` is generated from WordNet 3.0 by
//! `data/gen_classes.py` and compiled into the crate. Class `i` is the classifier's output `i`
//! (ImageNet orders classes by WordNet id). Two classes share the name "crane" and two
//! "maillot": key labels by [`ImageNetClass::wnid`], never by name.

use std::sync::OnceLock;

const DATA: &str = include_str!("../data/imagenet_classes.tsv");

/// One ImageNet class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageNetClass {
    /// Output index of the classifier (0..1000).
    pub index: usize,
    /// WordNet 3.0 noun synset id, e.g. `n02123045`.
    pub wnid: &'static str,
    /// Display name: the synset's first lemma, e.g. `tabby`.
    pub name: &'static str,
    /// All lemmas of the synset, the name first, e.g. `["tabby", "tabby cat"]`.
    pub synonyms: Vec<&'static str>,
    /// Broader categories, nearest first, following the first hypernym up to `entity`,
    /// e.g. `domestic cat`, `cat`, `feline`, `carnivore`, ...
    pub hypernyms: Vec<&'static str>,
    /// WordNet's definition of the synset.
    pub gloss: &'static str,
}

/// All 1000 classes, in output-index order.
pub fn imagenet_classes() -> &'static [ImageNetClass] {
    static CLASSES: OnceLock<Vec<ImageNetClass>> = OnceLock::new();
    CLASSES.get_or_init(|| parse(DATA))
}

/// The class with this WordNet id.
pub fn class_by_wnid(wnid: &str) -> Option<&'static ImageNetClass> {
    let classes = imagenet_classes();
    classes
        .binary_search_by(|c| c.wnid.cmp(wnid))
        .ok()
        .map(|i| &classes[i])
}

fn parse(data: &'static str) -> Vec<ImageNetClass> {
    let split = |s: &'static str, sep: &str| -> Vec<&'static str> {
        if s.is_empty() {
            Vec::new()
        } else {
            s.split(sep).collect()
        }
    };
    let classes: Vec<ImageNetClass> = data
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|line| {
            let f: Vec<&'static str> = line.split('\t').collect();
            assert_eq!(f.len(), 6, "bad line in imagenet_classes.tsv: {line}");
            ImageNetClass {
                index: f[0].parse().expect("index"),
                wnid: f[1],
                name: f[2],
                synonyms: split(f[3], ", "),
                hypernyms: split(f[4], " > "),
                gloss: f[5],
            }
        })
        .collect();
    for (i, c) in classes.iter().enumerate() {
        assert_eq!(c.index, i, "imagenet_classes.tsv is out of order");
    }
    classes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousand_classes_in_wnid_order() {
        let c = imagenet_classes();
        assert_eq!(c.len(), 1000);
        assert!(c.windows(2).all(|w| w[0].wnid < w[1].wnid));
        assert_eq!(c[0].wnid, "n01440764");
        assert_eq!(c[0].name, "tench");
    }

    #[test]
    fn tabby_has_synonyms_and_a_hypernym_chain() {
        let t = class_by_wnid("n02123045").unwrap();
        assert_eq!(t.index, 281);
        assert_eq!(t.name, "tabby");
        assert_eq!(t.synonyms, vec!["tabby", "tabby cat"]);
        assert_eq!(
            &t.hypernyms[..4],
            &["domestic cat", "cat", "feline", "carnivore"]
        );
        assert!(t.hypernyms.contains(&"mammal") && t.hypernyms.contains(&"animal"));
        assert_eq!(*t.hypernyms.last().unwrap(), "entity");
        assert!(t.gloss.contains("mottled"));
    }

    #[test]
    fn classes_sharing_a_name_differ_by_wnid() {
        let cranes: Vec<_> = imagenet_classes()
            .iter()
            .filter(|c| c.name == "crane")
            .collect();
        assert_eq!(cranes.len(), 2);
        assert!(cranes[0].hypernyms.contains(&"bird"));
        assert!(cranes[1].hypernyms.contains(&"device"));
        let maillots = imagenet_classes()
            .iter()
            .filter(|c| c.name == "maillot")
            .count();
        assert_eq!(maillots, 2);
    }

    #[test]
    fn oracle_classes_have_the_expected_indices() {
        // From the converter oracle in the machine notes.
        for (i, wnid) in [(649, "n03743016"), (905, "n04590129"), (504, "n03063599")] {
            assert_eq!(imagenet_classes()[i].wnid, wnid);
        }
        assert_eq!(class_by_wnid("n04590129").unwrap().name, "window shade");
        assert!(class_by_wnid("n00000000").is_none());
    }
}
