//! Index exercises: the student adds indexes to the dataset; given queries must then be
//! answered by SEARCHes (covering where asked, without a temporary sort), within a budget.

use std::collections::BTreeSet;

use super::checks::IndexChecks;
use super::{Run, Verdict};
use crate::sql::datasets::Size;
use crate::sql::plan::{self, PlanStep};
use crate::sql::{Mode, Sandbox, datasets};

pub(super) fn grade(checks: &IndexChecks, source: &str, run: &mut Run<'_>) -> Result<(), String> {
    let dataset = datasets::find(&checks.dataset)
        .ok_or_else(|| format!("unknown dataset `{}`", checks.dataset))?;
    let sandbox = dataset.open(1, Size::Full)?;
    let before_schema = schema(&sandbox, false)?;
    let before_indexes = schema(&sandbox, true)?;
    sandbox.set_mode(Mode::Student);
    if let (_, Some(e)) = sandbox.run_script(source) {
        return Err(run.located(&e));
    }
    sandbox.set_mode(Mode::Trusted);
    let total = 2 + checks.queries.len();

    let name = "adds only indexes".to_string();
    run.started(&name, total);
    let after_schema = schema(&sandbox, false)?;
    let changed: Vec<String> = before_schema
        .symmetric_difference(&after_schema)
        .map(|(kind, name)| format!("{kind} {name}"))
        .collect();
    run.record(
        name,
        if changed.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Fail(format!(
                "your script changed more than indexes ({}); this exercise takes only CREATE INDEX",
                changed.join(", ")
            ))
        },
    );

    let name = format!(
        "at most {} index{}",
        checks.budget,
        if checks.budget == 1 { "" } else { "es" }
    );
    run.started(&name, total);
    let added: Vec<String> = schema(&sandbox, true)?
        .difference(&before_indexes)
        .map(|(_, name)| name.clone())
        .collect();
    run.record(
        name,
        if added.len() <= checks.budget {
            Verdict::Pass
        } else {
            Verdict::Fail(format!(
                "you created {} indexes ({}); every index costs a write on each INSERT and \
                 UPDATE, so the budget is {}",
                added.len(),
                added.join(", "),
                checks.budget
            ))
        },
    );

    for query in &checks.queries {
        run.started(&query.name, total);
        let steps = plan::explain(&sandbox, &query.sql)
            .map_err(|e| format!("the exercise's query `{}` fails: {e}", query.sql))?;
        let drawn = || plan::tree(&steps).join("\n");
        let mut problems = Vec::new();
        if let Some(step) = scanned(&steps, &query.no_scan, &query.sql) {
            problems.push(format!("it reads the whole table: `{step}`"));
        }
        if query.covering {
            let names = aliases(&query.sql, &query.no_scan);
            for step in &steps {
                if let Some((_, table)) = plan::access(step)
                    && names.contains(&table.to_ascii_lowercase())
                    && !step.detail.contains("COVERING INDEX")
                    && !step.detail.contains("INTEGER PRIMARY KEY")
                {
                    problems.push(format!(
                        "`{}` still reads the table rows; a covering index holds every column \
                         the query uses",
                        step.detail
                    ));
                }
            }
        }
        if query.no_temp_btree
            && let Some(step) = steps
                .iter()
                .find(|s| s.detail.starts_with("USE TEMP B-TREE"))
        {
            problems.push(format!(
                "`{}`: SQLite sorts the rows itself, because no index gives them in that order",
                step.detail
            ));
        }
        let verdict = if problems.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Fail(format!(
                "{}\n  query: {}\n{}",
                problems.join("\n"),
                query.sql.trim(),
                drawn()
            ))
        };
        run.record(query.name.clone(), verdict);
    }
    Ok(())
}

/// `(type, name)` of every schema object: the indexes (other than SQLite's automatic
/// ones) when `indexes`, everything else otherwise.
fn schema(sandbox: &Sandbox, indexes: bool) -> Result<BTreeSet<(String, String)>, String> {
    sandbox.set_mode(Mode::Trusted);
    let rows = sandbox
        .query(
            "SELECT type, name, coalesce(sql, '') FROM sqlite_schema \
             WHERE name NOT LIKE 'sqlite_%'",
        )
        .map_err(|e| format!("cannot read the schema: {e}"))?;
    Ok(rows
        .rows
        .iter()
        .filter(|r| (r[0].to_string() == "index") == indexes)
        .map(|r| {
            let name = if indexes {
                r[1].to_string()
            } else {
                format!("{} ({})", r[1], r[2])
            };
            (r[0].to_string(), name)
        })
        .collect())
}

/// The first step that SCANs one of `tables` (by name or by an alias `sql` gives it).
pub(super) fn scanned<'a>(steps: &'a [PlanStep], tables: &[String], sql: &str) -> Option<&'a str> {
    let names = aliases(sql, tables);
    steps.iter().find_map(|step| match plan::access(step) {
        Some(("SCAN", table)) if names.contains(&table.to_ascii_lowercase()) => {
            Some(step.detail.as_str())
        }
        _ => None,
    })
}

/// `tables` and the aliases `sql` gives them (`orders AS o`, `orders o`), lowercased:
/// SQLite's plan names a table by its alias.
fn aliases(sql: &str, tables: &[String]) -> Vec<String> {
    const NOT_ALIASES: &[&str] = &[
        "where",
        "join",
        "on",
        "left",
        "right",
        "full",
        "inner",
        "outer",
        "cross",
        "natural",
        "group",
        "order",
        "limit",
        "using",
        "window",
        "union",
        "except",
        "intersect",
        "having",
        "indexed",
        "not",
        "set",
        "values",
        "as",
    ];
    let words: Vec<String> = sql
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut names: Vec<String> = tables.iter().map(|t| t.to_ascii_lowercase()).collect();
    for (i, word) in words.iter().enumerate() {
        if !names.contains(word) || !tables.iter().any(|t| t.eq_ignore_ascii_case(word)) {
            continue;
        }
        let mut next = words.get(i + 1);
        if next.is_some_and(|w| w == "as") {
            next = words.get(i + 2);
        }
        if let Some(alias) = next
            && !NOT_ALIASES.contains(&alias.as_str())
        {
            names.push(alias.clone());
        }
    }
    names
}
