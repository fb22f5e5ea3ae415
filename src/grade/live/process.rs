//! A grading binary running in `--serve` mode under its keeper, answering one request per
//! line on its private channel.

use std::io::Write;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::wire;
use crate::grade::process::{self, Ended, Kept, KeptEvent};
use crate::grade::run::channel_payload;
use crate::grade::stream::StreamEvent;

/// The latest problem with the student's code, shared with whoever shows it, and the
/// problems not yet copied into the simulation's event log.
#[derive(Debug, Clone, Default)]
pub struct ProblemSlot(std::sync::Arc<std::sync::Mutex<Problems>>);

#[derive(Debug, Default)]
pub struct Problems {
    latest: Option<String>,
    unlogged: Vec<String>,
}

/// Problems kept for the log between two looks at the slot.
const UNLOGGED: usize = 16;

impl ProblemSlot {
    fn set(&self, message: &str) {
        let mut problems = self.0.lock().unwrap_or_else(|p| p.into_inner());
        problems.latest = Some(message.to_string());
        if problems.unlogged.len() < UNLOGGED {
            problems.unlogged.push(message.to_string());
        }
    }

    pub fn get(&self) -> Option<String> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .latest
            .clone()
    }

    /// The problems since the last call, oldest first, for the event log.
    pub fn take_unlogged(&self) -> Vec<String> {
        std::mem::take(&mut self.0.lock().unwrap_or_else(|p| p.into_inner()).unlogged)
    }
}

/// How the student's file is named in panic messages: compiled under one path, known to the
/// student by another.
#[derive(Debug, Clone, Default)]
pub struct PathLabel {
    pub compiled_as: String,
    pub shown_as: String,
}

/// The child process and the one thing that went wrong with it, if any.
pub struct LiveProcess {
    kept: Kept,
    events: Receiver<KeptEvent>,
    timeout: Duration,
    label: PathLabel,
    /// Set when the process can no longer answer (hung, crashed, closed); every later call
    /// fails with it.
    dead: Option<String>,
    /// The latest problem, for the visualization to show.
    last_error: Option<String>,
    /// The same, readable from another thread once the process is plugged into a simulation.
    reported: ProblemSlot,
    /// The student's recent prints, for context when something goes wrong.
    output: String,
}

impl LiveProcess {
    pub fn spawn(binary: &Path, memory_bytes: u64, label: PathLabel) -> std::io::Result<Self> {
        let (sender, events) = mpsc::channel();
        let kept = process::spawn_kept(binary, &["--serve".to_string()], memory_bytes, sender)?;
        Ok(LiveProcess {
            kept,
            events,
            timeout: Duration::from_millis(500),
            label,
            dead: None,
            last_error: None,
            reported: ProblemSlot::default(),
            output: String::new(),
        })
    }

    /// How long one call may take before the process is stopped.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// The latest problem: a panic, a bad answer, a hang or a crash.
    pub fn error(&self) -> Option<&str> {
        self.last_error.as_deref()
    }

    /// False once the process hung or crashed.
    pub fn is_alive(&self) -> bool {
        self.dead.is_none()
    }

    /// Records a problem with the student's answer (the process lives on).
    pub fn fail(&mut self, message: String) -> String {
        let message = message.replace(&self.label.compiled_as, &self.label.shown_as);
        self.last_error = Some(message.clone());
        self.reported.set(&message);
        message
    }

    /// Where this process's latest problem can be read while a simulation owns the proxy.
    pub fn problems(&self) -> ProblemSlot {
        self.reported.clone()
    }

    /// Stops the process after an answer that leaves the conversation out of step.
    pub fn abandon(&mut self, message: String) -> String {
        self.die(message)
    }

    fn die(&mut self, message: String) -> String {
        self.kept.finish();
        self.dead = Some(message.clone());
        self.fail(message)
    }

    pub fn send(&mut self, line: &str) -> Result<(), String> {
        if let Some(dead) = &self.dead {
            return Err(dead.clone());
        }
        let written =
            writeln!(self.kept.channel, "{line}").and_then(|()| self.kept.channel.flush());
        written.map_err(|_| self.die("your code is not running any more".to_string()))
    }

    fn keep_output(&mut self, text: &str) {
        self.output.push_str(text);
        if self.output.len() > 2000 {
            let cut = self.output.len() - 1000;
            let cut = (cut..self.output.len())
                .find(|&i| self.output.is_char_boundary(i))
                .unwrap_or(self.output.len());
            self.output.drain(..cut);
        }
    }

    /// How the process ended, with the rest of its output (a crash message comes last).
    fn ended(&mut self, ended: Ended) -> String {
        let deadline = Instant::now() + Duration::from_millis(300);
        while let Ok(event) = self
            .events
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            match event {
                KeptEvent::Output(StreamEvent::Output(text)) => self.keep_output(&text),
                KeptEvent::Output(StreamEvent::End) => break,
                _ => {}
            }
        }
        let message = process::describe_end(ended, &self.output);
        self.die(format!("your code stopped: {message}"))
    }

    /// Waits for the next protocol line. A `panic ...` answer becomes an error.
    pub fn receive(&mut self) -> Result<String, String> {
        if let Some(dead) = &self.dead {
            return Err(dead.clone());
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            match self
                .events
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(KeptEvent::Channel(line)) => {
                    let payload = match channel_payload(&line, &self.kept.nonce) {
                        Ok(payload) => payload.to_string(),
                        Err(tampering) => return Err(self.die(tampering.0)),
                    };
                    if let Some(message) = payload.strip_prefix("panic ") {
                        let message = wire::decode(message).unwrap_or_default();
                        return Err(self.fail(format!("your code {message}")));
                    }
                    if payload.starts_with("bad-request") {
                        return Err(self.fail(format!("the request was not understood: {payload}")));
                    }
                    return Ok(payload);
                }
                Ok(KeptEvent::Output(StreamEvent::Output(text))) => self.keep_output(&text),
                Ok(KeptEvent::Output(StreamEvent::Marker(_))) => {
                    return Err(self.die(
                        "your code printed a line that imitates the grader's protocol; it was \
                         stopped"
                            .to_string(),
                    ));
                }
                Ok(KeptEvent::Output(StreamEvent::End)) | Ok(KeptEvent::ChannelClosed) => {}
                Ok(KeptEvent::Ended(ended)) => return Err(self.ended(ended)),
                Err(RecvTimeoutError::Disconnected) => return Err(self.ended(Ended::Stopped)),
                Err(RecvTimeoutError::Timeout) => {
                    return Err(self.die(format!(
                        "your code did not answer within {} ms (an infinite loop?)",
                        self.timeout.as_millis()
                    )));
                }
            }
        }
    }

    /// One request, one answer.
    pub fn call(&mut self, line: &str) -> Result<String, String> {
        self.send(line)?;
        self.receive()
    }
}

/// The answer to `new` must be `ok`.
pub fn expect_ok(answer: Result<String, String>) -> Result<(), String> {
    match answer {
        Ok(answer) if answer == "ok" => Ok(()),
        Ok(answer) => Err(format!("unexpected answer: {answer}")),
        Err(e) => Err(e),
    }
}
