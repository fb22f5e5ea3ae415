//! A circuit breaker. Edit this file, then grade it with `sysdesign grade circuit-breaker`
//! (or press `g` in the app).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Closed,
    Open,
    HalfOpen,
}

pub struct CircuitBreaker {
    threshold: u32,
    cooldown: u64,
    failures: u32,
    opened_at: Option<u64>,
}

impl CircuitBreaker {
    pub fn new(failure_threshold: u32, cooldown: u64) -> Self {
        CircuitBreaker {
            threshold: failure_threshold,
            cooldown,
            failures: 0,
            opened_at: None,
        }
    }

    // Opens one failure too late, never resets the count on success, and lets every call
    // through once the cooldown is over.
    pub fn allow(&mut self, now: u64) -> bool {
        match self.opened_at {
            Some(at) => now >= at + self.cooldown,
            None => true,
        }
    }

    pub fn record_success(&mut self, _now: u64) {
        self.opened_at = None;
    }

    pub fn record_failure(&mut self, now: u64) {
        self.failures += 1;
        if self.failures > self.threshold {
            self.opened_at = Some(now);
        }
    }

    pub fn state(&self, now: u64) -> State {
        match self.opened_at {
            None => State::Closed,
            Some(at) if now >= at + self.cooldown => State::HalfOpen,
            Some(_) => State::Open,
        }
    }
}
