//! The traits a student implements in the code exercises, and the visualizations run.
//!
//! This file is std only and self-contained: the app compiles it as `sysdesign::sim::contract`,
//! and writes it verbatim into the student's workspace as the `sysdesign_support` crate, so a
//! student's balancer, cache or saga orchestrator plugs into the same simulation as ours.

/// A backend server as a balancer sees it at the moment it picks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backend {
    pub name: String,
    /// False once health checks have taken the server out of rotation.
    pub healthy: bool,
    /// Relative capacity, at least 1. Only weighted strategies look at it.
    pub weight: u32,
    /// Requests currently in flight on this backend.
    pub active: u32,
}

/// Chooses a backend for each request.
pub trait Balancer {
    /// Pick the backend for a request from `client` (a client id, e.g. an IPv4 address as a
    /// number). Return its index in `backends`, or `None` when no backend is healthy.
    fn pick(&mut self, client: u32, backends: &[Backend]) -> Option<usize>;
}

/// A key-value cache with per-key TTLs and a capacity, on an injected logical clock.
///
/// Times are logical ticks. A key set at `now` with `ttl = Some(t)` expires at `now + t`: it is
/// expired exactly when `current_time >= now + t`, like Redis.
pub trait TtlCache {
    /// The value, or `None` if the key is missing or expired. A hit makes the key the most
    /// recently used.
    fn get(&mut self, key: &str, now: u64) -> Option<String>;
    /// Insert or overwrite. `ttl: None` stores without expiry, and like a plain Redis `SET`
    /// it drops any TTL the key had. `Some(0)` deletes the key. Inserting a new key into a
    /// full cache evicts the least recently used key, which is returned.
    fn set(&mut self, key: &str, value: &str, ttl: Option<u64>, now: u64) -> Option<String>;
    /// Remove the key; true if it was present and not expired.
    fn del(&mut self, key: &str, now: u64) -> bool;
    /// Like Redis `TTL`: the ticks left, -1 for a key with no expiry, -2 for a missing or
    /// expired key.
    fn ttl(&mut self, key: &str, now: u64) -> i64;
    /// Live (unexpired) keys.
    fn len(&mut self, now: u64) -> usize;
}

/// How a saga step behaves, after Richardson's *Microservices Patterns*.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// Can be undone by a compensating transaction.
    Compensatable,
    /// Changes nothing, so it needs no compensation.
    ReadOnly,
    /// The go/no-go step: once it succeeds the saga must run to completion.
    Pivot,
    /// After the pivot: guaranteed to succeed eventually, so it is retried, never compensated.
    Retriable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SagaStep {
    pub name: String,
    pub kind: StepKind,
}

/// How many times an orchestrator tries a compensation, or a retriable step, before giving up.
pub const MAX_ATTEMPTS: u32 = 3;

/// The services a saga calls. Each call is one local transaction in one service.
pub trait Participants {
    fn execute(&mut self, step: usize) -> Result<(), String>;
    fn compensate(&mut self, step: usize) -> Result<(), String>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SagaOutcome {
    /// Every step succeeded.
    Completed,
    /// Step `failed_step` failed before the pivot succeeded, and every completed step was
    /// compensated.
    Compensated { failed_step: usize },
    /// The saga cannot finish on its own: a compensation or a retriable step failed
    /// `MAX_ATTEMPTS` times. A human must step in.
    Stuck { step: usize, reason: String },
}

/// Runs a saga to its end, calling `participants` for each step and compensation.
pub trait SagaOrchestrator {
    fn run(&mut self, steps: &[SagaStep], participants: &mut dyn Participants) -> SagaOutcome;
}
