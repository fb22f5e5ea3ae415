//! A saga orchestrator: the reference solution.

use sysdesign_support::contract::{
    MAX_ATTEMPTS, Participants, SagaOrchestrator, SagaOutcome, SagaStep, StepKind,
};

pub struct Orchestrator;

impl Orchestrator {
    pub fn new() -> Self {
        Orchestrator
    }
}

impl Default for Orchestrator {
    fn default() -> Self {
        Self::new()
    }
}

/// Calls `action` up to `MAX_ATTEMPTS` times; the last error when every call failed.
fn with_retries(mut action: impl FnMut() -> Result<(), String>) -> Result<(), String> {
    let mut last = Ok(());
    for _ in 0..MAX_ATTEMPTS {
        last = action();
        if last.is_ok() {
            break;
        }
    }
    last
}

impl SagaOrchestrator for Orchestrator {
    fn run(&mut self, steps: &[SagaStep], participants: &mut dyn Participants) -> SagaOutcome {
        let mut completed: Vec<usize> = Vec::new();
        let mut past_pivot = false;
        for (i, step) in steps.iter().enumerate() {
            if past_pivot || step.kind == StepKind::Retriable {
                if let Err(reason) = with_retries(|| participants.execute(i)) {
                    return SagaOutcome::Stuck { step: i, reason };
                }
            } else if participants.execute(i).is_err() {
                for &done in completed.iter().rev() {
                    if steps[done].kind == StepKind::ReadOnly {
                        continue;
                    }
                    if let Err(reason) = with_retries(|| participants.compensate(done)) {
                        return SagaOutcome::Stuck { step: done, reason };
                    }
                }
                return SagaOutcome::Compensated { failed_step: i };
            }
            completed.push(i);
            if step.kind == StepKind::Pivot {
                past_pivot = true;
            }
        }
        SagaOutcome::Completed
    }
}
