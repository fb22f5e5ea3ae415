//! CLI output compared with golden files in tests/golden/cli. Set UPDATE_GOLDEN=1 to rewrite
//! them after an intended change, then review the diff.

use std::process::Command;

#[path = "support/cli.rs"]
mod support;

use support::sysdesign;

fn golden(name: &str, actual: &str) {
    support::golden("cli", name, actual);
}

#[test]
fn check_reports_every_problem_with_location_and_caret() {
    let ws = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = sysdesign(
        &["check", "--course", "tests/fixtures/broken-course"],
        ws.path(),
    );
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    golden("check-broken-course.txt", &stderr);
}

#[test]
fn list_shows_broken_lessons_beside_good_ones() {
    let ws = tempfile::tempdir().unwrap();
    let (code, stdout, _) = sysdesign(
        &["list", "--course", "tests/fixtures/broken-course"],
        ws.path(),
    );
    assert_eq!(
        code, 1,
        "a course with broken lessons lists them and exits 1"
    );
    golden("list-broken-course.txt", &stdout);
}

#[test]
fn list_json_of_the_built_in_course() {
    let ws = tempfile::tempdir().unwrap();
    let (code, stdout, _) = sysdesign(&["list", "--json"], ws.path());
    assert_eq!(code, 0);
    let listing: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // The course it lists, from the embedded course.toml.
    let course = &listing["course"];
    assert_eq!(course["id"], "sysdesign", "{course}");
    for key in ["title", "version", "author", "licence"] {
        assert!(
            course[key].is_string(),
            "list --json's course has `{key}`: {course}"
        );
    }
    let rows = &listing["lessons"];
    assert!(rows.as_array().is_some_and(|r| r.len() >= 9), "{rows}");
    for row in rows.as_array().unwrap() {
        for key in [
            "id",
            "title",
            "chapter",
            "words",
            "quizzes",
            "sections",
            "visualizations",
            "exercises",
            "progress",
        ] {
            assert!(
                row.get(key).is_some(),
                "list --json rows have `{key}`: {row}"
            );
        }
    }
    golden("list.json", &stdout);
}

#[test]
fn show_plain_never_holds_escapes_and_fits_the_width() {
    let ws = tempfile::tempdir().unwrap();
    let (code, stdout, _) = sysdesign(&["show", "databases", "--width", "60"], ws.path());
    assert_eq!(code, 0);
    assert!(!stdout.contains('\x1b'), "piped output is plain");
    for line in stdout.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 60,
            "too wide: {line}"
        );
    }
    golden("show-databases-60.txt", &stdout);
    let (_, escaped, _) = sysdesign(
        &[
            "show",
            "escape",
            "--course",
            "tests/fixtures/broken-course",
            "--plain",
        ],
        ws.path(),
    );
    assert!(
        !escaped.contains('\x1b') && !escaped.contains('\x07'),
        "escape sequences in lessons are neutralised"
    );
    assert!(escaped.contains("a clear-screen sequence"), "{escaped}");
}

#[test]
fn show_unknown_lesson_lists_valid_ids() {
    let ws = tempfile::tempdir().unwrap();
    let (code, _, stderr) = sysdesign(&["show", "nope"], ws.path());
    assert_eq!(code, 2);
    golden("show-unknown.txt", &stderr);
}

#[test]
fn progress_reset_needs_confirmation() {
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(ws.path().join("progress.json"), r#"{"version":1}"#).unwrap();
    let (code, _, stderr) = sysdesign(&["progress", "--reset"], ws.path());
    assert_eq!(code, 2, "no terminal to confirm on: refuse");
    assert!(stderr.contains("--yes"), "{stderr}");
    assert!(ws.path().join("progress.json").exists());
    let (code, stdout, _) = sysdesign(&["progress", "--reset", "--yes"], ws.path());
    assert_eq!(code, 0, "{stdout}");
    assert!(!ws.path().join("progress.json").exists());
}

fn show_with_env(args: &[&str], vars: &[(&str, &str)]) -> String {
    let ws = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sysdesign"));
    cmd.args(args)
        .arg("--workspace")
        .arg(ws.path())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run sysdesign");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `sysdesign show caching --color always | less -R`: colour into a pipe on request, as SGR
/// sequences only (what `less -R` passes through), each line ending reset.
#[test]
fn show_colour_into_a_pipe_on_request() {
    let always = show_with_env(&["show", "caching", "--color", "always"], &[]);
    assert!(
        always.contains("\x1b["),
        "--color always writes colour into a pipe"
    );
    for line in always.lines().filter(|l| l.contains('\x1b')) {
        let mut rest = line;
        while let Some(i) = rest.find('\x1b') {
            let seq = &rest[i..];
            let end = seq.find('m').expect("an SGR sequence ends in m");
            assert!(
                seq[1..end].starts_with('[')
                    && seq[2..end].chars().all(|c| c.is_ascii_digit() || c == ';'),
                "only SGR sequences: {seq:?}"
            );
            rest = &seq[end + 1..];
        }
        let last = &line[line.rfind('\x1b').unwrap()..];
        assert!(
            last.starts_with("\x1b[0m"),
            "no style runs past the line's end: {line:?}"
        );
    }
    let forced = show_with_env(&["show", "caching"], &[("CLICOLOR_FORCE", "1")]);
    assert!(forced.contains("\x1b["), "CLICOLOR_FORCE colours a pipe");
    let no_color = show_with_env(
        &["show", "caching"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(
        !no_color.contains('\x1b'),
        "NO_COLOR outranks CLICOLOR_FORCE"
    );
    let never = show_with_env(
        &["show", "caching", "--color", "never"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(!never.contains('\x1b'), "--color never");
    let dumb = show_with_env(&["show", "caching"], &[("TERM", "dumb")]);
    assert!(!dumb.contains('\x1b'), "TERM=dumb");
}

#[test]
fn check_counts_the_problems_behind_an_and_n_more_line() {
    // 70 unknown keys: 50 are shown one by one, and "… and 20 more" stands for the rest.
    let ws = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = sysdesign(
        &["check", "--course", "tests/fixtures/capped-course"],
        ws.path(),
    );
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("… and 20 more problems in this file"),
        "{stderr}"
    );
    assert!(
        stderr.trim_end().ends_with(
            "error: 70 problems (1 of 1 lesson files broken; tests/fixtures/capped-course)"
        ),
        "{stderr}"
    );
    golden("check-capped-course.txt", &stderr);
}

#[test]
fn list_json_names_the_pack_it_lists() {
    let ws = tempfile::tempdir().unwrap();
    let (code, stdout, _) = sysdesign(
        &["list", "--json", "--course", "tests/fixtures/pack-course"],
        ws.path(),
    );
    assert_eq!(code, 0);
    let listing: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(listing["course"]["id"], "pack-fixture");
    assert_eq!(
        listing["course"]["title"],
        "Queues & <Streams>: a test pack"
    );
    assert_eq!(listing["course"]["version"], "2.1.0");
    // A directory without course.toml is named after itself and has no version.
    let bare = tempfile::tempdir().unwrap();
    let course = bare.path().join("bare-course");
    std::fs::create_dir_all(course.join("lessons")).unwrap();
    std::fs::copy(
        "tests/fixtures/pack-course/lessons/01-intro.toml",
        course.join("lessons/01-intro.toml"),
    )
    .unwrap();
    let (_, stdout, _) = sysdesign(
        &["list", "--json", "--course", &course.display().to_string()],
        ws.path(),
    );
    let listing: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(listing["course"]["id"], "bare-course");
    assert!(listing["course"]["version"].is_null(), "{listing}");
    assert_eq!(listing["lessons"].as_array().unwrap().len(), 1);
}
