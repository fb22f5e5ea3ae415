//! Saga participants with injected faults, which record every call made to them.
//!
//! An orchestrator's `run` executes a whole saga in one call, far faster than anyone can
//! watch. So the simulation runs it against these participants first, keeps the calls, and
//! then replays them one per tick, which lets the student see each command, each failure and
//! each compensation in order.

use super::contract::{Participants, StepKind};

/// Calls kept per saga. A correct orchestrator makes a few dozen at most; the cap keeps a
/// runaway one from growing memory without bound.
pub const MAX_RECORDED_CALLS: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Faults {
    /// This step's local transaction fails (0-based). A retriable step fails `failures`
    /// times and then succeeds; any other step fails every time, as a business rule would.
    pub fail_step: Option<usize>,
    /// This step's compensation fails `failures` times, then succeeds.
    pub fail_compensation: Option<usize>,
    pub failures: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    Execute,
    Compensate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub step: usize,
    pub kind: CallKind,
    /// 1 for the first call of this kind to this step, 2 for the first retry, ...
    pub attempt: u32,
    pub result: Result<(), String>,
    /// Choreography only: the event the service reacted to, and the one it published.
    pub trigger: Option<&'static str>,
    pub published: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct ScriptedParticipants {
    kinds: Vec<StepKind>,
    reasons: Vec<&'static str>,
    faults: Faults,
    executions: Vec<u32>,
    compensations: Vec<u32>,
    calls: Vec<Call>,
    dropped: u64,
    trigger: Option<&'static str>,
}

impl ScriptedParticipants {
    pub fn new(kinds: &[StepKind], faults: Faults) -> Self {
        ScriptedParticipants {
            kinds: kinds.to_vec(),
            reasons: Vec::new(),
            faults,
            executions: vec![0; kinds.len()],
            compensations: vec![0; kinds.len()],
            calls: Vec::new(),
            dropped: 0,
            trigger: None,
        }
    }

    /// Why each step fails when the fault hits it, for the messages the orchestrator sees.
    pub fn with_reasons(mut self, reasons: &[&'static str]) -> Self {
        self.reasons = reasons.to_vec();
        self
    }

    pub fn calls(&self) -> &[Call] {
        &self.calls
    }

    pub fn into_calls(self) -> Vec<Call> {
        self.calls
    }

    /// Calls beyond `MAX_RECORDED_CALLS`, answered but not kept.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Choreography: the event the next calls react to.
    pub fn set_trigger(&mut self, event: Option<&'static str>) {
        self.trigger = event;
    }

    /// Choreography: the event the last call's service published as a result.
    pub fn publish(&mut self, event: &'static str) {
        if let Some(last) = self.calls.last_mut() {
            last.published = Some(event);
        }
    }

    fn reason(&self, step: usize) -> &'static str {
        self.reasons
            .get(step)
            .copied()
            .unwrap_or("injected failure")
    }

    fn record(&mut self, step: usize, kind: CallKind, attempt: u32, result: Result<(), String>) {
        if self.calls.len() == MAX_RECORDED_CALLS {
            self.dropped += 1;
            return;
        }
        self.calls.push(Call {
            step,
            kind,
            attempt,
            result,
            trigger: self.trigger,
            published: None,
        });
    }

    fn no_such_step(&mut self, step: usize, kind: CallKind) -> Result<(), String> {
        let err = Err(format!(
            "there is no step {step}: the saga has {} steps",
            self.kinds.len()
        ));
        self.record(step, kind, 1, err.clone());
        err
    }
}

impl Participants for ScriptedParticipants {
    fn execute(&mut self, step: usize) -> Result<(), String> {
        let Some(attempts) = self.executions.get_mut(step) else {
            return self.no_such_step(step, CallKind::Execute);
        };
        *attempts += 1;
        let attempt = *attempts;
        let transient = self.kinds[step] == StepKind::Retriable;
        let fails =
            self.faults.fail_step == Some(step) && (!transient || attempt <= self.faults.failures);
        let result = if fails {
            Err(self.reason(step).to_string())
        } else {
            Ok(())
        };
        self.record(step, CallKind::Execute, attempt, result.clone());
        result
    }

    fn compensate(&mut self, step: usize) -> Result<(), String> {
        let Some(attempts) = self.compensations.get_mut(step) else {
            return self.no_such_step(step, CallKind::Compensate);
        };
        *attempts += 1;
        let attempt = *attempts;
        let fails = self.faults.fail_compensation == Some(step) && attempt <= self.faults.failures;
        let result = if fails {
            Err("service timed out".to_string())
        } else {
            Ok(())
        };
        self.record(step, CallKind::Compensate, attempt, result.clone());
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [StepKind; 3] = [
        StepKind::Compensatable,
        StepKind::Pivot,
        StepKind::Retriable,
    ];

    #[test]
    fn retriable_faults_are_transient_and_others_permanent() {
        let faults = Faults {
            fail_step: Some(2),
            fail_compensation: None,
            failures: 2,
        };
        let mut p = ScriptedParticipants::new(&KINDS, faults);
        assert!(p.execute(2).is_err());
        assert!(p.execute(2).is_err());
        assert!(p.execute(2).is_ok());
        let faults = Faults {
            fail_step: Some(1),
            ..faults
        };
        let mut p = ScriptedParticipants::new(&KINDS, faults);
        assert!((0..5).all(|_| p.execute(1).is_err()));
        assert_eq!(p.calls().last().map(|c| c.attempt), Some(5));
    }

    #[test]
    fn out_of_range_steps_are_errors_that_are_recorded() {
        let mut p = ScriptedParticipants::new(&KINDS, Faults::default());
        assert!(p.execute(7).is_err());
        assert!(p.compensate(3).is_err());
        assert_eq!(p.calls().len(), 2);
    }

    #[test]
    fn recording_is_capped() {
        let mut p = ScriptedParticipants::new(&KINDS, Faults::default());
        for _ in 0..MAX_RECORDED_CALLS + 10 {
            let _ = p.execute(0);
        }
        assert_eq!(p.calls().len(), MAX_RECORDED_CALLS);
        assert_eq!(p.dropped(), 10);
    }
}
