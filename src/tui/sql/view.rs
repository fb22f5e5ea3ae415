//! Draws the console. Pure: reads the console and writes only to the frame.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::SqlConsole;
use super::layout::ConsoleLayout;
use super::worker::{LastStatement, RunOutcome, RunResult, SHOWN_ROWS};
use crate::markdown::sanitize;
use crate::sql::plan::PlanStep;
use crate::text::{fit, pad_between};
use crate::theme::Theme;

/// The keys the footer offers, most useful first (it drops what does not fit).
pub const FOOTER_KEYS: &[(&str, &str)] = &[
    ("Ctrl-R/F5", "run"),
    ("Ctrl-E", "plan"),
    ("Ctrl-D", "dataset"),
    ("F1", "help"),
    ("Esc", "back"),
    ("Ctrl-P/N", "history"),
    ("PgDn", "results"),
    ("Ctrl-O", "fresh copy"),
    ("Ctrl-L", "clear"),
];

/// `title` names where the console was opened from (the lesson); `flash` is the footer's
/// passing message.
pub fn draw(
    console: &SqlConsole,
    title: &str,
    flash: Option<&str>,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let layout = ConsoleLayout::compute(area, console);
    let dataset = console.dataset();
    let right = format!(" dataset {} · Ctrl-D switches ", dataset.name);
    frame.render_widget(
        Line::styled(
            pad_between(
                &format!(" {} › SQL console", sanitize(title)),
                &right,
                area.width as usize,
            ),
            theme.title(),
        ),
        layout.header,
    );
    draw_editor(console, theme, frame, layout.editor);
    let sideways = draw_results(
        console,
        theme,
        frame,
        layout.results,
        layout.tables.is_none(),
    );
    frame.render_widget(
        status_line(console, theme, sideways, area.width as usize),
        layout.status,
    );
    if let Some(pane) = layout.tables {
        draw_tables(console, theme, frame, pane);
    }
    crate::tui::view::footer::draw(frame, layout.footer, FOOTER_KEYS, flash, theme);
}

fn draw_editor(console: &SqlConsole, theme: &Theme, frame: &mut Frame, area: Rect) {
    let editor = &console.editor;
    let (row, col) = editor.cursor();
    let position = format!(" {}:{} ", row + 1, col + 1);
    let history = console
        .history
        .position()
        .map(|(at, of)| format!(" history {at}/{of} "))
        .unwrap_or_default();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused())
        .title(" Query ")
        .title_bottom(Line::from(format!("{history}{position}")).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width < 4 || inner.height == 0 {
        return;
    }
    let lines = editor.lines();
    let gutter = lines.len().to_string().len() + 1;
    let room = (inner.width as usize).saturating_sub(gutter + 1).max(1);
    // The view follows the cursor: the first line and column shown keep it inside.
    let top = row.saturating_sub(inner.height as usize - 1);
    let cursor_x: usize = lines[row].chars().take(col).filter_map(|c| c.width()).sum();
    let left = (cursor_x + 1).saturating_sub(room);
    let error = error_in_editor(console);
    let shown: Vec<Line> = lines
        .iter()
        .enumerate()
        .skip(top)
        .take(inner.height as usize)
        .map(|(n, text)| {
            let mut spans = vec![Span::styled(
                format!("{:>width$} ", n + 1, width = gutter - 1),
                theme.dim(),
            )];
            let mut x = 0;
            for (i, c) in text.chars().enumerate() {
                let w = c.width().unwrap_or(0);
                if x >= left && x + w <= left + room {
                    let style = if error == Some((n, i)) {
                        theme
                            .bad()
                            .add_modifier(Modifier::UNDERLINED | Modifier::REVERSED)
                    } else {
                        Style::default()
                    };
                    spans.push(Span::styled(c.to_string(), style));
                }
                x += w;
            }
            // An error at the end of a line (an unfinished statement) marks the end.
            if error == Some((n, text.chars().count())) {
                spans.push(Span::styled(
                    " ",
                    theme.bad().add_modifier(Modifier::REVERSED),
                ));
            }
            Line::from(spans)
        })
        .collect();
    let text_area = Rect {
        x: inner.x + 1,
        width: inner.width - 1,
        ..inner
    };
    frame.render_widget(Paragraph::new(shown), text_area);
    if console.editor.is_blank() && lines.len() == 1 {
        let hint = fit(
            "type SQL here, e.g. SELECT * FROM customers LIMIT 10; Ctrl-R runs it",
            room,
        );
        frame.render_widget(
            Line::styled(hint, theme.dim()),
            Rect {
                x: text_area.x + gutter as u16 + 1,
                width: room as u16,
                height: 1,
                ..text_area
            },
        );
    }
    let x = text_area.x as usize + gutter + cursor_x - left;
    let y = inner.y as usize + row - top;
    frame.set_cursor_position(Position::new(x as u16, y as u16));
}

/// The editor cell SQLite's error points at, when the editor still holds the failed text.
fn error_in_editor(console: &SqlConsole) -> Option<(usize, usize)> {
    let last = console.last.as_ref()?;
    let RunOutcome::Failed { error, .. } = &last.outcome else {
        return None;
    };
    (last.sql == console.editor.text())
        .then(|| (error.line.saturating_sub(1), error.col.saturating_sub(1)))
}

fn status_line(
    console: &SqlConsole,
    theme: &Theme,
    sideways: Sideways,
    width: usize,
) -> Line<'static> {
    let dataset = console.dataset().name;
    if console.running.is_some() {
        return Line::styled(
            fit(&format!(" running on {dataset}…"), width),
            theme.accent(),
        );
    }
    let Some(last) = &console.last else {
        return Line::styled(fit(&format!(" {dataset} is ready"), width), theme.dim());
    };
    let ms = |d: &std::time::Duration| match d.as_secs_f64() {
        s if s >= 1.0 => format!("{s:.2} s"),
        s => format!("{:.1} ms", s * 1000.0),
    };
    let (text, style) = match &last.outcome {
        RunOutcome::Ran {
            statements,
            last: statement,
            elapsed,
            ..
        } => {
            let what = match statement {
                LastStatement::Rows { total, .. } if *total > SHOWN_ROWS => {
                    format!("{} rows (the first {SHOWN_ROWS} shown)", thousands(*total))
                }
                LastStatement::Rows { total, .. } => {
                    format!("{} row{}", thousands(*total), plural(*total))
                }
                LastStatement::Changed(n) => {
                    format!(
                        "done, {} row{} changed",
                        thousands(*n as usize),
                        plural(*n as usize)
                    )
                }
            };
            let several = if *statements > 1 {
                format!("{statements} statements, the last: ")
            } else {
                String::new()
            };
            let view = if console.show_plan {
                " · plan (Ctrl-E rows)"
            } else {
                " · Ctrl-E plan"
            };
            let copy = if last.fresh { " (a fresh copy)" } else { "" };
            let more = match sideways {
                (false, false) => "",
                (false, true) => " · Shift-→ more columns",
                (true, true) => " · Shift-←→ more columns",
                (true, false) => " · Shift-← back",
            };
            (
                format!(
                    " ✓ {several}{what} · {} · {dataset}{copy}{view}{more}",
                    ms(elapsed)
                ),
                theme.good(),
            )
        }
        RunOutcome::Failed {
            ran,
            error,
            elapsed,
            ..
        } => {
            let after = match ran {
                0 => String::new(),
                n => format!(" · after {n} statement{} ran", plural(*n)),
            };
            (
                format!(
                    " ✗ error at line {}, column {}{after} · {}",
                    error.line,
                    error.col,
                    ms(elapsed)
                ),
                theme.bad(),
            )
        }
        RunOutcome::Empty if last.fresh => (
            format!(" ✓ a fresh copy of {dataset} is ready"),
            theme.good(),
        ),
        RunOutcome::Empty => (
            " nothing ran: the editor holds only blanks and comments".to_string(),
            theme.warn(),
        ),
        RunOutcome::Unavailable(_) => (format!(" ✗ {dataset} is unavailable"), theme.bad()),
    };
    Line::styled(fit(&text, width), style)
}

/// Which way the results go on past the area's edges: `(left, right)`.
type Sideways = (bool, bool);

fn draw_results(
    console: &SqlConsole,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    with_tables: bool,
) -> Sideways {
    if area.height == 0 || area.width < 4 {
        return (false, false);
    }
    let width = area.width.saturating_sub(2) as usize;
    let lines = result_lines(console, width, with_tables, theme);
    let most = lines.len().saturating_sub(area.height as usize);
    let scroll = console.scroll.min(most);
    // Sideways only as far as the widest line needs.
    let widest = lines.iter().map(Line::width).max().unwrap_or(0);
    let hscroll = console.hscroll.min(widest.saturating_sub(width));
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(area.height as usize)
        .map(|line| shift(line, hscroll))
        .collect();
    frame.render_widget(
        Paragraph::new(shown),
        Rect {
            x: area.x + 1,
            width: area.width - 2,
            ..area
        },
    );
    (hscroll > 0, widest > hscroll + width)
}

/// The dataset's tables and their columns, in a pane of their own at wide sizes.
fn draw_tables(console: &SqlConsole, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = Block::default()
        .borders(Borders::LEFT)
        .border_style(theme.border())
        .title(format!(" Tables of {} ", console.dataset().name));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for (table, columns) in tables_of(console.dataset().schema) {
        lines.push(Line::styled(table, theme.accent()));
        for part in textwrap::wrap(&columns.join(", "), width.saturating_sub(2).max(10)) {
            lines.push(Line::raw(format!("  {part}")));
        }
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(1),
            ..inner
        },
    );
}

/// Everything the results area would show, top to bottom, before scrolling. Before the
/// first run that is the dataset, with its tables unless they have a pane of their own.
pub fn result_lines(
    console: &SqlConsole,
    width: usize,
    with_tables: bool,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let Some(last) = &console.last else {
        return schema_lines(console, width, with_tables, theme);
    };
    match &last.outcome {
        RunOutcome::Ran { plan, .. } if console.show_plan => plan_lines(plan.as_deref(), theme),
        RunOutcome::Ran {
            last: LastStatement::Rows { rows, .. },
            ..
        } => {
            let table = crate::sql::format::table(rows, table_width(rows, width));
            let mut text: Vec<&str> = table.lines().collect();
            // The table's own "(n rows)" counts only the rows shown; the status line counts all.
            text.pop();
            let mut lines: Vec<Line> = text
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let style = match i {
                        0 => theme.title(),
                        1 => theme.dim(),
                        _ => Style::default(),
                    };
                    Line::styled(sanitize(l).into_owned(), style)
                })
                .collect();
            if rows.rows.is_empty() {
                lines.push(Line::styled("(no rows)", theme.dim()));
            }
            lines
        }
        RunOutcome::Ran {
            last: LastStatement::Changed(n),
            ..
        } => vec![Line::raw(format!(
            "The statement ran and changed {} row{}. Its changes stay in this copy of {} until \
             Ctrl-O starts a fresh one.",
            thousands(*n as usize),
            plural(*n as usize),
            console.dataset().name
        ))]
        .into_iter()
        .flat_map(|l| wrap_line(l, width))
        .collect(),
        RunOutcome::Failed { error, .. } => error_lines(last, error, width, theme),
        RunOutcome::Empty => Vec::new(),
        RunOutcome::Unavailable(problem) => wrap_line(
            Line::styled(format!("✗ {}", sanitize(problem)), theme.bad()),
            width,
        ),
    }
}

/// The narrowest a column is cut to before the table grows past the area instead (and
/// scrolls sideways): cut shorter, ids and amounts would no longer read as numbers.
const MIN_COLUMN: usize = 12;

/// The width to fit `rows` into: the area's, unless that would cut a column below
/// [`MIN_COLUMN`] (or its own width, if narrower).
pub(super) fn table_width(rows: &crate::sql::ResultSet, width: usize) -> usize {
    let natural = rows.columns.iter().enumerate().map(|(i, name)| {
        rows.rows
            .iter()
            .map(|row| row.get(i).map_or(0, |c| c.to_string().width()))
            .fold(name.width(), usize::max)
    });
    let least: usize = natural.map(|w| w.min(MIN_COLUMN)).sum::<usize>()
        + 3 * rows.columns.len().saturating_sub(1);
    width.max(least)
}

fn schema_lines(
    console: &SqlConsole,
    width: usize,
    with_tables: bool,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let dataset = console.dataset();
    let mut lines = wrap_line(
        Line::styled(
            format!("The {} dataset: {}", dataset.name, dataset.description),
            theme.title(),
        ),
        width,
    );
    lines.push(Line::default());
    let tables = if with_tables {
        tables_of(dataset.schema)
    } else {
        Vec::new()
    };
    let name_width = tables.iter().map(|(t, _)| t.width()).max().unwrap_or(0);
    for (table, columns) in tables {
        let room = width.saturating_sub(name_width + 2).max(10);
        for (i, part) in textwrap::wrap(&columns.join(", "), room).iter().enumerate() {
            let name = if i == 0 { table.as_str() } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{name:<name_width$}  "), theme.accent()),
                Span::raw(part.to_string()),
            ]));
        }
    }
    if with_tables {
        lines.push(Line::default());
    }
    lines.extend(wrap_line(
        Line::styled(
            "Type a query above and press Ctrl-R (or F5) to run it. Several statements run \
             in order and the last one's rows show here; CREATE INDEX and the like stay until \
             Ctrl-O. Ctrl-E shows the plan as a tree.",
            theme.dim(),
        ),
        width,
    ));
    lines
}

/// `(table, columns)` read from a dataset's `CREATE TABLE` statements.
fn tables_of(schema: &str) -> Vec<(String, Vec<String>)> {
    let mut tables: Vec<(String, Vec<String>)> = Vec::new();
    let mut inside = false;
    for line in schema.lines() {
        let line = line.split("--").next().unwrap_or_default().trim();
        let upper = line.to_ascii_uppercase();
        if let Some(rest) = upper.strip_prefix("CREATE TABLE ") {
            let name_len = rest.split([' ', '(']).next().unwrap_or_default().len();
            let start = "CREATE TABLE ".len();
            tables.push((line[start..start + name_len].to_string(), Vec::new()));
            inside = true;
        } else if line.starts_with(')') {
            inside = false;
        } else if inside
            && let Some(word) = line.split_whitespace().next()
            && !["PRIMARY", "FOREIGN", "UNIQUE", "CHECK", "CONSTRAINT"]
                .contains(&word.to_ascii_uppercase().as_str())
            && let Some((_, columns)) = tables.last_mut()
        {
            columns.push(word.trim_end_matches(',').to_string());
        }
    }
    tables
}

/// The plan as a tree, scans (a whole table read) marked apart from index searches.
fn plan_lines(plan: Option<&[PlanStep]>, theme: &Theme) -> Vec<Line<'static>> {
    let Some(steps) = plan.filter(|p| !p.is_empty()) else {
        return vec![Line::styled(
            "SQLite has no plan for the last statement: only queries and changes to rows have \
             one.",
            theme.dim(),
        )];
    };
    fn walk(
        steps: &[PlanStep],
        parent: i64,
        prefix: &str,
        theme: &Theme,
        out: &mut Vec<Line<'static>>,
    ) {
        let children: Vec<&PlanStep> = steps.iter().filter(|s| s.parent == parent).collect();
        for (i, step) in children.iter().enumerate() {
            let last = i + 1 == children.len();
            let style = if step.detail.starts_with("SCAN") {
                theme.warn()
            } else if step.detail.starts_with("SEARCH") {
                theme.good()
            } else {
                Style::default()
            };
            out.push(Line::from(vec![
                Span::styled(
                    format!("{prefix}{}", if last { "└─ " } else { "├─ " }),
                    theme.dim(),
                ),
                Span::styled(sanitize(&step.detail).into_owned(), style),
            ]));
            // A step is never its own parent; the guard keeps a malformed plan finite.
            if step.id != parent && out.len() < 10_000 {
                let deeper = format!("{prefix}{}", if last { "   " } else { "│  " });
                walk(steps, step.id, &deeper, theme, out);
            }
        }
    }
    let mut out = vec![Line::styled("QUERY PLAN", theme.title())];
    walk(steps, 0, "", theme, &mut out);
    out
}

/// SQLite's message, then the line it names with a caret under the column.
fn error_lines(
    last: &RunResult,
    error: &crate::sql::SqlError,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = wrap_line(
        Line::styled(format!("✗ {}", sanitize(&error.message)), theme.bad()),
        width,
    );
    let Some(source) = last.sql.lines().nth(error.line.saturating_sub(1)) else {
        return lines;
    };
    let number = error.line.to_string();
    let gutter = number.len() + 3;
    let room = width.saturating_sub(gutter).max(1);
    let chars: Vec<char> = sanitize(source).chars().collect();
    let col = error.col.saturating_sub(1);
    // A caret beyond the width: show the line from a little before it.
    let start = if col + 1 > room {
        col + 1 - room * 2 / 3
    } else {
        0
    };
    let shown: String = chars.iter().skip(start).collect();
    let caret_at: usize = chars
        .iter()
        .skip(start)
        .take(col - start.min(col))
        .filter_map(|c| c.width())
        .sum();
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled(format!("{number} │ "), theme.dim()),
        Span::raw(fit(&shown, room)),
    ]));
    lines.push(Line::from(vec![
        Span::styled(format!("{} │ ", " ".repeat(number.len())), theme.dim()),
        Span::styled(format!("{}^", " ".repeat(caret_at)), theme.bad()),
    ]));
    lines
}

/// `line` wrapped to `width` by words, keeping its style.
fn wrap_line(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let style = line.spans.first().map(|s| s.style).unwrap_or_default();
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    textwrap::wrap(&text, width.max(1))
        .into_iter()
        .map(|part| Line::styled(part.into_owned(), style))
        .collect()
}

/// `line` without its first `columns` cells: the results scrolled sideways.
fn shift(line: Line<'static>, columns: usize) -> Line<'static> {
    if columns == 0 {
        return line;
    }
    let mut skip = columns;
    let mut spans = Vec::new();
    for span in line.spans {
        let mut kept = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if skip >= w && skip > 0 {
                skip -= w;
            } else if skip > 0 {
                // A wide character cut in half: a space keeps the columns aligned.
                skip = 0;
                kept.push(' ');
            } else {
                kept.push(c);
            }
        }
        spans.push(Span::styled(kept, span.style));
    }
    Line::from(spans)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `12345` as `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_read_from_the_schema() {
        let tables = tables_of(crate::sql::datasets::find("shop").unwrap().schema);
        let customers = &tables[0];
        assert_eq!(customers.0, "customers");
        assert_eq!(
            customers.1,
            ["id", "name", "email", "country", "created_at"]
        );
        let items = tables.iter().find(|(t, _)| t == "order_items").unwrap();
        assert!(!items.1.contains(&"PRIMARY".to_string()));
    }

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn shifting_drops_leading_cells() {
        let line = shift(Line::raw("abcdef"), 2);
        assert_eq!(line.spans[0].content, "cdef");
    }
}
