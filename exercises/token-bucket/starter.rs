//! A token-bucket rate limiter. Edit this file, then grade it with
//! `sysdesign grade token-bucket` (or press `g` in the app).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The request may go ahead; `remaining` whole tokens are left.
    Allow { remaining: u64 },
    /// 429: come back after `retry_after` ticks.
    Reject { retry_after: u64 },
}

pub struct TokenBucket {
    capacity: u64,
    rate: f64,
    tokens: f64,
    last: u64,
}

impl TokenBucket {
    /// Starts full at time 0; gains `refill_tokens` every `refill_ticks` ticks.
    pub fn new(capacity: u64, refill_tokens: u64, refill_ticks: u64) -> Self {
        TokenBucket {
            capacity,
            rate: refill_tokens as f64 / refill_ticks as f64,
            tokens: capacity as f64,
            last: 0,
        }
    }

    /// Refills, but rounds fractions away, never caps at the capacity, and always says
    /// "retry after 1".
    pub fn try_acquire(&mut self, now: u64) -> Decision {
        let _ = self.capacity;
        let elapsed = now - self.last;
        self.tokens += (elapsed as f64 * self.rate).floor();
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Decision::Allow {
                remaining: self.tokens as u64,
            }
        } else {
            Decision::Reject { retry_after: 1 }
        }
    }
}
