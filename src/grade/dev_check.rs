//! `sysdesign check` for exercises: proves that every starter compiles and fails, and every
//! reference solution passes, so a course never ships an exercise that cannot be solved or
//! that is solved before the student starts.

use super::events::GradeEvent;
use super::exercise::{Exercise, ExerciseKind};
use super::grader::Grader;
use super::result::{GradeResult, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Starter,
    Solution,
}

impl Variant {
    /// The file this variant is, in an exercise of `kind`.
    pub fn file(self, kind: ExerciseKind) -> &'static str {
        match self {
            Variant::Starter => kind.files()[1],
            Variant::Solution => kind.files()[2],
        }
    }
}

/// Progress: `variant` of exercise `index` (0-based) of `of` is being graded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevCheckProgress {
    pub id: String,
    pub index: usize,
    pub of: usize,
    pub variant: Variant,
    pub event: GradeEvent,
}

/// Something wrong with an exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevCheckFinding {
    pub id: String,
    pub kind: ExerciseKind,
    pub variant: Variant,
    pub message: String,
}

impl std::fmt::Display for DevCheckFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exercises/{}/{}: error: {}",
            self.id,
            self.variant.file(self.kind),
            self.message
        )
    }
}

/// Grades every exercise's starter and solution with `seed`; returns what is wrong.
pub fn dev_check(
    grader: &Grader,
    exercises: &[Exercise],
    seed: u64,
    progress: &mut dyn FnMut(DevCheckProgress),
) -> Vec<DevCheckFinding> {
    let mut findings = Vec::new();
    for (index, exercise) in exercises.iter().enumerate() {
        for variant in [Variant::Starter, Variant::Solution] {
            let source = match variant {
                Variant::Starter => &exercise.starter,
                Variant::Solution => &exercise.solution,
            };
            let shown_as = format!("{}/{}", exercise.id, variant.file(exercise.kind));
            let result = grader.grade_source(exercise, source, &shown_as, seed, &mut |event| {
                progress(DevCheckProgress {
                    id: exercise.id.clone(),
                    index,
                    of: exercises.len(),
                    variant,
                    event,
                })
            });
            if let Some(message) = judge(variant, &result) {
                findings.push(DevCheckFinding {
                    id: exercise.id.clone(),
                    kind: exercise.kind,
                    variant,
                    message,
                });
            }
        }
    }
    findings
}

/// A starter must compile and fail at least one check; a solution must pass every check.
fn judge(variant: Variant, result: &GradeResult) -> Option<String> {
    let first = result.first_problem();
    match variant {
        Variant::Starter if result.status == Status::Pass => Some(format!(
            "the starter passes all {} checks; it must leave work for the student",
            result.tests.len()
        )),
        Variant::Starter if result.tests.is_empty() => Some(format!(
            "the starter must compile and run: {}",
            result.message.as_deref().unwrap_or("it did not")
        )),
        Variant::Starter => None,
        Variant::Solution if result.status == Status::Pass => None,
        Variant::Solution => Some(match first {
            Some(check) => format!(
                "the solution does not pass `{}` (seed {}): {}",
                check.name,
                result.seed,
                check.message.as_deref().unwrap_or("no message")
            ),
            None => format!(
                "the solution does not pass: {}",
                result.message.as_deref().unwrap_or("no checks ran")
            ),
        }),
    }
}
