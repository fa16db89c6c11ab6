//! Progress of an import: counts, bytes, speed and ETA, and a terminal progress bar for them.

use std::time::Duration;

/// A snapshot of an import's progress.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub files_done: u64,
    pub files_total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub imported: u64,
    pub duplicates: u64,
    pub rejected: u64,
    pub failed: u64,
    pub elapsed: Duration,
}

impl Progress {
    /// Files finished per second so far.
    pub fn images_per_s(&self) -> f64 {
        self.files_done as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Time left at the byte rate so far (`None` before anything is done).
    pub fn eta(&self) -> Option<Duration> {
        if self.bytes_done == 0 || self.elapsed.is_zero() {
            return None;
        }
        let rate = self.bytes_done as f64 / self.elapsed.as_secs_f64();
        let left = self.bytes_total.saturating_sub(self.bytes_done) as f64;
        Some(Duration::from_secs_f64(left / rate))
    }
}

/// A terminal progress bar (indicatif) showing a [`Progress`].
pub struct ProgressBar {
    bar: indicatif::ProgressBar,
}

impl Default for ProgressBar {
    fn default() -> Self {
        Self::new()
    }
}

impl ProgressBar {
    /// A bar on standard error (hidden when that is not a terminal).
    pub fn new() -> Self {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} files {msg}")
                .expect("valid template"),
        );
        ProgressBar { bar }
    }

    pub fn update(&self, p: &Progress) {
        self.bar.set_length(p.files_total);
        self.bar.set_position(p.files_done);
        let eta = p
            .eta()
            .map(|d| format!(" ETA {}s", d.as_secs()))
            .unwrap_or_default();
        self.bar.set_message(format!(
            "{:.1} MiB/{:.1} MiB {:.1} images/s{eta} (new {}, duplicate {}, rejected {}, failed {})",
            p.bytes_done as f64 / 1048576.0,
            p.bytes_total as f64 / 1048576.0,
            p.images_per_s(),
            p.imported,
            p.duplicates,
            p.rejected,
            p.failed
        ));
    }

    pub fn finish(&self) {
        self.bar.finish();
    }
}

/// A terminal progress bar over a count of jobs (`banana reanalyze`), in the style of
/// [`ProgressBar`]: done of total, rate, ETA and the failures so far.
pub struct CountBar {
    bar: indicatif::ProgressBar,
    what: &'static str,
}

impl CountBar {
    /// A bar on standard error (hidden when that is not a terminal) counting `what`.
    pub fn new(total: u64, what: &'static str) -> Self {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                .expect("valid template"),
        );
        CountBar { bar, what }
    }

    /// `done` of `total` finished (`failed` of them for good) after `elapsed`.
    pub fn update(&self, done: u64, total: u64, failed: u64, elapsed: Duration) {
        self.bar.set_length(total);
        self.bar.set_position(done);
        let rate = done as f64 / elapsed.as_secs_f64().max(1e-9);
        let eta = if done > 0 && total > done {
            format!(" ETA {}s", ((total - done) as f64 / rate) as u64)
        } else {
            String::new()
        };
        self.bar
            .set_message(format!("{} {rate:.1}/s{eta} (failed {failed})", self.what));
    }

    pub fn finish(&self) {
        self.bar.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eta_follows_the_byte_rate() {
        let p = Progress {
            bytes_done: 100,
            bytes_total: 400,
            files_done: 10,
            elapsed: Duration::from_secs(2),
            ..Progress::default()
        };
        assert_eq!(p.eta(), Some(Duration::from_secs(6)));
        assert_eq!(p.images_per_s(), 5.0);
        assert_eq!(Progress::default().eta(), None);
    }
}
