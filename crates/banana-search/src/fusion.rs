//! Hybrid ranking: reciprocal rank fusion of the vector ranking and a keyword ranking, with
//! exact label-name matches first.
//!
//! RRF (Cormack, Clarke & Büttcher, 2009) scores each id by `Σ w_list / (k + rank)` over the
//! lists it appears in (ranks from 1). It needs no score calibration between the cosine
//! similarities of the vector side and the full-text ranks of the database, and `k = 60`
//! (the paper's value) keeps one list's top hit from swamping agreement between lists.
//! Ids whose image carries a label whose name or synonym *is* the query get
//! [`EXACT_MATCH_BOOST`], which is larger than any RRF sum, so they rank first (among
//! themselves, by their fused score).

use std::collections::{HashMap, HashSet};

use banana_vision::imagenet_classes;

/// The RRF constant.
pub const RRF_K: f32 = 60.0;

/// Added to exact label-name matches: more than the largest possible RRF sum (2 / 61).
pub const EXACT_MATCH_BOOST: f32 = 1.0;

/// Parameters of [`reciprocal_rank_fusion`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FusionParams {
    /// RRF constant `k`.
    pub k: f32,
    /// Weight of the vector ranking.
    pub vector_weight: f32,
    /// Weight of the keyword ranking.
    pub keyword_weight: f32,
    /// Added for exact label-name matches.
    pub exact_boost: f32,
}

impl Default for FusionParams {
    fn default() -> Self {
        FusionParams {
            k: RRF_K,
            vector_weight: 1.0,
            keyword_weight: 1.0,
            exact_boost: EXACT_MATCH_BOOST,
        }
    }
}

/// One fused result.
#[derive(Debug, Clone, PartialEq)]
pub struct Fused {
    pub id: String,
    pub score: f32,
    /// 1-based rank in the vector list, when present there.
    pub vector_rank: Option<usize>,
    /// 1-based rank in the keyword list, when present there.
    pub keyword_rank: Option<usize>,
    /// Whether the image has a label named exactly like the query.
    pub exact_match: bool,
}

/// Fuses two rankings (best first; an id repeated within a list counts at its first rank).
/// `exact` lists the ids whose labels match the query exactly (see [`exact_label_classes`]).
/// Result: every id of either list (and of `exact`), best first; ties by vector rank, then
/// keyword rank, then id.
pub fn reciprocal_rank_fusion<A, B, C>(
    vector: &[A],
    keyword: &[B],
    exact: &[C],
    params: &FusionParams,
) -> Vec<Fused>
where
    A: AsRef<str>,
    B: AsRef<str>,
    C: AsRef<str>,
{
    let mut fused: HashMap<String, Fused> = HashMap::new();
    let new = |id: &str| Fused {
        id: id.to_owned(),
        score: 0.0,
        vector_rank: None,
        keyword_rank: None,
        exact_match: false,
    };
    for (r, id) in vector.iter().enumerate() {
        let id = id.as_ref();
        let f = fused.entry(id.to_owned()).or_insert_with(|| new(id));
        if f.vector_rank.is_none() {
            f.vector_rank = Some(r + 1);
            f.score += params.vector_weight / (params.k + (r + 1) as f32);
        }
    }
    for (r, id) in keyword.iter().enumerate() {
        let id = id.as_ref();
        let f = fused.entry(id.to_owned()).or_insert_with(|| new(id));
        if f.keyword_rank.is_none() {
            f.keyword_rank = Some(r + 1);
            f.score += params.keyword_weight / (params.k + (r + 1) as f32);
        }
    }
    for id in exact {
        let id = id.as_ref();
        let f = fused.entry(id.to_owned()).or_insert_with(|| new(id));
        if !f.exact_match {
            f.exact_match = true;
            f.score += params.exact_boost;
        }
    }
    let mut out: Vec<Fused> = fused.into_values().collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(rank_key(a.vector_rank).cmp(&rank_key(b.vector_rank)))
            .then(rank_key(a.keyword_rank).cmp(&rank_key(b.keyword_rank)))
            .then(a.id.cmp(&b.id))
    });
    out
}

fn rank_key(r: Option<usize>) -> usize {
    r.unwrap_or(usize::MAX)
}

/// The classes whose name or a synonym is exactly the query (case-insensitive, ignoring a
/// leading "a", "an" or "the" and a plural "s"/"es"). "Crane" gives both cranes.
pub fn exact_label_classes(query: &str) -> Vec<usize> {
    let q = crate::semantic::normalize_query(query);
    let q = ["a ", "an ", "the "]
        .iter()
        .find_map(|a| q.strip_prefix(a))
        .unwrap_or(&q)
        .to_owned();
    if q.is_empty() {
        return Vec::new();
    }
    let mut forms: HashSet<String> = HashSet::from([q.clone()]);
    if let Some(s) = q.strip_suffix("es") {
        forms.insert(s.to_owned());
    }
    if let Some(s) = q.strip_suffix('s') {
        forms.insert(s.to_owned());
    }
    imagenet_classes()
        .iter()
        .filter(|c| c.synonyms.iter().any(|s| forms.contains(&s.to_lowercase())))
        .map(|c| c.index)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(f: &[Fused]) -> Vec<&str> {
        f.iter().map(|x| x.id.as_str()).collect()
    }

    #[test]
    fn rrf_rewards_agreement_and_uses_k_60() {
        let v = ["a", "b", "c"];
        let k = ["c", "d"];
        let f = reciprocal_rank_fusion(&v, &k, &[] as &[&str], &FusionParams::default());
        // "b" (vector rank 2) and "d" (keyword rank 2) tie at 1/62: the vector side wins ties.
        assert_eq!(ids(&f), vec!["c", "a", "b", "d"]);
        let c = &f[0];
        assert!((c.score - (1.0 / 63.0 + 1.0 / 61.0)).abs() < 1e-7);
        assert_eq!((c.vector_rank, c.keyword_rank), (Some(3), Some(1)));
        assert!((f[1].score - 1.0 / 61.0).abs() < 1e-7);
        assert_eq!(f[2].score, f[3].score);
    }

    #[test]
    fn exact_matches_rank_first_even_from_the_bottom() {
        let v = ["a", "b", "c", "x"];
        let f = reciprocal_rank_fusion(&v, &["a"], &["x", "y"], &FusionParams::default());
        assert_eq!(ids(&f), vec!["x", "y", "a", "b", "c"]);
        assert!(f[0].exact_match && f[1].exact_match && !f[2].exact_match);
    }

    #[test]
    fn duplicates_count_once_and_empty_lists_are_fine() {
        let f = reciprocal_rank_fusion(
            &["a", "a"],
            &[] as &[&str],
            &[] as &[&str],
            &FusionParams::default(),
        );
        assert_eq!(f.len(), 1);
        assert!((f[0].score - 1.0 / 61.0).abs() < 1e-7);
        assert!(reciprocal_rank_fusion(
            &[] as &[&str],
            &[] as &[&str],
            &[] as &[&str],
            &FusionParams::default()
        )
        .is_empty());
    }

    #[test]
    fn exact_label_classes_match_names_and_synonyms() {
        let name = |i: usize| imagenet_classes()[i].wnid;
        assert_eq!(
            exact_label_classes("Tabby Cat")
                .iter()
                .map(|&i| name(i))
                .collect::<Vec<_>>(),
            vec!["n02123045"]
        );
        assert_eq!(
            exact_label_classes("a coffee mug")
                .iter()
                .map(|&i| name(i))
                .collect::<Vec<_>>(),
            vec!["n03063599"]
        );
        assert_eq!(exact_label_classes("cranes").len(), 2);
        assert!(exact_label_classes("a pet cat").is_empty());
        assert!(exact_label_classes("  ").is_empty());
    }
}
