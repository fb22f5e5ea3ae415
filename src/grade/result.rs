//! The one result type of grading, shared by the TUI and the CLI.
//!
//! Modelled on Exercism's test-runner `results.json` version 3: an overall status, one entry
//! per check in the harness's order, and the seed so a run can be replayed.

use serde::{Deserialize, Serialize};

/// The results.json version this follows.
pub const RESULTS_VERSION: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every check passed.
    Pass,
    /// A check failed: the code ran and gave a wrong answer or panicked.
    Fail,
    /// The code could not be judged: it did not compile, timed out or crashed.
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub name: String,
    pub status: Status,
    /// What was expected and what happened; `None` when the check passed.
    pub message: Option<String>,
    /// The student's own output during this check, capped at about 500 characters.
    pub output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub task_id: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeResult {
    pub version: u32,
    /// The exercise id.
    pub id: String,
    pub status: Status,
    /// Why nothing could be judged (a compile error, a crash); `None` on pass and fail.
    pub message: Option<String>,
    /// Seeds every check's random inputs; grading again with it replays the run.
    pub seed: u64,
    pub tests: Vec<CheckResult>,
    pub duration_ms: u64,
}

impl GradeResult {
    /// A result for a run that could not start or compile: no checks, only a message.
    pub fn error(id: &str, seed: u64, message: String, duration_ms: u64) -> Self {
        GradeResult {
            version: RESULTS_VERSION,
            id: id.to_string(),
            status: Status::Error,
            message: Some(message),
            seed,
            tests: Vec::new(),
            duration_ms,
        }
    }

    /// The overall verdict from the checks: an error in any check makes the run an error
    /// (it could not be judged in full), otherwise any failure makes it a failure.
    pub fn from_checks(id: &str, seed: u64, tests: Vec<CheckResult>, duration_ms: u64) -> Self {
        let first_error = tests.iter().find(|t| t.status == Status::Error);
        let (status, message) = match first_error {
            Some(check) => (
                Status::Error,
                Some(format!(
                    "check `{}`: {}",
                    check.name,
                    check.message.as_deref().unwrap_or("error")
                )),
            ),
            None if tests.iter().any(|t| t.status == Status::Fail) => (Status::Fail, None),
            None if tests.is_empty() => (
                Status::Error,
                Some("the harness defines no checks".to_string()),
            ),
            None => (Status::Pass, None),
        };
        GradeResult {
            version: RESULTS_VERSION,
            id: id.to_string(),
            status,
            message,
            seed,
            tests,
            duration_ms,
        }
    }

    /// The first check that did not pass: the one to fix first.
    pub fn first_problem(&self) -> Option<&CheckResult> {
        self.tests.iter().find(|t| t.status != Status::Pass)
    }

    pub fn passed(&self) -> usize {
        self.tests
            .iter()
            .filter(|t| t.status == Status::Pass)
            .count()
    }
}

/// The process exit code for a set of results: 0 when all pass, 2 when any is an error,
/// otherwise 1.
pub fn exit_code(results: &[GradeResult]) -> i32 {
    if results.iter().any(|r| r.status == Status::Error) {
        2
    } else if results.iter().any(|r| r.status == Status::Fail) {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, status: Status) -> CheckResult {
        CheckResult {
            name: name.to_string(),
            status,
            message: (status != Status::Pass).then(|| format!("{name} went wrong")),
            output: None,
            task_id: None,
        }
    }

    #[test]
    fn overall_status_is_the_worst_check() {
        let all_pass = GradeResult::from_checks("x", 1, vec![check("a", Status::Pass)], 0);
        assert_eq!(all_pass.status, Status::Pass);
        let one_fail = GradeResult::from_checks(
            "x",
            1,
            vec![check("a", Status::Pass), check("b", Status::Fail)],
            0,
        );
        assert_eq!(one_fail.status, Status::Fail);
        assert_eq!(one_fail.first_problem().map(|c| c.name.as_str()), Some("b"));
        let timed_out = GradeResult::from_checks(
            "x",
            1,
            vec![check("a", Status::Fail), check("b", Status::Error)],
            0,
        );
        assert_eq!(timed_out.status, Status::Error);
        assert_eq!(
            timed_out.message.as_deref(),
            Some("check `b`: b went wrong")
        );
    }

    #[test]
    fn no_checks_is_an_error() {
        assert_eq!(
            GradeResult::from_checks("x", 1, vec![], 0).status,
            Status::Error
        );
    }

    #[test]
    fn exit_codes_follow_the_worst_result() {
        let pass = GradeResult::from_checks("a", 1, vec![check("a", Status::Pass)], 0);
        let fail = GradeResult::from_checks("b", 1, vec![check("b", Status::Fail)], 0);
        let error = GradeResult::error("c", 1, "no".into(), 0);
        assert_eq!(exit_code(std::slice::from_ref(&pass)), 0);
        assert_eq!(exit_code(&[pass.clone(), fail.clone()]), 1);
        assert_eq!(exit_code(&[pass, fail, error]), 2);
        assert_eq!(exit_code(&[]), 0);
    }
}
