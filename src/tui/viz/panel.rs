//! Drawing pieces the simulation widgets share: a bordered panel, text meters and column
//! charts in ASCII, so every widget reads the same with and without colour.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    style::{Color, Style},
    text::{Line, Span},
    widgets::{Block, Paragraph, Widget, Wrap},
};

use crate::sim::summary::LogEntry;
use crate::theme::Theme;

/// Draw a titled border when there is room for one, and return the area inside it. Clips
/// `area` to the buffer first, so a widget can never write outside it.
pub fn panel(area: Rect, buf: &mut Buffer, theme: &Theme, title: &str) -> Rect {
    let area = area.intersection(*buf.area());
    if area.width < 12 || area.height < 5 {
        return area;
    }
    let block = Block::bordered()
        .border_style(theme.border())
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// Render `lines` top-down into `area`. Diagrams are built to the width and stay as they are;
/// a sentence longer than the width wraps, and whatever falls below the bottom is cut.
pub fn render_lines(lines: Vec<Line<'_>>, area: Rect, buf: &mut Buffer) {
    let area = area.intersection(*buf.area());
    if area.is_empty() {
        return;
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

/// Rows `lines` take once wrapped to `width`: an estimate, as words wrap a little earlier
/// than characters, used to leave the event log what is left.
pub fn rows_of(lines: &[Line<'_>], width: usize) -> usize {
    lines
        .iter()
        .map(|l| l.width().div_ceil(width.max(1)).max(1))
        .sum()
}

/// Rows for a chart: what is left under the other `used` rows, half of it at most (the
/// event log needs the rest), none when that would be a single row, and six at most.
pub fn chart_rows(height: usize, used: usize) -> usize {
    match height.saturating_sub(used) / 2 {
        0 | 1 => 0,
        rows => rows.min(6),
    }
}

/// A bar of `width` cells, `#` for the filled share of `value / max` and `.` for the rest.
pub fn meter(value: f64, max: f64, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let share = if max > 0.0 && value.is_finite() {
        (value / max).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let filled = (share * width as f64).round() as usize;
    format!("{}{}", "#".repeat(filled), ".".repeat(width - filled))
}

/// A column chart of the last `width` values, `height` rows tall, top row first. Full cells
/// are `#`; the top of a column shows `:` for at least half a cell and `.` for less.
pub fn column_chart(values: &[f64], width: usize, height: usize) -> Vec<String> {
    if width == 0 || height == 0 {
        return Vec::new();
    }
    let shown = &values[values.len().saturating_sub(width)..];
    let max = shown.iter().copied().fold(0.0_f64, f64::max);
    (0..height)
        .map(|row| {
            let level = (height - row - 1) as f64;
            shown
                .iter()
                .map(|&v| {
                    let cells = if max > 0.0 {
                        v.max(0.0) / max * height as f64
                    } else {
                        0.0
                    };
                    match cells - level {
                        x if x >= 1.0 => '#',
                        x if x >= 0.5 => ':',
                        x if x > 0.0 => '.',
                        _ => ' ',
                    }
                })
                .collect()
        })
        .collect()
}

/// A chart with its title and scale: `title (max N)`, then `rows` rows of columns indented
/// under it, one column per value, newest on the right.
pub fn titled_chart(
    title: &str,
    values: &[f64],
    width: usize,
    rows: usize,
    style: Style,
    theme: &Theme,
) -> Vec<Line<'static>> {
    if rows == 0 {
        return Vec::new();
    }
    const INDENT: usize = 2;
    let max = values.iter().copied().fold(0.0_f64, f64::max);
    // Small counts get a row each rather than stretched columns.
    let rows = rows.min(max.ceil().max(1.0) as usize);
    let max = (max * 100.0).round() / 100.0;
    let mut lines = vec![Line::styled(format!("{title} (max {max})"), theme.dim())];
    for row in column_chart(values, width.saturating_sub(INDENT), rows) {
        lines.push(Line::from(vec![
            Span::raw(" ".repeat(INDENT)),
            Span::styled(row, style),
        ]));
    }
    lines
}

/// Pad with spaces or cut to exactly `width` characters. Widget text is ASCII and box
/// drawing, one cell per character.
pub fn fit(text: &str, width: usize) -> String {
    let mut out: String = text.chars().take(width).collect();
    let len = out.chars().count();
    out.extend(std::iter::repeat_n(' ', width - len));
    out
}

/// The newest `n` log entries, newest first, as dim tick stamps and text.
pub fn log_lines<'a>(
    entries: impl DoubleEndedIterator<Item = &'a LogEntry>,
    n: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    entries
        .rev()
        .take(n)
        .map(|e| {
            Line::from(vec![
                Span::styled(format!("t{:<4} ", e.tick), theme.dim()),
                Span::raw(e.text.clone()),
            ])
        })
        .collect()
}

/// Share `rows` left under a diagram between two titled lists (each title takes a row):
/// the first list only when space is short, both once there are eight rows or more.
pub fn split_rest(rows: usize) -> (usize, usize) {
    match rows {
        0 | 1 => (0, 0),
        r if r < 8 => (r - 1, 0),
        r => {
            let first = (r - 2) / 2;
            (first, r - 2 - first)
        }
    }
}

/// A label and a value, for the rows of counters under each diagram.
pub fn stat(label: &str, value: impl std::fmt::Display, style: Style) -> Vec<Span<'static>> {
    vec![
        Span::raw(format!("{label} ")),
        Span::styled(value.to_string(), style),
        Span::raw("  "),
    ]
}

const SERIES: [Color; 8] = [
    Color::Cyan,
    Color::Magenta,
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::LightRed,
    Color::LightGreen,
    Color::LightMagenta,
];

/// A colour per entity (node, revision); without colour the entity's letter or label
/// alone tells them apart.
pub fn series_style(theme: &Theme, index: usize) -> Style {
    if theme.color {
        Style::default().fg(SERIES[index % SERIES.len()])
    } else {
        Style::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn meter_fills_its_share() {
        assert_eq!(meter(5.0, 10.0, 10), "#####.....");
        assert_eq!(meter(20.0, 10.0, 4), "####");
        assert_eq!(meter(1.0, 0.0, 3), "...");
        assert_eq!(meter(f64::NAN, 1.0, 2), "..");
    }

    #[test]
    fn column_chart_scales_to_the_largest_value() {
        let rows = column_chart(&[0.0, 1.0, 2.0, 4.0], 4, 2);
        assert_eq!(rows, vec!["   #", " :##"]);
    }

    proptest! {
        #[test]
        fn chart_rows_are_exactly_as_wide_as_the_values_shown(
            values in prop::collection::vec(0.0f64..1e6, 0..300),
            width in 0usize..200,
            height in 0usize..12,
        ) {
            let rows = column_chart(&values, width, height);
            prop_assert_eq!(rows.len(), if width == 0 { 0 } else { height });
            for row in rows {
                prop_assert_eq!(row.chars().count(), values.len().min(width));
            }
        }

        #[test]
        fn fit_is_exact(text in "[ -~]{0,50}", width in 0usize..60) {
            prop_assert_eq!(fit(&text, width).chars().count(), width);
        }
    }
}
