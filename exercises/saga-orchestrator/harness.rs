//! Checks for the saga-orchestrator exercise. Participants follow a script of failures and
//! record every call, so each check compares the exact sequence of calls and the outcome.

use std::collections::BTreeMap;

use sysdesign_checks::{Check, Ctx, Live, expect};
use sysdesign_support::contract::{
    MAX_ATTEMPTS, Participants, SagaOrchestrator, SagaOutcome, SagaStep, StepKind,
};

use crate::Orchestrator;

pub fn checks() -> Vec<Check> {
    vec![
        Check::new("runs every step in order when all succeed", all_succeed),
        Check::new(
            "compensates completed steps in reverse order",
            reverse_order,
        ),
        Check::new("does not compensate read-only steps", skips_read_only),
        Check::new("a failing first step compensates nothing", first_fails),
        Check::new("retries a failing compensation", retries_compensation),
        Check::new(
            "gives up after MAX_ATTEMPTS failed compensations",
            stuck_compensation,
        ),
        Check::new(
            "a failing pivot compensates the steps before it",
            pivot_fails,
        ),
        Check::new(
            "after the pivot, retries instead of compensating",
            retries_after_pivot,
        ),
        Check::new(
            "a retriable step that keeps failing leaves the saga stuck",
            stuck_retriable,
        ),
        Check::new(
            "after the pivot, retries a step of any kind",
            any_kind_after_pivot,
        ),
        Check::new(
            "retries a retriable step before the pivot too",
            retriable_before_pivot,
        ),
        Check::seeded("matches a model on random sagas", random_sagas),
    ]
}

pub fn live() -> Live {
    Live::Saga(|| Box::new(Orchestrator::new()))
}

/// How many times each call fails before it succeeds (`u32::MAX`: always).
#[derive(Clone, Default)]
struct Script {
    execute: BTreeMap<usize, u32>,
    compensate: BTreeMap<usize, u32>,
}

struct Recorder {
    script: Script,
    calls: Vec<String>,
}

impl Recorder {
    fn new(script: Script) -> Self {
        Recorder {
            script,
            calls: Vec::new(),
        }
    }

    /// Each error names its call ("exec 4 failed (call 3)"), so a `Stuck` reason shows
    /// whether it is the last error or an earlier one.
    fn call(&mut self, verb: &str, step: usize, compensate: bool) -> Result<(), String> {
        let call = format!("{verb} {step}");
        self.calls.push(call.clone());
        let failures = if compensate {
            self.script.compensate.get_mut(&step)
        } else {
            self.script.execute.get_mut(&step)
        };
        match failures {
            Some(left) if *left > 0 => {
                *left = left.saturating_sub(1);
                let n = self.calls.iter().filter(|c| **c == call).count();
                Err(failed(&call, n))
            }
            _ => Ok(()),
        }
    }
}

/// The error of the `n`th call of `call` ("exec 4").
fn failed(call: &str, n: usize) -> String {
    format!("{call} failed (call {n})")
}

impl Participants for Recorder {
    fn execute(&mut self, step: usize) -> Result<(), String> {
        self.call("exec", step, false)
    }

    fn compensate(&mut self, step: usize) -> Result<(), String> {
        self.call("comp", step, true)
    }
}

const ALWAYS: u32 = u32::MAX;

fn saga(spec: &[(&str, StepKind)]) -> Vec<SagaStep> {
    spec.iter()
        .map(|&(name, kind)| SagaStep {
            name: name.to_string(),
            kind,
        })
        .collect()
}

fn describe(steps: &[SagaStep], script: &Script) -> String {
    let parts: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let kind = match s.kind {
                StepKind::Compensatable => "compensatable",
                StepKind::ReadOnly => "read-only",
                StepKind::Pivot => "pivot",
                StepKind::Retriable => "retriable",
            };
            let mut faults = Vec::new();
            match script.execute.get(&i) {
                Some(&ALWAYS) => faults.push("always fails".to_string()),
                Some(n) => faults.push(format!("fails {n}x")),
                None => {}
            }
            match script.compensate.get(&i) {
                Some(&ALWAYS) => faults.push("compensation always fails".to_string()),
                Some(n) => faults.push(format!("compensation fails {n}x")),
                None => {}
            }
            if faults.is_empty() {
                format!("{i}:{}({kind})", s.name)
            } else {
                format!("{i}:{}({kind}, {})", s.name, faults.join(", "))
            }
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// Runs the student's orchestrator and compares the calls and the outcome.
fn expect_run(
    steps: &[SagaStep],
    script: Script,
    calls: &[&str],
    outcome: SagaOutcome,
) -> Result<(), String> {
    let shown = describe(steps, &script);
    let mut recorder = Recorder::new(script);
    let got = Orchestrator::new().run(steps, &mut recorder);
    expect(recorder.calls == calls && got == outcome, || {
        format!(
            "saga {shown}: expected calls [{}] and {outcome:?}; got [{}] and {got:?}",
            calls.join(", "),
            recorder.calls.join(", ")
        )
    })
}

fn order_saga() -> Vec<SagaStep> {
    saga(&[
        ("create-order", StepKind::Compensatable),
        ("check-customer", StepKind::ReadOnly),
        ("reserve-stock", StepKind::Compensatable),
        ("authorize-card", StepKind::Pivot),
        ("ship", StepKind::Retriable),
        ("notify", StepKind::Retriable),
    ])
}

fn script(execute: &[(usize, u32)], compensate: &[(usize, u32)]) -> Script {
    Script {
        execute: execute.iter().copied().collect(),
        compensate: compensate.iter().copied().collect(),
    }
}

fn all_succeed(_: &mut Ctx) -> Result<(), String> {
    expect_run(
        &order_saga(),
        Script::default(),
        &["exec 0", "exec 1", "exec 2", "exec 3", "exec 4", "exec 5"],
        SagaOutcome::Completed,
    )?;
    expect_run(&[], Script::default(), &[], SagaOutcome::Completed)
}

fn reverse_order(_: &mut Ctx) -> Result<(), String> {
    let steps = saga(&[
        ("reserve", StepKind::Compensatable),
        ("charge", StepKind::Compensatable),
        ("book", StepKind::Compensatable),
    ]);
    expect_run(
        &steps,
        script(&[(2, ALWAYS)], &[]),
        &["exec 0", "exec 1", "exec 2", "comp 1", "comp 0"],
        SagaOutcome::Compensated { failed_step: 2 },
    )
}

fn skips_read_only(_: &mut Ctx) -> Result<(), String> {
    expect_run(
        &order_saga(),
        script(&[(3, ALWAYS)], &[]),
        &["exec 0", "exec 1", "exec 2", "exec 3", "comp 2", "comp 0"],
        SagaOutcome::Compensated { failed_step: 3 },
    )
}

fn first_fails(_: &mut Ctx) -> Result<(), String> {
    expect_run(
        &order_saga(),
        script(&[(0, ALWAYS)], &[]),
        &["exec 0"],
        SagaOutcome::Compensated { failed_step: 0 },
    )
}

fn retries_compensation(_: &mut Ctx) -> Result<(), String> {
    expect_run(
        &order_saga(),
        script(&[(2, ALWAYS)], &[(0, 2)]),
        &["exec 0", "exec 1", "exec 2", "comp 0", "comp 0", "comp 0"],
        SagaOutcome::Compensated { failed_step: 2 },
    )
}

fn stuck_compensation(_: &mut Ctx) -> Result<(), String> {
    let steps = saga(&[
        ("reserve", StepKind::Compensatable),
        ("charge", StepKind::Compensatable),
        ("book", StepKind::Compensatable),
    ]);
    let mut calls = vec!["exec 0", "exec 1", "exec 2"];
    calls.extend(std::iter::repeat_n("comp 1", MAX_ATTEMPTS as usize));
    expect_run(
        &steps,
        script(&[(2, ALWAYS)], &[(1, ALWAYS)]),
        &calls,
        SagaOutcome::Stuck {
            step: 1,
            reason: failed("comp 1", MAX_ATTEMPTS as usize),
        },
    )
}

fn pivot_fails(_: &mut Ctx) -> Result<(), String> {
    let steps = saga(&[
        ("reserve", StepKind::Compensatable),
        ("hold", StepKind::Compensatable),
        ("authorize", StepKind::Pivot),
        ("ship", StepKind::Retriable),
    ]);
    expect_run(
        &steps,
        script(&[(2, 1)], &[]),
        &["exec 0", "exec 1", "exec 2", "comp 1", "comp 0"],
        SagaOutcome::Compensated { failed_step: 2 },
    )
}

fn retries_after_pivot(_: &mut Ctx) -> Result<(), String> {
    expect_run(
        &order_saga(),
        script(&[(4, 2)], &[]),
        &[
            "exec 0", "exec 1", "exec 2", "exec 3", "exec 4", "exec 4", "exec 4", "exec 5",
        ],
        SagaOutcome::Completed,
    )
}

fn stuck_retriable(_: &mut Ctx) -> Result<(), String> {
    let mut calls = vec!["exec 0", "exec 1", "exec 2", "exec 3"];
    calls.extend(std::iter::repeat_n("exec 4", MAX_ATTEMPTS as usize));
    expect_run(
        &order_saga(),
        script(&[(4, ALWAYS)], &[]),
        &calls,
        SagaOutcome::Stuck {
            step: 4,
            reason: failed("exec 4", MAX_ATTEMPTS as usize),
        },
    )
}

fn any_kind_after_pivot(_: &mut Ctx) -> Result<(), String> {
    let steps = saga(&[
        ("reserve", StepKind::Compensatable),
        ("authorize", StepKind::Pivot),
        ("ship", StepKind::Compensatable),
        ("audit", StepKind::ReadOnly),
    ]);
    expect_run(
        &steps,
        script(&[(2, 2), (3, 1)], &[]),
        &[
            "exec 0", "exec 1", "exec 2", "exec 2", "exec 2", "exec 3", "exec 3",
        ],
        SagaOutcome::Completed,
    )?;
    let mut calls = vec!["exec 0", "exec 1"];
    calls.extend(std::iter::repeat_n("exec 2", MAX_ATTEMPTS as usize));
    expect_run(
        &steps,
        script(&[(2, ALWAYS)], &[]),
        &calls,
        SagaOutcome::Stuck {
            step: 2,
            reason: failed("exec 2", MAX_ATTEMPTS as usize),
        },
    )
}

fn retriable_before_pivot(_: &mut Ctx) -> Result<(), String> {
    let steps = saga(&[
        ("reserve", StepKind::Compensatable),
        ("quote", StepKind::Retriable),
        ("authorize", StepKind::Pivot),
        ("ship", StepKind::Retriable),
    ]);
    expect_run(
        &steps,
        script(&[(1, 2)], &[]),
        &["exec 0", "exec 1", "exec 1", "exec 1", "exec 2", "exec 3"],
        SagaOutcome::Completed,
    )?;
    let mut calls = vec!["exec 0"];
    calls.extend(std::iter::repeat_n("exec 1", MAX_ATTEMPTS as usize));
    expect_run(
        &steps,
        script(&[(1, ALWAYS)], &[]),
        &calls,
        SagaOutcome::Stuck {
            step: 1,
            reason: failed("exec 1", MAX_ATTEMPTS as usize),
        },
    )
}

/// The reference behaviour random sagas are compared with.
fn model(steps: &[SagaStep], participants: &mut dyn Participants) -> SagaOutcome {
    let retry = |p: &mut dyn Participants, i: usize, compensate: bool| {
        let mut last = Ok(());
        for _ in 0..MAX_ATTEMPTS {
            last = if compensate {
                p.compensate(i)
            } else {
                p.execute(i)
            };
            if last.is_ok() {
                break;
            }
        }
        last
    };
    let mut completed: Vec<usize> = Vec::new();
    let mut past_pivot = false;
    for (i, step) in steps.iter().enumerate() {
        if past_pivot || step.kind == StepKind::Retriable {
            if let Err(reason) = retry(participants, i, false) {
                return SagaOutcome::Stuck { step: i, reason };
            }
        } else if participants.execute(i).is_err() {
            for &done in completed.iter().rev() {
                if steps[done].kind == StepKind::ReadOnly {
                    continue;
                }
                if let Err(reason) = retry(participants, done, true) {
                    return SagaOutcome::Stuck { step: done, reason };
                }
            }
            return SagaOutcome::Compensated { failed_step: i };
        }
        completed.push(i);
        past_pivot |= step.kind == StepKind::Pivot;
    }
    SagaOutcome::Completed
}

fn random_sagas(ctx: &mut Ctx) -> Result<(), String> {
    for _ in 0..200 {
        let before = ctx.rng().below(5) as usize;
        let after = ctx.rng().below(3) as usize;
        let has_pivot = ctx.rng().chance(0.7);
        let mut spec = Vec::new();
        for i in 0..before {
            let kind = match ctx.rng().below(10) {
                0..=2 => StepKind::ReadOnly,
                3 => StepKind::Retriable,
                _ => StepKind::Compensatable,
            };
            spec.push((format!("s{i}"), kind));
        }
        if has_pivot {
            spec.push(("pivot".to_string(), StepKind::Pivot));
            for i in 0..after {
                let kind = if ctx.rng().chance(0.8) {
                    StepKind::Retriable
                } else {
                    StepKind::Compensatable
                };
                spec.push((format!("r{i}"), kind));
            }
        }
        let steps: Vec<SagaStep> = spec
            .into_iter()
            .map(|(name, kind)| SagaStep { name, kind })
            .collect();
        let mut fault = || match ctx.rng().below(6) {
            0 => Some(ALWAYS),
            1 => Some(1),
            2 => Some(MAX_ATTEMPTS - 1),
            3 => Some(MAX_ATTEMPTS),
            _ => None,
        };
        let mut s = Script::default();
        for i in 0..steps.len() {
            if let Some(n) = fault() {
                s.execute.insert(i, n);
            }
            if let Some(n) = fault() {
                s.compensate.insert(i, n);
            }
        }
        let mut reference = Recorder::new(s.clone());
        let outcome = model(&steps, &mut reference);
        let calls: Vec<&str> = reference.calls.iter().map(String::as_str).collect();
        expect_run(&steps, s, &calls, outcome).map_err(|e| format!("{e} (seed {})", ctx.seed()))?;
    }
    Ok(())
}
