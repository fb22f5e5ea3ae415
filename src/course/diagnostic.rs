//! Errors that point at a line and column of an instructor's file, printed like a compiler's.

use std::fmt;

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
    /// The file as the author knows it, e.g. `lessons/01-intro.toml`.
    pub path: String,
    /// 1-based; 0 when the problem is about the whole file.
    pub line: usize,
    /// 1-based, counted in characters.
    pub col: usize,
    /// How many characters the caret underlines (at least 1).
    pub len: usize,
    pub message: String,
    /// The offending line of source, for the caret display.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A problem at byte range `span` of `source`.
    pub fn at(path: &str, source: &str, span: std::ops::Range<usize>, message: String) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line = source[..start].matches('\n').count() + 1;
        let col = source[line_start..start].chars().count() + 1;
        let len = source[start..end.min(line_end).max(start)]
            .chars()
            .count()
            .max(1);
        let text = source[line_start..line_end].trim_end_matches('\r');
        Diagnostic {
            severity: Severity::Error,
            path: path.to_string(),
            line,
            col,
            len,
            message,
            source_line: Some(text.to_string()),
        }
    }

    /// A problem with the file as a whole (unreadable, empty, not UTF-8).
    pub fn whole_file(path: &str, message: String) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_string(),
            line: 1,
            col: 1,
            len: 1,
            message,
            source_line: None,
        }
    }

    /// `path:line:col: error: message`, then the line with a caret under the spot.
    pub fn render(&self) -> String {
        let mut out = self.to_string();
        if let Some(text) = &self.source_line {
            let text = crate::markdown::sanitize(text);
            let gutter = self.line.to_string().len();
            let pad = " ".repeat(gutter);
            // Tabs would misalign the caret; show them as single spaces.
            let shown = text.replace('\t', " ");
            let caret_pad: String = shown.chars().take(self.col - 1).map(|_| ' ').collect();
            out.push_str(&format!(
                "\n{pad} |\n{} | {shown}\n{pad} | {caret_pad}{}",
                self.line,
                "^".repeat(self.len)
            ));
        }
        out
    }
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
            self.path, self.line, self.col, self.message
        )
    }
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
        let d = Diagnostic::at("f.toml", src, 6..12, "unknown key".into());
        assert_eq!((d.line, d.col, d.len), (2, 1, 6));
        assert_eq!(
            d.render(),
            "f.toml:2:1: error: unknown key\n  |\n2 | sumary = \"x\"\n  | ^^^^^^"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = "t = \"é\" x";
        let d = Diagnostic::at("f", src, 9..10, "m".into());
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
