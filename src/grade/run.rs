//! Running a built grading binary: every check in file order, each under a time limit, in a
//! fresh process after a timeout or a crash, with the student's output captured and capped.
//!
//! Verdicts come only from the private channel (see `embed/checks.rs`) and only with the
//! run's nonce. A line with the protocol's marker on stdout or stderr, or a channel line
//! without the nonce, is tampering: the run is void and reported as an error that says so.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::events::GradeEvent;
use super::limits::Limits;
use super::process::{self, Ended, Kept, KeptEvent};
use super::result::{CheckResult, Status};
use super::stream::{CappedOutput, MARKER, StreamEvent};

/// One line of the harness protocol (see `embed/checks.rs`).
#[derive(Debug, Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
enum Message {
    Check {
        index: usize,
        name: String,
        task: Option<u32>,
    },
    Start {
        index: usize,
    },
    End {
        index: usize,
        status: String,
        message: Option<String>,
    },
}

/// A check as the harness lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInfo {
    pub name: String,
    pub task: Option<u32>,
}

/// How panic locations in the student's file are shown: the grader compiles it under another
/// path, the student knows it by its workspace path.
pub struct SourceLabel<'a> {
    pub compiled_as: &'a str,
    pub shown_as: &'a str,
}

/// Why a run is void: what the student's code tampered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tampering(pub String);

/// What the runtime prints on stderr when the student's code calls its entry point again.
const REENTRY: &str = "sysdesign grader: the student's code called the grader's entry point";

fn forged_output() -> Tampering {
    Tampering(format!(
        "the program printed a line that imitates the grader's results protocol (the marker \
         {:?}) on stdout or stderr. Verdicts travel on a private channel, so printing them \
         can never pass a check; remove that print.",
        MARKER.trim_end()
    ))
}

/// Checks a channel line's marker and nonce and returns its payload.
pub fn channel_payload<'a>(line: &'a str, nonce: &str) -> Result<&'a str, Tampering> {
    line.strip_prefix(MARKER)
        .and_then(|rest| rest.strip_prefix(nonce))
        .and_then(|rest| rest.strip_prefix(' '))
        .ok_or_else(|| {
            Tampering(
                "a line on the grader's private channel did not carry this run's nonce: \
                 something other than the grader wrote to it"
                    .to_string(),
            )
        })
}

/// A separator on stdout (`nonce output INDEX`) gives the index of the check whose output
/// follows; any other marker line there is a forgery.
fn separator(payload: &str, nonce: &str) -> Result<usize, Tampering> {
    payload
        .strip_prefix(nonce)
        .and_then(|rest| rest.strip_prefix(" output "))
        .and_then(|index| index.parse().ok())
        .ok_or_else(forged_output)
}

fn start(
    binary: &Path,
    args: &[String],
    limits: &Limits,
) -> std::io::Result<(Kept, Receiver<KeptEvent>)> {
    let (sender, events) = mpsc::channel();
    let kept = process::spawn_kept(binary, args, limits.memory_bytes, sender)?;
    Ok((kept, events))
}

/// The student's output during one process, by check.
#[derive(Default)]
struct Outputs {
    /// Before the first separator.
    unattributed: String,
    by_check: Vec<(usize, CappedOutput)>,
    current: Option<usize>,
    closed: bool,
}

impl Outputs {
    /// Takes one event from the output stream; `Err` on a forged marker line.
    fn take(&mut self, event: StreamEvent, nonce: &str, limit: usize) -> Result<(), Tampering> {
        match event {
            StreamEvent::Marker(payload) => {
                let index = separator(&payload, nonce)?;
                self.current = Some(index);
                if !self.by_check.iter().any(|(i, _)| *i == index) {
                    self.by_check.push((index, CappedOutput::default()));
                }
            }
            StreamEvent::Output(text) => match self.current {
                Some(index) => {
                    if let Some((_, output)) = self.by_check.iter_mut().find(|(i, _)| *i == index) {
                        output.push(&text, limit);
                    }
                }
                None => {
                    if self.unattributed.len() < 2000 {
                        self.unattributed.push_str(&text);
                    }
                }
            },
            StreamEvent::End => self.closed = true,
        }
        Ok(())
    }

    fn of(&self, index: usize) -> Option<String> {
        self.by_check
            .iter()
            .find(|(i, _)| *i == index)
            .and_then(|(_, output)| output.clone().finish())
    }

    fn all(&self) -> String {
        let mut text = self.unattributed.clone();
        for (_, output) in &self.by_check {
            text.push_str(&output.clone().finish().unwrap_or_default());
        }
        text
    }
}

/// Waits, at most until `deadline`, for the rest of the output after the process ended.
fn drain(
    events: &Receiver<KeptEvent>,
    outputs: &mut Outputs,
    nonce: &str,
    limit: usize,
    deadline: Instant,
) -> Result<(), Tampering> {
    while !outputs.closed {
        match events.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(KeptEvent::Output(event)) => outputs.take(event, nonce, limit)?,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

/// Asks the binary for its checks.
pub fn list_checks(
    binary: &Path,
    limits: &Limits,
) -> Result<Result<Vec<CheckInfo>, Tampering>, String> {
    let (mut kept, events) = start(binary, &["--list".to_string()], limits)
        .map_err(|e| format!("cannot start the grading program: {e}"))?;
    let deadline = Instant::now() + limits.per_check.max(Duration::from_secs(5));
    let nonce = kept.nonce.clone();
    let mut checks = Vec::new();
    let mut outputs = Outputs::default();
    let mut ended = None;
    let mut channel_closed = false;
    // The keeper's report can overtake the last lines on the channel: read both to the end.
    let ended = loop {
        if let Some(ended) = ended
            && channel_closed
        {
            break ended;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(KeptEvent::Channel(line)) => {
                let payload = match channel_payload(&line, &nonce) {
                    Ok(payload) => payload,
                    Err(tampering) => return Ok(Err(tampering)),
                };
                if let Ok(Message::Check { index, name, task }) = serde_json::from_str(payload)
                    && index == checks.len()
                {
                    checks.push(CheckInfo { name, task });
                }
            }
            Ok(KeptEvent::Output(event)) => {
                if let Err(tampering) = outputs.take(event, &nonce, 2000) {
                    return Ok(Err(tampering));
                }
            }
            Ok(KeptEvent::ChannelClosed) => channel_closed = true,
            Ok(KeptEvent::Ended(end)) => ended = Some(end),
            Err(_) => {
                kept.finish();
                return Err("the grading program did not list its checks in time".to_string());
            }
        }
    };
    if let Err(tampering) = drain(
        &events,
        &mut outputs,
        &nonce,
        2000,
        Instant::now() + Duration::from_millis(500),
    ) {
        return Ok(Err(tampering));
    }
    kept.finish();
    let output = outputs.all();
    if ended != Ended::Exit(0) {
        return Err(format!(
            "the grading program failed before running any check: {}\n{}",
            process::describe_end(ended, &output),
            output.trim()
        ));
    }
    Ok(Ok(checks))
}

/// Runs every check and returns one result per listed check, in order, or what the student's
/// code tampered with.
pub fn run_checks(
    id: &str,
    binary: &Path,
    checks: &[CheckInfo],
    seed: u64,
    limits: &Limits,
    label: &SourceLabel<'_>,
    events: &mut dyn FnMut(GradeEvent),
) -> Result<Vec<CheckResult>, Tampering> {
    let total_deadline = Instant::now() + limits.total;
    let mut results: Vec<CheckResult> = Vec::with_capacity(checks.len());
    let finish = |index: usize, status: Status, message: Option<String>, output: Option<String>| {
        CheckResult {
            name: checks[index].name.clone(),
            status,
            message,
            output,
            task_id: checks[index].task,
        }
    };
    while results.len() < checks.len() {
        let from = results.len();
        if Instant::now() >= total_deadline {
            let message = format!(
                "not run: the time limit of {} s for all checks was reached",
                limits.total.as_secs()
            );
            for index in from..checks.len() {
                results.push(finish(index, Status::Error, Some(message.clone()), None));
            }
            break;
        }
        let args = vec![
            "--run".to_string(),
            from.to_string(),
            "--seed".to_string(),
            seed.to_string(),
        ];
        let (mut kept, stream) = match start(binary, &args, limits) {
            Ok(started) => started,
            Err(e) => {
                let message = format!("cannot start the grading program: {e}");
                for index in from..checks.len() {
                    results.push(finish(index, Status::Error, Some(message.clone()), None));
                }
                break;
            }
        };
        let nonce = kept.nonce.clone();
        let mut outputs = Outputs::default();
        // The check in progress and when it must end; verdicts waiting for their output.
        let mut current: Option<(usize, Instant)> = None;
        let mut judged: Vec<(usize, Status, Option<String>)> = Vec::new();
        let mut ended: Option<Ended> = None;
        let mut timed_out: Option<String> = None;
        let mut channel_closed = false;
        // Once the run is over or being stopped: how long to wait for its last words.
        let mut settle: Option<Instant> = None;
        loop {
            if ended.is_some() && channel_closed && outputs.closed {
                break;
            }
            let now = Instant::now();
            let deadline = match (settle, current) {
                (Some(settle), _) => settle,
                (None, Some((_, deadline))) => deadline,
                // Between checks, or after the last: the process must move on or exit.
                (None, None) => (now + limits.per_check).min(total_deadline),
            };
            match stream.recv_timeout(deadline.saturating_duration_since(now)) {
                Ok(KeptEvent::Channel(line)) if timed_out.is_none() => {
                    let payload = channel_payload(&line, &nonce)?;
                    match serde_json::from_str(payload) {
                        Ok(Message::Start { index })
                            if index == results.len() + judged.len() && index < checks.len() =>
                        {
                            events(GradeEvent::Running {
                                id: id.to_string(),
                                index,
                                of: checks.len(),
                                name: checks[index].name.clone(),
                            });
                            let deadline = (Instant::now() + limits.per_check).min(total_deadline);
                            current = Some((index, deadline));
                        }
                        Ok(Message::End {
                            index,
                            status,
                            message,
                        }) if current.is_some_and(|c| c.0 == index) => {
                            current = None;
                            let status = if status == "pass" {
                                Status::Pass
                            } else {
                                Status::Fail
                            };
                            judged.push((index, status, message.map(|m| relabel(&m, label))));
                        }
                        _ => {}
                    }
                }
                Ok(KeptEvent::Channel(_)) => {}
                Ok(KeptEvent::Output(event)) => outputs.take(event, &nonce, limits.output_chars)?,
                Ok(KeptEvent::ChannelClosed) => channel_closed = true,
                Ok(KeptEvent::Ended(end)) => {
                    ended = Some(end);
                    settle = Some(settle.unwrap_or(Instant::now() + Duration::from_secs(2)));
                }
                Err(RecvTimeoutError::Timeout) if settle.is_some() => break,
                Err(RecvTimeoutError::Timeout) => {
                    // A check ran out of time, or the program neither moves on nor exits
                    // after a check (every check judged, it still runs): end it.
                    kept.stop();
                    settle = Some(Instant::now() + Duration::from_secs(2));
                    if current.is_some() || results.len() + judged.len() < checks.len() {
                        timed_out = Some(if Instant::now() >= total_deadline {
                            format!(
                                "timed out: the time limit of {} s for all checks was reached",
                                limits.total.as_secs()
                            )
                        } else {
                            format!(
                                "timed out after {} s (an infinite loop?)",
                                limits.per_check.as_secs_f64()
                            )
                        });
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        // The keeper has killed everything the run started, so the output closes soon.
        kept.finish();
        drain(
            &stream,
            &mut outputs,
            &nonce,
            limits.output_chars,
            Instant::now() + Duration::from_millis(500),
        )?;
        for (index, status, message) in judged {
            results.push(finish(index, status, message, outputs.of(index)));
        }
        let all_output = outputs.all();
        if all_output.contains(REENTRY) {
            return Err(Tampering(
                "the student's code called the grader's own entry point (`sysdesign_checks::main`) \
                 to run checks of its choosing"
                    .to_string(),
            ));
        }
        let reason = match (timed_out, ended) {
            (Some(reason), _) => reason,
            (None, Some(end)) => process::describe_end(end, &all_output),
            (None, None) => "the program stopped during this check".to_string(),
        };
        match current {
            Some((index, _)) => {
                results.push(finish(
                    index,
                    Status::Error,
                    Some(reason),
                    outputs.of(index),
                ));
            }
            None if results.len() == from && results.len() < checks.len() => {
                // The process died before starting a check: nothing more will run.
                let message = format!(
                    "the grading program stopped before this check: {reason}\n{}",
                    outputs.unattributed.trim()
                );
                let message = message.trim_end().to_string();
                for index in from..checks.len() {
                    results.push(finish(index, Status::Error, Some(message.clone()), None));
                }
            }
            None => {}
        }
    }
    Ok(results)
}

/// Shows panic locations in the student's file under the path they know it by.
fn relabel(message: &str, label: &SourceLabel<'_>) -> String {
    message.replace(label.compiled_as, label.shown_as)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONCE: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn a_channel_line_counts_only_with_the_marker_and_this_runs_nonce() {
        let line = format!("{MARKER}{NONCE} {{\"event\":\"start\",\"index\":0}}");
        assert_eq!(
            channel_payload(&line, NONCE),
            Ok("{\"event\":\"start\",\"index\":0}")
        );
        let other = format!("{MARKER}fedcba9876543210fedcba9876543210 {{}}");
        assert!(channel_payload(&other, NONCE).is_err());
        assert!(channel_payload("{\"event\":\"end\"}", NONCE).is_err());
        assert!(channel_payload(&format!("{MARKER}{NONCE}{{}}"), NONCE).is_err());
    }

    #[test]
    fn a_marker_on_stdout_is_a_separator_with_the_nonce_or_a_forgery() {
        assert_eq!(separator(&format!("{NONCE} output 3"), NONCE), Ok(3));
        for forged in [
            "{\"event\":\"end\",\"index\":0,\"status\":\"pass\"}".to_string(),
            format!("{NONCE} {{\"event\":\"end\"}}"),
            "fedcba9876543210fedcba9876543210 output 3".to_string(),
        ] {
            let error = separator(&forged, NONCE).expect_err(&forged);
            assert!(error.0.contains("imitates the grader's results protocol"));
        }
    }
}
