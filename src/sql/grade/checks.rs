//! `checks.toml`: what a SQL exercise's grader tests, per kind. Unknown keys are errors.

use serde::Deserialize;

use crate::grade::ExerciseKind;
use crate::sql::datasets;

/// A query exercise: the student's result is compared with the reference query's (the
/// exercise's solution) on the visible dataset and on hidden variants of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryChecks {
    /// The dataset the query runs on.
    pub dataset: String,
    /// True when the task asks for an ORDER BY: then the order of rows must match too.
    #[serde(default)]
    pub ordered: bool,
    /// Trusted SQL run on every dataset first, e.g. the index a pagination query needs.
    #[serde(default)]
    pub setup: String,
    /// Tables the student's query must not read in full (checked on its plan).
    #[serde(default)]
    pub no_scan: Vec<String>,
    /// How many small datasets of random seeds (from the grading seed) to compare on.
    #[serde(default = "default_random_seeds")]
    pub random_seeds: u32,
    /// Hidden datasets with edge rows: NULLs, ties, empty groups, boundary dates.
    #[serde(default, rename = "variant")]
    pub variants: Vec<Variant>,
}

fn default_random_seeds() -> u32 {
    2
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// What is special about it; shown in the check's name.
    pub name: String,
    /// The small dataset's seed.
    #[serde(default = "default_variant_seed")]
    pub seed: u64,
    /// Trusted SQL adding the edge rows.
    pub sql: String,
}

fn default_variant_seed() -> u64 {
    1
}

/// A schema exercise: the student's DDL is probed with statements that must be accepted or
/// rejected.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaChecks {
    /// Trusted SQL run before the student's script (tables the task starts from).
    #[serde(default)]
    pub setup: String,
    #[serde(rename = "probe")]
    pub probes: Vec<Probe>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    pub name: String,
    /// One or more statements; an accepted probe's changes stay for the probes after it.
    pub sql: String,
    pub expect: Expect,
    /// For an accepted probe: the rows its last statement must return, as text.
    #[serde(default)]
    pub rows: Option<Vec<Vec<String>>>,
    /// Said when the probe fails: the rule the schema breaks.
    #[serde(default)]
    pub why: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// The statements must succeed.
    Ok,
    /// A constraint must reject them.
    Reject,
}

/// An index exercise: the student adds indexes; given queries must then have good plans.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexChecks {
    pub dataset: String,
    /// The most indexes the student may create.
    pub budget: usize,
    #[serde(rename = "query")]
    pub queries: Vec<PlanQuery>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanQuery {
    pub name: String,
    pub sql: String,
    /// Tables that must be reached through an index (a SEARCH), never a full SCAN.
    #[serde(default)]
    pub no_scan: Vec<String>,
    /// The `no_scan` tables must be answered from the index alone (a COVERING INDEX).
    #[serde(default)]
    pub covering: bool,
    /// No `USE TEMP B-TREE` step: the index already gives the order (or grouping).
    #[serde(default)]
    pub no_temp_btree: bool,
}

/// The parsed checks of one exercise.
#[derive(Debug, Clone)]
pub enum Checks {
    Query(QueryChecks),
    Schema(SchemaChecks),
    Index(IndexChecks),
}

/// Parses `text` as the checks of a `kind` exercise; on error, the byte offset and message.
pub fn parse(kind: ExerciseKind, text: &str) -> Result<Checks, (usize, String)> {
    fn de<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, (usize, String)> {
        toml::from_str(text).map_err(|e| {
            (
                e.span().map_or(0, |s| s.start),
                e.message().trim().to_string(),
            )
        })
    }
    let checks = match kind {
        ExerciseKind::SqlQuery => Checks::Query(de(text)?),
        ExerciseKind::SqlSchema => Checks::Schema(de(text)?),
        ExerciseKind::SqlIndex => Checks::Index(de(text)?),
        ExerciseKind::Rust => return Err((0, "a Rust exercise has no checks.toml".to_string())),
    };
    let dataset = match &checks {
        Checks::Query(q) => Some(&q.dataset),
        Checks::Index(i) => Some(&i.dataset),
        Checks::Schema(_) => None,
    };
    if let Some(name) = dataset
        && datasets::find(name).is_none()
    {
        let offset = text.find(name.as_str()).unwrap_or(0);
        return Err((
            offset,
            format!(
                "unknown dataset `{name}`; use one of {}",
                datasets::names().join(", ")
            ),
        ));
    }
    let empty = match &checks {
        Checks::Schema(s) => s.probes.is_empty().then_some("[[probe]]"),
        Checks::Index(i) => i.queries.is_empty().then_some("[[query]]"),
        Checks::Query(_) => None,
    };
    if let Some(table) = empty {
        return Err((0, format!("add at least one {table}")));
    }
    Ok(checks)
}
