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
//!
//! [`fuse`] is the general form (any number of rankings, each adding RRF terms or a flat
//! boost); [`reciprocal_rank_fusion`] is the vector + keyword + exact-label case.

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

/// How one ranking enters [`fuse`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Contribution {
    /// RRF: `weight / (k + rank)`; the rank also breaks ties between equal scores (earlier
    /// lists first).
    Rank { weight: f32 },
    /// A flat amount for being in the list at all (e.g. [`EXACT_MATCH_BOOST`]); no tie-break.
    Boost(f32),
}

/// One ranking for [`fuse`]: ids, best first (an id repeated within it counts at its first
/// rank).
#[derive(Debug, Clone, Copy)]
pub struct Ranking<'a, T> {
    pub ids: &'a [T],
    pub contribution: Contribution,
}

/// One result of [`fuse`].
#[derive(Debug, Clone, PartialEq)]
pub struct FusedRanks {
    pub id: String,
    pub score: f32,
    /// 1-based rank in each ranking (in the order given), when present there.
    pub ranks: Vec<Option<usize>>,
}

/// Fuses any number of rankings: every id of any list, best first by the sum of its
/// contributions (added in list order); ties by the ranks of the [`Contribution::Rank`]
/// lists in order (absent last), then id. A new signal is one more ranking.
pub fn fuse<T: AsRef<str>>(lists: &[Ranking<'_, T>], k: f32) -> Vec<FusedRanks> {
    let mut fused: HashMap<String, FusedRanks> = HashMap::new();
    for (l, list) in lists.iter().enumerate() {
        for (r, id) in list.ids.iter().enumerate() {
            let id = id.as_ref();
            let f = fused.entry(id.to_owned()).or_insert_with(|| FusedRanks {
                id: id.to_owned(),
                score: 0.0,
                ranks: vec![None; lists.len()],
            });
            if f.ranks[l].is_some() {
                continue;
            }
            f.ranks[l] = Some(r + 1);
            f.score += match list.contribution {
                Contribution::Rank { weight } => weight / (k + (r + 1) as f32),
                Contribution::Boost(b) => b,
            };
        }
    }
    let tie_lists: Vec<usize> = lists
        .iter()
        .enumerate()
        .filter(|(_, l)| matches!(l.contribution, Contribution::Rank { .. }))
        .map(|(i, _)| i)
        .collect();
    let mut out: Vec<FusedRanks> = fused.into_values().collect();
    out.sort_by(|a, b| {
        let mut o = b.score.total_cmp(&a.score);
        for &l in &tie_lists {
            o = o.then(rank_key(a.ranks[l]).cmp(&rank_key(b.ranks[l])));
        }
        o.then(a.id.cmp(&b.id))
    });
    out
}

/// Fuses two rankings (best first; an id repeated within a list counts at its first rank).
/// `exact` lists the ids whose labels match the query exactly (see [`exact_label_classes`]).
/// Result: every id of either list (and of `exact`), best first; ties by vector rank, then
/// keyword rank, then id. [`fuse`] with three lists.
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
    let v: Vec<&str> = vector.iter().map(AsRef::as_ref).collect();
    let kw: Vec<&str> = keyword.iter().map(AsRef::as_ref).collect();
    let ex: Vec<&str> = exact.iter().map(AsRef::as_ref).collect();
    let lists = [
        Ranking {
            ids: &v[..],
            contribution: Contribution::Rank {
                weight: params.vector_weight,
            },
        },
        Ranking {
            ids: &kw[..],
            contribution: Contribution::Rank {
                weight: params.keyword_weight,
            },
        },
        Ranking {
            ids: &ex[..],
            contribution: Contribution::Boost(params.exact_boost),
        },
    ];
    fuse(&lists, params.k)
        .into_iter()
        .map(|f| Fused {
            id: f.id,
            score: f.score,
            vector_rank: f.ranks[0],
            keyword_rank: f.ranks[1],
            exact_match: f.ranks[2].is_some(),
        })
        .collect()
}

fn rank_key(r: Option<usize>) -> usize {
    r.unwrap_or(usize::MAX)
}

/// The classes whose name or a synonym is exactly the query (case-insensitive, ignoring a
/// leading "a", "an" or "the" and a plural "s"/"es"). "Crane" gives both cranes.
pub fn exact_label_classes(query: &str) -> Vec<usize> {
    let forms = exact_forms(query);
    if forms.is_empty() {
        return Vec::new();
    }
    imagenet_classes()
        .iter()
        .filter(|c| c.synonyms.iter().any(|s| forms.contains(&s.to_lowercase())))
        .map(|c| c.index)
        .collect()
}

/// The forms a query may name a label by exactly: normalised, without a leading article, and
/// without a plural `s` / `es` (empty for a blank query).
pub fn exact_forms(query: &str) -> HashSet<String> {
    let q = crate::semantic::normalize_query(query);
    let q = ["a ", "an ", "the "]
        .iter()
        .find_map(|a| q.strip_prefix(a))
        .unwrap_or(&q)
        .to_owned();
    if q.is_empty() {
        return HashSet::new();
    }
    let mut forms: HashSet<String> = HashSet::from([q.clone()]);
    if let Some(s) = q.strip_suffix("es") {
        forms.insert(s.to_owned());
    }
    if let Some(s) = q.strip_suffix('s') {
        forms.insert(s.to_owned());
    }
    forms
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
    fn fuse_takes_any_number_of_rankings() {
        let rank = |weight| Contribution::Rank { weight };
        let lists = [
            Ranking {
                ids: &["x", "y"][..],
                contribution: rank(1.0),
            },
            Ranking {
                ids: &["y"][..],
                contribution: rank(1.0),
            },
            Ranking {
                ids: &["z", "x"][..],
                contribution: rank(0.5),
            },
            Ranking {
                ids: &["z"][..],
                contribution: Contribution::Boost(1.0),
            },
        ];
        let f = fuse(&lists, RRF_K);
        assert_eq!(
            f.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
            vec!["z", "y", "x"]
        );
        assert_eq!(f[0].ranks, vec![None, None, Some(1), Some(1)]);
        assert!((f[0].score - (0.5 / 61.0 + 1.0)).abs() < 1e-6);
        assert!((f[2].score - (1.0 / 61.0 + 0.5 / 62.0)).abs() < 1e-7);
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
