//! Broken lessons: each problem is reported at the right line and column, with a useful
//! message, and never stops other lessons from loading.

use std::collections::HashSet;

use sysdesign::course::lesson_file::parse;
use sysdesign::course::{Course, CourseSource, LessonEntry};

const GOOD: &str = r#"id = "demo"
chapter = 1
title = "Demo"
summary = "A demo lesson."
minutes = 5
objectives = ["Learn"]

[[section]]
id = "one"
title = "One"
body = '''
Some *Markdown*.
'''
quizzes = ["q1"]

[[quiz]]
id = "q1"
type = "single"
prompt = "Pick"
choices = ["a", "b"]
answer = 2
explanation = "Because."
"#;

/// `(name, source, expected "line:col", a fragment of the message)`.
fn cases() -> Vec<(&'static str, String, &'static str, &'static str)> {
    vec![
        (
            "unknown top key",
            GOOD.replace("summary =", "sumary ="),
            "4:1",
            "did you mean `summary`?",
        ),
        (
            "unknown SQL console dataset",
            GOOD.replace(
                "quizzes = [\"q1\"]",
                "quizzes = [\"q1\"]\nsql_console = \"shops\"",
            ),
            "15:15",
            "did you mean `shop`?",
        ),
        (
            "missing title",
            GOOD.replace("title = \"Demo\"\n", ""),
            "1:1",
            "missing required key `title`",
        ),
        (
            "chapter beyond 64 bits",
            GOOD.replace("chapter = 1", "chapter = 99999999999999999999"),
            "2:11",
            "`chapter` is 99999999999999999999; it must be from 1 to 99",
        ),
        (
            "chapter out of range",
            GOOD.replace("chapter = 1", "chapter = 0"),
            "2:11",
            "must be from 1 to 99",
        ),
        (
            "chapter wrong type",
            GOOD.replace("chapter = 1", "chapter = \"one\""),
            "2:11",
            "must be an integer",
        ),
        (
            "bad id characters",
            GOOD.replace("id = \"demo\"", "id = \"Demo Lesson\""),
            "1:6",
            "lowercase letters",
        ),
        (
            "syntax error",
            GOOD.replace("minutes = 5", "minutes = = 5"),
            "5:11",
            "invalid TOML",
        ),
        (
            "unclosed string",
            GOOD.replace("title = \"Demo\"", "title = \"Demo"),
            "3:",
            "invalid TOML",
        ),
        (
            "unknown section key",
            GOOD.replace("quizzes = [\"q1\"]", "quizes = [\"q1\"]"),
            "14:1",
            "did you mean `quizzes`?",
        ),
        (
            "missing quiz",
            GOOD.replace("quizzes = [\"q1\"]", "quizzes = [\"q2\"]"),
            "14:12",
            "no quiz with id `q2`",
        ),
        (
            "answer out of range",
            GOOD.replace("answer = 2", "answer = 3"),
            "21:10",
            "must be from 1 to 2",
        ),
        (
            "unknown quiz type",
            GOOD.replace("type = \"single\"", "type = \"singel\""),
            "18:8",
            "did you mean `single`?",
        ),
        (
            "quiz key for another type",
            GOOD.replace("answer = 2", "answer = 2\ntolerance = 1"),
            "22:1",
            "unknown key `tolerance`",
        ),
        (
            "unembedded quiz",
            GOOD.replace("quizzes = [\"q1\"]\n", ""),
            "15:1",
            "not embedded in any section",
        ),
        (
            "unknown visualization",
            GOOD.replace(
                "quizzes = [\"q1\"]",
                "quizzes = [\"q1\"]\nvisualization = { kind = \"warp-drive\" }",
            ),
            "15:26",
            "unknown visualization kind `warp-drive`",
        ),
        (
            "unknown code language",
            GOOD.replace("Some *Markdown*.", "```klingon\nx\n```"),
            "12:",
            "klingon",
        ),
        (
            "duplicate section id",
            GOOD.replace(
                "[[quiz]]",
                "[[section]]\nid = \"one\"\ntitle = \"Again\"\nbody = \"x\"\n\n[[quiz]]",
            ),
            "17:6",
            "duplicate section id `one`",
        ),
        (
            "empty objectives",
            GOOD.replace("objectives = [\"Learn\"]", "objectives = []"),
            "6:14",
            "at least one",
        ),
        (
            "an estimate's key without its formula",
            GOOD.replace(
                "type = \"single\"\nprompt = \"Pick\"\nchoices = [\"a\", \"b\"]\nanswer = 2",
                "type = \"numeric\"\nprompt = \"Pick\"\nanswer = 2\ntolerance = 0\nbounds = [1, 3]",
            ),
            "22:10",
            "`bounds` goes with `formula`",
        ),
        (
            // Found by fuzzing: the quiz was dropped without a word.
            "a misspelt quiz type key",
            GOOD.replace("type = \"single\"", "typ9 = \"single\""),
            "18:1",
            "unknown key `typ9` in [[quiz]] `q1`; did you mean `type`?",
        ),
        (
            "array of tables misuse",
            GOOD.replace("objectives = [\"Learn\"]", "objectives = \"Learn\""),
            "6:14",
            "array of strings",
        ),
    ]
}

#[test]
fn each_broken_lesson_points_at_its_problem() {
    assert!(
        parse("good.toml", GOOD.as_bytes()).is_ok(),
        "{:?}",
        parse("good.toml", GOOD.as_bytes()).err()
    );
    let mut failures = Vec::new();
    for (name, source, at, fragment) in cases() {
        match parse("x.toml", source.as_bytes()) {
            Ok(_) => failures.push(format!("{name}: parsed without error")),
            Err(diags) => {
                let hit = diags.iter().any(|d| {
                    format!("{}:{}", d.line, d.col).starts_with(at) && d.message.contains(fragment)
                });
                if !hit {
                    let got: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
                    failures.push(format!("{name}: expected {at} `{fragment}`, got {got:#?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_problem_in_a_file_is_reported_at_once() {
    let source = GOOD
        .replace("summary =", "sumary =")
        .replace("answer = 2", "answer = 9")
        .replace("minutes = 5", "minutes = 0");
    let diags = parse("x.toml", source.as_bytes()).unwrap_err();
    assert_eq!(diags.len(), 3, "one problem each, no cascades: {diags:#?}");
    let lines: Vec<usize> = diags.iter().map(|d| d.line).collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted, "problems come in file order");
}

#[test]
fn empty_non_utf8_and_non_toml_files_are_errors() {
    let empty = parse("e.toml", b"  \n").unwrap_err();
    assert!(empty[0].message.contains("file is empty"));
    let binary = parse("b.toml", b"id = \"x\"\n\xff\xfe").unwrap_err();
    assert_eq!((binary[0].line, binary[0].col), (2, 1));
    assert!(binary[0].message.contains("not UTF-8"));
    let prose = parse("p.toml", b"This is not TOML at all.\n").unwrap_err();
    assert!(prose[0].message.contains("invalid TOML"), "{prose:?}");
}

#[test]
fn rendered_diagnostic_has_path_line_col_and_caret() {
    let source = GOOD.replace("summary =", "sumary =");
    let d = &parse("lessons/01-demo.toml", source.as_bytes()).unwrap_err()[0];
    assert_eq!(
        d.render(),
        "lessons/01-demo.toml:4:1: error: unknown key `sumary` in the lesson; did you mean `summary`?\n  |\n4 | sumary = \"A demo lesson.\"\n  | ^^^^^^"
    );
}

#[test]
fn a_broken_lesson_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let lessons = dir.path().join("lessons");
    std::fs::create_dir(&lessons).unwrap();
    std::fs::write(lessons.join("01-demo.toml"), GOOD).unwrap();
    std::fs::write(lessons.join("02-broken.toml"), "id = = \n").unwrap();
    let second = GOOD
        .replace("\"demo\"", "\"second\"")
        .replace("chapter = 1", "chapter = 3");
    std::fs::write(lessons.join("03-second.toml"), second).unwrap();
    let dup = GOOD.replace("chapter = 1", "chapter = 4");
    std::fs::write(lessons.join("04-dup.toml"), dup).unwrap();
    let course = Course::load(CourseSource::Dir(dir.path().to_path_buf()), &HashSet::new());
    let ready: Vec<&str> = course.ready().map(|l| l.id.as_str()).collect();
    assert_eq!(ready, ["demo", "second"]);
    let broken: Vec<&str> = course
        .lessons
        .iter()
        .filter_map(|e| match e {
            LessonEntry::Broken { path, .. } => Some(path.as_str()),
            LessonEntry::Ready(_) => None,
        })
        .collect();
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert!(
        course
            .diagnostics()
            .any(|d| d.message.contains("already used by"))
    );
}

#[test]
fn missing_course_directory_is_a_clear_problem() {
    let course = Course::load(
        CourseSource::Dir("/nonexistent/course".into()),
        &HashSet::new(),
    );
    assert!(course.lessons.is_empty());
    assert!(
        course.problems[0].contains("/nonexistent/course/lessons"),
        "{:?}",
        course.problems
    );
}

/// A string TOML decodes to escape sequences: OSC 52 (set the clipboard), OSC 0 (retitle
/// the window), clear-screen, a bidi override, NUL and BEL.
const HOSTILE: &str = r"\u001b]52;c;cHduZWQ=\u0007\u001b]0;pwned\u0007\u001b[2J\u202e\u0000";

fn assert_inert(what: &str, text: &str) {
    let cleaned = sysdesign::markdown::sanitize(text);
    assert_eq!(cleaned, text, "{what}: raw control characters in {text:?}");
}

#[test]
fn values_quoted_in_errors_are_neutralised() {
    let cases = [
        ("key", GOOD.replace("summary =", &format!("\"{HOSTILE}\" = 1\nsummary ="))),
        ("lesson id", GOOD.replace("id = \"demo\"", &format!("id = \"{HOSTILE}\""))),
        ("quiz type", GOOD.replace("type = \"single\"", &format!("type = \"{HOSTILE}\""))),
        ("quiz ref", GOOD.replace("quizzes = [\"q1\"]", &format!("quizzes = [\"{HOSTILE}\"]"))),
        (
            "visualization kind",
            GOOD.replace(
                "quizzes = [\"q1\"]",
                &format!("quizzes = [\"q1\"]\nvisualization = {{ kind = \"{HOSTILE}\" }}"),
            ),
        ),
        (
            "parameter name",
            GOOD.replace(
                "quizzes = [\"q1\"]",
                &format!("quizzes = [\"q1\"]\nvisualization = {{ kind = \"cap\", params = {{ \"{HOSTILE}\" = 1 }} }}"),
            ),
        ),
        (
            "parameter value",
            GOOD.replace(
                "quizzes = [\"q1\"]",
                &format!("quizzes = [\"q1\"]\nvisualization = {{ kind = \"cap\", params = {{ mode = \"{HOSTILE}\" }} }}"),
            ),
        ),
        (
            "fence language",
            GOOD.replace("body = '''\nSome *Markdown*.\n'''", &format!("body = \"```{HOSTILE}\\nx\\n```\\n\"")),
        ),
    ];
    for (what, source) in cases {
        let diags = parse("lessons/01-demo.toml", source.as_bytes())
            .expect_err(&format!("{what}: the hostile value must be an error"));
        for d in &diags {
            assert_inert(what, &d.message);
            assert_inert(what, &d.to_string());
            assert_inert(what, &d.render());
        }
    }
}

#[test]
fn a_hostile_file_name_is_neutralised() {
    let d = sysdesign::course::Diagnostic::whole_file("lessons/\u{1b}]0;x\u{7}.toml", "m".into());
    assert_inert("path", &d.to_string());
}

#[test]
fn problems_per_file_are_capped_with_a_count_of_the_rest() {
    use sysdesign::course::diagnostic::MAX_PER_FILE;
    let bad: String = (0..40_000).map(|i| format!("bogus{i} = 1\n")).collect();
    let source = GOOD.replace("[[section]]", &format!("{bad}\n[[section]]"));
    let diags = parse("x.toml", source.as_bytes()).unwrap_err();
    assert_eq!(diags.len(), MAX_PER_FILE + 1);
    assert_eq!(diags[0].line, 8, "the first problems are the ones shown");
    let last = diags.last().unwrap();
    assert!(
        last.message.contains(&format!(
            "and {} more problems in this file",
            40_000 - MAX_PER_FILE
        )),
        "{}",
        last.message
    );
}

#[test]
fn toml_syntax_errors_are_capped_too() {
    use sysdesign::course::diagnostic::MAX_PER_FILE;
    let bad: String = (0..5_000).map(|i| format!("bogus{i} = = 1\n")).collect();
    let diags = parse("x.toml", format!("{GOOD}{bad}").as_bytes()).unwrap_err();
    assert!(diags.len() <= MAX_PER_FILE + 1, "{}", diags.len());
    assert!(diags.last().unwrap().message.contains("more problems"));
}

#[test]
fn lone_carriage_returns_are_line_breaks() {
    let mac = GOOD.replace('\n', "\r");
    assert!(
        parse("mac.toml", mac.as_bytes()).is_ok(),
        "a CR-only file loads"
    );
    let broken = GOOD.replace("summary =", "sumary =").replace('\n', "\r");
    let diags = parse("mac.toml", broken.as_bytes()).unwrap_err();
    assert_eq!((diags[0].line, diags[0].col), (4, 1));
    assert_eq!(
        diags[0].source_line.as_deref(),
        Some("sumary = \"A demo lesson.\"")
    );
}

#[test]
fn a_long_source_line_is_shown_as_a_window_around_the_column() {
    let filler = "x".repeat(50_000);
    let source = GOOD.replace(
        "objectives = [\"Learn\"]",
        &format!("objectives = [\"{filler}\", 5, \"{filler}\"]"),
    );
    let diags = parse("x.toml", source.as_bytes()).unwrap_err();
    let d = &diags[0];
    assert_eq!((d.line, d.col), (6, 50_019), "{d}");
    let shown = d.source_line.as_deref().unwrap();
    assert!(
        shown.chars().count() <= 102,
        "{} chars",
        shown.chars().count()
    );
    assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
    let rendered = d.render();
    assert!(rendered.len() < 1_000, "{} bytes", rendered.len());
    // The caret sits under the character the column names.
    let lines: Vec<&str> = rendered.lines().collect();
    let caret_at = lines[3].chars().position(|c| c == '^').unwrap();
    assert_eq!(lines[2].chars().nth(caret_at), Some('5'), "{rendered}");
}

#[test]
fn nesting_beyond_the_renderer_is_a_warning_not_an_error() {
    let deep = "> ".repeat(9_400);
    let source = GOOD.replace("Some *Markdown*.", &format!("{deep}deep"));
    let lesson = parse("x.toml", source.as_bytes()).expect("deep nesting still loads");
    assert!(
        lesson
            .warnings
            .iter()
            .any(|w| w.message.contains("nested more than")),
        "{:?}",
        lesson.warnings
    );
}
