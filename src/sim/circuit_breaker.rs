//! Chapter 6, a circuit breaker (after Fowler's CircuitBreaker) in front of a dependency that
//! starts failing. Closed, calls go through and consecutive failures are counted; at the
//! threshold the breaker opens and every call fails fast without touching the dependency;
//! after the open timeout it goes half-open and lets exactly one trial call through, closing
//! again if the trial succeeds and reopening if it fails.

use std::collections::{BTreeMap, VecDeque};

use serde_json::json;

use super::event_log::EventLog;
use super::param_table::{self, Param, specs};
use super::registry::KindSpec;
use super::rng::Rng;
use super::{Action, Simulation, Summary};

pub const KIND: &str = "circuit-breaker";
pub const DEPENDENCY: &str = "inventory";
pub const HISTORY: usize = 120;
/// The failure rate of a flaky dependency, toggled by an action.
const FLAKY_RATE: f64 = 0.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    Closed { consecutive_failures: u32 },
    Open { until: u64 },
    HalfOpen { trial_in_flight: bool },
}

impl BreakerState {
    pub fn name(&self) -> &'static str {
        match self {
            BreakerState::Closed { .. } => "closed",
            BreakerState::Open { .. } => "open",
            BreakerState::HalfOpen { .. } => "half-open",
        }
    }
    fn index(&self) -> usize {
        match self {
            BreakerState::Closed { .. } => 0,
            BreakerState::Open { .. } => 1,
            BreakerState::HalfOpen { .. } => 2,
        }
    }
}

pub const STATE_NAMES: [&str; 3] = ["closed", "open", "half-open"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Call {
    done_at: u64,
    trial: bool,
    /// Which closed period started it: a late answer from before a trip must not count
    /// against the breaker once it has closed again.
    epoch: u64,
}

/// What happened to the requests of one tick, for the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TickOutcome {
    pub state: BreakerState,
    pub succeeded: u32,
    pub failed: u32,
    pub rejected: u32,
    /// A half-open trial call started this tick.
    pub trial: bool,
    /// Calls that reached the dependency this tick: none while the breaker is open.
    pub started: u32,
}

#[derive(Debug, Clone)]
pub struct CircuitBreakerSim {
    seed: u64,
    rng: Rng,
    now: u64,
    threshold: u32,
    open_ticks: u64,
    call_ticks: u64,
    calls_per_tick: u32,
    error_rate: f64,
    outage_at: i64,
    outage_len: i64,
    dependency_down: bool,
    flaky: bool,
    state: BreakerState,
    epoch: u64,
    in_flight: Vec<Call>,
    calls: u64,
    successes: u64,
    failures: u64,
    rejected: u64,
    trips: u64,
    trials: u64,
    trial_successes: u64,
    ticks_in: [u64; 3],
    entered: [u64; 3],
    history: VecDeque<TickOutcome>,
    log: EventLog,
}

const TABLE: [Param<CircuitBreakerSim>; 7] = [
    Param::int("threshold", 1, 50, "5")
        .help("consecutive failures that trip the breaker open")
        .field(|s| s.threshold.into(), |s, v| s.threshold = v as u32),
    Param::int("open_ticks", 1, 1000, "20")
        .help("ticks the breaker stays open before allowing one half-open trial")
        .field(|s| s.open_ticks as i64, |s, v| s.open_ticks = v as u64),
    Param::int("call_ticks", 1, 20, "2")
        .help("ticks a call to the dependency takes")
        .field(|s| s.call_ticks as i64, |s, v| s.call_ticks = v as u64),
    Param::int("calls_per_tick", 1, 10, "2")
        .help("requests that need the dependency, per tick")
        .field(
            |s| s.calls_per_tick.into(),
            |s, v| s.calls_per_tick = v as u32,
        ),
    Param::float("error_rate", 0.0, 1.0, "0.02")
        .help("chance that a call fails while the dependency is healthy")
        .field(|s| s.error_rate, |s, v| s.error_rate = v),
    Param::int("outage_at", 0, 1_000_000, "30")
        .help("tick at which the dependency starts failing every call (0: never)")
        .field(|s| s.outage_at, |s, v| s.outage_at = v),
    Param::int("outage_len", 0, 1_000_000, "50")
        .help("ticks until it recovers (0: stays down until repaired by hand)")
        .field(|s| s.outage_len, |s, v| s.outage_len = v),
];

pub const SPEC: KindSpec = KindSpec {
    name: KIND,
    title: "Circuit breaker: closed, open, half-open",
    description: "Calls to a dependency go through a breaker. After a run of failures it \
        opens and fails fast; after a timeout it lets one trial call through (half-open) \
        and closes again if the trial succeeds.",
    params: &specs(&TABLE),
    build: CircuitBreakerSim::boxed,
};

static ACTIONS: &[Action] = &[
    Action {
        key: 'f',
        label: "dependency down/up",
    },
    Action {
        key: 's',
        label: "dependency flaky 50%",
    },
];

impl CircuitBreakerSim {
    pub fn new(seed: u64) -> Self {
        CircuitBreakerSim {
            seed,
            rng: Rng::new(seed),
            now: 0,
            threshold: 5,
            open_ticks: 20,
            call_ticks: 2,
            calls_per_tick: 2,
            error_rate: 0.02,
            outage_at: 30,
            outage_len: 50,
            dependency_down: false,
            flaky: false,
            state: BreakerState::Closed {
                consecutive_failures: 0,
            },
            epoch: 0,
            in_flight: Vec::new(),
            calls: 0,
            successes: 0,
            failures: 0,
            rejected: 0,
            trips: 0,
            trials: 0,
            trial_successes: 0,
            ticks_in: [0; 3],
            entered: [1, 0, 0],
            history: VecDeque::with_capacity(HISTORY),
            log: EventLog::new(),
        }
    }

    pub fn boxed(seed: u64) -> Box<dyn Simulation> {
        Box::new(Self::new(seed))
    }

    pub fn state(&self) -> BreakerState {
        self.state
    }
    pub fn threshold(&self) -> u32 {
        self.threshold
    }
    pub fn dependency_down(&self) -> bool {
        self.dependency_down
    }
    pub fn flaky(&self) -> bool {
        self.flaky
    }
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }
    /// Calls in flight that were let through as half-open trials.
    pub fn trials_in_flight(&self) -> usize {
        self.in_flight.iter().filter(|c| c.trial).count()
    }
    pub fn calls(&self) -> u64 {
        self.calls
    }
    pub fn successes(&self) -> u64 {
        self.successes
    }
    pub fn failures(&self) -> u64 {
        self.failures
    }
    pub fn rejected(&self) -> u64 {
        self.rejected
    }
    pub fn trips(&self) -> u64 {
        self.trips
    }
    pub fn trials(&self) -> u64 {
        self.trials
    }
    pub fn ticks_in(&self) -> [u64; 3] {
        self.ticks_in
    }
    pub fn history(&self) -> &VecDeque<TickOutcome> {
        &self.history
    }
    pub fn log(&self) -> &EventLog {
        &self.log
    }

    fn enter(&mut self, state: BreakerState, why: String) {
        if let BreakerState::Closed { .. } = state {
            self.epoch += 1;
        }
        self.state = state;
        self.entered[state.index()] += 1;
        self.log.push(self.now, why);
    }

    fn trip(&mut self, why: &str) {
        self.trips += 1;
        let until = self.now + self.open_ticks;
        self.enter(
            BreakerState::Open { until },
            format!("{why}: breaker OPEN, failing fast until tick {until}"),
        );
    }

    fn call_fails(&mut self) -> bool {
        let rate = if self.dependency_down {
            1.0
        } else if self.flaky {
            FLAKY_RATE
        } else {
            self.error_rate
        };
        self.rng.chance(rate)
    }

    fn complete(&mut self, call: Call, out: &mut TickOutcome) {
        let failed = self.call_fails();
        if failed {
            self.failures += 1;
            out.failed += 1;
        } else {
            self.successes += 1;
            out.succeeded += 1;
        }
        match self.state {
            BreakerState::HalfOpen { .. } if call.trial => {
                if failed {
                    self.trip("half-open trial failed");
                } else {
                    self.trial_successes += 1;
                    self.enter(
                        BreakerState::Closed {
                            consecutive_failures: 0,
                        },
                        "half-open trial succeeded: breaker CLOSED".to_string(),
                    );
                }
            }
            BreakerState::Closed {
                consecutive_failures,
            } if call.epoch == self.epoch => {
                if !failed {
                    self.state = BreakerState::Closed {
                        consecutive_failures: 0,
                    };
                } else if consecutive_failures + 1 >= self.threshold {
                    let why = format!("{} consecutive failures", consecutive_failures + 1);
                    self.trip(&why);
                } else {
                    self.state = BreakerState::Closed {
                        consecutive_failures: consecutive_failures + 1,
                    };
                }
            }
            // A late answer to a call started before the breaker opened changes nothing.
            _ => {}
        }
    }

    fn start_call(&mut self, trial: bool) {
        self.calls += 1;
        self.in_flight.push(Call {
            done_at: self.now + self.call_ticks,
            trial,
            epoch: self.epoch,
        });
    }

    fn request(&mut self, out: &mut TickOutcome) {
        match self.state {
            BreakerState::Closed { .. } => self.start_call(false),
            BreakerState::HalfOpen {
                trial_in_flight: false,
            } => {
                self.trials += 1;
                out.trial = true;
                self.state = BreakerState::HalfOpen {
                    trial_in_flight: true,
                };
                self.log
                    .push(self.now, "half-open: one trial call let through");
                self.start_call(true);
            }
            BreakerState::HalfOpen {
                trial_in_flight: true,
            }
            | BreakerState::Open { .. } => {
                self.rejected += 1;
                out.rejected += 1;
            }
        }
    }

    fn set_dependency_down(&mut self, down: bool, why: &str) {
        if self.dependency_down != down {
            self.dependency_down = down;
            let state = if down {
                "fails every call"
            } else {
                "healthy again"
            };
            self.log
                .push(self.now, format!("{DEPENDENCY} {state} ({why})"));
        }
    }
}

impl Simulation for CircuitBreakerSim {
    param_table::common_methods!(kind: KIND, table: TABLE, actions: ACTIONS);

    fn step(&mut self) {
        self.now += 1;
        let now = self.now as i64;
        if self.outage_at > 0 && now == self.outage_at {
            self.set_dependency_down(true, "scheduled outage");
        }
        if self.outage_at > 0 && self.outage_len > 0 && now == self.outage_at + self.outage_len {
            self.set_dependency_down(false, "outage over");
        }
        if let BreakerState::Open { until } = self.state
            && self.now >= until
        {
            self.enter(
                BreakerState::HalfOpen {
                    trial_in_flight: false,
                },
                "open timeout over: breaker HALF-OPEN".to_string(),
            );
        }
        let mut out = TickOutcome {
            state: self.state,
            succeeded: 0,
            failed: 0,
            rejected: 0,
            trial: false,
            started: 0,
        };
        let now = self.now;
        let (done, still): (Vec<Call>, Vec<Call>) =
            self.in_flight.iter().partition(|c| c.done_at <= now);
        self.in_flight = still;
        for call in done {
            self.complete(call, &mut out);
        }
        let calls_before = self.calls;
        for _ in 0..self.calls_per_tick {
            self.request(&mut out);
        }
        out.started = (self.calls - calls_before) as u32;
        self.ticks_in[self.state.index()] += 1;
        out.state = self.state;
        if self.history.len() == HISTORY {
            self.history.pop_front();
        }
        self.history.push_back(out);
    }

    fn action_label(&self, key: char) -> Option<String> {
        Some(
            match key {
                'f' if self.dependency_down => "dependency up",
                'f' => "dependency down",
                's' if self.flaky => "dependency steady",
                's' => "dependency flaky 50%",
                _ => return None,
            }
            .to_string(),
        )
    }

    fn act(&mut self, key: char) -> bool {
        match key {
            'f' => self.set_dependency_down(!self.dependency_down, "by hand"),
            's' => {
                self.flaky = !self.flaky;
                let state = if self.flaky {
                    "on, half the calls fail"
                } else {
                    "off, calls succeed again unless it is down"
                };
                self.log
                    .push(self.now, format!("{DEPENDENCY} flaky: {state}"));
            }
            _ => return false,
        }
        true
    }

    fn summary(&self) -> Summary {
        let requests = self.calls + self.rejected;
        let metrics = BTreeMap::from([
            ("requests", requests as f64),
            ("calls", self.calls as f64),
            ("successes", self.successes as f64),
            ("failures", self.failures as f64),
            ("rejected_fast", self.rejected as f64),
            ("in_flight", self.in_flight.len() as f64),
            ("trips", self.trips as f64),
            ("half_open_trials", self.trials as f64),
            ("trial_successes", self.trial_successes as f64),
            ("state_closed", f64::from(u8::from(self.state.index() == 0))),
            ("state_open", f64::from(u8::from(self.state.index() == 1))),
            (
                "state_half_open",
                f64::from(u8::from(self.state.index() == 2)),
            ),
        ]);
        let dependency = BTreeMap::from([
            ("name", json!(DEPENDENCY)),
            ("calls", json!(self.calls)),
            ("successes", json!(self.successes)),
            ("failures", json!(self.failures)),
            ("down", json!(self.dependency_down)),
        ]);
        let states = STATE_NAMES
            .iter()
            .enumerate()
            .map(|(i, name)| {
                BTreeMap::from([
                    ("name", json!(name)),
                    ("ticks", json!(self.ticks_in[i])),
                    ("entered", json!(self.entered[i])),
                ])
            })
            .collect();
        Summary::of(
            self,
            self.seed,
            metrics,
            [("dependencies", vec![dependency]), ("states", states)],
            self.log.to_vec(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ParamValue;
    use proptest::prelude::*;

    #[test]
    fn the_flaky_toggle_logs_its_new_state() {
        let mut sim = CircuitBreakerSim::new(1);
        sim.act('s');
        assert_eq!(
            sim.log().iter().last().unwrap().text,
            format!("{DEPENDENCY} flaky: on, half the calls fail")
        );
        sim.act('s');
        assert!(
            sim.log()
                .iter()
                .last()
                .unwrap()
                .text
                .starts_with(&format!("{DEPENDENCY} flaky: off"))
        );
    }

    fn breaker(settings: &[(&str, i64)]) -> CircuitBreakerSim {
        let mut sim = CircuitBreakerSim::new(9);
        sim.set("error_rate", &ParamValue::Float(0.0)).unwrap();
        sim.set("outage_at", &ParamValue::Int(0)).unwrap();
        for (k, v) in settings {
            sim.set(k, &ParamValue::Int(*v)).unwrap();
        }
        sim
    }

    #[test]
    fn the_chapter_point_closed_open_half_open_and_closed_again() {
        let mut sim = CircuitBreakerSim::new(4);
        let mut seen = Vec::new();
        for _ in 0..120 {
            sim.step();
            if seen.last() != Some(&sim.state().name()) {
                seen.push(sim.state().name());
            }
        }
        // The outage trips it, trials during the outage reopen it, a trial after it closes it.
        assert_eq!(&seen[..4], ["closed", "open", "half-open", "open"]);
        assert_eq!(sim.state().name(), "closed");
        assert!(sim.rejected() > 0, "open breaker fails fast");
        assert!(sim.trials() >= 2);
    }

    #[test]
    fn trips_exactly_at_the_threshold() {
        // One call per tick, one tick per call: failure k completes at tick k + 1.
        let mut sim = breaker(&[("threshold", 3), ("call_ticks", 1), ("calls_per_tick", 1)]);
        sim.act('f');
        for tick in 1..=3 {
            sim.step();
            assert_eq!(sim.state().name(), "closed", "tick {tick}");
        }
        sim.step();
        assert_eq!(sim.state().name(), "open");
        assert_eq!(sim.failures(), 3);
    }

    #[test]
    fn a_success_resets_the_failure_count() {
        let mut sim = breaker(&[("threshold", 2), ("call_ticks", 1), ("calls_per_tick", 1)]);
        sim.act('f');
        sim.step();
        sim.step(); // one failure counted
        sim.act('f');
        sim.step(); // a success resets it
        sim.act('f');
        sim.step(); // one failure again
        assert_eq!(sim.state().name(), "closed");
        sim.step();
        assert_eq!(sim.state().name(), "open");
    }

    proptest! {
        #[test]
        fn half_open_lets_exactly_one_trial_through(
            seed: u64,
            threshold in 1i64..8,
            open_ticks in 1i64..30,
            call_ticks in 1i64..6,
            calls_per_tick in 1i64..6,
            toggles in prop::collection::vec((0u64..200, prop::sample::select(vec!['f', 's'])), 0..10),
        ) {
            let mut sim = CircuitBreakerSim::new(seed);
            for (k, v) in [("threshold", threshold), ("open_ticks", open_ticks), ("call_ticks", call_ticks), ("calls_per_tick", calls_per_tick)] {
                sim.set(k, &ParamValue::Int(v)).unwrap();
            }
            let mut calls_before = 0;
            for t in 0..200 {
                for &(at, key) in &toggles {
                    if at == t { sim.act(key); }
                }
                let was_open = matches!(sim.state(), BreakerState::Open { .. });
                sim.step();
                prop_assert!(sim.trials_in_flight() <= 1);
                let started = sim.calls() - calls_before;
                calls_before = sim.calls();
                match sim.state() {
                    // Open: nothing reaches the dependency.
                    BreakerState::Open { .. } if was_open => prop_assert_eq!(started, 0),
                    // Half-open: one trial at most, and only while it is pending.
                    BreakerState::HalfOpen { trial_in_flight } => {
                        prop_assert!(started <= 1);
                        prop_assert_eq!(trial_in_flight, sim.trials_in_flight() == 1);
                    }
                    _ => {}
                }
            }
            prop_assert!(sim.trips() >= sim.trials() - u64::from(sim.trials_in_flight() == 1) - sim.trial_successes);
            prop_assert_eq!(sim.calls() + sim.rejected(), 200 * calls_per_tick as u64);
            prop_assert_eq!(sim.successes() + sim.failures() + sim.in_flight() as u64, sim.calls());
        }

        #[test]
        fn the_same_seed_replays_exactly(seed: u64) {
            let mut a = CircuitBreakerSim::new(seed);
            a.set("error_rate", &ParamValue::Float(0.3)).unwrap();
            let mut b = a.clone();
            for _ in 0..150 {
                a.step();
                b.step();
            }
            prop_assert_eq!(a.summary(), b.summary());
        }
    }
}
