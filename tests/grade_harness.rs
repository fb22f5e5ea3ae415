//! The grader against deliberately broken student files: each must be rejected with a useful
//! message, and grading itself must never hang or crash. These run real cargo builds in one
//! grader kept warm under CARGO_TARGET_TMPDIR, one test at a time.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use sysdesign::grade::{Exercise, GradeResult, Grader, Limits, Status, embedded_exercises};

const SHOWN_AS: &str = "exercises/round-robin/src/lib.rs";

/// One grader for the whole binary: the tests share its warm target directory.
/// A short per-check limit keeps the hanging fixtures quick to reject.
fn grader() -> (Grader, MutexGuard<'static, ()>) {
    grader_with_check_limit(Duration::from_secs(1))
}

fn grader_with_check_limit(per_check: Duration) -> (Grader, MutexGuard<'static, ()>) {
    static SERIAL: Mutex<()> = Mutex::new(());
    let guard = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("grade-harness");
    let limits = Limits {
        per_check,
        ..Limits::default()
    };
    (Grader::new(dir).with_limits(limits), guard)
}

fn round_robin() -> Exercise {
    let (exercises, _) = embedded_exercises();
    exercises
        .into_iter()
        .find(|e| e.id == "round-robin")
        .expect("the round-robin exercise is embedded")
}

fn grade(fixture: &str) -> GradeResult {
    let (grader, _serial) = grader();
    grade_with(&grader, fixture)
}

fn grade_with(grader: &Grader, fixture: &str) -> GradeResult {
    let path = format!(
        "{}/tests/fixtures/grade/{fixture}",
        env!("CARGO_MANIFEST_DIR")
    );
    let source = std::fs::read_to_string(path).expect("fixture exists");
    grader.grade_source(&round_robin(), &source, SHOWN_AS, 7, &mut |_| {})
}

fn check<'a>(result: &'a GradeResult, name: &str) -> &'a sysdesign::grade::CheckResult {
    result
        .tests
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no check `{name}` in {result:#?}"))
}

#[test]
fn a_wrong_answer_says_what_was_expected_and_what_happened() {
    let result = grade("ignores_health.rs");
    assert_eq!(result.status, Status::Fail, "{result:#?}");
    assert_eq!(result.seed, 7);
    let first = result.first_problem().expect("a failing check");
    assert_eq!(first.name, "skips a backend that is down");
    assert_eq!(
        first.message.as_deref(),
        Some("after 3 requests to [A, B(down), C] expected A, C, A; got A, B, C")
    );
    assert_eq!(
        check(&result, "takes turns over healthy backends").status,
        Status::Pass
    );
}

#[test]
fn a_panic_fails_that_check_with_the_panic_message_and_location() {
    let result = grade("panics.rs");
    assert_eq!(result.status, Status::Fail, "{result:#?}");
    let turns = check(&result, "takes turns over healthy backends");
    assert_eq!(turns.status, Status::Fail);
    let message = turns.message.as_deref().unwrap_or_default();
    assert!(
        message.starts_with(&format!("panicked at {SHOWN_AS}:18:")),
        "{message}"
    );
    assert!(message.contains("index out of bounds"), "{message}");
    assert!(
        result.tests.iter().all(|t| t.output.is_none()),
        "{result:#?}"
    );
}

#[test]
fn an_infinite_loop_times_out_and_the_later_checks_still_run() {
    let result = grade("loops_forever.rs");
    assert_eq!(result.status, Status::Error, "{result:#?}");
    let stuck = check(&result, "returns None when no backend is healthy");
    assert_eq!(stuck.status, Status::Error);
    assert_eq!(
        stuck.message.as_deref(),
        Some("timed out after 1 s (an infinite loop?)")
    );
    assert_eq!(
        result.message.as_deref(),
        Some(
            "check `returns None when no backend is healthy`: timed out after 1 s (an infinite loop?)"
        )
    );
    let after = check(
        &result,
        "keeps its place when a backend goes down and comes back",
    );
    assert_eq!(after.status, Status::Pass, "{result:#?}");
    assert_eq!(result.tests.len(), 7);
}

#[test]
fn an_output_flood_is_capped_and_says_so() {
    // Writing megabytes of output takes real time; on a loaded machine one second per check
    // was not always enough, and a timeout here would test the machine, not the cap.
    let (grader, _serial) = grader_with_check_limit(Duration::from_secs(10));
    let result = grade_with(&grader, "floods_output.rs");
    assert_eq!(result.status, Status::Pass, "{result:#?}");
    for test in &result.tests {
        let output = test.output.as_deref().expect("output captured");
        assert!(output.ends_with("\n[output truncated]"), "{output}");
        assert!(output.chars().count() <= 500 + "\n[output truncated]".len());
        assert!(output.starts_with("client "), "{output}");
    }
}

#[test]
fn a_stack_overflow_is_a_crash_of_each_check_not_of_the_grader() {
    let result = grade("overflows_stack.rs");
    assert_eq!(result.status, Status::Error, "{result:#?}");
    assert_eq!(result.tests.len(), 7, "every check is reported");
    let first = &result.tests[0];
    assert_eq!(first.status, Status::Error);
    assert_eq!(
        first.message.as_deref(),
        Some("crashed: stack overflow (infinite or too deep recursion?)")
    );
    assert_eq!(
        first.output.as_deref().map(|o| o.lines().next()),
        Some(Some("searching from 0"))
    );
}

#[test]
fn a_compile_error_is_an_error_with_the_compilers_message_on_the_students_path() {
    let result = grade("does_not_compile.rs");
    assert_eq!(result.status, Status::Error);
    assert!(result.tests.is_empty());
    let message = result.message.as_deref().unwrap_or_default();
    assert!(
        message.starts_with(&format!("{SHOWN_AS} does not compile:")),
        "{message}"
    );
    assert!(
        message.contains("error[E0308]: mismatched types"),
        "{message}"
    );
    assert!(
        message.contains(&format!("--> {SHOWN_AS}:16:")),
        "{message}"
    );
    assert!(!message.contains("crates/round-robin"), "{message}");
}

#[test]
fn renaming_what_the_checks_use_points_at_the_starters_names() {
    let result = grade("renames_the_type.rs");
    assert_eq!(result.status, Status::Error);
    let message = result.message.as_deref().unwrap_or_default();
    assert!(
        message.starts_with(&format!(
            "{SHOWN_AS} compiles, but the checks cannot use it: keep the names and signatures \
             of the starter.\n"
        )),
        "{message}"
    );
    assert!(message.contains("RoundRobin"), "{message}");
    assert!(
        message.contains("--> <the checks of round-robin>:"),
        "{message}"
    );
}

/// Pids of live processes whose command line contains `needle` (on Linux; none elsewhere).
fn processes_with(needle: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let zombie = stat
                .rfind(')')
                .is_some_and(|i| stat[i + 1..].trim_start().starts_with('Z'));
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            !zombie && String::from_utf8_lossy(&cmdline).contains(needle)
        })
        .collect()
}

/// Asserts that no process with `needle` in its command line is left, killing any that is
/// so a failing test does not leave them running on the machine.
fn assert_none_left(needle: &str) {
    let left = processes_with(needle);
    for pid in &left {
        let _ = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status();
    }
    assert!(
        left.is_empty(),
        "processes left behind with `{needle}`: {left:?}"
    );
}

fn tampering_message(result: &GradeResult) -> &str {
    assert_eq!(result.status, Status::Error, "{result:#?}");
    assert!(
        result.tests.is_empty(),
        "no verdict survives tampering: {result:#?}"
    );
    let message = result.message.as_deref().unwrap_or_default();
    assert!(
        message.starts_with(&format!(
            "{SHOWN_AS} was not graded: it tampers with the grader"
        )),
        "{message}"
    );
    message
}

#[test]
fn forged_protocol_lines_on_stdout_void_the_run() {
    let started = std::time::Instant::now();
    let result = grade("forges_protocol_lines.rs");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the forger blocks after printing; the grade must still end: {:?}",
        started.elapsed()
    );
    let message = tampering_message(&result);
    assert!(
        message.contains("imitates the grader's results protocol"),
        "{message}"
    );
}

#[test]
fn a_module_shadowing_the_checks_crate_is_named_as_tampering() {
    let result = grade("shadows_the_checks_crate.rs");
    let message = tampering_message(&result);
    assert!(
        message.contains(&format!(
            "{SHOWN_AS}:19:5: it uses the name `sysdesign_checks`"
        )),
        "{message}"
    );
}

#[test]
fn taking_over_the_entry_point_is_named_as_tampering() {
    let result = grade("takes_over_main.rs");
    let message = tampering_message(&result);
    assert!(
        message.contains(&format!(
            "{SHOWN_AS}:1:1: it uses the crate attribute `#![no_main]`"
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "{SHOWN_AS}:19:10: it uses the attribute `no_mangle`"
        )),
        "{message}"
    );
}

#[test]
fn the_harness_cannot_be_included_and_is_not_left_in_the_workspace() {
    let harness = round_robin().harness;
    let result = grade("reads_the_harness.rs");
    let message = tampering_message(&result);
    assert!(
        message.contains(&format!("{SHOWN_AS}:4:26: it uses `include_str!`")),
        "{message}"
    );
    assert!(!message.contains("fn none_when_all_down"), "{message}");
    // A grade of a good file leaves nothing behind either.
    assert_eq!(grade("ignores_health.rs").status, Status::Fail);

    // Nothing under the grader's directory (its build output aside) holds the harness.
    let (grader, _serial) = grader();
    let hidden = grader.dir().join("hidden");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&hidden)
        .expect("hidden dir")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o300, "the harness directory cannot be listed");
    std::fs::set_permissions(&hidden, std::fs::Permissions::from_mode(0o700)).unwrap();
    let mut stack = vec![grader.dir().to_path_buf()];
    let mut holding = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    stack.push(path);
                }
            } else if std::fs::read_to_string(&path)
                .is_ok_and(|text| text.contains("fn none_when_all_down") || text == harness)
            {
                holding.push(path);
            }
        }
    }
    std::fs::set_permissions(&hidden, std::fs::Permissions::from_mode(0o300)).unwrap();
    assert!(holding.is_empty(), "the harness is readable at {holding:?}");
}

#[test]
fn a_program_that_blocks_after_its_last_check_is_ended_in_time() {
    let started = std::time::Instant::now();
    let result = grade("blocks_at_exit.rs");
    assert_eq!(result.status, Status::Pass, "{result:#?}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn nothing_the_students_code_starts_outlives_the_grade() {
    let result = grade("leaves_processes_behind.rs");
    assert_none_left("98765");
    assert_eq!(result.status, Status::Error, "{result:#?}");
    let exits = check(&result, "returns None when no backend is healthy");
    assert_eq!(exits.status, Status::Error);
    assert_eq!(
        exits.message.as_deref(),
        Some("the program exited with code 0 during this check")
    );
    assert_eq!(
        check(&result, "takes turns over healthy backends").status,
        Status::Pass
    );
    for test in &result.tests {
        let message = test.message.as_deref().unwrap_or_default();
        assert!(!message.contains("timed out"), "{result:#?}");
    }
}

#[test]
fn a_timed_out_check_leaves_no_process_behind() {
    let result = grade("loops_with_a_child.rs");
    assert_none_left("987654");
    assert_eq!(result.status, Status::Error, "{result:#?}");
    assert_eq!(
        result.tests[0].message.as_deref(),
        Some("timed out after 1 s (an infinite loop?)")
    );
}

#[test]
fn a_compile_error_at_the_end_of_the_file_points_inside_it() {
    let source = std::fs::read_to_string(format!(
        "{}/tests/fixtures/grade/unclosed_at_the_end.rs",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let lines = source.lines().count();
    let result = grade("unclosed_at_the_end.rs");
    assert_eq!(result.status, Status::Error);
    let message = result.message.as_deref().unwrap_or_default();
    assert!(
        message.starts_with(&format!("{SHOWN_AS} does not compile:")),
        "{message}"
    );
    let places: Vec<usize> = message
        .match_indices(&format!("{SHOWN_AS}:"))
        .filter_map(|(at, found)| {
            let rest = &message[at + found.len()..];
            rest.split(':').next()?.parse().ok()
        })
        .collect();
    assert!(!places.is_empty(), "{message}");
    assert!(
        places.iter().all(|&line| line >= 1 && line <= lines),
        "{lines} lines, errors at {places:?}:\n{message}"
    );
    assert!(!message.contains("crates/round-robin"), "{message}");
}

#[test]
fn calling_the_entry_point_again_voids_the_run() {
    let result = grade("calls_the_entry_point.rs");
    let message = tampering_message(&result);
    assert!(
        message.contains("called the grader's own entry point"),
        "{message}"
    );
}

/// The subreaper is the keeper, a process of its own: the grader never becomes one, so the
/// children it waits for (cargo, an editor) are never reaped behind its back.
#[cfg(target_os = "linux")]
#[test]
fn the_grader_itself_never_becomes_a_subreaper() {
    let result = grade("ignores_health.rs");
    assert_eq!(result.status, Status::Fail, "{result:#?}");
    let mut flag: libc::c_int = -1;
    // SAFETY: PR_GET_CHILD_SUBREAPER writes one int through the pointer.
    let status =
        unsafe { libc::prctl(libc::PR_GET_CHILD_SUBREAPER, &mut flag as *mut libc::c_int) };
    assert_eq!(status, 0);
    assert_eq!(flag, 0, "the grading process must not be a subreaper");
}
