//! Running a built grading binary: every check in file order, each under a time limit, in a
//! fresh process after a timeout or a crash, with the student's output captured and capped.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::events::GradeEvent;
use super::limits::Limits;
use super::process;
use super::result::{CheckResult, Status};
use super::stream::{CappedOutput, StreamEvent, pump};

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

/// How panic locations in the student's file are shown: the grader compiles it as
/// `src/main.rs`, the student knows it by its workspace path.
pub struct SourceLabel<'a> {
    pub compiled_as: &'a str,
    pub shown_as: &'a str,
}

struct Running {
    child: std::process::Child,
    events: Receiver<StreamEvent>,
}

fn start(binary: &Path, args: &[String], limits: &Limits) -> std::io::Result<Running> {
    let (reader, writer) = std::io::pipe()?;
    let mut command = Command::new(binary);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(writer.try_clone()?)
        .stderr(writer)
        .env("RUST_BACKTRACE", "0");
    process::isolate(&mut command, Some(limits.memory_bytes));
    let child = command.spawn()?;
    // Our copies of the pipe's write end must close, or the reader never sees the end.
    drop(command);
    let (sender, events) = mpsc::channel();
    std::thread::spawn(move || pump(reader, sender));
    Ok(Running { child, events })
}

/// Asks the binary for its checks.
pub fn list_checks(binary: &Path, limits: &Limits) -> Result<Vec<CheckInfo>, String> {
    let mut running = start(binary, &["--list".to_string()], limits)
        .map_err(|e| format!("cannot start the grading program: {e}"))?;
    let deadline = Instant::now() + limits.per_check.max(Duration::from_secs(5));
    let mut checks = Vec::new();
    let mut output = String::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match running.events.recv_timeout(left) {
            Ok(StreamEvent::Marker(payload)) => {
                if let Ok(Message::Check { index, name, task }) = serde_json::from_str(&payload)
                    && index == checks.len()
                {
                    checks.push(CheckInfo { name, task });
                }
            }
            Ok(StreamEvent::Output(text)) => {
                if output.len() < 2000 {
                    output.push_str(&text);
                }
            }
            Ok(StreamEvent::End) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                process::kill(&mut running.child);
                return Err("the grading program did not list its checks in time".to_string());
            }
        }
    }
    let status = running.child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!(
            "the grading program failed before running any check: {}\n{}",
            process::describe_exit(status, &output),
            output.trim()
        ));
    }
    Ok(checks)
}

/// Runs every check and returns one result per listed check, in order.
pub fn run_checks(
    id: &str,
    binary: &Path,
    checks: &[CheckInfo],
    seed: u64,
    limits: &Limits,
    label: &SourceLabel<'_>,
    events: &mut dyn FnMut(GradeEvent),
) -> Vec<CheckResult> {
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
        let mut running = match start(binary, &args, limits) {
            Ok(running) => running,
            Err(e) => {
                let message = format!("cannot start the grading program: {e}");
                for index in from..checks.len() {
                    results.push(finish(index, Status::Error, Some(message.clone()), None));
                }
                break;
            }
        };
        // The check in progress, its output so far, and when it must end.
        let mut current: Option<(usize, CappedOutput, Instant)> = None;
        let mut unattributed = String::new();
        let stopped = loop {
            let now = Instant::now();
            let deadline = current
                .as_ref()
                .map_or(now + limits.per_check, |c| c.2)
                .min(total_deadline);
            match running
                .events
                .recv_timeout(deadline.saturating_duration_since(now))
            {
                Ok(StreamEvent::Output(text)) => match current.as_mut() {
                    Some((_, output, _)) => output.push(&text, limits.output_chars),
                    None => {
                        if unattributed.len() < 2000 {
                            unattributed.push_str(&text);
                        }
                    }
                },
                Ok(StreamEvent::Marker(payload)) => match serde_json::from_str(&payload) {
                    Ok(Message::Start { index }) if index == results.len() => {
                        events(GradeEvent::Running {
                            id: id.to_string(),
                            index,
                            of: checks.len(),
                            name: checks[index].name.clone(),
                        });
                        let deadline = (Instant::now() + limits.per_check).min(total_deadline);
                        current = Some((index, CappedOutput::default(), deadline));
                    }
                    Ok(Message::End {
                        index,
                        status,
                        message,
                    }) if current.as_ref().is_some_and(|c| c.0 == index) => {
                        let Some((_, output, _)) = current.take() else {
                            continue;
                        };
                        let status = if status == "pass" {
                            Status::Pass
                        } else {
                            Status::Fail
                        };
                        let message = message.map(|m| relabel(&m, label));
                        results.push(finish(index, status, message, output.finish()));
                        if results.len() == checks.len() {
                            break None;
                        }
                    }
                    _ => {}
                },
                Ok(StreamEvent::End) | Err(RecvTimeoutError::Disconnected) => {
                    let status = running.child.wait();
                    break Some(match status {
                        Ok(status) => {
                            let seen = current
                                .as_ref()
                                .map(|c| c.1.clone().finish().unwrap_or_default())
                                .unwrap_or_default();
                            let all = format!("{unattributed}{seen}");
                            process::describe_exit(status, &all)
                        }
                        Err(e) => format!("the program could not be waited for: {e}"),
                    });
                }
                Err(RecvTimeoutError::Timeout) => {
                    process::kill(&mut running.child);
                    let message = if Instant::now() >= total_deadline {
                        format!(
                            "timed out: the time limit of {} s for all checks was reached",
                            limits.total.as_secs()
                        )
                    } else {
                        format!(
                            "timed out after {} s (an infinite loop?)",
                            limits.per_check.as_secs_f64()
                        )
                    };
                    break Some(message);
                }
            }
        };
        match stopped {
            None => {
                let _ = running.child.wait();
            }
            Some(reason) => {
                process::kill(&mut running.child);
                match current.take() {
                    Some((index, output, _)) => {
                        results.push(finish(index, Status::Error, Some(reason), output.finish()));
                    }
                    None if results.len() == from => {
                        // The process died before starting a check: nothing more will run.
                        let message = format!(
                            "the grading program stopped before this check: {reason}\n{}",
                            unattributed.trim()
                        );
                        let message = message.trim_end().to_string();
                        for index in from..checks.len() {
                            results.push(finish(index, Status::Error, Some(message.clone()), None));
                        }
                    }
                    None => {}
                }
            }
        }
    }
    results
}

/// Shows panic locations in the student's file under the path they know it by.
fn relabel(message: &str, label: &SourceLabel<'_>) -> String {
    message.replace(label.compiled_as, label.shown_as)
}
