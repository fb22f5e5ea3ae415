//! `sysdesign progress` is read-only: it never renames or rewrites the progress file, whether
//! the file is newer than this sysdesign or corrupt (issue 11 §1.5).

use std::path::Path;
use std::process::Command;

fn progress(ws: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sysdesign"))
        .arg("--workspace")
        .arg(ws)
        .arg("progress")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

#[test]
fn a_newer_file_is_kept_and_the_command_says_it_needs_a_newer_sysdesign() {
    let ws = tempfile::tempdir().unwrap();
    let newer = br#"{"version": 2, "lessons": {}, "badges": ["x"]}"#;
    std::fs::write(ws.path().join("progress.json"), newer).unwrap();
    let (code, stdout, stderr) = progress(ws.path());
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr
            .contains("written by a newer sysdesign (schema version 2; this one reads version 1)"),
        "{stderr}"
    );
    assert!(stderr.contains("Update sysdesign"), "{stderr}");
    assert!(
        !stdout.contains("sections read"),
        "no counts from a file it cannot read: {stdout}"
    );
    assert_eq!(
        std::fs::read(ws.path().join("progress.json")).unwrap(),
        newer
    );
    assert_eq!(names(ws.path()), vec!["progress.json"]);
}

#[test]
fn a_corrupt_file_is_reported_but_not_moved_by_a_read_only_command() {
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(ws.path().join("progress.json"), b"{ nope").unwrap();
    let (code, stdout, stderr) = progress(ws.path());
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("is not valid progress JSON"), "{stderr}");
    assert!(stderr.contains("left as it is"), "{stderr}");
    assert_eq!(names(ws.path()), vec!["progress.json"]);
}

#[test]
fn counts_solved_quizzes() {
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(
        ws.path().join("progress.json"),
        br#"{"version": 1, "lessons": {"intro": {"sections_read": ["a", "b"], "quizzes": {
            "q1": {"answer": {"type": "numeric", "value": 8000.0}, "correct": false, "solved": true, "attempts": 2},
            "q2": {"answer": {"type": "single", "choice": 1}, "correct": false, "attempts": 1}
        }}}, "exercises": {"round-robin": {"passed": true, "attempts": 3}}}"#,
    )
    .unwrap();
    let (code, stdout, stderr) = progress(ws.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("sections read: 2; quizzes answered: 2 (1 solved); exercises passed: 1"),
        "{stdout}"
    );
}
