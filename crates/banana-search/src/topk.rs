//! A bounded min-heap that keeps the `k` best `(score, slot)` pairs seen.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A candidate: higher score is better; on equal scores the lower slot wins, so results do
/// not depend on scan order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    pub score: f32,
    pub slot: u32,
}

impl Scored {
    /// `Ordering::Greater` when `self` is the better candidate.
    fn better(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.slot.cmp(&self.slot))
    }
}

/// Heap entry ordered so that the *worst* kept candidate is at the top of the max-heap.
#[derive(Debug, Clone, Copy)]
struct Worst(Scored);

impl PartialEq for Worst {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Worst {}
impl PartialOrd for Worst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Worst {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.better(&self.0)
    }
}

/// Keeps the `k` best candidates pushed into it.
#[derive(Debug)]
pub(crate) struct TopK {
    k: usize,
    heap: BinaryHeap<Worst>,
}

impl TopK {
    pub fn new(k: usize) -> Self {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k + 1),
        }
    }

    /// The score a new candidate must beat (or tie with a lower slot) to get in; `-inf`
    /// while the heap is not full.
    #[inline]
    pub fn threshold(&self) -> f32 {
        if self.heap.len() < self.k {
            f32::NEG_INFINITY
        } else {
            self.heap.peek().map_or(f32::INFINITY, |w| w.0.score)
        }
    }

    /// Whether `c` would enter the heap.
    #[inline]
    pub fn admits(&self, c: Scored) -> bool {
        if self.k == 0 {
            return false;
        }
        if self.heap.len() < self.k {
            return true;
        }
        self.heap
            .peek()
            .is_some_and(|w| c.better(&w.0) == Ordering::Greater)
    }

    #[inline]
    pub fn push(&mut self, c: Scored) {
        if !self.admits(c) {
            return;
        }
        if self.heap.len() == self.k {
            self.heap.pop();
        }
        self.heap.push(Worst(c));
    }

    pub fn merge(&mut self, other: TopK) {
        for w in other.heap {
            self.push(w.0);
        }
    }

    /// The kept candidates, best first.
    pub fn into_sorted(self) -> Vec<Scored> {
        let mut v: Vec<Scored> = self.heap.into_iter().map(|w| w.0).collect();
        v.sort_by(|a, b| b.better(a));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_best_k_in_order_with_slot_tie_break() {
        let mut t = TopK::new(3);
        for (slot, score) in [(0, 0.1), (1, 0.9), (2, 0.5), (3, 0.9), (4, -1.0), (5, 0.7)] {
            t.push(Scored { score, slot });
        }
        let got: Vec<(u32, f32)> = t.into_sorted().iter().map(|s| (s.slot, s.score)).collect();
        assert_eq!(got, vec![(1, 0.9), (3, 0.9), (5, 0.7)]);
    }

    #[test]
    fn k_zero_keeps_nothing_and_threshold_tracks_the_worst() {
        let mut t = TopK::new(0);
        t.push(Scored {
            score: 1.0,
            slot: 0,
        });
        assert!(t.into_sorted().is_empty());
        let mut t = TopK::new(2);
        assert_eq!(t.threshold(), f32::NEG_INFINITY);
        t.push(Scored {
            score: 0.3,
            slot: 0,
        });
        t.push(Scored {
            score: 0.6,
            slot: 1,
        });
        assert_eq!(t.threshold(), 0.3);
        t.push(Scored {
            score: 0.4,
            slot: 2,
        });
        assert_eq!(t.threshold(), 0.4);
    }
}
