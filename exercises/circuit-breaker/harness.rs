//! Checks for the circuit-breaker exercise: scripts of calls on a logical clock.

use sysdesign_checks::{Check, Ctx};

use crate::{CircuitBreaker, State};

pub fn checks() -> Vec<Check> {
    vec![
        Check::new("stays closed below the threshold", below_threshold),
        Check::new("opens at exactly the threshold", at_threshold),
        Check::new("a success resets the failure count", success_resets),
        Check::new(
            "rejects while open, until the cooldown ends",
            rejects_while_open,
        ),
        Check::new(
            "lets exactly one trial through when half-open",
            single_trial,
        ),
        Check::new(
            "a failed trial re-opens with a fresh cooldown",
            failed_trial,
        ),
        Check::new(
            "a successful trial closes and resets the count",
            successful_trial,
        ),
        Check::new("late results while open change nothing", late_results),
        Check::seeded("matches a model under random traffic", random_traffic),
    ]
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Allow(u64, bool),
    Fail(u64),
    Succeed(u64),
    State(u64, State),
}

fn describe(step: &Step) -> String {
    match step {
        Step::Allow(t, _) => format!("t={t} allow"),
        Step::Fail(t) => format!("t={t} failure"),
        Step::Succeed(t) => format!("t={t} success"),
        Step::State(t, _) => format!("t={t} state"),
    }
}

fn run(threshold: u32, cooldown: u64, script: &[Step]) -> Result<(), String> {
    let mut breaker = CircuitBreaker::new(threshold, cooldown);
    let mut done: Vec<String> = Vec::new();
    for step in script {
        let mismatch = match *step {
            Step::Allow(t, expected) => {
                let got = breaker.allow(t);
                (got != expected).then(|| format!("{expected}; got {got}"))
            }
            Step::State(t, expected) => {
                let got = breaker.state(t);
                (got != expected).then(|| format!("{expected:?}; got {got:?}"))
            }
            Step::Fail(t) => {
                breaker.record_failure(t);
                None
            }
            Step::Succeed(t) => {
                breaker.record_success(t);
                None
            }
        };
        if let Some(mismatch) = mismatch {
            let before = if done.is_empty() {
                "on a new breaker".to_string()
            } else {
                format!("after {}", done.join(", "))
            };
            return Err(format!(
                "threshold {threshold}, cooldown {cooldown}, {before}: {} expected {mismatch}",
                describe(step)
            ));
        }
        done.push(describe(step));
    }
    Ok(())
}

use Step::{Allow, Fail, Succeed};

fn state(t: u64, s: State) -> Step {
    Step::State(t, s)
}

fn below_threshold(_: &mut Ctx) -> Result<(), String> {
    run(
        3,
        10,
        &[Fail(1), Fail(2), state(2, State::Closed), Allow(3, true)],
    )
}

fn at_threshold(_: &mut Ctx) -> Result<(), String> {
    run(
        3,
        10,
        &[
            Fail(1),
            Fail(2),
            Fail(3),
            state(3, State::Open),
            Allow(4, false),
        ],
    )?;
    run(1, 10, &[Fail(1), state(1, State::Open), Allow(2, false)])
}

fn success_resets(_: &mut Ctx) -> Result<(), String> {
    run(
        3,
        10,
        &[
            Fail(1),
            Fail(2),
            Succeed(3),
            Fail(4),
            Fail(5),
            state(5, State::Closed),
            Fail(6),
            state(6, State::Open),
        ],
    )
}

fn rejects_while_open(_: &mut Ctx) -> Result<(), String> {
    run(
        2,
        5,
        &[
            Fail(9),
            Fail(10),
            Allow(10, false),
            Allow(14, false),
            state(14, State::Open),
            state(15, State::HalfOpen),
            Allow(15, true),
        ],
    )
}

fn single_trial(_: &mut Ctx) -> Result<(), String> {
    run(
        1,
        5,
        &[
            Fail(10),
            Allow(15, true),
            Allow(15, false),
            Allow(16, false),
            state(16, State::HalfOpen),
        ],
    )
}

fn failed_trial(_: &mut Ctx) -> Result<(), String> {
    run(
        1,
        5,
        &[
            Fail(10),
            Allow(15, true),
            Fail(17),
            state(17, State::Open),
            Allow(21, false),
            Allow(22, true),
        ],
    )
}

fn successful_trial(_: &mut Ctx) -> Result<(), String> {
    run(
        3,
        5,
        &[
            Fail(1),
            Fail(2),
            Fail(3),
            Allow(8, true),
            Succeed(9),
            state(9, State::Closed),
            Allow(9, true),
            Fail(10),
            Fail(11),
            state(11, State::Closed),
            Fail(12),
            state(12, State::Open),
        ],
    )
}

fn late_results(_: &mut Ctx) -> Result<(), String> {
    run(
        2,
        5,
        &[
            Fail(1),
            Fail(2),
            Succeed(3),
            state(3, State::Open),
            Allow(4, false),
            Fail(6),
            Allow(7, true),
        ],
    )
}

/// The model random traffic is compared with.
#[derive(Clone, Copy)]
enum Phase {
    Closed(u32),
    Open(u64),
    HalfOpen(bool),
}

fn random_traffic(ctx: &mut Ctx) -> Result<(), String> {
    for _ in 0..40 {
        let threshold = 1 + ctx.rng().below(4) as u32;
        let cooldown = 1 + ctx.rng().below(6);
        let mut phase = Phase::Closed(0);
        let mut now = 0;
        let mut script = Vec::new();
        for _ in 0..60 {
            now += ctx.rng().below(3);
            let step = match ctx.rng().below(4) {
                0 => {
                    let allowed = match phase {
                        Phase::Closed(_) => true,
                        Phase::Open(since) if now >= since + cooldown => {
                            phase = Phase::HalfOpen(true);
                            true
                        }
                        Phase::Open(_) | Phase::HalfOpen(true) => false,
                        Phase::HalfOpen(false) => {
                            phase = Phase::HalfOpen(true);
                            true
                        }
                    };
                    Allow(now, allowed)
                }
                1 => {
                    phase = match phase {
                        Phase::Closed(_) | Phase::HalfOpen(_) => Phase::Closed(0),
                        open => open,
                    };
                    Succeed(now)
                }
                2 => {
                    phase = match phase {
                        Phase::Closed(n) if n + 1 >= threshold => Phase::Open(now),
                        Phase::Closed(n) => Phase::Closed(n + 1),
                        Phase::HalfOpen(_) => Phase::Open(now),
                        open => open,
                    };
                    Fail(now)
                }
                _ => Step::State(
                    now,
                    match phase {
                        Phase::Closed(_) => State::Closed,
                        Phase::Open(since) if now >= since + cooldown => State::HalfOpen,
                        Phase::Open(_) => State::Open,
                        Phase::HalfOpen(_) => State::HalfOpen,
                    },
                ),
            };
            script.push(step);
        }
        run(threshold, cooldown, &script).map_err(|e| {
            let e = if e.len() > 600 {
                let tail = e.len() - 500;
                let cut = (tail..e.len())
                    .find(|&i| e.is_char_boundary(i))
                    .unwrap_or(tail);
                format!("...{}", &e[cut..])
            } else {
                e
            };
            format!("{e} (seed {})", ctx.seed())
        })?;
    }
    Ok(())
}
