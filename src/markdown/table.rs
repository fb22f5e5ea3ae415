//! Tables fitted to the width: columns shrink (prose columns first, as they wrap best),
//! cells wrap inside their column, and borders are box drawing. A table that would have to
//! break ordinary words to fit is shown as one record per row instead, which reads better
//! than a grid of word fragments.

use pulldown_cmark::Alignment;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::tree::{Cell, Piece, Table};
use super::wrap::{self, LinkMarks, text_width};
use crate::theme::Theme;

/// Below this a column wraps so often the table stops being readable.
const MIN_COLUMN: usize = 4;
/// Words up to this wide (most prose and identifiers) should never be broken inside a
/// cell: a table that cannot keep them whole is shown as records instead. Longer words,
/// such as URLs, may break.
const WHOLE_WORD: usize = 16;

/// The table's lines, and where the in-page links in its cells landed.
pub fn layout(table: &Table, width: usize, theme: &Theme) -> (Vec<Line<'static>>, LinkMarks) {
    let columns = table.columns();
    if columns == 0 {
        return (Vec::new(), LinkMarks::default());
    }
    let header = bold(&table.header);
    let grid: Vec<&[Cell]> = std::iter::once(header.as_slice())
        .chain(table.rows.iter().map(Vec::as_slice))
        .collect();
    let mut natural = vec![0; columns];
    let mut longest_word = vec![0; columns];
    for row in &grid {
        for (column, cell) in row.iter().enumerate() {
            let measure = measure(cell);
            natural[column] = natural[column].max(measure.natural);
            longest_word[column] = longest_word[column].max(measure.longest_word);
        }
    }
    let overhead = 3 * columns + 1;
    let smallest: usize = natural
        .iter()
        .zip(&longest_word)
        .map(|(&n, &w)| w.min(WHOLE_WORD).max(n.clamp(1, MIN_COLUMN)))
        .sum();
    if width < overhead + smallest {
        return records(&header, &table.rows, width, theme);
    }
    let widths = fit_columns(&natural, &longest_word, width - overhead);
    draw(&grid, &widths, &table.alignments, theme)
}

fn bold(cells: &[Cell]) -> Vec<Cell> {
    cells
        .iter()
        .map(|cell| {
            cell.iter()
                .map(|piece| match piece {
                    Piece::Text(text, style) => {
                        Piece::Text(text.clone(), style.add_modifier(Modifier::BOLD))
                    }
                    other => other.clone(),
                })
                .collect()
        })
        .collect()
}

#[derive(Debug, PartialEq)]
struct Measure {
    /// Width on one line (between hard breaks), spaces collapsed as wrapping does.
    natural: usize,
    longest_word: usize,
}

fn measure(cell: &[Piece]) -> Measure {
    let mut m = Measure {
        natural: 0,
        longest_word: 0,
    };
    let mut line = 0;
    let mut word = 0;
    let mut space = false;
    let end_word = |line: &mut usize, word: &mut usize, space: &mut bool, m: &mut Measure| {
        if *word > 0 {
            *line += *word + usize::from(*space && *line > 0);
            m.longest_word = m.longest_word.max(*word);
            m.natural = m.natural.max(*line);
            *word = 0;
            *space = false;
        }
    };
    for piece in cell {
        match piece {
            Piece::Text(text, _) => {
                for part in text.split_inclusive([' ', '\t', '\n']) {
                    let trimmed = part.trim_end_matches([' ', '\t', '\n']);
                    word += text_width(trimmed);
                    if trimmed.len() < part.len() {
                        end_word(&mut line, &mut word, &mut space, &mut m);
                        space = true;
                    }
                }
            }
            Piece::Break => {
                end_word(&mut line, &mut word, &mut space, &mut m);
                line = 0;
                space = false;
            }
            Piece::Link(_) | Piece::LinkEnd(_) => {}
        }
    }
    end_word(&mut line, &mut word, &mut space, &mut m);
    m
}

/// Column widths summing to at most `available`: natural widths when they fit; otherwise
/// every column keeps its longest word (up to `WHOLE_WORD`: a long URL is not owed its
/// whole length at the other columns' expense) and the rest of the space goes to columns
/// in proportion to how much they would still like; when even those words do not fit,
/// words break and columns share the space in proportion to their longest word.
pub fn fit_columns(natural: &[usize], longest_word: &[usize], available: usize) -> Vec<usize> {
    let natural: Vec<usize> = natural.iter().map(|&n| n.max(1)).collect();
    if natural.iter().sum::<usize>() <= available {
        return natural;
    }
    let word: Vec<usize> = natural
        .iter()
        .zip(longest_word)
        .map(|(&n, &w)| w.min(WHOLE_WORD).clamp(1, n))
        .collect();
    if word.iter().sum::<usize>() <= available {
        return distribute(&word, &natural, available);
    }
    let base: Vec<usize> = natural.iter().map(|&n| n.min(MIN_COLUMN)).collect();
    if base.iter().sum::<usize>() <= available {
        return distribute(&base, &word, available);
    }
    // Narrower than the caller allows for; still never wider than `available`.
    let share = (available / natural.len()).max(1);
    natural.iter().map(|&n| n.min(share)).collect()
}

/// Grow each column from `base` toward `cap` (never below `base`) using
/// `available - sum(base)` columns, in proportion to each column's shortfall.
fn distribute(base: &[usize], cap: &[usize], available: usize) -> Vec<usize> {
    let cap: Vec<usize> = cap.iter().zip(base).map(|(&c, &b)| c.max(b)).collect();
    let budget = available.saturating_sub(base.iter().sum());
    let shortfall: Vec<usize> = cap.iter().zip(base).map(|(&c, &b)| c - b).collect();
    let total: usize = shortfall.iter().sum();
    if total <= budget {
        return cap;
    }
    let mut widths: Vec<usize> = base
        .iter()
        .zip(&shortfall)
        .map(|(&b, &s)| b + budget * s / total)
        .collect();
    let mut left = available.saturating_sub(widths.iter().sum());
    while left > 0 {
        // Largest remaining shortfall first; the rounding leftovers are fewer than columns.
        let Some(column) = (0..widths.len())
            .filter(|&c| widths[c] < cap[c])
            .max_by_key(|&c| cap[c] - widths[c])
        else {
            break;
        };
        widths[column] += 1;
        left -= 1;
    }
    widths
}

fn draw(
    grid: &[&[Cell]],
    widths: &[usize],
    alignments: &[Alignment],
    theme: &Theme,
) -> (Vec<Line<'static>>, LinkMarks) {
    let border = theme.border();
    fn cell(row: &[Cell], column: usize) -> &[Piece] {
        row.get(column).map_or(&[], Vec::as_slice)
    }
    // Rules between rows keep wrapped rows apart. They cost a full-width line per row, so
    // they are drawn only when wrapped rows are common: one tall row among thousands of
    // one-line rows must not add a rule per row (output many times the table's text).
    let tall = grid
        .iter()
        .skip(1)
        .filter(|row| {
            widths
                .iter()
                .enumerate()
                .any(|(c, &w)| wraps(cell(row, c), w))
        })
        .count();
    let tall_rows = tall > 0 && tall * 4 >= grid.len().saturating_sub(1);
    let mut lines = Vec::with_capacity(grid.len() * (1 + usize::from(tall_rows)) + 2);
    lines.push(rule(widths, ['┌', '─', '┬', '┐'], border));
    let mut marks = LinkMarks::default();
    // Row by row: a table of thousands of rows never holds all its cells wrapped at once.
    for (index, row) in grid.iter().enumerate() {
        if index == 1 {
            lines.push(rule(widths, ['╞', '═', '╪', '╡'], border));
        } else if index > 1 && tall_rows {
            lines.push(rule(widths, ['├', '─', '┼', '┤'], border));
        }
        let (wrapped, links): (Vec<_>, Vec<_>) = widths
            .iter()
            .enumerate()
            .map(|(c, &w)| wrap::wrap_marked(cell(row, c), w))
            .unzip();
        let top = lines.len();
        let (row, starts) = row_lines(wrapped, widths, alignments, border);
        for (column, cell) in links.into_iter().enumerate() {
            // A cell's line k starts `starts[k][column]` characters into the row's line k.
            for span in cell.spans {
                let shift = starts
                    .get(span.line)
                    .and_then(|s| s.get(column))
                    .copied()
                    .unwrap_or(0);
                marks.spans.push(wrap::LinkSpan {
                    line: top + span.line,
                    chars: span.chars.start + shift..span.chars.end + shift,
                    ..span
                });
            }
            marks
                .starts
                .extend(cell.starts.into_iter().map(|(id, line)| (id, top + line)));
        }
        lines.extend(row);
    }
    lines.push(rule(widths, ['└', '─', '┴', '┘'], border));
    (lines, marks)
}

/// Whether `cell` takes more than one line in a column `width` wide. Most cells of a big
/// table are short: those are told by measuring, without wrapping them.
fn wraps(cell: &[Piece], width: usize) -> bool {
    let has_break = cell.iter().any(|p| matches!(p, Piece::Break));
    if !has_break && measure(cell).natural <= width {
        return false;
    }
    wrap::wrap(cell, width).len() > 1
}

fn rule(widths: &[usize], [left, fill, joint, right]: [char; 4], style: Style) -> Line<'static> {
    let mut text = String::new();
    text.push(left);
    for (i, &w) in widths.iter().enumerate() {
        if i > 0 {
            text.push(joint);
        }
        text.extend(std::iter::repeat_n(fill, w + 2));
    }
    text.push(right);
    Line::from(Span::styled(text, style))
}

/// The lines of one row, and for each line the character where each cell's text starts.
fn row_lines(
    cells: Vec<Vec<Line<'static>>>,
    widths: &[usize],
    alignments: &[Alignment],
    border: Style,
) -> (Vec<Line<'static>>, Vec<Vec<usize>>) {
    let height = cells.iter().map(Vec::len).max().unwrap_or(1);
    let mut cells: Vec<_> = cells.into_iter().map(Vec::into_iter).collect();
    let mut starts = Vec::with_capacity(height);
    let lines = (0..height)
        .map(|_| {
            // Spans of one style are joined: a big table's lines are most of a lesson's
            // memory, and a span per border and per padding would double it.
            let mut spans = Vec::with_capacity(2 * cells.len() + 1);
            join(&mut spans, Span::styled("│ ", border));
            let mut chars = 2;
            let mut line_starts = Vec::with_capacity(cells.len());
            for (c, cell) in cells.iter_mut().enumerate() {
                if c > 0 {
                    join(&mut spans, Span::styled(" │ ", border));
                    chars += 3;
                }
                let line = cell.next().unwrap_or_default();
                let alignment = alignments.get(c).copied().unwrap_or(Alignment::None);
                let (before, cell_spans) = aligned(line, widths[c], alignment);
                line_starts.push(chars + before);
                for span in cell_spans {
                    chars += span.content.chars().count();
                    join(&mut spans, span);
                }
            }
            join(&mut spans, Span::styled(" │", border));
            spans.shrink_to_fit();
            starts.push(line_starts);
            Line::from(spans)
        })
        .collect();
    (lines, starts)
}

/// Append `span`, into the last span when they share a style.
fn join(spans: &mut Vec<Span<'static>>, span: Span<'static>) {
    match spans.last_mut() {
        Some(last) if last.style == span.style => last.content.to_mut().push_str(&span.content),
        _ => spans.push(span),
    }
}

/// The cell's line padded to its column, and the spaces put before its text.
fn aligned(
    line: Line<'static>,
    column_width: usize,
    alignment: Alignment,
) -> (usize, Vec<Span<'static>>) {
    let gap = column_width.saturating_sub(line.width());
    let (before, after) = match alignment {
        Alignment::Right => (gap, 0),
        Alignment::Center => (gap / 2, gap - gap / 2),
        Alignment::Left | Alignment::None => (0, gap),
    };
    let mut spans = Vec::with_capacity(line.spans.len() + 2);
    if before > 0 {
        spans.push(Span::raw(" ".repeat(before)));
    }
    spans.extend(line.spans);
    if after > 0 {
        spans.push(Span::raw(" ".repeat(after)));
    }
    (before, spans)
}

/// The narrow-screen form: each row as "Header: value" lines, rows divided by a rule.
fn records(
    header: &[Cell],
    rows: &[Vec<Cell>],
    width: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, LinkMarks) {
    let mut lines = Vec::new();
    let mut marks = LinkMarks::default();
    // Dotted, so it does not read as a horizontal rule of the document.
    // Short: it is repeated for every row, however little the row holds.
    let divider = Line::from(Span::styled("┈".repeat(width.min(24)), theme.border()));
    let empty = Cell::new();
    for (index, row) in rows.iter().enumerate() {
        if index > 0 {
            lines.push(divider.clone());
        }
        let columns = row.len().max(header.len());
        for column in 0..columns {
            let cell = row.get(column).unwrap_or(&empty);
            // The parser pads short rows with empty cells: listing those would repeat
            // every header once per row, output quadratic in a few bytes of input.
            if is_blank(cell) {
                continue;
            }
            let mut pieces = label(header.get(column).unwrap_or(&empty));
            if !pieces.is_empty() {
                pieces.push(Piece::Text(": ".into(), Style::default()));
            }
            pieces.extend(cell.iter().cloned());
            let (laid, links) = wrap::wrap_marked(&pieces, width);
            marks.extend(links.shifted(lines.len(), 0));
            lines.extend(laid);
        }
        if lines.last() == Some(&divider) {
            // A row with nothing in it.
            lines.pop();
        }
    }
    if rows.is_empty() {
        let (laid, links) = wrap::wrap_marked(
            &header.join(&Piece::Text(" · ".into(), Style::default())),
            width,
        );
        marks.extend(links.shifted(lines.len(), 0));
        lines.extend(laid);
    }
    (lines, marks)
}

fn is_blank(cell: &[Piece]) -> bool {
    cell.iter().all(|p| match p {
        Piece::Text(text, _) => text.trim().is_empty(),
        Piece::Break | Piece::Link(_) | Piece::LinkEnd(_) => true,
    })
}

/// A header as the label of a record line: at most `MAX_LABEL` characters, since it is
/// repeated for every row.
fn label(header: &[Piece]) -> Vec<Piece> {
    const MAX_LABEL: usize = 40;
    let mut left = MAX_LABEL;
    let mut out = Vec::new();
    for piece in header {
        match piece {
            Piece::Text(text, style) => {
                let count = text.chars().count();
                if count > left {
                    let cut: String = text.chars().take(left).collect();
                    out.push(Piece::Text(format!("{cut}…"), *style));
                    return out;
                }
                left -= count;
                out.push(piece.clone());
            }
            Piece::Break => out.push(Piece::Text(" ".into(), Style::default())),
            Piece::Link(_) | Piece::LinkEnd(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(s: &str) -> Cell {
        vec![Piece::Text(s.to_string(), Style::default())]
    }

    #[test]
    fn measure_collapses_spaces_and_honours_breaks() {
        let m = measure(&cell("ab  cde f"));
        assert_eq!(
            m,
            Measure {
                natural: 8,
                longest_word: 3
            }
        );
        let broken = vec![
            Piece::Text("one two".into(), Style::default()),
            Piece::Break,
            Piece::Text("three".into(), Style::default()),
        ];
        assert_eq!(
            measure(&broken),
            Measure {
                natural: 7,
                longest_word: 5
            }
        );
    }

    #[test]
    fn natural_widths_when_they_fit() {
        assert_eq!(fit_columns(&[5, 10], &[5, 4], 20), [5, 10]);
    }

    #[test]
    fn shrinking_keeps_longest_words_whole() {
        let widths = fit_columns(&[10, 40], &[10, 8], 30);
        assert_eq!(widths.iter().sum::<usize>(), 30);
        assert_eq!(widths[0], 10, "the short column keeps its width");
    }

    #[test]
    fn words_break_only_when_they_must() {
        let widths = fit_columns(&[30, 30], &[20, 20], 20);
        assert!(widths.iter().sum::<usize>() <= 20);
        assert!(widths.iter().all(|&w| w >= MIN_COLUMN));
    }

    proptest::proptest! {
        #[test]
        fn fitted_columns_never_exceed_the_space(
            columns in proptest::collection::vec((1usize..80, 0usize..80), 1..10),
            available in 0usize..200,
        ) {
            let natural: Vec<usize> = columns.iter().map(|c| c.0).collect();
            let words: Vec<usize> = columns.iter().map(|c| c.1).collect();
            let widths = fit_columns(&natural, &words, available);
            proptest::prop_assert_eq!(widths.len(), natural.len());
            proptest::prop_assert!(widths.iter().all(|&w| w >= 1));
            for (w, n) in widths.iter().zip(&natural) {
                proptest::prop_assert!(w <= n, "a column grew past its natural width");
            }
            if available >= natural.len() {
                proptest::prop_assert!(widths.iter().sum::<usize>() <= available);
            }
        }
    }

    #[test]
    fn row_lines_join_spans_of_one_style() {
        // Thousands of short rows: each line is a border span and a text span per column
        // (padding joins its text), not a span per border, text and padding.
        let table = Table {
            alignments: vec![Alignment::None, Alignment::Right, Alignment::Center],
            header: ["Row", "Value", "State"].map(cell).to_vec(),
            rows: (0..1_000)
                .map(|i| {
                    [format!("r{i}"), format!("{i}"), "ok".into()]
                        .map(|s| cell(&s))
                        .to_vec()
                })
                .collect(),
        };
        let (lines, _) = layout(&table, 80, &Theme::COLOR);
        assert_eq!(lines.len(), 1_000 + 4);
        for line in &lines[3..lines.len() - 1] {
            assert!(line.spans.len() <= 2 * 3 + 1, "{line:?}");
        }
        assert_eq!(lines[4].to_string(), "│ r1   │     1 │  ok   │");
    }

    #[test]
    fn records_when_columns_cannot_fit() {
        let table = Table {
            alignments: vec![Alignment::None; 4],
            header: ["alpha", "beta", "gamma", "delta"].map(cell).to_vec(),
            rows: vec![["1", "2", "3", "4"].map(cell).to_vec()],
        };
        let (lines, _) = layout(&table, 12, &Theme::MONO);
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(text, ["alpha: 1", "beta: 2", "gamma: 3", "delta: 4"]);
    }
}
