//! Course packs from the command line: course.toml, separate progress per course,
//! scaffolds that pass `check`, `show --answers` and `export`. Golden files live in
//! tests/golden/packs; set UPDATE_GOLDEN=1 to rewrite them, then review the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

const PACK: &str = "tests/fixtures/pack-course";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs sysdesign in the repository root with its own workspace; returns (code, out, err).
fn sysdesign(args: &[&str], workspace: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sysdesign"))
        .args(args)
        .arg("--workspace")
        .arg(workspace)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "80")
        .current_dir(root())
        .output()
        .expect("run sysdesign");
    let text = |b: &[u8]| {
        String::from_utf8_lossy(b).replace(&workspace.display().to_string(), "$WORKSPACE")
    };
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden/packs").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}; run with UPDATE_GOLDEN=1", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from its golden file at line {}:\n  expected: {:?}\n  actual:   {:?}\nrun with UPDATE_GOLDEN=1 to accept",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

// ---- course.toml ----

#[test]
fn list_shows_the_packs_own_title() {
    let ws = tempfile::tempdir().unwrap();
    let (code, out, err) = sysdesign(&["list", "--course", PACK], ws.path());
    assert_eq!(code, 0, "{err}");
    golden("list-pack.txt", &out);
    let (_, builtin, _) = sysdesign(&["list"], ws.path());
    assert!(
        builtin.starts_with("Backend Architecture & Systems Design · sysdesign "),
        "{builtin}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_pack_needing_a_newer_sysdesign_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("pack");
    copy_dir(&root().join(PACK), &course);
    let toml = course.join("course.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("min_sysdesign = \"0.1.0\"", "min_sysdesign = \"99.0.0\""),
    )
    .unwrap();
    let ws = tempfile::tempdir().unwrap();
    let course_arg = course.display().to_string();
    let version = env!("CARGO_PKG_VERSION");
    let expected = format!(
        "{}:6:17: error: this course needs sysdesign 99.0.0 or newer, and this is sysdesign {version}; install a newer sysdesign to open it\n  |\n6 | min_sysdesign = \"99.0.0\"\n  |                 ^^^^^^^^\n",
        toml.display()
    );
    for args in [
        vec!["list"],
        vec!["show", "intro"],
        vec!["export", "intro"],
        vec!["progress"],
        vec!["check", "--lessons-only"],
    ] {
        let mut full = args.clone();
        full.extend(["--course", &course_arg]);
        let (code, out, err) = sysdesign(&full, ws.path());
        assert_eq!(code, 1, "{args:?}: {err}");
        assert_eq!(out, "", "{args:?}");
        assert!(err.starts_with(&expected), "{args:?}:\n{err}");
    }
    // Opening the app is refused before the terminal is touched.
    let (code, _, err) = sysdesign(&["--course", &course_arg], ws.path());
    assert_eq!(code, 1);
    assert!(err.starts_with(&expected), "{err}");
}

// ---- separate progress per course ----

#[test]
fn the_built_in_course_and_a_pack_never_share_progress() {
    let ws = tempfile::tempdir().unwrap();
    // Built-in progress where it has always been: the workspace root.
    std::fs::write(
        ws.path().join("progress.json"),
        r#"{"version":1,"last_lesson":"intro","lessons":{"intro":{"sections_read":["key-concepts"]}}}"#,
    )
    .unwrap();
    let intro_progress = |out: &str| -> String {
        out.lines()
            .find(|l| l.trim_start().starts_with("1  intro "))
            .and_then(|l| l.split_whitespace().last())
            .unwrap_or_else(|| panic!("no intro row in\n{out}"))
            .to_string()
    };
    let (_, builtin, _) = sysdesign(&["list"], ws.path());
    assert!(intro_progress(&builtin).starts_with("1/"), "{builtin}");
    // The pack has a lesson `intro` too, but none of the built-in course's progress.
    let (_, pack, _) = sysdesign(&["list", "--course", PACK], ws.path());
    assert_eq!(intro_progress(&pack), "0/6", "{pack}");
    // The pack's own progress lives under courses/<its id>/ and stays there.
    let pack_ws = ws.path().join("courses").join("pack-fixture");
    std::fs::create_dir_all(&pack_ws).unwrap();
    std::fs::write(
        pack_ws.join("progress.json"),
        r#"{"version":1,"lessons":{"intro":{"sections_read":["why-queues","backlog"]}}}"#,
    )
    .unwrap();
    let (_, pack, _) = sysdesign(&["list", "--course", PACK], ws.path());
    assert_eq!(intro_progress(&pack), "2/6", "{pack}");
    let (_, builtin_after, _) = sysdesign(&["list"], ws.path());
    assert_eq!(intro_progress(&builtin_after), intro_progress(&builtin));
}

#[test]
fn each_course_gets_its_own_store_and_workspace() {
    use sysdesign::cli::Env;
    let ws = tempfile::tempdir().unwrap();
    let builtin = Env::new(None, Some(ws.path().to_path_buf()));
    assert_eq!(builtin.workspace, ws.path());
    assert_eq!(
        builtin.progress_store().path(),
        ws.path().join("progress.json")
    );
    let pack = Env::new(Some(root().join(PACK)), Some(ws.path().to_path_buf()));
    let own = ws.path().join("courses").join("pack-fixture");
    assert_eq!(pack.workspace, own);
    assert_eq!(pack.progress_store().path(), own.join("progress.json"));
    assert_eq!(pack.student_workspace().root(), own);
    // A directory without course.toml is named after itself, still apart from the built-in.
    let bare = tempfile::tempdir().unwrap();
    let plain = bare.path().join("Old Course");
    std::fs::create_dir_all(plain.join("lessons")).unwrap();
    let env = Env::new(Some(plain), Some(ws.path().to_path_buf()));
    assert_eq!(env.workspace, ws.path().join("courses").join("old-course"));
}

// ---- scaffolds ----

#[test]
fn scaffolds_pass_check_at_once_and_never_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let course = dir.path().join("my-course");
    let c = course.display().to_string();
    let (code, out, err) = sysdesign(
        &["new", "course", &c, "--title", "Data \"Systems\""],
        ws.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created"), "{out}");
    let (code, out, err) = sysdesign(&["check", "--course", &c], ws.path());
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(
        out.starts_with("ok: 1 lesson, 2 sections, 4 quizzes, 1 visualization, 0 exercises"),
        "{out}"
    );

    let (code, _, err) = sysdesign(&["new", "lesson", "caching", "--course", &c], ws.path());
    assert_eq!(code, 0, "{err}");
    assert!(course.join("lessons/02-caching.toml").exists());
    let (code, _, err) = sysdesign(
        &[
            "new",
            "exercise",
            "rate-window",
            "--course",
            &c,
            "--lesson",
            "caching",
        ],
        ws.path(),
    );
    assert_eq!(code, 0, "{err}");
    // The full check builds the exercise: its starter must fail and its solution pass.
    let (code, out, err) = sysdesign(&["check", "--course", &c], ws.path());
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(
        out.contains("2 lessons")
            && out.contains("1 exercise: every starter fails, every solution passes"),
        "{out}"
    );
    // The pack's title and id come from the scaffolded course.toml.
    let (_, list, _) = sysdesign(&["list", "--course", &c], ws.path());
    assert!(
        list.starts_with("Data \"Systems\" · my-course 0.1.0 by "),
        "{list}"
    );

    // Nothing is ever overwritten.
    let before = std::fs::read_to_string(course.join("course.toml")).unwrap();
    let (code, _, err) = sysdesign(&["new", "course", &c], ws.path());
    assert_eq!(code, 1);
    assert!(err.starts_with("error: refusing to overwrite "), "{err}");
    assert_eq!(
        std::fs::read_to_string(course.join("course.toml")).unwrap(),
        before
    );
    let (code, _, err) = sysdesign(&["new", "lesson", "caching", "--course", &c], ws.path());
    assert_eq!(code, 1);
    assert!(err.contains("lesson id `caching` is already used"), "{err}");
    let (code, _, err) = sysdesign(
        &["new", "lesson", "other", "--chapter", "2", "--course", &c],
        ws.path(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("chapter 2 is already used"), "{err}");
    let (code, _, err) = sysdesign(
        &["new", "exercise", "rate-window", "--course", &c],
        ws.path(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("already exists; nothing was written"), "{err}");
    let (code, _, err) = sysdesign(&["new", "lesson", "Bad Id", "--course", &c], ws.path());
    assert_eq!(code, 1);
    assert!(err.contains("may hold only lowercase letters"), "{err}");
}

#[test]
fn scaffolded_files_show_every_option_in_comments() {
    let lesson = std::fs::read_to_string(root().join("assets/scaffold/lesson.toml")).unwrap();
    for key in [
        "id =",
        "chapter =",
        "title =",
        "summary =",
        "minutes =",
        "objectives =",
        "[[section]]",
        "body =",
        "quizzes =",
        "visualization =",
        "seed =",
        "params =",
        "# exercise =",
        "[[quiz]]",
        "type = \"single\"",
        "type = \"multiple\"",
        "type = \"numeric\"",
        "type = \"ordering\"",
        "choices =",
        "answer =",
        "answers =",
        "tolerance =",
        "unit =",
        "items =",
        "prompt =",
        "explanation =",
    ] {
        assert!(lesson.contains(key), "lesson scaffold lacks {key}");
    }
    let exercise =
        std::fs::read_to_string(root().join("assets/scaffold/exercise/exercise.toml")).unwrap();
    for key in [
        "id =",
        "title =",
        "lesson =",
        "difficulty =",
        "# trait =",
        "description =",
        "hints =",
    ] {
        assert!(exercise.contains(key), "exercise scaffold lacks {key}");
    }
    let course = std::fs::read_to_string(root().join("assets/scaffold/course.toml")).unwrap();
    for key in sysdesign::course::pack::KEYS {
        assert!(
            course.contains(&format!("\n{key} = ")),
            "course scaffold lacks {key}"
        );
    }
}

#[test]
fn new_lesson_needs_a_course() {
    let ws = tempfile::tempdir().unwrap();
    let (code, _, err) = sysdesign(&["new", "lesson", "x"], ws.path());
    assert_eq!(code, 1);
    assert!(err.contains("--course DIR"), "{err}");
}

// ---- show --answers and export ----

#[test]
fn show_answers_prints_every_key_tolerance_and_explanation() {
    let ws = tempfile::tempdir().unwrap();
    let (code, out, err) = sysdesign(
        &[
            "show",
            "intro",
            "--answers",
            "--course",
            PACK,
            "--width",
            "80",
        ],
        ws.path(),
    );
    assert_eq!(code, 0, "{err}");
    golden("show-answers-intro.txt", &out);
}

#[test]
fn export_golden_markdown_and_html() {
    let ws = tempfile::tempdir().unwrap();
    let (code, md, err) = sysdesign(&["export", "intro", "--course", PACK], ws.path());
    assert_eq!(code, 0, "{err}");
    golden("export-intro.md", &md);
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("intro.html");
    let f = file.display().to_string();
    let (code, stdout, err) = sysdesign(
        &[
            "export", "intro", "--format", "html", "-o", &f, "--course", PACK,
        ],
        ws.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(stdout, "");
    golden(
        "export-intro.html",
        &std::fs::read_to_string(&file).unwrap(),
    );
}

#[test]
fn export_to_an_unwritable_place_says_so() {
    let ws = tempfile::tempdir().unwrap();
    let missing = ws.path().join("no/such/dir/x.md");
    let m = missing.display().to_string();
    let (code, _, err) = sysdesign(&["export", "intro", "-o", &m], ws.path());
    assert_eq!(code, 1);
    assert!(err.starts_with("error: cannot write "), "{err}");
}
