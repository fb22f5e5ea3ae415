//! `sysdesign check` on exercises and the lessons that link them (issue 11 §1.6 and §1.7):
//! an unlinked exercise, an exercise naming the wrong or an unknown lesson, and errors in
//! exercise.toml, each reported at path:line:col with the line and a caret; and a lesson
//! linking an exercise when the exercises folder is missing says so.

use std::path::Path;
use std::process::Command;

/// A copy of the shipped course in a temp dir, to break on purpose.
fn course_copy(with_exercises: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let folders: &[&str] = if with_exercises {
        &["lessons", "exercises", "challenges"]
    } else {
        &["lessons", "challenges"]
    };
    for folder in folders {
        copy_dir(&root.join(folder), &dir.path().join(folder));
    }
    std::fs::copy(root.join("course.toml"), dir.path().join("course.toml")).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Runs `check --lessons-only` on `course`: (exit code, stderr).
fn check(course: &Path) -> (i32, String) {
    let ws = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sysdesign"))
        .args(["check", "--lessons-only", "--course"])
        .arg(course)
        .arg("--workspace")
        .arg(ws.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn lesson_line(exercise: &str) -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("exercises/{exercise}/exercise.toml")),
    )
    .unwrap();
    text.lines()
        .find(|l| l.starts_with("lesson = "))
        .unwrap()
        .to_string()
}

#[test]
fn the_shipped_course_passes() {
    let course = course_copy(true);
    let (code, stderr) = check(course.path());
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn an_exercise_naming_the_wrong_lesson_is_an_error_with_a_caret() {
    let course = course_copy(true);
    let toml = course
        .path()
        .join("exercises/circuit-breaker/exercise.toml");
    let right = lesson_line("circuit-breaker");
    edit(&toml, &right, "lesson = \"scalability\"");
    let (code, stderr) = check(course.path());
    assert_eq!(code, 1, "{stderr}");
    let right_id = right.trim_start_matches("lesson = ").trim_matches('"');
    let line = std::fs::read_to_string(&toml)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("lesson = "))
        .unwrap()
        + 1;
    let want = format!(
        "exercises/circuit-breaker/exercise.toml:{line}:10: error: `lesson = \"scalability\"`, \
         but the section that links this exercise is in lesson `{right_id}`; write \
         `lesson = \"{right_id}\"`\n  |\n{line} | lesson = \"scalability\"\n  |          \
         ^^^^^^^^^^^^^\n"
    );
    assert!(stderr.contains(&want), "want\n{want}\nin\n{stderr}");
}

#[test]
fn an_exercise_naming_an_unknown_lesson_is_an_error() {
    let course = course_copy(true);
    let toml = course
        .path()
        .join("exercises/consistent-hash-ring/exercise.toml");
    let right = lesson_line("consistent-hash-ring");
    let right_id = right
        .trim_start_matches("lesson = ")
        .trim_matches('"')
        .to_string();
    let typo = format!("{}x", right_id);
    edit(&toml, &right, &format!("lesson = \"{typo}\""));
    let (code, stderr) = check(course.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: `lesson = \"{typo}\"` names no lesson; did you mean `{right_id}`?"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("| lesson = \"{typo}\"")),
        "{stderr}"
    );
}

#[test]
fn an_exercise_no_section_links_is_reported() {
    let course = course_copy(true);
    let from = course.path().join("exercises/round-robin");
    let to = course.path().join("exercises/orphan");
    copy_dir(&from, &to);
    edit(
        &to.join("exercise.toml"),
        "id = \"round-robin\"",
        "id = \"orphan\"",
    );
    let (code, stderr) = check(course.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "exercises/orphan/exercise.toml:1:6: error: no section links exercise `orphan`, so \
             no student finds it in the app; add `exercise = \"orphan\"` to a section of lesson"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 | id = \"orphan\"\n  |      ^^^^^^^^"),
        "{stderr}"
    );
}

#[test]
fn exercise_toml_errors_show_the_line_and_a_caret() {
    let course = course_copy(true);
    let toml = course.path().join("exercises/token-bucket/exercise.toml");
    edit(&toml, "title = ", "sumary = \"x\"\ntitle = ");
    let (code, stderr) = check(course.path());
    assert_eq!(code, 1, "{stderr}");
    let line = std::fs::read_to_string(&toml)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("sumary"))
        .unwrap()
        + 1;
    let want = format!(
        "exercises/token-bucket/exercise.toml:{line}:1: error: unknown key `sumary`\n  |\n\
         {line} | sumary = \"x\"\n  | ^^^^^^\n"
    );
    assert!(stderr.contains(&want), "want\n{want}\nin\n{stderr}");
}

#[test]
fn a_missing_exercises_folder_is_named() {
    let course = course_copy(false);
    let (code, stderr) = check(course.path());
    assert_eq!(code, 1);
    assert!(
        stderr.contains("the course has no exercises: its `exercises/` folder is missing"),
        "{stderr}"
    );
    assert!(!stderr.contains("known exercises: \n"), "{stderr}");
    assert!(!stderr.contains("known exercises: ;"), "{stderr}");
}
