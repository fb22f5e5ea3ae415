//! Quiz hints in lesson files: the optional `hint` key, its checks, and the shipped hints.

use sysdesign::cli::Env;
use sysdesign::course::lesson_file::parse;

const LESSON: &str = r#"id = "demo"
chapter = 1
title = "Demo"
summary = "A demo lesson."
minutes = 5
objectives = ["Learn"]

[[section]]
id = "one"
title = "One"
body = "Some text."
quizzes = ["q1"]

[[quiz]]
id = "q1"
type = "single"
prompt = "Pick"
choices = ["a", "b"]
answer = 2
explanation = "Because."
"#;

fn with_hint(value: &str) -> String {
    LESSON.replace(
        "explanation = \"Because.\"\n",
        &format!("explanation = \"Because.\"\nhint = {value}\n"),
    )
}

#[test]
fn a_hint_is_optional_and_loads_as_markdown_text() {
    let plain = parse("x.toml", LESSON.as_bytes()).unwrap();
    assert_eq!(plain.lesson.quizzes[0].hint, None);
    let hinted = parse("x.toml", with_hint("\"Think of *b*.\"").as_bytes()).unwrap();
    assert_eq!(
        hinted.lesson.quizzes[0].hint.as_deref(),
        Some("Think of *b*.")
    );
}

#[test]
fn an_empty_or_mistyped_hint_is_reported_where_it_is() {
    for (value, message) in [
        ("\"  \"", "`hint` must not be empty"),
        ("3", "`hint` must be a string"),
    ] {
        let diags = parse("x.toml", with_hint(value).as_bytes()).unwrap_err();
        assert!(
            diags
                .iter()
                .any(|d| (d.line, d.col) == (21, 8) && d.message.contains(message)),
            "{value}: {diags:#?}"
        );
    }
    let misspelt = LESSON.replace(
        "explanation = \"Because.\"\n",
        "explanation = \"Because.\"\nhnit = \"x\"\n",
    );
    let diags = parse("x.toml", misspelt.as_bytes()).unwrap_err();
    assert!(
        diags
            .iter()
            .any(|d| d.message.contains("did you mean `hint`?")),
        "{diags:#?}"
    );
}

#[test]
fn every_chapter_ships_hints_that_do_not_give_the_answer_away() {
    let course = Env::new(None, None).load_course();
    for lesson in course.ready() {
        let hinted: Vec<_> = lesson.quizzes.iter().filter(|q| q.hint.is_some()).collect();
        assert!(
            hinted.len() >= 3,
            "chapter {} has {} hinted quizzes; give a handful where a hint helps",
            lesson.chapter,
            hinted.len()
        );
        for q in hinted {
            let hint = q.hint.as_deref().unwrap_or_default();
            if let sysdesign::course::QuizKind::Numeric { answer, .. } = &q.kind {
                // A hint that states the answer is an explanation, not a hint.
                let shown = format!("{answer}");
                assert!(
                    !hint
                        .split(|c: char| !c.is_ascii_digit() && c != '.')
                        .any(|t| t == shown),
                    "quiz `{}` hint gives away {shown}: {hint}",
                    q.id
                );
            }
        }
    }
}
