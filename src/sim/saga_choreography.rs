//! Choreography: the same saga with no coordinator. Each service subscribes to the events
//! of the others and reacts with its own local transaction, then publishes what happened.
//! A failure event travels back through the services, each undoing its own step and
//! publishing that it did, so the compensations still run in reverse order.
//!
//! Retry rules are the reference orchestrator's, applied by each service to its own work. What
//! differs is that no one is in charge: when a compensation keeps failing, its service stops
//! publishing and the saga simply goes quiet, which is how stuck choreographies look.

use super::contract::{MAX_ATTEMPTS, Participants, SagaOutcome, StepKind};
use super::saga_orchestrator::attempt;
use super::saga_participants::ScriptedParticipants;
use super::saga_steps::{START_EVENT, StepDef};

#[derive(Debug, Clone, Copy)]
enum Event {
    Start,
    Done(usize),
    Failed(usize),
    Undone { step: usize, failed: usize },
}

/// The step whose service listens for this event, and the event's name.
fn event_name(steps: &[StepDef], event: &Event) -> &'static str {
    match *event {
        Event::Start => START_EVENT,
        Event::Done(i) => steps[i].done_event,
        Event::Failed(i) => steps[i].failed_event,
        Event::Undone { step, .. } => steps[step].undone_event,
    }
}

/// The newest completed compensatable step before `before`, whose service reacts next.
fn previous_compensatable(steps: &[StepDef], before: usize) -> Option<usize> {
    steps[..before]
        .iter()
        .rposition(|s| s.kind == StepKind::Compensatable)
}

/// Run the saga by events; every call lands in `participants` with its trigger event.
pub fn run(steps: &[StepDef], participants: &mut ScriptedParticipants) -> SagaOutcome {
    // One event is in flight at a time: each reaction publishes the next one or ends the saga.
    let mut event = Event::Start;
    let mut past_pivot = false;
    loop {
        participants.set_trigger(Some(event_name(steps, &event)));
        event = match event {
            Event::Start | Event::Done(_) => {
                let i = match event {
                    Event::Done(i) => i + 1,
                    _ => 0,
                };
                if i == steps.len() {
                    return SagaOutcome::Completed;
                }
                let attempts = if steps[i].kind == StepKind::Retriable {
                    MAX_ATTEMPTS
                } else {
                    1
                };
                match attempt(attempts, || participants.execute(i)) {
                    Ok(()) => {
                        past_pivot |= steps[i].kind == StepKind::Pivot;
                        participants.publish(steps[i].done_event);
                        Event::Done(i)
                    }
                    Err(e) if past_pivot => {
                        return SagaOutcome::Stuck {
                            step: i,
                            reason: format!(
                                "{} gave up on `{}` after the pivot: {e}",
                                steps[i].service.name(),
                                steps[i].name
                            ),
                        };
                    }
                    Err(_) => {
                        participants.publish(steps[i].failed_event);
                        Event::Failed(i)
                    }
                }
            }
            Event::Failed(failed) | Event::Undone { failed, .. } => {
                let before = match event {
                    Event::Undone { step, .. } => step,
                    _ => failed,
                };
                let Some(j) = previous_compensatable(steps, before) else {
                    return SagaOutcome::Compensated {
                        failed_step: failed,
                    };
                };
                match attempt(MAX_ATTEMPTS, || participants.compensate(j)) {
                    Ok(()) => {
                        participants.publish(steps[j].undone_event);
                        Event::Undone { step: j, failed }
                    }
                    Err(e) => {
                        return SagaOutcome::Stuck {
                            step: j,
                            reason: format!(
                                "{} could not run `{}` and published nothing: {e}",
                                steps[j].service.name(),
                                steps[j].compensation.unwrap_or(steps[j].name)
                            ),
                        };
                    }
                }
            }
        };
    }
}
