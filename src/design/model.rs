//! A design file as validated data: the workload, the components and how they call each other,
//! and an optional failure schedule. Nothing emergent (a hit ratio, a queue length, a latency)
//! is ever a field here: those come out of the simulation.

use std::ops::Range;

/// A whole architecture, ready to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub workload: Workload,
    /// In file order; `calls` and `target` are indices into this list.
    pub components: Vec<Component>,
    /// Zone names in order of first use; `Component::zones` index into this list.
    pub zones: Vec<String>,
    pub failures: Vec<Failure>,
}

impl Design {
    pub fn find(&self, name: &str) -> Option<usize> {
        self.components.iter().position(|c| c.name == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrivals {
    /// Exponential gaps between requests: independent clients.
    Poisson,
    /// Evenly spaced requests: a perfectly smooth load, for contrast.
    Uniform,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Requests per second from legitimate clients, before surges.
    pub rps: f64,
    /// The entry component.
    pub target: usize,
    pub arrivals: Arrivals,
    /// The share of requests that read; the rest write.
    pub read_ratio: f64,
    /// Size of the key space; keys are ranked 0 (hottest) to `keys - 1`.
    pub keys: u32,
    /// Zipf exponent of key popularity: 0 is uniform, around 1 is typical of web caches.
    pub zipf_s: f64,
    /// Distinct legitimate clients (they matter to ip-hash and per-client rate limits).
    pub clients: u32,
    /// Extra requests per second from one abusive client. Its requests are not counted in
    /// the SLO metrics: they are what the design must fend off.
    pub abuser_rps: f64,
    /// A client gives up after this long; a later answer counts as an error.
    pub timeout_ms: f64,
    pub surges: Vec<Surge>,
}

/// From `at_s` for `duration_s` seconds, the legitimate arrival rate is multiplied by `factor`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Surge {
    pub at_s: f64,
    pub duration_s: f64,
    pub factor: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Cdn,
    Lb,
    Service,
    Cache,
    Database,
    Queue,
    RateLimiter,
}

impl Kind {
    pub const ALL: &[Kind] = &[
        Kind::Cdn,
        Kind::Lb,
        Kind::Service,
        Kind::Cache,
        Kind::Database,
        Kind::Queue,
        Kind::RateLimiter,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Cdn => "cdn",
            Kind::Lb => "lb",
            Kind::Service => "service",
            Kind::Cache => "cache",
            Kind::Database => "database",
            Kind::Queue => "queue",
            Kind::RateLimiter => "rate-limiter",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ServiceTime {
    Exponential,
    Constant,
    /// Lognormal with this shape (the standard deviation of the log); the mean stays `service_ms`.
    Lognormal {
        sigma: f64,
    },
}

impl ServiceTime {
    pub const NAMES: &[&str] = &["exponential", "constant", "lognormal"];
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Breaker {
    /// Consecutive failed calls that open the breaker.
    pub failures: u32,
    /// How long it stays open before letting one trial call through.
    pub open_s: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceSpec {
    pub instances: u32,
    /// Requests one instance works on at once (threads, workers).
    pub concurrency: u32,
    pub service_ms: f64,
    pub service_time: ServiceTime,
    /// Requests that may wait per instance; one more is rejected.
    pub queue_limit: u32,
    /// Per downstream call; `None` waits forever.
    pub timeout_ms: Option<f64>,
    pub retries: u32,
    /// The first retry waits up to this long (full jitter), doubling each attempt.
    pub backoff_ms: f64,
    pub breaker: Option<Breaker>,
    /// Each downstream is called this many times in parallel (a scatter-gather).
    pub fanout: u32,
    /// Indices into the component's `calls` whose failure does not fail the request: the
    /// service answers without them (graceful degradation).
    pub optional: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WritePolicy {
    /// Writes go to the origin and, once it has answered, delete the cached copy; the next
    /// read refills it.
    CacheAside,
    /// Writes go to the origin and, once it accepts them, update the cached copy.
    WriteThrough,
    /// Writes go to the origin and leave the cached copy as it was, as when writers update
    /// the database by a path that does not touch the cache (another service, a batch job):
    /// a copy stays out of date until its TTL expires it or it is evicted.
    None,
}

impl WritePolicy {
    pub const NAMES: &[&str] = &["cache-aside", "write-through", "none"];
}

#[derive(Debug, Clone, PartialEq)]
pub struct CacheSpec {
    /// How many keys fit.
    pub capacity: u32,
    /// Seconds a cached key stays fresh; `None` keeps it until evicted.
    pub ttl_s: Option<f64>,
    pub write: WritePolicy,
    /// The time to answer a hit.
    pub hit_ms: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharding {
    /// By a hash of the key: keys spread evenly, a hot key stays hot.
    Hash,
    /// By key range: neighbouring keys share a shard, and so do the hottest keys.
    Range,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replication {
    /// The primary acknowledges before the replicas have the write: fast, but a failover
    /// loses what the replicas had not received yet.
    Async,
    /// The primary waits for a replica: writes pay the lag, none is lost.
    Sync,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseSpec {
    pub shards: u32,
    pub sharding: Sharding,
    /// Read replicas per shard, besides its primary.
    pub replicas: u32,
    pub replication: Replication,
    pub replica_lag_ms: f64,
    /// Queries one node runs at once; with `read_ms` this sets the node's capacity.
    pub concurrency: u32,
    pub read_ms: f64,
    pub write_ms: f64,
    pub service_time: ServiceTime,
    pub queue_limit: u32,
    /// How long promoting a replica takes after the primary dies.
    pub failover_s: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueueSpec {
    pub consumers: u32,
    /// Messages that may wait; one more is rejected.
    pub limit: u32,
    /// Attempts after the first before a message is dead-lettered (and, if a write, lost).
    pub retries: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LimiterSpec {
    /// Token-bucket refill rate.
    pub rate_rps: f64,
    pub burst: u32,
    /// One bucket per client instead of one for everyone.
    pub per_client: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LbSpec {
    /// One of `sim::balancers::STRATEGIES`.
    pub strategy: String,
    /// How often health checks run; a dead instance keeps getting traffic until the next one.
    pub health_check_s: f64,
    /// A failed request is sent to another backend up to this many times (like nginx's
    /// `proxy_next_upstream`): safe for idempotent requests.
    pub retries: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    Cdn(CacheSpec),
    Lb(LbSpec),
    Service(ServiceSpec),
    Cache(CacheSpec),
    Database(DatabaseSpec),
    Queue(QueueSpec),
    RateLimiter(LimiterSpec),
}

impl Spec {
    pub fn kind(&self) -> Kind {
        match self {
            Spec::Cdn(_) => Kind::Cdn,
            Spec::Lb(_) => Kind::Lb,
            Spec::Service(_) => Kind::Service,
            Spec::Cache(_) => Kind::Cache,
            Spec::Database(_) => Kind::Database,
            Spec::Queue(_) => Kind::Queue,
            Spec::RateLimiter(_) => Kind::RateLimiter,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub name: String,
    pub spec: Spec,
    /// Downstream components, in call order.
    pub calls: Vec<usize>,
    /// The zones of its instances (or nodes), assigned round-robin; at least one.
    pub zones: Vec<usize>,
    /// The `[[component]]` table in the source, for messages.
    pub span: Range<usize>,
}

impl Component {
    pub fn kind(&self) -> Kind {
        self.spec.kind()
    }

    /// Instances (services), nodes (databases), or 1.
    pub fn instance_count(&self) -> u32 {
        match &self.spec {
            Spec::Service(s) => s.instances,
            Spec::Database(d) => d.shards * (1 + d.replicas),
            _ => 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum FailureKind {
    /// One instance (or database node) dies.
    KillInstance { component: usize, instance: u32 },
    /// Every instance placed in the zone dies.
    ZoneOutage { zone: usize },
    /// The primary of a shard dies; a replica is promoted after `failover_s`.
    PrimaryFailover { component: usize, shard: u32 },
    /// The cache loses its contents (a restart, a flush).
    ColdCache { component: usize },
    /// One instance (or, with `None`, every instance) serves `factor` times slower.
    Slow {
        component: usize,
        instance: Option<u32>,
        factor: f64,
    },
    /// Legitimate traffic is multiplied by `factor`.
    Surge { factor: f64 },
}

impl FailureKind {
    pub const NAMES: &[&str] = &[
        "kill-instance",
        "zone-outage",
        "primary-failover",
        "cold-cache",
        "slow",
        "surge",
    ];
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub at_s: f64,
    /// `None`: until the end of the run. A cold cache has no duration.
    pub duration_s: Option<f64>,
    pub kind: FailureKind,
}
