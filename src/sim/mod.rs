//! Simulation engines. Deterministic and std only: a seeded RNG, a logical clock, no I/O.
//! The same engine drives the TUI visualization, `sysdesign sim`, and grading.

pub mod balancers;
pub mod cap;
pub mod circuit_breaker;
pub mod consistent_hash;
pub mod contract;
pub mod design;
pub mod event_log;
pub mod latency;
pub mod load_balancer;
pub mod lru_ttl_cache;
pub mod message_queue;
pub mod param_table;
pub mod params;
pub mod rate_limiter;
pub mod registry;
pub mod replication;
pub mod response_times;
pub mod rng;
pub mod rolling_deploy;
pub mod run;
pub mod saga;
pub mod saga_choreography;
pub mod saga_orchestrator;
pub mod saga_participants;
pub mod saga_steps;
pub mod series;
pub mod summary;
pub mod transactions;
pub mod transactions_scenarios;
pub mod ttl_cache;

pub use params::{ParamError, ParamKind, ParamSpec, ParamValue};
pub use registry::{KindSpec, find, kinds};
pub use summary::Summary;

/// A key the visualization offers in its own footer (fault injection, toggles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action {
    pub key: char,
    pub label: &'static str,
}

/// A student's implementation of a contract trait, to run in place of the reference.
pub enum Plug {
    Balancer(Box<dyn contract::Balancer + Send>),
    /// Builds the cache, empty, for a capacity (the engine rebuilds it when that changes).
    Cache(ttl_cache::CacheFactory),
    Saga(Box<dyn contract::SagaOrchestrator + Send>),
}

/// One running simulation. Every engine implements this; the TUI and the CLI drive it.
pub trait Simulation: Send {
    /// The registry name, e.g. `load-balancer`.
    fn kind(&self) -> &'static str;
    /// Advance the logical clock by one tick.
    fn step(&mut self);
    /// The logical time, in ticks since the start.
    fn now(&self) -> u64;
    /// Change a parameter while running. The value was already checked against the kind's
    /// `ParamSpec`, but engines may reject combinations.
    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ParamError>;
    /// Current value of every parameter, in `ParamSpec` order.
    fn settings(&self) -> Vec<(&'static str, ParamValue)>;
    /// Keys for faults and toggles; the TUI shows them in the visualization's footer.
    fn actions(&self) -> &'static [Action];
    /// What `key` does now, for a toggle whose effect depends on the state: the state it
    /// leads to ("downstream down" while the downstream is up, whether the student or a
    /// scheduled outage changed it). `None` keeps the action's fixed label.
    fn action_label(&self, key: char) -> Option<String> {
        let _ = key;
        None
    }
    /// Apply an action key. Returns false when the key is not one of `actions()`.
    fn act(&mut self, key: char) -> bool;
    /// Metrics, per-entity counters and the event log, for `sim --json` and for tests.
    fn summary(&self) -> Summary;
    /// For the TUI widget, which downcasts to the concrete engine to draw it.
    fn as_any(&self) -> &dyn std::any::Any;
    /// Run `plug` (named `label` in the widget and the log) instead of the reference
    /// implementation, or the reference again with `None`. Kinds whose strategy is not a
    /// contract trait refuse.
    fn plug(&mut self, plug: Option<Plug>, label: &'static str) -> Result<(), String> {
        let _ = (plug, label);
        Err(format!("`{}` cannot run your code", self.kind()))
    }
    /// Adds `text` to the event log at the current tick: what went wrong in plugged-in
    /// code (a panic), which the engine itself only sees as a neutral answer. Kinds without
    /// a plug ignore it.
    fn note(&mut self, text: &str) {
        let _ = text;
    }
}
