//! Reports of grading results for people and for CI: human text, JSON and JUnit XML.

mod human;
mod json;
mod junit;

pub use human::human;
pub use json::json;
pub use junit::junit;

use super::result::GradeResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable text: every check, with what was expected and what happened.
    Human,
    /// A JSON array: one results.json (v3) object per exercise.
    Json,
    /// JUnit XML: one testsuite per exercise, one testcase per check.
    Junit,
}

/// Renders `results` in `format`; every format ends with a newline.
pub fn render(format: Format, results: &[GradeResult]) -> String {
    match format {
        Format::Human => human(results),
        Format::Json => json(results),
        Format::Junit => junit(results),
    }
}
