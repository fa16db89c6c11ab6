//! Ranking quality measures with binary relevance, as used by the quality bench.

use std::collections::HashSet;

/// Fraction of the first `k` results that are relevant (the denominator is always `k`, so
/// a query with fewer than `k` relevant items cannot reach 1).
pub fn precision_at<S: AsRef<str>>(ranked: &[S], relevant: &HashSet<&str>, k: usize) -> f64 {
    if k == 0 {
        return 0.0;
    }
    let hits = ranked
        .iter()
        .take(k)
        .filter(|id| relevant.contains(id.as_ref()))
        .count();
    hits as f64 / k as f64
}

/// Normalised discounted cumulative gain at `k` with gains 0/1: DCG over the first `k`
/// results divided by the DCG of an ideal ranking (all relevant items first).
pub fn ndcg_at<S: AsRef<str>>(ranked: &[S], relevant: &HashSet<&str>, k: usize) -> f64 {
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .filter(|(_, id)| relevant.contains(id.as_ref()))
        .map(|(i, _)| 1.0 / ((i + 2) as f64).log2())
        .sum();
    let ideal: f64 = (0..relevant.len().min(k))
        .map(|i| 1.0 / ((i + 2) as f64).log2())
        .sum();
    if ideal == 0.0 {
        0.0
    } else {
        // `+ 0.0` turns the empty sum's -0.0 into 0.0.
        dcg / ideal + 0.0
    }
}

/// Fraction of the relevant items found in the first `k` results.
pub fn recall_at<S: AsRef<str>>(ranked: &[S], relevant: &HashSet<&str>, k: usize) -> f64 {
    if relevant.is_empty() {
        return 0.0;
    }
    let found: HashSet<&str> = ranked
        .iter()
        .take(k)
        .map(AsRef::as_ref)
        .filter(|id| relevant.contains(id))
        .collect();
    found.len() as f64 / relevant.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_on_a_hand_worked_ranking() {
        let rel: HashSet<&str> = ["a", "b", "c"].into();
        let ranked = ["a", "x", "b", "y"];
        assert_eq!(precision_at(&ranked, &rel, 2), 0.5);
        assert_eq!(precision_at(&ranked, &rel, 10), 0.2);
        let dcg = 1.0 + 1.0 / 4f64.log2();
        let ideal = 1.0 + 1.0 / 3f64.log2() + 1.0 / 4f64.log2();
        assert!((ndcg_at(&ranked, &rel, 10) - dcg / ideal).abs() < 1e-12);
        assert!((recall_at(&ranked, &rel, 50) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(ndcg_at(&["a", "b", "c"], &rel, 10), 1.0);
        assert_eq!(ndcg_at(&ranked, &HashSet::new(), 10), 0.0);
        assert_eq!(recall_at(&ranked, &HashSet::new(), 10), 0.0);
    }
}
