//! `load-balancer`: clients send requests through a balancer to a pool of servers, some slower
//! than others. Servers can be killed, revived and slowed; health checks take dead servers out
//! of rotation, but only at the next check, so a dead server keeps receiving requests until then.
//!
//! Time runs finer than a tick: a tick is 100 ms, divided into 1,000 units of 0.1 ms. Requests
//! arrive at random instants inside the tick, and each server works through its FIFO queue at
//! one unit of work per unit of time (a slowed server needs `slow_factor` times longer). Every
//! arrival first brings every server up to that instant, so the balancer's `active` counts are
//! exact when it picks. Nothing allocates per request, so the engine simulates millions of
//! requests per second.

use std::collections::VecDeque;

use super::balancers::{self, STRATEGIES};
use super::contract::{Backend, Balancer};
use super::event_log::EventLog;
use super::param_table::{self, Param, specs};
use super::registry::KindSpec;
use super::response_times::ResponseTimes;
use super::rng::Rng;
use super::series::Series;
use super::summary::Summary;
use super::{Action, ParamError, Simulation};

pub const KIND: &str = "load-balancer";

const TABLE: [Param<LoadBalancerSim>; 8] = [
    Param::int("servers", 1, 12, "4")
        .help("backend servers in the pool")
        .field(|s| s.servers.len() as i64, |s, v| s.resize_pool(v as usize)),
    Param::choice("strategy", STRATEGIES, "round-robin")
        .help("how the balancer picks a server for each request")
        .field(|s| s.label, |s, name| s.use_strategy(name)),
    Param::int("rate", 1, 5000, "120")
        .help("requests per second reaching the balancer (a tick is 100 ms)")
        .field(
            |s| s.rate as i64,
            |s, v| {
                let at = s.next_arrival();
                s.rate = v as u64;
                s.next_arrival_scaled = at * s.rate;
            },
        ),
    Param::int("slow_server", 0, 12, "2")
        .help("the server that is slow from the start, and gets weight 1 (0: none)")
        .fallible(
            |s| s.slow_server as i64,
            |s, v| {
                let n = v as usize;
                let pool = s.servers.len();
                if n > pool {
                    return Err(ParamError::Rejected(format!(
                        "slow_server={n} names no server: the pool has {pool} \
                     (s1..s{pool}); use 1..={pool}, or 0 for none, or raise servers to \
                     {n} or more before setting slow_server"
                    )));
                }
                if let Some(old) = s.slow_server.checked_sub(1) {
                    s.servers[old].slowdown = 1;
                }
                s.slow_server = n;
                s.apply_speeds();
                Ok(())
            },
        ),
    Param::int("slow_factor", 1, 10, "4")
        .help(
            "how many times longer a slow server takes per request; also the other servers' weight",
        )
        .field(
            |s| s.slow_factor.into(),
            |s, v| {
                s.slow_factor = v as u32;
                s.apply_speeds();
            },
        ),
    Param::int("clients", 1, 10_000, "32")
        .help("distinct client addresses sending requests (ip-hash keys on them)")
        .field(
            |s| s.client_server.len() as i64,
            |s, v| {
                s.client_server = vec![NO_SERVER; v as usize];
            },
        ),
    Param::int("health_interval", 1, 100, "5")
        .help("ticks between health checks; until the next one a dead server still gets requests")
        .field(
            |s| s.health_interval as i64,
            |s, v| s.health_interval = v as u64,
        ),
    Param::int("queue_limit", 1, 1000, "64")
        .help("requests a server holds, in service and waiting; beyond it requests get 503")
        .field(|s| s.queue_limit as i64, |s, v| s.queue_limit = v as usize),
];

pub const SPEC: KindSpec = KindSpec {
    name: KIND,
    title: "Load balancer: round-robin, weighted, least-connections, ip-hash",
    description: "Clients send requests through a balancer to a pool of servers, one of them \
        slow. Round-robin keeps feeding the slow server until its queue overflows; \
        least-connections sends it only what it can take; ip-hash keeps each client on one \
        server and reshuffles them when a server dies. Kill, revive and slow servers live.",
    params: &specs(&TABLE),
    build: LoadBalancerSim::boxed,
};

const ACTIONS: &[Action] = &[
    Action {
        key: '1',
        label: "select s1",
    },
    Action {
        key: '2',
        label: "select s2",
    },
    Action {
        key: '3',
        label: "select s3",
    },
    Action {
        key: '4',
        label: "select s4",
    },
    Action {
        key: '5',
        label: "select s5",
    },
    Action {
        key: '6',
        label: "select s6",
    },
    Action {
        key: '7',
        label: "select s7",
    },
    Action {
        key: '8',
        label: "select s8",
    },
    Action {
        key: '9',
        label: "select s9",
    },
    Action {
        key: 'a',
        label: "select next",
    },
    Action {
        key: 'x',
        label: "kill",
    },
    Action {
        key: 'v',
        label: "revive",
    },
    Action {
        key: 'w',
        label: "slow/unslow",
    },
    Action {
        key: 's',
        label: "next strategy",
    },
];

/// Time units (0.1 ms) per tick (100 ms) and per second.
pub const UNITS_PER_TICK: u64 = 1_000;
pub const UNITS_PER_SECOND: u64 = 10_000;
/// Work per request at normal speed: 10 to 30 ms.
const COST_MIN: u64 = 100;
const COST_MAX: u64 = 300;
/// Clients are numbered from 10.0.0.1, as IPv4 addresses in a u32.
const CLIENT_BASE: u32 = 0x0A00_0001;
const NO_SERVER: u8 = u8::MAX;

#[derive(Debug, Clone, Copy)]
struct Request {
    arrival: u64,
    remaining: u64,
}

#[derive(Debug, Clone)]
struct Server {
    alive: bool,
    slowdown: u32,
    queue: VecDeque<Request>,
    /// The instant up to which this server's work has been simulated.
    cursor: u64,
    routed: u64,
    served: u64,
    failed: u64,
    peak_queue: usize,
    latency_sum: u64,
    /// Set while it turns requests away with 503, so the log says so once per episode.
    rejecting: bool,
}

impl Server {
    fn new(cursor: u64) -> Self {
        Server {
            alive: true,
            slowdown: 1,
            queue: VecDeque::new(),
            cursor,
            routed: 0,
            served: 0,
            failed: 0,
            peak_queue: 0,
            latency_sum: 0,
            rejecting: false,
        }
    }
}

/// One server as the widget and the summary see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServerStatus<'a> {
    pub name: &'a str,
    pub alive: bool,
    /// The balancer's view, as of the last health check.
    pub healthy: bool,
    pub slow: bool,
    pub weight: u32,
    pub queued: usize,
    pub peak_queue: usize,
    pub routed: u64,
    pub served: u64,
    pub failed: u64,
    pub mean_latency_ms: f64,
}

/// Headline counters. `sent == served + queued + failed_down + failed_full + failed_unrouted`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub sent: u64,
    pub served: u64,
    pub queued: u64,
    /// Sent to a dead server, or lost in flight when it died or was removed.
    pub failed_down: u64,
    /// Turned away with 503 by a full queue.
    pub failed_full: u64,
    /// No healthy server to pick, or the balancer returned an index out of range.
    pub failed_unrouted: u64,
    /// Times a client was sent to a different server than its previous request.
    pub client_moves: u64,
}

impl Totals {
    pub fn failed(&self) -> u64 {
        self.failed_down + self.failed_full + self.failed_unrouted
    }
}

pub struct LoadBalancerSim {
    seed: u64,
    rng: Rng,
    now: u64,
    strategy: &'static str,
    label: &'static str,
    balancer: Box<dyn Balancer + Send>,
    rate: u64,
    slow_server: usize,
    slow_factor: u32,
    health_interval: u64,
    queue_limit: usize,
    servers: Vec<Server>,
    /// What the balancer sees; `active` always equals the server's queue length.
    backends: Vec<Backend>,
    /// The next arrival, in units times `rate`, so arrivals average exactly `rate` per second.
    next_arrival_scaled: u64,
    /// The server each client was last sent to.
    client_server: Vec<u8>,
    totals: Totals,
    latency: ResponseTimes,
    /// Per tick: (p50, p99) over the recent responses, in units.
    history: Series<(u32, u32)>,
    selected: usize,
    warned_invalid_pick: bool,
    unrouted_episode: bool,
    log: EventLog,
}

impl LoadBalancerSim {
    pub fn new(seed: u64) -> Self {
        let mut sim = LoadBalancerSim {
            seed,
            rng: Rng::new(seed),
            now: 0,
            strategy: STRATEGIES[0],
            label: STRATEGIES[0],
            balancer: balancers::by_name(STRATEGIES[0]).expect("listed strategy"),
            rate: 120,
            slow_server: 2,
            slow_factor: 4,
            health_interval: 5,
            queue_limit: 64,
            servers: Vec::new(),
            backends: Vec::new(),
            next_arrival_scaled: 0,
            client_server: vec![NO_SERVER; 32],
            totals: Totals::default(),
            latency: ResponseTimes::new(),
            history: Series::new(),
            selected: 0,
            warned_invalid_pick: false,
            unrouted_episode: false,
            log: EventLog::new(),
        };
        sim.resize_pool(4);
        sim.schedule_next_arrival();
        sim
    }

    pub fn boxed(seed: u64) -> Box<dyn Simulation> {
        Box::new(Self::new(seed))
    }

    /// Route requests with `balancer` instead of a reference strategy, e.g. the student's own.
    /// `label` names it in the widget, the log and the summary's `strategy` setting.
    pub fn set_balancer(&mut self, balancer: Box<dyn Balancer + Send>, label: &'static str) {
        self.balancer = balancer;
        self.label = label;
        self.log.push(self.now, format!("balancer: {label}"));
    }

    /// The name of the balancer routing now: a strategy name or a `set_balancer` label.
    pub fn balancer_label(&self) -> &'static str {
        self.label
    }

    pub fn totals(&self) -> Totals {
        let mut totals = self.totals;
        totals.queued = self.servers.iter().map(|s| s.queue.len() as u64).sum();
        totals
    }

    pub fn queue_limit(&self) -> usize {
        self.queue_limit
    }

    /// The server the fault keys act on, 0-based.
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn servers(&self) -> impl ExactSizeIterator<Item = ServerStatus<'_>> {
        self.servers
            .iter()
            .zip(&self.backends)
            .map(|(s, b)| ServerStatus {
                name: &b.name,
                alive: s.alive,
                healthy: b.healthy,
                slow: s.slowdown > 1,
                weight: b.weight,
                queued: s.queue.len(),
                peak_queue: s.peak_queue,
                routed: s.routed,
                served: s.served,
                failed: s.failed,
                mean_latency_ms: if s.served == 0 {
                    0.0
                } else {
                    units_to_ms(s.latency_sum) / s.served as f64
                },
            })
    }

    /// Per tick, oldest first: (p50, p99) of the last responses, in milliseconds.
    pub fn latency_history(&self, n: usize) -> impl ExactSizeIterator<Item = (f64, f64)> + '_ {
        self.history
            .recent(n)
            .map(|(p50, p99)| (units_to_ms(p50.into()), units_to_ms(p99.into())))
    }

    /// p50 and p99 over the whole run, in milliseconds.
    pub fn run_percentiles_ms(&self) -> (f64, f64) {
        (
            units_to_ms(self.latency.percentile(50.0)),
            units_to_ms(self.latency.percentile(99.0)),
        )
    }

    pub fn log(&self) -> &EventLog {
        &self.log
    }

    /// Kill server `i` (0-based): its requests in flight are lost, and the balancer keeps
    /// sending it requests, which fail, until the next health check.
    pub fn kill(&mut self, i: usize) {
        let Some(server) = self.servers.get_mut(i) else {
            return;
        };
        if !server.alive {
            let name = &self.backends[i].name;
            self.log
                .push(self.now, format!("{name} is already down: nothing to kill"));
            return;
        }
        let lost = server.queue.len() as u64;
        server.alive = false;
        server.queue.clear();
        server.failed += lost;
        server.rejecting = false;
        self.backends[i].active = 0;
        self.totals.failed_down += lost;
        let name = &self.backends[i].name;
        self.log.push(
            self.now,
            format!("{name} killed: {lost} requests in flight lost"),
        );
    }

    /// Revive server `i`: it serves again, and rejoins the rotation at the next health check.
    pub fn revive(&mut self, i: usize) {
        let now_units = self.now * UNITS_PER_TICK;
        let Some(server) = self.servers.get_mut(i) else {
            return;
        };
        if server.alive {
            let name = &self.backends[i].name;
            self.log
                .push(self.now, format!("{name} is already up: nothing to revive"));
            return;
        }
        server.alive = true;
        server.cursor = now_units;
        let name = &self.backends[i].name;
        self.log.push(
            self.now,
            format!("{name} revived; back in rotation after the next health check"),
        );
    }

    /// Toggle server `i` between normal speed and `slow_factor` times slower. Requests already
    /// queued keep the cost they were given when they arrived.
    pub fn toggle_slow(&mut self, i: usize) {
        let factor = self.slow_factor;
        let Some(server) = self.servers.get_mut(i) else {
            return;
        };
        server.slowdown = if server.slowdown > 1 { 1 } else { factor };
        let name = &self.backends[i].name;
        let text = if server.slowdown > 1 {
            format!(
                "{name} slow: on, x{factor} slower (its weight stays {})",
                self.backends[i].weight
            )
        } else {
            format!("{name} slow: off, back to normal speed")
        };
        self.log.push(self.now, text);
    }

    fn use_strategy(&mut self, name: &'static str) {
        if let Some(balancer) = balancers::by_name(name) {
            self.balancer = balancer;
            self.strategy = name;
            self.label = name;
            self.log.push(self.now, format!("strategy: {name}"));
        }
    }

    fn resize_pool(&mut self, n: usize) {
        let now_units = self.now * UNITS_PER_TICK;
        while self.servers.len() > n {
            let server = self.servers.pop().expect("non-empty");
            let backend = self.backends.pop().expect("same length");
            let lost = server.queue.len() as u64;
            self.totals.failed_down += lost;
            self.log.push(
                self.now,
                format!("{} removed: {lost} requests in flight lost", backend.name),
            );
        }
        while self.servers.len() < n {
            let i = self.servers.len();
            self.servers.push(Server::new(now_units));
            self.backends.push(Backend {
                name: format!("s{}", i + 1),
                healthy: true,
                weight: 1,
                active: 0,
            });
            if self.now > 0 {
                self.log.push(self.now, format!("s{} added", i + 1));
            }
        }
        if self.slow_server > n {
            self.log.push(
                self.now,
                format!("slow_server reset to 0: s{} was removed", self.slow_server),
            );
            self.slow_server = 0;
        }
        self.selected = self.selected.min(n - 1);
        self.apply_speeds();
    }

    /// The configured slow server runs `slow_factor` times slower and has weight 1; the others
    /// have weight `slow_factor`, so weighted strategies know the capacities. Servers slowed by
    /// hand keep their configured weight: an operator's weights do not follow a server that
    /// falls sick.
    fn apply_speeds(&mut self) {
        for (i, (server, backend)) in self.servers.iter_mut().zip(&mut self.backends).enumerate() {
            let configured_slow = self.slow_server == i + 1;
            backend.weight = if configured_slow { 1 } else { self.slow_factor };
            if configured_slow || server.slowdown > 1 {
                server.slowdown = self.slow_factor;
            }
        }
    }

    fn schedule_next_arrival(&mut self) {
        // Gaps uniform in 1..=2*UNITS_PER_SECOND-1 in scaled time: a mean of exactly one second
        // divided by `rate`.
        self.next_arrival_scaled += 1 + self.rng.below(2 * UNITS_PER_SECOND - 1);
    }

    fn next_arrival(&self) -> u64 {
        self.next_arrival_scaled / self.rate
    }

    /// Bring every live server's work up to instant `to`.
    fn advance_servers(&mut self, to: u64) {
        for (i, server) in self.servers.iter_mut().enumerate() {
            if !server.alive {
                continue;
            }
            while let Some(head) = server.queue.front_mut() {
                let start = server.cursor.max(head.arrival);
                if start + head.remaining > to {
                    head.remaining -= to.saturating_sub(start);
                    break;
                }
                let finish = start + head.remaining;
                let latency = finish - head.arrival;
                server.queue.pop_front();
                server.cursor = finish;
                server.served += 1;
                server.latency_sum += latency;
                self.totals.served += 1;
                self.latency.record(latency);
            }
            server.cursor = server.cursor.max(to);
            self.backends[i].active = server.queue.len() as u32;
            if server.rejecting && server.queue.len() * 4 <= self.queue_limit * 3 {
                server.rejecting = false;
                let name = &self.backends[i].name;
                self.log.push(self.now, format!("{name} accepting again"));
            }
        }
    }

    fn dispatch(&mut self, at: u64) {
        self.totals.sent += 1;
        let client_index = self.rng.below(self.client_server.len() as u64) as usize;
        let cost = COST_MIN + self.rng.below(COST_MAX - COST_MIN + 1);
        let client = CLIENT_BASE + client_index as u32;
        let pick = self.balancer.pick(client, &self.backends);
        let i = match pick {
            Some(i) if i < self.servers.len() => i,
            other => {
                self.totals.failed_unrouted += 1;
                self.note_unrouted(other);
                return;
            }
        };
        self.unrouted_episode = false;
        let previous = std::mem::replace(&mut self.client_server[client_index], i as u8);
        if previous != NO_SERVER && usize::from(previous) != i {
            self.totals.client_moves += 1;
        }
        let server = &mut self.servers[i];
        server.routed += 1;
        if !server.alive {
            server.failed += 1;
            self.totals.failed_down += 1;
            return;
        }
        if server.queue.len() >= self.queue_limit {
            server.failed += 1;
            self.totals.failed_full += 1;
            if !server.rejecting {
                server.rejecting = true;
                let name = &self.backends[i].name;
                self.log
                    .push(self.now, format!("{name} queue full: rejecting with 503"));
            }
            return;
        }
        server.queue.push_back(Request {
            arrival: at,
            remaining: cost * u64::from(server.slowdown),
        });
        server.peak_queue = server.peak_queue.max(server.queue.len());
        self.backends[i].active = server.queue.len() as u32;
    }

    fn note_unrouted(&mut self, pick: Option<usize>) {
        match pick {
            Some(i) if !self.warned_invalid_pick => {
                self.warned_invalid_pick = true;
                let n = self.servers.len();
                self.log.push(
                    self.now,
                    format!("balancer picked index {i} of {n} servers: request failed"),
                );
            }
            None if !self.unrouted_episode => {
                self.unrouted_episode = true;
                // Blame the servers only when they are to blame: a balancer that returns no
                // server while some are healthy (a student's, panicking) is the culprit.
                let healthy = self.backends.iter().filter(|b| b.healthy).count();
                let text = if healthy == 0 {
                    "no healthy server: requests fail with 502".to_string()
                } else {
                    format!(
                        "balancer {} returned no server although {healthy} are healthy: \
                         requests fail with 502",
                        self.label
                    )
                };
                self.log.push(self.now, text);
            }
            _ => {}
        }
    }

    fn health_check(&mut self) {
        for (server, backend) in self.servers.iter().zip(&mut self.backends) {
            if backend.healthy == server.alive {
                continue;
            }
            backend.healthy = server.alive;
            let text = if server.alive {
                format!("health check: {} passes, back in rotation", backend.name)
            } else {
                format!("health check: {} fails, out of rotation", backend.name)
            };
            self.log.push(self.now, text);
        }
    }
}

fn units_to_ms(units: u64) -> f64 {
    units as f64 / (UNITS_PER_SECOND / 1000) as f64
}

impl Simulation for LoadBalancerSim {
    param_table::common_methods!(kind: KIND, table: TABLE, actions: ACTIONS);

    fn step(&mut self) {
        let tick_end = (self.now + 1) * UNITS_PER_TICK;
        loop {
            let at = self.next_arrival();
            if at >= tick_end {
                break;
            }
            self.advance_servers(at);
            self.dispatch(at);
            self.schedule_next_arrival();
        }
        self.advance_servers(tick_end);
        self.now += 1;
        if self.now.is_multiple_of(self.health_interval) {
            self.health_check();
        }
        let recent = self.latency.recent_p50_p99();
        self.history.push(recent);
    }

    fn action_label(&self, key: char) -> Option<String> {
        let name = &self.backends.get(self.selected)?.name;
        let server = self.servers.get(self.selected)?;
        match key {
            'w' if server.slowdown > 1 => Some(format!("unslow {name}")),
            'w' => Some(format!("slow {name}")),
            'x' => Some(format!("kill {name}")),
            'v' => Some(format!("revive {name}")),
            _ => None,
        }
    }

    fn act(&mut self, key: char) -> bool {
        match key {
            '1'..='9' => {
                let i = key as usize - '1' as usize;
                let n = self.servers.len();
                if i < n {
                    self.selected = i;
                } else {
                    let kept = &self.backends[self.selected].name;
                    self.log.push(
                        self.now,
                        format!(
                            "no server s{}: the pool has {n} (s1..s{n}); {kept} stays selected",
                            i + 1
                        ),
                    );
                }
            }
            'a' => self.selected = (self.selected + 1) % self.servers.len(),
            'x' => self.kill(self.selected),
            'v' => self.revive(self.selected),
            'w' => self.toggle_slow(self.selected),
            's' => {
                let at = STRATEGIES.iter().position(|s| *s == self.strategy);
                let next = STRATEGIES[at.map_or(0, |i| (i + 1) % STRATEGIES.len())];
                self.use_strategy(next);
            }
            _ => return false,
        }
        true
    }

    fn summary(&self) -> Summary {
        use serde_json::json;
        let totals = self.totals();
        let (p50, p99) = self.run_percentiles_ms();
        let seconds = self.now as f64 * UNITS_PER_TICK as f64 / UNITS_PER_SECOND as f64;
        let metrics = [
            ("sent", totals.sent as f64),
            ("served", totals.served as f64),
            ("queued", totals.queued as f64),
            ("failed", totals.failed() as f64),
            ("failed_down", totals.failed_down as f64),
            ("failed_full", totals.failed_full as f64),
            ("failed_unrouted", totals.failed_unrouted as f64),
            ("client_moves", totals.client_moves as f64),
            ("p50_ms", p50),
            ("p99_ms", p99),
            ("mean_ms", units_to_ms(self.latency.mean().round() as u64)),
            ("max_ms", units_to_ms(self.latency.max())),
            (
                "served_per_second",
                if seconds > 0.0 {
                    (totals.served as f64 / seconds * 10.0).round() / 10.0
                } else {
                    0.0
                },
            ),
        ];
        let servers = self
            .servers()
            .map(|s| {
                [
                    ("name", json!(s.name)),
                    ("alive", json!(s.alive)),
                    ("healthy", json!(s.healthy)),
                    ("slow", json!(s.slow)),
                    ("weight", json!(s.weight)),
                    ("routed", json!(s.routed)),
                    ("served", json!(s.served)),
                    ("failed", json!(s.failed)),
                    ("queued", json!(s.queued)),
                    ("peak_queue", json!(s.peak_queue)),
                    ("mean_ms", json!((s.mean_latency_ms * 10.0).round() / 10.0)),
                ]
                .into_iter()
                .collect()
            })
            .collect();
        Summary::of(
            self,
            self.seed,
            metrics,
            [("servers", servers)],
            self.log.to_vec(),
        )
    }
    fn note(&mut self, text: &str) {
        self.log.push_unless_repeated(self.now, text);
    }

    fn plug(&mut self, plug: Option<super::Plug>, label: &'static str) -> Result<(), String> {
        match plug {
            Some(super::Plug::Balancer(balancer)) => self.set_balancer(balancer, label),
            None => self.use_strategy(self.strategy),
            Some(_) => return Err("the load-balancer simulation runs a Balancer".into()),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{ParamError, ParamValue};

    fn run(sets: &[(&str, ParamValue)], ticks: u64) -> LoadBalancerSim {
        let mut sim = LoadBalancerSim::new(42);
        for (k, v) in sets {
            sim.set(k, v).unwrap();
        }
        for _ in 0..ticks {
            sim.step();
        }
        sim
    }

    fn choice(s: &str) -> ParamValue {
        ParamValue::Choice(s.to_string())
    }

    #[test]
    fn arrivals_average_the_rate() {
        let sim = run(&[("rate", ParamValue::Int(200))], 500);
        let per_second = sim.totals().sent as f64 / 50.0;
        assert!((190.0..210.0).contains(&per_second), "{per_second}");
    }

    #[test]
    fn round_robin_overloads_the_slow_server_and_least_connections_does_not() {
        let rr = run(&[("strategy", choice("round-robin"))], 300);
        let lc = run(&[("strategy", choice("least-connections"))], 300);
        fn slow(sim: &LoadBalancerSim) -> ServerStatus<'_> {
            sim.servers().nth(1).unwrap()
        }
        assert!(slow(&rr).slow && slow(&lc).slow);
        assert_eq!(slow(&rr).peak_queue, 64, "round-robin fills the slow queue");
        assert!(rr.totals().failed_full > 100, "{:?}", rr.totals());
        assert_eq!(lc.totals().failed_full, 0, "{:?}", lc.totals());
        assert!(slow(&lc).peak_queue < 16, "{}", slow(&lc).peak_queue);
        assert!(lc.run_percentiles_ms().1 * 4.0 < rr.run_percentiles_ms().1);
    }

    #[test]
    fn a_dead_server_gets_requests_until_the_health_check() {
        let mut sim = run(&[("slow_server", ParamValue::Int(0))], 3);
        sim.act('3');
        sim.act('x');
        sim.step();
        let dead = sim.servers().nth(2).unwrap();
        assert!(!dead.alive && dead.healthy);
        assert!(sim.totals().failed_down > 0);
        sim.step();
        assert!(
            !sim.servers().nth(2).unwrap().healthy,
            "tick 5 checks health"
        );
        let failed = sim.totals().failed_down;
        for _ in 0..10 {
            sim.step();
        }
        assert_eq!(sim.totals().failed_down, failed, "out of rotation");
        sim.act('v');
        for _ in 0..8 {
            sim.step();
        }
        assert!(sim.servers().nth(2).unwrap().served > 0, "back in rotation");
    }

    #[test]
    fn ip_hash_is_sticky_until_a_server_dies() {
        let mut sim = run(&[("strategy", choice("ip-hash"))], 100);
        assert_eq!(sim.totals().client_moves, 0);
        sim.act('1');
        sim.act('x');
        for _ in 0..20 {
            sim.step();
        }
        assert!(sim.totals().client_moves > 10, "{:?}", sim.totals());
    }

    #[test]
    fn unknown_keys_and_impossible_combinations_are_errors() {
        let mut sim = LoadBalancerSim::new(1);
        assert!(matches!(
            sim.set("nope", &ParamValue::Int(1)),
            Err(ParamError::UnknownKey { .. })
        ));
        assert!(matches!(
            sim.set("slow_server", &ParamValue::Int(9)),
            Err(ParamError::Rejected(_))
        ));
        assert!(sim.set("servers", &ParamValue::Int(13)).is_err());
    }

    #[test]
    fn the_slow_server_error_names_the_valid_range() {
        let mut sim = LoadBalancerSim::new(1);
        sim.set("servers", &ParamValue::Int(2)).unwrap();
        let err = sim.set("slow_server", &ParamValue::Int(5)).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("slow_server=5"), "{text}");
        assert!(text.contains("the pool has 2"), "{text}");
        assert!(text.contains("1..=2, or 0 for none"), "{text}");
        assert!(!text.contains("set servers first"), "{text}");
    }

    #[test]
    fn selecting_a_server_beyond_the_pool_changes_nothing_and_says_so() {
        let mut sim = LoadBalancerSim::new(1);
        sim.act('3');
        assert!(sim.act('7'));
        assert_eq!(sim.selected(), 2);
        let last = sim.log().iter().last().unwrap();
        assert_eq!(
            last.text,
            "no server s7: the pool has 4 (s1..s4); s3 stays selected"
        );
    }

    #[test]
    fn faults_that_change_nothing_say_so() {
        let mut sim = LoadBalancerSim::new(1);
        sim.act('v');
        assert_eq!(
            sim.log().iter().last().unwrap().text,
            "s1 is already up: nothing to revive"
        );
        sim.act('x');
        sim.act('x');
        assert_eq!(
            sim.log().iter().last().unwrap().text,
            "s1 is already down: nothing to kill"
        );
        sim.act('w');
        assert!(
            sim.log()
                .iter()
                .last()
                .unwrap()
                .text
                .starts_with("s1 slow: on")
        );
        sim.act('w');
        assert!(
            sim.log()
                .iter()
                .last()
                .unwrap()
                .text
                .starts_with("s1 slow: off")
        );
    }

    #[test]
    fn a_balancer_returning_a_bad_index_fails_requests_without_panicking() {
        struct OutOfRange;
        impl Balancer for OutOfRange {
            fn pick(&mut self, _: u32, backends: &[Backend]) -> Option<usize> {
                Some(backends.len() + 3)
            }
        }
        let mut sim = LoadBalancerSim::new(3);
        sim.set_balancer(Box::new(OutOfRange), "yours");
        for _ in 0..10 {
            sim.step();
        }
        let t = sim.totals();
        assert_eq!(t.failed_unrouted, t.sent);
        assert_eq!(sim.settings()[1].1, choice("yours"));
    }

    #[test]
    fn a_balancer_that_returns_nothing_is_blamed_not_the_healthy_servers() {
        struct Nothing;
        impl Balancer for Nothing {
            fn pick(&mut self, _: u32, _: &[Backend]) -> Option<usize> {
                None
            }
        }
        let mut sim = LoadBalancerSim::new(3);
        sim.set_balancer(Box::new(Nothing), "yours");
        for _ in 0..10 {
            sim.step();
        }
        let texts: Vec<String> = sim.log().iter().map(|e| e.text.clone()).collect();
        assert!(
            texts.iter().all(|t| !t.contains("no healthy server")),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("balancer yours returned no server although")),
            "{texts:?}"
        );
    }
}
