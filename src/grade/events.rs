//! Progress of long grading work, for the TUI's spinner and the CLI's progress bar.

use super::result::Status;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeEvent {
    /// Another grade holds the workspace; this one waits for it.
    Waiting { message: String },
    /// Writing the scratch crate and starting the build of exercise `id`.
    Building { id: String },
    /// Cargo finished compiling one crate; a cold build reports each, a warm one only the
    /// exercise itself.
    Compiled { id: String, unit: String },
    /// Check `index` (0-based) of `of` started.
    Running {
        id: String,
        index: usize,
        of: usize,
        name: String,
    },
    /// Grading of `id` finished.
    Done { id: String, status: Status },
}
