//! Everything that can happen to the app, and the side effects `update` asks for.

use std::path::PathBuf;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The animation tick (only while a simulation plays).
    Tick,
    /// A lesson file changed on disk (live preview with `--course DIR`).
    LessonFileChanged(PathBuf),
    /// Something changed under `exercises/` (live preview with `--course DIR`).
    ExercisesChanged,
    /// Something under a course directory's `challenges/` changed (`--course DIR`).
    ChallengesChanged,
    /// The course's `course.toml` changed (live preview with `--course DIR`).
    CourseFileChanged,
    /// The terminal asked us to stop (SIGTERM, SIGHUP, SIGINT).
    Terminate,
    /// Code highlighting for these lesson texts is now cached: lay out again in colour.
    HighlightReady,
    /// Grading reports progress.
    Grading(crate::grade::GradeEvent),
    /// Grading finished.
    Graded(Box<crate::grade::GradeResult>),
    /// The student's exercise file changed on disk (saved from their editor).
    ExerciseFileChanged(PathBuf),
    /// The editor the app suspended for has exited.
    EditorClosed,
    /// The editor could not be run, or failed: what went wrong, to show in full.
    EditorFailed(String),
    /// A one-line message for the footer, from background work.
    Flash(String),
    /// The student's implementation for exercise `exercise` is built and running (or not).
    LiveReady {
        exercise: String,
        result: Result<crate::grade::live::LiveImpl, String>,
    },
    /// A design run or grade reports back (the design screen).
    Design(crate::tui::design::app::DesignMsg),
    /// Text pasted into the terminal (bracketed paste), in one piece.
    Paste(String),
    /// The SQL console's query finished on its worker.
    SqlRan(Box<crate::tui::sql::worker::RunResult>),
}

/// Work `update` wants done outside the pure model.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    SaveProgress,
    /// Save progress once the student has stopped moving for a moment (reading position).
    SaveProgressSoon,
    /// Give the terminal back and stop (Ctrl-Z, SIGTSTP); take it back when continued.
    Suspend,
    /// Grade this exercise in the background: `Grading` events, then `Graded`.
    Grade(Box<crate::grade::Exercise>),
    /// Suspend the TUI and open this file in $VISUAL / $EDITOR; then send `EditorClosed`.
    OpenEditor(PathBuf),
    /// Watch this file (debounced, surviving rename-on-save); changes arrive as
    /// `ExerciseFileChanged`. `None` stops watching.
    WatchExercise(Option<PathBuf>),
    /// Write the workspace files that are missing (never a student's own file).
    EnsureWorkspace,
    /// Build the student's implementation and start it for a simulation: `LiveReady`.
    StartLive(Box<crate::grade::Exercise>),
    /// Restore the exercise's starter file (the student confirmed).
    ResetExercise(Box<crate::grade::Exercise>),
    /// Highlight these Markdown texts on a background thread, then send `HighlightReady`.
    WarmHighlighting(Vec<String>),
    /// Run or grade a design in the background; `Msg::Design` reports back.
    Design(crate::tui::design::app::DesignJob),
    /// Run the SQL console's query on its worker thread; the result comes as `SqlRan`.
    RunSql(crate::tui::sql::worker::Job),
    /// Write the SQL console's history to the workspace (`sql::history_file`).
    SaveSqlHistory(Vec<String>),
    Quit,
}
