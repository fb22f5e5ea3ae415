//! Every simulation kind, with its parameters and defaults.

use super::{ParamError, ParamValue, Simulation, params::spec_for};
use super::{ParamKind, ParamSpec};
use super::{
    cap, circuit_breaker, consistent_hash, message_queue, rate_limiter, replication, rolling_deploy,
};

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
    KindSpec {
        name: cap::KIND,
        title: "CAP: consistency or availability under a partition",
        description: "Two replicas and a link you can cut. In CP mode a replica that cannot \
            confirm it holds the latest write answers with an error; in AP mode it answers \
            with what it has, possibly stale. When the link heals the replicas reconcile.",
        params: CAP_PARAMS,
        build: cap::CapSim::boxed,
    },
    KindSpec {
        name: message_queue::KIND,
        title: "Synchronous calls vs a message queue",
        description: "A producer hands work to a downstream service, either by calling it and \
            waiting, or through a queue drained by consumers. Take the downstream service \
            down or slow it, and bound the queue to see back pressure: 503 or a blocked producer.",
        params: MESSAGE_QUEUE_PARAMS,
        build: message_queue::MessageQueueSim::boxed,
    },
    KindSpec {
        name: rate_limiter::KIND,
        title: "Token bucket rate limiter",
        description: "A bucket of tokens refilled at a steady, possibly fractional, rate. Each \
            request takes a token; with none left the answer is 429 Too Many Requests with a \
            Retry-After header saying when a token will be back.",
        params: RATE_LIMITER_PARAMS,
        build: rate_limiter::RateLimiterSim::boxed,
    },
    super::ttl_cache::SPEC,
    super::saga::SPEC,
    KindSpec {
        name: circuit_breaker::KIND,
        title: "Circuit breaker: closed, open, half-open",
        description: "Calls to a dependency go through a breaker. After a run of failures it \
            opens and fails fast; after a timeout it lets one trial call through (half-open) \
            and closes again if the trial succeeds.",
        params: CIRCUIT_BREAKER_PARAMS,
        build: circuit_breaker::CircuitBreakerSim::boxed,
    },
    super::load_balancer::SPEC,
    KindSpec {
        name: consistent_hash::KIND,
        title: "Consistent hashing vs mod-N",
        description: "Keys spread over nodes by a hash ring with virtual nodes, or by hash mod \
            N. Add or remove a node and see which keys move: about 1/(N+1) on the ring, about \
            N/(N+1) with mod-N.",
        params: CONSISTENT_HASH_PARAMS,
        build: consistent_hash::ConsistentHashSim::boxed,
    },
    KindSpec {
        name: replication::KIND,
        title: "Primary-replica replication: lag, read-your-writes, failover",
        description: "A primary takes the writes and ships them to read replicas after a lag. \
            Reads from a lagging replica can miss the user's own write unless reads after a \
            write go to the primary. Kill the primary: writes fail until a replica is promoted, \
            and writes it had not received are lost.",
        params: REPLICATION_PARAMS,
        build: replication::ReplicationSim::boxed,
    },
    KindSpec {
        name: rolling_deploy::KIND,
        title: "Kubernetes rolling update",
        description: "A Deployment replaces its pods with a new version within maxSurge extra \
            pods and maxUnavailable missing ones. Readiness probes gate the rollout: a bad \
            image never becomes ready, and the rollout stalls with the old pods still serving.",
        params: ROLLING_DEPLOY_PARAMS,
        build: rolling_deploy::RollingDeploySim::boxed,
    },
    super::transactions::SPEC,
];

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

pub const MESSAGE_QUEUE_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "mode",
        kind: ParamKind::Choice(&["sync", "queue"]),
        default: "sync",
        help: "sync: the caller waits for the downstream service; queue: it enqueues and returns 202",
    },
    ParamSpec {
        key: "arrival_rate",
        kind: ParamKind::Float { min: 0.0, max: 4.0 },
        default: "0.6",
        help: "requests arriving per tick",
    },
    ParamSpec {
        key: "consumers",
        kind: ParamKind::Int { min: 1, max: 8 },
        default: "2",
        help: "workers in the downstream service, each doing one job at a time",
    },
    ParamSpec {
        key: "work_ticks",
        kind: ParamKind::Int { min: 1, max: 20 },
        default: "3",
        help: "ticks a worker spends on one job",
    },
    ParamSpec {
        key: "queue_limit",
        kind: ParamKind::Int { min: 0, max: 500 },
        default: "0",
        help: "most messages the queue holds (0: unbounded)",
    },
    ParamSpec {
        key: "overflow",
        kind: ParamKind::Choice(&["reject", "block"]),
        default: "reject",
        help: "when the bounded queue is full: reject with 503, or block the producer",
    },
    ParamSpec {
        key: "outage_at",
        kind: ParamKind::Int {
            min: 0,
            max: 1_000_000,
        },
        default: "30",
        help: "tick at which the downstream service goes down (0: never)",
    },
    ParamSpec {
        key: "outage_len",
        kind: ParamKind::Int {
            min: 0,
            max: 1_000_000,
        },
        default: "20",
        help: "ticks until it comes back (0: stays down until revived by hand)",
    },
];

pub const RATE_LIMITER_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "capacity",
        kind: ParamKind::Int { min: 1, max: 1000 },
        default: "10",
        help: "most tokens the bucket holds: the largest burst allowed at once",
    },
    ParamSpec {
        key: "refill_per_sec",
        kind: ParamKind::Float {
            min: 0.1,
            max: 1000.0,
        },
        default: "5",
        help: "tokens added per second, fractions included (a tick is 100 ms)",
    },
    ParamSpec {
        key: "rps",
        kind: ParamKind::Float {
            min: 0.0,
            max: 1000.0,
        },
        default: "8",
        help: "requests the clients send per second",
    },
];

pub const CIRCUIT_BREAKER_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "threshold",
        kind: ParamKind::Int { min: 1, max: 50 },
        default: "5",
        help: "consecutive failures that trip the breaker open",
    },
    ParamSpec {
        key: "open_ticks",
        kind: ParamKind::Int { min: 1, max: 1000 },
        default: "20",
        help: "ticks the breaker stays open before allowing one half-open trial",
    },
    ParamSpec {
        key: "call_ticks",
        kind: ParamKind::Int { min: 1, max: 20 },
        default: "2",
        help: "ticks a call to the dependency takes",
    },
    ParamSpec {
        key: "calls_per_tick",
        kind: ParamKind::Int { min: 1, max: 10 },
        default: "2",
        help: "requests that need the dependency, per tick",
    },
    ParamSpec {
        key: "error_rate",
        kind: ParamKind::Float { min: 0.0, max: 1.0 },
        default: "0.02",
        help: "chance that a call fails while the dependency is healthy",
    },
    ParamSpec {
        key: "outage_at",
        kind: ParamKind::Int {
            min: 0,
            max: 1_000_000,
        },
        default: "30",
        help: "tick at which the dependency starts failing every call (0: never)",
    },
    ParamSpec {
        key: "outage_len",
        kind: ParamKind::Int {
            min: 0,
            max: 1_000_000,
        },
        default: "50",
        help: "ticks until it recovers (0: stays down until repaired by hand)",
    },
];

pub const CONSISTENT_HASH_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "mode",
        kind: ParamKind::Choice(&["ring", "mod-n"]),
        default: "ring",
        help: "ring: consistent hashing with virtual nodes; mod-n: hash(key) mod N",
    },
    ParamSpec {
        key: "nodes",
        kind: ParamKind::Int { min: 1, max: 16 },
        default: "4",
        help: "nodes in the cluster",
    },
    ParamSpec {
        key: "vnodes",
        kind: ParamKind::Int { min: 1, max: 500 },
        default: "50",
        help: "points each node takes on the ring; more points, more even shares",
    },
    ParamSpec {
        key: "keys",
        kind: ParamKind::Int { min: 1, max: 5000 },
        default: "400",
        help: "keys stored in the cluster",
    },
    ParamSpec {
        key: "churn_every",
        kind: ParamKind::Int {
            min: 0,
            max: 1_000_000,
        },
        default: "20",
        help: "every this many ticks a node joins, and the next time it leaves (0: never)",
    },
];

pub const REPLICATION_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "replicas",
        kind: ParamKind::Int { min: 1, max: 5 },
        default: "2",
        help: "read replicas behind the primary",
    },
    ParamSpec {
        key: "lag",
        kind: ParamKind::Int { min: 0, max: 100 },
        default: "6",
        help: "ticks before a write reaches a replica (each further replica lags a bit more)",
    },
    ParamSpec {
        key: "read_your_writes",
        kind: ParamKind::Bool,
        default: "false",
        help: "send a user's reads to the primary until a replica has their last write",
    },
    ParamSpec {
        key: "write_ratio",
        kind: ParamKind::Float { min: 0.0, max: 1.0 },
        default: "0.3",
        help: "share of user requests that are writes",
    },
    ParamSpec {
        key: "failover_at",
        kind: ParamKind::Int {
            min: 0,
            max: 1_000_000,
        },
        default: "60",
        help: "tick at which the primary dies and a replica is promoted (0: never)",
    },
];

pub const ROLLING_DEPLOY_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "replicas",
        kind: ParamKind::Int { min: 1, max: 20 },
        default: "10",
        help: "pods the Deployment wants",
    },
    ParamSpec {
        key: "max_surge",
        kind: ParamKind::Int { min: 0, max: 100 },
        default: "25",
        help: "maxSurge, percent of replicas, rounded up: extra pods allowed during the rollout",
    },
    ParamSpec {
        key: "max_unavailable",
        kind: ParamKind::Int { min: 0, max: 100 },
        default: "25",
        help: "maxUnavailable, percent of replicas, rounded down: pods allowed to be missing",
    },
    ParamSpec {
        key: "bad_image",
        kind: ParamKind::Bool,
        default: "false",
        help: "the new version's pods never pass their readiness probe",
    },
    ParamSpec {
        key: "ready_ticks",
        kind: ParamKind::Int { min: 1, max: 60 },
        default: "3",
        help: "ticks from a pod's start until its readiness probe passes",
    },
    ParamSpec {
        key: "deploy_at",
        kind: ParamKind::Int {
            min: 0,
            max: 1_000_000,
        },
        default: "5",
        help: "tick at which the rollout to the next version starts (0: only by hand)",
    },
];

pub fn kinds() -> &'static [KindSpec] {
    KINDS
}

pub fn find(name: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.name == name)
}
