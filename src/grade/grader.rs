//! The grader: a scratch Cargo workspace outside the student's files, where each exercise's
//! embedded harness is compiled together with a copy of the student's file and run.
//!
//! The student's file becomes the top of the binary's `main.rs`, so its line numbers and
//! `crate::` paths are unchanged; the harness and `main` are appended after it. The scratch
//! workspace has its own target directory, kept between runs for fast incremental builds,
//! and files are rewritten only when their contents change.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::compile::{self, BuildRequest, PathLabel};
use super::events::GradeEvent;
use super::exercise::Exercise;
use super::files::write_if_changed;
use super::limits::Limits;
use super::result::GradeResult;
use super::run::{self, SourceLabel};
use super::support;

const CHECKS_RS: &str = include_str!("embed/checks.rs");
const WIRE_RS: &str = include_str!("embed/wire.rs");

const WORKSPACE_MANIFEST: &str = "# Written by sysdesign's grader: edits here are overwritten.\n\
[workspace]\n\
resolver = \"3\"\n\
members = [\"support\", \"checks\", \"crates/*\"]\n\
\n\
# Fast rebuilds after a one-line edit: no debug info, incremental.\n\
[profile.dev]\n\
debug = 0\n\
incremental = true\n";

const CHECKS_MANIFEST: &str = "# Written by sysdesign's grader: edits here are overwritten.\n\
[package]\n\
name = \"sysdesign-checks\"\n\
version = \"0.1.0\"\n\
edition = \"2024\"\n\
publish = false\n\
\n\
[lib]\n\
name = \"sysdesign_checks\"\n\
path = \"src/lib.rs\"\n\
\n\
[dependencies]\n\
sysdesign-support = { path = \"../support\" }\n";

/// Where a grader keeps its scratch workspace, and the limits it enforces.
#[derive(Debug, Clone)]
pub struct Grader {
    dir: PathBuf,
    limits: Limits,
}

impl Grader {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Grader {
            dir: dir.into(),
            limits: Limits::default(),
        }
    }

    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Serialises the graders of one directory within this process (the TUI's background
    /// grading and a live start, say): they share files and a binary.
    pub fn lock(&self) -> GraderLock {
        static LOCKS: Mutex<Vec<(PathBuf, Arc<Mutex<()>>)>> = Mutex::new(Vec::new());
        let mut locks = LOCKS.lock().unwrap_or_else(PoisonError::into_inner);
        let lock = match locks.iter().find(|(dir, _)| dir == &self.dir) {
            Some((_, lock)) => Arc::clone(lock),
            None => {
                let lock = Arc::new(Mutex::new(()));
                locks.push((self.dir.clone(), Arc::clone(&lock)));
                lock
            }
        };
        drop(locks);
        GraderLock { lock }
    }

    fn target_dir(&self) -> PathBuf {
        self.dir.join("target")
    }

    fn package(id: &str) -> String {
        format!("grade-{id}")
    }

    fn crate_dir(&self, id: &str) -> PathBuf {
        self.dir.join("crates").join(id)
    }

    fn write_common(&self) -> io::Result<()> {
        write_if_changed(&self.dir.join("Cargo.toml"), WORKSPACE_MANIFEST.as_bytes())?;
        for (path, contents) in support::files() {
            write_if_changed(&self.dir.join("support").join(path), contents.as_bytes())?;
        }
        write_if_changed(
            &self.dir.join("checks/Cargo.toml"),
            CHECKS_MANIFEST.as_bytes(),
        )?;
        write_if_changed(&self.dir.join("checks/src/lib.rs"), CHECKS_RS.as_bytes())?;
        write_if_changed(&self.dir.join("checks/src/wire.rs"), WIRE_RS.as_bytes())?;
        Ok(())
    }

    fn write_exercise(&self, exercise: &Exercise, source: &str) -> io::Result<()> {
        let dir = self.crate_dir(&exercise.id);
        let package = Self::package(&exercise.id);
        let manifest = format!(
            "# Written by sysdesign's grader: edits here are overwritten.\n\
             [package]\n\
             name = \"{package}\"\n\
             version = \"0.1.0\"\n\
             edition = \"2024\"\n\
             publish = false\n\
             \n\
             [[bin]]\n\
             name = \"{package}\"\n\
             path = \"src/main.rs\"\n\
             \n\
             [dependencies]\n\
             sysdesign-support = {{ path = \"../../support\" }}\n\
             sysdesign-checks = {{ path = \"../../checks\" }}\n"
        );
        write_if_changed(&dir.join("Cargo.toml"), manifest.as_bytes())?;
        write_if_changed(&dir.join("src/harness.rs"), exercise.harness.as_bytes())?;
        write_if_changed(
            &dir.join("src/main.rs"),
            main_rs(exercise, source).as_bytes(),
        )?;
        Ok(())
    }

    /// Builds the grading binary for `exercise` with `source` as the student's file.
    /// `shown_as` is how compiler messages name that file. Returns the binary's path or the
    /// compiler's errors.
    pub fn build(
        &self,
        exercise: &Exercise,
        source: &str,
        shown_as: &str,
        events: &mut dyn FnMut(GradeEvent),
    ) -> Result<PathBuf, String> {
        events(GradeEvent::Building {
            id: exercise.id.clone(),
        });
        self.write_common()
            .and_then(|()| self.write_exercise(exercise, source))
            .map_err(|e| {
                format!(
                    "cannot write the grader's files in {}: {e}",
                    self.dir.display()
                )
            })?;
        let labels = labels(&exercise.id, shown_as);
        let package = Self::package(&exercise.id);
        let target_dir = self.target_dir();
        let request = BuildRequest {
            workspace: &self.dir,
            package: &package,
            target_dir: &target_dir,
            timeout: self.limits.build,
            labels: &labels,
        };
        compile::build(&request, &mut |unit| {
            events(GradeEvent::Compiled {
                id: exercise.id.clone(),
                unit: unit.to_string(),
            })
        })
    }

    /// Compiles and runs the harness of `exercise` against `source`.
    pub fn grade_source(
        &self,
        exercise: &Exercise,
        source: &str,
        shown_as: &str,
        seed: u64,
        events: &mut dyn FnMut(GradeEvent),
    ) -> GradeResult {
        if exercise.kind.is_sql() {
            // SQL runs in an in-memory SQLite inside this process: nothing to build or lock.
            return crate::sql::grade::grade(exercise, source, shown_as, seed, events);
        }
        let lock = self.lock();
        let _held = lock.hold();
        let started = Instant::now();
        let elapsed = |started: Instant| started.elapsed().as_millis() as u64;
        let result = match self.build(exercise, source, shown_as, events) {
            Err(message) => {
                let headline = if message.contains(shown_as) {
                    format!("{shown_as} does not compile:")
                } else if message.contains(&harness_label(&exercise.id)) {
                    format!(
                        "{shown_as} compiles, but the checks cannot use it: keep the names and \
                         signatures of the starter."
                    )
                } else {
                    format!("{shown_as} could not be built:")
                };
                GradeResult::error(
                    &exercise.id,
                    seed,
                    format!("{headline}\n{message}"),
                    elapsed(started),
                )
            }
            Ok(binary) => match run::list_checks(&binary, &self.limits) {
                Err(message) => GradeResult::error(&exercise.id, seed, message, elapsed(started)),
                Ok(checks) => {
                    let compiled_as = format!("crates/{}/src/main.rs", exercise.id);
                    let label = SourceLabel {
                        compiled_as: &compiled_as,
                        shown_as,
                    };
                    let tests = run::run_checks(
                        &exercise.id,
                        &binary,
                        &checks,
                        seed,
                        &self.limits,
                        &label,
                        events,
                    );
                    GradeResult::from_checks(&exercise.id, seed, tests, elapsed(started))
                }
            },
        };
        events(GradeEvent::Done {
            id: exercise.id.clone(),
            status: result.status,
        });
        result
    }
}

/// Held while a grader's files and binary are in use; see [`Grader::lock`].
pub struct GraderLock {
    lock: Arc<Mutex<()>>,
}

impl GraderLock {
    pub fn hold(&self) -> MutexGuard<'_, ()> {
        self.lock.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The student's file, then the harness module and `main`.
fn main_rs(exercise: &Exercise, source: &str) -> String {
    let mut text = source.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let live = if exercise.live.is_some() {
        "Some(sysdesign_harness::live)"
    } else {
        "None"
    };
    text.push_str(&format!(
        "\n// Appended by sysdesign's grader: the checks, which are not part of your file.\n\
         #[path = \"harness.rs\"]\n\
         mod sysdesign_harness;\n\
         \n\
         fn main() {{\n    sysdesign_checks::main(sysdesign_harness::checks(), {live});\n}}\n"
    ));
    text
}

fn labels(id: &str, shown_as: &str) -> Vec<PathLabel> {
    vec![
        PathLabel {
            compiled_as: format!("crates/{id}/src/main.rs"),
            shown_as: shown_as.to_string(),
        },
        PathLabel {
            compiled_as: format!("crates/{id}/src/harness.rs"),
            shown_as: harness_label(id),
        },
    ]
}

/// How compiler messages name the harness, which the student cannot see.
fn harness_label(id: &str) -> String {
    format!("<the checks of {id}>")
}

/// A seed for a run nobody asked to replay.
pub fn fresh_seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut z = nanos ^ (u64::from(std::process::id()) << 32);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) % 1_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_and_the_parent_agree_on_the_protocol_marker() {
        let escaped = super::super::stream::MARKER.replace('\u{1e}', "\\u{1e}");
        assert!(
            CHECKS_RS.contains(&format!("pub const MARKER: &str = \"{escaped}\";")),
            "embed/checks.rs must use the marker stream.rs looks for"
        );
    }

    #[test]
    fn the_students_file_comes_first_so_its_line_numbers_hold() {
        let (exercises, _) = super::super::embedded_exercises();
        let exercise = &exercises[0];
        let main = main_rs(exercise, "line one\nline two");
        assert!(main.starts_with("line one\nline two\n\n// Appended by sysdesign"));
        assert!(main.contains("mod sysdesign_harness;"));
    }
}
