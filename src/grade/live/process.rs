//! A grading binary running in `--serve` mode, answering one request per line.

use std::io::Write;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::wire;
use crate::grade::process;
use crate::grade::stream::{StreamEvent, pump};

/// The latest problem with the student's code, shared with whoever shows it.
#[derive(Debug, Clone, Default)]
pub struct ProblemSlot(std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl ProblemSlot {
    fn set(&self, message: &str) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(message.to_string());
    }

    pub fn get(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// The child process and the one thing that went wrong with it, if any.
pub struct LiveProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    events: Receiver<StreamEvent>,
    timeout: Duration,
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
    pub fn spawn(binary: &Path, memory_bytes: u64) -> std::io::Result<Self> {
        let (reader, writer) = std::io::pipe()?;
        let mut command = Command::new(binary);
        command
            .arg("--serve")
            .stdin(Stdio::piped())
            .stdout(writer.try_clone()?)
            .stderr(writer)
            .env("RUST_BACKTRACE", "0");
        process::isolate(&mut command, Some(memory_bytes));
        let mut child = command.spawn()?;
        drop(command);
        let stdin = child.stdin.take();
        let (sender, events) = mpsc::channel();
        std::thread::spawn(move || pump(reader, sender));
        Ok(LiveProcess {
            child,
            stdin,
            events,
            timeout: Duration::from_millis(500),
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
        process::kill(&mut self.child);
        self.stdin = None;
        self.dead = Some(message.clone());
        self.fail(message)
    }

    pub fn send(&mut self, line: &str) -> Result<(), String> {
        if let Some(dead) = &self.dead {
            return Err(dead.clone());
        }
        let written = match self.stdin.as_mut() {
            Some(stdin) => writeln!(stdin, "{line}").and_then(|()| stdin.flush()),
            None => Err(std::io::Error::other("closed")),
        };
        written.map_err(|_| {
            let status = self.child.try_wait().ok().flatten();
            let message = match status {
                Some(status) => process::describe_exit(status, &self.output),
                None => "your code stopped reading its input".to_string(),
            };
            self.die(format!("your code is not running any more: {message}"))
        })
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
                Ok(StreamEvent::Marker(payload)) => {
                    if let Some(message) = payload.strip_prefix("panic ") {
                        let message = wire::decode(message).unwrap_or_default();
                        return Err(self.fail(format!("your code {message}")));
                    }
                    if payload.starts_with("bad-request") {
                        return Err(self.fail(format!("the request was not understood: {payload}")));
                    }
                    return Ok(payload);
                }
                Ok(StreamEvent::Output(text)) => {
                    self.output.push_str(&text);
                    if self.output.len() > 2000 {
                        let cut = self.output.len() - 1000;
                        let cut = (cut..self.output.len())
                            .find(|&i| self.output.is_char_boundary(i))
                            .unwrap_or(self.output.len());
                        self.output.drain(..cut);
                    }
                }
                Ok(StreamEvent::End) | Err(RecvTimeoutError::Disconnected) => {
                    let status = self.child.wait();
                    let message = match status {
                        Ok(status) => process::describe_exit(status, &self.output),
                        Err(e) => e.to_string(),
                    };
                    return Err(self.die(format!("your code stopped: {message}")));
                }
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

impl Drop for LiveProcess {
    fn drop(&mut self) {
        process::kill(&mut self.child);
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
