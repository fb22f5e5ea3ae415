//! Watching a course directory so an instructor sees their edits live.

use std::path::PathBuf;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::mpsc::UnboundedSender;

use super::msg::Msg;

/// Editors save in bursts (write, rename, chmod); wait for the burst to end.
const DEBOUNCE: Duration = Duration::from_millis(150);

pub type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Start watching `dir`; each changed `*.toml` arrives as `Msg::LessonFileChanged`.
pub fn lessons(dir: PathBuf, tx: UnboundedSender<Msg>) -> notify::Result<Watcher> {
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut seen: Vec<PathBuf> = Vec::new();
        for event in events {
            for path in &event.paths {
                if path.extension().is_some_and(|e| e == "toml")
                    && path.is_file()
                    && !seen.contains(path)
                {
                    seen.push(path.clone());
                }
            }
        }
        for path in seen {
            let _ = tx.send(Msg::LessonFileChanged(path));
        }
    })?;
    debouncer.watch(&dir, RecursiveMode::NonRecursive)?;
    Ok(debouncer)
}

/// Watch one file for saves. Editors often save by writing a temporary file and renaming
/// it over the original, so the directory is watched and events are matched by name.
pub fn file(path: PathBuf, tx: UnboundedSender<Msg>) -> notify::Result<Watcher> {
    let dir = path
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let name = path.file_name().map(|n| n.to_os_string());
    let target = path.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let touched = events.iter().any(|e| {
            !e.kind.is_access()
                && e.paths
                    .iter()
                    .any(|p| p.file_name().map(|n| n.to_os_string()) == name)
        });
        if touched && target.is_file() {
            let _ = tx.send(Msg::ExerciseFileChanged(target.clone()));
        }
    })?;
    debouncer.watch(&dir, RecursiveMode::NonRecursive)?;
    Ok(debouncer)
}
