//! Graded code exercises: loading them, the student's workspace, building and running the
//! embedded harnesses under limits, and reporting the results.
//!
//! The usual flow, for the TUI and the CLI alike:
//!
//! ```no_run
//! use sysdesign::grade::{Workspace, embedded_exercises, fresh_seed};
//!
//! let (exercises, problems) = embedded_exercises();
//! assert!(problems.is_empty());
//! let workspace = Workspace::resolve(None).expect("a data directory");
//! workspace.ensure(&exercises).expect("a writable workspace");
//! let result = workspace.grade(&exercises[0], fresh_seed(), &mut |event| eprintln!("{event:?}"));
//! println!("{}", sysdesign::grade::report::human(&[result]));
//! ```

pub mod cli;
mod compile;
pub mod dev_check;
mod events;
mod exercise;
pub mod files;
mod grader;
mod limits;
pub mod live;
mod load;
mod lock;
mod problem;
mod process;
pub mod quiz;
pub mod report;
mod result;
mod run;
mod stream;
mod support;
mod tamper;
mod workspace;

pub use events::GradeEvent;
pub use exercise::{Difficulty, Exercise, ExerciseKind, LiveTrait};
pub use grader::{BuildError, Grader, GraderLock, fresh_seed};
pub use limits::Limits;
pub use load::{
    EXERCISE_FILES, ExerciseFile, embedded_exercises, embedded_files, files_in_dir, load_exercises,
};
pub use problem::ExerciseProblem;
pub use process::{stop_all, stop_all_on_signals};
pub use result::{CheckResult, GradeResult, RESULTS_VERSION, Status, exit_code};
pub use workspace::{EnsureReport, Workspace};
