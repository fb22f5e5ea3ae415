//! Every simulation kind, with its parameters and defaults.

use super::{ParamError, ParamValue, Simulation, params::spec_for};

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

static KINDS: &[KindSpec] = &[
    super::load_balancer::SPEC,
    super::ttl_cache::SPEC,
    super::saga::SPEC,
];

pub fn kinds() -> &'static [KindSpec] {
    KINDS
}

pub fn find(name: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.name == name)
}
