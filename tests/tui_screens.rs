//! Screens drawn to a TestBackend: snapshots of what a student sees, and a property test that
//! no screen panics at any terminal size.

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use sysdesign::cli::Env;
use sysdesign::theme::Theme;
use sysdesign::tui::model::{Model, Screen};
use sysdesign::tui::msg::Msg;
use sysdesign::tui::{initial_model, update::update, view::view};

fn model(width: u16, height: u16) -> (Model, tempfile::TempDir) {
    let ws = tempfile::tempdir().unwrap();
    let env = Env::new(None, Some(ws.path().to_path_buf()));
    (
        initial_model(&env, Rect::new(0, 0, width, height), Theme::MONO),
        ws,
    )
}

fn key(model: &mut Model, code: KeyCode) {
    update(model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn keys(model: &mut Model, text: &str) {
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

#[test]
fn catalog_at_80x24_120x40_and_200x60() {
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let (m, _ws) = model(w, h);
        insta::assert_snapshot!(format!("catalog_{w}x{h}"), draw(&m));
    }
}

#[test]
fn lesson_reader_at_80x24_120x40_and_200x60() {
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let (mut m, _ws) = model(w, h);
        key(&mut m, KeyCode::Enter);
        insta::assert_snapshot!(format!("reader_top_{w}x{h}"), draw(&m));
        keys(&mut m, "nn");
        insta::assert_snapshot!(format!("reader_section3_{w}x{h}"), draw(&m));
    }
}

#[test]
fn quiz_before_and_after_answering() {
    let (mut m, _ws) = model(100, 30);
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Tab);
    let Screen::Reader(reader) = &m.screen else {
        panic!("reader open")
    };
    let quiz = reader.focused_quiz.expect("Tab focuses a quiz");
    insta::assert_snapshot!("quiz_focused", draw(&m));
    // Answer wrong first: pick every choice until one is wrong, submit, then see the verdict.
    let lesson = m.course.lessons[0].lesson().unwrap().clone();
    let q = &lesson.quizzes[quiz];
    match &q.kind {
        sysdesign::course::QuizKind::Single { answer, choices } => {
            let wrong = (0..choices.len()).find(|c| c != answer).unwrap();
            keys(&mut m, &(wrong + 1).to_string());
            key(&mut m, KeyCode::Enter);
            insta::assert_snapshot!("quiz_wrong", draw(&m));
            keys(&mut m, &(answer + 1).to_string());
            key(&mut m, KeyCode::Enter);
            insta::assert_snapshot!("quiz_right", draw(&m));
            let saved = m
                .progress
                .lesson(&lesson.id)
                .unwrap()
                .quizzes
                .get(&q.id)
                .unwrap();
            assert!(saved.correct);
            assert_eq!(saved.attempts, 2);
        }
        other => {
            panic!("the first quiz of chapter 1 is expected to be single choice, found {other:?}")
        }
    }
}

#[test]
fn help_contents_and_too_small() {
    let (mut m, _ws) = model(80, 24);
    key(&mut m, KeyCode::Char('?'));
    insta::assert_snapshot!("help_80x24", draw(&m));
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Char('t'));
    insta::assert_snapshot!("contents_80x24", draw(&m));
    let (m, _ws) = model(30, 8);
    insta::assert_snapshot!("too_small", draw(&m));
}

#[test]
fn without_colour_selection_is_still_visible() {
    let (m, _ws) = model(80, 24);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| view(&m, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let selected_row = (0..24).find(|&y| {
        buffer[(3, y)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    });
    assert!(
        selected_row.is_some(),
        "the selected chapter is shown in reverse video under NO_COLOR"
    );
    for y in 0..24 {
        for x in 0..80 {
            assert_eq!(
                buffer[(x, y)].fg,
                ratatui::style::Color::Reset,
                "no colour under NO_COLOR at {x},{y}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any screen, any size from 1x1 to 250x80, any resize: drawing never panics.
    #[test]
    fn drawing_never_panics(w in 1u16..=250, h in 1u16..=80, w2 in 1u16..=250, h2 in 1u16..=80, script in "[jknNpt?/rRz\\t ]{0,12}") {
        let (mut m, _ws) = model(w, h);
        draw(&m);
        key(&mut m, KeyCode::Enter);
        draw(&m);
        for c in script.chars() {
            let code = if c == '\t' { KeyCode::Tab } else { KeyCode::Char(c) };
            key(&mut m, code);
            draw(&m);
        }
        update(&mut m, Msg::Resize(w2, h2));
        draw(&m);
        for _ in 0..5 {
            update(&mut m, Msg::Tick);
        }
        key(&mut m, KeyCode::Esc);
        key(&mut m, KeyCode::Esc);
        draw(&m);
    }
}

#[test]
fn simulation_restart_keeps_the_chosen_settings() {
    let (mut m, _ws) = model(200, 60);
    // Chapter 7 (scalability) opens on its load-balancer pane at wide sizes.
    let entry = m.course.entry_of("scalability").unwrap();
    sysdesign::tui::update::open_lesson(&mut m, entry);
    keys(&mut m, "s"); // next strategy
    let Screen::Reader(r) = &m.screen else {
        panic!("reader")
    };
    let chosen = r.viz.as_ref().unwrap().sim.settings();
    keys(&mut m, "...");
    keys(&mut m, "r");
    let Screen::Reader(r) = &m.screen else {
        panic!("reader")
    };
    let viz = r.viz.as_ref().unwrap();
    assert_eq!(viz.sim.now(), 0, "restarted at t=0");
    assert_eq!(
        viz.sim.settings(),
        chosen,
        "the strategy chosen with `s` survives `r`"
    );
    let speed = viz.speed;
    keys(&mut m, "+");
    keys(&mut m, "..r");
    let Screen::Reader(r) = &m.screen else {
        panic!("reader")
    };
    let viz = r.viz.as_ref().unwrap();
    assert_eq!(viz.speed, speed + 1, "`r` keeps the speed");
    let lesson_setup = {
        let spec = sysdesign::sim::find(&viz.source.kind).unwrap();
        spec.start(viz.source.seed, &viz.source.params)
            .unwrap()
            .settings()
    };
    assert_ne!(chosen, lesson_setup, "the test changed the strategy");
    keys(&mut m, "..R");
    let Screen::Reader(r) = &m.screen else {
        panic!("reader")
    };
    let viz = r.viz.as_ref().unwrap();
    assert_eq!(viz.sim.now(), 0, "`R` restarts at t=0");
    assert_eq!(
        viz.sim.settings(),
        lesson_setup,
        "`R` restores the lesson's setup"
    );
    assert_eq!(viz.speed, speed, "`R` restores the lesson's speed");
}

#[test]
fn a_toggle_key_names_the_state_it_leads_to_after_a_scheduled_outage() {
    let spec = sysdesign::sim::find("message-queue").unwrap();
    let mut sim = spec.start(42, &[]).unwrap();
    assert_eq!(sim.action_label('d').as_deref(), Some("downstream down"));
    // The default setup schedules an outage: once it starts, `d` brings the downstream up.
    let outage_at = sim
        .settings()
        .into_iter()
        .find(|(k, _)| *k == "outage_at")
        .map(|(_, v)| v.to_string().parse::<u64>().unwrap())
        .unwrap();
    for _ in 0..=outage_at {
        sim.step();
    }
    assert_eq!(sim.action_label('d').as_deref(), Some("downstream up"));
    sim.act('d');
    assert_eq!(sim.action_label('d').as_deref(), Some("downstream down"));
}

/// Every simulation's pane at 80x24 and 200x60: each key stays on one row with its label,
/// and every key the engine offers is listed.
#[test]
fn pane_legends_keep_each_key_with_its_label() {
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let (mut m, _ws) = model(w, h);
        for entry in 0..m.course.lessons.len() {
            let Some(lesson) = m.course.lessons[entry].lesson().cloned() else {
                continue;
            };
            for (si, section) in lesson.sections.iter().enumerate() {
                if section.visualization.is_none() {
                    continue;
                }
                sysdesign::tui::update::open_lesson(&mut m, entry);
                sysdesign::tui::update::jump_to_section(&mut m, si);
                let Screen::Reader(r) = &m.screen else {
                    panic!("reader")
                };
                let Some(pane) = m.reader_layout(r).viz else {
                    continue;
                };
                let viz = r.viz.as_ref().unwrap();
                let (rows, shown) = sysdesign::tui::view::pane_legend(
                    &m,
                    viz,
                    pane.width as usize,
                    pane.height - 1,
                );
                let text: Vec<String> = rows[..shown as usize]
                    .iter()
                    .map(|l| l.to_string())
                    .collect();
                let all = text.join("\n");
                for a in viz.sim.actions() {
                    if a.key.is_ascii_digit() {
                        continue;
                    }
                    let label = viz.sim.action_label(a.key).unwrap_or(a.label.to_string());
                    let unit = format!(" {}  {label}", a.key);
                    assert!(
                        text.iter().any(|row| row.contains(&unit)),
                        "{w}x{h} {} {}: `{unit}` whole on one row in\n{all}",
                        lesson.id,
                        viz.sim.kind()
                    );
                }
                for row in &text {
                    assert!(
                        unicode_width::UnicodeWidthStr::width(row.as_str()) <= pane.width as usize,
                        "{w}x{h}: row wider than the pane: {row:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn reopening_a_lesson_resumes_at_the_section_left() {
    let (mut m, _ws) = model(80, 24);
    key(&mut m, KeyCode::Enter);
    keys(&mut m, "nnnn");
    let section_at = |m: &Model| {
        let Screen::Reader(r) = &m.screen else {
            panic!("reader")
        };
        r.doc.section_at(r.scroll)
    };
    let left_at = section_at(&m);
    assert!(left_at >= 3, "four n presses move four sections");
    key(&mut m, KeyCode::Char('q'));
    key(&mut m, KeyCode::Enter);
    assert_eq!(
        section_at(&m),
        left_at,
        "the lesson reopens where the student left it"
    );
}

#[test]
fn a_too_small_terminal_only_offers_to_quit() {
    let (mut m, _ws) = model(30, 8);
    key(&mut m, KeyCode::Enter);
    assert!(
        matches!(m.screen, Screen::Catalog),
        "keys do nothing unseen"
    );
    key(&mut m, KeyCode::Char('q'));
    assert!(m.quit);
}

#[test]
fn a_first_visit_starts_at_the_title_even_after_highlighting_lands() {
    let (mut m, _ws) = model(80, 24);
    key(&mut m, KeyCode::Enter);
    // Code highlighting finishing in the background lays the lesson out again (forced here:
    // other tests may already have warmed the highlight cache).
    if let Screen::Reader(r) = &mut m.screen {
        r.layout.as_mut().expect("laid out").pending_highlight = true;
    }
    update(&mut m, Msg::HighlightReady);
    let Screen::Reader(r) = &m.screen else {
        panic!("reader")
    };
    assert_eq!(
        r.scroll, 0,
        "the chapter's title and objectives stay on screen"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
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
fn exercises_copied_in_while_running_fix_the_lessons_that_name_them() {
    let course = tempfile::tempdir().unwrap();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("lessons"), &course.path().join("lessons"));
    let ws = tempfile::tempdir().unwrap();
    let env = Env::new(
        Some(course.path().to_path_buf()),
        Some(ws.path().to_path_buf()),
    );
    let mut m = initial_model(&env, Rect::new(0, 0, 80, 24), Theme::MONO);
    let broken = |m: &Model| {
        m.course
            .lessons
            .iter()
            .filter(|e| e.lesson().is_none())
            .count()
    };
    assert!(
        broken(&m) > 0,
        "lessons naming missing exercises are broken"
    );
    copy_dir(&repo.join("exercises"), &course.path().join("exercises"));
    update(&mut m, Msg::ExercisesChanged);
    assert_eq!(
        broken(&m),
        0,
        "the exercises are read again and the lessons with them"
    );
    assert!(!m.exercises.is_empty());
}

fn reader(m: &Model) -> &sysdesign::tui::model::Reader {
    match &m.screen {
        Screen::Reader(r) => r,
        _ => panic!("reader open"),
    }
}

/// At 80x24 the simulation pane sits under the text: Tab must never focus a quiz hidden
/// behind it. Every quiz of every lesson, Tab after Tab.
#[test]
fn tab_brings_every_quiz_into_the_visible_text() {
    let (mut m, _ws) = model(80, 24);
    for entry in 0..m.course.lessons.len() {
        if m.course.lessons[entry].lesson().is_none() {
            continue;
        }
        sysdesign::tui::update::open_lesson(&mut m, entry);
        let count = m.course.lessons[entry].lesson().unwrap().quizzes.len();
        for _ in 0..count {
            key(&mut m, KeyCode::Tab);
            let r = reader(&m);
            let quiz = r.focused_quiz.expect("Tab focuses a quiz");
            let (start, len) = r.doc.quiz_line(quiz).unwrap();
            let text = m.reader_layout(r).text;
            let (top, bottom) = (r.scroll, r.scroll + text.height as usize);
            let shown = len.min(text.height as usize);
            assert!(
                top <= start && start + shown <= bottom,
                "{} quiz {quiz}: lines {start}..{} but the text shows {top}..{bottom}",
                m.course.lessons[entry].lesson().unwrap().id,
                start + len
            );
            assert!(
                len <= text.height as usize,
                "the whole quiz fits: the pane gives way to a tall quiz"
            );
        }
        key(&mut m, KeyCode::Esc);
    }
}

#[test]
fn search_finds_steps_highlights_and_says_no_match() {
    let (mut m, _ws) = model(80, 24);
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Char('/'));
    keys(&mut m, "latency");
    let prompt = draw(&m);
    assert!(
        prompt.contains("/  latency"),
        "the prompt shows the query:\n{prompt}"
    );
    key(&mut m, KeyCode::Enter);
    let r = reader(&m);
    let search = r.search.as_ref().expect("a search is on");
    assert!(
        search.matches.len() > 1,
        "latency appears more than once in chapter 1"
    );
    let first = search.matches[search.current];
    let height = m.reader_layout(r).text.height as usize;
    assert!(
        (r.scroll..r.scroll + height).contains(&first.line),
        "the match is on screen"
    );
    // The current match is drawn in reverse video (the mono theme's selection).
    let area = m.size;
    let mut terminal = Terminal::new(TestBackend::new(area.width, area.height)).unwrap();
    terminal.draw(|f| view(&m, f)).unwrap();
    let text = m.reader_layout(r).text;
    let y = text.y + (first.line - r.scroll) as u16;
    let buffer = terminal.backend().buffer();
    let marked: String = (text.x..text.right())
        .filter(|&x| {
            buffer[(x, y)]
                .modifier
                .contains(ratatui::style::Modifier::REVERSED)
        })
        .map(|x| buffer[(x, y)].symbol().to_string())
        .collect();
    assert_eq!(marked.to_lowercase(), "latency", "the match is highlighted");
    keys(&mut m, "n");
    assert_eq!(
        reader(&m).search.as_ref().unwrap().current,
        1,
        "n goes to the next match"
    );
    keys(&mut m, "N");
    assert_eq!(
        reader(&m).search.as_ref().unwrap().current,
        0,
        "N goes back"
    );
    key(&mut m, KeyCode::Esc);
    assert!(reader(&m).search.is_none(), "Esc clears the search");
    assert!(
        matches!(m.screen, Screen::Reader(_)),
        "and stays in the lesson"
    );
    keys(&mut m, "/zzqqxx");
    key(&mut m, KeyCode::Enter);
    assert!(
        m.flash.as_deref().is_some_and(|f| f.contains("no match")),
        "{:?}",
        m.flash
    );
    keys(&mut m, "/abc");
    key(&mut m, KeyCode::Esc);
    assert!(reader(&m).search.is_none(), "Esc cancels the prompt");
    assert!(matches!(m.screen, Screen::Reader(_)));
}

#[test]
fn resume_restores_the_paragraph_the_quiz_and_a_hidden_pane() {
    let (mut m, ws) = model(80, 24);
    let entry = m.course.entry_of("scalability").unwrap();
    sysdesign::tui::update::open_lesson(&mut m, entry);
    keys(&mut m, "nn");
    for _ in 0..7 {
        key(&mut m, KeyCode::Down);
    }
    key(&mut m, KeyCode::Char('z'));
    key(&mut m, KeyCode::Char('z'));
    assert!(reader(&m).viz_hidden, "z twice hides the pane");
    key(&mut m, KeyCode::Tab);
    let (scroll, quiz) = (reader(&m).scroll, reader(&m).focused_quiz);
    assert!(quiz.is_some());
    // Quit and start again from the saved file.
    key(&mut m, KeyCode::Char('q'));
    // What the event loop does with the SaveProgress effect of leaving.
    m.progress.save(&m.store).unwrap();
    let env = Env::new(None, Some(ws.path().to_path_buf()));
    let mut again = initial_model(&env, Rect::new(0, 0, 80, 24), Theme::MONO);
    if !matches!(again.screen, Screen::Reader(_)) {
        key(&mut again, KeyCode::Enter);
    }
    let r = reader(&again);
    assert_eq!(
        r.focused_quiz, quiz,
        "the quiz being answered is focused again"
    );
    assert!(r.viz_hidden, "the hidden pane stays hidden");
    assert_eq!(r.scroll, scroll, "the same lines are on screen");
}

#[test]
fn a_section_is_read_once_its_end_was_on_screen() {
    let (mut m, _ws) = model(80, 24);
    let entry = m.course.entry_of("databases").unwrap();
    sysdesign::tui::update::open_lesson(&mut m, entry);
    let lesson = m.course.lessons[entry].lesson().unwrap().clone();
    let read = |m: &Model| {
        m.progress
            .lesson(&lesson.id)
            .map_or(0, |p| p.sections_read.len())
    };
    // Paging through the whole lesson passes every section's end.
    for _ in 0..2000 {
        key(&mut m, KeyCode::PageDown);
    }
    assert_eq!(
        read(&m),
        lesson.sections.len(),
        "paging to the end reads everything"
    );
    // In a fresh workspace, jumping with n reads exactly the sections whose end showed.
    let (mut m, _ws) = model(80, 24);
    sysdesign::tui::update::open_lesson(&mut m, entry);
    let mut expected = std::collections::BTreeSet::new();
    for _ in 0..lesson.sections.len() + 1 {
        let r = reader(&m);
        let height = m.reader_layout(r).text.height as usize;
        for s in 0..r.doc.section_starts.len() {
            let end = sysdesign::tui::update::section_end(&r.doc, s);
            if (r.scroll..r.scroll + height).contains(&end) {
                expected.insert(lesson.sections[s].id.clone());
            }
        }
        key(&mut m, KeyCode::Char('n'));
    }
    let got = &m.progress.lesson(&lesson.id).unwrap().sections_read;
    assert_eq!(got, &expected);
}

#[test]
fn scrolling_asks_for_a_save_once_the_reader_stops() {
    let (mut m, _ws) = model(80, 24);
    key(&mut m, KeyCode::Enter);
    let effects = update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE)),
    );
    assert!(
        effects.contains(&sysdesign::tui::msg::Effect::SaveProgressSoon),
        "{effects:?}"
    );
}

fn open_exercise_with_hints(m: &mut Model) -> usize {
    let index = m
        .exercises
        .iter()
        .position(|e| e.hints.len() >= 2)
        .expect("an exercise with hints");
    let id = m.exercises[index].id.clone();
    let mut effects = Vec::new();
    sysdesign::tui::update::open_exercise(m, &id, &mut effects);
    index
}

/// The first words of `text`, as a screen shows them whichever way they wrap.
fn first_words(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn hints_and_the_solution_scroll_into_view_at_80x24() {
    let (mut m, _ws) = model(80, 24);
    let index = open_exercise_with_hints(&mut m);
    let exercise = m.exercises[index].clone();
    for (i, hint) in exercise.hints.iter().enumerate() {
        key(&mut m, KeyCode::Char('h'));
        let screen = draw(&m).split_whitespace().collect::<Vec<_>>().join(" ");
        let words = first_words(
            &sysdesign::markdown::to_plain(
                &sysdesign::markdown::render(hint, 200, &Theme::MONO).lines,
            ),
            3,
        );
        assert!(
            screen.contains(&words),
            "hint {} ({words:?}) is on screen after h:\n{}",
            i + 1,
            draw(&m)
        );
    }
    m.progress
        .record(sysdesign::progress::Change::ExerciseGraded {
            exercise: exercise.id.clone(),
            passed: true,
        });
    key(&mut m, KeyCode::Char('s'));
    let screen = draw(&m);
    assert!(
        screen.contains("Reference solution"),
        "s shows the solution:\n{screen}"
    );
}

#[test]
fn end_and_page_down_stop_at_the_last_row() {
    let (mut m, _ws) = model(80, 24);
    open_exercise_with_hints(&mut m);
    key(&mut m, KeyCode::End);
    let screen = draw(&m);
    let rows: Vec<&str> = screen.lines().collect();
    let last_body_row = rows[rows.len() - 2];
    assert!(
        !last_body_row.trim().is_empty(),
        "End leaves no blank rows under the text:\n{screen}"
    );
    let at_end = screen.clone();
    for _ in 0..5 {
        key(&mut m, KeyCode::PageDown);
    }
    assert_eq!(draw(&m), at_end, "PgDn past the end changes nothing");
}

#[test]
fn the_exercise_header_drops_whole_parts_at_80_columns() {
    let forms = vec![
        "✓ all 7 checks pass ".to_string(),
        "✓ 7/7 pass ".to_string(),
    ];
    for width in [50usize, 60, 80, 120] {
        let header = sysdesign::tui::view::header_text(
            "Circuit breaker: closed, open, half-open, with a budget",
            "circuit-breaker",
            "medium",
            true,
            &forms,
            width,
        );
        assert_eq!(
            unicode_width::UnicodeWidthStr::width(header.as_str()),
            width
        );
        assert!(header.contains("✓"), "{header}");
        assert!(
            !header.contains("…✓"),
            "a cut word against the verdict: {header}"
        );
        assert!(
            !header.contains('…') || !header.contains("·"),
            "parts are dropped whole before anything is cut: {header}"
        );
    }
}

#[test]
fn an_editor_that_cannot_run_is_explained_in_full() {
    let (mut m, _ws) = model(80, 24);
    open_exercise_with_hints(&mut m);
    let problem = "cannot run `no-such-editor --wait` (No such file or directory (os error 2)); set $EDITOR, or edit /a/rather/long/path/to/the/workspace/exercises/round-robin/src/lib.rs yourself: it is graded on save";
    update(&mut m, Msg::EditorFailed(problem.to_string()));
    let screen = draw(&m).split_whitespace().collect::<Vec<_>>().join(" ");
    for word in ["no-such-editor", "$EDITOR,", "yourself:", "graded", "save"] {
        assert!(
            screen.contains(word),
            "`{word}` is on screen:\n{}",
            draw(&m)
        );
    }
}
