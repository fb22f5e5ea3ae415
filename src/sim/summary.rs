//! The machine-readable result of a run: `sysdesign sim --json` prints it.

use std::collections::BTreeMap;

use super::ParamValue;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    pub kind: &'static str,
    pub seed: u64,
    pub ticks: u64,
    pub settings: BTreeMap<&'static str, ParamValue>,
    /// Headline numbers, e.g. `served`, `p99_ticks`, `hit_rate`.
    pub metrics: BTreeMap<&'static str, f64>,
    /// Per-entity counters under a kind-specific name, e.g. `servers`, `keys`, `services`.
    pub entities: BTreeMap<&'static str, Vec<BTreeMap<&'static str, serde_json::Value>>>,
    /// The event log, oldest first, each entry stamped with its tick.
    pub log: Vec<LogEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogEntry {
    pub tick: u64,
    pub text: String,
}
