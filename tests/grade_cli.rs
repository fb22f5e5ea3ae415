//! The CLI pieces of grading: golden files for the JSON, JUnit and human reports (durations
//! normalised), exit codes, and `exercise reset`. Runs real builds in a workspace kept warm
//! under CARGO_TARGET_TMPDIR; set UPDATE_GOLDEN=1 to rewrite the golden files.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

use sysdesign::grade::cli::{GradeArgs, Io, ResetArgs, grade_command, reset_command};
use sysdesign::grade::report::Format;
use sysdesign::grade::{Exercise, Workspace, embedded_exercises};

fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

fn exercises() -> Vec<Exercise> {
    embedded_exercises().0
}

/// The binary's one workspace, with every exercise file a starter again. `_test` names the
/// caller, for reading; the tests share the workspace to share its warm build.
fn fresh_workspace(_test: &str) -> Workspace {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("grade-cli");
    let workspace = Workspace::new(&root);
    workspace.ensure(&exercises()).expect("workspace");
    for exercise in exercises() {
        std::fs::write(workspace.student_file(&exercise), &exercise.starter).expect("starter");
    }
    let _ = std::fs::remove_dir_all(root.join(".backup"));
    workspace
}

struct Run {
    code: i32,
    out: String,
    err: String,
}

fn grade(workspace: &Workspace, ids: &[&str], all: bool, format: Format) -> Run {
    let args = GradeArgs {
        ids: ids.iter().map(|s| s.to_string()).collect(),
        all,
        format,
        seed: Some(42),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut input: &[u8] = b"";
    let code = grade_command(
        &args,
        &exercises(),
        workspace,
        &mut Io {
            out: &mut out,
            err: &mut err,
            input: &mut input,
            interactive: false,
        },
        &mut |_| {},
    );
    Run {
        code,
        out: String::from_utf8(out).expect("utf-8"),
        err: String::from_utf8(err).expect("utf-8"),
    }
}

fn reset(workspace: &Workspace, id: &str, yes: bool, answer: Option<&str>) -> Run {
    let args = ResetArgs {
        id: id.to_string(),
        yes,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut input: &[u8] = answer.unwrap_or("").as_bytes();
    let code = reset_command(
        &args,
        &exercises(),
        workspace,
        &mut Io {
            out: &mut out,
            err: &mut err,
            input: &mut input,
            interactive: answer.is_some(),
        },
    );
    Run {
        code,
        out: String::from_utf8(out).expect("utf-8"),
        err: String::from_utf8(err).expect("utf-8"),
    }
}

/// Compares with tests/golden/grade/NAME, or rewrites it under UPDATE_GOLDEN=1.
fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/grade")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1", path.display()));
    assert!(
        expected == actual,
        "{} differs; run with UPDATE_GOLDEN=1 to accept:\n{actual}",
        path.display()
    );
}

/// Replaces every number after `prefix` up to `end` with `0`.
fn normalise_numbers(text: &str, prefix: &str, end: char) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        out.push_str(&rest[..at + prefix.len()]);
        rest = &rest[at + prefix.len()..];
        let stop = rest.find(end).unwrap_or(rest.len());
        if rest[..stop].chars().all(|c| c.is_ascii_digit() || c == '.') {
            out.push('0');
            rest = &rest[stop..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn json_report_of_every_starter() {
    let _serial = serial();
    let workspace = fresh_workspace("grade-cli-json");
    let run = grade(&workspace, &[], true, Format::Json);
    assert_eq!(run.code, 1, "every starter fails, none errors: {}", run.out);
    let mut value: serde_json::Value = serde_json::from_str(&run.out).expect("valid JSON");
    for result in value.as_array_mut().expect("an array") {
        result["duration_ms"] = 0.into();
        assert_eq!(result["version"], 3);
        assert!(result["tests"].as_array().is_some_and(|t| !t.is_empty()));
    }
    golden(
        "starters.json",
        &(serde_json::to_string_pretty(&value).expect("json") + "\n"),
    );
}

#[test]
fn junit_report_of_every_starter() {
    let _serial = serial();
    let workspace = fresh_workspace("grade-cli-junit");
    let run = grade(&workspace, &[], true, Format::Junit);
    assert_eq!(run.code, 1);
    golden(
        "starters.junit.xml",
        &normalise_numbers(&run.out, "time=\"", '"'),
    );
}

#[test]
fn human_report_and_a_solved_exercise() {
    let _serial = serial();
    let workspace = fresh_workspace("grade-cli-human");
    let run = grade(
        &workspace,
        &["round-robin", "token-bucket"],
        false,
        Format::Human,
    );
    assert_eq!(run.code, 1);
    golden(
        "starters.txt",
        &normalise_numbers(&run.out, "seed 42, ", ' '),
    );

    let solved = exercises()
        .into_iter()
        .find(|e| e.id == "round-robin")
        .expect("round-robin");
    std::fs::write(workspace.exercise_file("round-robin"), &solved.solution).expect("write");
    let run = grade(&workspace, &["round-robin"], false, Format::Human);
    assert_eq!(run.code, 0, "{}", run.out);
    assert!(
        run.out
            .starts_with("round-robin: PASS, 7 of 7 checks passed (seed 42, ")
    );
}

#[test]
fn a_compile_error_exits_2() {
    let _serial = serial();
    let workspace = fresh_workspace("grade-cli-error");
    std::fs::write(workspace.exercise_file("ip-hash"), "pub struct IpHash").expect("write");
    let run = grade(&workspace, &["ip-hash"], false, Format::Json);
    assert_eq!(run.code, 2);
    let value: serde_json::Value = serde_json::from_str(&run.out).expect("json");
    assert_eq!(value[0]["status"], "error");
    let message = value[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("exercises/ip-hash/src/lib.rs does not compile:"),
        "{message}"
    );
}

#[test]
fn bad_command_lines_exit_2_and_list_the_ids() {
    let _serial = serial();
    let workspace = fresh_workspace("grade-cli-args");
    let unknown = grade(&workspace, &["round-robbin"], false, Format::Human);
    assert_eq!(unknown.code, 2);
    assert!(unknown.out.is_empty());
    assert!(
        unknown
            .err
            .starts_with("error: unknown exercise `round-robbin`; the exercises are: "),
        "{}",
        unknown.err
    );
    assert!(unknown.err.contains("round-robin"));
    let nothing = grade(&workspace, &[], false, Format::Human);
    assert_eq!(nothing.code, 2);
    assert!(nothing.err.contains("pass --all"), "{}", nothing.err);
}

#[test]
fn reset_asks_first_and_keeps_a_backup() {
    let _serial = serial();
    let workspace = fresh_workspace("grade-cli-reset");
    let file = workspace.exercise_file("circuit-breaker");
    std::fs::write(&file, "// my work\n").expect("write");

    let refused = reset(&workspace, "circuit-breaker", false, None);
    assert_eq!(refused.code, 2);
    assert!(refused.err.contains("pass --yes"), "{}", refused.err);
    let declined = reset(&workspace, "circuit-breaker", false, Some("n\n"));
    assert_eq!(declined.code, 1);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "// my work\n");

    let accepted = reset(&workspace, "circuit-breaker", false, Some("y\n"));
    assert_eq!(accepted.code, 0, "{}", accepted.err);
    let starter = exercises()
        .into_iter()
        .find(|e| e.id == "circuit-breaker")
        .expect("exercise")
        .starter;
    assert_eq!(std::fs::read_to_string(&file).unwrap(), starter);
    let backups: Vec<_> = std::fs::read_dir(workspace.root().join(".backup"))
        .expect("backup folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(
        std::fs::read_to_string(&backups[0]).unwrap(),
        "// my work\n"
    );
    assert!(accepted.out.contains(&backups[0].display().to_string()));

    let unknown = reset(&workspace, "nope", true, None);
    assert_eq!(unknown.code, 2);
}
