//! Grading SQL exercises with the code exercises' result type: one [`CheckResult`] per
//! dataset variant, probe or query plan, in the order of `checks.toml`.
//!
//! The student's SQL runs in a [`Sandbox`](crate::sql::Sandbox) (no ATTACH, no files, a time
//! limit per statement). A mistake that stops the SQL from running at all (a syntax error, an
//! unknown table) is an `error` result located in the student's file, as a compile error is
//! for Rust.

mod checks;
mod compare;
mod index;
mod query;
mod schema;

use std::time::Instant;

use crate::grade::{CheckResult, Exercise, ExerciseKind, GradeEvent, GradeResult, Status};

pub use checks::{Checks, parse};
pub use compare::compare;

/// Checks that `checks` is a valid `checks.toml` for a `kind` exercise.
pub fn validate(kind: ExerciseKind, checks: &str) -> Result<(), (usize, String)> {
    parse(kind, checks).map(|_| ())
}

/// Grades `source`, the student's SQL (shown in messages as `shown_as`), for `exercise`.
pub fn grade(
    exercise: &Exercise,
    source: &str,
    shown_as: &str,
    seed: u64,
    events: &mut dyn FnMut(GradeEvent),
) -> GradeResult {
    let started = Instant::now();
    let elapsed = || started.elapsed().as_millis() as u64;
    let result = match parse(exercise.kind, &exercise.harness) {
        Err((_, message)) => GradeResult::error(
            &exercise.id,
            seed,
            format!("the exercise's checks.toml is invalid: {message}"),
            elapsed(),
        ),
        Ok(checks) => {
            let mut run = Run {
                id: &exercise.id,
                shown_as,
                events,
                tests: Vec::new(),
            };
            let outcome = match &checks {
                Checks::Query(q) => query::grade(q, &exercise.solution, source, seed, &mut run),
                Checks::Schema(s) => schema::grade(s, source, &mut run),
                Checks::Index(i) => index::grade(i, source, &mut run),
            };
            match outcome {
                Ok(()) => GradeResult::from_checks(&exercise.id, seed, run.tests, elapsed()),
                Err(message) => GradeResult::error(&exercise.id, seed, message, elapsed()),
            }
        }
    };
    events(GradeEvent::Done {
        id: exercise.id.clone(),
        status: result.status,
    });
    result
}

/// The checks of one grading run so far.
struct Run<'a> {
    id: &'a str,
    shown_as: &'a str,
    events: &'a mut dyn FnMut(GradeEvent),
    tests: Vec<CheckResult>,
}

impl Run<'_> {
    fn started(&mut self, name: &str, of: usize) {
        (self.events)(GradeEvent::Running {
            id: self.id.to_string(),
            index: self.tests.len(),
            of,
            name: name.to_string(),
        });
    }

    fn record(&mut self, name: String, verdict: Verdict) {
        let (status, message) = match verdict {
            Verdict::Pass => (Status::Pass, None),
            Verdict::Fail(m) => (Status::Fail, Some(m)),
            Verdict::Error(m) => (Status::Error, Some(m)),
        };
        self.tests.push(CheckResult {
            name,
            status,
            message,
            output: None,
            task_id: None,
        });
    }

    /// `sql/x.sql:3:14: message`: an error in the student's file.
    fn located(&self, error: &crate::sql::SqlError) -> String {
        format!("{}:{error}", self.shown_as)
    }
}

enum Verdict {
    Pass,
    Fail(String),
    Error(String),
}

impl From<Result<(), String>> for Verdict {
    fn from(result: Result<(), String>) -> Self {
        match result {
            Ok(()) => Verdict::Pass,
            Err(m) => Verdict::Fail(m),
        }
    }
}
