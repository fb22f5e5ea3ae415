//! The SQL console in the TUI: snapshots at 80×24 and 200×60 (empty, a result, a plan, an
//! error), and update-level tests of editing, history, and a run's result arriving as a Msg.

use std::sync::mpsc;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

#[path = "support/course_dir.rs"]
mod course_dir;

use sysdesign::cli::Env;
use sysdesign::theme::Theme;
use sysdesign::tui::model::{Model, Overlay, Screen};
use sysdesign::tui::msg::{Effect, Msg};
use sysdesign::tui::sql::worker::{Job, LastStatement, RunOutcome, RunResult, Worker};
use sysdesign::tui::sql::{SqlConsole, history_file};
use sysdesign::tui::{initial_model, update, view::view};

/// Chapter 3 open in the reader, at its top.
fn chapter3(width: u16, height: u16) -> (Model, tempfile::TempDir) {
    let ws = tempfile::tempdir().unwrap();
    let env = Env::new(None, Some(ws.path().to_path_buf()));
    let mut m = initial_model(&env, Rect::new(0, 0, width, height), Theme::MONO);
    let entry = m
        .course
        .entry_of("databases")
        .expect("chapter 3 is in the course");
    update::open_lesson(&mut m, entry);
    (m, ws)
}

fn press(m: &mut Model, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    update::update(m, Msg::Key(KeyEvent::new(code, modifiers)))
}

fn key(m: &mut Model, code: KeyCode) -> Vec<Effect> {
    press(m, code, KeyModifiers::NONE)
}

fn ctrl(m: &mut Model, c: char) -> Vec<Effect> {
    press(m, KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Types `text` key by key; `\n` is Enter.
fn type_text(m: &mut Model, text: &str) {
    for c in text.chars() {
        match c {
            '\n' => key(m, KeyCode::Enter),
            c => key(m, KeyCode::Char(c)),
        };
    }
}

fn console(m: &Model) -> &SqlConsole {
    assert!(matches!(m.screen, Screen::Reader(_)), "the reader is open");
    m.sql.as_deref().expect("the console was opened")
}

fn open_console(width: u16, height: u16) -> (Model, tempfile::TempDir) {
    let (mut m, ws) = chapter3(width, height);
    key(&mut m, KeyCode::Char('S'));
    assert!(console(&m).open, "S opens the console in chapter 3");
    (m, ws)
}

/// The job a run key asked for.
fn job_of(effects: Vec<Effect>) -> Job {
    effects
        .into_iter()
        .find_map(|e| match e {
            Effect::RunSql(job) => Some(job),
            _ => None,
        })
        .expect("the run key asks for a job")
}

/// Runs `job` on a real worker and returns what it sent back.
fn work(job: Job) -> RunResult {
    let (tx, rx) = mpsc::channel();
    let worker = Worker::spawn(move |result| {
        let _ = tx.send(result);
    });
    worker.send(job).expect("the worker is running");
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the worker answers")
}

/// The same result with a fixed time, so that snapshots do not change from run to run.
fn steady(mut result: RunResult) -> RunResult {
    match &mut result.outcome {
        RunOutcome::Ran { elapsed, .. } | RunOutcome::Failed { elapsed, .. } => {
            *elapsed = Duration::from_micros(4200)
        }
        _ => {}
    }
    result
}

/// Ctrl-R, the worker runs the job, its result comes back as `Msg::SqlRan`.
fn run(m: &mut Model) {
    let job = job_of(ctrl(m, 'r'));
    let result = steady(work(job));
    update::update(m, Msg::SqlRan(Box::new(result)));
}

fn draw(m: &Model) -> String {
    let area = m.size;
    let mut terminal = Terminal::new(TestBackend::new(area.width, area.height)).unwrap();
    terminal.draw(|f| view(m, f)).unwrap();
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

const QUERY: &str = "SELECT c.country, count(*) AS orders,\n  sum(p.amount_cents) / 100.0 AS paid\nFROM orders o\nJOIN customers c ON c.id = o.customer_id\nJOIN payments p ON p.order_id = o.id\nGROUP BY c.country\nORDER BY orders DESC, c.country\nLIMIT 8";

#[test]
fn console_snapshots_at_80x24_and_200x60() {
    for (w, h) in [(80, 24), (200, 60)] {
        let (mut m, _ws) = open_console(w, h);
        insta::assert_snapshot!(format!("empty_{w}x{h}"), draw(&m));

        update::update(&mut m, Msg::Paste(QUERY.into()));
        run(&mut m);
        insta::assert_snapshot!(format!("result_{w}x{h}"), draw(&m));

        ctrl(&mut m, 'e');
        insta::assert_snapshot!(format!("plan_{w}x{h}"), draw(&m));

        ctrl(&mut m, 'l');
        type_text(
            &mut m,
            "SELECT name, email\nFORM customers\nWHERE country = 'DE'",
        );
        run(&mut m);
        insta::assert_snapshot!(format!("error_{w}x{h}"), draw(&m));
    }
}

#[test]
fn a_run_result_arrives_as_a_message_and_fills_the_console() {
    let (mut m, _ws) = open_console(80, 24);
    type_text(&mut m, "SELECT count(*) AS n FROM customers");
    let job = job_of(ctrl(&mut m, 'r'));
    assert_eq!(job.dataset, "shop");
    assert_eq!(job.sql, "SELECT count(*) AS n FROM customers");
    assert_eq!(console(&m).running, Some(job.id));
    // While it runs, a second run is refused rather than queued behind it.
    assert!(job_of_maybe(ctrl(&mut m, 'r')).is_none());

    let result = work(job);
    update::update(&mut m, Msg::SqlRan(Box::new(result)));
    let c = console(&m);
    assert_eq!(c.running, None);
    let Some(last) = &c.last else {
        panic!("the result is kept")
    };
    match &last.outcome {
        RunOutcome::Ran {
            last: LastStatement::Rows { rows, total },
            plan,
            ..
        } => {
            assert_eq!(*total, 1);
            assert_eq!(rows.columns, ["n"]);
            assert!(plan.as_ref().is_some_and(|p| !p.is_empty()));
        }
        other => panic!("expected rows, got {other:?}"),
    }
}

fn job_of_maybe(effects: Vec<Effect>) -> Option<Job> {
    effects.into_iter().find_map(|e| match e {
        Effect::RunSql(job) => Some(job),
        _ => None,
    })
}

#[test]
fn a_result_of_an_older_run_is_dropped() {
    let (mut m, _ws) = open_console(80, 24);
    type_text(&mut m, "SELECT 1");
    let first = job_of(ctrl(&mut m, 'r'));
    let stale = work(Job {
        id: first.id + 100,
        ..first.clone()
    });
    update::update(&mut m, Msg::SqlRan(Box::new(stale)));
    assert_eq!(console(&m).running, Some(first.id));
    assert!(console(&m).last.is_none());
}

#[test]
fn editing_keys_change_the_query_where_the_cursor_is() {
    let (mut m, _ws) = open_console(80, 24);
    type_text(&mut m, "SELECT id\nFROM orders");
    assert_eq!(console(&m).editor.cursor(), (1, 11));
    key(&mut m, KeyCode::Home);
    key(&mut m, KeyCode::Backspace);
    assert_eq!(console(&m).editor.text(), "SELECT idFROM orders");
    key(&mut m, KeyCode::Char(' '));
    key(&mut m, KeyCode::End);
    key(&mut m, KeyCode::Left);
    key(&mut m, KeyCode::Delete);
    assert_eq!(console(&m).editor.text(), "SELECT id FROM order");
    // Keys the reader would take are text here.
    type_text(&mut m, "qs?/");
    assert_eq!(console(&m).editor.text(), "SELECT id FROM orderqs?/");
    assert!(m.overlay.is_none());
    // A paste keeps its lines and goes in at the cursor.
    ctrl(&mut m, 'l');
    update::update(&mut m, Msg::Paste("SELECT 1,\r\n  2".into()));
    assert_eq!(console(&m).editor.text(), "SELECT 1,\n  2");
    assert_eq!(console(&m).editor.cursor(), (1, 3));
}

#[test]
fn history_brings_back_earlier_queries_and_the_draft() {
    let (mut m, _ws) = open_console(80, 24);
    for q in ["SELECT 1", "SELECT 2\nFROM products"] {
        ctrl(&mut m, 'l');
        type_text(&mut m, q);
        run(&mut m);
    }
    ctrl(&mut m, 'l');
    type_text(&mut m, "SELECT dra");
    // Up on the first line goes back in history; Ctrl-P too.
    key(&mut m, KeyCode::Up);
    assert_eq!(console(&m).editor.text(), "SELECT 2\nFROM products");
    // The entry is two lines: Up moves inside it first, then to the older entry.
    key(&mut m, KeyCode::Up);
    assert_eq!(console(&m).editor.cursor().0, 0);
    key(&mut m, KeyCode::Up);
    assert_eq!(console(&m).editor.text(), "SELECT 1");
    ctrl(&mut m, 'n');
    ctrl(&mut m, 'n');
    assert_eq!(console(&m).editor.text(), "SELECT dra");
    ctrl(&mut m, 'p');
    assert_eq!(console(&m).editor.text(), "SELECT 2\nFROM products");
}

#[test]
fn esc_closes_and_s_reopens_the_console_as_it_was() {
    let (mut m, _ws) = open_console(80, 24);
    type_text(&mut m, "SELECT 42");
    key(&mut m, KeyCode::Esc);
    assert!(!console(&m).open);
    // Closed, the reader has its keys back: j scrolls instead of typing.
    key(&mut m, KeyCode::Char('j'));
    assert_eq!(console(&m).editor.text(), "SELECT 42");
    key(&mut m, KeyCode::Char('S'));
    assert!(console(&m).open);
    assert_eq!(console(&m).editor.text(), "SELECT 42");
    // F1 opens the help over it, listing the console's keys.
    key(&mut m, KeyCode::F(1));
    assert!(matches!(m.overlay, Some(Overlay::Help { scroll }) if scroll > 0));
    let help = draw(&m);
    assert!(help.contains("SQL console"), "{help}");
    assert!(help.contains("Ctrl-R / F5 / Alt-Enter"), "{help}");
    insta::assert_snapshot!("help_from_console_80x24", help);
}

#[test]
fn ctrl_d_switches_the_dataset_and_runs_go_there() {
    let (mut m, _ws) = open_console(80, 24);
    assert_eq!(console(&m).dataset().name, "shop");
    ctrl(&mut m, 'd');
    assert_eq!(console(&m).dataset().name, "clicks");
    assert!(draw(&m).contains("dataset clicks"));
    type_text(&mut m, "SELECT count(*) FROM links");
    let job = job_of(ctrl(&mut m, 'r'));
    assert_eq!(job.dataset, "clicks");
    ctrl(&mut m, 'd');
    assert_eq!(console(&m).dataset().name, "shop");
}

#[test]
fn changes_stay_until_a_fresh_copy_is_asked_for() {
    let (mut m, _ws) = open_console(80, 24);
    type_text(
        &mut m,
        "CREATE TABLE notes (id INTEGER PRIMARY KEY); INSERT INTO notes VALUES (1)",
    );
    let made = job_of(ctrl(&mut m, 'r'));
    let (tx, rx) = mpsc::channel();
    let worker = Worker::spawn(move |result| {
        let _ = tx.send(result);
    });
    worker.send(made).unwrap();
    let made = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    assert!(
        matches!(
            made.outcome,
            RunOutcome::Ran {
                statements: 2,
                last: LastStatement::Changed(1),
                ..
            }
        ),
        "{made:?}"
    );
    let ask = |fresh: bool| Job {
        id: 9,
        dataset: "shop".into(),
        sql: "SELECT count(*) FROM notes".into(),
        fresh,
    };
    worker.send(ask(false)).unwrap();
    let kept = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    assert!(matches!(kept.outcome, RunOutcome::Ran { .. }), "{kept:?}");
    worker.send(ask(true)).unwrap();
    let fresh = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    match fresh.outcome {
        RunOutcome::Failed { error, .. } => assert!(error.message.contains("no such table")),
        other => panic!("a fresh copy has no notes table: {other:?}"),
    }
}

#[test]
fn the_console_draws_at_every_size_without_panicking() {
    let (mut m, _ws) = open_console(80, 24);
    type_text(
        &mut m,
        "SELECT * FROM customers\nWHERE name LIKE 'A%' AND country IS NOT NULL ORDER BY id",
    );
    run(&mut m);
    for (w, h) in [(50, 14), (51, 15), (60, 20), (120, 16), (250, 80), (20, 5)] {
        update::update(&mut m, Msg::Resize(w, h));
        let screen = draw(&m);
        assert_eq!(screen.lines().count(), h as usize);
    }
}

#[test]
fn chapter_3_offers_the_console_and_other_chapters_say_where_it_is() {
    let (mut m, _ws) = chapter3(80, 24);
    let Screen::Reader(r) = &m.screen else {
        panic!("the reader is open")
    };
    let text: Vec<String> = r.doc.lines.iter().map(|l| l.to_string()).collect();
    assert!(
        text.iter()
            .any(|l| l.contains("SQL console on the shop dataset (press S")),
        "a section with sql_console shows a card"
    );
    let screen = draw(&m);
    assert!(
        screen.lines().last().unwrap().contains(" S "),
        "the footer offers S"
    );

    let ws = tempfile::tempdir().unwrap();
    let env = Env::new(None, Some(ws.path().to_path_buf()));
    m = initial_model(&env, Rect::new(0, 0, 80, 24), Theme::MONO);
    update::open_lesson(&mut m, 0);
    key(&mut m, KeyCode::Char('S'));
    assert!(m.sql.is_none());
    assert!(m.flash.as_deref().is_some_and(|f| f.contains("chapter 3")));
}

#[test]
fn a_fresh_copy_is_named_in_the_status_line() {
    let (mut m, _ws) = open_console(80, 24);
    let job = job_of(ctrl(&mut m, 'o'));
    assert!(job.fresh);
    update::update(&mut m, Msg::SqlRan(Box::new(work(job))));
    assert!(draw(&m).contains("a fresh copy of shop is ready"));
}

mod editor_props {
    use proptest::prelude::*;
    use sysdesign::tui::sql::query_editor::QueryEditor;

    #[derive(Debug, Clone)]
    enum Op {
        Type(char),
        Paste(String),
        Newline,
        Backspace,
        Delete,
        Left,
        Right,
        Up,
        Down,
        Home,
        End,
        ClearLine,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            any::<char>().prop_map(Op::Type),
            "[a-zé日\\t\\r\\n ]{0,8}".prop_map(Op::Paste),
            Just(Op::Newline),
            Just(Op::Backspace),
            Just(Op::Delete),
            Just(Op::Left),
            Just(Op::Right),
            Just(Op::Up),
            Just(Op::Down),
            Just(Op::Home),
            Just(Op::End),
            Just(Op::ClearLine),
        ]
    }

    proptest! {
        #[test]
        fn the_cursor_stays_inside_the_text(ops in proptest::collection::vec(op(), 0..60)) {
            let mut e = QueryEditor::default();
            for op in ops {
                let before = e.text();
                match &op {
                    Op::Type(c) => e.insert_char(*c),
                    Op::Paste(s) => e.insert_str(s),
                    Op::Newline => e.newline(),
                    Op::Backspace => e.backspace(),
                    Op::Delete => e.delete(),
                    Op::Left => e.left(),
                    Op::Right => e.right(),
                    Op::Up => e.up(),
                    Op::Down => e.down(),
                    Op::Home => e.home(),
                    Op::End => e.end(),
                    Op::ClearLine => e.delete_to_line_start(),
                }
                let (row, col) = e.cursor();
                prop_assert!(row < e.lines().len());
                prop_assert!(col <= e.lines()[row].chars().count());
                prop_assert_eq!(e.text(), e.lines().join("\n"));
                // Nothing drawn can drive the terminal.
                prop_assert!(!e.text().chars().any(|c| c.is_control() && c != '\n'));
                // Moving never changes the text.
                if matches!(op, Op::Left | Op::Right | Op::Up | Op::Down | Op::Home | Op::End) {
                    prop_assert_eq!(e.text(), before);
                }
            }
        }

        #[test]
        fn typing_then_backspacing_restores_the_text(prefix in "[a-z \\n]{0,20}", typed in "[a-zé日 ]{1,10}") {
            let mut e = QueryEditor::with_text(&prefix);
            for c in typed.chars() {
                e.insert_char(c);
            }
            for _ in typed.chars() {
                e.backspace();
            }
            prop_assert_eq!(e.text(), prefix);
        }
    }
}

#[test]
fn a_wide_result_keeps_its_columns_readable_and_scrolls_sideways() {
    let (mut m, _ws) = open_console(80, 24);
    type_text(
        &mut m,
        "SELECT * FROM customers c JOIN orders o ON o.customer_id = c.id LIMIT 5",
    );
    run(&mut m);
    let screen = draw(&m);
    assert!(screen.contains("Shift-→ more columns"), "{screen}");
    // Columns are cut to 12 at the least, so ids stay whole and the orders' status is off to
    // the right; Shift-→ brings it into view.
    assert!(screen.contains(" 1156 |"), "{screen}");
    assert!(!screen.contains("status"), "{screen}");
    for _ in 0..12 {
        press(&mut m, KeyCode::Right, KeyModifiers::SHIFT);
    }
    let screen = draw(&m);
    assert!(screen.contains("status"), "{screen}");
    assert!(screen.contains("Shift-← back"), "{screen}");
    // Sideways stops at the table's end, so the first Shift-← moves it back at once.
    for _ in 0..40 {
        press(&mut m, KeyCode::Right, KeyModifiers::SHIFT);
    }
    let end = console(&m).hscroll;
    press(&mut m, KeyCode::Right, KeyModifiers::SHIFT);
    assert_eq!(console(&m).hscroll, end);
    let at_end = draw(&m);
    press(&mut m, KeyCode::Left, KeyModifiers::SHIFT);
    assert_ne!(draw(&m), at_end);
    // The editor's cursor did not move: Shift-→ belongs to the results.
    assert_eq!(console(&m).editor.cursor(), (0, 71));
}

/// What the app's runtime does with the effects of a run key: the history is written.
fn save_history(m: &Model, effects: &[Effect]) {
    let saved = effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveSqlHistory(queries) => Some(queries),
            _ => None,
        })
        .expect("a run saves the history");
    let path = history_file::path(m.workspace.root());
    history_file::save(&path, saved).unwrap();
}

#[test]
fn history_is_kept_in_the_workspace_for_the_next_session() {
    let (mut m, ws) = open_console(80, 24);
    for q in ["SELECT 1", "SELECT 2\nFROM products"] {
        ctrl(&mut m, 'l');
        type_text(&mut m, q);
        let effects = ctrl(&mut m, 'r');
        save_history(&m, &effects);
        let result = steady(work(job_of(effects)));
        update::update(&mut m, Msg::SqlRan(Box::new(result)));
    }
    // A new session on the same workspace: Ctrl-P brings back the last one, then the first.
    let env = Env::new(None, Some(ws.path().to_path_buf()));
    let mut next = initial_model(&env, Rect::new(0, 0, 80, 24), Theme::MONO);
    let entry = next.course.entry_of("databases").unwrap();
    update::open_lesson(&mut next, entry);
    key(&mut next, KeyCode::Char('S'));
    assert_eq!(
        console(&next).history.entries(),
        ["SELECT 1", "SELECT 2\nFROM products"]
    );
    ctrl(&mut next, 'p');
    assert_eq!(console(&next).editor.text(), "SELECT 2\nFROM products");
    ctrl(&mut next, 'p');
    assert_eq!(console(&next).editor.text(), "SELECT 1");
}

#[test]
fn a_corrupt_history_file_is_set_aside_with_a_message() {
    let (mut m, ws) = chapter3(80, 24);
    std::fs::write(ws.path().join("sql-history.json"), "{ not json").unwrap();
    key(&mut m, KeyCode::Char('S'));
    assert!(console(&m).history.entries().is_empty());
    let said = m.flash.clone().unwrap_or_default();
    assert!(said.contains("moved it to"), "{said}");
    assert_eq!(
        std::fs::read_to_string(ws.path().join("sql-history.json.corrupt")).unwrap(),
        "{ not json"
    );
}

/// Chapter 3 from a course directory (`--course DIR`), so that its file can change.
fn chapter3_from_dir() -> (
    Model,
    tempfile::TempDir,
    tempfile::TempDir,
    std::path::PathBuf,
) {
    let course = course_dir::shipped(&["lessons", "exercises"]);
    let chapter3 = std::fs::read_dir(course.path().join("lessons"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("03-"));
    let ws = tempfile::tempdir().unwrap();
    let env = Env::new(
        Some(course.path().to_path_buf()),
        Some(ws.path().to_path_buf()),
    );
    let mut m = initial_model(&env, Rect::new(0, 0, 80, 24), Theme::MONO);
    let entry = m.course.entry_of("databases").unwrap();
    update::open_lesson(&mut m, entry);
    (m, course, ws, chapter3.expect("a chapter 3 file"))
}

#[test]
fn a_live_reload_of_the_lesson_keeps_the_open_console_as_it_was() {
    let (mut m, _course, _ws, file) = chapter3_from_dir();
    key(&mut m, KeyCode::Char('S'));
    type_text(&mut m, "SELECT 7");
    run(&mut m);
    ctrl(&mut m, 'l');
    type_text(&mut m, "SELECT half");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text + "\n# saved again\n").unwrap();
    update::update(&mut m, Msg::LessonFileChanged(file.clone()));
    assert!(
        m.flash.as_deref().unwrap_or("").starts_with("reloaded"),
        "{:?}",
        m.flash
    );
    assert!(console(&m).open);
    assert_eq!(console(&m).editor.text(), "SELECT half");
    assert_eq!(console(&m).history.entries(), ["SELECT 7"]);
    assert!(console(&m).last.is_some(), "the last result stays");
    let screen = draw(&m);
    assert!(screen.contains("SELECT half"), "{screen}");
}

#[test]
fn another_lesson_hides_the_console_and_coming_back_shows_it_again() {
    let (mut m, _ws) = open_console(80, 24);
    type_text(&mut m, "SELECT 9");
    let other = m.course.entry_of("caching").unwrap();
    update::open_lesson(&mut m, other);
    assert!(!update::console_shown(&m));
    assert!(!draw(&m).contains("SELECT 9"));
    // The reader has the keys: `j` scrolls, it is not typed into the console.
    key(&mut m, KeyCode::Char('j'));
    assert_eq!(console(&m).editor.text(), "SELECT 9");
    let chapter3 = m.course.entry_of("databases").unwrap();
    update::open_lesson(&mut m, chapter3);
    assert!(update::console_shown(&m));
    assert!(draw(&m).contains("SELECT 9"));
}
