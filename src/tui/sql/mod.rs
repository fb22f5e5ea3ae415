//! The SQL console: a query editor with history over one of the lab's datasets, its
//! results as a table that fits the width, the query plan as a tree, and SQLite's errors
//! with a caret under the place it names. It opens over the reader (`S` in a lesson whose
//! sections declare `sql_console`), and its queries run on a worker thread (`worker`), so the
//! UI never waits for SQLite.
//!
//! State here; keys and results in `update`; drawing in `view`.

pub mod history;
pub mod history_file;
pub mod layout;
pub mod query_editor;
pub mod update;
pub mod view;
pub mod worker;

use history::History;
use query_editor::QueryEditor;
use worker::RunResult;

use crate::sql::datasets;

#[derive(Debug, Clone, PartialEq)]
pub struct SqlConsole {
    /// The dataset queries run on: an index into `datasets::all()`.
    pub dataset: usize,
    pub editor: QueryEditor,
    pub history: History,
    /// The last run's result for this dataset; `None` shows the dataset's schema.
    pub last: Option<Box<RunResult>>,
    /// The id of the run waiting for its result, if any.
    pub running: Option<u64>,
    /// The next run's id.
    pub next_id: u64,
    /// Show the last statement's plan instead of its rows.
    pub show_plan: bool,
    /// The first row of the results shown, and the first column (in cells).
    pub scroll: usize,
    pub hscroll: usize,
    /// The console is on screen; closed, it keeps its query and results for next time.
    pub open: bool,
}

impl SqlConsole {
    /// A console on the dataset named `dataset` (the first one if the name is unknown).
    pub fn new(dataset: &str) -> SqlConsole {
        SqlConsole {
            dataset: datasets::all()
                .iter()
                .position(|d| d.name == dataset)
                .unwrap_or(0),
            editor: QueryEditor::default(),
            history: History::default(),
            last: None,
            running: None,
            next_id: 1,
            show_plan: false,
            scroll: 0,
            hscroll: 0,
            open: true,
        }
    }

    pub fn dataset(&self) -> &'static datasets::Dataset {
        let all = datasets::all();
        &all[self.dataset.min(all.len() - 1)]
    }
}
