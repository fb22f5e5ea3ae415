//! Every simulation kind, with its parameters and defaults.

use super::{ParamError, ParamValue, Simulation, params::spec_for};

pub struct KindSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Declared once, in the engine's parameter table (`param_table`).
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

/// In the order `sim --list` and the catalog show them.
static KINDS: &[KindSpec] = &[
    super::cap::SPEC,
    super::message_queue::SPEC,
    super::rate_limiter::SPEC,
    super::ttl_cache::SPEC,
    super::saga::SPEC,
    super::circuit_breaker::SPEC,
    super::load_balancer::SPEC,
    super::consistent_hash::SPEC,
    super::replication::SPEC,
    super::rolling_deploy::SPEC,
    super::transactions::SPEC,
];

pub fn kinds() -> &'static [KindSpec] {
    KINDS
}

pub fn find(name: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.name == name)
}
