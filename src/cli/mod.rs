//! The headless commands. Each prints to stdout and returns the process exit code.

pub mod check;
pub mod exercises;
pub mod list;
pub mod progress;
pub mod show;
pub mod sim;
pub mod sql;

use std::collections::HashSet;
use std::path::PathBuf;

use crate::course::{Course, CourseSource};
use crate::grade::{
    Exercise, ExerciseProblem, Workspace, embedded_exercises, files_in_dir, load_exercises,
};
use crate::progress::ProgressStore;

/// What every command needs: where the course and the student's files are.
#[derive(Debug, Clone)]
pub struct Env {
    pub source: CourseSource,
    pub workspace: PathBuf,
}

impl Env {
    pub fn new(course: Option<PathBuf>, workspace: Option<PathBuf>) -> Env {
        Env {
            source: course.map_or(CourseSource::Embedded, CourseSource::Dir),
            workspace: workspace
                .or_else(Workspace::default_root)
                .unwrap_or_else(|| PathBuf::from(".sysdesign-workspace")),
        }
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
