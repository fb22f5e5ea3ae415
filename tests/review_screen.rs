//! The review screen in the TUI: the catalog counts due cards, `r` opens them mixed across
//! chapters, an answer reschedules its card, and `o` links back to the section. Snapshots at
//! 80×24 and 200×60. The clock is fixed; the wall clock is never read.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use sysdesign::cli::Env;
use sysdesign::grade::quiz::Answer;
use sysdesign::progress::{Change, Progress};
use sysdesign::review::Clock;
use sysdesign::theme::Theme;
use sysdesign::tui::model::{Model, Screen};
use sysdesign::tui::msg::Msg;
use sysdesign::tui::{initial_model, update::update, view::view};

/// 2026-01-01T00:00:00Z.
const T0: i64 = 1_767_225_600;
const DAY: i64 = 86_400;

fn student(ws: &std::path::Path) {
    let mut p = Progress::default();
    for (lesson, quiz, at) in [
        ("intro", "nines-month", T0),
        ("caching", "hit-ratio-db-load", T0 + 60),
        ("intro", "perf-vs-scale", T0 + 120),
    ] {
        Change::QuizAnswered {
            lesson: lesson.into(),
            quiz: quiz.into(),
            answer: Answer::Single { choice: 0 },
            correct: true,
        }
        .apply(&mut p);
        Change::CardReviewed {
            lesson: lesson.into(),
            quiz: quiz.into(),
            correct: true,
            at,
        }
        .apply(&mut p);
    }
    std::fs::write(ws.join("progress.json"), serde_json::to_string(&p).unwrap()).unwrap();
}

fn model(w: u16, h: u16) -> (Model, tempfile::TempDir) {
    let ws = tempfile::tempdir().unwrap();
    student(ws.path());
    let env = Env::new(None, Some(ws.path().to_path_buf()));
    let mut m = initial_model(&env, Rect::new(0, 0, w, h), Theme::MONO);
    m.clock = Clock::Fixed(T0 + DAY);
    (m, ws)
}

fn key(m: &mut Model, code: KeyCode) {
    update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn draw(m: &Model) -> String {
    let mut terminal = Terminal::new(TestBackend::new(m.size.width, m.size.height)).unwrap();
    terminal.draw(|f| view(m, f)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..m.size.height {
        for x in 0..m.size.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn the_catalog_counts_due_cards_and_r_opens_them() {
    let (mut m, _ws) = model(80, 24);
    let catalog = draw(&m);
    assert!(
        catalog.lines().next().unwrap().contains("3 due"),
        "{catalog}"
    );
    assert!(catalog.contains("r  review 3"), "{catalog}");
    key(&mut m, KeyCode::Char('r'));
    let session = m.review.as_ref().expect("r opens the review");
    let lessons: Vec<&str> = session.cards.iter().map(|c| c.lesson.as_str()).collect();
    assert_eq!(
        lessons,
        ["intro", "caching", "intro"],
        "chapters take turns"
    );
    insta::assert_snapshot!("review_80x24", draw(&m));
}

#[test]
fn the_review_screen_at_200x60() {
    let (mut m, _ws) = model(200, 60);
    key(&mut m, KeyCode::Char('r'));
    insta::assert_snapshot!("review_200x60", draw(&m));
}

#[test]
fn answering_reschedules_the_card_and_a_wrong_answer_shows_the_hint() {
    let (mut m, _ws) = model(80, 24);
    key(&mut m, KeyCode::Char('r'));
    // Card 1: nines-month (43.8 minutes). A wrong answer first: the hint, no explanation.
    for c in "10".chars() {
        key(&mut m, KeyCode::Char(c));
    }
    key(&mut m, KeyCode::Enter);
    let screen = draw(&m);
    assert!(screen.contains("Hint:"), "{screen}");
    assert!(screen.contains("x shows the explanation"), "{screen}");
    let card = |m: &Model, lesson: &str, quiz: &str| {
        m.progress.lessons[lesson].quizzes[quiz]
            .card
            .clone()
            .unwrap()
    };
    let after_wrong = card(&m, "intro", "nines-month");
    assert!(
        after_wrong.due <= T0 + DAY + 600,
        "a wrong answer comes back within minutes: {after_wrong:?}"
    );
    // The retry that gets it right is practice: the card keeps its first answer's schedule.
    key(&mut m, KeyCode::Backspace);
    key(&mut m, KeyCode::Backspace);
    for c in "43.8".chars() {
        key(&mut m, KeyCode::Char(c));
    }
    key(&mut m, KeyCode::Enter);
    // Answered: each key once, and nothing left to submit.
    let footer = draw(&m).lines().last().unwrap().to_string();
    assert_eq!(
        footer.split_whitespace().collect::<Vec<_>>().join(" "),
        "Correct! n next card x explain o open its section q back",
        "{footer}"
    );
    assert_eq!(card(&m, "intro", "nines-month"), after_wrong);
    assert!(m.progress.quiz_solved("intro", "nines-month"));

    // Card 2: hit-ratio-db-load, a randomized estimate: the review drew its numbers, shown
    // as "Given"; answered right first time, it moves days away.
    key(&mut m, KeyCode::Char('n'));
    let before = card(&m, "caching", "hit-ratio-db-load");
    let drawn = m
        .review
        .as_ref()
        .unwrap()
        .quiz
        .as_ref()
        .unwrap()
        .drawn
        .clone();
    let drawn = drawn.expect("the review draws numbers for an estimate");
    assert!(
        draw(&m).contains("Given: reads per second = "),
        "{}",
        draw(&m)
    );
    for c in format!("{:.2}", drawn.answer).chars() {
        key(&mut m, KeyCode::Char(c));
    }
    key(&mut m, KeyCode::Enter);
    let after = card(&m, "caching", "hit-ratio-db-load");
    assert!(
        after.interval() > before.interval(),
        "{before:?} -> {after:?}"
    );
    assert!(after.due >= T0 + 2 * DAY, "{after:?}");

    // Card 3: skipped; then the summary, and any key goes back to the catalog.
    key(&mut m, KeyCode::Char('n'));
    key(&mut m, KeyCode::Char('n'));
    let summary = draw(&m);
    assert!(
        summary.contains("2 of 3 cards answered, 1 right the first time"),
        "{summary}"
    );
    key(&mut m, KeyCode::Char(' '));
    assert!(m.review.is_none());
    assert!(matches!(m.screen, Screen::Catalog));
}

#[test]
fn o_opens_the_section_the_card_comes_from() {
    let (mut m, _ws) = model(100, 30);
    key(&mut m, KeyCode::Char('r'));
    key(&mut m, KeyCode::Char('n'));
    key(&mut m, KeyCode::Char('o'));
    assert!(m.review.is_none());
    let Screen::Reader(reader) = &m.screen else {
        panic!("o opens the reader")
    };
    let lesson = m.lesson_of(reader).unwrap();
    assert_eq!(lesson.id, "caching");
    let section = &lesson.sections[reader.doc.section_at(reader.scroll)];
    let qi = lesson
        .quizzes
        .iter()
        .position(|q| q.id == "hit-ratio-db-load")
        .unwrap();
    assert!(section.quizzes.contains(&qi), "{}", section.id);
}

#[test]
fn nothing_due_says_when_the_next_card_comes() {
    let (mut m, _ws) = model(80, 24);
    m.clock = Clock::Fixed(T0 + 121);
    key(&mut m, KeyCode::Char('r'));
    assert!(m.review.is_none());
    assert_eq!(
        m.flash.as_deref(),
        Some("Nothing due for review; the next card is due in 7 min.")
    );
}
