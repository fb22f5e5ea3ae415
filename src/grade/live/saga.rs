use super::process::{LiveProcess, expect_ok};
use super::wire::{decode, encode};
use crate::sim::contract::{Participants, SagaOrchestrator, SagaOutcome, SagaStep, StepKind};

/// The student's saga orchestrator, running in its own process. Each participant call it
/// makes is relayed back here and answered by the caller's `Participants`.
pub struct RemoteSagaOrchestrator {
    process: LiveProcess,
}

impl RemoteSagaOrchestrator {
    /// Makes a fresh instance of the student's type in `process`. Fails when it does not
    /// answer.
    pub fn new(mut process: LiveProcess) -> Result<Self, String> {
        expect_ok(process.call("new"))?;
        Ok(RemoteSagaOrchestrator { process })
    }

    /// A fresh instance, as when the visualization resets.
    pub fn reset(&mut self) -> Result<(), String> {
        expect_ok(self.process.call("new"))
    }

    pub fn error(&self) -> Option<&str> {
        self.process.error()
    }

    pub fn process_mut(&mut self) -> &mut LiveProcess {
        &mut self.process
    }

    fn relay(
        &mut self,
        steps: &[SagaStep],
        participants: &mut dyn Participants,
    ) -> Result<SagaOutcome, String> {
        let list = if steps.is_empty() {
            "-".to_string()
        } else {
            steps
                .iter()
                .map(|s| {
                    let kind = match s.kind {
                        StepKind::Compensatable => "C",
                        StepKind::ReadOnly => "R",
                        StepKind::Pivot => "P",
                        StepKind::Retriable => "T",
                    };
                    format!("{},{kind}", encode(&s.name))
                })
                .collect::<Vec<_>>()
                .join(";")
        };
        self.process.send(&format!("run {list}"))?;
        loop {
            let line = self.process.receive()?;
            let words: Vec<&str> = line.split(' ').collect();
            let step = |i: &str| i.parse::<usize>().ok().filter(|&i| i < steps.len());
            match words.as_slice() {
                ["execute", i] | ["compensate", i] => {
                    let Some(index) = step(i) else {
                        return Err(self.process.abandon(format!(
                            "your code called {line}, a step that does not exist"
                        )));
                    };
                    let result = if words[0] == "execute" {
                        participants.execute(index)
                    } else {
                        participants.compensate(index)
                    };
                    let reply = match result {
                        Ok(()) => "ok".to_string(),
                        Err(e) => format!("err {}", encode(&e)),
                    };
                    self.process.send(&reply)?;
                }
                ["outcome", "completed"] => return Ok(SagaOutcome::Completed),
                ["outcome", "compensated", i] => {
                    if let Ok(failed_step) = i.parse() {
                        return Ok(SagaOutcome::Compensated { failed_step });
                    }
                }
                ["outcome", "stuck", i, reason] => {
                    if let (Ok(step), Some(reason)) = (i.parse(), decode(reason)) {
                        return Ok(SagaOutcome::Stuck { step, reason });
                    }
                }
                _ => {}
            }
            if line.starts_with("outcome") {
                return Err(self.process.abandon(format!("unexpected answer: {line}")));
            }
        }
    }
}

impl SagaOrchestrator for RemoteSagaOrchestrator {
    /// When the student's code fails, the saga is reported `Stuck` at step 0 with the reason;
    /// [`RemoteSagaOrchestrator::error`] holds it too.
    fn run(&mut self, steps: &[SagaStep], participants: &mut dyn Participants) -> SagaOutcome {
        match self.relay(steps, participants) {
            Ok(outcome) => outcome,
            Err(reason) => SagaOutcome::Stuck {
                step: 0,
                reason: format!("your orchestrator failed: {reason}"),
            },
        }
    }
}
