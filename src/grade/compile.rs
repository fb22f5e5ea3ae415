//! Building a grading binary with cargo, reporting compiler errors in the student's terms.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::process;

/// How many compiler errors a report shows in full.
const SHOWN_ERRORS: usize = 3;

/// Where a compiled path really comes from, for rewriting paths in compiler messages.
pub struct PathLabel {
    pub compiled_as: String,
    pub shown_as: String,
}

pub struct BuildRequest<'a> {
    /// The grader's Cargo workspace.
    pub workspace: &'a Path,
    pub package: &'a str,
    pub target_dir: &'a Path,
    pub timeout: Duration,
    pub labels: &'a [PathLabel],
    /// Extra flags for the compiler, for the package's own crate only.
    pub rustc_args: &'a [String],
}

#[derive(Debug, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
enum CargoMessage {
    CompilerMessage {
        message: Diagnostic,
    },
    CompilerArtifact {
        target: Target,
        executable: Option<PathBuf>,
        fresh: bool,
    },
    BuildFinished {
        success: bool,
    },
    #[serde(other)]
    Other,
}

#[derive(Debug, Deserialize)]
struct Diagnostic {
    level: String,
    rendered: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Target {
    name: String,
}

/// The cargo to run: the one that is running us, if any, so tests use the same toolchain.
fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// Runs `cargo build` and returns the path of the built binary, or the compiler's errors.
/// `compiled` is told the name of each crate cargo had to compile (not the fresh ones).
pub fn build(
    request: &BuildRequest<'_>,
    compiled: &mut dyn FnMut(&str),
) -> Result<PathBuf, String> {
    let mut command = Command::new(cargo_program());
    command
        .args(["rustc", "--offline", "--message-format=json", "--package"])
        .arg(request.package)
        .args(["--bin", request.package, "--"])
        .args(request.rustc_args)
        .current_dir(request.workspace)
        .env("CARGO_TARGET_DIR", request.target_dir)
        .env("CARGO_TERM_COLOR", "never")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    process::isolate(&mut command, None);
    let mut child = command.spawn().map_err(|e| {
        format!(
            "cannot run cargo ({e}); grading needs a Rust toolchain on PATH (https://rustup.rs)"
        )
    })?;
    // Quitting or a signal mid-build stops cargo's whole group, compilers included.
    let _registered = process::register(child.id());
    let (sender, lines) = mpsc::channel::<Result<String, String>>();
    if let Some(stdout) = child.stdout.take() {
        let sender = sender.clone();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(Ok(line)).is_err() {
                    break;
                }
            }
        });
    }
    let stderr_reader = child.stderr.take().map(|stderr| {
        std::thread::spawn(move || {
            use std::io::Read;
            // Read to the end, keeping the first 64 KiB: a full pipe would stall cargo.
            let mut bytes = Vec::new();
            let mut stderr = stderr;
            let mut chunk = [0u8; 8192];
            while let Ok(n) = stderr.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                if bytes.len() < 64 * 1024 {
                    bytes.extend_from_slice(&chunk[..n]);
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    });
    drop(sender);

    let deadline = Instant::now() + request.timeout;
    let mut errors: Vec<String> = Vec::new();
    let mut executable = None;
    let mut success = false;
    loop {
        match lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(Ok(line)) => match serde_json::from_str::<CargoMessage>(&line) {
                Ok(CargoMessage::CompilerMessage { message }) if message.level == "error" => {
                    if let Some(rendered) = message.rendered {
                        errors.push(relabel(&rendered, request.labels));
                    }
                }
                Ok(CargoMessage::CompilerArtifact {
                    target,
                    executable: exe,
                    fresh,
                }) => {
                    if !fresh {
                        compiled(&target.name);
                    }
                    if exe.is_some() {
                        executable = exe;
                    }
                }
                Ok(CargoMessage::BuildFinished { success: ok }) => success = ok,
                _ => {}
            },
            Ok(Err(_)) => {}
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                process::kill(&mut child);
                return Err(format!(
                    "the build took longer than {} s and was stopped",
                    request.timeout.as_secs()
                ));
            }
        }
    }
    // Cargo closed its output, so it is exiting; still, no wait without a deadline.
    let status = process::wait_until(
        &mut child,
        deadline.max(Instant::now() + Duration::from_secs(5)),
    )
    .ok_or_else(|| {
        process::kill(&mut child);
        "cargo did not exit after the build finished".to_string()
    })?;
    let stderr = stderr_reader
        .and_then(|h| h.join().ok())
        .unwrap_or_default();
    match executable {
        Some(path) if success && status.success() => Ok(path),
        _ if !errors.is_empty() => Err(summarise(&errors)),
        _ => Err(format!(
            "cargo build failed:\n{}",
            relabel(stderr.trim(), request.labels)
        )),
    }
}

/// The first few errors in full, then a count of the rest. Rustc's closing "aborting due to"
/// lines add nothing.
fn summarise(errors: &[String]) -> String {
    let real: Vec<&String> = errors
        .iter()
        .filter(|e| !e.starts_with("error: aborting due to"))
        .collect();
    let shown = real.len().min(SHOWN_ERRORS);
    let mut text = real[..shown]
        .iter()
        .map(|e| e.trim_end())
        .collect::<Vec<_>>()
        .join("\n\n");
    if real.len() > shown {
        text.push_str(&format!("\n\n... and {} more error(s)", real.len() - shown));
    }
    text
}

fn relabel(text: &str, labels: &[PathLabel]) -> String {
    labels.iter().fold(text.to_string(), |text, label| {
        text.replace(&label.compiled_as, &label.shown_as)
    })
}
