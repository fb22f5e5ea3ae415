//! Chapter 2, a synchronous call chain against a message queue. A producer (an API) hands
//! each request's work to a downstream service with a few workers. Called synchronously, the
//! caller waits for the work, so the downstream service's latency and failures reach the
//! client. Through a queue, the producer answers 202 at once and consumers drain the queue
//! later, so an outage only makes the queue grow; once the queue is bounded it pushes back,
//! with a 503 or by blocking the producer.

use std::collections::{BTreeMap, VecDeque};

use serde_json::json;

use super::event_log::EventLog;
use super::latency::LatencyHistogram;
use super::param_table::{self, Param, specs};
use super::registry::KindSpec;
use super::rng::Rng;
use super::{Action, Simulation, Summary};

pub const KIND: &str = "message-queue";
/// A client gives up after this many ticks without an answer: a 504 from the gateway.
pub const CLIENT_TIMEOUT: u64 = 30;
/// A slowed-down downstream service takes this many times longer per job.
pub const SLOW_FACTOR: u64 = 4;
/// Ticks of history kept for the widget's charts.
pub const HISTORY: usize = 120;
const MAX_CONSUMERS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Sync,
    Queue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// Refuse new work with 503 Service Unavailable; the client should retry with backoff.
    Reject,
    /// Make the producer wait for room, so the client waits too.
    Block,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A caller is blocked on this job and gets its answer when the job is done.
    Caller,
    /// A queued message; its client already has a 202.
    Message,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    pub id: u64,
    pub arrived: u64,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub job: Job,
    pub done_at: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Worker {
    pub busy: Option<Busy>,
    pub jobs_done: u64,
}

/// One tick's figures, for the charts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickStats {
    pub queue_depth: u32,
    pub waiting: u32,
    pub errors: u32,
    /// The slowest answer a client got this tick.
    pub worst_latency: u32,
}

#[derive(Debug, Clone)]
pub struct MessageQueueSim {
    seed: u64,
    rng: Rng,
    now: u64,
    mode: Mode,
    arrival_rate: f64,
    work_ticks: u64,
    queue_limit: usize,
    overflow: Overflow,
    outage_at: i64,
    outage_len: i64,
    downstream_up: bool,
    slow: bool,
    workers: Vec<Worker>,
    /// Synchronous callers waiting for a free worker.
    waiting: VecDeque<Job>,
    queue: VecDeque<Job>,
    /// Producers blocked on a full queue (overflow = block), oldest first.
    blocked: VecDeque<Job>,
    next_id: u64,
    arrived: u64,
    ok_responses: u64,
    completed: u64,
    failed_502: u64,
    rejected_503: u64,
    timed_out_504: u64,
    redelivered: u64,
    max_queue_depth: usize,
    /// The most messages the queue has held at once, waiting and unacknowledged.
    max_occupancy: usize,
    client_latency: LatencyHistogram,
    job_latency: LatencyHistogram,
    history: VecDeque<TickStats>,
    this_tick: TickStats,
    log: EventLog,
}

const TABLE: [Param<MessageQueueSim>; 8] = [
    Param::choice("mode", &["sync", "queue"], "sync")
        .help(
            "sync: the caller waits for the downstream service; queue: it enqueues and returns 202",
        )
        .field(
            |s| match s.mode {
                Mode::Sync => "sync",
                Mode::Queue => "queue",
            },
            |s, v| {
                s.mode = if v == "queue" {
                    Mode::Queue
                } else {
                    Mode::Sync
                }
            },
        ),
    Param::float("arrival_rate", 0.0, 4.0, "0.6")
        .help("requests arriving per tick")
        .field(|s| s.arrival_rate, |s, v| s.arrival_rate = v),
    Param::int("consumers", 1, 8, "2")
        .help("workers in the downstream service, each doing one job at a time")
        .field(|s| s.workers.len() as i64, |s, v| s.resize(v as usize)),
    Param::int("work_ticks", 1, 20, "3")
        .help("ticks a worker spends on one job")
        .field(|s| s.work_ticks as i64, |s, v| s.work_ticks = v as u64),
    Param::int("queue_limit", 0, 500, "0")
        .help("most messages the queue holds (0: unbounded)")
        .field(
            |s| s.queue_limit as i64,
            |s, v| {
                s.queue_limit = v as usize;
                s.unblock_producers();
            },
        ),
    Param::choice("overflow", &["reject", "block"], "reject")
        .help("when the bounded queue is full: reject with 503, or block the producer")
        .field(
            |s| match s.overflow {
                Overflow::Reject => "reject",
                Overflow::Block => "block",
            },
            |s, v| {
                s.overflow = if v == "block" {
                    Overflow::Block
                } else {
                    Overflow::Reject
                }
            },
        ),
    Param::int("outage_at", 0, 1_000_000, "30")
        .help("tick at which the downstream service goes down (0: never)")
        .field(|s| s.outage_at, |s, v| s.outage_at = v),
    Param::int("outage_len", 0, 1_000_000, "20")
        .help("ticks until it comes back (0: stays down until revived by hand)")
        .field(|s| s.outage_len, |s, v| s.outage_len = v),
];

pub const SPEC: KindSpec = KindSpec {
    name: KIND,
    title: "Synchronous calls vs a message queue",
    description: "A producer hands work to a downstream service, either by calling it and \
        waiting, or through a queue drained by consumers. Take the downstream service \
        down or slow it, and bound the queue to see back pressure: 503 or a blocked producer.",
    params: &specs(&TABLE),
    build: MessageQueueSim::boxed,
};

static ACTIONS: &[Action] = &[
    Action {
        key: 'm',
        label: "sync/queue",
    },
    Action {
        key: 'd',
        label: "downstream down/up",
    },
    Action {
        key: 's',
        label: "slow downstream",
    },
    Action {
        key: 'b',
        label: "bound queue 10/off",
    },
    Action {
        key: 'o',
        label: "overflow 503/block",
    },
    Action {
        key: 'a',
        label: "add consumer",
    },
    Action {
        key: 'x',
        label: "remove consumer",
    },
];

impl MessageQueueSim {
    pub fn new(seed: u64) -> Self {
        MessageQueueSim {
            seed,
            rng: Rng::new(seed),
            now: 0,
            mode: Mode::Sync,
            arrival_rate: 0.6,
            work_ticks: 3,
            queue_limit: 0,
            overflow: Overflow::Reject,
            outage_at: 30,
            outage_len: 20,
            downstream_up: true,
            slow: false,
            workers: vec![Worker::default(); 2],
            waiting: VecDeque::new(),
            queue: VecDeque::new(),
            blocked: VecDeque::new(),
            next_id: 1,
            arrived: 0,
            ok_responses: 0,
            completed: 0,
            failed_502: 0,
            rejected_503: 0,
            timed_out_504: 0,
            redelivered: 0,
            max_queue_depth: 0,
            max_occupancy: 0,
            client_latency: LatencyHistogram::new(),
            job_latency: LatencyHistogram::new(),
            history: VecDeque::with_capacity(HISTORY),
            this_tick: TickStats::default(),
            log: EventLog::new(),
        }
    }

    pub fn boxed(seed: u64) -> Box<dyn Simulation> {
        Box::new(Self::new(seed))
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }
    pub fn overflow(&self) -> Overflow {
        self.overflow
    }
    pub fn queue_limit(&self) -> usize {
        self.queue_limit
    }
    pub fn downstream_up(&self) -> bool {
        self.downstream_up
    }
    pub fn slow(&self) -> bool {
        self.slow
    }
    pub fn workers(&self) -> &[Worker] {
        &self.workers
    }
    pub fn queue_depth(&self) -> usize {
        self.queue.len()
    }
    pub fn waiting_callers(&self) -> usize {
        self.waiting.len()
    }
    pub fn blocked_producers(&self) -> usize {
        self.blocked.len()
    }
    pub fn history(&self) -> &VecDeque<TickStats> {
        &self.history
    }
    pub fn client_latency(&self) -> &LatencyHistogram {
        &self.client_latency
    }
    pub fn job_latency(&self) -> &LatencyHistogram {
        &self.job_latency
    }
    pub fn log(&self) -> &EventLog {
        &self.log
    }
    pub fn arrived(&self) -> u64 {
        self.arrived
    }
    pub fn ok_responses(&self) -> u64 {
        self.ok_responses
    }
    pub fn completed(&self) -> u64 {
        self.completed
    }
    /// Requests answered with a 5xx: 502 (downstream failed), 503 (queue full), 504 (timeout).
    pub fn failed(&self) -> u64 {
        self.failed_502 + self.rejected_503 + self.timed_out_504
    }
    pub fn failed_502(&self) -> u64 {
        self.failed_502
    }
    pub fn rejected_503(&self) -> u64 {
        self.rejected_503
    }
    pub fn timed_out_504(&self) -> u64 {
        self.timed_out_504
    }
    pub fn max_queue_depth(&self) -> usize {
        self.max_queue_depth
    }
    /// The most messages the queue has held at once, counted as `queue_occupancy` counts.
    pub fn max_occupancy(&self) -> usize {
        self.max_occupancy
    }
    /// Jobs a worker is doing right now.
    pub fn in_progress(&self) -> usize {
        self.workers.iter().filter(|w| w.busy.is_some()).count()
    }

    fn answer_ok(&mut self, arrived: u64) {
        let latency = self.now - arrived + 1;
        self.ok_responses += 1;
        self.client_latency.record(latency);
        self.this_tick.worst_latency = self.this_tick.worst_latency.max(latency as u32);
    }

    fn fail(&mut self, status: u16) {
        match status {
            502 => self.failed_502 += 1,
            503 => self.rejected_503 += 1,
            _ => self.timed_out_504 += 1,
        }
        self.this_tick.errors += 1;
    }

    fn go_down(&mut self, why: &str) {
        if !self.downstream_up {
            return;
        }
        self.downstream_up = false;
        // A synchronous call in flight breaks and its caller gets the error; an unacknowledged
        // message goes back to the queue (at-least-once delivery).
        let mut broken_calls = 0;
        let mut requeued = Vec::new();
        for worker in &mut self.workers {
            if let Some(busy) = worker.busy.take() {
                match busy.job.origin {
                    Origin::Caller => broken_calls += 1,
                    Origin::Message => requeued.push(busy.job),
                }
            }
        }
        requeued.sort_by_key(|j| j.id);
        self.redelivered += requeued.len() as u64;
        for job in requeued.into_iter().rev() {
            self.queue.push_front(job);
        }
        broken_calls += self.waiting.len();
        self.waiting.clear();
        for _ in 0..broken_calls {
            self.fail(502);
        }
        self.log.push(
            self.now,
            match broken_calls {
                0 => format!("downstream down ({why}): queued work waits for it"),
                n => format!("downstream down ({why}): {n} waiting caller(s) get 502"),
            },
        );
    }

    fn come_up(&mut self, why: &str) {
        if !self.downstream_up {
            self.downstream_up = true;
            self.log.push(
                self.now,
                format!(
                    "downstream up ({why}); {} message(s) queued",
                    self.queue.len()
                ),
            );
        }
    }

    /// Messages the queue holds: waiting ones plus those delivered but not yet acknowledged,
    /// which a broker keeps until the consumer acks them.
    pub fn queue_occupancy(&self) -> usize {
        self.queue.len() + self.messages_in_progress()
    }

    fn messages_in_progress(&self) -> usize {
        self.workers
            .iter()
            .filter(|w| w.busy.is_some_and(|b| b.job.origin == Origin::Message))
            .count()
    }

    fn queue_full(&self) -> bool {
        self.queue_limit > 0 && self.queue_occupancy() >= self.queue_limit
    }

    fn arrive(&mut self) {
        let job = Job {
            id: self.next_id,
            arrived: self.now,
            origin: match self.mode {
                Mode::Sync => Origin::Caller,
                Mode::Queue => Origin::Message,
            },
        };
        self.next_id += 1;
        self.arrived += 1;
        match self.mode {
            Mode::Sync if !self.downstream_up => self.fail(502),
            Mode::Sync => self.waiting.push_back(job),
            Mode::Queue if self.queue_full() || !self.blocked.is_empty() => match self.overflow {
                Overflow::Reject => {
                    self.fail(503);
                    if self.rejected_503 == 1 || self.rejected_503.is_multiple_of(25) {
                        self.log.push(
                            self.now,
                            format!(
                                "queue full at {}: 503 Service Unavailable, clients retry with backoff ({} so far)",
                                self.queue.len(),
                                self.rejected_503
                            ),
                        );
                    }
                }
                Overflow::Block => self.blocked.push_back(job),
            },
            Mode::Queue => self.enqueue(job),
        }
    }

    fn enqueue(&mut self, job: Job) {
        self.queue.push_back(job);
        self.max_queue_depth = self.max_queue_depth.max(self.queue.len());
        self.max_occupancy = self.max_occupancy.max(self.queue_occupancy());
        self.answer_ok(job.arrived);
    }

    fn unblock_producers(&mut self) {
        while !self.blocked.is_empty() && !self.queue_full() {
            if let Some(job) = self.blocked.pop_front() {
                self.enqueue(job);
            }
        }
    }

    fn time_out_clients(&mut self) {
        let now = self.now;
        let expired = |job: &Job| now - job.arrived >= CLIENT_TIMEOUT;
        let timed_out = self.waiting.iter().filter(|j| expired(j)).count()
            + self.blocked.iter().filter(|j| expired(j)).count();
        self.waiting.retain(|j| !expired(j));
        self.blocked.retain(|j| !expired(j));
        for _ in 0..timed_out {
            self.fail(504);
        }
        if timed_out > 0 {
            self.log.push(
                now,
                format!("{timed_out} client(s) gave up after {CLIENT_TIMEOUT} ticks: 504"),
            );
        }
    }

    fn finish_jobs(&mut self) {
        let now = self.now;
        let mut finished = Vec::new();
        for worker in &mut self.workers {
            if let Some(busy) = worker.busy
                && busy.done_at <= now
            {
                worker.busy = None;
                worker.jobs_done += 1;
                finished.push(busy.job);
            }
        }
        for job in finished {
            self.completed += 1;
            self.job_latency.record(now - job.arrived);
            if job.origin == Origin::Caller {
                self.answer_ok(job.arrived);
            }
        }
    }

    /// Free workers take the oldest waiting work, caller or message alike.
    fn start_jobs(&mut self) {
        if !self.downstream_up {
            return;
        }
        let work = if self.slow {
            self.work_ticks * SLOW_FACTOR
        } else {
            self.work_ticks
        };
        for i in 0..self.workers.len() {
            if self.workers[i].busy.is_some() {
                continue;
            }
            let take_caller = match (self.waiting.front(), self.queue.front()) {
                (Some(c), Some(m)) => c.arrived <= m.arrived,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let job = if take_caller {
                self.waiting.pop_front()
            } else {
                self.queue.pop_front()
            };
            if let Some(job) = job {
                self.workers[i].busy = Some(Busy {
                    job,
                    done_at: self.now + work,
                });
            }
        }
    }

    fn resize(&mut self, consumers: usize) {
        let consumers = consumers.clamp(1, MAX_CONSUMERS);
        while self.workers.len() > consumers {
            if let Some(worker) = self.workers.pop()
                && let Some(busy) = worker.busy
            {
                // The job is not lost: its caller waits again, or its message is redelivered.
                match busy.job.origin {
                    Origin::Caller => self.waiting.push_front(busy.job),
                    Origin::Message => {
                        self.redelivered += 1;
                        self.queue.push_front(busy.job);
                    }
                }
            }
        }
        self.workers.resize(consumers, Worker::default());
    }
}

impl Simulation for MessageQueueSim {
    param_table::common_methods!(kind: KIND, table: TABLE, actions: ACTIONS);

    fn step(&mut self) {
        self.now += 1;
        self.this_tick = TickStats::default();
        let now = self.now as i64;
        if self.outage_at > 0 && now == self.outage_at {
            self.go_down("scheduled outage");
        }
        if self.outage_at > 0 && self.outage_len > 0 && now == self.outage_at + self.outage_len {
            self.come_up("outage over");
        }
        self.finish_jobs();
        self.time_out_clients();
        let whole = self.arrival_rate.floor();
        let arrivals = whole as u64 + u64::from(self.rng.chance(self.arrival_rate - whole));
        for _ in 0..arrivals {
            self.arrive();
        }
        self.unblock_producers();
        self.start_jobs();
        self.this_tick.queue_depth = self.queue.len() as u32;
        self.this_tick.waiting = (self.waiting.len() + self.blocked.len()) as u32;
        if self.history.len() == HISTORY {
            self.history.pop_front();
        }
        self.history.push_back(self.this_tick);
    }

    fn action_label(&self, key: char) -> Option<String> {
        Some(
            match key {
                'm' if self.mode == Mode::Sync => "queue mode",
                'm' => "sync mode",
                'd' if self.downstream_up => "downstream down",
                'd' => "downstream up",
                's' if self.slow => "downstream fast",
                's' => "slow downstream",
                'b' if self.queue_limit == 0 => "bound queue at 10",
                'b' => "unbound queue",
                'o' if self.overflow == Overflow::Reject => "overflow: block",
                'o' => "overflow: 503",
                _ => return None,
            }
            .to_string(),
        )
    }

    fn act(&mut self, key: char) -> bool {
        let now = self.now;
        match key {
            'm' => {
                self.mode = match self.mode {
                    Mode::Sync => Mode::Queue,
                    Mode::Queue => Mode::Sync,
                };
                let state = match self.mode {
                    Mode::Sync => "sync: callers wait for the work",
                    Mode::Queue => "queue: 202 at once, consumers drain the queue",
                };
                self.log.push(now, format!("mode: {state}"));
            }
            'd' if self.downstream_up => self.go_down("by hand"),
            'd' => self.come_up("by hand"),
            's' => {
                self.slow = !self.slow;
                let state = if self.slow {
                    format!(
                        "on, a job takes {} ticks instead of {}",
                        self.work_ticks * SLOW_FACTOR,
                        self.work_ticks
                    )
                } else {
                    format!("off, a job takes {} ticks", self.work_ticks)
                };
                self.log.push(now, format!("slow downstream: {state}"));
            }
            'b' => {
                self.queue_limit = if self.queue_limit == 0 { 10 } else { 0 };
                self.unblock_producers();
                let limit = match self.queue_limit {
                    0 => "off, the queue is unbounded".to_string(),
                    n => format!("{n} messages"),
                };
                self.log.push(now, format!("queue bound: {limit}"));
            }
            'o' => {
                self.overflow = match self.overflow {
                    Overflow::Reject => Overflow::Block,
                    Overflow::Block => Overflow::Reject,
                };
                if self.overflow == Overflow::Reject {
                    let blocked = self.blocked.len();
                    self.blocked.clear();
                    for _ in 0..blocked {
                        self.fail(503);
                    }
                }
                let policy = match self.overflow {
                    Overflow::Reject => "reject with 503",
                    Overflow::Block => "block the producer",
                };
                let bound = if self.queue_limit == 0 {
                    " (once the queue is bounded)"
                } else {
                    ""
                };
                self.log
                    .push(now, format!("overflow: a full queue will {policy}{bound}"));
            }
            'a' | 'x' => {
                let n = self.workers.len();
                let target = if key == 'a' {
                    n + 1
                } else {
                    n.saturating_sub(1)
                };
                self.resize(target);
                let text = match (self.workers.len(), key) {
                    (m, 'a') if m == n => {
                        format!("already at the maximum of {MAX_CONSUMERS} consumers")
                    }
                    (m, _) if m == n => "already at the minimum of 1 consumer".to_string(),
                    (1, _) => "1 consumer".to_string(),
                    (m, _) => format!("{m} consumers"),
                };
                self.log.push_unless_repeated(now, text);
            }
            _ => return false,
        }
        true
    }

    fn summary(&self) -> Summary {
        let pct = |h: &LatencyHistogram, p: f64| h.percentile(p).unwrap_or(0) as f64;
        let metrics = BTreeMap::from([
            ("arrived", self.arrived as f64),
            ("answered_ok", self.ok_responses as f64),
            ("failed", self.failed() as f64),
            ("failed_502", self.failed_502 as f64),
            ("rejected_503", self.rejected_503 as f64),
            ("timed_out_504", self.timed_out_504 as f64),
            ("jobs_completed", self.completed as f64),
            ("redelivered", self.redelivered as f64),
            ("queue_depth", self.queue.len() as f64),
            ("max_queue_depth", self.max_queue_depth as f64),
            ("waiting_callers", self.waiting.len() as f64),
            ("blocked_producers", self.blocked.len() as f64),
            ("client_p50_ticks", pct(&self.client_latency, 50.0)),
            ("client_p99_ticks", pct(&self.client_latency, 99.0)),
            ("job_p50_ticks", pct(&self.job_latency, 50.0)),
            ("job_p99_ticks", pct(&self.job_latency, 99.0)),
        ]);
        let workers = self
            .workers
            .iter()
            .enumerate()
            .map(|(i, w)| {
                BTreeMap::from([
                    ("name", json!(format!("consumer-{}", i + 1))),
                    ("jobs_done", json!(w.jobs_done)),
                    ("busy", json!(w.busy.is_some())),
                ])
            })
            .collect();
        Summary::of(
            self,
            self.seed,
            metrics,
            [("consumers", workers)],
            self.log.to_vec(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ParamValue;
    use proptest::prelude::*;

    fn with(seed: u64, settings: &[(&str, ParamValue)]) -> MessageQueueSim {
        let mut sim = MessageQueueSim::new(seed);
        for (k, v) in settings {
            sim.set(k, v).unwrap();
        }
        sim
    }

    fn run(sim: &mut MessageQueueSim, ticks: u64) {
        for _ in 0..ticks {
            sim.step();
        }
    }

    fn choice(s: &str) -> ParamValue {
        ParamValue::Choice(s.into())
    }

    /// Every request is answered, failed, or still somewhere in the system.
    fn conserved(sim: &MessageQueueSim) -> bool {
        let pending_callers = sim.waiting.len()
            + sim.blocked.len()
            + sim
                .workers
                .iter()
                .filter(|w| w.busy.is_some_and(|b| b.job.origin == Origin::Caller))
                .count();
        sim.arrived == sim.ok_responses + sim.failed() + pending_callers as u64
    }

    #[test]
    fn the_chapter_point_a_queue_absorbs_the_outage_that_sync_calls_propagate() {
        let mut sync = with(3, &[]);
        let mut queued = with(3, &[("mode", choice("queue"))]);
        run(&mut sync, 60);
        run(&mut queued, 60);
        assert!(sync.failed() > 5, "the outage reaches sync callers");
        assert_eq!(
            queued.failed(),
            0,
            "the queue hides the outage from clients"
        );
        assert!(
            queued.max_queue_depth() > 5,
            "the queue grows during the outage"
        );
        // Sync callers wait for the work itself; queued clients only for the enqueue.
        assert!(sync.client_latency().percentile(50.0) > queued.client_latency().percentile(50.0));
        assert_eq!(queued.client_latency().max(), 1);
    }

    #[test]
    fn a_bounded_queue_pushes_back_with_503_or_blocking() {
        let bounded = [
            ("mode", choice("queue")),
            ("queue_limit", ParamValue::Int(5)),
        ];
        let mut reject = with(3, &bounded);
        run(&mut reject, 60);
        assert!(reject.rejected_503() > 0);
        assert!(reject.max_queue_depth() <= 5);

        let mut block = with(3, &bounded);
        block.set("overflow", &choice("block")).unwrap();
        run(&mut block, 70);
        assert_eq!(block.rejected_503(), 0);
        assert!(
            block.client_latency().max() > 1,
            "blocked producers make clients wait"
        );
    }

    #[test]
    fn slowing_the_downstream_slows_sync_callers() {
        let mut normal = with(5, &[("outage_at", ParamValue::Int(0))]);
        let mut slow = normal.clone();
        slow.act('s');
        run(&mut normal, 80);
        run(&mut slow, 80);
        assert!(slow.client_latency().percentile(99.0) > normal.client_latency().percentile(99.0));
    }

    #[test]
    fn toggles_log_their_new_state_and_limits_say_so() {
        let mut sim = MessageQueueSim::new(1);
        let last = |sim: &MessageQueueSim| sim.log().iter().last().unwrap().text.clone();
        sim.act('s');
        assert_eq!(
            last(&sim),
            "slow downstream: on, a job takes 12 ticks instead of 3"
        );
        sim.act('s');
        assert_eq!(last(&sim), "slow downstream: off, a job takes 3 ticks");
        sim.act('b');
        assert_eq!(last(&sim), "queue bound: 10 messages");
        sim.act('b');
        assert_eq!(last(&sim), "queue bound: off, the queue is unbounded");
        sim.act('o');
        assert_eq!(
            last(&sim),
            "overflow: a full queue will block the producer (once the queue is bounded)"
        );
        for _ in 0..10 {
            sim.act('a');
        }
        assert_eq!(sim.workers().len(), MAX_CONSUMERS);
        assert_eq!(last(&sim), "already at the maximum of 8 consumers");
        let said: Vec<&str> = sim.log().iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            said.iter().filter(|t| t.starts_with("already")).count(),
            1,
            "holding the key says it once"
        );
        for _ in 0..10 {
            sim.act('x');
        }
        assert_eq!(last(&sim), "already at the minimum of 1 consumer");
    }

    #[test]
    fn the_largest_backlog_seen_counts_unacknowledged_messages() {
        let mut sim = with(3, &[("mode", choice("queue"))]);
        for _ in 0..60 {
            sim.step();
            assert!(sim.queue_occupancy() <= sim.max_occupancy());
        }
        assert!(sim.max_occupancy() >= sim.max_queue_depth());
    }

    proptest! {
        #[test]
        fn requests_are_conserved(
            seed: u64,
            rate in 0.0f64..=4.0,
            limit in 0i64..20,
            actions in prop::collection::vec((0u64..150, prop::sample::select(vec!['m', 'd', 's', 'b', 'o', 'a', 'x'])), 0..15),
        ) {
            let mut sim = with(seed, &[("arrival_rate", ParamValue::Float(rate)), ("queue_limit", ParamValue::Int(limit))]);
            for t in 0..150 {
                for &(at, key) in &actions {
                    if at == t { prop_assert!(sim.act(key)); }
                }
                sim.step();
                prop_assert!(conserved(&sim));
            }
        }

        #[test]
        fn a_bounded_queue_never_exceeds_its_limit(seed: u64, limit in 1i64..30, rate in 0.0f64..=4.0, block: bool) {
            let mut sim = with(seed, &[
                ("mode", choice("queue")),
                ("queue_limit", ParamValue::Int(limit)),
                ("arrival_rate", ParamValue::Float(rate)),
                ("overflow", choice(if block { "block" } else { "reject" })),
            ]);
            for _ in 0..120 {
                sim.step();
                prop_assert!(sim.queue_occupancy() <= limit as usize);
                prop_assert!(conserved(&sim));
            }
        }

        #[test]
        fn the_same_seed_replays_exactly(seed: u64) {
            let mut a = with(seed, &[("mode", choice("queue"))]);
            let mut b = a.clone();
            run(&mut a, 100);
            run(&mut b, 100);
            prop_assert_eq!(a.summary(), b.summary());
        }
    }
}
