//! Drawing pieces the simulation widgets share: a bordered panel, text meters and column
//! charts in ASCII, so every widget reads the same with and without colour.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    style::{Color, Style},
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph, Widget, Wrap},
};

use crate::sim::summary::LogEntry;
use crate::theme::Theme;

/// Panes at least this tall get a full border; shorter ones only a titled rule on top, so the
/// few rows a pane under the lesson text has go to the simulation.
pub const FULL_FRAME: u16 = 10;

/// Draw a titled border when there is room for one (a titled top rule in a short pane), and
/// return the area inside it. Clips `area` to the buffer first, so a widget can never write
/// outside it.
pub fn panel(area: Rect, buf: &mut Buffer, theme: &Theme, title: &str) -> Rect {
    let area = area.intersection(*buf.area());
    if area.width < 12 || area.height < 5 {
        return area;
    }
    let block = if area.height < FULL_FRAME {
        Block::new().borders(Borders::TOP)
    } else {
        Block::bordered()
    };
    let title = if area.height < FULL_FRAME {
        // No corner to start the rule from: a dash first, so the title reads as a rule.
        Line::from(vec![
            Span::styled("─", theme.border()),
            Span::styled(format!(" {title} "), theme.title()),
        ])
    } else {
        Line::from(Span::styled(format!(" {title} "), theme.title()))
    };
    let block = block.border_style(theme.border()).title(title);
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
    // The scale first when the whole title does not fit, so the cut takes words, not it.
    let full = format!("{title} (max {max})");
    let heading = if full.len() <= width {
        full
    } else {
        format!("max {max}: {title}")
    };
    let mut lines = vec![Line::styled(heading, theme.dim())];
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

/// The newest log entries, newest first, in at most `rows` rows of `width`: a long entry wraps
/// onto rows indented under its text, so a roomy pane shows it whole; the oldest entry shown
/// is cut at the last row.
pub fn log_rows<'a>(
    entries: impl DoubleEndedIterator<Item = &'a LogEntry>,
    rows: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::with_capacity(rows);
    for e in entries.rev() {
        if lines.len() >= rows {
            break;
        }
        let stamp = format!("t{:<4} ", e.tick);
        let indent = stamp.len();
        let room = width.saturating_sub(indent);
        let parts: Vec<String> = if room >= 16 && e.text.len() > room {
            textwrap::wrap(&e.text, room)
                .into_iter()
                .map(|p| p.into_owned())
                .collect()
        } else {
            vec![e.text.clone()]
        };
        for (i, part) in parts.into_iter().enumerate() {
            if lines.len() >= rows {
                break;
            }
            let head = if i == 0 {
                Span::styled(stamp.clone(), theme.dim())
            } else {
                Span::raw(" ".repeat(indent))
            };
            lines.push(Line::from(vec![head, Span::raw(part)]));
        }
    }
    lines
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

/// Lay `chunks` (each a few spans that belong together) out in rows of `width`, `gap` spaces
/// apart, starting a new row where the next chunk would not fit; a chunk wider than a row is
/// cut. So a status line reads whole in a narrow pane, over two rows, instead of losing its end.
pub fn flow(chunks: Vec<Vec<Span<'static>>>, width: usize, gap: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for chunk in chunks {
        let w: usize = chunk.iter().map(|s| s.width()).sum();
        if w == 0 {
            continue;
        }
        if !row.is_empty() && used + gap + w > width {
            lines.push(Line::from(std::mem::take(&mut row)));
            used = 0;
        }
        if !row.is_empty() {
            row.push(Span::raw(" ".repeat(gap)));
            used += gap;
        }
        row.extend(chunk);
        used += w;
    }
    if !row.is_empty() {
        lines.push(Line::from(row));
    }
    lines
}

/// One counter for `counters`: the label, a shorter label for narrow panes, the value and
/// its style.
pub type Counter = (&'static str, &'static str, String, Style);

/// Counters, `label value` each: on one row with the long labels when they fit in `width`,
/// else with the short ones, else over as many rows as they need, so that none is cut off.
pub fn counters(items: &[Counter], width: usize) -> Vec<Line<'static>> {
    let chunk = |short: bool, (long, brief, value, style): &Counter| -> Vec<Span<'static>> {
        let label = if short { brief } else { long };
        let mut spans = Vec::new();
        if !label.is_empty() {
            spans.push(Span::raw(format!("{label} ")));
        }
        spans.push(Span::styled(value.clone(), *style));
        spans
    };
    let chunks = |short: bool| items.iter().map(|item| chunk(short, item)).collect();
    for (short, gap) in [(false, 2), (true, 2), (true, 1)] {
        let lines = flow(chunks(short), width, gap);
        if lines.len() <= 1 {
            return lines;
        }
    }
    flow(chunks(true), width, 2)
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
    fn counters_shorten_their_labels_to_fit() {
        let items: Vec<Counter> = vec![
            ("answered", "ok", "64".into(), Style::default()),
            ("errors", "err", "0".into(), Style::default()),
        ];
        let text = |width| -> Vec<String> {
            counters(&items, width)
                .iter()
                .map(|l| l.to_string())
                .collect()
        };
        assert_eq!(text(80), ["answered 64  errors 0"]);
        assert_eq!(text(14), ["ok 64  err 0"]);
        assert_eq!(text(11), ["ok 64 err 0"]);
        assert_eq!(text(9), ["ok 64", "err 0"]);
    }

    #[test]
    fn flow_starts_a_row_where_a_chunk_would_not_fit() {
        let chunk = |t: &str| vec![Span::raw(t.to_string())];
        let text = |width| -> Vec<String> {
            flow(
                vec![
                    chunk("deployment web"),
                    chunk("revision 2"),
                    chunk("STALLED"),
                ],
                width,
                2,
            )
            .iter()
            .map(|l| l.to_string())
            .collect()
        };
        assert_eq!(text(80), ["deployment web  revision 2  STALLED"]);
        assert_eq!(text(30), ["deployment web  revision 2", "STALLED"]);
        assert_eq!(text(12), ["deployment web", "revision 2", "STALLED"]);
    }

    #[test]
    fn long_log_entries_wrap_under_their_text() {
        let entries = [
            LogEntry {
                tick: 3,
                text: "old".into(),
            },
            LogEntry {
                tick: 7,
                text: "a long entry that wraps onto a second row".into(),
            },
        ];
        let text = |rows| -> Vec<String> {
            log_rows(entries.iter(), rows, 30, &Theme::MONO)
                .iter()
                .map(|l| l.to_string())
                .collect()
        };
        assert_eq!(
            text(5),
            [
                "t7    a long entry that wraps",
                "      onto a second row",
                "t3    old"
            ]
        );
        assert_eq!(text(1), ["t7    a long entry that wraps"]);
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
