//! Per-stage timing in constant memory: a log-scale histogram (about 1% resolution from 1 µs to
//! 100 s), so medians stay available however many files go through.

use std::time::Duration;

const BINS: usize = 1200;
const MIN_S: f64 = 1e-6;
/// Each bin is this factor wider than the last: 1e-6 * RATIO^1200 = 100 s.
const LOG_RATIO: f64 = 0.015_350_567; // ln(1e8) / 1200

/// A histogram of durations.
#[derive(Clone)]
pub struct Histogram {
    bins: Box<[u32; BINS]>,
    count: u64,
    sum_s: f64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            bins: Box::new([0; BINS]),
            count: 0,
            sum_s: 0.0,
        }
    }
}

impl std::fmt::Debug for Histogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Histogram(n={}, median_ms={:.3})",
            self.count,
            self.median_ms()
        )
    }
}

impl Histogram {
    pub fn record(&mut self, d: Duration) {
        let s = d.as_secs_f64();
        let bin = if s <= MIN_S {
            0
        } else {
            (((s / MIN_S).ln() / LOG_RATIO) as usize).min(BINS - 1)
        };
        self.bins[bin] += 1;
        self.count += 1;
        self.sum_s += s;
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn mean_ms(&self) -> f64 {
        self.sum_s * 1e3 / self.count.max(1) as f64
    }

    /// The `q`-quantile (0..=1) in milliseconds (the middle of its bin); 0 when empty.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let target = ((self.count as f64 * q).ceil() as u64).clamp(1, self.count);
        let mut seen = 0u64;
        for (i, &n) in self.bins.iter().enumerate() {
            seen += u64::from(n);
            if seen >= target {
                return MIN_S * ((i as f64 + 0.5) * LOG_RATIO).exp() * 1e3;
            }
        }
        0.0
    }

    pub fn median_ms(&self) -> f64 {
        self.quantile_ms(0.5)
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.bins.iter_mut().zip(other.bins.iter()) {
            *a += b;
        }
        self.count += other.count;
        self.sum_s += other.sum_s;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_is_within_two_percent() {
        let mut h = Histogram::default();
        for ms in [1.0, 2.0, 3.0, 50.0, 400.0] {
            h.record(Duration::from_secs_f64(ms / 1e3));
        }
        assert_eq!(h.count(), 5);
        assert!((h.median_ms() - 3.0).abs() < 0.06, "{}", h.median_ms());
        assert!((h.quantile_ms(1.0) - 400.0).abs() < 8.0);
        assert!((h.mean_ms() - 91.2).abs() < 1e-6);
        let mut other = Histogram::default();
        other.record(Duration::from_millis(3));
        h.merge(&other);
        assert_eq!(h.count(), 6);
        assert_eq!(Histogram::default().median_ms(), 0.0);
    }
}
