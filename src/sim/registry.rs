//! Every simulation kind, with its parameters and defaults.

use super::cap;
use super::{ParamError, ParamValue, Simulation, params::spec_for};
use super::{ParamKind, ParamSpec};

pub struct KindSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub params: &'static [super::ParamSpec],
    /// Build the engine with every parameter at its default.
    pub build: fn(seed: u64) -> Box<dyn Simulation>,
}

impl KindSpec {
    /// Build the engine and apply `settings` (already parsed) in order.
    pub fn start(
        &self,
        seed: u64,
        settings: &[(String, ParamValue)],
    ) -> Result<Box<dyn Simulation>, ParamError> {
        let mut sim = (self.build)(seed);
        for (key, value) in settings {
            let checked = spec_for(self.params, key)?.check(value)?;
            sim.set(key, &checked)?;
        }
        Ok(sim)
    }
}

static KINDS: &[KindSpec] = &[KindSpec {
    name: cap::KIND,
    title: "CAP: consistency or availability under a partition",
    description: "Two replicas and a link you can cut. In CP mode a replica that cannot \
            confirm it holds the latest write answers with an error; in AP mode it answers \
            with what it has, possibly stale. When the link heals the replicas reconcile.",
    params: CAP_PARAMS,
    build: cap::CapSim::boxed,
}];

pub const CAP_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "mode",
        kind: ParamKind::Choice(&["cp", "ap"]),
        default: "cp",
        help: "under a partition: cp refuses what it cannot confirm, ap answers from local data",
    },
    ParamSpec {
        key: "write_ratio",
        kind: ParamKind::Float { min: 0.0, max: 1.0 },
        default: "0.3",
        help: "share of client requests that are writes",
    },
    ParamSpec {
        key: "partition_at",
        kind: ParamKind::Int {
            min: 0,
            max: 1_000_000,
        },
        default: "20",
        help: "tick at which the link is cut (0: never)",
    },
    ParamSpec {
        key: "partition_len",
        kind: ParamKind::Int {
            min: 0,
            max: 1_000_000,
        },
        default: "20",
        help: "ticks until the link heals (0: stays cut until healed by hand)",
    },
];

pub fn kinds() -> &'static [KindSpec] {
    KINDS
}

pub fn find(name: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.name == name)
}
