//! Cut lines to a width. `panel::render_lines` wraps a line that is too long; the widgets that
//! budget their rows one line per row cut their lines first, so a long log entry can never
//! push the rows under it out of the pane.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// `line` cut to at most `width` cells, keeping its styles.
pub fn clip(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut room = width;
    let mut spans = Vec::with_capacity(line.spans.len());
    for span in line.spans {
        if room == 0 {
            break;
        }
        let span_width = span.width();
        if span_width <= room {
            room -= span_width;
            spans.push(span);
            continue;
        }
        let mut cut = String::new();
        for ch in span.content.chars() {
            let w = ch.width().unwrap_or(0);
            if w > room {
                break;
            }
            room -= w;
            cut.push(ch);
        }
        spans.push(Span::styled(cut, span.style));
        room = 0;
    }
    Line { spans, ..line }
}

pub fn clip_all(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    lines.into_iter().map(|l| clip(l, width)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::style::Style;

    #[test]
    fn keeps_styles_and_cuts_inside_a_span() {
        let line = Line::from(vec![
            Span::raw("ab"),
            Span::styled("cdef", Style::new().bold()),
        ]);
        let cut = clip(line, 4);
        assert_eq!(
            cut.spans,
            vec![Span::raw("ab"), Span::styled("cd", Style::new().bold())]
        );
    }

    proptest! {
        #[test]
        fn never_wider_than_asked_and_a_prefix(
            parts in prop::collection::vec("[ -~\u{2500}-\u{257f}]{0,12}", 0..6),
            width in 0usize..40,
        ) {
            let full: String = parts.concat();
            let line = Line::from(parts.into_iter().map(Span::raw).collect::<Vec<_>>());
            let cut = clip(line, width);
            let text: String = cut.spans.iter().map(|s| s.content.as_ref()).collect();
            prop_assert!(cut.width() <= width);
            prop_assert!(full.starts_with(&text));
            prop_assert_eq!(text.chars().count(), full.chars().count().min(width));
        }
    }
}
