//! The exercise screen's state: which exercise, the latest verdict, hints revealed, and
//! whether grading is under way. The description is laid out once per width.

use ratatui::text::Line;

use super::model::Reader;
use crate::grade::GradeResult;

pub struct ExerciseView {
    /// Index into `Model::exercises`.
    pub index: usize,
    /// The reader to return to, as it was.
    pub back: Option<Box<Reader>>,
    pub scroll: usize,
    pub hints_shown: usize,
    pub result: Option<GradeResult>,
    /// What grading is doing now; `None` when idle.
    pub grading: Option<String>,
    /// Frame of the spinner while grading.
    pub spinner: usize,
    /// Another grade was asked for while one ran: run it when this one ends.
    pub regrade_queued: bool,
    pub confirm_reset: bool,
    pub show_solution: bool,
    /// The description with the hints revealed (and the solution when shown), laid out for
    /// `(width, solution shown, hints shown)`.
    pub layout: Option<((u16, bool, usize), Vec<Line<'static>>)>,
    /// Rows of the laid-out description where the newest hint and the solution are, so the
    /// keys that reveal them can scroll there.
    pub newest_hint: Option<std::ops::Range<usize>>,
    pub solution: Option<std::ops::Range<usize>>,
    /// A problem to read in full (the editor could not be run), above the file's path.
    pub notice: Option<String>,
}

impl ExerciseView {
    pub fn new(index: usize, back: Option<Box<Reader>>) -> ExerciseView {
        ExerciseView {
            index,
            back,
            scroll: 0,
            hints_shown: 0,
            result: None,
            grading: None,
            spinner: 0,
            regrade_queued: false,
            confirm_reset: false,
            show_solution: false,
            layout: None,
            newest_hint: None,
            solution: None,
            notice: None,
        }
    }
}

pub const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
