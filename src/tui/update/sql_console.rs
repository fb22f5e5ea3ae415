//! The SQL console over the reader: `S` opens it, and while open it takes the keys, pastes
//! and the mouse wheel; its results arrive from the worker as `Msg::SqlRan`.

use ratatui::crossterm::event::KeyEvent;

use crate::tui::model::{Model, Overlay, Screen};
use crate::tui::msg::Effect;
use crate::tui::sql::history::History;
use crate::tui::sql::{SqlConsole, history_file, update as console};

/// The console, when it is open over a lesson that has one.
fn open_console_mut(model: &mut Model) -> Option<&mut SqlConsole> {
    if !console_shown(model) {
        return None;
    }
    model.sql.as_deref_mut()
}

/// Whether the console is on screen: open, over the reader of a lesson that declares one.
/// Another lesson hides it; coming back shows it as it was left.
pub fn console_shown(model: &Model) -> bool {
    model.sql.as_deref().is_some_and(|c| c.open)
        && model
            .reader()
            .and_then(|r| model.lesson_of(r))
            .is_some_and(|l| l.has_sql_console())
}

/// `S`: open the console on the dataset of the section on screen (or the nearest section
/// before it that has one, or the lesson's first). A console opened before comes back as
/// it was left.
pub(super) fn open_console(model: &mut Model) {
    let Screen::Reader(reader) = &model.screen else {
        return;
    };
    let Some(lesson) = model.lesson_of(reader) else {
        return;
    };
    let current = reader.doc.section_at(reader.scroll);
    let declared = |s: usize| lesson.sections.get(s).and_then(|s| s.sql_console.clone());
    let dataset = (0..=current)
        .rev()
        .find_map(declared)
        .or_else(|| (0..lesson.sections.len()).find_map(declared));
    let Some(dataset) = dataset else {
        model.flash = Some("this lesson has no SQL console; chapter 3's sections have one".into());
        return;
    };
    match &mut model.sql {
        Some(console) => console.open = true,
        None => {
            let mut console = SqlConsole::new(&dataset);
            let loaded = history_file::load(&history_file::path(model.workspace.root()));
            console.history = History::from_entries(loaded.queries);
            if let Some(notice) = loaded.notice {
                model.flash = Some(notice);
            }
            model.sql = Some(Box::new(console));
        }
    }
    // Nothing animates behind the console.
    if let Screen::Reader(reader) = &mut model.screen
        && let Some(viz) = &mut reader.viz
    {
        viz.playing = false;
    }
}

/// Keys while the console is open. Returns false when it is closed (the reader's keys).
pub(super) fn console_key(model: &mut Model, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    let size = model.size;
    let Some(console) = open_console_mut(model) else {
        return false;
    };
    match console::key(console, key, size) {
        console::Reply::Nothing => {}
        console::Reply::Run(job) => {
            effects.push(Effect::RunSql(job));
            effects.push(Effect::SaveSqlHistory(console.history.entries().to_vec()));
        }
        console::Reply::Close => {
            console.open = false;
            model.flash = Some("SQL console closed; S opens it again as you left it".into());
        }
        console::Reply::Help => {
            let scroll = crate::tui::view::help_line_of("SQL console", size.width);
            model.overlay = Some(Overlay::Help { scroll });
        }
        console::Reply::Say(text) => model.flash = Some(text),
    }
    true
}

pub(super) fn console_paste(model: &mut Model, text: &str) {
    if model.overlay.is_none()
        && let Some(console) = open_console_mut(model)
    {
        console::paste(console, text);
    }
}

/// A result goes to the console that asked for it, even while it is closed or hidden.
pub(super) fn console_ran(model: &mut Model, result: crate::tui::sql::worker::RunResult) {
    if let Some(console) = model.sql.as_deref_mut() {
        console::ran(console, result);
    }
}

/// The mouse wheel over the open console scrolls its results.
pub(super) fn console_scroll(model: &mut Model, delta: isize) -> bool {
    match open_console_mut(model) {
        Some(console) => {
            console::scroll(console, delta);
            true
        }
        None => false,
    }
}
