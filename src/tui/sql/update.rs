//! The console's keys, pastes and results. Pure: changes the console and says what the app
//! must do about it (run a job, close, show help).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::SqlConsole;
use super::layout::ConsoleLayout;
use super::worker::{Job, LastStatement, RunOutcome, RunResult};
use crate::sql::datasets;

/// What the app must do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Nothing,
    /// Run this job on the worker; its result comes back as `Msg::SqlRan`.
    Run(Job),
    /// Back to the lesson.
    Close,
    /// Open the help overlay.
    Help,
    /// A one-line message for the footer.
    Say(String),
}

/// Columns a Shift-←/→ moves the results.
const SIDE_STEP: usize = 8;

pub fn key(console: &mut SqlConsole, key: KeyEvent, size: Rect) -> Reply {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    let page = ConsoleLayout::compute(size, console)
        .results
        .height
        .saturating_sub(3)
        .max(1) as isize;
    match key.code {
        KeyCode::Esc => return Reply::Close,
        KeyCode::F(1) => return Reply::Help,
        KeyCode::F(5) => return run(console, false),
        KeyCode::Char('r') if ctrl => return run(console, false),
        KeyCode::Enter if alt => return run(console, false),
        KeyCode::Char('o') if ctrl => return run(console, true),
        KeyCode::Char('e') if ctrl => {
            console.show_plan = !console.show_plan;
            console.scroll = 0;
            console.hscroll = 0;
        }
        KeyCode::Char('d') if ctrl => return next_dataset(console),
        KeyCode::Char('p') if ctrl => previous_query(console),
        KeyCode::Char('n') if ctrl => next_query(console),
        KeyCode::Char('l') if ctrl => {
            console.editor = Default::default();
            console.history.stop_browsing();
        }
        KeyCode::Char('u') if ctrl => edited(console, |e| e.delete_to_line_start()),
        KeyCode::Home if ctrl => console.editor.to_start(),
        KeyCode::End if ctrl => console.editor.to_end(),
        KeyCode::PageDown => scroll(console, page),
        KeyCode::PageUp => scroll(console, -page),
        KeyCode::Left if shift || alt => {
            console.hscroll = console.hscroll.saturating_sub(SIDE_STEP)
        }
        KeyCode::Right if shift || alt => {
            let layout = ConsoleLayout::compute(size, console);
            let room = (layout.results.width as usize).saturating_sub(2);
            let most = content_width(console, room).saturating_sub(room);
            console.hscroll = (console.hscroll + SIDE_STEP).min(most);
        }
        KeyCode::Up if console.editor.on_first_line() => previous_query(console),
        KeyCode::Down if console.editor.on_last_line() => next_query(console),
        KeyCode::Up => console.editor.up(),
        KeyCode::Down => console.editor.down(),
        KeyCode::Left => console.editor.left(),
        KeyCode::Right => console.editor.right(),
        KeyCode::Home => console.editor.home(),
        KeyCode::End => console.editor.end(),
        KeyCode::Enter => edited(console, |e| e.newline()),
        KeyCode::Tab => edited(console, |e| e.insert_char('\t')),
        KeyCode::Backspace => edited(console, |e| e.backspace()),
        KeyCode::Delete => edited(console, |e| e.delete()),
        KeyCode::Char(c) if !ctrl && !alt => edited(console, |e| e.insert_char(c)),
        _ => {}
    }
    Reply::Nothing
}

/// A bracketed paste: the text goes in as typed, newlines and all.
pub fn paste(console: &mut SqlConsole, text: &str) {
    edited(console, |e| e.insert_str(text));
}

/// The mouse wheel, PgUp and PgDn move the results.
pub fn scroll(console: &mut SqlConsole, delta: isize) {
    let most = content_lines(console).saturating_sub(1) as isize;
    console.scroll = (console.scroll as isize + delta).clamp(0, most.max(0)) as usize;
}

/// A result from the worker. Results of an older run than the one awaited are dropped: the
/// student already asked for something newer.
pub fn ran(console: &mut SqlConsole, result: RunResult) -> bool {
    if console.running != Some(result.id) {
        return false;
    }
    console.running = None;
    console.scroll = 0;
    console.hscroll = 0;
    console.last = Some(Box::new(result));
    true
}

fn run(console: &mut SqlConsole, fresh: bool) -> Reply {
    if console.running.is_some() {
        return Reply::Say("still running the last query (at most 2 s a statement)".into());
    }
    let sql = console.editor.text();
    if sql.trim().is_empty() && !fresh {
        return Reply::Say("type a query first, e.g. SELECT * FROM customers LIMIT 10".into());
    }
    console.history.push(&sql);
    let id = console.next_id;
    console.next_id += 1;
    console.running = Some(id);
    Reply::Run(Job {
        id,
        dataset: console.dataset().name.to_string(),
        sql,
        fresh,
    })
}

fn next_dataset(console: &mut SqlConsole) -> Reply {
    let count = datasets::all().len();
    console.dataset = (console.dataset + 1) % count;
    // A result belongs to the dataset it ran on; a run still going is forgotten.
    console.last = None;
    console.running = None;
    console.scroll = 0;
    console.hscroll = 0;
    let d = console.dataset();
    Reply::Say(format!("dataset {}: {}", d.name, d.description))
}

fn previous_query(console: &mut SqlConsole) {
    let current = console.editor.text();
    if let Some(text) = console.history.older(&current) {
        console.editor = super::query_editor::QueryEditor::with_text(text);
    }
}

fn next_query(console: &mut SqlConsole) {
    if let Some(text) = console.history.newer() {
        console.editor = super::query_editor::QueryEditor::with_text(text);
    }
}

fn edited(console: &mut SqlConsole, change: impl FnOnce(&mut super::query_editor::QueryEditor)) {
    change(&mut console.editor);
    console.history.stop_browsing();
}

/// How wide the results table is drawn in `room` columns (as the view lays it out).
fn content_width(console: &SqlConsole, room: usize) -> usize {
    use unicode_width::UnicodeWidthStr;
    let Some(RunOutcome::Ran {
        last: LastStatement::Rows { rows, .. },
        ..
    }) = console.last.as_ref().map(|l| &l.outcome)
    else {
        return 0;
    };
    let table = crate::sql::format::table(rows, super::view::table_width(rows, room));
    table.lines().map(|l| l.width()).max().unwrap_or(0)
}

/// About how many lines the results take (the view clamps exactly).
fn content_lines(console: &SqlConsole) -> usize {
    let Some(last) = &console.last else {
        return console.dataset().schema.lines().count() + 3;
    };
    match &last.outcome {
        RunOutcome::Ran { plan, .. } if console.show_plan => {
            plan.as_ref().map_or(1, |p| p.len() + 1)
        }
        RunOutcome::Ran {
            last: LastStatement::Rows { rows, .. },
            ..
        } => rows.rows.len() + 2,
        RunOutcome::Failed { error, .. } => error.message.len() / 20 + 6,
        _ => 1,
    }
}
