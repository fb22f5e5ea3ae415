//! A token-bucket rate limiter: the reference solution.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow { remaining: u64 },
    Reject { retry_after: u64 },
}

/// Counts in units of 1/refill_ticks of a token, so a refill of refill_tokens per
/// refill_ticks ticks adds exactly refill_tokens units per tick: no rounding, ever.
pub struct TokenBucket {
    /// Units per token.
    unit: u128,
    /// Units added per tick.
    per_tick: u128,
    max_units: u128,
    units: u128,
    last: u64,
}

impl TokenBucket {
    pub fn new(capacity: u64, refill_tokens: u64, refill_ticks: u64) -> Self {
        let unit = u128::from(refill_ticks.max(1));
        let max_units = u128::from(capacity) * unit;
        TokenBucket {
            unit,
            per_tick: u128::from(refill_tokens),
            max_units,
            units: max_units,
            last: 0,
        }
    }

    fn refill(&mut self, now: u64) {
        if now <= self.last {
            return;
        }
        let gained = u128::from(now - self.last).saturating_mul(self.per_tick);
        self.units = self.units.saturating_add(gained).min(self.max_units);
        self.last = now;
    }

    pub fn try_acquire(&mut self, now: u64) -> Decision {
        self.refill(now);
        if self.units >= self.unit {
            self.units -= self.unit;
            let remaining = self.units / self.unit;
            Decision::Allow {
                remaining: u64::try_from(remaining).unwrap_or(u64::MAX),
            }
        } else if self.per_tick == 0 || self.max_units < self.unit {
            // Nothing ever flows in, or the bucket cannot hold a single token.
            Decision::Reject {
                retry_after: u64::MAX,
            }
        } else {
            let missing = self.unit - self.units;
            let ticks = missing.div_ceil(self.per_tick);
            Decision::Reject {
                retry_after: u64::try_from(ticks).unwrap_or(u64::MAX),
            }
        }
    }
}
