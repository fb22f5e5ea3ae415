//! Schema exercises: the student's DDL runs on an empty database, then probes insert and
//! update rows; each probe must be accepted, or rejected by a constraint.

use super::checks::{Expect, SchemaChecks};
use super::{Run, Verdict};
use crate::sql::{Mode, Outcome, Sandbox};

pub(super) fn grade(checks: &SchemaChecks, source: &str, run: &mut Run<'_>) -> Result<(), String> {
    let sandbox = Sandbox::open()?;
    if let (_, Some(e)) = sandbox.run_script(&checks.setup) {
        return Err(format!("the exercise's setup SQL fails: {e}"));
    }
    sandbox.set_mode(Mode::Student);
    if let (_, Some(e)) = sandbox.run_script(source) {
        return Err(run.located(&e));
    }
    sandbox.set_mode(Mode::Trusted);
    let total = checks.probes.len();
    for probe in &checks.probes {
        run.started(&probe.name, total);
        let savepoint = |sql: &str| sandbox.conn().execute_batch(sql);
        savepoint("SAVEPOINT probe").map_err(|e| format!("cannot start a probe: {e}"))?;
        let (ran, error) = sandbox.run_script(&probe.sql);
        let why = probe
            .why
            .as_deref()
            .map(|w| format!(" {w}"))
            .unwrap_or_default();
        let sql = probe.sql.trim().replace('\n', "\n  ");
        // The first line says what is wrong (JUnit shows only it); the probe follows.
        let verdict = match (probe.expect, error) {
            (Expect::Ok, Some(e)) => Verdict::Fail(format!(
                "this should succeed, but SQLite said \"{}\".{why}\n  {sql}",
                e.message
            )),
            (Expect::Ok, None) => match (&probe.rows, ran.last().map(|r| &r.outcome)) {
                (Some(want), Some(Outcome::Rows(got))) => {
                    let got: Vec<Vec<String>> = got
                        .rows
                        .iter()
                        .map(|r| r.iter().map(|c| c.to_string()).collect())
                        .collect();
                    if &got == want {
                        Verdict::Pass
                    } else {
                        Verdict::Fail(format!("got {got:?}, expected {want:?}.{why}\n  {sql}"))
                    }
                }
                _ => Verdict::Pass,
            },
            (Expect::Reject, None) => Verdict::Fail(format!(
                "SQLite accepted this; the schema should reject it.{why}\n  {sql}"
            )),
            (Expect::Reject, Some(e)) if e.constraint => Verdict::Pass,
            (Expect::Reject, Some(e)) => Verdict::Fail(format!(
                "this should be rejected by a constraint, but it could not run at all: \"{}\"; \
                 use the table and column names the task gives\n  {sql}",
                e.message
            )),
        };
        let keep = probe.expect == Expect::Ok && matches!(verdict, Verdict::Pass);
        if !keep {
            savepoint("ROLLBACK TO probe").map_err(|e| format!("cannot undo a probe: {e}"))?;
        }
        savepoint("RELEASE probe").map_err(|e| format!("cannot end a probe: {e}"))?;
        run.record(probe.name.clone(), verdict);
    }
    Ok(())
}
