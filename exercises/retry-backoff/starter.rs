//! Retries with exponential backoff and jitter. Edit this file, then grade it with
//! `sysdesign grade retry-backoff` (or press `g` in the app).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The first retry waits up to `base` ticks.
    pub base: u64,
    /// No wait is longer than `cap` ticks.
    pub cap: u64,
    /// Calls in all, including the first.
    pub max_attempts: u32,
    /// Seeds the jitter, so a run can be replayed.
    pub seed: u64,
}

/// A deterministic "random" wait in `0..=ceiling` for retry number `retry`.
/// Keep it as it is: the checks compute the same values.
pub fn jitter(seed: u64, retry: u32, ceiling: u64) -> u64 {
    let mut z = seed ^ u64::from(retry).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    if ceiling == u64::MAX {
        z
    } else {
        z % (ceiling + 1)
    }
}

/// The wait before retry number `retry` (1 = the first retry). Doubles one step too early,
/// overflows for large retries, and has no jitter.
pub fn backoff(policy: &RetryPolicy, retry: u32) -> u64 {
    (policy.base * 2u64.pow(retry)).min(policy.cap)
}

/// Calls `op` until it succeeds. Sleeps after every failure, even the last, and ignores
/// `max_attempts` when it is 0.
pub fn retry<T, E>(
    policy: &RetryPolicy,
    mut op: impl FnMut(u32) -> Result<T, E>,
    mut sleep: impl FnMut(u64),
) -> Result<T, E> {
    let mut attempt = 1;
    loop {
        let result = op(attempt);
        if result.is_ok() {
            return result;
        }
        sleep(backoff(policy, attempt));
        if attempt >= policy.max_attempts {
            return result;
        }
        attempt += 1;
    }
}
