//! The reference `contract::SagaOrchestrator`: runs the steps in order and, when one fails
//! before the pivot has succeeded, compensates the completed compensatable steps in reverse.
//!
//! - A retriable step is tried up to `MAX_ATTEMPTS` times; any other step once, because its
//!   failure is a business answer (a declined card), not a glitch.
//! - A compensation is tried up to `MAX_ATTEMPTS` times.
//! - Once the pivot has succeeded there is no way back: a step that still fails leaves the
//!   saga `Stuck`, as does a compensation that keeps failing. A human must step in.

use super::contract::{
    MAX_ATTEMPTS, Participants, SagaOrchestrator, SagaOutcome, SagaStep, StepKind,
};

#[derive(Debug, Default, Clone, Copy)]
pub struct SequentialOrchestrator;

/// Call `action` until it succeeds or has failed `attempts` times; the last error on failure.
pub fn attempt(
    attempts: u32,
    mut action: impl FnMut() -> Result<(), String>,
) -> Result<(), String> {
    let mut last = Ok(());
    for _ in 0..attempts {
        last = action();
        if last.is_ok() {
            break;
        }
    }
    last
}

/// Undo the completed compensatable steps among `steps[..failed]`, newest first.
pub fn compensate(
    steps: &[SagaStep],
    failed: usize,
    participants: &mut dyn Participants,
) -> SagaOutcome {
    for (i, step) in steps[..failed].iter().enumerate().rev() {
        if step.kind != StepKind::Compensatable {
            continue;
        }
        if let Err(e) = attempt(MAX_ATTEMPTS, || participants.compensate(i)) {
            return SagaOutcome::Stuck {
                step: i,
                reason: format!(
                    "compensating `{}` failed {MAX_ATTEMPTS} times: {e}",
                    step.name
                ),
            };
        }
    }
    SagaOutcome::Compensated {
        failed_step: failed,
    }
}

impl SagaOrchestrator for SequentialOrchestrator {
    fn run(&mut self, steps: &[SagaStep], participants: &mut dyn Participants) -> SagaOutcome {
        let mut past_pivot = false;
        for (i, step) in steps.iter().enumerate() {
            let attempts = if step.kind == StepKind::Retriable {
                MAX_ATTEMPTS
            } else {
                1
            };
            match attempt(attempts, || participants.execute(i)) {
                Ok(()) => past_pivot |= step.kind == StepKind::Pivot,
                Err(e) if past_pivot => {
                    return SagaOutcome::Stuck {
                        step: i,
                        reason: format!(
                            "`{}` failed {attempts} time(s) after the pivot: {e}",
                            step.name
                        ),
                    };
                }
                Err(_) => return compensate(steps, i, participants),
            }
        }
        SagaOutcome::Completed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::saga_participants::{CallKind, Faults, ScriptedParticipants};

    fn steps(kinds: &[StepKind]) -> Vec<SagaStep> {
        kinds
            .iter()
            .enumerate()
            .map(|(i, &kind)| SagaStep {
                name: format!("step{i}"),
                kind,
            })
            .collect()
    }

    use StepKind::*;
    const KINDS: [StepKind; 6] = [
        Compensatable,
        ReadOnly,
        Compensatable,
        Compensatable,
        Pivot,
        Retriable,
    ];

    fn run(faults: Faults) -> (SagaOutcome, Vec<(usize, CallKind, bool)>) {
        let mut p = ScriptedParticipants::new(&KINDS, faults);
        let outcome = SequentialOrchestrator.run(&steps(&KINDS), &mut p);
        let calls = p
            .calls()
            .iter()
            .map(|c| (c.step, c.kind, c.result.is_ok()))
            .collect();
        (outcome, calls)
    }

    #[test]
    fn a_failed_pivot_compensates_in_reverse_skipping_read_only() {
        let (outcome, calls) = run(Faults {
            fail_step: Some(4),
            ..Faults::default()
        });
        assert_eq!(outcome, SagaOutcome::Compensated { failed_step: 4 });
        let compensations: Vec<usize> = calls
            .iter()
            .filter(|c| c.1 == CallKind::Compensate)
            .map(|c| c.0)
            .collect();
        assert_eq!(compensations, vec![3, 2, 0]);
    }

    #[test]
    fn a_failing_compensation_is_retried_then_the_saga_is_stuck() {
        let retried = Faults {
            fail_step: Some(4),
            fail_compensation: Some(2),
            failures: 2,
        };
        let (outcome, calls) = run(retried);
        assert_eq!(outcome, SagaOutcome::Compensated { failed_step: 4 });
        assert_eq!(
            calls
                .iter()
                .filter(|c| c.0 == 2 && c.1 == CallKind::Compensate)
                .count(),
            3
        );
        let (outcome, calls) = run(Faults {
            failures: MAX_ATTEMPTS,
            ..retried
        });
        assert!(
            matches!(outcome, SagaOutcome::Stuck { step: 2, .. }),
            "{outcome:?}"
        );
        assert!(
            !calls
                .iter()
                .any(|c| c.0 == 0 && c.1 == CallKind::Compensate),
            "a stuck saga stops compensating"
        );
    }

    #[test]
    fn after_the_pivot_a_retriable_step_is_retried_never_compensated() {
        let (outcome, calls) = run(Faults {
            fail_step: Some(5),
            fail_compensation: None,
            failures: 2,
        });
        assert_eq!(outcome, SagaOutcome::Completed);
        assert_eq!(calls.iter().filter(|c| c.0 == 5).count(), 3);
        let (outcome, calls) = run(Faults {
            fail_step: Some(5),
            fail_compensation: None,
            failures: 5,
        });
        assert!(matches!(outcome, SagaOutcome::Stuck { step: 5, .. }));
        assert!(calls.iter().all(|c| c.1 == CallKind::Execute));
    }
}
