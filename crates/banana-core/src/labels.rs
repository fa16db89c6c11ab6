//! The label tree a user sees: the everyday categories of [`banana_vision::taxonomy`] (animal
//! → dog → pug; vehicle → car …) over the ImageNet classes. A category is a label of its own
//! (its id, e.g. `dog`, in the `labels` table beside the WordNet ids): the classifier attaches
//! it when no class is sure enough but the category is ([`crate::analysis::classifier`]).
//! Filtering by a category (`?label=dog`) finds every image with it or anything below it
//! attached; `GET /api/v1/labels` returns the tree with the number of images under each node.

use std::collections::{HashMap, HashSet};

use banana_api::{LabelCategory, LabelCount, LabelList, Library};
use banana_db::labels::{self, Label};
use banana_vision::taxonomy::{taxonomy, Category, Taxonomy};
use banana_vision::{class_by_wnid, imagenet_classes};

use crate::access::Viewer;
use crate::{App, CoreError};

/// The label ids a `?label=` filter matches: a category's own id, those of the categories
/// below it and the WordNet ids of every class it holds; any other id only itself.
pub fn filter_ids(id: &str) -> Vec<String> {
    match taxonomy().category(id) {
        Some(c) => subtree_ids(c).into_iter().map(str::to_string).collect(),
        None => vec![id.to_string()],
    }
}

/// A category's id, those of the categories below it and the WordNet ids of its classes.
fn subtree_ids(c: &Category) -> Vec<&'static str> {
    let t = taxonomy();
    let classes = imagenet_classes();
    t.subtree(c.index)
        .into_iter()
        .map(|i| t.categories[i].id)
        .chain(c.classes.iter().map(|&k| classes[k].wnid))
        .collect()
}

/// When a query names a category ("dog", "dogs", "a car", "birds"), the label ids under it
/// ([`filter_ids`]): the search ranks images with any of them attached first. Only the
/// category's name and synsets count, not its looser words ("pet", "bottle").
pub fn exact_category(query: &str) -> Vec<&'static str> {
    let forms = banana_search::exact_forms(query);
    taxonomy()
        .categories
        .iter()
        .find(|c| {
            std::iter::once(&c.name)
                .chain(c.synsets)
                .any(|n| forms.contains(*n))
        })
        .map(subtree_ids)
        .unwrap_or_default()
}

/// The words a category is found by: its name, synsets and extra words.
fn category_synonyms(c: &Category) -> String {
    let mut words: Vec<&str> = vec![c.name];
    for w in c.synsets.iter().chain(c.words) {
        if !words.contains(w) {
            words.push(w);
        }
    }
    words.join(", ")
}

/// The broader words a category carries in the keyword index: its synsets and the names and
/// synsets of the categories above it (never empty, so seeding knows it is done).
pub fn category_categories(t: &Taxonomy, c: &Category) -> String {
    let mut words: Vec<&str> = c.synsets.to_vec();
    for a in t.ancestors(c.index) {
        let a = &t.categories[a];
        for w in std::iter::once(&a.name).chain(a.synsets) {
            if !words.contains(w) {
                words.push(w);
            }
        }
    }
    words.join(", ")
}

/// Every word a category is found by in the keyword index (its synonyms and categories).
pub fn category_words(t: &Taxonomy, c: &Category) -> String {
    format!("{} {}", category_synonyms(c), category_categories(t, c))
}

/// The categories as rows of the label vocabulary (class index -1: no classifier output).
pub fn category_labels() -> Vec<Label<'static>> {
    taxonomy()
        .categories
        .iter()
        .map(|c| Label {
            wnid: c.id,
            class_index: -1,
            name: c.name,
            synonyms: category_synonyms(c),
        })
        .collect()
}

/// The label tree of `pairs` (`(image id, label id)` attached): every category with at least
/// one image, counting each image once however many of its labels fall under the category,
/// with the classes whose deepest category it is; `counts` are the flat per-label counts.
pub fn tree(pairs: &[(String, String)], counts: &[LabelCount]) -> Vec<LabelCategory> {
    let t = taxonomy();
    // Per category, the images with it or one of its classes attached (directly).
    let mut direct: Vec<HashSet<&str>> = vec![HashSet::new(); t.categories.len()];
    for (image, label) in pairs {
        if let Some(c) = t.category(label) {
            direct[c.index].insert(image);
        } else if let Some(class) = class_by_wnid(label) {
            for c in &t.categories {
                if c.classes.binary_search(&class.index).is_ok() {
                    direct[c.index].insert(image);
                }
            }
        }
    }
    let count = |i: usize| -> i64 {
        let mut all: HashSet<&str> = HashSet::new();
        for s in t.subtree(i) {
            all.extend(direct[s].iter().copied());
        }
        all.len() as i64
    };
    let by_id: HashMap<&str, &LabelCount> = counts.iter().map(|c| (c.id.as_str(), c)).collect();
    fn node(
        t: &Taxonomy,
        i: usize,
        count: &dyn Fn(usize) -> i64,
        by_id: &HashMap<&str, &LabelCount>,
    ) -> Option<LabelCategory> {
        let n = count(i);
        if n == 0 {
            return None;
        }
        let c = &t.categories[i];
        let classes = imagenet_classes();
        let mut labels: Vec<LabelCount> = c
            .classes
            .iter()
            .filter(|&&k| t.group_of(k).map(|g| g.index) == Some(i))
            .filter_map(|&k| by_id.get(classes[k].wnid).map(|l| (*l).clone()))
            .collect();
        labels.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        let mut children: Vec<LabelCategory> = t
            .children(i)
            .filter_map(|ch| node(t, ch.index, count, by_id))
            .collect();
        children.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        Some(LabelCategory {
            id: c.id.to_string(),
            name: c.name.to_string(),
            count: n,
            children,
            labels,
        })
    }
    let mut roots: Vec<LabelCategory> = t
        .categories
        .iter()
        .filter(|c| c.parent.is_none())
        .filter_map(|c| node(t, c.index, &count, &by_id))
        .collect();
    roots.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    roots
}

impl App {
    /// The labels in use on the images this viewer may see in `library`: flat, most used
    /// first, and as the category tree.
    pub async fn label_list(
        &self,
        viewer: &Viewer,
        library: Library,
    ) -> Result<LabelList, CoreError> {
        let scope = viewer.library_scope(library);
        let items: Vec<LabelCount> = labels::counts(&self.db, &scope)
            .await?
            .into_iter()
            .map(|l| LabelCount {
                // A category has no WordNet id of its own.
                wnid: if taxonomy().category(&l.id).is_some() {
                    String::new()
                } else {
                    l.id.clone()
                },
                id: l.id,
                name: l.name,
                count: l.count,
            })
            .collect();
        let pairs = labels::attached_pairs(&self.db, &scope).await?;
        Ok(LabelList {
            categories: tree(&pairs, &items),
            items,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wnid(name: &str) -> String {
        imagenet_classes()
            .iter()
            .find(|c| c.name == name)
            .unwrap()
            .wnid
            .to_string()
    }

    #[test]
    fn a_category_filter_holds_its_subtree_and_classes_but_not_lookalikes() {
        let ids = filter_ids("dog");
        assert!(ids.contains(&"dog".to_string()));
        assert!(ids.contains(&wnid("pug")));
        assert!(ids.contains(&wnid("beagle")));
        assert!(!ids.contains(&wnid("hotdog")));
        let animal = filter_ids("animal");
        assert!(animal.contains(&"dog".to_string()) && animal.contains(&"bird".to_string()));
        assert_eq!(filter_ids("n02123045"), vec!["n02123045".to_string()]);
    }

    #[test]
    fn a_query_naming_a_category_finds_its_labels() {
        assert!(exact_category("dogs").contains(&"dog"));
        assert!(exact_category("a car").contains(&"car"));
        assert!(exact_category("Birds").contains(&"bird"));
        assert!(exact_category("bottle").is_empty());
        assert!(exact_category("a dog on a beach").is_empty());
    }

    #[test]
    fn every_category_has_keyword_words() {
        let t = taxonomy();
        for c in &t.categories {
            assert!(!category_categories(t, c).is_empty(), "{}", c.id);
            assert!(category_synonyms(c).starts_with(c.name));
        }
        assert!(category_categories(t, t.category("dog").unwrap()).contains("animal"));
    }

    #[test]
    fn the_tree_counts_each_image_once_per_category() {
        let (pug, beagle) = (wnid("pug"), wnid("beagle"));
        let pairs = vec![
            ("a".to_string(), pug.clone()),
            ("a".to_string(), beagle.clone()),
            ("b".to_string(), "dog".to_string()),
            ("c".to_string(), wnid("hotdog")),
        ];
        let counts = vec![
            LabelCount {
                id: pug.clone(),
                name: "pug".into(),
                wnid: pug.clone(),
                count: 1,
            },
            LabelCount {
                id: beagle.clone(),
                name: "beagle".into(),
                wnid: beagle.clone(),
                count: 1,
            },
        ];
        let roots = tree(&pairs, &counts);
        let animal = roots.iter().find(|c| c.id == "animal").unwrap();
        assert_eq!(animal.count, 2);
        let dog = animal.children.iter().find(|c| c.id == "dog").unwrap();
        assert_eq!(dog.count, 2);
        assert_eq!(dog.labels.len(), 2);
        let food = roots.iter().find(|c| c.id == "food").unwrap();
        assert_eq!(food.count, 1);
        assert!(roots.iter().all(|c| c.id != "vehicle"));
    }
}
