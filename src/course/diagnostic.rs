//! Errors that point at a line and column of an instructor's file, printed like a compiler's.
//!
//! A lesson file can come from anyone, so everything here is bounded: the line index is
//! built once per file (locating a problem is a binary search, not a scan from the top), a
//! file reports at most [`MAX_PER_FILE`] problems, the source line shown is a window around
//! the column, and every string taken from the file is sanitised before it is stored.

use std::cell::OnceCell;
use std::fmt;
use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use crate::markdown::sanitize;

/// Problems of one kind (errors, or warnings) reported per file; the rest are counted in a
/// closing "and N more" line. Fixing the first few usually fixes or reveals the others.
pub const MAX_PER_FILE: usize = 50;
/// Characters of source shown around the column when a line is longer than this.
const MAX_SHOWN: usize = 100;
/// Characters kept before the column in a windowed line.
const SHOWN_BEFORE: usize = 40;
/// Characters of a message kept: messages quote the file's keys and values, which can be
/// any length.
const MAX_MESSAGE: usize = 600;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The lesson cannot load.
    Error,
    /// The lesson loads, but the author should fix this.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the author knows it, e.g. `lessons/01-intro.toml`, sanitised.
    pub path: String,
    /// 1-based; 0 when the problem is about the whole file.
    pub line: usize,
    /// 1-based, counted in characters.
    pub col: usize,
    /// How many characters the caret underlines (at least 1).
    pub len: usize,
    /// What went wrong, sanitised.
    pub message: String,
    /// The offending line of source (sanitised, tabs as spaces, at most about
    /// `MAX_SHOWN` characters around the column), for the caret display.
    pub source_line: Option<String>,
    /// Display columns before the caret within `source_line`.
    pub caret: usize,
    /// For a closing "… and N more" line, the N problems it stands for; 0 for a problem
    /// reported one by one.
    pub omitted: usize,
}

/// A file's text with the start of each line, found once and only when a problem needs it.
/// Lines end at `\n`, `\r\n` or a lone `\r` (old Mac files), as editors show them.
pub struct SourceMap<'s> {
    pub text: &'s str,
    starts: OnceCell<Vec<usize>>,
}

impl<'s> SourceMap<'s> {
    pub fn new(text: &'s str) -> Self {
        SourceMap {
            text,
            starts: OnceCell::new(),
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut starts = vec![0];
            for (i, &b) in bytes.iter().enumerate() {
                let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
                if ends_line {
                    starts.push(i + 1);
                }
            }
            starts
        })
    }

    /// 1-based line number of byte `offset`.
    pub fn line_number(&self, offset: usize) -> usize {
        let starts = self.starts();
        starts.partition_point(|&s| s <= offset).max(1)
    }

    /// The byte range of line `number` (1-based) without its line ending.
    fn line_range(&self, number: usize) -> Range<usize> {
        let starts = self.starts();
        let start = starts[number - 1];
        let mut end = starts.get(number).copied().unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end.max(start)
    }
}

impl Diagnostic {
    /// A problem at byte range `span` of the file `source` maps.
    pub fn at(path: &str, source: &SourceMap, span: Range<usize>, message: String) -> Self {
        let text = source.text;
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let line = source.line_number(start);
        let range = source.line_range(line);
        let start = start.clamp(range.start, range.end.max(range.start));
        let line_text = &text[range.start..range.end];
        let before = &text[range.start..start];
        let col = before.chars().count() + 1;
        let len = text[start..end.min(range.end).max(start)]
            .chars()
            .count()
            .max(1);
        let (shown, caret) = window(line_text, start - range.start);
        Diagnostic {
            severity: Severity::Error,
            path: sanitize(path).into_owned(),
            line,
            col,
            len: len.min(MAX_SHOWN),
            message: clean_message(&message),
            source_line: Some(shown),
            caret,
            omitted: 0,
        }
    }

    /// A problem with the file as a whole (unreadable, empty, not UTF-8).
    pub fn whole_file(path: &str, message: String) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: sanitize(path).into_owned(),
            line: 1,
            col: 1,
            len: 1,
            message: clean_message(&message),
            source_line: None,
            caret: 0,
            omitted: 0,
        }
    }

    /// How many problems this stands for in a total: one, or the N of an "… and N more"
    /// line, so a capped file still counts every problem it has.
    pub fn problems(&self) -> usize {
        if self.omitted > 0 { self.omitted } else { 1 }
    }

    /// `path:line:col: error: message`, then the line with a caret under the spot.
    pub fn render(&self) -> String {
        let mut out = self.to_string();
        if let Some(shown) = &self.source_line {
            let gutter = self.line.to_string().len();
            let pad = " ".repeat(gutter);
            let caret_pad = " ".repeat(self.caret);
            out.push_str(&format!(
                "\n{pad} |\n{} | {}\n{pad} | {caret_pad}{}",
                self.line,
                sanitize(shown),
                "^".repeat(self.len)
            ));
        }
        out
    }
}

/// `message` sanitised and cut to `MAX_MESSAGE` characters.
fn clean_message(message: &str) -> String {
    let clean = sanitize(message);
    match clean.char_indices().nth(MAX_MESSAGE) {
        Some((cut, _)) => format!("{}…", &clean[..cut]),
        None => clean.into_owned(),
    }
}

/// The part of `line` shown under a diagnostic whose column is at byte `at`: all of it
/// when it is short, else a window around the column with `…` where it was cut. Returns
/// the sanitised text (tabs as single spaces, so the caret lines up) and the display
/// columns before the caret.
fn window(line: &str, at: usize) -> (String, usize) {
    let at_char = line[..at].chars().count();
    let total = if line.len() <= MAX_SHOWN {
        line.chars().count()
    } else {
        at_char + line[at..].chars().take(MAX_SHOWN + 1).count()
    };
    let (first, last) = if total <= MAX_SHOWN {
        (0, total)
    } else {
        let first = at_char.saturating_sub(SHOWN_BEFORE);
        let last = (first + MAX_SHOWN).min(total);
        (last.saturating_sub(MAX_SHOWN).min(first), last)
    };
    let mut chars = line.char_indices().skip(first);
    let from = chars.next().map_or(line.len(), |(i, _)| i);
    let to = line.char_indices().nth(last).map_or(line.len(), |(i, _)| i);
    let ellipsis_before = if first > 0 { "…" } else { "" };
    let ellipsis_after = if to < line.len() { "…" } else { "" };
    let clean = |s: &str| sanitize(s).replace('\t', " ");
    let prefix = clean(&line[from..at.max(from)]);
    let caret = ellipsis_before.width() + prefix.width();
    let shown = format!(
        "{ellipsis_before}{prefix}{}{ellipsis_after}",
        clean(&line[at.max(from)..to.max(at.max(from))])
    );
    (shown, caret)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {severity}: {}",
            sanitize(&self.path),
            self.line,
            self.col,
            sanitize(&self.message)
        )
    }
}

/// The closing line of a file that had more problems than are reported one by one.
pub fn omitted(path: &str, severity: Severity, count: usize) -> Diagnostic {
    let what = match severity {
        Severity::Error => "problem",
        Severity::Warning => "warning",
    };
    let mut d = Diagnostic::whole_file(
        path,
        format!(
            "… and {count} more {what}{} in this file; fix the ones above first",
            if count == 1 { "" } else { "s" }
        ),
    );
    d.severity = severity;
    d.omitted = count;
    d
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// "did you mean `x`?" when a known name is close to what was written.
pub fn did_you_mean<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(given, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_line_and_column() {
        let src = "a = 1\nsumary = \"x\"\n";
        let d = Diagnostic::at("f.toml", &SourceMap::new(src), 6..12, "unknown key".into());
        assert_eq!((d.line, d.col, d.len), (2, 1, 6));
        assert_eq!(
            d.render(),
            "f.toml:2:1: error: unknown key\n  |\n2 | sumary = \"x\"\n  | ^^^^^^"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = "t = \"é\" x";
        let d = Diagnostic::at("f", &SourceMap::new(src), 9..10, "m".into());
        assert_eq!(d.col, 9);
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("sumary", ["summary", "title"]),
            Some("summary")
        );
        assert_eq!(did_you_mean("zzz", ["summary", "title"]), None);
    }
}
