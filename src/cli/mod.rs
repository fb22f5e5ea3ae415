//! The headless commands. Each prints to stdout and returns the process exit code.

pub mod challenge;
pub mod check;
pub mod design;
pub mod exercises;
pub mod export;
pub mod list;
pub mod new;
pub mod progress;
pub mod review;
pub mod schema;
pub mod show;
pub mod sim;
pub mod sql;

use std::collections::HashSet;
use std::path::PathBuf;

use crate::course::pack::{self, LoadedPack};
use crate::course::{Course, CourseSource};
use crate::grade::{
    Exercise, ExerciseProblem, Workspace, embedded_exercises, files_in_dir, load_exercises,
};
use crate::progress::ProgressStore;

/// What every command needs: where the course and the student's files are.
#[derive(Debug, Clone)]
pub struct Env {
    pub source: CourseSource,
    /// This course's own workspace: progress and exercise files. See [`course_workspace`].
    pub workspace: PathBuf,
    /// The course's `course.toml`, with any problems found in it.
    pub pack: LoadedPack,
}

impl Env {
    pub fn new(course: Option<PathBuf>, workspace: Option<PathBuf>) -> Env {
        let source = course.map_or(CourseSource::Embedded, CourseSource::Dir);
        let pack = pack::load(&source);
        let root = workspace
            .or_else(Workspace::default_root)
            .unwrap_or_else(|| PathBuf::from(".sysdesign-workspace"));
        Env {
            workspace: course_workspace(&root, &source, &pack.pack.id),
            source,
            pack,
        }
    }

    /// Commands that open the course call this first: a broken `course.toml`, or one that
    /// needs a newer sysdesign, stops them with every problem printed. Returns the exit code.
    pub fn refuse_unusable_pack(&self) -> Result<(), i32> {
        if self.pack.errors.is_empty() {
            return Ok(());
        }
        for d in &self.pack.errors {
            eprintln!("{}\n", d.render());
        }
        eprintln!(
            "error: cannot open the course in {}; see its course.toml above",
            self.source.describe()
        );
        Err(1)
    }

    pub fn progress_store(&self) -> ProgressStore {
        ProgressStore::in_dir(&self.workspace)
    }

    pub fn load_course(&self) -> Course {
        Course::load(self.source.clone(), &self.exercise_ids())
    }

    pub fn exercise_ids(&self) -> HashSet<String> {
        self.exercises().0.into_iter().map(|e| e.id).collect()
    }

    /// The exercises: embedded, or `DIR/exercises` with `--course DIR` (none if it is absent).
    pub fn exercises(&self) -> (Vec<Exercise>, Vec<ExerciseProblem>) {
        match &self.source {
            CourseSource::Embedded => embedded_exercises(),
            CourseSource::Dir(dir) => {
                let dir = dir.join("exercises");
                if !dir.exists() {
                    return (Vec::new(), Vec::new());
                }
                match files_in_dir(&dir) {
                    Ok(files) => load_exercises(&files),
                    Err(e) => (
                        Vec::new(),
                        vec![ExerciseProblem::at_start(
                            ".",
                            format!("cannot read {}: {e}", dir.display()),
                        )],
                    ),
                }
            }
        }
    }

    pub fn student_workspace(&self) -> Workspace {
        Workspace::new(&self.workspace)
    }
}

/// Where a course keeps its progress and exercise files, under the workspace `root`
/// (`--workspace DIR` or the data directory). The built-in course keeps the root itself, as it
/// always has, so existing progress stays where it is; a course from `--course DIR` gets
/// `root/courses/<id>/`, named by its `course.toml` id, so no two courses share progress.
pub fn course_workspace(root: &std::path::Path, source: &CourseSource, id: &str) -> PathBuf {
    match source {
        CourseSource::Embedded => root.to_path_buf(),
        CourseSource::Dir(_) => root.join("courses").join(id),
    }
}
