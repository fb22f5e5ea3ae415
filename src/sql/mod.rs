//! The database lab: SQLite embedded through `rusqlite` (bundled, so no system SQLite is
//! needed), the datasets the course queries, the `sysdesign sql` console and the grader of
//! the SQL exercises.
//!
//! Every connection is opened through [`Sandbox`], which keeps a student's SQL inside one
//! in-memory database: no ATTACH, no extensions, no file access, and a time limit on every
//! statement.

pub mod datasets;
mod error;
pub mod format;

pub mod grade;
pub mod plan;
mod result_set;
mod sandbox;
mod script;

pub use error::SqlError;
pub use result_set::{Cell, ResultSet};
pub use sandbox::{Mode, Outcome, Sandbox};
pub use script::{Piece, split_statements};
