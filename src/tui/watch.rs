//! Watching a course directory so an instructor sees their edits live.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::mpsc::UnboundedSender;

use super::msg::Msg;

/// Editors save in bursts (write, rename, chmod); wait for the burst to end.
const DEBOUNCE: Duration = Duration::from_millis(150);

pub type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Whether an event means the file's content may have changed. Opening, reading and closing a
/// file are events too (inotify reports them): reacting to those would make every reload
/// trigger the next one, forever.
pub fn is_change(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    )
}

/// Start watching `dir`; each changed `*.toml` arrives as `Msg::LessonFileChanged`.
pub fn lessons(dir: PathBuf, tx: UnboundedSender<Msg>) -> notify::Result<Watcher> {
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut seen: Vec<PathBuf> = Vec::new();
        for event in events.iter().filter(|e| is_change(&e.kind)) {
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

/// The course's folders watched with everything below them, and what a change in each means.
const FOLDERS: [&str; 2] = ["exercises", "challenges"];

/// Watch a course's `exercises/` and `challenges/` folders and its `course.toml` (`course` is
/// the course root): any change below a folder, including the folder appearing or going,
/// arrives as one `Msg::ExercisesChanged` or `Msg::ChallengesChanged` per burst, and a save of
/// `course.toml` as `Msg::CourseFileChanged`. The root is watched without recursion (which is
/// also what sees `course.toml`), so a folder copied in later is seen and then watched in turn.
pub fn exercises(course: PathBuf, tx: UnboundedSender<Msg>) -> notify::Result<Watcher> {
    let exercises = course.join(FOLDERS[0]);
    let challenges = course.join(FOLDERS[1]);
    let course_file = course.join(crate::course::pack::FILE_NAME);
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let changed = || events.iter().filter(|e| is_change(&e.kind));
        let below =
            |folder: &Path| changed().any(|e| e.paths.iter().any(|p| p.starts_with(folder)));
        if below(&exercises) {
            let _ = tx.send(Msg::ExercisesChanged);
        }
        if below(&challenges) {
            let _ = tx.send(Msg::ChallengesChanged);
        }
        // Editors may save by renaming a temporary file over it: match by name.
        let named = |p: &PathBuf| p.file_name() == course_file.file_name();
        if changed().any(|e| e.paths.iter().any(named)) {
            let _ = tx.send(Msg::CourseFileChanged);
        }
    })?;
    debouncer.watch(&course, RecursiveMode::NonRecursive)?;
    for folder in FOLDERS {
        let folder = course.join(folder);
        if folder.is_dir() {
            debouncer.watch(&folder, RecursiveMode::Recursive)?;
        }
    }
    Ok(debouncer)
}

/// After `exercises/` or `challenges/` changed: watch them (again) if they exist now.
/// Watching a path twice replaces the first watch, so this is safe to call on every change.
pub fn rewatch_folders(watcher: &mut Watcher, course: &Path) {
    for folder in FOLDERS {
        let folder = course.join(folder);
        if folder.is_dir() {
            let _ = watcher.watch(&folder, RecursiveMode::Recursive);
        }
    }
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
            is_change(&e.kind)
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

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, AccessMode, CreateKind, DataChange, ModifyKind, RenameMode};
    use std::time::Instant;
    use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

    #[test]
    fn reads_are_not_changes() {
        assert!(!is_change(&EventKind::Access(AccessKind::Read)));
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Name(
            RenameMode::To
        ))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
    }

    /// Messages that arrive within `wait`.
    fn drain(rx: &mut UnboundedReceiver<Msg>, wait: Duration) -> Vec<Msg> {
        let deadline = Instant::now() + wait;
        let mut got = Vec::new();
        while Instant::now() < deadline {
            while let Ok(m) = rx.try_recv() {
                got.push(m);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        got
    }

    #[test]
    fn reading_a_lesson_does_not_reload_it_but_saving_does() {
        let dir = tempfile::tempdir().unwrap();
        let lesson = dir.path().join("01-intro.toml");
        std::fs::write(&lesson, "id = \"intro\"\n").unwrap();
        let (tx, mut rx) = unbounded_channel();
        let _watcher = lessons(dir.path().to_path_buf(), tx).unwrap();
        // Let the watch settle, then read the file as a reload does.
        std::thread::sleep(Duration::from_millis(100));
        for _ in 0..3 {
            let _ = std::fs::read_to_string(&lesson).unwrap();
        }
        let after_reads = drain(&mut rx, Duration::from_millis(600));
        assert!(
            after_reads.is_empty(),
            "reading the lesson must not report a change: {after_reads:?}"
        );
        std::fs::write(&lesson, "id = \"intro\"\n# edited\n").unwrap();
        let after_save = drain(&mut rx, Duration::from_millis(1500));
        assert!(
            after_save
                .iter()
                .any(|m| matches!(m, Msg::LessonFileChanged(p) if p == &lesson)),
            "a save is reported: {after_save:?}"
        );
    }

    #[test]
    fn saving_course_toml_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("course.toml");
        std::fs::write(&file, "title = \"Old\"\n").unwrap();
        let (tx, mut rx) = unbounded_channel();
        let _watcher = exercises(dir.path().to_path_buf(), tx).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let _ = std::fs::read_to_string(&file).unwrap();
        let after_read = drain(&mut rx, Duration::from_millis(600));
        assert!(
            !after_read
                .iter()
                .any(|m| matches!(m, Msg::CourseFileChanged)),
            "reading course.toml is not a change: {after_read:?}"
        );
        std::fs::write(&file, "title = \"New\"\n").unwrap();
        let got = drain(&mut rx, Duration::from_millis(1500));
        assert!(
            got.iter().any(|m| matches!(m, Msg::CourseFileChanged)),
            "a save of course.toml is reported: {got:?}"
        );
        assert!(
            !got.iter().any(|m| matches!(m, Msg::ExercisesChanged)),
            "course.toml is not an exercise: {got:?}"
        );
    }

    #[test]
    fn a_changed_challenge_is_reported_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("challenges").join("size-a-tier");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("challenge.toml"), "id = \"size-a-tier\"\n").unwrap();
        let (tx, mut rx) = unbounded_channel();
        let _watcher = exercises(dir.path().to_path_buf(), tx).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        std::fs::write(
            folder.join("challenge.toml"),
            "id = \"size-a-tier\"\nchapter = 1\n",
        )
        .unwrap();
        let got = drain(&mut rx, Duration::from_millis(1500));
        assert!(
            got.iter().any(|m| matches!(m, Msg::ChallengesChanged)),
            "a save under challenges/ is reported: {got:?}"
        );
        assert!(
            !got.iter().any(|m| matches!(m, Msg::ExercisesChanged)),
            "a challenge is not an exercise: {got:?}"
        );
    }

    #[test]
    fn exercises_copied_in_later_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, mut rx) = unbounded_channel();
        let _watcher = exercises(dir.path().to_path_buf(), tx).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let folder = dir.path().join("exercises").join("ttl-cache");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("exercise.toml"), "id = \"ttl-cache\"\n").unwrap();
        let got = drain(&mut rx, Duration::from_millis(1500));
        assert!(
            got.iter().any(|m| matches!(m, Msg::ExercisesChanged)),
            "the new exercises folder is reported: {got:?}"
        );
    }
}
