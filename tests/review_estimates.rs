//! Randomized estimates: the lesson keys, `check` rejecting formulas that divide by zero or
//! leave their bounds, seeded draws in the quiz, and one converted quiz in every chapter.

use sysdesign::cli::Env;
use sysdesign::course::lesson_file::parse;
use sysdesign::grade::quiz::Answer;
use sysdesign::tui::quiz::{QuizOutcome, QuizState};

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
quizzes = ["peak"]

[[quiz]]
id = "peak"
type = "numeric"
prompt = "What is the peak QPS for the numbers below?"
formula = "dau * 1000000 * requests / 86400 * peak"
bounds = [200, 120000]
tolerance_percent = 10
unit = "requests/s"
explanation = "Daily requests over the seconds in a day, times the peak factor."

[quiz.params]
dau = { min = 2, max = 50, label = "daily active users (millions)" }
requests = { min = 5, max = 40, step = 5, label = "requests per user per day" }
peak = { min = 2, max = 5, step = 0.5, label = "peak factor" }
"#;

fn problems(source: &str) -> Vec<String> {
    match parse("x.toml", source.as_bytes()) {
        Ok(_) => Vec::new(),
        Err(d) => d
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect(),
    }
}

#[test]
fn a_randomized_quiz_loads_with_its_parameters() {
    let lesson = parse("x.toml", LESSON.as_bytes()).unwrap().lesson;
    let e = lesson.quizzes[0].estimate.as_ref().expect("an estimate");
    let names: Vec<&str> = e.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["dau", "requests", "peak"]);
    assert_eq!(e.tolerance_percent, 10.0);
    // The peak at the largest numbers: 50 M x 40 / 86,400 x 5, about 115,741.
    assert!((e.answer_for(&[50.0, 40.0, 5.0]).unwrap() - 115_740.74).abs() < 0.01);
}

#[test]
fn check_rejects_a_formula_that_divides_by_zero_or_leaves_its_bounds() {
    let zero = LESSON.replace(
        "formula = \"dau * 1000000 * requests / 86400 * peak\"",
        "formula = \"dau * 1000000 / (requests - 5)\"",
    );
    let p = problems(&zero);
    assert!(
        p.iter()
            .any(|m| m.starts_with("18:11 the formula divides by zero when dau = 2, requests = 5")),
        "{p:?}"
    );
    let narrow = LESSON.replace("bounds = [200, 120000]", "bounds = [100, 10000]");
    let p = problems(&narrow);
    assert!(
        p.iter()
            .any(|m| m.contains("outside `bounds` [100, 10000]")),
        "{p:?}"
    );
    let unknown = LESSON.replace("* peak\"", "* peek\"");
    let p = problems(&unknown);
    assert!(
        p.iter()
            .any(|m| m.contains("`peek`, which is not a parameter")),
        "{p:?}"
    );
    let both = LESSON.replace(
        "tolerance_percent = 10",
        "tolerance_percent = 10\nanswer = 3",
    );
    let p = problems(&both);
    assert!(
        p.iter()
            .any(|m| m.contains("`answer` does not go with `formula`")),
        "{p:?}"
    );
    let bad = LESSON.replace("peak\"", "peak +\"");
    let p = problems(&bad);
    assert!(
        p.iter().any(|m| m.contains("`formula` does not parse")),
        "{p:?}"
    );
    let no_bounds = LESSON.replace("bounds = [200, 120000]\n", "");
    let p = problems(&no_bounds);
    assert!(p.iter().any(|m| m.contains("no `bounds")), "{p:?}");
}

#[test]
fn each_attempt_draws_new_numbers_from_a_seed_and_grades_against_them() {
    let lesson = parse("x.toml", LESSON.as_bytes()).unwrap().lesson;
    let quiz = &lesson.quizzes[0];
    let e = quiz.estimate.as_ref().unwrap();
    let a = QuizState::with_salt(quiz, None, 7);
    let b = QuizState::with_salt(quiz, None, 7);
    assert_eq!(a.drawn, b.drawn, "the same seed draws the same numbers");
    let first = a.drawn.clone().unwrap();
    assert_ne!(
        QuizState::with_salt(quiz, None, 8).drawn,
        a.drawn,
        "another review, other numbers"
    );

    let mut s = a;
    let type_number = |s: &mut QuizState, v: f64| {
        for c in format!("{v:.3}").chars() {
            match c.to_digit(10) {
                Some(d) => s.digit(d, 0),
                None => s.type_char(c),
            };
        }
    };
    // Off by half: wrong, judged against the drawn numbers' answer.
    type_number(&mut s, first.answer * 1.5);
    assert!(matches!(s.submit(quiz), QuizOutcome::Submitted(_, false)));
    // The next attempt draws anew and starts blank.
    assert!(s.new_attempt(quiz));
    let second = s.drawn.clone().unwrap();
    assert_ne!(second.values, first.values);
    assert!(!s.new_attempt(quiz), "only once per verdict");
    // Within the tolerance of this draw's answer: right.
    type_number(&mut s, second.answer * 1.05);
    match s.submit(quiz) {
        QuizOutcome::Submitted(Answer::Numeric { .. }, true) => {}
        other => panic!("{other:?} for {second:?}"),
    }
    assert!(e.is_correct(&second, second.answer * 0.95));
    let shown: Vec<String> = s
        .lines(quiz, true, &[], &[], 80, &sysdesign::theme::Theme::MONO)
        .iter()
        .map(|l| l.to_string())
        .collect();
    assert!(
        shown[0].starts_with("  Given: daily active users (millions) = "),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|l| l.contains("For these numbers the answer is")),
        "{shown:?}"
    );
}

#[test]
fn every_chapter_has_a_randomized_estimate_that_checks_clean() {
    let course = Env::new(None, None).load_course();
    let problems: Vec<String> = course.diagnostics().map(|d| d.render()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for lesson in course.ready() {
        let estimates: Vec<_> = lesson
            .quizzes
            .iter()
            .filter_map(|q| q.estimate.as_ref())
            .collect();
        assert!(
            !estimates.is_empty(),
            "chapter {} has no randomized estimate",
            lesson.chapter
        );
        for e in estimates {
            assert!(e.problems().is_empty());
            let d = e.draw(1).unwrap();
            assert!(d.answer >= e.bounds.0 && d.answer <= e.bounds.1);
        }
    }
}
