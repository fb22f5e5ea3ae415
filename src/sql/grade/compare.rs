//! Comparing the student's rows with the reference's, and saying what differs.

use std::collections::HashMap;

use crate::sql::{Cell, ResultSet};

/// How many missing or extra rows a message shows.
const SHOWN: usize = 3;

/// `Ok` when `got` has the reference's columns and rows (in the same order when `ordered`);
/// otherwise what differs: the columns, the missing and extra rows, or the order.
pub fn compare(expected: &ResultSet, got: &ResultSet, ordered: bool) -> Result<(), String> {
    if expected.columns.len() != got.columns.len() {
        return Err(format!(
            "expected {} columns ({}); got {} ({})",
            expected.columns.len(),
            expected.columns.join(", "),
            got.columns.len(),
            got.columns.join(", ")
        ));
    }
    let renamed: Vec<String> = expected
        .columns
        .iter()
        .zip(&got.columns)
        .filter(|(e, g)| !e.eq_ignore_ascii_case(g))
        .map(|(e, g)| format!("`{g}` should be `{e}`"))
        .collect();
    if !renamed.is_empty() {
        return Err(format!(
            "the columns are ({}) but should be named ({}): {}; name them with AS",
            got.columns.join(", "),
            expected.columns.join(", "),
            renamed.join(", ")
        ));
    }
    let keys = |rows: &ResultSet| -> Vec<Vec<String>> {
        rows.rows
            .iter()
            .map(|r| r.iter().map(Cell::comparable).collect())
            .collect()
    };
    let (want, have) = (keys(expected), keys(got));
    let missing = difference(&want, &expected.rows, &have);
    let extra = difference(&have, &got.rows, &want);
    if !missing.is_empty() || !extra.is_empty() {
        let mut message = format!(
            "expected {} row{}; got {}",
            want.len(),
            plural(want.len()),
            have.len()
        );
        for (label, rows) in [
            ("missing (the reference has them, yours does not)", &missing),
            ("extra (yours has them, the reference does not)", &extra),
        ] {
            if !rows.is_empty() {
                let shown: Vec<String> = rows
                    .iter()
                    .take(SHOWN)
                    .map(|r| ResultSet::row_literal(r))
                    .collect();
                let more = rows.len().saturating_sub(SHOWN);
                message.push_str(&format!(
                    "\n  {} row{} {label}: {}{}",
                    rows.len(),
                    plural(rows.len()),
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ));
            }
        }
        return Err(message);
    }
    if ordered && let Some(i) = (0..want.len()).find(|&i| want[i] != have[i]) {
        return Err(format!(
            "the right rows in the wrong order: row {} should be {}, yours is {}; the task asks \
             for a specific ORDER BY",
            i + 1,
            ResultSet::row_literal(&expected.rows[i]),
            ResultSet::row_literal(&got.rows[i])
        ));
    }
    Ok(())
}

/// The rows of `a` (as keys, with their originals) that `b` lacks, counting duplicates.
fn difference<'a>(a: &[Vec<String>], rows: &'a [Vec<Cell>], b: &[Vec<String>]) -> Vec<&'a [Cell]> {
    let mut counts: HashMap<&[String], i64> = HashMap::new();
    for key in b {
        *counts.entry(key).or_default() += 1;
    }
    let mut out = Vec::new();
    for (key, row) in a.iter().zip(rows) {
        let left = counts.entry(key).or_default();
        if *left > 0 {
            *left -= 1;
        } else {
            out.push(row.as_slice());
        }
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(columns: &[&str], rows: &[&[Cell]]) -> ResultSet {
        ResultSet {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: rows.iter().map(|r| r.to_vec()).collect(),
        }
    }

    use Cell::{Integer as I, Null, Real as R, Text};

    #[test]
    fn equal_sets_match_in_any_order_unless_ordered() {
        let a = rows(&["id", "n"], &[&[I(1), I(2)], &[I(2), Null]]);
        let b = rows(&["ID", "n"], &[&[I(2), Null], &[I(1), R(2.0)]]);
        assert_eq!(compare(&a, &b, false), Ok(()));
        let message = compare(&a, &b, true).unwrap_err();
        assert!(
            message.contains("wrong order: row 1 should be (1, 2), yours is (2, NULL)"),
            "{message}"
        );
    }

    #[test]
    fn column_count_and_names_are_reported() {
        let a = rows(&["id", "total"], &[]);
        assert_eq!(
            compare(&a, &rows(&["id"], &[]), false).unwrap_err(),
            "expected 2 columns (id, total); got 1 (id)"
        );
        assert!(
            compare(&a, &rows(&["id", "sum(x)"], &[]), false)
                .unwrap_err()
                .contains("`sum(x)` should be `total`")
        );
    }

    #[test]
    fn missing_and_extra_rows_are_counted_with_duplicates_and_a_few_shown() {
        let a = rows(
            &["x"],
            &[&[I(1)], &[I(1)], &[I(2)], &[I(3)], &[I(4)], &[I(5)]],
        );
        let b = rows(&["x"], &[&[I(1)], &[Text("a'b".into())]]);
        let message = compare(&a, &b, false).unwrap_err();
        assert!(message.starts_with("expected 6 rows; got 2"), "{message}");
        assert!(
            message.contains(
                "5 rows missing (the reference has them, yours does not): (1), (2), (3) and 2 more"
            ),
            "{message}"
        );
        assert!(
            message.contains("1 row extra (yours has them, the reference does not): ('a''b')"),
            "{message}"
        );
    }
}
