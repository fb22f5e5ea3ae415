//! Latencies in whole ticks, kept as a histogram so memory stays fixed however long a
//! simulation runs, and percentiles stay exact (nearest rank) for every value below the cap.

/// Latencies at or above this many ticks share the last bucket; the true maximum is kept.
const BUCKETS: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatencyHistogram {
    counts: Vec<u64>,
    count: u64,
    sum: u64,
    max: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        LatencyHistogram {
            counts: vec![0; BUCKETS],
            count: 0,
            sum: 0,
            max: 0,
        }
    }
}

impl LatencyHistogram {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn record(&mut self, ticks: u64) {
        let bucket = (ticks as usize).min(BUCKETS - 1);
        self.counts[bucket] += 1;
        self.count += 1;
        self.sum = self.sum.saturating_add(ticks);
        self.max = self.max.max(ticks);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn max(&self) -> u64 {
        self.max
    }

    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum as f64 / self.count as f64
        }
    }

    /// The nearest-rank percentile: the smallest value with at least `p`% of the samples at
    /// or below it. `None` when nothing was recorded.
    pub fn percentile(&self, p: f64) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let p = p.clamp(0.0, 100.0);
        let rank = ((p / 100.0 * self.count as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (value, &n) in self.counts.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return Some(if value == BUCKETS - 1 {
                    self.max
                } else {
                    value as u64
                });
            }
        }
        Some(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_has_no_percentile() {
        assert_eq!(LatencyHistogram::new().percentile(99.0), None);
    }

    #[test]
    fn nearest_rank_on_a_known_sample() {
        let mut h = LatencyHistogram::new();
        for v in 1..=100 {
            h.record(v);
        }
        assert_eq!(h.percentile(50.0), Some(50));
        assert_eq!(h.percentile(99.0), Some(99));
        assert_eq!(h.percentile(100.0), Some(100));
        assert_eq!(h.percentile(0.0), Some(1));
    }

    proptest! {
        #[test]
        fn matches_sorting(mut values in prop::collection::vec(0u64..2000, 1..300), p in 0.0f64..=100.0) {
            let mut h = LatencyHistogram::new();
            for &v in &values {
                h.record(v);
            }
            values.sort_unstable();
            let rank = ((p / 100.0 * values.len() as f64).ceil() as usize).max(1);
            let expected = values[rank - 1];
            let got = h.percentile(p).unwrap();
            if expected < BUCKETS as u64 - 1 {
                prop_assert_eq!(got, expected);
            } else {
                prop_assert!(got >= BUCKETS as u64 - 1);
            }
            prop_assert_eq!(h.max(), *values.last().unwrap());
        }
    }
}
