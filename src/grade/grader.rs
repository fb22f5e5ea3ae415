//! The grader: a scratch Cargo workspace outside the student's files, where each exercise's
//! embedded harness is compiled together with a copy of the student's file and run.
//!
//! ```text
//! .grader/Cargo.toml                 [workspace]: support, checks, crates/*
//! .grader/checks/                    the check runner and keeper (embed/checks.rs, keeper.rs)
//! .grader/crates/<id>/src/main.rs    generated crate root, rewritten for every build
//! .grader/crates/<id>/src/student.rs a copy of the student's file, compiled as a module
//! .grader/hidden/<secret>-<id>.rs    the harness, only while cargo runs (directory 0300)
//! .grader/lock                       held by the grade in progress
//! ```
//!
//! The student's file is never the crate root: it is the module `sysdesign_student`, compiled
//! with `unsafe_code` forbidden, and the root re-exports its public items so the harness's
//! `use crate::TypeName;` works. Crate attributes in it (`#![no_main]`) do nothing, a module
//! of its own named `sysdesign_checks` shadows nothing (the root calls `::sysdesign_checks`),
//! and it cannot export symbols. The harness is written under a random name in a directory
//! that cannot be listed, only while cargo runs, so the student's code cannot read it at run
//! time; at compile time it cannot read any file, as `include_str!`, `include!`, `#[path]`
//! and the like are refused before the build (see `tamper.rs`). An unchanged file is not
//! rebuilt: the binary is reused when a digest of everything that went into it matches.

use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::compile::{self, BuildRequest, PathLabel};
use super::events::GradeEvent;
use super::exercise::Exercise;
use super::files::write_if_changed;
use super::limits::Limits;
use super::result::GradeResult;
use super::run::{self, SourceLabel, Tampering};
use super::support;
use super::tamper;

const CHECKS_RS: &str = include_str!("embed/checks.rs");
const WIRE_RS: &str = include_str!("embed/wire.rs");
const KEEPER_RS: &str = include_str!("embed/keeper.rs");

/// The student's file inside the generated crate.
const STUDENT_FILE: &str = "student.rs";

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

/// Why a build produced no binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    /// The student's file reaches for the grader's machinery; nothing was built.
    Tampering(String),
    /// The compiler's errors, or why cargo could not run.
    Failed(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Tampering(message) | BuildError::Failed(message) => f.write_str(message),
        }
    }
}

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

    /// Holds this grader's directory for one grade or live start: other threads of this
    /// process wait on a mutex, other processes (a second `sysdesign grade`, the app) on a
    /// file lock. A wait is announced with [`GradeEvent::Waiting`] and gives up, with a
    /// message that says so, after the build and run limits together.
    pub fn lock(&self, events: &mut dyn FnMut(GradeEvent)) -> Result<GraderLock, String> {
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
        let file = super::lock::WorkspaceLock::acquire(
            &self.dir.join("lock"),
            self.limits.build + self.limits.total + Duration::from_secs(10),
            &mut || {
                events(GradeEvent::Waiting {
                    message: "another grade is running in this workspace; waiting for it to finish"
                        .to_string(),
                })
            },
        )?;
        Ok(GraderLock { lock, _file: file })
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

    fn hidden_dir(&self) -> PathBuf {
        self.dir.join("hidden")
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
        write_if_changed(&self.dir.join("checks/src/keeper.rs"), KEEPER_RS.as_bytes())?;
        Ok(())
    }

    /// Writes the exercise's crate for one build and returns where its harness was put.
    fn write_exercise(&self, exercise: &Exercise, source: &str) -> io::Result<PathBuf> {
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
        // Graders before this one left the harness beside the student's file.
        let _ = std::fs::remove_file(dir.join("src/harness.rs"));
        write_if_changed(&dir.join("src").join(STUDENT_FILE), source.as_bytes())?;
        let harness = self.write_harness(&exercise.id, &exercise.harness)?;
        let Some(harness_path) = harness.to_str() else {
            let _ = std::fs::remove_file(&harness);
            return Err(io::Error::other(format!(
                "the grader's directory {} is not valid UTF-8",
                self.dir.display()
            )));
        };
        write_if_changed(
            &dir.join("src/main.rs"),
            main_rs(exercise, harness_path).as_bytes(),
        )?;
        Ok(harness)
    }

    /// Writes the harness under this workspace's random name for it, in a directory nobody
    /// can list. The name stays the same from build to build, so the compiler's incremental
    /// work on the harness is reused (a re-grade after an edit stays fast).
    fn write_harness(&self, id: &str, harness: &str) -> io::Result<PathBuf> {
        use std::os::unix::fs::PermissionsExt;
        let hidden = self.hidden_dir();
        std::fs::create_dir_all(&hidden)?;
        std::fs::set_permissions(&hidden, std::fs::Permissions::from_mode(0o700))?;
        let secret_file = hidden.join("secret");
        let secret = match std::fs::read_to_string(&secret_file) {
            Ok(secret) if secret.len() == 32 && secret.bytes().all(|b| b.is_ascii_hexdigit()) => {
                secret
            }
            _ => {
                let secret = super::process::nonce();
                std::fs::write(&secret_file, &secret)?;
                secret
            }
        };
        // Leftovers of a grader that was killed mid-build.
        if let Ok(entries) = std::fs::read_dir(&hidden) {
            for entry in entries.flatten() {
                if entry.file_name() != "secret" {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        let path = hidden.join(format!("{secret}-{id}.rs"));
        std::fs::write(&path, harness)?;
        std::fs::set_permissions(&hidden, std::fs::Permissions::from_mode(0o300))?;
        Ok(path)
    }

    /// A digest of everything that goes into an exercise's binary.
    fn digest(exercise: &Exercise, source: &str) -> String {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (
            MAIN_RS_VERSION,
            CHECKS_RS,
            WIRE_RS,
            KEEPER_RS,
            support::CONTRACT_RS,
            &exercise.id,
            &exercise.harness,
            exercise.live.is_some(),
            source,
        )
            .hash(&mut hasher);
        format!("{:016x}", hasher.finish())
    }

    /// The binary of an earlier build from the same inputs, if it is still there untouched.
    fn reusable(&self, exercise: &Exercise, digest: &str) -> Option<PathBuf> {
        let stamp = std::fs::read_to_string(self.crate_dir(&exercise.id).join("built")).ok()?;
        let (recorded, binary) = stamp.trim_end().split_once(' ')?;
        let (recorded_digest, recorded_file) = recorded.split_once('/')?;
        let binary = PathBuf::from(binary);
        (recorded_digest == digest && file_identity(&binary).as_deref() == Some(recorded_file))
            .then_some(binary)
    }

    /// Builds the grading binary for `exercise` with `source` as the student's file.
    /// `shown_as` is how compiler messages name that file. Returns the binary's path, or what
    /// the student's file tampers with, or the compiler's errors. Hold [`Grader::lock`].
    pub fn build(
        &self,
        exercise: &Exercise,
        source: &str,
        shown_as: &str,
        events: &mut dyn FnMut(GradeEvent),
    ) -> Result<PathBuf, BuildError> {
        let findings = tamper::scan(source);
        if !findings.is_empty() {
            let mut message = format!(
                "{shown_as} was not graded: it tampers with the grader (this run is void).\n"
            );
            for finding in &findings {
                message.push_str(&format!(
                    "{shown_as}:{}:{}: it uses {}\n",
                    finding.line, finding.column, finding.what
                ));
            }
            message.push_str(
                "The grader compiles your file as a module and reads verdicts only from its \
                 own channel; remove these and grade again.",
            );
            return Err(BuildError::Tampering(message));
        }
        let digest = Self::digest(exercise, source);
        if let Some(binary) = self.reusable(exercise, &digest) {
            return Ok(binary);
        }
        events(GradeEvent::Building {
            id: exercise.id.clone(),
        });
        let harness = self
            .write_common()
            .and_then(|()| self.write_exercise(exercise, source))
            .map_err(|e| {
                BuildError::Failed(format!(
                    "cannot write the grader's files in {}: {e}",
                    self.dir.display()
                ))
            })?;
        let labels = labels(&exercise.id, shown_as, &harness);
        let package = Self::package(&exercise.id);
        let target_dir = self.target_dir();
        let request = BuildRequest {
            workspace: &self.dir,
            package: &package,
            target_dir: &target_dir,
            timeout: self.limits.build,
            labels: &labels,
            // Messages and panics name the harness as the student knows it, never by its path.
            rustc_args: &[format!(
                "--remap-path-prefix={}={}",
                harness.display(),
                harness_label(&exercise.id)
            )],
        };
        let built = compile::build(&request, &mut |unit| {
            events(GradeEvent::Compiled {
                id: exercise.id.clone(),
                unit: unit.to_string(),
            })
        });
        // The harness is read by the compiler only; nobody may read it afterwards.
        let _ = std::fs::remove_file(&harness);
        let binary = built.map_err(BuildError::Failed)?;
        if let (Some(identity), Some(path)) = (file_identity(&binary), binary.to_str()) {
            let _ = write_if_changed(
                &self.crate_dir(&exercise.id).join("built"),
                format!("{digest}/{identity} {path}\n").as_bytes(),
            );
        }
        Ok(binary)
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
        let started = Instant::now();
        let elapsed = |started: Instant| started.elapsed().as_millis() as u64;
        let tampered = |Tampering(what): Tampering| {
            format!(
                "{shown_as} was not graded: it tampers with the grader (this run is void): {what}"
            )
        };
        let result = match self.lock(events) {
            Err(message) => GradeResult::error(&exercise.id, seed, message, elapsed(started)),
            Ok(lock) => {
                let _held = lock.hold();
                match self.build(exercise, source, shown_as, events) {
                    Err(BuildError::Tampering(message)) => {
                        GradeResult::error(&exercise.id, seed, message, elapsed(started))
                    }
                    Err(BuildError::Failed(message)) => {
                        let headline = if message.contains(shown_as) {
                            format!("{shown_as} does not compile:")
                        } else if message.contains(&harness_label(&exercise.id)) {
                            format!(
                                "{shown_as} compiles, but the checks cannot use it: keep the names \
                                 and signatures of the starter."
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
                        Err(message) => {
                            GradeResult::error(&exercise.id, seed, message, elapsed(started))
                        }
                        Ok(Err(tampering)) => GradeResult::error(
                            &exercise.id,
                            seed,
                            tampered(tampering),
                            elapsed(started),
                        ),
                        Ok(Ok(checks)) => {
                            let compiled_as = compiled_as(&exercise.id);
                            let label = SourceLabel {
                                compiled_as: &compiled_as,
                                shown_as,
                            };
                            match run::run_checks(
                                &exercise.id,
                                &binary,
                                &checks,
                                seed,
                                &self.limits,
                                &label,
                                events,
                            ) {
                                Ok(tests) => GradeResult::from_checks(
                                    &exercise.id,
                                    seed,
                                    tests,
                                    elapsed(started),
                                ),
                                Err(tampering) => GradeResult::error(
                                    &exercise.id,
                                    seed,
                                    tampered(tampering),
                                    elapsed(started),
                                ),
                            }
                        }
                    },
                }
            }
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
    _file: super::lock::WorkspaceLock,
}

impl GraderLock {
    pub fn hold(&self) -> MutexGuard<'_, ()> {
        self.lock.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Changes whenever [`main_rs`] changes what it generates, so older binaries are rebuilt.
const MAIN_RS_VERSION: u32 = 2;

/// The generated crate root: the student's file as a module whose public items are
/// re-exported (the harness says `use crate::TypeName;`), the harness, and `main`, which
/// names the checks crate by its absolute path.
fn main_rs(exercise: &Exercise, harness_path: &str) -> String {
    let live = if exercise.live.is_some() {
        "Some(self::sysdesign_harness::live)"
    } else {
        "None"
    };
    format!(
        "// Written by sysdesign's grader for one build: edits here are overwritten.\n\
         #[forbid(unsafe_code)]\n\
         #[path = \"{STUDENT_FILE}\"]\n\
         mod sysdesign_student;\n\
         #[allow(unused_imports)]\n\
         pub use self::sysdesign_student::*;\n\
         \n\
         #[path = {harness_path:?}]\n\
         mod sysdesign_harness;\n\
         \n\
         fn main() {{\n    ::sysdesign_checks::main(self::sysdesign_harness::checks(), {live});\n}}\n"
    )
}

/// Where the compiler and panics say the student's file is.
pub(super) fn compiled_as(id: &str) -> String {
    format!("crates/{id}/src/{STUDENT_FILE}")
}

/// Length and modification time of a file, to notice a binary replaced behind our back.
fn file_identity(path: &Path) -> Option<String> {
    let metadata = std::fs::metadata(path).ok()?;
    let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(format!("{}:{}", metadata.len(), modified.as_nanos()))
}

fn labels(id: &str, shown_as: &str, harness: &Path) -> Vec<PathLabel> {
    vec![
        PathLabel {
            compiled_as: compiled_as(id),
            shown_as: shown_as.to_string(),
        },
        PathLabel {
            compiled_as: harness.display().to_string(),
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
    fn the_students_file_is_a_module_of_the_generated_root_never_the_root() {
        let (exercises, _) = super::super::embedded_exercises();
        let exercise = &exercises[0];
        let main = main_rs(exercise, "/tmp/a \"b\"/h.rs");
        assert!(
            main.contains(
                "#[forbid(unsafe_code)]\n#[path = \"student.rs\"]\nmod sysdesign_student;"
            )
        );
        assert!(main.contains("pub use self::sysdesign_student::*;"));
        assert!(main.contains("#[path = \"/tmp/a \\\"b\\\"/h.rs\"]\nmod sysdesign_harness;"));
        assert!(main.contains("::sysdesign_checks::main(self::sysdesign_harness::checks()"));
    }
}
