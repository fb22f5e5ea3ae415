//! Printing result sets: an aligned table that fits the terminal, CSV (RFC 4180) or JSON.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::result_set::{Cell, ResultSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// The narrowest a column is squeezed to before the table is allowed to overflow.
const MIN_COLUMN: usize = 3;
const SEPARATOR: &str = " | ";

/// `rows` as an aligned table at most `width` columns wide (when the columns can fit at
/// all), numbers right-aligned, NULL written as `NULL`, long values cut with `…`, and the
/// row count underneath.
pub fn table(rows: &ResultSet, width: usize) -> String {
    let texts: Vec<Vec<String>> = rows
        .rows
        .iter()
        .map(|row| row.iter().map(|c| one_line(&c.to_string())).collect())
        .collect();
    let headers: Vec<String> = rows.columns.iter().map(|c| one_line(c)).collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in &texts {
        for (w, text) in widths.iter_mut().zip(row) {
            *w = (*w).max(text.width());
        }
    }
    fit(&mut widths, width);

    let mut out = String::new();
    let header: Vec<String> = headers
        .iter()
        .zip(&widths)
        .map(|(h, w)| pad(h, *w, false))
        .collect();
    out.push_str(header.join(SEPARATOR).trim_end());
    out.push('\n');
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&rule.join("-+-"));
    out.push('\n');
    for (row, cells) in texts.iter().zip(&rows.rows) {
        let line: Vec<String> = row
            .iter()
            .zip(cells)
            .zip(&widths)
            .map(|((text, cell), w)| {
                pad(text, *w, matches!(cell, Cell::Integer(_) | Cell::Real(_)))
            })
            .collect();
        out.push_str(line.join(SEPARATOR).trim_end());
        out.push('\n');
    }
    let n = rows.rows.len();
    out.push_str(&format!("({n} row{})\n", if n == 1 { "" } else { "s" }));
    out
}

/// Shrinks the widest columns, one character at a time, until the table fits `width`.
fn fit(widths: &mut [usize], width: usize) {
    let total = |widths: &[usize]| {
        widths.iter().sum::<usize>() + SEPARATOR.len() * widths.len().saturating_sub(1)
    };
    while total(widths) > width {
        let Some((i, w)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else {
            return;
        };
        if *w <= MIN_COLUMN {
            return;
        }
        widths[i] -= 1;
    }
}

fn pad(text: &str, width: usize, right: bool) -> String {
    let text = cut(text, width);
    let gap = " ".repeat(width.saturating_sub(text.width()));
    if right {
        format!("{gap}{text}")
    } else {
        format!("{text}{gap}")
    }
}

/// `text` cut to `width` columns, ending in `…` when cut.
fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Newlines and control characters would break the table (or drive the terminal).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// RFC 4180 CSV with a header row; NULL is an empty field.
pub fn csv(rows: &ResultSet) -> String {
    let mut out = String::new();
    let line = |fields: Vec<String>, out: &mut String| {
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    line(
        rows.columns.iter().map(|c| csv_field(c)).collect(),
        &mut out,
    );
    for row in &rows.rows {
        line(
            row.iter()
                .map(|c| match c {
                    Cell::Null => String::new(),
                    other => csv_field(&other.to_string()),
                })
                .collect(),
            &mut out,
        );
    }
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// `{"columns": [...], "rows": [[...], ...]}`, one row per line. Columns keep their order
/// and duplicates (`SELECT a.id, b.id`), which an object per row would lose.
pub fn json(rows: &ResultSet) -> String {
    let to = |v: &dyn erased::Json| v.json();
    let mut out = format!("{{\"columns\": {}, \"rows\": [", to(&rows.columns));
    for (i, row) in rows.rows.iter().enumerate() {
        out.push_str(if i == 0 { "\n  " } else { ",\n  " });
        out.push_str(&to(row));
    }
    if !rows.rows.is_empty() {
        out.push('\n');
    }
    out.push_str("]}\n");
    out
}

mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }

    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_else(|e| format!("\"{e}\""))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ResultSet {
        ResultSet {
            columns: vec!["id".into(), "name".into(), "note".into()],
            rows: vec![
                vec![Cell::Integer(1), Cell::Text("Ana".into()), Cell::Null],
                vec![
                    Cell::Integer(20),
                    Cell::Text("Bo, \"the\" second".into()),
                    Cell::Real(2.5),
                ],
            ],
        }
    }

    #[test]
    fn a_table_aligns_numbers_right_and_counts_rows() {
        assert_eq!(
            table(&sample(), 80),
            concat!(
                "id | name             | note\n",
                "---+------------------+-----\n",
                " 1 | Ana              | NULL\n",
                "20 | Bo, \"the\" second |  2.5\n",
                "(2 rows)\n"
            )
        );
    }

    #[test]
    fn a_narrow_table_cuts_the_widest_column() {
        let text = table(&sample(), 20);
        for line in text.lines() {
            assert!(line.width() <= 20, "{line:?} is wider than 20");
        }
        assert!(text.contains('…'));
    }

    #[test]
    fn csv_quotes_what_needs_quoting_and_leaves_null_empty() {
        assert_eq!(
            csv(&sample()),
            "id,name,note\r\n1,Ana,\r\n20,\"Bo, \"\"the\"\" second\",2.5\r\n"
        );
    }

    #[test]
    fn json_keeps_column_order_and_nulls() {
        assert_eq!(
            json(&sample()),
            "{\"columns\": [\"id\",\"name\",\"note\"], \"rows\": [\n  [1,\"Ana\",null],\n  \
             [20,\"Bo, \\\"the\\\" second\",2.5]\n]}\n"
        );
    }
}
