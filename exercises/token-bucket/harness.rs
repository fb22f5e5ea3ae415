//! Checks for the token-bucket exercise.

use sysdesign_checks::{Check, Ctx, expect};

use crate::{Decision, TokenBucket};

pub fn checks() -> Vec<Check> {
    vec![
        Check::new(
            "a full bucket allows a burst of exactly its capacity",
            burst,
        ),
        Check::new(
            "refills fractions of a token without losing them",
            fractional_refill,
        ),
        Check::new(
            "never holds more than its capacity after a long idle",
            capped_after_idle,
        ),
        Check::new(
            "Retry-After is the exact wait for the next token",
            exact_retry_after,
        ),
        Check::new(
            "a clock that goes backwards adds no tokens",
            clock_backwards,
        ),
        Check::new("huge idle times do not overflow", huge_idle),
        Check::seeded("matches a model under random traffic", random_traffic),
    ]
}

fn allow(remaining: u64) -> Decision {
    Decision::Allow { remaining }
}

fn reject(retry_after: u64) -> Decision {
    Decision::Reject { retry_after }
}

fn show(d: &Decision) -> String {
    match d {
        Decision::Allow { remaining } => format!("allow ({remaining} left)"),
        Decision::Reject { retry_after } => format!("429 Retry-After {retry_after}"),
    }
}

/// Sends a request at each time and compares the decisions.
fn expect_script(config: (u64, u64, u64), script: &[(u64, Decision)]) -> Result<(), String> {
    let (capacity, tokens, ticks) = config;
    let mut bucket = TokenBucket::new(capacity, tokens, ticks);
    let mut done: Vec<String> = Vec::new();
    for (now, expected) in script {
        let got = bucket.try_acquire(*now);
        expect(&got == expected, || {
            let before = if done.is_empty() {
                String::new()
            } else {
                format!(" after requests at {}", done.join(", "))
            };
            format!(
                "bucket of {capacity} refilling {tokens} per {ticks} ticks{before}: a request at \
                 t={now} expected {}; got {}",
                show(expected),
                show(&got)
            )
        })?;
        done.push(format!("t={now}"));
    }
    Ok(())
}

fn burst(_: &mut Ctx) -> Result<(), String> {
    expect_script(
        (5, 1, 10),
        &[
            (0, allow(4)),
            (0, allow(3)),
            (0, allow(2)),
            (0, allow(1)),
            (0, allow(0)),
            (0, reject(10)),
        ],
    )
}

fn fractional_refill(_: &mut Ctx) -> Result<(), String> {
    expect_script(
        (2, 3, 10),
        &[
            (0, allow(1)),
            (0, allow(0)),
            (3, reject(1)),
            (4, allow(0)),
            (4, reject(3)),
            (6, reject(1)),
            (7, allow(0)),
        ],
    )?;
    expect_script(
        (2, 1, 2),
        &[(0, allow(1)), (0, allow(0)), (1, reject(1)), (2, allow(0))],
    )?;
    // A tenth of a token per tick, added up one tick at a time: floating point drifts here.
    let mut script = vec![(0, allow(0))];
    script.extend((1..10).map(|t| (t, reject(10 - t))));
    script.push((10, allow(0)));
    expect_script((1, 1, 10), &script)
}

fn capped_after_idle(_: &mut Ctx) -> Result<(), String> {
    expect_script(
        (3, 1, 1),
        &[
            (0, allow(2)),
            (0, allow(1)),
            (0, allow(0)),
            (1_000_000, allow(2)),
            (1_000_000, allow(1)),
            (1_000_000, allow(0)),
            (1_000_000, reject(1)),
        ],
    )
}

/// Every small configuration: capacity 1 to 4, 1 to 5 tokens per 1 to 20 ticks.
fn exact_retry_after(_: &mut Ctx) -> Result<(), String> {
    let configs = (1..=4u64).flat_map(|capacity| {
        (1..=5u64).flat_map(move |tokens| (1..=20u64).map(move |ticks| (capacity, tokens, ticks)))
    });
    for (capacity, tokens, ticks) in configs {
        let mut bucket = TokenBucket::new(capacity, tokens, ticks);
        let mut now = 0;
        while matches!(bucket.try_acquire(now), Decision::Allow { .. }) {}
        let Decision::Reject { retry_after } = bucket.try_acquire(now) else {
            return Err("an empty bucket allowed a request".to_string());
        };
        if retry_after > 1 {
            let early = bucket.try_acquire(now + retry_after - 1);
            expect(matches!(early, Decision::Reject { .. }), || {
                format!(
                    "bucket of {capacity} refilling {tokens} per {ticks}: emptied at t=0 and \
                     told Retry-After {retry_after}, a request at t={} expected a 429; got {}",
                    retry_after - 1,
                    show(&early),
                )
            })?;
            now += retry_after - 1;
        }
        let on_time = bucket.try_acquire(now.max(retry_after));
        expect(matches!(on_time, Decision::Allow { .. }), || {
            format!(
                "bucket of {capacity} refilling {tokens} per {ticks}: emptied at t=0 and told \
                 Retry-After {retry_after}, a request at t={retry_after} expected to be allowed; \
                 got {}",
                show(&on_time),
            )
        })?;
    }
    Ok(())
}

fn clock_backwards(_: &mut Ctx) -> Result<(), String> {
    expect_script(
        (1, 1, 10),
        &[
            (100, allow(0)),
            (50, reject(10)),
            (105, reject(5)),
            (110, allow(0)),
        ],
    )
}

fn huge_idle(_: &mut Ctx) -> Result<(), String> {
    expect_script(
        (2, 1_000_000, 1),
        &[
            (0, allow(1)),
            (u64::MAX / 2, allow(1)),
            (u64::MAX / 2, allow(0)),
            (u64::MAX, allow(1)),
        ],
    )
}

/// The model, in the same exact units as the reference.
struct Model {
    unit: u128,
    per_tick: u128,
    max: u128,
    units: u128,
    last: u64,
}

impl Model {
    fn acquire(&mut self, now: u64) -> Decision {
        if now > self.last {
            let gained = u128::from(now - self.last) * self.per_tick;
            self.units = (self.units + gained).min(self.max);
            self.last = now;
        }
        if self.units >= self.unit {
            self.units -= self.unit;
            allow((self.units / self.unit) as u64)
        } else {
            reject((self.unit - self.units).div_ceil(self.per_tick) as u64)
        }
    }
}

fn random_traffic(ctx: &mut Ctx) -> Result<(), String> {
    for _ in 0..30 {
        let capacity = 1 + ctx.rng().below(6);
        let tokens = 1 + ctx.rng().below(7);
        let ticks = 1 + ctx.rng().below(30);
        let mut bucket = TokenBucket::new(capacity, tokens, ticks);
        let mut model = Model {
            unit: u128::from(ticks),
            per_tick: u128::from(tokens),
            max: u128::from(capacity * ticks),
            units: u128::from(capacity * ticks),
            last: 0,
        };
        let mut now = 0;
        let mut times = Vec::new();
        for _ in 0..80 {
            now += ctx.rng().below(8);
            times.push(now);
            let expected = model.acquire(now);
            let got = bucket.try_acquire(now);
            expect(got == expected, || {
                let recent = &times[times.len().saturating_sub(6)..];
                format!(
                    "bucket of {capacity} refilling {tokens} per {ticks} ticks, requests at \
                     ...{recent:?}: the last expected {}; got {} (seed {})",
                    show(&expected),
                    show(&got),
                    ctx.seed()
                )
            })?;
        }
    }
    Ok(())
}
