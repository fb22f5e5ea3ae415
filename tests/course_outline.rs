//! The outline of the built-in course (written by build.rs) against the parsed course: the
//! app draws its first catalog from the outline, so it must say what the parse says, and the
//! catalog drawn from it must be the catalog drawn from the parsed course.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use sysdesign::cli::Env;
use sysdesign::course::{Course, LessonEntry};
use sysdesign::grade::quiz::Answer;
use sysdesign::progress::Change;
use sysdesign::theme::Theme;
use sysdesign::tui::model::Model;
use sysdesign::tui::msg::Msg;
use sysdesign::tui::{initial_model, update::update, view::view};

fn parsed() -> Course {
    Env::new(None, None).load_course()
}

#[test]
fn the_built_in_course_has_an_outline() {
    let outline = Course::outline().expect("build.rs wrote the outline");
    assert_eq!(outline.lessons.len(), parsed().lessons.len());
}

#[test]
fn the_outline_says_what_the_parse_says() {
    let course = parsed();
    assert!(course.problems.is_empty(), "{:?}", course.problems);
    let outline = Course::outline().expect("outline");
    assert_eq!(outline.pack, course.pack);
    for (o, p) in outline.lessons.iter().zip(&course.lessons) {
        let (LessonEntry::Ready(o), LessonEntry::Ready(p)) = (o, p) else {
            panic!("the built-in course has a broken lesson: {}", p.path());
        };
        assert_eq!(
            (&o.path, &o.id, o.chapter, &o.title, &o.summary, o.minutes),
            (&p.path, &p.id, p.chapter, &p.title, &p.summary, p.minutes)
        );
        assert_eq!(o.objectives, p.objectives, "{}", p.id);
        assert_eq!(o.sections.len(), p.sections.len(), "{}", p.id);
        for (os, ps) in o.sections.iter().zip(&p.sections) {
            assert_eq!(
                (&os.id, &os.title, &os.quizzes, &os.exercise, &os.challenge),
                (&ps.id, &ps.title, &ps.quizzes, &ps.exercise, &ps.challenge),
                "{}",
                p.id
            );
            let kind_seed = |s: &sysdesign::course::Section| {
                s.visualization.as_ref().map(|v| (v.kind.clone(), v.seed))
            };
            assert_eq!(kind_seed(os), kind_seed(ps), "{} {}", p.id, ps.id);
        }
        let quizzes = |l: &sysdesign::course::Lesson| -> Vec<(String, &'static str)> {
            l.quizzes
                .iter()
                .map(|q| (q.id.clone(), q.kind.name()))
                .collect()
        };
        assert_eq!(quizzes(o), quizzes(p), "{}", p.id);
        assert_eq!(o.visualization_count(), p.visualization_count());
        assert_eq!(
            o.exercise_ids().collect::<Vec<_>>(),
            p.exercise_ids().collect::<Vec<_>>()
        );
    }
}

fn draw(model: &Model) -> String {
    draw_with(model, true)
}

fn draw_with(model: &Model, styles: bool) -> String {
    let area = model.size;
    let mut terminal = Terminal::new(TestBackend::new(area.width, area.height)).unwrap();
    terminal.draw(|f| view(model, f)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..area.height {
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            // Styles too: a gauge or a mark in another colour would be another screen.
            out.push_str(cell.symbol());
            if styles {
                out.push_str(&format!("{:?}{:?}", cell.fg, cell.modifier));
            }
        }
        out.push('\n');
    }
    out
}

/// The catalog of `model`, drawn from the parsed course and then from the outline.
fn both_catalogs(model: &mut Model) -> (String, String) {
    let from_parse = draw(model);
    let course = std::mem::replace(&mut model.course, Course::outline().expect("outline"));
    let from_outline = draw(model);
    model.course = course;
    (from_parse, from_outline)
}

#[test]
fn the_catalog_drawn_from_the_outline_is_the_catalog_of_the_parsed_course() {
    for (w, h) in [(80, 24), (120, 40), (200, 60), (40, 12)] {
        let ws = tempfile::tempdir().unwrap();
        let env = Env::new(None, Some(ws.path().to_path_buf()));
        let mut model = initial_model(&env, Rect::new(0, 0, w, h), Theme::COLOR);
        let (a, b) = both_catalogs(&mut model);
        assert_eq!(a, b, "a fresh start at {w}x{h}");

        // Progress of every kind: sections read, quizzes right and wrong (review cards, some
        // due), an exercise passed; and another lesson selected.
        let course = model.course.clone();
        let lesson = course.ready().nth(2).expect("a third lesson");
        model.progress.record(Change::SectionsRead {
            lesson: lesson.id.clone(),
            sections: lesson
                .sections
                .iter()
                .take(2)
                .map(|s| s.id.clone())
                .collect(),
        });
        for (n, quiz) in lesson.quizzes.iter().take(3).enumerate() {
            let correct = n != 1;
            model.progress.record(Change::QuizAnswered {
                lesson: lesson.id.clone(),
                quiz: quiz.id.clone(),
                answer: Answer::Single { choice: 0 },
                correct,
            });
            model.progress.record(Change::CardReviewed {
                lesson: lesson.id.clone(),
                quiz: quiz.id.clone(),
                correct,
                at: 1_000_000,
            });
        }
        let exercise = course
            .ready()
            .flat_map(|l| l.exercise_ids().map(str::to_string).collect::<Vec<_>>())
            .next()
            .expect("a lesson with an exercise");
        model.progress.record(Change::ExerciseGraded {
            exercise,
            passed: true,
        });
        model.clock = sysdesign::review::Clock::Fixed(1_000_000 + 86_400);
        for _ in 0..2 {
            update(
                &mut model,
                Msg::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)),
            );
        }
        let (a, b) = both_catalogs(&mut model);
        let text = draw_with(&model, false);
        if w >= 80 {
            assert!(text.contains("3 due"), "progress shows at {w}x{h}:\n{text}");
        }
        assert_eq!(a, b, "with progress at {w}x{h}");
    }
}
