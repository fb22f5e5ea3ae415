//! Response times finer than a tick. The load balancer measures latency in tenths of a
//! millisecond, so it keeps two things in fixed memory: a log-linear histogram of every
//! response of the run (for the summary's p50/p99) and the most recent responses (for the
//! live p50/p99 sparkline, which must react to a slow server within a few ticks).

/// Values below this are counted exactly; above, each power of two is split into
/// `SUB_BUCKETS` buckets, so a percentile is within 1/64 (1.6%) of the true value.
const EXACT: u64 = 128;
const SUB_BUCKETS: u64 = 64;
const BUCKETS: usize = (EXACT + (64 - 7) * SUB_BUCKETS) as usize;

/// How many recent responses the live percentiles are taken over.
pub const WINDOW: usize = 256;

fn bucket_of(value: u64) -> usize {
    if value < EXACT {
        return value as usize;
    }
    let msb = 63 - u64::from(value.leading_zeros());
    let shift = msb - 6;
    let mantissa = (value >> shift) - SUB_BUCKETS;
    (EXACT + (msb - 7) * SUB_BUCKETS + mantissa) as usize
}

/// The smallest value that falls in `bucket`.
fn bucket_floor(bucket: usize) -> u64 {
    let bucket = bucket as u64;
    if bucket < EXACT {
        return bucket;
    }
    let octave = (bucket - EXACT) / SUB_BUCKETS;
    let mantissa = (bucket - EXACT) % SUB_BUCKETS;
    (SUB_BUCKETS + mantissa) << (octave + 1)
}

/// The nearest-rank index (0-based) of percentile `p` among `n` sorted samples.
fn rank_index(p: f64, n: usize) -> usize {
    let rank = (p.clamp(0.0, 100.0) / 100.0 * n as f64).ceil() as usize;
    rank.clamp(1, n) - 1
}

#[derive(Debug, Clone)]
pub struct ResponseTimes {
    counts: Vec<u64>,
    count: u64,
    sum: u64,
    max: u64,
    window: [u32; WINDOW],
    window_len: usize,
    window_next: usize,
    scratch: Vec<u32>,
}

impl Default for ResponseTimes {
    fn default() -> Self {
        ResponseTimes {
            counts: vec![0; BUCKETS],
            count: 0,
            sum: 0,
            max: 0,
            window: [0; WINDOW],
            window_len: 0,
            window_next: 0,
            scratch: Vec::with_capacity(WINDOW),
        }
    }
}

impl ResponseTimes {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn record(&mut self, value: u64) {
        self.counts[bucket_of(value)] += 1;
        self.count += 1;
        self.sum = self.sum.saturating_add(value);
        self.max = self.max.max(value);
        self.window[self.window_next] = u32::try_from(value).unwrap_or(u32::MAX);
        self.window_next = (self.window_next + 1) % WINDOW;
        self.window_len = (self.window_len + 1).min(WINDOW);
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

    /// Nearest-rank percentile over the whole run, rounded down to its bucket (exact below
    /// 128, within 1.6% above). 0 when nothing was recorded.
    pub fn percentile(&self, p: f64) -> u64 {
        if self.count == 0 {
            return 0;
        }
        let rank = rank_index(p, self.count as usize) as u64 + 1;
        let mut seen = 0;
        for (bucket, &n) in self.counts.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return bucket_floor(bucket).min(self.max);
            }
        }
        self.max
    }

    /// Exact nearest-rank p50 and p99 over the last `WINDOW` responses; (0, 0) before any.
    pub fn recent_p50_p99(&mut self) -> (u32, u32) {
        let n = self.window_len;
        if n == 0 {
            return (0, 0);
        }
        self.scratch.clear();
        self.scratch.extend_from_slice(&self.window[..n]);
        let hi = rank_index(99.0, n);
        let lo = rank_index(50.0, n);
        let (below, p99, _) = self.scratch.select_nth_unstable(hi);
        let p99 = *p99;
        // Everything below index `hi` is now <= p99, so p50 is selected within that part.
        let p50 = if lo < hi {
            *below.select_nth_unstable(lo).1
        } else {
            p99
        };
        (p50, p99)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn buckets_are_contiguous_and_floors_round_trip() {
        let mut last = 0;
        for v in (0..5000u64).chain([1 << 20, (1 << 40) + 12345, u64::MAX]) {
            let b = bucket_of(v);
            assert!(b < BUCKETS, "{v} -> {b}");
            assert!(bucket_floor(b) <= v);
            assert_eq!(bucket_of(bucket_floor(b)), b);
            if v < 5000 {
                assert!(b == last || b == last + 1, "gap at {v}");
                last = b;
            }
        }
    }

    proptest! {
        #[test]
        fn percentiles_match_sorting(mut values in prop::collection::vec(0u64..2_000_000, 1..400), p in 0.0f64..=100.0) {
            let mut rt = ResponseTimes::new();
            for &v in &values {
                rt.record(v);
            }
            let recent: Vec<u64> = values[values.len().saturating_sub(WINDOW)..].to_vec();
            values.sort_unstable();
            let exact = values[rank_index(p, values.len())];
            let got = rt.percentile(p);
            prop_assert!(got <= exact, "{got} > {exact}");
            prop_assert!(exact - got <= exact / 64, "{got} too far below {exact}");

            let mut recent = recent;
            recent.sort_unstable();
            let (p50, p99) = rt.recent_p50_p99();
            prop_assert_eq!(u64::from(p50), recent[rank_index(50.0, recent.len())]);
            prop_assert_eq!(u64::from(p99), recent[rank_index(99.0, recent.len())]);
        }
    }
}
