//! The headless runner behind `sysdesign sim`: run a kind for some ticks and report.

use std::fmt::{self, Write as _};

use super::params::spec_for;
use super::registry::{find, kinds};
use super::{ParamError, ParamValue, Summary};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    UnknownKind {
        kind: String,
        valid: Vec<&'static str>,
    },
    Param(ParamError),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::UnknownKind { kind, valid } => {
                write!(f, "unknown simulation `{kind}`; ")?;
                if let Some(close) = closest(kind, valid) {
                    write!(f, "did you mean `{close}`? ")?;
                }
                write!(f, "valid kinds: {}", valid.join(", "))
            }
            RunError::Param(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for RunError {}

impl From<ParamError> for RunError {
    fn from(e: ParamError) -> Self {
        RunError::Param(e)
    }
}

fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

/// Run `kind` from `seed` for `ticks` ticks, after applying `sets` (`KEY`, `VALUE` as typed on
/// the command line) in order.
pub fn run(
    kind: &str,
    seed: u64,
    ticks: u64,
    sets: &[(String, String)],
) -> Result<Summary, RunError> {
    let spec = find(kind).ok_or_else(|| RunError::UnknownKind {
        kind: kind.to_string(),
        valid: kinds().iter().map(|k| k.name).collect(),
    })?;
    let settings = sets
        .iter()
        .map(|(key, raw)| Ok((key.clone(), spec_for(spec.params, key)?.parse(raw)?)))
        .collect::<Result<Vec<(String, ParamValue)>, ParamError>>()?;
    let mut sim = spec.start(seed, &settings)?;
    for _ in 0..ticks {
        sim.step();
    }
    let mut summary = sim.summary();
    summary.seed = seed;
    Ok(summary)
}

/// Every kind with its keys, the values each accepts, and the defaults: `sim --list`.
pub fn list() -> String {
    let mut out = String::new();
    for kind in kinds() {
        let _ = writeln!(out, "{}  {}", kind.name, kind.title);
        let key_width = kind.params.iter().map(|p| p.key.len()).max().unwrap_or(0);
        let default_width = kind
            .params
            .iter()
            .map(|p| p.default.len())
            .max()
            .unwrap_or(0);
        for p in kind.params {
            let _ = writeln!(
                out,
                "  {:key_width$}  default {:default_width$}  {}",
                p.key, p.default, p.kind,
            );
            let _ = writeln!(out, "  {:key_width$}  {}", "", p.help);
        }
        out.push('\n');
    }
    out.push_str(
        "Run one with: sysdesign sim KIND [--seed N] [--ticks N] [--set KEY=VALUE ...] [--json]\n",
    );
    out
}

/// How many log entries the human report shows; `--json` has all that were kept.
const HUMAN_LOG_LINES: usize = 15;

/// A readable report of a run: settings, metrics, a table per entity kind, the end of the log.
pub fn human(summary: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  seed {}  {} ticks",
        summary.kind, summary.seed, summary.ticks
    );
    let settings: Vec<String> = summary
        .settings
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let _ = writeln!(out, "settings: {}", settings.join(" "));

    out.push_str("\nmetrics\n");
    let width = summary.metrics.keys().map(|k| k.len()).max().unwrap_or(0);
    for (key, value) in &summary.metrics {
        let _ = writeln!(out, "  {key:width$}  {}", number(*value));
    }

    for (name, rows) in &summary.entities {
        let _ = writeln!(out, "\n{name}");
        out.push_str(&table(rows));
    }

    if !summary.log.is_empty() {
        let shown = summary.log.len().min(HUMAN_LOG_LINES);
        let _ = writeln!(
            out,
            "\nlog (last {shown} of {} kept; --json has them all)",
            summary.log.len()
        );
        let tick_width = summary.log.last().map_or(1, |e| e.tick.to_string().len());
        for entry in &summary.log[summary.log.len() - shown..] {
            let _ = writeln!(out, "  t{:>tick_width$}  {}", entry.tick, entry.text);
        }
    }
    out
}

/// Integers without a fractional part; other numbers with at most three decimals.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        let s = format!("{value:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn cell(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), number),
        serde_json::Value::Null => "-".to_string(),
        other => other.to_string(),
    }
}

/// Rows as an aligned table, with the columns of the first row.
fn table(rows: &[std::collections::BTreeMap<&'static str, serde_json::Value>]) -> String {
    let Some(first) = rows.first() else {
        return "  (none)\n".to_string();
    };
    let mut columns: Vec<&str> = first.keys().copied().collect();
    // The columns that identify the row read best first; the rest stay in key order.
    columns.sort_by_key(|c| match *c {
        "step" => 0,
        "name" | "key" | "id" => 1,
        _ => 2,
    });
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| row.get(c).map_or_else(|| "-".to_string(), cell))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([c.len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let line = |out: &mut String, values: &mut dyn Iterator<Item = &str>| {
        out.push(' ');
        for (value, w) in values.zip(&widths) {
            let _ = write!(out, " {value:w$}");
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('\n');
    };
    line(&mut out, &mut columns.iter().copied());
    for row in &cells {
        line(&mut out, &mut row.iter().map(String::as_str));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn unknown_kind_lists_the_valid_ones_and_suggests_a_close_one() {
        let err = run("load-balancr", 1, 1, &[]).unwrap_err();
        let RunError::UnknownKind { valid, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(valid.contains(&"load-balancer"));
        let text = err.to_string();
        assert!(text.contains("did you mean `load-balancer`"), "{text}");
    }

    #[test]
    fn bad_keys_and_values_are_param_errors() {
        let unknown = run("load-balancer", 1, 1, &[set("servres", "3")]).unwrap_err();
        assert!(matches!(
            unknown,
            RunError::Param(ParamError::UnknownKey { .. })
        ));
        assert!(unknown.to_string().contains("servers"));
        let bad = run("load-balancer", 1, 1, &[set("servers", "99")]).unwrap_err();
        assert!(bad.to_string().contains("integer 1..=12"), "{bad}");
        let choice = run("load-balancer", 1, 1, &[set("strategy", "random")]).unwrap_err();
        assert!(choice.to_string().contains("round-robin|"), "{choice}");
    }

    #[test]
    fn runs_the_requested_ticks_with_the_seed() {
        let summary = run("load-balancer", 7, 25, &[set("servers", "3")]).unwrap();
        assert_eq!((summary.seed, summary.ticks), (7, 25));
        assert_eq!(summary.entities["servers"].len(), 3);
    }

    #[test]
    fn json_names_each_server_and_each_saga_step_and_compensation() {
        let lb = run("load-balancer", 42, 30, &[]).unwrap();
        let json = serde_json::to_value(&lb).unwrap();
        let servers = json["entities"]["servers"].as_array().unwrap();
        assert_eq!(servers[0]["name"], "s1");
        assert!(servers.iter().all(|s| s["served"].as_u64().is_some()));

        let saga = run("saga", 42, 14, &[]).unwrap();
        let json = serde_json::to_value(&saga).unwrap();
        let log: Vec<&str> = json["log"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["text"].as_str().unwrap())
            .collect();
        for name in [
            "execute create_order",
            "execute check_stock",
            "execute reserve_stock",
            "execute charge_payment",
            "execute schedule_shipment",
            "compensate refund_payment",
            "compensate release_stock",
            "compensate reject_order",
        ] {
            assert!(log.iter().any(|t| t.contains(name)), "{name} in {log:#?}");
        }
    }

    #[test]
    fn list_names_every_kind_and_key_with_its_default() {
        let text = list();
        for kind in kinds() {
            assert!(text.contains(kind.name));
            for p in kind.params {
                assert!(text.contains(p.key) && text.contains(p.help), "{}", p.key);
            }
        }
    }

    #[test]
    fn human_report_shows_metrics_entities_and_log() {
        let summary = run("load-balancer", 42, 50, &[]).unwrap();
        let text = human(&summary);
        assert!(
            text.starts_with("load-balancer  seed 42  50 ticks\n"),
            "{text}"
        );
        assert!(text.contains("\nservers\n"));
        assert!(text.contains("  p99_ms"));
        assert!(text.contains("log (last"));
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(12.3456), "12.346");
        assert_eq!(number(-1.0), "-1");
    }
}
