//! What a run of a design measured: the headline metrics, per-component figures and where
//! the errors came from. `sysdesign design run --json` prints it.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub seed: u64,
    pub duration_s: f64,
    pub metrics: Metrics,
    pub components: Vec<ComponentReport>,
    /// Errors by the component and reason that caused them, most first (legitimate traffic).
    pub errors: Vec<ErrorOrigin>,
    /// Per second of the run: legitimate requests finished and how many failed.
    #[serde(skip)]
    pub seconds: Vec<Second>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// Over successful legitimate requests; `None` when none succeeded.
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    /// Failed legitimate requests over finished ones (including those the client gave up on).
    pub error_rate: f64,
    /// The share of seconds in which at least 99% of requests succeeded.
    pub availability: f64,
    /// Illustrative; filled in from the price table by the caller.
    pub cost_per_month: f64,
    /// Successful legitimate requests per second.
    pub throughput_rps: f64,
    pub requests: u64,
    pub errors: u64,
    /// Writes that were acknowledged and then lost (failover with async replication,
    /// dead-lettered queue messages).
    pub writes_lost: u64,
    pub abuser_requests: u64,
    pub abuser_rejected: u64,
    /// Successful legitimate reads answered with a cached copy that was out of date when the
    /// cache served it (the database had committed a write to the key since the copy was
    /// read), over successful legitimate reads; 0 with no successful read.
    pub stale_read_rate: f64,
    /// How out of date the most out-of-date of those copies was; 0 when none was.
    pub max_staleness_ms: f64,
    /// Messages still waiting in queues when the run ends: work accepted (and answered) but
    /// not done. A queue that only grows hides an undersized consumer behind fast answers.
    pub queued_at_end: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentReport {
    pub name: String,
    pub kind: &'static str,
    /// Busy servers (threads, connections, consumers) over all servers, time-averaged.
    /// `None` for kinds without servers (lb, cache, cdn, rate-limiter).
    pub utilization: Option<f64>,
    /// Mean time waiting for a server; `None` for kinds that never queue.
    pub mean_wait_ms: Option<f64>,
    /// Mean time from arriving at this component to its answer (or, for a queue, from
    /// enqueue to the consumer finishing).
    pub mean_latency_ms: Option<f64>,
    /// Time-average number of requests inside (the integral of the count over the run,
    /// divided by its length): Little's L.
    pub mean_in_system: f64,
    /// Requests answered (ok or not) per second: Little's λ.
    pub throughput_rps: f64,
    pub served: u64,
    pub errors: u64,
    /// Reads answered from the cache over all reads; caches and CDNs only.
    pub hit_ratio: Option<f64>,
    /// Hits that served an out-of-date copy (caches and CDNs only, all traffic): the
    /// database had committed a write to the key after the copy was read from it.
    pub stale_reads: Option<u64>,
    /// Stale reads over hits; `None` without hits.
    pub stale_ratio: Option<f64>,
    /// How long the most out-of-date copy served had been out of date (now − the time of
    /// the first write it missed); 0 without stale reads.
    pub max_staleness_ms: Option<f64>,
    /// The 99th percentile of staleness over all hits, a current copy counting as 0;
    /// `None` without hits.
    pub p99_staleness_ms: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorOrigin {
    pub component: String,
    pub reason: &'static str,
    pub count: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Second {
    pub requests: u64,
    pub errors: u64,
}

impl Report {
    /// The component with the highest utilization: where to add capacity first.
    pub fn bottleneck(&self) -> Option<&ComponentReport> {
        self.components
            .iter()
            .filter(|c| c.utilization.is_some())
            .max_by(|a, b| {
                a.utilization
                    .unwrap_or(0.0)
                    .total_cmp(&b.utilization.unwrap_or(0.0))
            })
    }
}
