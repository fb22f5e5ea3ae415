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
///
/// A row breaks after a space where it can, so words stay whole, and only mid-word when a
/// word is wider than the row. Continuation rows start at the line's own indentation (up to
/// half the width), so a wrapped line reads as one statement and the `↪` beside it says so.
fn split_rows(line: &str, runs: &[(Style, usize)], max: usize) -> Vec<Vec<Span<'static>>> {
    let styled = styled_runs(line, runs);
    if text_width(line) <= max {
        return vec![
            styled
                .into_iter()
                .map(|(style, text)| Span::styled(text.to_string(), style))
                .collect(),
        ];
    }
    let indent = line.len() - line.trim_start().len();
    let hang = text_width(&line[..indent]).min(max / 2);
    // Every grapheme with its style and width; one too wide for a row marks its place.
    let mut cells: Vec<(Style, &str, usize)> = Vec::new();
    for (style, text) in styled {
        for cluster in clusters(text) {
            cells.push(match text_width(cluster) {
                w if w > max - hang => (style, "…", 1),
                w => (style, cluster, w),
            });
        }
    }
    let mut rows = Vec::new();
    let mut start = 0;
    while start < cells.len() {
        let room = if rows.is_empty() { max } else { max - hang };
        let end = row_end(&cells[start..], room) + start;
        let mut row: Vec<Span<'static>> = Vec::new();
        if !rows.is_empty() && hang > 0 {
            row.push(Span::raw(" ".repeat(hang)));
        }
        for &(style, text, _) in &cells[start..end] {
            match row.last_mut() {
                Some(last) if last.style == style => last.content.to_mut().push_str(text),
                _ => row.push(Span::styled(text.to_string(), style)),
            }
        }
        rows.push(row);
        start = end;
    }
    if rows.is_empty() {
        rows.push(Vec::new());
    }
    rows
}

/// How many of `cells` the next row holds within `room` columns: up to the last space that
/// fits, after some text, or as many as fit when no such space does. At least one cell.
fn row_end(cells: &[(Style, &str, usize)], room: usize) -> usize {
    let mut width = 0;
    let mut after_space = None;
    let mut seen_text = false;
    for (i, &(_, text, w)) in cells.iter().enumerate() {
        if width + w > room {
            return after_space.unwrap_or(i).max(1);
        }
        width += w;
        if text.chars().all(char::is_whitespace) {
            if seen_text {
                after_space = Some(i + 1);
            }
        } else {
            seen_text = true;
        }
    }
    cells.len()
}

/// The line cut where its style changes: the runs, then the unstyled rest.
fn styled_runs<'a>(line: &'a str, runs: &[(Style, usize)]) -> Vec<(Style, &'a str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let rest = (Style::default(), line.len());
    for &(style, end) in runs.iter().chain([&rest]) {
        let end = end.min(line.len());
        if end <= start || !line.is_char_boundary(end) {
            continue;
        }
        out.push((style, &line[start..end]));
        start = end;
    }
    out
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

    #[test]
    fn long_lines_break_after_a_space_and_hang_at_their_indentation() {
        let lines = layout(
            "text",
            "    if done { break; }   // never sleep after the last try\n",
            32,
            &Theme::MONO,
            super::super::Highlighting::Full,
        )
        .0;
        assert_eq!(
            plain(&lines),
            [
                "▏     if done { break; }   // ",
                "↪     never sleep after the ",
                "↪     last try",
            ]
        );
    }

    #[test]
    fn a_word_wider_than_the_row_is_cut() {
        let lines = layout(
            "text",
            "  go https://example.com/a/very/long/path",
            20,
            &Theme::MONO,
            super::super::Highlighting::Full,
        )
        .0;
        assert_eq!(
            plain(&lines),
            [
                "▏   go ",
                "↪   https://example.",
                "↪   com/a/very/long/",
                "↪   path",
            ]
        );
    }

    proptest::proptest! {
        /// Any line at any width: rows fit, the first has the gutter and the rest the
        /// continuation marker and the line's indentation, nothing is lost, and a row ends
        /// mid-word only when it holds no space to break after.
        #[test]
        fn wrapped_code_fits_keeps_every_character_and_whole_words(
            indent in 0usize..12,
            words in proptest::collection::vec("[a-z(){};=.]{1,14}", 1..16),
            width in 6usize..60,
        ) {
            let line = format!("{}{}", " ".repeat(indent), words.join(" "));
            let lines = layout(
                "text",
                &line,
                width,
                &Theme::MONO,
                super::super::Highlighting::Full,
            )
            .0;
            let rows = plain(&lines);
            let hang = indent.min((width - GUTTER_WIDTH) / 2);
            let mut joined = String::new();
            for (n, row) in rows.iter().enumerate() {
                proptest::prop_assert!(lines[n].width() <= width, "{row:?} wider than {width}");
                let text = if n == 0 {
                    row.strip_prefix(GUTTER).expect("gutter")
                } else {
                    let rest = row.strip_prefix(CONTINUATION).expect("continuation marker");
                    rest.strip_prefix(&" ".repeat(hang)).expect("hanging indent")
                };
                if n + 1 < rows.len() && !text.ends_with(' ') {
                    // Cut mid-word: only when the row had no space to break after.
                    proptest::prop_assert!(
                        !text.trim_start().contains(' '),
                        "{rows:?} cuts a word where it could break at a space"
                    );
                }
                joined.push_str(text);
            }
            proptest::prop_assert_eq!(joined, line);
        }
    }
}
