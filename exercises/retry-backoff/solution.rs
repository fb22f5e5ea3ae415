//! Retries with exponential backoff and jitter: the reference solution.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub base: u64,
    pub cap: u64,
    pub max_attempts: u32,
    pub seed: u64,
}

/// A deterministic "random" wait in `0..=ceiling` for retry number `retry`.
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

/// `min(cap, base * 2^(retry - 1))`, saturating instead of overflowing.
fn ceiling(policy: &RetryPolicy, retry: u32) -> u64 {
    let doublings = retry.saturating_sub(1);
    let factor = if doublings >= 64 {
        u64::MAX
    } else {
        1u64 << doublings
    };
    policy.base.saturating_mul(factor).min(policy.cap)
}

pub fn backoff(policy: &RetryPolicy, retry: u32) -> u64 {
    jitter(policy.seed, retry, ceiling(policy, retry))
}

pub fn retry<T, E>(
    policy: &RetryPolicy,
    mut op: impl FnMut(u32) -> Result<T, E>,
    mut sleep: impl FnMut(u64),
) -> Result<T, E> {
    let attempts = policy.max_attempts.max(1);
    let mut attempt = 1;
    loop {
        let result = op(attempt);
        if result.is_ok() || attempt >= attempts {
            return result;
        }
        sleep(backoff(policy, attempt));
        attempt += 1;
    }
}
