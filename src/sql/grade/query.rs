//! Query exercises: the student's rows against the reference query's, on the visible
//! dataset, on small datasets of other seeds, and on datasets with edge rows.

use super::checks::QueryChecks;
use super::compare::compare;
use super::index::scanned;
use super::{Run, Verdict};
use crate::sql::datasets::{self, Size};
use crate::sql::{Mode, Outcome, Piece, ResultSet, Sandbox, plan, split_statements};

/// The seed of the dataset `sysdesign sql` shows.
const VISIBLE_SEED: u64 = 1;

struct Dataset {
    name: String,
    seed: u64,
    size: Size,
    edge_rows: String,
}

pub(super) fn grade(
    checks: &QueryChecks,
    reference: &str,
    source: &str,
    seed: u64,
    run: &mut Run<'_>,
) -> Result<(), String> {
    let statements = split_statements(source);
    let piece = match statements.as_slice() {
        [] => {
            run.record(
                "your query".to_string(),
                Verdict::Fail(format!(
                    "{} holds no query yet: write one SELECT",
                    run.shown_as
                )),
            );
            return Ok(());
        }
        [one] => one.clone(),
        [_, second, ..] => {
            let line = source[..second.offset].matches('\n').count() + 1;
            return Err(format!(
                "{}:{line}: write exactly one query; a second statement starts here",
                run.shown_as
            ));
        }
    };
    let dataset = datasets::find(&checks.dataset)
        .ok_or_else(|| format!("unknown dataset `{}`", checks.dataset))?;
    let mut variants = vec![Dataset {
        name: format!(
            "the {} dataset you can query (`sysdesign sql --dataset {}`)",
            dataset.name, dataset.name
        ),
        seed: VISIBLE_SEED,
        size: Size::Full,
        edge_rows: String::new(),
    }];
    for i in 0..u64::from(checks.random_seeds) {
        let other = seed.wrapping_mul(31).wrapping_add(i + 2);
        variants.push(Dataset {
            name: format!("hidden: a small {} of seed {other}", dataset.name),
            seed: other,
            size: Size::Small,
            edge_rows: String::new(),
        });
    }
    for variant in &checks.variants {
        variants.push(Dataset {
            name: format!("hidden: {}", variant.name),
            seed: variant.seed,
            size: Size::Small,
            edge_rows: variant.sql.clone(),
        });
    }
    let total = variants.len() + usize::from(!checks.no_scan.is_empty());
    for (index, variant) in variants.iter().enumerate() {
        run.started(&variant.name, total);
        let sandbox = dataset.open(variant.seed, variant.size)?;
        trusted(&sandbox, &checks.setup, "setup")?;
        trusted(&sandbox, &variant.edge_rows, "variant")?;
        let expected = rows(&sandbox, reference, Mode::Trusted)
            .map_err(|e| format!("the reference query fails on {}: {e}", variant.name))?;
        let got = match rows_of(&sandbox, source, &piece, Mode::ReadOnly) {
            Ok(got) => got,
            Err(e) if index == 0 => return Err(run.located(&e)),
            Err(e) => {
                run.record(variant.name.clone(), Verdict::Error(run.located(&e)));
                continue;
            }
        };
        run.record(
            variant.name.clone(),
            compare(&expected, &got, checks.ordered).into(),
        );
        if index == 0 && !checks.no_scan.is_empty() {
            let name = format!(
                "reads only the rows it needs (no full SCAN of {})",
                checks.no_scan.join(", ")
            );
            run.started(&name, total);
            sandbox.set_mode(Mode::ReadOnly);
            let steps = plan::explain(&sandbox, piece.text).map_err(|e| run.located(&e))?;
            let verdict = match scanned(&steps, &checks.no_scan, piece.text) {
                None => Verdict::Pass,
                Some(step) => Verdict::Fail(format!(
                    "the plan reads every row: `{step}`. Its steps:\n{}",
                    plan::tree(&steps).join("\n")
                )),
            };
            run.record(name, verdict);
        }
    }
    Ok(())
}

/// Runs the program's own SQL; a failure is a bug in the exercise.
fn trusted(sandbox: &Sandbox, sql: &str, what: &str) -> Result<(), String> {
    sandbox.set_mode(Mode::Trusted);
    match sandbox.run_script(sql) {
        (_, None) => Ok(()),
        (_, Some(e)) => Err(format!("the exercise's {what} SQL fails: {e}")),
    }
}

fn rows(sandbox: &Sandbox, sql: &str, mode: Mode) -> Result<ResultSet, crate::sql::SqlError> {
    let piece = Piece {
        offset: 0,
        text: sql,
    };
    rows_of(sandbox, sql, &piece, mode)
}

fn rows_of(
    sandbox: &Sandbox,
    script: &str,
    piece: &Piece<'_>,
    mode: Mode,
) -> Result<ResultSet, crate::sql::SqlError> {
    sandbox.set_mode(mode);
    let outcome = sandbox.run(script, piece);
    sandbox.set_mode(Mode::Trusted);
    match outcome? {
        Outcome::Rows(rows) => Ok(rows),
        Outcome::Done { .. } => Ok(ResultSet::default()),
    }
}
