//! The labels a user is shown: a small taxonomy of everyday categories over the 1000 ImageNet
//! classes (animal → dog → pug; vehicle → car; food; plant; landscape …), and when the
//! classifier is sure enough to name a class, or only its category, or nothing.
//!
//! The categories are named here by WordNet synsets (their first lemma as it appears in the
//! hypernym chains of `imagenet_classes.tsv`); which classes each holds and which category is
//! another's parent are derived from WordNet: a class belongs to a category when the
//! category's synset is among its hypernyms (or is the class itself), and a category's parent
//! is the smallest other category that holds all of its classes.
//!
//! Trust is calibrated on data, not written down per class: `examples/calibrate_labels.rs`
//! runs the classifier over the 1000 photos of `imagenet-sample` (one per class, the class in
//! the file name) and writes `data/label_calibration.tsv`:
//!
//! - a **class** is shown when its probability reaches the threshold of its group (the
//!   deepest category it belongs to; groups with too few photos are pooled with their parent,
//!   up to all classes): the lowest probability from which the group's top-1 calls were right
//!   at least [`CLASS_PRECISION`] of the time;
//! - otherwise a **category** is shown when the probability summed over its classes reaches
//!   its threshold: the lowest sum from which "this photo shows a …" was right at least
//!   [`CATEGORY_PRECISION`] of the time. The deepest such category is shown ("dog 92%" when no
//!   breed is sure);
//! - otherwise nothing is shown (the top-5 stays available as the classifier's guesses).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::classes::imagenet_classes;

/// Precision a shown class must have reached on the calibration photos.
pub const CLASS_PRECISION: f64 = 0.95;
/// Precision a shown category must have reached on the calibration photos.
pub const CATEGORY_PRECISION: f64 = 0.95;
/// A group needs this many top-1 calls on the calibration photos to get its own threshold;
/// smaller ones are pooled with their parent.
pub const MIN_GROUP_CALLS: usize = 20;

/// A category's definition: id, display name, the WordNet synsets whose hyponyms it holds,
/// extra words a user would search it by, and synsets a member must also descend from when
/// a lemma is ambiguous (WordNet's "car" is also a railway car, its "vessel" also a jug).
type Def = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

/// The categories. Order is only the display order among siblings.
#[rustfmt::skip]
const CATEGORIES: &[Def] = &[
    ("animal", "animal", &["animal"], &["animals", "wildlife", "creature"], &[]),
    ("dog", "dog", &["dog"], &["dogs", "puppy", "pet"], &[]),
    ("cat", "cat", &["cat"], &["cats", "kitten", "pet"], &[]),
    ("big-cat", "big cat", &["big cat"], &["wild cat"], &[]),
    ("wild-dog", "wolf or fox", &["wolf", "fox", "wild dog"], &[], &[]),
    ("bear", "bear", &["bear"], &["bears"], &[]),
    ("primate", "monkey or ape", &["primate"], &["monkey", "ape"], &[]),
    ("hoofed", "hoofed animal", &["ungulate"], &["cattle", "deer", "horse"], &[]),
    ("bird", "bird", &["bird"], &["birds"], &[]),
    ("fish", "fish", &["fish"], &["fishes"], &[]),
    ("reptile", "reptile", &["reptile"], &["snake", "lizard", "turtle"], &[]),
    ("amphibian", "amphibian", &["amphibian"], &["frog"], &[]),
    ("insect", "insect", &["insect"], &["bug", "insects"], &[]),
    ("spider", "spider or scorpion", &["arachnid"], &[], &[]),
    ("sea-creature", "shellfish or sea creature", &["crustacean", "mollusk", "coelenterate", "echinoderm"], &[], &[]),
    ("vehicle", "vehicle", &["vehicle"], &["transport"], &[]),
    ("car", "car", &["car"], &["cars", "automobile"], &["motor vehicle"]),
    ("truck", "truck", &["truck"], &["lorry"], &[]),
    ("bus", "bus", &["bus"], &[], &[]),
    ("bicycle", "bicycle", &["bicycle"], &["bike"], &[]),
    ("boat", "boat or ship", &["boat", "ship", "vessel"], &["boat", "ship"], &["craft"]),
    ("aircraft", "aircraft", &["aircraft"], &["plane"], &[]),
    ("food", "food", &["food", "foodstuff"], &["meal", "dish"], &[]),
    ("fruit", "fruit", &["edible fruit"], &["fruits"], &[]),
    ("vegetable", "vegetable", &["vegetable"], &["vegetables"], &[]),
    ("plant", "plant or mushroom", &["plant", "fungus"], &["plant", "flower", "mushroom"], &["organism"]),
    ("landscape", "landscape", &["geological formation"], &["nature", "scenery", "outdoors"], &[]),
    ("structure", "building or structure", &["structure"], &["architecture"], &[]),
    ("building", "building", &["building"], &["house"], &[]),
    ("clothing", "clothing", &["clothing", "garment"], &["clothes", "fashion"], &[]),
    ("headwear", "hat or helmet", &["headdress"], &["hat", "helmet"], &[]),
    ("footwear", "footwear", &["footwear"], &["shoes"], &[]),
    ("instrument", "musical instrument", &["musical instrument"], &["music"], &[]),
    ("furniture", "furniture", &["furniture"], &[], &[]),
    ("container", "container", &["container"], &["box", "bag", "bottle"], &[]),
    ("ball", "ball", &["ball"], &["sport"], &[]),
    ("tool", "tool", &["tool"], &["tools"], &[]),
    ("electronics", "electronics", &["electronic equipment", "computer"], &["gadget"], &[]),
];

/// One category of the taxonomy.
#[derive(Debug, Clone)]
pub struct Category {
    /// Its position in [`Taxonomy::categories`].
    pub index: usize,
    /// Stable id, e.g. `dog` (also its label id).
    pub id: &'static str,
    /// Display name, e.g. `dog`.
    pub name: &'static str,
    /// The WordNet synsets it stands for.
    pub synsets: &'static [&'static str],
    /// Words it is found by, besides its name and synsets.
    pub words: &'static [&'static str],
    /// The smallest category holding all of this one's classes.
    pub parent: Option<usize>,
    /// How many categories are above it.
    pub depth: usize,
    /// The ImageNet classes it holds (class indices, ascending).
    pub classes: Vec<usize>,
}

/// The taxonomy and its calibration.
#[derive(Debug)]
pub struct Taxonomy {
    pub categories: Vec<Category>,
    /// Per class: the deepest category holding it.
    group: Vec<Option<usize>>,
    /// Per class: the probability from which it is shown.
    class_threshold: Vec<f32>,
    /// Per category: the summed probability from which it is shown.
    category_threshold: Vec<f32>,
}

/// What is shown of one prediction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shown {
    /// A class (index) and its probability.
    Class(usize, f32),
    /// A category (index) and its summed probability.
    Category(usize, f32),
}

/// The taxonomy, calibrated with `data/label_calibration.tsv`.
pub fn taxonomy() -> &'static Taxonomy {
    static T: OnceLock<Taxonomy> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = Taxonomy::uncalibrated();
        t.apply(&Calibration::parse(include_str!(
            "../data/label_calibration.tsv"
        )));
        t
    })
}

impl Taxonomy {
    /// The categories derived from WordNet, every threshold above 1 (nothing shown).
    pub fn uncalibrated() -> Taxonomy {
        let classes = imagenet_classes();
        let mut categories: Vec<Category> = CATEGORIES
            .iter()
            .enumerate()
            .map(|(index, &(id, name, synsets, words, within))| Category {
                index,
                id,
                name,
                synsets,
                words,
                parent: None,
                depth: 0,
                classes: classes
                    .iter()
                    .filter(|c| {
                        let is = |s: &&str| c.hypernyms.contains(s) || c.synonyms.contains(s);
                        synsets.iter().any(is) && (within.is_empty() || within.iter().any(is))
                    })
                    .map(|c| c.index)
                    .collect(),
            })
            .collect();
        // A category's parent: the smallest other category holding all of its classes.
        for i in 0..categories.len() {
            let mine = &categories[i].classes;
            let parent = categories
                .iter()
                .filter(|o| o.index != i && o.classes.len() > mine.len())
                .filter(|o| mine.iter().all(|c| o.classes.binary_search(c).is_ok()))
                .min_by_key(|o| o.classes.len())
                .map(|o| o.index);
            categories[i].parent = parent;
        }
        for i in 0..categories.len() {
            categories[i].depth = lineage(&categories, Some(i)).len() - 1;
        }
        let group = classes
            .iter()
            .map(|c| {
                categories
                    .iter()
                    .filter(|k| k.classes.binary_search(&c.index).is_ok())
                    .max_by_key(|k| (k.depth, usize::MAX - k.classes.len()))
                    .map(|k| k.index)
            })
            .collect();
        Taxonomy {
            class_threshold: vec![f32::INFINITY; classes.len()],
            category_threshold: vec![f32::INFINITY; categories.len()],
            categories,
            group,
        }
    }

    /// The category with this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The deepest category holding this class.
    pub fn group_of(&self, class: usize) -> Option<&Category> {
        self.group
            .get(class)
            .copied()
            .flatten()
            .map(|i| &self.categories[i])
    }

    /// The category's children, in display order.
    pub fn children(&self, category: usize) -> impl Iterator<Item = &Category> {
        self.categories
            .iter()
            .filter(move |c| c.parent == Some(category))
    }

    /// The category and every category below it.
    pub fn subtree(&self, category: usize) -> Vec<usize> {
        let mut out = vec![category];
        let mut i = 0;
        while i < out.len() {
            out.extend(self.children(out[i]).map(|c| c.index));
            i += 1;
        }
        out
    }

    /// The category's ancestors, nearest first.
    pub fn ancestors(&self, category: usize) -> Vec<usize> {
        lineage(&self.categories, self.categories[category].parent)
    }

    /// The probability from which this class is shown.
    pub fn class_threshold(&self, class: usize) -> f32 {
        self.class_threshold[class]
    }

    /// The summed probability from which this category is shown.
    pub fn category_threshold(&self, category: usize) -> f32 {
        self.category_threshold[category]
    }

    /// Per category, the probability summed over its classes.
    pub fn sums(&self, probabilities: &[f32]) -> Vec<f32> {
        self.categories
            .iter()
            .map(|c| c.classes.iter().filter_map(|&i| probabilities.get(i)).sum())
            .collect()
    }

    /// What to show for a prediction: the top-5 classes sure enough, best first; else the
    /// deepest category sure enough; else nothing.
    pub fn shown(&self, top5: &[(usize, f32)], sums: &[f32]) -> Vec<Shown> {
        let classes: Vec<Shown> = top5
            .iter()
            .filter(|&&(c, p)| p >= self.class_threshold[c])
            .map(|&(c, p)| Shown::Class(c, p))
            .collect();
        if !classes.is_empty() {
            return classes;
        }
        self.categories
            .iter()
            .filter(|c| {
                sums.get(c.index)
                    .is_some_and(|&s| s >= self.category_threshold[c.index])
            })
            .max_by(|a, b| {
                (a.depth)
                    .cmp(&b.depth)
                    .then(sums[a.index].total_cmp(&sums[b.index]))
            })
            .map(|c| vec![Shown::Category(c.index, sums[c.index])])
            .unwrap_or_default()
    }

    /// Use a calibration's thresholds (classes of groups it does not list fall back to the
    /// nearest listed ancestor, then to `*`).
    pub fn apply(&mut self, cal: &Calibration) {
        for class in 0..self.group.len() {
            let ids = lineage(&self.categories, self.group[class]).into_iter();
            let ids = ids.map(|g| self.categories[g].id).chain(["*"]);
            self.class_threshold[class] = ids
                .filter_map(|id| cal.groups.get(id).copied())
                .next()
                .unwrap_or(f32::INFINITY);
        }
        for c in &self.categories {
            self.category_threshold[c.index] =
                cal.categories.get(c.id).copied().unwrap_or(f32::INFINITY);
        }
    }

    /// Calibrate on observations (a prediction and the true class of each photo): the
    /// thresholds from which shown classes and categories reach these precisions.
    pub fn calibrate(
        &self,
        obs: &[Observation],
        class_precision: f64,
        category_precision: f64,
    ) -> Calibration {
        let mut cal = Calibration::default();
        // Class groups: the top-1 calls whose class falls in the group's subtree.
        let mut calls_of: HashMap<Option<usize>, Vec<(f32, bool)>> = HashMap::new();
        for o in obs {
            let &(c, p) = &o.top5[0];
            // Credit the call to its group and every ancestor (pooled groups use those).
            let pooled = lineage(&self.categories, self.group[c])
                .into_iter()
                .map(Some);
            for g in pooled.chain([None]) {
                calls_of.entry(g).or_default().push((p, c == o.truth));
            }
        }
        if let Some(all) = calls_of.get(&None) {
            cal.groups
                .insert("*", lowest_threshold(all, class_precision, 1));
        }
        for c in &self.categories {
            if let Some(calls) = calls_of.get(&Some(c.index)) {
                if calls.len() >= MIN_GROUP_CALLS {
                    cal.groups
                        .insert(c.id, lowest_threshold(calls, class_precision, 5));
                }
            }
        }
        // Categories: "this photo shows a <category>" from the summed probability.
        for c in &self.categories {
            let calls: Vec<(f32, bool)> = obs
                .iter()
                .map(|o| (o.sums[c.index], c.classes.binary_search(&o.truth).is_ok()))
                .collect();
            cal.categories
                .insert(c.id, lowest_threshold(&calls, category_precision, 3));
        }
        cal
    }
}

/// `start` and its ancestors, nearest first (empty for `None`).
fn lineage(categories: &[Category], start: Option<usize>) -> Vec<usize> {
    std::iter::successors(start, |&c| categories[c].parent).collect()
}

/// One calibration photo: the classifier's top-5 and category sums, and its true class.
#[derive(Debug, Clone)]
pub struct Observation {
    pub top5: Vec<(usize, f32)>,
    pub sums: Vec<f32>,
    pub truth: usize,
}

/// Thresholds by group (`*` for classes outside every group) and by category.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calibration {
    pub groups: HashMap<&'static str, f32>,
    pub categories: HashMap<&'static str, f32>,
}

impl Calibration {
    /// Reads `kind<TAB>id<TAB>threshold` lines (`#` comments; other columns are notes).
    /// Ids that are not categories of the taxonomy are ignored.
    pub fn parse(text: &str) -> Calibration {
        let ids: Vec<&'static str> = CATEGORIES.iter().map(|c| c.0).chain(["*"]).collect();
        let mut cal = Calibration::default();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let f: Vec<&str> = line.split('\t').collect();
            let (Some(kind), Some(id), Some(t)) = (f.first(), f.get(1), f.get(2)) else {
                continue;
            };
            let Some(id) = ids.iter().find(|i| *i == id).copied() else {
                continue;
            };
            let t = if *t == "never" {
                f32::INFINITY
            } else {
                match t.parse::<f32>() {
                    Ok(t) => t,
                    Err(_) => continue,
                }
            };
            match *kind {
                "group" => cal.groups.insert(id, t),
                "category" => cal.categories.insert(id, t),
                _ => None,
            };
        }
        cal
    }
}

/// The lowest score `t` such that the calls scoring at least `t` are right at least
/// `precision` of the time and number at least `min_calls`; infinity when none is.
pub fn lowest_threshold(calls: &[(f32, bool)], precision: f64, min_calls: usize) -> f32 {
    let mut sorted: Vec<(f32, bool)> = calls.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut right, mut best) = (0usize, f32::INFINITY);
    for (n, &(score, ok)) in sorted.iter().enumerate() {
        right += usize::from(ok);
        let count = n + 1;
        // Only cut between distinct scores.
        if sorted.get(n + 1).is_some_and(|next| next.0 == score) {
            continue;
        }
        if count >= min_calls && right as f64 / count as f64 >= precision && score > 0.0 {
            best = score;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classes::class_by_wnid;

    fn class(wnid: &str) -> usize {
        class_by_wnid(wnid).unwrap().index
    }

    #[test]
    fn categories_come_from_wordnet() {
        let t = Taxonomy::uncalibrated();
        let dog = t.category("dog").unwrap();
        assert_eq!(dog.classes.len(), 118);
        assert!(dog.classes.contains(&class("n02110958"))); // pug
        assert!(!dog.classes.contains(&class("n07697537"))); // hotdog
        assert_eq!(t.categories[dog.parent.unwrap()].id, "animal");
        assert_eq!(t.group_of(class("n02110958")).unwrap().id, "dog");
        let car = t.category("car").unwrap();
        assert_eq!(
            t.ancestors(car.index)
                .iter()
                .map(|&i| t.categories[i].id)
                .collect::<Vec<_>>(),
            ["vehicle"]
        );
        assert!(t
            .category("food")
            .unwrap()
            .classes
            .contains(&class("n07697537")));
        let animal = t.category("animal").unwrap();
        let sub: Vec<&str> = t
            .subtree(animal.index)
            .iter()
            .map(|&i| t.categories[i].id)
            .collect();
        assert!(sub.contains(&"dog") && sub.contains(&"big-cat") && !sub.contains(&"car"));
        // Every category holds classes, and a child's classes are all its parent's.
        for c in &t.categories {
            assert!(!c.classes.is_empty(), "{} is empty", c.id);
            if let Some(p) = c.parent {
                assert!(c
                    .classes
                    .iter()
                    .all(|x| t.categories[p].classes.contains(x)));
            }
        }
    }

    #[test]
    fn lowest_threshold_reaches_the_precision() {
        let calls = [
            (0.9, true),
            (0.8, true),
            (0.7, false),
            (0.6, true),
            (0.5, false),
            (0.4, false),
        ];
        // ≥0.8: 2/2; ≥0.6: 3/4 = 0.75; so 0.85 needs 0.8.
        assert_eq!(lowest_threshold(&calls, 0.85, 1), 0.8);
        assert_eq!(lowest_threshold(&calls, 0.75, 1), 0.6);
        assert_eq!(lowest_threshold(&calls, 0.85, 3), f32::INFINITY);
    }

    #[test]
    fn an_unsure_breed_shows_as_dog() {
        let mut t = Taxonomy::uncalibrated();
        let mut cal = Calibration::default();
        cal.groups.insert("dog", 0.6);
        cal.groups.insert("*", 0.5);
        cal.categories.insert("dog", 0.7);
        cal.categories.insert("animal", 0.7);
        t.apply(&cal);
        let (pug, beagle) = (class("n02110958"), class("n02088364"));
        let mut probs = vec![0.0f32; 1000];
        probs[pug] = 0.45;
        probs[beagle] = 0.4;
        let sums = t.sums(&probs);
        let dog = t.category("dog").unwrap().index;
        assert!((sums[dog] - 0.85).abs() < 1e-6);
        assert_eq!(
            t.shown(&[(pug, 0.45), (beagle, 0.4)], &sums),
            vec![Shown::Category(dog, sums[dog])]
        );
        // A sure breed is shown as itself.
        probs[pug] = 0.7;
        let sums = t.sums(&probs);
        assert_eq!(
            t.shown(&[(pug, 0.7), (beagle, 0.4)], &sums),
            vec![Shown::Class(pug, 0.7)]
        );
        // Nothing sure: nothing shown.
        let flat = vec![0.001f32; 1000];
        assert!(t.shown(&[(pug, 0.001)], &t.sums(&flat)).is_empty());
    }

    #[test]
    fn the_shipped_calibration_covers_every_class_and_category() {
        let t = taxonomy();
        assert!((0..1000).all(|c| t.class_threshold(c) > 0.0));
        assert!(
            (0..1000)
                .filter(|&c| t.class_threshold(c).is_finite())
                .count()
                > 900
        );
        assert!(t
            .category_threshold(t.category("dog").unwrap().index)
            .is_finite());
    }
}
