//! The discrete-event simulation of a design: an event heap on a logical clock in seconds,
//! one record per call a component handles, and time-weighted counters per component.
//!
//! A request enters at the workload's target. Each component answers it itself (a cache hit,
//! a database query) or calls downstream components and answers when they have: a call is a
//! record with a parent, so the answer walks back up the chain. Timeouts abandon a call (it
//! keeps running and using its server, as in real systems), retries re-issue it after a
//! jittered backoff, and a dead instance fails everything it was doing.
//!
//! Staleness: every answer that carries data says as of when the data was read (`as_of`) and
//! since when it has been out of date (`stale_since`, infinity while current). A database
//! read is current as of the moment it is served (an async replica: as of `replica_lag_ms`
//! earlier); a cache hit hands out its copy with the copy's `stale_since`. A committed write
//! marks the copies of that key held by the caches in front of the database out of date,
//! and a cache storing an answer checks the database's commit log for a write committed
//! after the answer's `as_of` (the fill race: read before the write, stored after it).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use super::commits::CommitLog;
use super::histogram::Histogram;
use super::keys::KeySampler;
use super::lru::Lru;
use super::report::{ComponentReport, ErrorOrigin, Metrics, Report, Second};
use crate::design::model::{
    Arrivals, Design, FailureKind, Replication, ServiceTime, Sharding, Spec, WritePolicy,
};
use crate::sim::balancers;
use crate::sim::contract::{Backend, Balancer};
use crate::sim::rng::Rng;

const NONE: u32 = u32::MAX;
const NO_INST: u16 = u16::MAX;
const NO_ZONE: u16 = u16::MAX;

/// How long to run and with which seed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunConfig {
    pub seed: u64,
    pub duration_s: f64,
}

/// Why a call failed where it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reason {
    QueueFull,
    InstanceDown,
    NoHealthyBackend,
    Timeout,
    BreakerOpen,
    RateLimited,
    NoPrimary,
    DeadLetter,
    ClientGaveUp,
}

const REASONS: usize = 9;

impl Reason {
    fn label(i: usize) -> &'static str {
        [
            "queue full",
            "instance down",
            "no healthy backend",
            "timeout",
            "circuit open",
            "rate limited",
            "no primary",
            "dead-lettered",
            "client gave up",
        ][i]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Free,
    /// Arrived; the component is deciding.
    New,
    /// Waiting for a server.
    Queued,
    /// On a server, computing.
    Serving,
    /// Waiting for downstream calls (a service or queue consumer keeps its server meanwhile).
    Calling,
    /// A cache hit, answering after `hit_ms`.
    Hit,
}

#[derive(Debug, Clone, Copy)]
struct Call {
    epoch: u32,
    parent: u32,
    comp: u16,
    inst: u16,
    phase: Phase,
    write: bool,
    /// The caller stopped waiting (timeout, or the caller died): answer no one.
    orphan: bool,
    failed: bool,
    legit: bool,
    /// A queued message, no longer anyone's call.
    detached: bool,
    attempt: u8,
    /// For a service: the index of the downstream being called.
    next: u16,
    pending: u16,
    key: u32,
    client: u32,
    arrived: f64,
    /// The data this call answers with was read from a database at this time; infinity
    /// when no data has come back (yet).
    as_of: f64,
    /// Since when that data has been out of date; infinity while it is current.
    stale_since: f64,
}

#[derive(Debug, Clone, Copy)]
enum Ev {
    Done { call: u32, epoch: u32 },
    Timeout { call: u32, epoch: u32 },
    Retry { call: u32, epoch: u32, attempt: u8 },
    FailureStart(u16),
    FailureEnd(u16),
    HealthCheck(u16),
    Promote { comp: u16, shard: u16 },
}

/// A pending event. The key is the time's bits, then the push order: times are never
/// negative, so their bits order like the numbers, and one 128-bit compare orders by time
/// with ties in insertion order.
struct Entry {
    key: u128,
    ev: Ev,
}

impl Entry {
    fn new(t: f64, seq: u64, ev: Ev) -> Entry {
        Entry {
            key: (u128::from(t.to_bits()) << 64) | u128::from(seq),
            ev,
        }
    }

    fn t(&self) -> f64 {
        f64::from_bits((self.key >> 64) as u64)
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Reversed, so the max-heap pops the earliest event.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

#[derive(Debug, Clone)]
struct Inst {
    zone: u16,
    kills: u16,
    slow: f64,
    slots: u32,
    busy: u32,
    queue: VecDeque<u32>,
}

#[derive(Debug, Clone, Copy, Default)]
struct BreakerState {
    consecutive: u32,
    open_until: f64,
    trial: bool,
}

#[derive(Debug, Clone, Default)]
struct Shard {
    /// Node indices; `primary` is a position in this list.
    nodes: Vec<u16>,
    primary: usize,
    rr: usize,
    acks: VecDeque<f64>,
    at_risk: u64,
    promote_pending: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct Bucket {
    tokens: f64,
    last: f64,
}

#[derive(Debug, Clone, Default)]
struct Acc {
    arrivals: u64,
    departures: u64,
    served: u64,
    errors: u64,
    wait_sum: f64,
    waits: u64,
    sojourn_sum: f64,
    n: u32,
    area_n: f64,
    busy: u32,
    area_busy: f64,
    last_t: f64,
    hits: u64,
    misses: u64,
    /// Cache hits that served an out-of-date copy, and the most out of date (seconds).
    stale_hits: u64,
    max_stale: f64,
    origin: [u64; REASONS],
}

impl Acc {
    #[inline]
    fn touch(&mut self, now: f64) {
        let dt = now - self.last_t;
        // Several touches often share an instant; adding 0 would change nothing.
        if dt == 0.0 {
            return;
        }
        self.area_n += f64::from(self.n) * dt;
        self.area_busy += f64::from(self.busy) * dt;
        self.last_t = now;
    }
}

struct Comp {
    /// Cache hits in progress: all take `hit_ms`, so they finish in arrival order and wait
    /// here, in a FIFO, instead of in the event heap. (time, call, epoch)
    hits: VecDeque<(f64, u32, u32)>,
    calls: Vec<u16>,
    insts: Vec<Inst>,
    slots_total: u32,
    rr: usize,
    balancer: Option<Box<dyn Balancer + Send>>,
    backends: Vec<Backend>,
    lru: Option<Lru>,
    /// A cache: the staleness of its stale hits, in ms.
    stale_ms: Option<Histogram>,
    /// A cache: the databases behind it, whose writes can make its copies out of date.
    sources: Vec<u16>,
    /// A database: the caches in front of it, which hold copies of its data.
    copies: Vec<u16>,
    /// A database with caches in front: its recent commits.
    commits: Option<CommitLog>,
    breakers: Vec<BreakerState>,
    shards: Vec<Shard>,
    buckets: Vec<Bucket>,
    acc: Acc,
}

/// The state of one run. Build with [`Engine::new`], then [`Engine::run`].
pub struct Engine<'d> {
    design: &'d Design,
    cfg: RunConfig,
    now: f64,
    seq: u64,
    heap: BinaryHeap<Entry>,
    rng: Rng,
    keys: KeySampler,
    records: Vec<Call>,
    free: Vec<u32>,
    comps: Vec<Comp>,
    zone_down: Vec<bool>,
    /// Per failure: the database node a primary failover killed.
    failed_node: Vec<u16>,
    /// Times at which the arrival rate changes (surges start or end), sorted.
    rate_changes: Vec<f64>,
    /// The next arrival of the legitimate and the abusive stream, and whether it is a
    /// request (or only a redraw at a rate change).
    next_arrival: [(f64, bool); 2],
    latency: Histogram,
    seconds: Vec<Second>,
    requests: u64,
    errors: u64,
    ok: u64,
    writes_lost: u64,
    abuser_requests: u64,
    abuser_rejected: u64,
    client_timeouts: u64,
    /// Successful legitimate reads, those answered with an out-of-date cached copy, and the
    /// most out of date of those (seconds).
    reads_ok: u64,
    stale_reads: u64,
    max_stale: f64,
}

/// For each component, the databases its calls reach (itself included when it is one).
fn databases_behind(design: &Design) -> Vec<Vec<u16>> {
    fn visit(design: &Design, i: usize, seen: &mut [bool], out: &mut Vec<u16>) {
        if std::mem::replace(&mut seen[i], true) {
            return;
        }
        if matches!(design.components[i].spec, Spec::Database(_)) {
            out.push(i as u16);
        }
        for &d in &design.components[i].calls {
            visit(design, d, seen, out);
        }
    }
    (0..design.components.len())
        .map(|i| {
            let mut seen = vec![false; design.components.len()];
            let mut out = Vec::new();
            for &d in &design.components[i].calls {
                visit(design, d, &mut seen, &mut out);
            }
            out.sort_unstable();
            out
        })
        .collect()
}

impl<'d> Engine<'d> {
    pub fn new(design: &'d Design, cfg: RunConfig) -> Engine<'d> {
        let w = &design.workload;
        let comps = design
            .components
            .iter()
            .map(|c| {
                let zone_of = |i: usize| c.zones[i % c.zones.len()] as u16;
                let inst = |zone: u16, slots: u32| Inst {
                    zone,
                    kills: 0,
                    slow: 1.0,
                    slots,
                    busy: 0,
                    queue: VecDeque::new(),
                };
                let mut comp = Comp {
                    hits: VecDeque::new(),
                    calls: c.calls.iter().map(|&i| i as u16).collect(),
                    insts: Vec::new(),
                    slots_total: 0,
                    rr: 0,
                    balancer: None,
                    backends: Vec::new(),
                    lru: None,
                    stale_ms: None,
                    sources: Vec::new(),
                    copies: Vec::new(),
                    commits: None,
                    breakers: vec![BreakerState::default(); c.calls.len()],
                    shards: Vec::new(),
                    buckets: Vec::new(),
                    acc: Acc::default(),
                };
                match &c.spec {
                    Spec::Service(s) => {
                        comp.insts = (0..s.instances as usize)
                            .map(|i| inst(zone_of(i), s.concurrency))
                            .collect();
                    }
                    Spec::Database(d) => {
                        let per = 1 + d.replicas as usize;
                        comp.insts = (0..d.shards as usize * per)
                            .map(|i| inst(zone_of(i), d.concurrency))
                            .collect();
                        comp.shards = (0..d.shards as usize)
                            .map(|s| Shard {
                                nodes: (s * per..(s + 1) * per).map(|n| n as u16).collect(),
                                ..Shard::default()
                            })
                            .collect();
                    }
                    Spec::Cache(s) | Spec::Cdn(s) => {
                        comp.insts = vec![inst(zone_of(0), 0)];
                        comp.lru = Some(Lru::new(s.capacity, w.keys));
                        comp.stale_ms = Some(Histogram::default());
                    }
                    Spec::Queue(q) => comp.insts = vec![inst(NO_ZONE, q.consumers)],
                    Spec::Lb(lb) => {
                        comp.insts = vec![inst(NO_ZONE, 0)];
                        comp.balancer = balancers::by_name(&lb.strategy);
                        let pool = design.components[c.calls[0]].instance_count();
                        comp.backends = (0..pool)
                            .map(|i| Backend {
                                name: format!("{}", i),
                                healthy: true,
                                weight: 1,
                                active: 0,
                            })
                            .collect();
                    }
                    Spec::RateLimiter(r) => {
                        comp.insts = vec![inst(NO_ZONE, 0)];
                        let n = if r.per_client {
                            w.clients as usize + 1
                        } else {
                            1
                        };
                        comp.buckets = vec![
                            Bucket {
                                tokens: f64::from(r.burst),
                                last: 0.0,
                            };
                            n
                        ];
                    }
                }
                comp.slots_total = comp.insts.iter().map(|i| i.slots).sum();
                comp
            })
            .collect::<Vec<Comp>>();
        let mut comps = comps;
        for (c, behind) in databases_behind(design).into_iter().enumerate() {
            if comps[c].lru.is_none() {
                continue;
            }
            for &d in &behind {
                comps[d as usize].copies.push(c as u16);
                if comps[d as usize].commits.is_none() {
                    comps[d as usize].commits = Some(CommitLog::new(w.keys));
                }
            }
            comps[c].sources = behind;
        }
        let mut rate_changes: Vec<f64> = w
            .surges
            .iter()
            .flat_map(|s| [s.at_s, s.at_s + s.duration_s])
            .chain(design.failures.iter().filter_map(|f| match f.kind {
                FailureKind::Surge { .. } => Some(f.at_s),
                _ => None,
            }))
            .chain(design.failures.iter().filter_map(|f| match f.kind {
                FailureKind::Surge { .. } => f.duration_s.map(|d| f.at_s + d),
                _ => None,
            }))
            .collect();
        rate_changes.sort_by(f64::total_cmp);
        Engine {
            design,
            cfg,
            now: 0.0,
            seq: 0,
            heap: BinaryHeap::with_capacity(1024),
            rng: Rng::new(cfg.seed ^ 0x5EED_DE51_6E00_0000),
            keys: KeySampler::new(w.keys, w.zipf_s),
            records: Vec::with_capacity(1024),
            free: Vec::new(),
            comps,
            zone_down: vec![false; design.zones.len()],
            failed_node: vec![NO_INST; design.failures.len()],
            rate_changes,
            next_arrival: [(f64::INFINITY, false); 2],
            latency: Histogram::default(),
            seconds: vec![Second::default(); cfg.duration_s.ceil().max(1.0) as usize],
            requests: 0,
            errors: 0,
            ok: 0,
            writes_lost: 0,
            abuser_requests: 0,
            abuser_rejected: 0,
            client_timeouts: 0,
            reads_ok: 0,
            stale_reads: 0,
            max_stale: 0.0,
        }
    }

    /// The component's spec, borrowed from the design rather than from `self`.
    #[inline]
    fn spec(&self, comp: usize) -> &'d Spec {
        &self.design.components[comp].spec
    }

    #[inline]
    fn push(&mut self, t: f64, ev: Ev) {
        self.seq += 1;
        self.heap.push(Entry::new(t, self.seq, ev));
    }

    /// Caches start warm, holding the most popular keys, as a cache in production does; a
    /// `cold-cache` failure is what empties one. Entries get staggered ages so that a TTL
    /// does not expire them all at once.
    fn warm_caches(&mut self) {
        for (i, c) in self.design.components.iter().enumerate() {
            let (Spec::Cache(spec) | Spec::Cdn(spec)) = &c.spec else {
                continue;
            };
            let n = spec.capacity.min(self.design.workload.keys);
            for key in (0..n).rev() {
                let age = spec.ttl_s.map_or(0.0, |ttl| self.rng.unit() * ttl);
                if let Some(lru) = self.comps[i].lru.as_mut() {
                    // Nothing was written before the run: every warm copy is current.
                    lru.insert(key, -age, f64::INFINITY);
                }
            }
        }
    }

    /// Run to the end and report.
    pub fn run(self) -> Report {
        let never = std::sync::atomic::AtomicBool::new(false);
        self.run_until(&never)
            .expect("a run nobody stops runs to its end")
    }

    /// Like [`Engine::run`], but gives up (`None`) soon after `stop` is set: a run whose
    /// result nobody wants any more (the design changed) stops using a core.
    pub fn run_until(mut self, stop: &std::sync::atomic::AtomicBool) -> Option<Report> {
        // Looking at the flag every few thousand events costs nothing measurable.
        const CHECK_EVERY: u32 = 8192;
        let mut until_check = CHECK_EVERY;
        self.warm_caches();
        let end = self.cfg.duration_s;
        self.next_arrival = [(0.0, false), (f64::INFINITY, false)];
        if self.design.workload.abuser_rps > 0.0 {
            self.next_arrival[1] = (0.0, false);
        }
        for (i, f) in self.design.failures.iter().enumerate() {
            self.push(f.at_s, Ev::FailureStart(i as u16));
            if let Some(d) = f.duration_s {
                self.push(f.at_s + d, Ev::FailureEnd(i as u16));
            }
        }
        for i in 0..self.comps.len() {
            if matches!(self.design.components[i].spec, Spec::Lb(_)) {
                self.push(0.0, Ev::HealthCheck(i as u16));
            }
        }
        let caches: Vec<usize> = (0..self.comps.len())
            .filter(|&i| self.comps[i].lru.is_some())
            .collect();
        // Arrivals are the most frequent events and cache hits the next; both wait outside
        // the heap in time order. Ties go to arrivals, then hits, then the heap.
        loop {
            until_check -= 1;
            if until_check == 0 {
                until_check = CHECK_EVERY;
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return None;
                }
            }
            let heap_t = self.heap.peek().map_or(f64::INFINITY, Entry::t);
            let stream = usize::from(self.next_arrival[1].0 < self.next_arrival[0].0);
            let (at, real) = self.next_arrival[stream];
            let mut hit = (f64::INFINITY, 0);
            for &c in &caches {
                if let Some(&(t, _, _)) = self.comps[c].hits.front()
                    && t < hit.0
                {
                    hit = (t, c);
                }
            }
            if at <= heap_t && at <= hit.0 {
                if at > end {
                    break;
                }
                self.now = at;
                self.arrival(stream == 1, real);
                continue;
            }
            if hit.0 <= heap_t {
                if hit.0 > end {
                    break;
                }
                let (t, call, epoch) = self.comps[hit.1].hits.pop_front().expect("peeked");
                self.now = t;
                self.handle(Ev::Done { call, epoch });
                continue;
            }
            if heap_t > end {
                break;
            }
            let entry = self.heap.pop().expect("peeked");
            self.now = entry.t();
            let ev = entry.ev;
            self.handle(ev);
        }
        self.now = end;
        Some(self.report())
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Done { call, epoch } => {
                let c = self.records[call as usize];
                if c.epoch == epoch && matches!(c.phase, Phase::Serving | Phase::Hit) {
                    self.done(call);
                }
            }
            Ev::Timeout { call, epoch } => {
                let c = self.records[call as usize];
                if c.epoch == epoch && !c.orphan && !c.detached && c.phase != Phase::Free {
                    self.records[call as usize].orphan = true;
                    let parent = c.parent;
                    let pc = self.records[parent as usize].comp;
                    if c.legit && !self.optional_call(parent) {
                        self.comps[pc as usize].acc.origin[Reason::Timeout as usize] += 1;
                    }
                    self.child_done(parent, c.attempt, false);
                }
            }
            Ev::Retry {
                call,
                epoch,
                attempt,
            } => {
                let c = self.records[call as usize];
                if c.epoch == epoch && c.phase == Phase::Calling {
                    self.issue(call, attempt, NO_INST);
                }
            }
            Ev::FailureStart(i) => self.failure(i as usize, true),
            Ev::FailureEnd(i) => self.failure(i as usize, false),
            Ev::HealthCheck(c) => {
                let Spec::Lb(lb) = self.spec(c as usize) else {
                    return;
                };
                let every = lb.health_check_s;
                let pool = self.comps[c as usize].calls[0] as usize;
                for b in 0..self.comps[c as usize].backends.len() {
                    let alive = self.alive(pool, b);
                    self.comps[c as usize].backends[b].healthy = alive;
                }
                self.push(self.now + every, Ev::HealthCheck(c));
            }
            Ev::Promote { comp, shard } => self.promote(comp as usize, shard as usize),
        }
    }

    // ----- arrivals -------------------------------------------------------------------------

    fn rate_factor(&self, t: f64) -> f64 {
        let mut f = 1.0;
        for s in &self.design.workload.surges {
            if t >= s.at_s && t < s.at_s + s.duration_s {
                f *= s.factor;
            }
        }
        for fl in &self.design.failures {
            if let FailureKind::Surge { factor } = fl.kind
                && t >= fl.at_s
                && fl.duration_s.is_none_or(|d| t < fl.at_s + d)
            {
                f *= factor;
            }
        }
        f
    }

    fn arrival(&mut self, abuser: bool, real: bool) {
        let w = &self.design.workload;
        if real {
            self.start_request(abuser);
        }
        // The next arrival. A Poisson process with a piecewise-constant rate: draw a gap at
        // the current rate; if it crosses a rate change, redraw from there (memoryless).
        let rate = if abuser {
            w.abuser_rps
        } else {
            w.rps * self.rate_factor(self.now)
        };
        let next_change = if abuser {
            f64::INFINITY
        } else {
            self.rate_changes
                .iter()
                .copied()
                .find(|&t| t > self.now)
                .unwrap_or(f64::INFINITY)
        };
        let gap = if rate <= 0.0 {
            f64::INFINITY
        } else {
            match w.arrivals {
                Arrivals::Poisson => -(1.0 - self.rng.unit()).ln() / rate,
                Arrivals::Uniform => 1.0 / rate,
            }
        };
        let at = self.now + gap;
        self.next_arrival[usize::from(abuser)] = if at <= next_change {
            (at, true)
        } else {
            (next_change, false)
        };
    }

    fn start_request(&mut self, abuser: bool) {
        let w = &self.design.workload;
        let write = w.read_ratio < 1.0 && !self.rng.chance(w.read_ratio);
        let key = self.keys.sample(&mut self.rng);
        let client = if abuser {
            w.clients
        } else {
            self.rng.below(u64::from(w.clients)) as u32
        };
        if abuser {
            self.abuser_requests += 1;
        }
        let id = self.alloc(Call {
            epoch: 0,
            parent: NONE,
            comp: 0,
            inst: NO_INST,
            phase: Phase::New,
            write,
            orphan: false,
            failed: false,
            legit: !abuser,
            detached: false,
            attempt: 0,
            next: 0,
            pending: 0,
            key,
            client,
            arrived: self.now,
            as_of: f64::INFINITY,
            stale_since: f64::INFINITY,
        });
        self.arrive(w.target, id);
    }

    // ----- records --------------------------------------------------------------------------

    #[inline]
    fn alloc(&mut self, mut call: Call) -> u32 {
        match self.free.pop() {
            Some(id) => {
                call.epoch = self.records[id as usize].epoch;
                self.records[id as usize] = call;
                id
            }
            None => {
                self.records.push(call);
                (self.records.len() - 1) as u32
            }
        }
    }

    #[inline]
    fn release_record(&mut self, id: u32) {
        let r = &mut self.records[id as usize];
        r.epoch = r.epoch.wrapping_add(1);
        r.phase = Phase::Free;
        self.free.push(id);
    }

    fn alive(&self, comp: usize, inst: usize) -> bool {
        let i = &self.comps[comp].insts[inst];
        i.kills == 0 && (i.zone == NO_ZONE || !self.zone_down[i.zone as usize])
    }

    // ----- the life of a call ---------------------------------------------------------------

    fn arrive(&mut self, comp: usize, id: u32) {
        let now = self.now;
        {
            let acc = &mut self.comps[comp].acc;
            acc.touch(now);
            acc.n += 1;
            acc.arrivals += 1;
        }
        let r = &mut self.records[id as usize];
        r.comp = comp as u16;
        r.arrived = now;
        r.phase = Phase::New;
        match self.spec(comp) {
            Spec::Service(_) => {
                let hint = self.records[id as usize].inst;
                let inst = if hint != NO_INST {
                    hint as usize
                } else {
                    // Without a load balancer, callers spread calls round-robin over every
                    // instance, dead or alive: nothing checks their health.
                    let c = &mut self.comps[comp];
                    // `rr` is the last pick plus one, so it wraps without a division.
                    let i = if c.rr >= c.insts.len() { 0 } else { c.rr };
                    c.rr = i + 1;
                    i
                };
                self.enqueue(comp, inst, id);
            }
            Spec::Database(_) => self.arrive_database(comp, id),
            Spec::Cache(_) | Spec::Cdn(_) => self.arrive_cache(comp, id),
            Spec::Lb(_) => {
                let client = self.records[id as usize].client;
                let c = &mut self.comps[comp];
                let picked = c
                    .balancer
                    .as_mut()
                    .and_then(|b| b.pick(client, &c.backends));
                match picked {
                    Some(i) => {
                        c.backends[i].active += 1;
                        let r = &mut self.records[id as usize];
                        r.inst = i as u16;
                        r.phase = Phase::Calling;
                        self.issue(id, 0, i as u16);
                    }
                    None => self.fail(id, Reason::NoHealthyBackend),
                }
            }
            Spec::RateLimiter(rl) => {
                let (rate, burst, per_client) = (rl.rate_rps, f64::from(rl.burst), rl.per_client);
                let client = self.records[id as usize].client as usize;
                let b = &mut self.comps[comp].buckets[if per_client { client } else { 0 }];
                b.tokens = (b.tokens + (now - b.last) * rate).min(burst);
                b.last = now;
                if b.tokens >= 1.0 {
                    b.tokens -= 1.0;
                    self.records[id as usize].phase = Phase::Calling;
                    self.issue(id, 0, NO_INST);
                } else {
                    self.fail(id, Reason::RateLimited);
                }
            }
            Spec::Queue(q) => {
                let limit = q.limit as usize;
                let inst = &self.comps[comp].insts[0];
                if inst.busy < inst.slots || inst.queue.len() < limit {
                    // Accepted: the caller has its answer now; the record lives on as the
                    // message until a consumer has delivered it.
                    let r = self.records[id as usize];
                    let m = &mut self.records[id as usize];
                    m.detached = true;
                    m.parent = NONE;
                    m.inst = 0;
                    m.attempt = 0;
                    let inst = &mut self.comps[comp].insts[0];
                    if inst.busy < inst.slots {
                        self.start(comp, 0, id);
                    } else {
                        inst.queue.push_back(id);
                        self.records[id as usize].phase = Phase::Queued;
                    }
                    if r.parent == NONE {
                        self.root_done(r.legit, r.arrived, true, r.write, None);
                    } else if !r.orphan {
                        self.child_done(r.parent, r.attempt, true);
                    }
                } else {
                    self.fail(id, Reason::QueueFull);
                }
            }
        }
    }

    fn enqueue(&mut self, comp: usize, inst: usize, id: u32) {
        self.records[id as usize].inst = inst as u16;
        if !self.alive(comp, inst) {
            self.fail(id, Reason::InstanceDown);
            return;
        }
        let limit = match self.spec(comp) {
            Spec::Service(s) => s.queue_limit,
            Spec::Database(d) => d.queue_limit,
            _ => u32::MAX,
        } as usize;
        let i = &mut self.comps[comp].insts[inst];
        if i.busy < i.slots {
            self.start(comp, inst, id);
        } else if i.queue.len() < limit {
            i.queue.push_back(id);
            self.records[id as usize].phase = Phase::Queued;
        } else {
            self.fail(id, Reason::QueueFull);
        }
    }

    fn sample(&mut self, mean_ms: f64, dist: ServiceTime) -> f64 {
        let ms = match dist {
            ServiceTime::Constant => mean_ms,
            ServiceTime::Exponential => -mean_ms * (1.0 - self.rng.unit()).ln(),
            ServiceTime::Lognormal { sigma } => {
                // Box–Muller; mu keeps the mean at `mean_ms`.
                let u1 = 1.0 - self.rng.unit();
                let u2 = self.rng.unit();
                let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                (mean_ms.ln() - sigma * sigma / 2.0 + sigma * z).exp()
            }
        };
        ms / 1000.0
    }

    /// Put the call on a server of `inst`.
    fn start(&mut self, comp: usize, inst: usize, id: u32) {
        let now = self.now;
        let r = self.records[id as usize];
        {
            let c = &mut self.comps[comp];
            c.acc.touch(now);
            c.acc.busy += 1;
            c.insts[inst].busy += 1;
            c.acc.wait_sum += now - r.arrived;
            c.acc.waits += 1;
        }
        let slow = self.comps[comp].insts[inst].slow;
        let t = match self.spec(comp) {
            Spec::Service(s) => self.sample(s.service_ms, s.service_time) * slow,
            Spec::Database(d) => {
                let sync_wait = if r.write && d.replicas > 0 && d.replication == Replication::Sync {
                    d.replica_lag_ms / 1000.0
                } else {
                    0.0
                };
                let mean = if r.write { d.write_ms } else { d.read_ms };
                self.sample(mean, d.service_time) * slow + sync_wait
            }
            Spec::Queue(_) => {
                // A consumer picks the message up and delivers it.
                self.records[id as usize].phase = Phase::Calling;
                self.issue(id, 0, NO_INST);
                return;
            }
            _ => 0.0,
        };
        let r = &mut self.records[id as usize];
        r.phase = Phase::Serving;
        let epoch = r.epoch;
        self.push(now + t, Ev::Done { call: id, epoch });
    }

    fn done(&mut self, id: u32) {
        let comp = self.records[id as usize].comp as usize;
        match self.spec(comp) {
            Spec::Service(_) => {
                let r = &mut self.records[id as usize];
                r.phase = Phase::Calling;
                r.next = 0;
                self.next_downstream(id);
            }
            Spec::Database(d) => {
                if !self.comps[comp].copies.is_empty() {
                    self.database_answer(comp, id);
                }
                let r = self.records[id as usize];
                if r.write && d.replicas > 0 && d.replication == Replication::Async {
                    let lag = d.replica_lag_ms / 1000.0;
                    let shard = self.shard_of(comp, r.key);
                    let s = &mut self.comps[comp].shards[shard];
                    s.acks.push_back(self.now);
                    while s.acks.front().is_some_and(|&t| t <= self.now - lag) {
                        s.acks.pop_front();
                    }
                }
                self.finish(id, true);
            }
            _ => self.finish(id, true),
        }
    }

    /// A service calls its downstreams in order, `fanout` calls in parallel to each.
    fn next_downstream(&mut self, id: u32) {
        let r = self.records[id as usize];
        let comp = r.comp as usize;
        let Spec::Service(s) = self.spec(comp) else {
            return;
        };
        let fanout = s.fanout as u16;
        if r.next as usize >= self.comps[comp].calls.len() {
            self.finish(id, true);
            return;
        }
        self.records[id as usize].pending = fanout;
        for _ in 0..fanout {
            self.issue(id, 0, NO_INST);
        }
    }

    /// Send a call from `parent` to its current downstream (attempt `attempt`).
    fn issue(&mut self, parent: u32, attempt: u8, hint: u16) {
        let p = self.records[parent as usize];
        let pc = p.comp as usize;
        let callee = if matches!(self.spec(pc), Spec::Service(_)) {
            p.next
        } else {
            0
        };
        let target = self.comps[pc].calls[callee as usize] as usize;
        let mut timeout = None;
        let mut key = p.key;
        if let Spec::Service(s) = self.spec(pc) {
            timeout = s.timeout_ms;
            if let Some(b) = s.breaker {
                let now = self.now;
                let st = &mut self.comps[pc].breakers[callee as usize];
                let open = st.open_until > now;
                let half_open = !open && st.open_until > 0.0;
                if open || (half_open && st.trial) {
                    if p.legit && !self.optional_call(parent) {
                        self.comps[pc].acc.origin[Reason::BreakerOpen as usize] += 1;
                    }
                    let _ = b;
                    self.child_done(parent, attempt, false);
                    return;
                }
                if half_open {
                    st.trial = true;
                }
            }
            if s.fanout > 1 {
                key = self.keys.sample(&mut self.rng);
            }
        }
        let child = self.alloc(Call {
            epoch: 0,
            parent,
            comp: target as u16,
            inst: hint,
            phase: Phase::New,
            write: p.write,
            orphan: false,
            failed: false,
            legit: p.legit,
            detached: false,
            attempt,
            next: 0,
            pending: 0,
            key,
            client: p.client,
            arrived: self.now,
            as_of: f64::INFINITY,
            stale_since: f64::INFINITY,
        });
        if let Some(ms) = timeout {
            let epoch = self.records[child as usize].epoch;
            self.push(self.now + ms / 1000.0, Ev::Timeout { call: child, epoch });
        }
        self.arrive(target, child);
    }

    /// A call from `parent` came back (or was given up on).
    fn child_done(&mut self, parent: u32, attempt: u8, ok: bool) {
        let p = self.records[parent as usize];
        let comp = p.comp as usize;
        match self.spec(comp) {
            Spec::Service(s) => {
                let (retries, backoff, breaker) = (s.retries, s.backoff_ms, s.breaker);
                let optional = s.optional.contains(&(p.next as usize));
                if let Some(b) = breaker {
                    let now = self.now;
                    let st = &mut self.comps[comp].breakers[p.next as usize];
                    if ok {
                        *st = BreakerState::default();
                    } else {
                        st.consecutive += 1;
                        if st.trial || st.consecutive >= b.failures {
                            st.open_until = now + b.open_s;
                            st.trial = false;
                        }
                    }
                }
                if !ok && u32::from(attempt) < retries {
                    // Full jitter: uniform in [0, backoff · 2^attempt).
                    let wait = self.rng.unit() * backoff / 1000.0 * f64::from(1u32 << attempt);
                    self.push(
                        self.now + wait,
                        Ev::Retry {
                            call: parent,
                            epoch: p.epoch,
                            attempt: attempt + 1,
                        },
                    );
                    return;
                }
                let r = &mut self.records[parent as usize];
                r.pending -= 1;
                r.failed |= !ok && !optional;
                if r.pending == 0 {
                    if r.failed {
                        self.finish(parent, false);
                    } else {
                        r.next += 1;
                        self.next_downstream(parent);
                    }
                }
            }
            Spec::Cache(c) | Spec::Cdn(c) => {
                if self.alive(comp, 0) {
                    match (p.write, c.write) {
                        // Delete after the origin answered, ok or not (a failed write may
                        // still have committed): the order that leaves no stale copy
                        // behind, unless a read fetched before the commit stores after it.
                        (true, WritePolicy::CacheAside) => {
                            if let Some(lru) = self.comps[comp].lru.as_mut() {
                                lru.remove(p.key);
                            }
                        }
                        (true, WritePolicy::None) => {}
                        (true, WritePolicy::WriteThrough) | (false, _) if ok => {
                            self.fill(comp, p);
                        }
                        _ => {}
                    }
                }
                self.finish(parent, ok);
            }
            Spec::Queue(q) => {
                if !ok && u32::from(attempt) < q.retries {
                    self.issue(parent, attempt + 1, NO_INST);
                    return;
                }
                if !ok {
                    if p.write {
                        self.writes_lost += 1;
                    }
                    self.comps[comp].acc.origin[Reason::DeadLetter as usize] += 1;
                }
                self.finish(parent, ok);
            }
            Spec::Lb(lb) => {
                if !ok && u32::from(attempt) < lb.retries {
                    // Try another backend at once; the balancer sees the failed one's
                    // connection closed.
                    let client = p.client;
                    let c = &mut self.comps[comp];
                    if p.inst != NO_INST {
                        c.backends[p.inst as usize].active -= 1;
                    }
                    let picked = c
                        .balancer
                        .as_mut()
                        .and_then(|b| b.pick(client, &c.backends));
                    match picked {
                        Some(i) => {
                            c.backends[i].active += 1;
                            self.records[parent as usize].inst = i as u16;
                            self.issue(parent, attempt + 1, i as u16);
                        }
                        None => {
                            self.records[parent as usize].inst = NO_INST;
                            self.fail(parent, Reason::NoHealthyBackend);
                        }
                    }
                    return;
                }
                self.finish(parent, ok)
            }
            _ => self.finish(parent, ok),
        }
    }

    /// True when `parent` is calling a downstream it can do without: its failures are not
    /// the request's errors, so they are not reported as where errors came from.
    fn optional_call(&self, parent: u32) -> bool {
        let p = &self.records[parent as usize];
        match self.spec(p.comp as usize) {
            Spec::Service(s) => s.optional.contains(&(p.next as usize)),
            _ => false,
        }
    }

    fn fail(&mut self, id: u32, reason: Reason) {
        let r = self.records[id as usize];
        if r.legit {
            self.comps[r.comp as usize].acc.origin[reason as usize] += 1;
        } else if reason == Reason::RateLimited {
            self.abuser_rejected += 1;
        }
        self.finish(id, false);
    }

    /// The component answers the call: free its server, record, and tell the caller.
    fn finish(&mut self, id: u32, ok: bool) {
        let now = self.now;
        let r = self.records[id as usize];
        let comp = r.comp as usize;
        let c = &mut self.comps[comp];
        c.acc.touch(now);
        c.acc.n -= 1;
        c.acc.departures += 1;
        c.acc.sojourn_sum += now - r.arrived;
        if ok {
            c.acc.served += 1;
        } else {
            c.acc.errors += 1;
        }
        let holds_server = match self.design.components[comp].spec {
            Spec::Service(_) | Spec::Database(_) => {
                matches!(r.phase, Phase::Serving | Phase::Calling)
            }
            Spec::Queue(_) => r.detached && r.phase == Phase::Calling,
            _ => false,
        };
        if matches!(self.design.components[comp].spec, Spec::Lb(_)) && r.inst != NO_INST {
            c.backends[r.inst as usize].active -= 1;
        }
        self.release_record(id);
        if holds_server {
            self.release_server(comp, r.inst as usize);
        }
        if r.detached {
            return;
        }
        if r.parent == NONE {
            // Only a cache hit sets `stale_since`, together with its own time as `as_of`.
            let staleness = (r.stale_since < f64::INFINITY).then_some(r.as_of - r.stale_since);
            self.root_done(r.legit, r.arrived, ok, r.write, staleness);
        } else if !r.orphan {
            if ok && r.as_of < f64::INFINITY {
                // The answer's data goes up with it; a caller holding data from two calls
                // (a service calling two stores for the same key) keeps the older.
                let p = &mut self.records[r.parent as usize];
                if p.key == r.key && r.as_of < p.as_of {
                    p.as_of = r.as_of;
                    p.stale_since = r.stale_since;
                }
            }
            self.child_done(r.parent, r.attempt, ok);
        }
    }

    fn release_server(&mut self, comp: usize, inst: usize) {
        let now = self.now;
        let alive = self.alive(comp, inst);
        let c = &mut self.comps[comp];
        c.acc.touch(now);
        c.acc.busy -= 1;
        let i = &mut c.insts[inst];
        i.busy -= 1;
        if alive && let Some(next) = i.queue.pop_front() {
            self.start(comp, inst, next);
        }
    }

    /// A request finished. `staleness` (seconds): how out of date the cached copy that
    /// answered a read was when the cache served it, if it was.
    fn root_done(
        &mut self,
        legit: bool,
        arrived: f64,
        ok: bool,
        write: bool,
        staleness: Option<f64>,
    ) {
        if !legit {
            return;
        }
        let latency_ms = (self.now - arrived) * 1000.0;
        let in_time = latency_ms <= self.design.workload.timeout_ms;
        self.requests += 1;
        let second = (arrived as usize).min(self.seconds.len() - 1);
        self.seconds[second].requests += 1;
        if ok && in_time {
            self.ok += 1;
            self.latency.record(latency_ms);
            if !write {
                self.reads_ok += 1;
                if let Some(s) = staleness {
                    self.stale_reads += 1;
                    self.max_stale = self.max_stale.max(s);
                }
            }
        } else {
            if ok {
                self.client_timeouts += 1;
            }
            self.errors += 1;
            self.seconds[second].errors += 1;
        }
    }

    // ----- databases and caches -------------------------------------------------------------

    fn shard_of(&self, comp: usize, key: u32) -> usize {
        let Spec::Database(d) = self.spec(comp) else {
            return 0;
        };
        let shards = d.shards as u64;
        match d.sharding {
            Sharding::Hash => (u64::from(balancers::hash_client(key)) % shards) as usize,
            Sharding::Range => {
                (u64::from(key) * shards / u64::from(self.design.workload.keys)) as usize
            }
        }
    }

    fn arrive_database(&mut self, comp: usize, id: u32) {
        let r = self.records[id as usize];
        let shard = self.shard_of(comp, r.key);
        let s = &self.comps[comp].shards[shard];
        let primary = s.nodes[s.primary] as usize;
        let primary_ok = self.alive(comp, primary);
        let node = if r.write {
            if !primary_ok {
                self.fail(id, Reason::NoPrimary);
                return;
            }
            primary
        } else {
            // Reads go to a live replica, round-robin; to the primary when there is none.
            let n = s.nodes.len();
            let start = s.rr;
            let replica = balancers::scan_order(start, n)
                .filter(|&k| k != s.primary)
                .map(|k| (k, s.nodes[k] as usize))
                .find(|&(_, node)| self.alive(comp, node));
            match replica {
                Some((k, node)) => {
                    self.comps[comp].shards[shard].rr = k + 1;
                    node
                }
                None if primary_ok => primary,
                None => {
                    self.fail(id, Reason::InstanceDown);
                    return;
                }
            }
        };
        self.enqueue(comp, node, id);
    }

    fn arrive_cache(&mut self, comp: usize, id: u32) {
        let r = self.records[id as usize];
        let now = self.now;
        let alive = self.alive(comp, 0);
        let (Spec::Cache(spec) | Spec::Cdn(spec)) = self.spec(comp) else {
            return;
        };
        let (ttl, hit_ms) = (spec.ttl_s, spec.hit_ms);
        let c = &mut self.comps[comp];
        // Writes pass through to the origin; what they do to the cached copy happens when the
        // origin answers (`child_done`), after the database has committed them.
        if !r.write {
            // A dead cache node is bypassed: every read goes to the origin, as cache
            // clients treat a cache error as a miss.
            let hit = if alive {
                c.lru.as_mut().and_then(|l| l.get(r.key, now, ttl))
            } else {
                None
            };
            if let Some(stale_since) = hit {
                c.acc.hits += 1;
                if stale_since < f64::INFINITY {
                    let staleness = now - stale_since;
                    c.acc.stale_hits += 1;
                    c.acc.max_stale = c.acc.max_stale.max(staleness);
                    if let Some(h) = c.stale_ms.as_mut() {
                        h.record(staleness * 1000.0);
                    }
                }
                let rec = &mut self.records[id as usize];
                rec.phase = Phase::Hit;
                rec.as_of = now;
                rec.stale_since = stale_since;
                let epoch = rec.epoch;
                c.hits.push_back((now + hit_ms / 1000.0, id, epoch));
                return;
            }
            c.acc.misses += 1;
        }
        self.records[id as usize].phase = Phase::Calling;
        self.issue(id, 0, NO_INST);
    }

    /// Store the answer of the cache's call `p` as the cache's copy of its key. The copy is
    /// as out of date as the answer was, or, when a database behind the cache committed a
    /// write to the key after the answer was read, since that write.
    fn fill(&mut self, comp: usize, p: Call) {
        let now = self.now;
        let mut stale_since = p.stale_since;
        // An answer without data (a queue accepted a write-through write, which commits
        // later) is taken as current: its own later commit then counts as a change.
        if p.as_of < now {
            for &d in &self.comps[comp].sources {
                if let Some(t) = self.comps[d as usize]
                    .commits
                    .as_ref()
                    .and_then(|log| log.first_after(p.key, p.as_of))
                {
                    stale_since = stale_since.min(t);
                }
            }
        }
        if let Some(lru) = self.comps[comp].lru.as_mut() {
            lru.insert(p.key, now, stale_since);
        }
    }

    /// A database with caches in front answers call `id`: a write commits (and makes those
    /// caches' copies of the key out of date), a read says as of when its data is.
    fn database_answer(&mut self, comp: usize, id: u32) {
        let now = self.now;
        let r = self.records[id as usize];
        let as_of = if r.write {
            if let Some(log) = self.comps[comp].commits.as_mut() {
                log.commit(r.key, now);
            }
            for k in 0..self.comps[comp].copies.len() {
                let c = self.comps[comp].copies[k] as usize;
                if let Some(lru) = self.comps[c].lru.as_mut() {
                    lru.mark_stale(r.key, now);
                }
            }
            now
        } else {
            let Spec::Database(d) = self.spec(comp) else {
                return;
            };
            let shard = self.shard_of(comp, r.key);
            let s = &self.comps[comp].shards[shard];
            let from_replica = s.nodes[s.primary] != r.inst;
            if from_replica && d.replication == Replication::Async {
                // An async replica has applied the primary's writes up to `lag` ago.
                now - d.replica_lag_ms / 1000.0
            } else {
                now
            }
        };
        let rec = &mut self.records[id as usize];
        rec.as_of = as_of;
        rec.stale_since = f64::INFINITY;
    }

    // ----- failures -------------------------------------------------------------------------

    fn failure(&mut self, index: usize, starting: bool) {
        let kind = self.design.failures[index].kind.clone();
        match kind {
            FailureKind::KillInstance {
                component,
                instance,
            } => self.kill(component, instance as usize, starting),
            FailureKind::PrimaryFailover { component, shard } => {
                let node = if starting {
                    let s = &self.comps[component].shards[shard as usize];
                    let node = s.nodes[s.primary];
                    self.failed_node[index] = node;
                    node
                } else {
                    self.failed_node[index]
                };
                if node != NO_INST {
                    self.kill(component, node as usize, starting);
                }
            }
            FailureKind::ZoneOutage { zone } => {
                let before: Vec<Vec<bool>> = (0..self.comps.len())
                    .map(|c| {
                        (0..self.comps[c].insts.len())
                            .map(|i| self.alive(c, i))
                            .collect()
                    })
                    .collect();
                self.zone_down[zone] = starting;
                for (c, was) in before.iter().enumerate() {
                    for (i, &was_alive) in was.iter().enumerate() {
                        let now_alive = self.alive(c, i);
                        if was_alive && !now_alive {
                            self.on_death(c, i);
                        } else if !was_alive && now_alive {
                            self.on_revive(c, i);
                        }
                    }
                }
            }
            FailureKind::ColdCache { component } => {
                if starting && let Some(lru) = self.comps[component].lru.as_mut() {
                    lru.clear();
                }
            }
            FailureKind::Slow {
                component,
                instance,
                factor,
            } => {
                for (k, i) in self.comps[component].insts.iter_mut().enumerate() {
                    if instance.is_some_and(|n| n as usize != k) {
                        continue;
                    }
                    if starting {
                        i.slow *= factor;
                    } else {
                        i.slow /= factor;
                    }
                }
            }
            // Surges act through the arrival rate.
            FailureKind::Surge { .. } => {}
        }
    }

    fn kill(&mut self, comp: usize, inst: usize, starting: bool) {
        // A schedule resolved against a larger design (the TUI can remove instances) names
        // an instance that no longer exists: nothing to kill.
        if inst >= self.comps[comp].insts.len() {
            return;
        }
        let was = self.alive(comp, inst);
        let i = &mut self.comps[comp].insts[inst];
        if starting {
            i.kills += 1;
        } else {
            i.kills = i.kills.saturating_sub(1);
        }
        let is = self.alive(comp, inst);
        if was && !is {
            self.on_death(comp, inst);
        } else if !was && is {
            self.on_revive(comp, inst);
        }
    }

    /// Everything the instance was doing or holding fails now; calls it had made downstream
    /// answer no one.
    fn on_death(&mut self, comp: usize, inst: usize) {
        match self.spec(comp) {
            Spec::Service(_) | Spec::Database(_) => {}
            _ => return,
        }
        let victims: Vec<u32> = (0..self.records.len() as u32)
            .filter(|&id| {
                let r = &self.records[id as usize];
                r.comp as usize == comp
                    && r.inst as usize == inst
                    && matches!(r.phase, Phase::Queued | Phase::Serving | Phase::Calling)
            })
            .collect();
        if !victims.is_empty() {
            let mut is_victim = vec![false; self.records.len()];
            for &v in &victims {
                is_victim[v as usize] = true;
            }
            for r in &mut self.records {
                if r.phase != Phase::Free
                    && !r.detached
                    && r.parent != NONE
                    && is_victim[r.parent as usize]
                {
                    r.orphan = true;
                }
            }
        }
        self.comps[comp].insts[inst].queue.clear();
        for v in victims {
            // Pending retries and timeouts of the victim are dropped by the generation check.
            self.fail(v, Reason::InstanceDown);
        }
        if let Spec::Database(d) = self.spec(comp) {
            let (failover, lag, async_replicas) = (
                d.failover_s,
                d.replica_lag_ms / 1000.0,
                d.replicas > 0 && d.replication == Replication::Async,
            );
            let now = self.now;
            for (si, s) in self.comps[comp].shards.iter_mut().enumerate() {
                if s.nodes[s.primary] as usize == inst {
                    while s.acks.front().is_some_and(|&t| t <= now - lag) {
                        s.acks.pop_front();
                    }
                    s.at_risk = if async_replicas {
                        s.acks.len() as u64
                    } else {
                        0
                    };
                    if s.nodes.len() > 1 && !s.promote_pending {
                        s.promote_pending = true;
                        self.seq += 1;
                        self.heap.push(Entry::new(
                            now + failover,
                            self.seq,
                            Ev::Promote {
                                comp: comp as u16,
                                shard: si as u16,
                            },
                        ));
                    }
                }
            }
        }
    }

    fn on_revive(&mut self, comp: usize, _inst: usize) {
        if let Some(lru) = self.comps[comp].lru.as_mut() {
            // A restarted cache node comes back empty.
            lru.clear();
        }
    }

    fn promote(&mut self, comp: usize, shard: usize) {
        let primary = {
            let s = &mut self.comps[comp].shards[shard];
            s.promote_pending = false;
            s.nodes[s.primary] as usize
        };
        if self.alive(comp, primary) {
            return;
        }
        let nodes = self.comps[comp].shards[shard].nodes.clone();
        if let Some(k) = (0..nodes.len()).find(|&k| self.alive(comp, nodes[k] as usize)) {
            let s = &mut self.comps[comp].shards[shard];
            s.primary = k;
            s.acks.clear();
            self.writes_lost += std::mem::take(&mut s.at_risk);
        }
    }

    // ----- the report -----------------------------------------------------------------------

    fn report(mut self) -> Report {
        let end = self.cfg.duration_s;
        let timeout_s = self.design.workload.timeout_ms / 1000.0;
        // Requests still unanswered past the client's timeout have failed.
        let late: Vec<(f64, bool)> = self
            .records
            .iter()
            .filter(|r| r.phase != Phase::Free && r.parent == NONE && !r.detached)
            .map(|r| (r.arrived, r.legit))
            .collect();
        for (arrived, legit) in late {
            if legit && end - arrived > timeout_s {
                let target = self.design.workload.target;
                self.comps[target].acc.origin[Reason::ClientGaveUp as usize] += 1;
                self.root_done(true, arrived, false, false, None);
            }
        }
        let mut origins = Vec::new();
        for (i, c) in self.comps.iter_mut().enumerate() {
            c.acc.touch(end);
            for (k, &n) in c.acc.origin.iter().enumerate() {
                if n > 0 {
                    origins.push(ErrorOrigin {
                        component: self.design.components[i].name.clone(),
                        reason: Reason::label(k),
                        count: n,
                    });
                }
            }
        }
        if self.client_timeouts > 0 {
            origins.push(ErrorOrigin {
                component: self.design.components[self.design.workload.target]
                    .name
                    .clone(),
                reason: Reason::label(Reason::ClientGaveUp as usize),
                count: self.client_timeouts,
            });
        }
        origins.sort_by(|a, b| b.count.cmp(&a.count).then(a.component.cmp(&b.component)));
        let components = self
            .comps
            .iter()
            .zip(&self.design.components)
            .map(|(c, d)| {
                let a = &c.acc;
                let has_servers = matches!(
                    d.spec,
                    Spec::Service(_) | Spec::Database(_) | Spec::Queue(_)
                );
                let ratio = |x: f64, n: u64| if n == 0 { None } else { Some(x / n as f64) };
                ComponentReport {
                    name: d.name.clone(),
                    kind: d.kind().name(),
                    utilization: (has_servers && c.slots_total > 0)
                        .then(|| a.area_busy / (f64::from(c.slots_total) * end)),
                    mean_wait_ms: if has_servers {
                        ratio(a.wait_sum * 1000.0, a.waits)
                    } else {
                        None
                    },
                    mean_latency_ms: ratio(a.sojourn_sum * 1000.0, a.departures),
                    mean_in_system: a.area_n / end,
                    throughput_rps: a.departures as f64 / end,
                    served: a.served,
                    errors: a.errors,
                    hit_ratio: if c.lru.is_some() {
                        ratio(a.hits as f64, a.hits + a.misses)
                    } else {
                        None
                    },
                    stale_reads: c.lru.is_some().then_some(a.stale_hits),
                    stale_ratio: if c.lru.is_some() {
                        ratio(a.stale_hits as f64, a.hits)
                    } else {
                        None
                    },
                    max_staleness_ms: c.lru.is_some().then_some(a.max_stale * 1000.0),
                    p99_staleness_ms: c.stale_ms.as_ref().filter(|_| a.hits > 0).map(|h| {
                        // Current hits are the zeros below the stale ones.
                        let rank = ((0.99 * a.hits as f64).ceil() as u64).clamp(1, a.hits);
                        let current = a.hits - a.stale_hits;
                        if rank <= current {
                            0.0
                        } else {
                            h.at_rank(rank - current).unwrap_or(0.0)
                        }
                    }),
                }
            })
            .collect();
        let up = self
            .seconds
            .iter()
            .filter(|s| s.errors * 100 <= s.requests)
            .count();
        let queued_at_end: usize = (0..self.comps.len())
            .filter(|&i| matches!(self.design.components[i].spec, Spec::Queue(_)))
            .map(|i| {
                self.comps[i]
                    .insts
                    .iter()
                    .map(|n| n.queue.len())
                    .sum::<usize>()
            })
            .sum();
        Report {
            seed: self.cfg.seed,
            duration_s: end,
            metrics: Metrics {
                p50_ms: self.latency.quantile(0.5),
                p99_ms: self.latency.quantile(0.99),
                error_rate: if self.requests == 0 {
                    0.0
                } else {
                    self.errors as f64 / self.requests as f64
                },
                availability: up as f64 / self.seconds.len() as f64,
                cost_per_month: 0.0,
                throughput_rps: self.ok as f64 / end,
                requests: self.requests,
                errors: self.errors,
                writes_lost: self.writes_lost,
                abuser_requests: self.abuser_requests,
                abuser_rejected: self.abuser_rejected,
                stale_read_rate: if self.reads_ok == 0 {
                    0.0
                } else {
                    self.stale_reads as f64 / self.reads_ok as f64
                },
                max_staleness_ms: self.max_stale * 1000.0,
                queued_at_end: queued_at_end as u64,
            },
            components,
            errors: origins,
            seconds: self.seconds,
        }
    }
}
