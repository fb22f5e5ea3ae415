//! A circuit breaker: the reference solution.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Closed,
    Open,
    HalfOpen,
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    Closed { failures: u32 },
    Open { since: u64 },
    HalfOpen { trial_out: bool },
}

pub struct CircuitBreaker {
    threshold: u32,
    cooldown: u64,
    phase: Phase,
}

impl CircuitBreaker {
    pub fn new(failure_threshold: u32, cooldown: u64) -> Self {
        CircuitBreaker {
            threshold: failure_threshold.max(1),
            cooldown,
            phase: Phase::Closed { failures: 0 },
        }
    }

    fn cooled(&self, since: u64, now: u64) -> bool {
        now >= since.saturating_add(self.cooldown)
    }

    pub fn allow(&mut self, now: u64) -> bool {
        match self.phase {
            Phase::Closed { .. } => true,
            Phase::Open { since } if self.cooled(since, now) => {
                self.phase = Phase::HalfOpen { trial_out: true };
                true
            }
            Phase::Open { .. } => false,
            Phase::HalfOpen { trial_out: true } => false,
            Phase::HalfOpen { trial_out: false } => {
                self.phase = Phase::HalfOpen { trial_out: true };
                true
            }
        }
    }

    pub fn record_success(&mut self, _now: u64) {
        match self.phase {
            Phase::Closed { .. } | Phase::HalfOpen { .. } => {
                self.phase = Phase::Closed { failures: 0 };
            }
            Phase::Open { .. } => {}
        }
    }

    pub fn record_failure(&mut self, now: u64) {
        match self.phase {
            Phase::Closed { failures } => {
                let failures = failures + 1;
                self.phase = if failures >= self.threshold {
                    Phase::Open { since: now }
                } else {
                    Phase::Closed { failures }
                };
            }
            Phase::HalfOpen { .. } => self.phase = Phase::Open { since: now },
            Phase::Open { .. } => {}
        }
    }

    pub fn state(&self, now: u64) -> State {
        match self.phase {
            Phase::Closed { .. } => State::Closed,
            Phase::Open { since } if self.cooled(since, now) => State::HalfOpen,
            Phase::Open { .. } => State::Open,
            Phase::HalfOpen { .. } => State::HalfOpen,
        }
    }
}
