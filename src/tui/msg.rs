//! Everything that can happen to the app, and the side effects `update` asks for.

use std::path::PathBuf;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The animation tick (only while a simulation plays).
    Tick,
    /// A lesson file changed on disk (live preview with `--course DIR`).
    LessonFileChanged(PathBuf),
    /// The terminal asked us to stop (SIGTERM, SIGHUP, SIGINT).
    Terminate,
    /// Code highlighting for these lesson texts is now cached: lay out again in colour.
    HighlightReady,
}

/// Work `update` wants done outside the pure model.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    SaveProgress,
    /// Highlight these Markdown texts on a background thread, then send `HighlightReady`.
    WarmHighlighting(Vec<String>),
    Quit,
}
