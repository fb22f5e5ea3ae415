//! `sysdesign check` for exercises: every embedded starter compiles and fails, every
//! reference solution passes. Runs real cargo builds in a grader kept warm under
//! CARGO_TARGET_TMPDIR.

use std::path::PathBuf;

use sysdesign::grade::dev_check::dev_check;
use sysdesign::grade::{Grader, embedded_exercises};

fn grader_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("grade-dev-check")
}

#[test]
fn every_starter_fails_and_every_solution_passes() {
    let (exercises, problems) = embedded_exercises();
    let problems: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let grader = Grader::new(grader_dir());
    let findings = dev_check(&grader, &exercises, 20_250_101, &mut |_| {});
    let findings: Vec<String> = findings.iter().map(|f| f.to_string()).collect();
    assert!(findings.is_empty(), "{}", findings.join("\n\n"));
}
