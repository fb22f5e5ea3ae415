//! Chapter 4, a token-bucket rate limiter. The bucket holds at most `capacity` tokens and
//! gains `refill_per_sec` tokens a second, fractions included; each request takes one token,
//! and a request that finds less than one gets 429 Too Many Requests (RFC 6585) with a
//! Retry-After header giving the whole seconds until a token will be there.

use std::collections::{BTreeMap, VecDeque};

use serde_json::json;

use super::event_log::EventLog;
use super::param_table::{self, Param, specs};
use super::registry::KindSpec;
use super::rng::Rng;
use super::{Action, Simulation, Summary};

pub const KIND: &str = "rate-limiter";
/// One tick is 100 ms of logical time.
pub const TICKS_PER_SEC: u64 = 10;
/// Tokens are counted in millionths so that fractional refill adds up exactly, with no
/// floating-point drift: the bucket can never creep past its capacity.
const MICRO: u64 = 1_000_000;
pub const HISTORY: usize = 120;
const BURST: u64 = 20;
const RPS_STEP: f64 = 2.0;
const MAX_RPS: f64 = 1000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    Allowed,
    /// 429 with `Retry-After: retry_after` seconds.
    Limited {
        retry_after: u64,
    },
}

/// One tick's traffic, for the chart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickTraffic {
    pub allowed: u32,
    pub limited: u32,
    /// Tokens left at the end of the tick, in millionths.
    pub tokens_micro: u64,
}

#[derive(Debug, Clone)]
pub struct RateLimiterSim {
    seed: u64,
    rng: Rng,
    now: u64,
    capacity: u64,
    refill_per_sec: f64,
    rps: f64,
    clients_paused: bool,
    tokens_micro: u64,
    allowed: u64,
    limited: u64,
    /// This second's counts, logged once a second when anything was limited.
    second_allowed: u64,
    second_limited: u64,
    last_response: Option<Response>,
    history: VecDeque<TickTraffic>,
    this_tick: TickTraffic,
    log: EventLog,
}

const TABLE: [Param<RateLimiterSim>; 3] = [
    Param::int("capacity", 1, 1000, "10")
        .help("most tokens the bucket holds: the largest burst allowed at once")
        .field(
            |s| s.capacity as i64,
            |s, v| {
                s.capacity = v as u64;
                if s.now == 0 {
                    // A bucket starts full.
                    s.tokens_micro = s.capacity * MICRO;
                } else {
                    s.tokens_micro = s.tokens_micro.min(s.capacity * MICRO);
                }
            },
        ),
    Param::float("refill_per_sec", 0.1, 1000.0, "5")
        .help("tokens added per second, fractions included (a tick is 100 ms)")
        .field(|s| s.refill_per_sec, |s, v| s.refill_per_sec = v),
    Param::float("rps", 0.0, 1000.0, "8")
        .help("requests the clients send per second")
        .field(|s| s.rps, |s, v| s.rps = v),
];

pub const SPEC: KindSpec = KindSpec {
    name: KIND,
    title: "Token bucket rate limiter",
    description: "A bucket of tokens refilled at a steady, possibly fractional, rate. Each \
        request takes a token; with none left the answer is 429 Too Many Requests with a \
        Retry-After header saying when a token will be back.",
    params: &specs(&TABLE),
    build: RateLimiterSim::boxed,
};

static ACTIONS: &[Action] = &[
    Action {
        key: 'b',
        label: "burst of 20",
    },
    Action {
        key: 'i',
        label: "pause/resume clients",
    },
    Action {
        key: 'u',
        label: "rps +2",
    },
    Action {
        key: 'd',
        label: "rps -2",
    },
];

impl RateLimiterSim {
    pub fn new(seed: u64) -> Self {
        let capacity = 10;
        RateLimiterSim {
            seed,
            rng: Rng::new(seed),
            now: 0,
            capacity,
            refill_per_sec: 5.0,
            rps: 8.0,
            clients_paused: false,
            tokens_micro: capacity * MICRO,
            allowed: 0,
            limited: 0,
            second_allowed: 0,
            second_limited: 0,
            last_response: None,
            history: VecDeque::with_capacity(HISTORY),
            this_tick: TickTraffic::default(),
            log: EventLog::new(),
        }
    }

    pub fn boxed(seed: u64) -> Box<dyn Simulation> {
        Box::new(Self::new(seed))
    }

    pub fn capacity(&self) -> u64 {
        self.capacity
    }
    pub fn refill_per_sec(&self) -> f64 {
        self.refill_per_sec
    }
    pub fn rps(&self) -> f64 {
        self.rps
    }
    pub fn clients_paused(&self) -> bool {
        self.clients_paused
    }
    pub fn tokens(&self) -> f64 {
        self.tokens_micro as f64 / MICRO as f64
    }
    pub fn allowed(&self) -> u64 {
        self.allowed
    }
    pub fn limited(&self) -> u64 {
        self.limited
    }
    pub fn last_response(&self) -> Option<Response> {
        self.last_response
    }
    pub fn history(&self) -> &VecDeque<TickTraffic> {
        &self.history
    }
    pub fn log(&self) -> &EventLog {
        &self.log
    }

    fn refill_micro_per_tick(&self) -> u64 {
        (self.refill_per_sec * MICRO as f64 / TICKS_PER_SEC as f64).round() as u64
    }

    /// Whole seconds until the bucket holds one token again, as Retry-After must be an
    /// integer number of seconds (RFC 9110 section 10.2.3). Rounded up, so a client that
    /// waits that long finds a token, unless someone else took it first.
    pub fn retry_after(&self) -> u64 {
        let missing = MICRO.saturating_sub(self.tokens_micro);
        if missing == 0 {
            return 0;
        }
        let per_tick = self.refill_micro_per_tick().max(1);
        missing.div_ceil(per_tick).div_ceil(TICKS_PER_SEC)
    }

    /// Handle one request now.
    pub fn request(&mut self) -> Response {
        let response = if self.tokens_micro >= MICRO {
            self.tokens_micro -= MICRO;
            self.allowed += 1;
            self.this_tick.allowed += 1;
            self.second_allowed += 1;
            Response::Allowed
        } else {
            let retry_after = self.retry_after();
            self.limited += 1;
            self.this_tick.limited += 1;
            self.second_limited += 1;
            Response::Limited { retry_after }
        };
        self.last_response = Some(response);
        response
    }

    /// Change the clients' rate, and log it only when it changes: at a limit, say so once.
    fn set_rps(&mut self, rps: f64) {
        let rps = rps.clamp(0.0, MAX_RPS);
        if rps == self.rps {
            let limit = if rps >= MAX_RPS {
                format!("clients already at the maximum of {MAX_RPS} rps")
            } else {
                format!("clients already at {rps} rps")
            };
            self.log.push_unless_repeated(self.now, limit);
            return;
        }
        self.rps = rps;
        self.log
            .push(self.now, format!("clients send {} rps", self.rps));
    }
}

impl Simulation for RateLimiterSim {
    param_table::common_methods!(kind: KIND, table: TABLE, actions: ACTIONS);

    fn step(&mut self) {
        self.now += 1;
        self.this_tick = TickTraffic::default();
        self.tokens_micro =
            (self.tokens_micro + self.refill_micro_per_tick()).min(self.capacity * MICRO);
        if !self.clients_paused {
            let per_tick = self.rps / TICKS_PER_SEC as f64;
            let whole = per_tick.floor();
            let arrivals = whole as u64 + u64::from(self.rng.chance(per_tick - whole));
            for _ in 0..arrivals {
                self.request();
            }
        }
        self.this_tick.tokens_micro = self.tokens_micro;
        if self.now.is_multiple_of(TICKS_PER_SEC) {
            if self.second_limited > 0 {
                self.log.push(
                    self.now,
                    format!(
                        "second {}: {} allowed, {} answered 429 Too Many Requests with Retry-After: {}",
                        self.now / TICKS_PER_SEC,
                        self.second_allowed,
                        self.second_limited,
                        self.retry_after().max(1)
                    ),
                );
            }
            self.second_allowed = 0;
            self.second_limited = 0;
        }
        if self.history.len() == HISTORY {
            self.history.pop_front();
        }
        self.history.push_back(self.this_tick);
    }

    fn action_label(&self, key: char) -> Option<String> {
        match key {
            'i' if self.clients_paused => Some("resume clients".into()),
            'i' => Some("pause clients".into()),
            _ => None,
        }
    }

    fn act(&mut self, key: char) -> bool {
        match key {
            'b' => {
                let before = self.allowed;
                for _ in 0..BURST {
                    self.request();
                }
                let passed = self.allowed - before;
                self.log.push(
                    self.now,
                    format!(
                        "burst of {BURST}: {passed} allowed, {} got 429",
                        BURST - passed
                    ),
                );
            }
            'i' => {
                self.clients_paused = !self.clients_paused;
                let state = if self.clients_paused {
                    "paused: the bucket refills up to its capacity"
                } else {
                    "resumed"
                };
                self.log.push(self.now, format!("clients {state}"));
            }
            'u' => self.set_rps(self.rps + RPS_STEP),
            'd' => self.set_rps(self.rps - RPS_STEP),
            _ => return false,
        }
        true
    }

    fn summary(&self) -> Summary {
        let total = self.allowed + self.limited;
        let seconds = self.now as f64 / TICKS_PER_SEC as f64;
        let metrics = BTreeMap::from([
            ("requests", total as f64),
            ("allowed", self.allowed as f64),
            ("limited_429", self.limited as f64),
            (
                "allowed_per_sec",
                if seconds > 0.0 {
                    self.allowed as f64 / seconds
                } else {
                    0.0
                },
            ),
            ("tokens", self.tokens()),
            ("retry_after_secs", self.retry_after() as f64),
        ]);
        let bucket = BTreeMap::from([
            ("name", json!("api-key")),
            ("capacity", json!(self.capacity)),
            ("tokens", json!(self.tokens())),
            ("allowed", json!(self.allowed)),
            ("limited", json!(self.limited)),
        ]);
        Summary::of(
            self,
            self.seed,
            metrics,
            [("buckets", vec![bucket])],
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
    fn lowering_the_rate_at_zero_says_so_once() {
        let mut sim = RateLimiterSim::new(1);
        for _ in 0..20 {
            sim.act('d');
        }
        assert_eq!(sim.rps(), 0.0);
        let texts: Vec<&str> = sim.log().iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts.iter().filter(|t| **t == "clients send 0 rps").count(),
            1
        );
        assert_eq!(texts.last(), Some(&"clients already at 0 rps"));
        assert_eq!(
            texts
                .iter()
                .filter(|t| t.starts_with("clients already"))
                .count(),
            1
        );
    }

    fn bucket(capacity: i64, refill: f64, rps: f64) -> RateLimiterSim {
        seeded_bucket(1, capacity, refill, rps)
    }

    fn seeded_bucket(seed: u64, capacity: i64, refill: f64, rps: f64) -> RateLimiterSim {
        let mut sim = RateLimiterSim::new(seed);
        sim.set("capacity", &ParamValue::Int(capacity)).unwrap();
        sim.set("refill_per_sec", &ParamValue::Float(refill))
            .unwrap();
        sim.set("rps", &ParamValue::Float(rps)).unwrap();
        sim
    }

    fn drain(sim: &mut RateLimiterSim) {
        while sim.request() == Response::Allowed {}
    }

    #[test]
    fn a_full_bucket_allows_a_burst_of_exactly_capacity() {
        let mut sim = bucket(10, 5.0, 0.0);
        for _ in 0..10 {
            assert_eq!(sim.request(), Response::Allowed);
        }
        assert_eq!(sim.request(), Response::Limited { retry_after: 1 });
    }

    #[test]
    fn refill_is_fractional() {
        // 2.5 tokens a second is a quarter token per tick: four ticks make one token.
        let mut sim = bucket(5, 2.5, 0.0);
        drain(&mut sim);
        for _ in 0..3 {
            sim.step();
        }
        assert!((sim.tokens() - 0.75).abs() < 1e-9);
        assert!(matches!(sim.request(), Response::Limited { .. }));
        sim.step();
        assert_eq!(sim.request(), Response::Allowed);
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        // 0.4 tokens a second: an empty bucket needs 2.5 s for a token, so Retry-After: 3.
        let mut sim = bucket(1, 0.4, 0.0);
        drain(&mut sim);
        assert_eq!(sim.request(), Response::Limited { retry_after: 3 });
    }

    #[test]
    fn under_sustained_overload_the_bucket_passes_its_refill_rate() {
        let mut sim = bucket(10, 5.0, 20.0);
        for _ in 0..600 {
            sim.step();
        }
        // 60 s at 5 tokens a second, plus the initial burst of 10.
        assert!(
            sim.allowed() <= 310 && sim.allowed() >= 300,
            "{}",
            sim.allowed()
        );
        assert!(sim.limited() > 500);
    }

    proptest! {
        #[test]
        fn tokens_stay_within_zero_and_capacity(
            seed: u64,
            capacity in 1i64..50,
            refill in 0.1f64..100.0,
            rps in 0.0f64..200.0,
            actions in prop::collection::vec((0u64..200, prop::sample::select(vec!['b', 'i', 'u', 'd'])), 0..10),
        ) {
            let mut sim = seeded_bucket(seed, capacity, refill, rps);
            for t in 0..200 {
                for &(at, key) in &actions {
                    if at == t { sim.act(key); }
                }
                sim.step();
                prop_assert!(sim.tokens() >= 0.0);
                prop_assert!(sim.tokens() <= capacity as f64);
            }
        }

        #[test]
        fn idle_refill_accumulates_fractions_and_caps(capacity in 1i64..50, refill in 0.1f64..50.0, idle in 0u64..400) {
            let mut sim = bucket(capacity, refill, 0.0);
            drain(&mut sim);
            for _ in 0..idle {
                sim.step();
            }
            let per_tick = (refill * 1e5).round() / 1e6;
            let expected = (per_tick * idle as f64).min(capacity as f64);
            prop_assert!((sim.tokens() - expected).abs() < 1e-6, "{} vs {}", sim.tokens(), expected);
        }

        #[test]
        fn allowed_never_outruns_capacity_plus_refill(seed: u64, capacity in 1i64..30, refill in 0.1f64..30.0, rps in 0.0f64..300.0, ticks in 1u64..300) {
            let mut sim = seeded_bucket(seed, capacity, refill, rps);
            for _ in 0..ticks {
                sim.step();
            }
            let bound = capacity as f64 + ((refill * 1e5).round() / 1e6) * ticks as f64;
            prop_assert!(sim.allowed() as f64 <= bound + 1e-6);
        }

        #[test]
        fn waiting_retry_after_seconds_finds_a_token(capacity in 1i64..20, refill in 0.1f64..20.0, spent in 0u64..20) {
            let mut sim = bucket(capacity, refill, 0.0);
            drain(&mut sim);
            for _ in 0..spent {
                sim.step();
            }
            if let Response::Limited { retry_after } = sim.request() {
                prop_assert!(retry_after >= 1);
                for _ in 0..retry_after * TICKS_PER_SEC {
                    sim.step();
                }
                prop_assert_eq!(sim.request(), Response::Allowed);
            }
        }

        #[test]
        fn the_same_seed_replays_exactly(seed: u64, rps in 0.0f64..100.0) {
            let mut a = seeded_bucket(seed, 10, 5.0, rps);
            let mut b = a.clone();
            for _ in 0..150 {
                a.step();
                b.step();
            }
            prop_assert_eq!(a.summary(), b.summary());
        }
    }
}
