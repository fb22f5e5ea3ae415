//! `EXPLAIN QUERY PLAN`: the steps SQLite will take, as rows and as a tree.

use super::error::SqlError;
use super::result_set::Cell;
use super::sandbox::Sandbox;

/// One line of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanStep {
    pub id: i64,
    pub parent: i64,
    /// SQLite's text, e.g. `SEARCH orders USING INDEX orders_by_customer (customer_id=?)`.
    pub detail: String,
}

/// The plan of `sql` (one statement), from `EXPLAIN QUERY PLAN`.
pub fn explain(sandbox: &Sandbox, sql: &str) -> Result<Vec<PlanStep>, SqlError> {
    let prefix = "EXPLAIN QUERY PLAN ";
    let text = format!("{prefix}{sql}");
    let rows = sandbox.query(&text).map_err(|mut e| {
        // Point at the student's text, not at the prefix.
        if e.line == 1 {
            e.col = e.col.saturating_sub(prefix.len()).max(1);
        }
        e
    })?;
    Ok(rows
        .rows
        .iter()
        .map(|row| {
            let int = |i: usize| match row.get(i) {
                Some(Cell::Integer(n)) => *n,
                _ => 0,
            };
            PlanStep {
                id: int(0),
                parent: int(1),
                detail: row.get(3).map(|c| c.to_string()).unwrap_or_default(),
            }
        })
        .collect())
}

/// The plan drawn as a tree, the way the sqlite3 shell draws it.
pub fn tree(steps: &[PlanStep]) -> Vec<String> {
    fn walk(steps: &[PlanStep], parent: i64, prefix: &str, out: &mut Vec<String>) {
        let children: Vec<&PlanStep> = steps.iter().filter(|s| s.parent == parent).collect();
        for (i, step) in children.iter().enumerate() {
            let last = i + 1 == children.len();
            out.push(format!(
                "{prefix}{}{}",
                if last { "`--" } else { "|--" },
                step.detail
            ));
            if step.id != parent {
                let deeper = format!("{prefix}{}", if last { "   " } else { "|  " });
                walk(steps, step.id, &deeper, out);
            }
        }
    }
    let mut out = vec!["QUERY PLAN".to_string()];
    walk(steps, 0, "", &mut out);
    out
}

/// The table (or alias) a step reads, and how: `SCAN`, `SEARCH`.
pub fn access(step: &PlanStep) -> Option<(&str, &str)> {
    let mut words = step.detail.split_whitespace();
    let verb = words.next()?;
    if verb != "SCAN" && verb != "SEARCH" {
        return None;
    }
    Some((verb, words.next()?))
}
