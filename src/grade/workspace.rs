//! The student's exercise workspace: a Cargo workspace rust-analyzer understands, with one
//! small crate per exercise holding the file the student edits.
//!
//! ```text
//! <root>/Cargo.toml                  [workspace]: support and exercises/*
//! <root>/README.md                   what to edit and how to grade
//! <root>/support/                    sysdesign_support: the contract traits (rewritten)
//! <root>/exercises/<id>/src/lib.rs   the student's file (written once, then theirs)
//! <root>/sql/<id>.sql                a SQL exercise's file (outside the Cargo workspace)
//! <root>/sql-history.json            the SQL console's query history
//! <root>/.grader/                    the grader's scratch workspace (not the student's)
//! <root>/.backup/                    files saved before a reset
//! ```

use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::events::GradeEvent;
use super::exercise::Exercise;
use super::files::{write_atomic, write_if_changed, write_if_missing};
use super::grader::Grader;
use super::result::GradeResult;
use super::support;

const ROOT_MANIFEST: &str = "# Written by sysdesign. Open this folder in your editor: rust-analyzer \
understands it.\n\
[workspace]\n\
resolver = \"3\"\n\
members = [\"support\", \"exercises/*\"]\n\
exclude = [\".grader\"]\n";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    root: PathBuf,
}

/// What [`Workspace::ensure`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnsureReport {
    /// True when the workspace did not exist before.
    pub created: bool,
    /// Exercises whose starter was written because the student had no file yet.
    pub new_exercises: Vec<String>,
}

impl Workspace {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Workspace { root: root.into() }
    }

    /// `<data dir>/workspace`, e.g. `~/.local/share/sysdesign/workspace` on Linux.
    pub fn default_root() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "sysdesign").map(|d| d.data_dir().join("workspace"))
    }

    /// The workspace at `explicit` (`--workspace DIR`), or the default one.
    pub fn resolve(explicit: Option<&Path>) -> Result<Workspace, String> {
        match explicit {
            Some(dir) => Ok(Workspace::new(dir)),
            None => Self::default_root().map(Workspace::new).ok_or_else(|| {
                "cannot find a data directory for the workspace; pass --workspace DIR".to_string()
            }),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file the student edits, relative to the workspace root.
    pub fn relative_exercise_file(id: &str) -> String {
        format!("exercises/{id}/src/lib.rs")
    }

    /// The file the student edits for `exercise`, relative to the workspace root: the Rust
    /// crate's `src/lib.rs`, or `sql/<id>.sql`.
    pub fn relative_student_file(exercise: &Exercise) -> String {
        if exercise.kind.is_sql() {
            format!("sql/{}.sql", exercise.id)
        } else {
            Self::relative_exercise_file(&exercise.id)
        }
    }

    /// The file the student edits for `exercise`, whatever its kind.
    pub fn student_file(&self, exercise: &Exercise) -> PathBuf {
        if exercise.kind.is_sql() {
            self.root.join("sql").join(format!("{}.sql", exercise.id))
        } else {
            self.exercise_file(&exercise.id)
        }
    }

    /// The file the student edits for the Rust exercise `id`.
    pub fn exercise_file(&self, id: &str) -> PathBuf {
        self.root
            .join("exercises")
            .join(id)
            .join("src")
            .join("lib.rs")
    }

    /// The grader that belongs to this workspace.
    pub fn grader(&self) -> Grader {
        Grader::new(self.root.join(".grader"))
    }

    /// Creates what is missing and refreshes what sysdesign owns (the support crate, the
    /// README). Never touches a student's existing exercise file.
    pub fn ensure(&self, exercises: &[Exercise]) -> io::Result<EnsureReport> {
        let created = !self.root.join("Cargo.toml").exists();
        self.ensure_shared()?;
        write_if_changed(&self.root.join("README.md"), readme(exercises).as_bytes())?;
        let mut new_exercises = Vec::new();
        for exercise in exercises {
            if self.ensure_exercise(exercise)? {
                new_exercises.push(exercise.id.clone());
            }
        }
        Ok(EnsureReport {
            created,
            new_exercises,
        })
    }

    fn ensure_shared(&self) -> io::Result<()> {
        write_if_missing(&self.root.join("Cargo.toml"), ROOT_MANIFEST.as_bytes())?;
        write_if_missing(&self.root.join(".gitignore"), b"/target\n/.grader\n")?;
        for (path, contents) in support::files() {
            write_if_changed(&self.root.join("support").join(path), contents.as_bytes())?;
        }
        Ok(())
    }

    /// Returns true when the starter was written because the student had no file yet.
    fn ensure_exercise(&self, exercise: &Exercise) -> io::Result<bool> {
        if exercise.kind.is_sql() {
            return write_if_missing(&self.student_file(exercise), exercise.starter.as_bytes());
        }
        let dir = self.root.join("exercises").join(&exercise.id);
        write_if_missing(
            &dir.join("Cargo.toml"),
            crate_manifest(&exercise.id).as_bytes(),
        )?;
        write_if_missing(&dir.join("src/lib.rs"), exercise.starter.as_bytes())
    }

    /// Restores the starter. The student's previous file is first saved under `.backup/`;
    /// returns where, or `None` when there was no file.
    pub fn reset(&self, exercise: &Exercise) -> io::Result<Option<PathBuf>> {
        let file = self.student_file(exercise);
        let backup = match std::fs::read(&file) {
            Ok(previous) => {
                let stamp = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                let path = self.root.join(".backup").join(format!(
                    "{}-{stamp}.{}",
                    exercise.id,
                    exercise.kind.language()
                ));
                write_atomic(&path, &previous)?;
                Some(path)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if !exercise.kind.is_sql() {
            let dir = self.root.join("exercises").join(&exercise.id);
            write_if_missing(
                &dir.join("Cargo.toml"),
                crate_manifest(&exercise.id).as_bytes(),
            )?;
        }
        write_atomic(&file, exercise.starter.as_bytes())?;
        Ok(backup)
    }

    /// Grades the student's file for `exercise`, creating the workspace first if needed.
    pub fn grade(
        &self,
        exercise: &Exercise,
        seed: u64,
        events: &mut dyn FnMut(GradeEvent),
    ) -> GradeResult {
        self.grade_with(&self.grader(), exercise, seed, events)
    }

    /// Like [`Workspace::grade`], with a grader of the caller's choosing (other limits).
    pub fn grade_with(
        &self,
        grader: &Grader,
        exercise: &Exercise,
        seed: u64,
        events: &mut dyn FnMut(GradeEvent),
    ) -> GradeResult {
        let shown_as = Self::relative_student_file(exercise);
        if let Err(e) = self
            .ensure_shared()
            .and_then(|()| self.ensure_exercise(exercise))
        {
            return GradeResult::error(
                &exercise.id,
                seed,
                format!(
                    "cannot set up the workspace at {}: {e}",
                    self.root.display()
                ),
                0,
            );
        }
        match std::fs::read(self.student_file(exercise)) {
            Err(e) => GradeResult::error(
                &exercise.id,
                seed,
                format!("cannot read {shown_as}: {e}"),
                0,
            ),
            Ok(bytes) => match String::from_utf8(bytes) {
                Err(_) => GradeResult::error(
                    &exercise.id,
                    seed,
                    format!("{shown_as} is not valid UTF-8; save it as UTF-8 and grade again"),
                    0,
                ),
                Ok(source) => grader.grade_source(exercise, &source, &shown_as, seed, events),
            },
        }
    }
}

fn crate_manifest(id: &str) -> String {
    format!(
        "[package]\n\
         name = \"{id}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         sysdesign-support = {{ path = \"../../support\" }}\n"
    )
}

fn readme(exercises: &[Exercise]) -> String {
    let mut text = String::from(
        "# sysdesign exercises\n\
         \n\
         Written by sysdesign. Each exercise is a small crate under `exercises/`; you edit\n\
         only its `src/lib.rs`; SQL exercises are one file each under `sql/`. The checks that grade it live inside the sysdesign binary, so\n\
         editing anything else changes nothing about your grade.\n\
         \n\
         - Grade one exercise: `sysdesign grade ID`; all of them: `sysdesign grade --all`.\n\
         - In the app, open the exercise and press `g` (it also grades when you save).\n\
         - Start an exercise over: `sysdesign exercise reset ID` (your file is saved under\n\
           `.backup/` first).\n\
         - `support/` holds the traits the exercises implement; sysdesign rewrites it.\n\
         \n\
         | exercise | file to edit |\n\
         |---|---|\n",
    );
    for exercise in exercises {
        text.push_str(&format!(
            "| {} ({}) | `{}` |\n",
            exercise.title,
            exercise.id,
            Workspace::relative_student_file(exercise)
        ));
    }
    text
}
