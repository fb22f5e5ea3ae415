//! Issue 11 §1.3: a numeric quiz answered right, then wrong. The rule is that a solved quiz
//! stays solved, and the latest attempt is kept beside it. The screen, progress.json, the
//! contents overlay, the catalog gauge and `sysdesign progress` must all say so, also after
//! a relaunch.

use std::process::Command;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use sysdesign::cli::Env;
use sysdesign::course::QuizKind;
use sysdesign::theme::Theme;
use sysdesign::tui::model::{Model, Overlay, Screen};
use sysdesign::tui::msg::{Effect, Msg};
use sysdesign::tui::{initial_model, update::update, view::view};

fn key(model: &mut Model, code: KeyCode) {
    let effects = update(model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    // Do the one effect that matters here as the app does.
    if effects.contains(&Effect::SaveProgress) {
        model.progress.save(&model.store).expect("save");
    }
}

fn type_text(model: &mut Model, text: &str) {
    for c in text.chars() {
        key(model, KeyCode::Char(c));
    }
}

fn draw(model: &Model) -> String {
    let area = model.size;
    let mut terminal = Terminal::new(TestBackend::new(area.width, area.height)).unwrap();
    terminal.draw(|f| view(model, f)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..area.height {
        for x in 0..area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The first numeric quiz whose answer times a thousand is wrong: (catalog entry, quiz index,
/// section index, right answer).
fn numeric_quiz(model: &Model) -> (usize, usize, usize, f64) {
    for (entry, e) in model.course.lessons.iter().enumerate() {
        let Some(lesson) = e.lesson() else { continue };
        for (qi, q) in lesson.quizzes.iter().enumerate() {
            if let QuizKind::Numeric {
                answer, tolerance, ..
            } = q.kind
                && answer.fract() == 0.0
                && answer > 0.0
                && (answer * 1000.0 - answer).abs() > tolerance
            {
                let section = lesson
                    .sections
                    .iter()
                    .position(|s| s.quizzes.contains(&qi))
                    .unwrap();
                return (entry, qi, section, answer);
            }
        }
    }
    panic!("the course has a numeric quiz with a whole-number answer");
}

fn focus(model: &mut Model, entry: usize, qi: usize) {
    model.selected = entry;
    key(model, KeyCode::Enter);
    let Screen::Reader(reader) = &mut model.screen else {
        panic!("reader open")
    };
    assert_eq!(reader.entry, entry);
    reader.focused_quiz = Some(qi);
}

#[test]
fn right_then_wrong_agrees_everywhere_and_after_a_relaunch() {
    let ws = tempfile::tempdir().unwrap();
    let env = Env::new(None, Some(ws.path().to_path_buf()));
    let size = Rect::new(0, 0, 120, 40);
    let mut m = initial_model(&env, size, Theme::MONO);
    let (entry, qi, section, answer) = numeric_quiz(&m);
    let lesson = m.course.lessons[entry].lesson().unwrap().clone();
    let quiz_id = lesson.quizzes[qi].id.clone();

    focus(&mut m, entry, qi);
    type_text(&mut m, &format!("{answer}"));
    key(&mut m, KeyCode::Enter);
    assert_eq!(m.flash.as_deref(), Some("Correct!"));
    // Then a wrong answer: the right one times a thousand, typed plainly.
    type_text(&mut m, "000");
    key(&mut m, KeyCode::Enter);
    assert_eq!(
        m.flash.as_deref(),
        Some("Not quite; you solved this quiz earlier, and that still counts.")
    );

    // The screen: the latest verdict and the earlier solve, both.
    let screen_quiz = |m: &Model| {
        let Screen::Reader(r) = &m.screen else {
            panic!("reader open")
        };
        r.quiz_states[qi].status()
    };
    assert_eq!(screen_quiz(&m), " ✓ solved earlier · latest answer ✗");

    // The file: solved, with the latest (wrong) answer recorded as wrong.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.path().join("progress.json")).unwrap()).unwrap();
    let record = &json["lessons"][&lesson.id]["quizzes"][&quiz_id];
    assert_eq!(record["solved"], true, "{record}");
    assert_eq!(record["correct"], false, "{record}");
    assert_eq!(record["answer"]["value"], answer * 1000.0, "{record}");
    assert_eq!(record["attempts"], 2, "{record}");

    // The catalog gauge counts it once.
    assert_eq!(quizzes_in_gauge(&m, &lesson), 1);

    // The contents overlay counts it as right.
    m.overlay = Some(Overlay::Contents { selected: section });
    let contents = draw(&m);
    let solved_in_section = lesson.sections[section]
        .quizzes
        .iter()
        .filter(|&&q| q == qi)
        .count();
    let want = format!(
        "quiz {solved_in_section}/{}",
        lesson.sections[section].quizzes.len()
    );
    assert!(contents.contains(&want), "{want} in\n{contents}");
    m.overlay = None;

    // `sysdesign progress` counts it as solved.
    let out = Command::new(env!("CARGO_BIN_EXE_sysdesign"))
        .arg("--workspace")
        .arg(ws.path())
        .arg("progress")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("quizzes answered: 1 (1 solved)"),
        "{stdout}"
    );

    // Relaunch: the same on screen.
    let mut again = initial_model(&env, size, Theme::MONO);
    focus(&mut again, entry, qi);
    assert_eq!(screen_quiz(&again), " ✓ solved earlier · latest answer ✗");
    assert_eq!(quizzes_in_gauge(&again, &lesson), 1);
}

/// The quizzes the catalog's gauge counts as done: its done count minus sections read and
/// exercises passed.
fn quizzes_in_gauge(m: &Model, lesson: &sysdesign::course::Lesson) -> usize {
    let (done, _) = m.progress.completion(lesson);
    let read = m.progress.lesson(&lesson.id).map_or(0, |l| {
        lesson
            .sections
            .iter()
            .filter(|s| l.sections_read.contains(&s.id))
            .count()
    });
    let passed = lesson
        .exercise_ids()
        .filter(|e| m.progress.exercise_passed(e))
        .count();
    done - read - passed
}

#[test]
fn a_newer_progress_file_makes_the_app_read_only() {
    let ws = tempfile::tempdir().unwrap();
    let newer = br#"{"version": 3, "lessons": {}}"#;
    let file = ws.path().join("progress.json");
    std::fs::write(&file, newer).unwrap();
    let env = Env::new(None, Some(ws.path().to_path_buf()));
    let mut m = initial_model(&env, Rect::new(0, 0, 120, 40), Theme::MONO);
    match &m.overlay {
        Some(Overlay::Notice(text)) => {
            assert!(text.contains("newer sysdesign"), "{text}");
            assert!(text.contains("read-only"), "{text}");
        }
        other => panic!("expected a notice, found {other:?}"),
    }
    assert!(draw(&m).contains("newer sysdesign"));
    key(&mut m, KeyCode::Enter); // dismiss the notice
    let (entry, qi, _, answer) = numeric_quiz(&m);
    focus(&mut m, entry, qi);
    type_text(&mut m, &format!("{answer}"));
    key(&mut m, KeyCode::Enter);
    assert_eq!(
        m.flash.as_deref(),
        Some("Correct!"),
        "the session still works"
    );
    assert_eq!(std::fs::read(&file).unwrap(), newer, "and saves nothing");
    let aside = std::fs::read_dir(ws.path())
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().contains(".corrupt-")
        })
        .count();
    assert_eq!(aside, 0);
}

/// Issue 11 §1.9: Enter on a multiple-choice quiz with nothing chosen is refused like single
/// choice: no attempt recorded, no verdict, no explanation.
#[test]
fn an_empty_multiple_choice_answer_is_no_attempt() {
    let ws = tempfile::tempdir().unwrap();
    let env = Env::new(None, Some(ws.path().to_path_buf()));
    let mut m = initial_model(&env, Rect::new(0, 0, 120, 40), Theme::MONO);
    let (entry, qi) = m
        .course
        .lessons
        .iter()
        .enumerate()
        .find_map(|(entry, e)| {
            let l = e.lesson()?;
            let qi = l
                .quizzes
                .iter()
                .position(|q| matches!(q.kind, QuizKind::Multiple { .. }))?;
            Some((entry, qi))
        })
        .expect("a multiple-choice quiz");
    let lesson = m.course.lessons[entry].lesson().unwrap().clone();
    focus(&mut m, entry, qi);
    key(&mut m, KeyCode::Enter);
    assert_eq!(
        m.flash.as_deref(),
        Some("choose at least one answer first (1-9 or Space)")
    );
    let Screen::Reader(r) = &m.screen else {
        panic!("reader open")
    };
    assert_eq!(r.quiz_states[qi].verdict, None);
    assert!(
        m.progress
            .lesson(&lesson.id)
            .is_none_or(|l| !l.quizzes.contains_key(&lesson.quizzes[qi].id)),
        "no attempt recorded"
    );
}
