//! The machine-readable result of a run: `sysdesign sim --json` prints it.

use std::collections::BTreeMap;

use super::{ParamValue, Simulation};

/// One entity's counters, e.g. a server's `served` and `failed`.
pub type Entity = BTreeMap<&'static str, serde_json::Value>;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    pub kind: &'static str,
    pub seed: u64,
    pub ticks: u64,
    pub settings: BTreeMap<&'static str, ParamValue>,
    /// Headline numbers, e.g. `served`, `p99_ticks`, `hit_rate`.
    pub metrics: BTreeMap<&'static str, f64>,
    /// Per-entity counters under a kind-specific name, e.g. `servers`, `keys`, `services`.
    pub entities: BTreeMap<&'static str, Vec<Entity>>,
    /// The event log, oldest first, each entry stamped with its tick.
    pub log: Vec<LogEntry>,
}

impl Summary {
    /// The shape every engine reports: its kind, clock and settings, read through the
    /// `Simulation` trait so no engine copies them by hand, then its own numbers.
    pub fn of(
        sim: &dyn Simulation,
        seed: u64,
        metrics: impl IntoIterator<Item = (&'static str, f64)>,
        entities: impl IntoIterator<Item = (&'static str, Vec<Entity>)>,
        log: Vec<LogEntry>,
    ) -> Summary {
        Summary {
            kind: sim.kind(),
            seed,
            ticks: sim.now(),
            settings: sim.settings().into_iter().collect(),
            metrics: metrics.into_iter().collect(),
            entities: entities.into_iter().collect(),
            log,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogEntry {
    pub tick: u64,
    pub text: String,
}
