//! Layout of code blocks: a gutter, highlighted text, tabs expanded, and lines longer than
//! the width wrapped with a continuation marker so no character is lost or overflows.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::highlight;
use super::wrap::{clusters, text_width};
use crate::theme::Theme;

/// Drawn before every code line; it marks code even where colour is off.
pub const GUTTER: &str = "▏ ";
/// Drawn before the continuation of a line too long for the width.
pub const CONTINUATION: &str = "↪ ";
const GUTTER_WIDTH: usize = 2;
const TAB_STOP: usize = 4;

/// The block's lines as they are shown and highlighted: no terminators, tabs expanded.
pub fn source_lines(text: &str) -> Vec<String> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    body.split('\n').map(expand_tabs).collect()
}

/// The block's lines, and whether highlighting was skipped because it was not cached.
pub fn layout(
    language: &str,
    text: &str,
    width: usize,
    theme: &Theme,
    mode: super::Highlighting,
) -> (Vec<Line<'static>>, bool) {
    let source = source_lines(text);
    let mut pending = false;
    let highlighted = match (theme.color, mode) {
        (false, _) => None,
        (true, super::Highlighting::Full) => highlight::highlight(language, &source),
        (true, super::Highlighting::CachedOnly) => {
            let cached = highlight::cached(language, &source);
            pending = cached.is_none() && highlight::has_grammar(language);
            cached
        }
    };
    let content_width = width.saturating_sub(GUTTER_WIDTH).max(1);
    let gutter = theme.dim();
    let mut lines = Vec::with_capacity(source.len());
    for (index, line) in source.iter().enumerate() {
        let runs = match &highlighted {
            Some(all) => all.get(index).map_or(&[][..], Vec::as_slice),
            None => &[],
        };
        let mut rows = split_rows(line, runs, content_width).into_iter();
        if let Some(first) = rows.next() {
            lines.push(with_gutter(GUTTER, gutter, first));
        }
        lines.extend(rows.map(|row| with_gutter(CONTINUATION, gutter, row)));
    }
    (lines, pending)
}

fn with_gutter(mark: &'static str, style: Style, mut spans: Vec<Span<'static>>) -> Line<'static> {
    spans.insert(0, Span::styled(mark, style));
    Line::from(spans)
}

/// Replace tabs by spaces up to the next tab stop, counting display columns.
fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut column = 0;
    for cluster in clusters(line) {
        // A combining mark after a tab joins it into one cluster ("\t\u{1e000}"): the tab
        // still becomes spaces, and the mark is kept on the last of them.
        if let Some(rest) = cluster.strip_prefix('\t') {
            let spaces = TAB_STOP - column % TAB_STOP;
            out.extend(std::iter::repeat_n(' ', spaces));
            out.push_str(rest);
            column += spaces;
        } else {
            out.push_str(cluster);
            column += text_width(cluster);
        }
    }
    out
}

/// Cut one source line into rows of at most `max` columns, keeping each run's style.
/// Text after the last run (all of it, when there are no runs) is unstyled.
fn split_rows(line: &str, runs: &[(Style, usize)], max: usize) -> Vec<Vec<Span<'static>>> {
    let mut rows = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut row_width = 0;
    let mut start = 0;
    let rest = (Style::default(), line.len());
    for &(style, end) in runs.iter().chain([&rest]) {
        let end = end.min(line.len());
        if end <= start || !line.is_char_boundary(end) {
            continue;
        }
        let run = &line[start..end];
        start = end;
        let run_width = text_width(run);
        if row_width + run_width <= max {
            row.push(Span::styled(run.to_string(), style));
            row_width += run_width;
            continue;
        }
        let mut piece = String::new();
        for cluster in clusters(run) {
            let (text, cluster_width) = match text_width(cluster) {
                // A wide character cannot fit a one-column row: mark its place instead.
                w if w > max => ("…", 1),
                w => (cluster, w),
            };
            if row_width + cluster_width > max {
                if !piece.is_empty() {
                    row.push(Span::styled(std::mem::take(&mut piece), style));
                }
                rows.push(std::mem::take(&mut row));
                row_width = 0;
            }
            piece.push_str(text);
            row_width += cluster_width;
        }
        if !piece.is_empty() {
            row.push(Span::styled(piece, style));
        }
    }
    rows.push(row);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn every_line_gets_the_gutter_and_keeps_indentation() {
        let lines = layout(
            "text",
            "fn a() {\n    b();\n}\n",
            40,
            &Theme::MONO,
            super::super::Highlighting::Full,
        )
        .0;
        assert_eq!(plain(&lines), ["▏ fn a() {", "▏     b();", "▏ }"]);
    }

    #[test]
    fn tabs_expand_to_stops() {
        assert_eq!(expand_tabs("\tx"), "    x");
        assert_eq!(expand_tabs("ab\tc"), "ab  c");
        assert_eq!(expand_tabs("日\tx"), "日  x");
    }

    #[test]
    fn long_lines_wrap_with_a_marker() {
        let lines = layout(
            "text",
            "abcdefghijkl",
            7,
            &Theme::MONO,
            super::super::Highlighting::Full,
        )
        .0;
        assert_eq!(plain(&lines), ["▏ abcde", "↪ fghij", "↪ kl"]);
        assert!(lines.iter().all(|l| l.width() <= 7));
    }

    #[test]
    fn highlighted_code_has_colour_only_in_colour_mode() {
        let code = "let x = \"s\"; // c\n";
        let coloured = layout(
            "rust",
            code,
            80,
            &Theme::COLOR,
            super::super::Highlighting::Full,
        )
        .0;
        assert!(coloured[0].spans.iter().any(|s| s.style.fg.is_some()));
        let mono = layout(
            "rust",
            code,
            80,
            &Theme::MONO,
            super::super::Highlighting::Full,
        )
        .0;
        assert!(
            mono[0]
                .spans
                .iter()
                .all(|s| s.style.fg.is_none() && s.style.bg.is_none())
        );
        assert_eq!(plain(&coloured), plain(&mono));
    }

    #[test]
    fn empty_block_is_one_gutter_line() {
        assert_eq!(
            plain(&layout("", "", 20, &Theme::MONO, super::super::Highlighting::Full).0),
            ["▏ "]
        );
    }
}
