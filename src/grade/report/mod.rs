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

/// The results with every student-derived string made inert: escape sequences, C0 and C1
/// controls and bidi overrides become visible stand-ins (the sanitiser lessons go through),
/// so a panic message cannot retitle or clear the terminal that shows a report, nor make a
/// CI page read differently from what it says. Every format renders through this.
pub(crate) fn sanitized(results: &[GradeResult]) -> Vec<GradeResult> {
    let clean = |text: &str| crate::markdown::sanitize(text).into_owned();
    let clean_opt = |text: &Option<String>| text.as_deref().map(clean);
    results
        .iter()
        .map(|result| GradeResult {
            id: clean(&result.id),
            message: clean_opt(&result.message),
            tests: result
                .tests
                .iter()
                .map(|check| super::CheckResult {
                    name: clean(&check.name),
                    message: clean_opt(&check.message),
                    output: clean_opt(&check.output),
                    ..check.clone()
                })
                .collect(),
            ..result.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::{CheckResult, Status};

    #[test]
    fn no_format_lets_escape_sequences_or_bidi_overrides_through() {
        let nasty = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}gnp.exe\u{9b}31m\r";
        let check = CheckResult {
            name: format!("name {nasty}"),
            status: Status::Fail,
            message: Some(format!("panicked: {nasty}")),
            output: Some(format!("printed {nasty}")),
            task_id: None,
        };
        let failed = GradeResult::from_checks("x", 1, vec![check], 0);
        let broken = GradeResult::error("y", 1, format!("does not compile: {nasty}"), 0);
        for format in [Format::Human, Format::Json, Format::Junit] {
            let text = render(format, &[failed.clone(), broken.clone()]);
            for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}', '\r'] {
                assert!(
                    !text.contains(bad),
                    "{format:?} lets {bad:?} through:\n{text}"
                );
            }
            for escaped in ["\\u001b", "\\u202e", "&#x1b;"] {
                assert!(
                    !text.contains(escaped),
                    "{format:?} only escapes {escaped}:\n{text}"
                );
            }
            let stand_in = match format {
                Format::Junit => "&lt;U+202E&gt;gnp.exe",
                _ => "<U+202E>gnp.exe",
            };
            assert!(text.contains(stand_in), "{format:?}:\n{text}");
        }
    }
}
