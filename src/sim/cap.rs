//! Chapter 1, CAP: two replicas of a tiny key-value store joined by one link. Cut the link
//! and the system must choose: in CP mode a replica that cannot confirm it holds the most
//! recent write answers with an error; in AP mode it answers from its own copy, which may be
//! stale. When the link heals the replicas reconcile key by key, last writer wins.

use std::collections::{BTreeMap, VecDeque};

use serde_json::json;

use super::event_log::EventLog;
use super::param_table::{self, Param, specs};
use super::registry::KindSpec;
use super::rng::Rng;
use super::{Action, Simulation, Summary};

pub const KIND: &str = "cap";
pub const KEYS: [&str; 3] = ["x", "y", "z"];
pub const REPLICAS: [&str; 2] = ["A", "B"];
/// Client requests arriving per tick, each at a replica picked at random.
const REQUESTS_PER_TICK: usize = 2;
/// Requests kept for the widget's scrolling list.
const RECENT_REQUESTS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Consistent under partition: refuse rather than risk a stale answer.
    Cp,
    /// Available under partition: always answer, from local data.
    Ap,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Cp => "cp",
            Mode::Ap => "ap",
        }
    }
}

const TABLE: [Param<CapSim>; 4] = [
    Param::choice("mode", &["cp", "ap"], "cp")
        .help("under a partition: cp refuses what it cannot confirm, ap answers from local data")
        .field(
            |s| s.mode.name(),
            |s, v| s.mode = if v == "ap" { Mode::Ap } else { Mode::Cp },
        ),
    Param::float("write_ratio", 0.0, 1.0, "0.3")
        .help("share of client requests that are writes")
        .field(|s| s.write_ratio, |s, v| s.write_ratio = v),
    Param::int("partition_at", 0, 1_000_000, "20")
        .help("tick at which the link is cut (0: never)")
        .field(|s| s.partition_at, |s, v| s.partition_at = v),
    Param::int("partition_len", 0, 1_000_000, "20")
        .help("ticks until the link heals (0: stays cut until healed by hand)")
        .field(|s| s.partition_len, |s, v| s.partition_len = v),
];

pub const SPEC: KindSpec = KindSpec {
    name: KIND,
    title: "CAP: consistency or availability under a partition",
    description: "Two replicas and a link you can cut. In CP mode a replica that cannot \
        confirm it holds the latest write answers with an error; in AP mode it answers \
        with what it has, possibly stale. When the link heals the replicas reconcile.",
    params: &specs(&TABLE),
    build: CapSim::boxed,
};

/// A stored value. Writes are numbered in the order they were accepted anywhere, so a higher
/// `seq` is a later write and last-writer-wins just keeps the higher one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Version {
    pub seq: u64,
    pub written_by: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replica {
    pub data: [Version; KEYS.len()],
    pub reads: u64,
    pub writes: u64,
    pub errors: u64,
    pub stale_reads: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Read,
    Write,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The answer is the most recent write of the key (for a write: it was accepted).
    Fresh,
    /// A read answered with an older write than the most recent one accepted anywhere.
    Stale { latest: u64 },
    /// Refused: the replica could not confirm it holds the most recent write.
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub tick: u64,
    pub replica: usize,
    pub key: usize,
    pub op: Op,
    /// The version read or written; 0 for an error.
    pub seq: u64,
    pub outcome: Outcome,
}

#[derive(Debug, Clone)]
pub struct CapSim {
    seed: u64,
    rng: Rng,
    now: u64,
    mode: Mode,
    write_ratio: f64,
    partition_at: i64,
    partition_len: i64,
    link_up: bool,
    replicas: [Replica; 2],
    /// The most recent write of each key accepted by either replica: the truth a read is
    /// judged against.
    latest: [u64; KEYS.len()],
    /// The version both replicas last agreed on, to tell a conflict from a replica that is
    /// merely behind.
    agreed: [u64; KEYS.len()],
    next_seq: u64,
    recent: VecDeque<Request>,
    requests: u64,
    errors: u64,
    stale_reads: u64,
    partitions: u64,
    ticks_partitioned: u64,
    reconciled_keys: u64,
    discarded_writes: u64,
    /// Requests refused since the link was last cut: the first is logged, the rest counted.
    refused_since_cut: u64,
    log: EventLog,
}

static ACTIONS: &[Action] = &[
    Action {
        key: 'c',
        label: "cut/heal link",
    },
    Action {
        key: 'm',
        label: "mode CP/AP",
    },
    Action {
        key: 'a',
        label: "write x on A",
    },
    Action {
        key: 'b',
        label: "write x on B",
    },
];

impl CapSim {
    pub fn new(seed: u64) -> Self {
        CapSim {
            seed,
            rng: Rng::new(seed),
            now: 0,
            mode: Mode::Cp,
            write_ratio: 0.3,
            partition_at: 20,
            partition_len: 20,
            link_up: true,
            replicas: Default::default(),
            latest: [0; KEYS.len()],
            agreed: [0; KEYS.len()],
            next_seq: 1,
            recent: VecDeque::with_capacity(RECENT_REQUESTS),
            requests: 0,
            errors: 0,
            stale_reads: 0,
            partitions: 0,
            ticks_partitioned: 0,
            reconciled_keys: 0,
            discarded_writes: 0,
            refused_since_cut: 0,
            log: EventLog::new(),
        }
    }

    pub fn boxed(seed: u64) -> Box<dyn Simulation> {
        Box::new(Self::new(seed))
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }
    pub fn link_up(&self) -> bool {
        self.link_up
    }
    pub fn replicas(&self) -> &[Replica; 2] {
        &self.replicas
    }
    pub fn latest(&self, key: usize) -> u64 {
        self.latest[key]
    }
    /// Keys on which the two replicas hold different versions.
    pub fn diverged_keys(&self) -> usize {
        (0..KEYS.len()).filter(|&k| self.diverged(k)).count()
    }
    /// Requests answered, newest last.
    pub fn recent(&self) -> &VecDeque<Request> {
        &self.recent
    }
    pub fn log(&self) -> &EventLog {
        &self.log
    }
    pub fn requests(&self) -> u64 {
        self.requests
    }
    pub fn errors(&self) -> u64 {
        self.errors
    }
    pub fn stale_reads(&self) -> u64 {
        self.stale_reads
    }
    pub fn discarded_writes(&self) -> u64 {
        self.discarded_writes
    }

    fn diverged(&self, key: usize) -> bool {
        self.replicas[0].data[key] != self.replicas[1].data[key]
    }

    fn cut(&mut self, why: &str) {
        if self.link_up {
            self.link_up = false;
            self.partitions += 1;
            self.refused_since_cut = 0;
            self.log.push(self.now, format!("link A-B cut ({why})"));
        }
    }

    fn heal(&mut self, why: &str) {
        if !self.link_up {
            self.link_up = true;
            let diverged = self.diverged_keys();
            let refused = match self.refused_since_cut {
                0 => String::new(),
                n => format!("; {n} request(s) were refused while cut"),
            };
            self.log.push(
                self.now,
                format!("link A-B healed ({why}); {diverged} key(s) to reconcile{refused}"),
            );
        }
    }

    /// Anti-entropy: one diverged key per tick, so the student can watch the replicas converge.
    fn reconcile_one(&mut self) {
        let Some(key) = (0..KEYS.len()).find(|&k| self.diverged(k)) else {
            return;
        };
        let [a, b] = [self.replicas[0].data[key], self.replicas[1].data[key]];
        let (winner, loser) = if a.seq >= b.seq { (a, b) } else { (b, a) };
        let text = if loser.seq > self.agreed[key] {
            self.discarded_writes += 1;
            format!(
                "reconcile {}: conflict, kept v{} from {}, discarded v{} from {} (last writer wins)",
                KEYS[key],
                winner.seq,
                REPLICAS[winner.written_by],
                loser.seq,
                REPLICAS[loser.written_by]
            )
        } else {
            let behind = if a.seq >= b.seq { 1 } else { 0 };
            format!(
                "reconcile {}: {} catches up to v{}",
                KEYS[key], REPLICAS[behind], winner.seq
            )
        };
        self.replicas[0].data[key] = winner;
        self.replicas[1].data[key] = winner;
        self.agreed[key] = winner.seq;
        self.reconciled_keys += 1;
        self.log.push(self.now, text);
    }

    fn request(&mut self, replica: usize, key: usize, op: Op) {
        self.requests += 1;
        // A CP replica answers only what it can confirm: the link is up and both replicas agree
        // on the key, so its copy is the most recent write.
        let refuse = self.mode == Mode::Cp && (!self.link_up || self.diverged(key));
        let (seq, outcome) = if refuse {
            self.errors += 1;
            self.replicas[replica].errors += 1;
            let why = if self.link_up {
                "replicas still reconciling"
            } else {
                "cannot reach the other replica"
            };
            self.refused_since_cut += 1;
            if self.refused_since_cut == 1 {
                let verb = if op == Op::Read { "read" } else { "write" };
                self.log.push(
                    self.now,
                    format!(
                        "{verb} {} at {}: error, {why} (CP refuses rather than risk a stale answer)",
                        KEYS[key], REPLICAS[replica]
                    ),
                );
            }
            (0, Outcome::Error)
        } else {
            match op {
                Op::Write => {
                    let version = Version {
                        seq: self.next_seq,
                        written_by: replica,
                    };
                    self.next_seq += 1;
                    self.latest[key] = version.seq;
                    self.replicas[replica].writes += 1;
                    self.replicas[replica].data[key] = version;
                    if self.link_up {
                        // Synchronous replication: the write is on both before it is acknowledged.
                        self.replicas[1 - replica].data[key] = version;
                        self.agreed[key] = version.seq;
                    }
                    (version.seq, Outcome::Fresh)
                }
                Op::Read => {
                    self.replicas[replica].reads += 1;
                    let seq = self.replicas[replica].data[key].seq;
                    if seq < self.latest[key] {
                        self.stale_reads += 1;
                        self.replicas[replica].stale_reads += 1;
                        self.log.push(
                            self.now,
                            format!(
                                "read {} at {}: stale v{seq}, latest is v{}",
                                KEYS[key], REPLICAS[replica], self.latest[key]
                            ),
                        );
                        (
                            seq,
                            Outcome::Stale {
                                latest: self.latest[key],
                            },
                        )
                    } else {
                        (seq, Outcome::Fresh)
                    }
                }
            }
        };
        if self.recent.len() == RECENT_REQUESTS {
            self.recent.pop_front();
        }
        self.recent.push_back(Request {
            tick: self.now,
            replica,
            key,
            op,
            seq,
            outcome,
        });
    }
}

impl Simulation for CapSim {
    param_table::common_methods!(kind: KIND, table: TABLE, actions: ACTIONS);

    fn step(&mut self) {
        self.now += 1;
        let now = self.now as i64;
        if self.partition_at > 0 && now == self.partition_at {
            self.cut("scheduled partition");
        }
        if self.partition_at > 0
            && self.partition_len > 0
            && now == self.partition_at + self.partition_len
        {
            self.heal("scheduled");
        }
        if self.link_up {
            self.reconcile_one();
        } else {
            self.ticks_partitioned += 1;
        }
        for _ in 0..REQUESTS_PER_TICK {
            let replica = self.rng.below(2) as usize;
            let key = self.rng.below(KEYS.len() as u64) as usize;
            let op = if self.rng.chance(self.write_ratio) {
                Op::Write
            } else {
                Op::Read
            };
            self.request(replica, key, op);
        }
    }

    fn action_label(&self, key: char) -> Option<String> {
        Some(
            match key {
                'c' if self.link_up => "cut link",
                'c' => "heal link",
                'm' if self.mode == Mode::Cp => "AP mode",
                'm' => "CP mode",
                _ => return None,
            }
            .to_string(),
        )
    }

    fn act(&mut self, key: char) -> bool {
        match key {
            'c' if self.link_up => self.cut("by hand"),
            'c' => self.heal("by hand"),
            'm' => {
                self.mode = match self.mode {
                    Mode::Cp => Mode::Ap,
                    Mode::Ap => Mode::Cp,
                };
                self.log.push(
                    self.now,
                    format!("mode switched to {}", self.mode.name().to_uppercase()),
                );
            }
            'a' => self.request(0, 0, Op::Write),
            'b' => self.request(1, 0, Op::Write),
            _ => return false,
        }
        true
    }

    fn summary(&self) -> Summary {
        let served = self.requests - self.errors;
        let metrics = BTreeMap::from([
            ("requests", self.requests as f64),
            ("served", served as f64),
            ("errors", self.errors as f64),
            ("stale_reads", self.stale_reads as f64),
            (
                "availability",
                if self.requests == 0 {
                    1.0
                } else {
                    served as f64 / self.requests as f64
                },
            ),
            ("partitions", self.partitions as f64),
            ("ticks_partitioned", self.ticks_partitioned as f64),
            ("reconciled_keys", self.reconciled_keys as f64),
            ("discarded_writes", self.discarded_writes as f64),
            ("diverged_keys", self.diverged_keys() as f64),
            ("link_up", if self.link_up { 1.0 } else { 0.0 }),
        ]);
        let replicas = self
            .replicas
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let data: serde_json::Map<String, serde_json::Value> = KEYS
                    .iter()
                    .zip(r.data.iter())
                    .map(|(k, v)| (k.to_string(), json!(v.seq)))
                    .collect();
                BTreeMap::from([
                    ("name", json!(REPLICAS[i])),
                    ("reads", json!(r.reads)),
                    ("writes", json!(r.writes)),
                    ("errors", json!(r.errors)),
                    ("stale_reads", json!(r.stale_reads)),
                    ("versions", serde_json::Value::Object(data)),
                ])
            })
            .collect();
        Summary::of(
            self,
            self.seed,
            metrics,
            [("replicas", replicas)],
            self.log.to_vec(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{ParamError, ParamValue};
    use proptest::prelude::*;

    fn run(seed: u64, mode: &str, ticks: u64, actions: &[(u64, char)]) -> CapSim {
        let mut sim = CapSim::new(seed);
        sim.set("mode", &ParamValue::Choice(mode.into())).unwrap();
        for t in 0..ticks {
            for &(at, key) in actions {
                if at == t {
                    assert!(sim.act(key));
                }
            }
            sim.step();
        }
        sim
    }

    #[test]
    fn the_chapter_point_cp_errors_ap_goes_stale_then_both_converge() {
        let cp = run(7, "cp", 60, &[]);
        assert!(cp.errors() > 0, "CP must refuse during the partition");
        assert_eq!(cp.stale_reads(), 0);
        let ap = run(7, "ap", 60, &[]);
        assert_eq!(ap.errors(), 0, "AP must always answer");
        assert!(
            ap.stale_reads() > 0,
            "AP must serve stale data during the partition"
        );
        for sim in [&cp, &ap] {
            assert!(sim.link_up());
            assert_eq!(sim.diverged_keys(), 0, "replicas reconcile after the heal");
        }
    }

    #[test]
    fn a_conflicting_write_on_both_sides_is_resolved_by_last_writer() {
        let mut sim = CapSim::new(1);
        sim.set("mode", &ParamValue::Choice("ap".into())).unwrap();
        sim.set("write_ratio", &ParamValue::Float(0.0)).unwrap();
        sim.set("partition_at", &ParamValue::Int(0)).unwrap();
        sim.act('c');
        sim.act('a');
        sim.act('b');
        let winner = sim.replicas()[1].data[0];
        sim.act('c');
        sim.step();
        assert_eq!(sim.replicas()[0].data[0], winner);
        assert_eq!(sim.discarded_writes(), 1);
    }

    #[test]
    fn unknown_key_and_bad_value_are_errors() {
        let mut sim = CapSim::new(1);
        assert!(matches!(
            sim.set("nope", &ParamValue::Int(1)),
            Err(ParamError::UnknownKey { .. })
        ));
        assert!(sim.set("mode", &ParamValue::Choice("ca".into())).is_err());
        assert!(sim.set("write_ratio", &ParamValue::Float(1.5)).is_err());
        assert!(!sim.act('q'));
    }

    fn arbitrary_actions() -> impl Strategy<Value = Vec<(u64, char)>> {
        prop::collection::vec(
            (0u64..120, prop::sample::select(vec!['c', 'a', 'b'])),
            0..12,
        )
    }

    proptest! {
        #[test]
        fn cp_never_returns_stale_data(seed: u64, actions in arbitrary_actions(), ratio in 0.0f64..=1.0) {
            let mut sim = CapSim::new(seed);
            sim.set("write_ratio", &ParamValue::Float(ratio)).unwrap();
            for t in 0..120 {
                for &(at, key) in &actions {
                    if at == t { sim.act(key); }
                }
                sim.step();
                let stale = sim.recent().iter().any(|r| matches!(r.outcome, Outcome::Stale { .. }));
                prop_assert!(!stale);
            }
            prop_assert_eq!(sim.stale_reads(), 0);
        }

        #[test]
        fn ap_never_errors(seed: u64, actions in arbitrary_actions(), ratio in 0.0f64..=1.0) {
            let mut sim = CapSim::new(seed);
            sim.set("mode", &ParamValue::Choice("ap".into())).unwrap();
            sim.set("write_ratio", &ParamValue::Float(ratio)).unwrap();
            for t in 0..120 {
                for &(at, key) in &actions {
                    if at == t { sim.act(key); }
                }
                sim.step();
            }
            prop_assert_eq!(sim.errors(), 0);
            prop_assert_eq!(sim.requests(), sim.replicas().iter().map(|r| r.reads + r.writes).sum::<u64>());
        }

        #[test]
        fn healed_replicas_converge_to_the_latest_writes(seed: u64, mode in prop::sample::select(vec!["cp", "ap"])) {
            // The scheduled partition heals at tick 40; three keys need at most three ticks.
            let sim = run(seed, mode, 45, &[]);
            prop_assert_eq!(sim.diverged_keys(), 0);
            for key in 0..KEYS.len() {
                prop_assert_eq!(sim.replicas()[0].data[key].seq, sim.latest(key));
            }
        }

        #[test]
        fn the_same_seed_replays_exactly(seed: u64, actions in arbitrary_actions()) {
            let a = run(seed, "ap", 80, &actions);
            let b = run(seed, "ap", 80, &actions);
            prop_assert_eq!(a.summary(), b.summary());
        }
    }
}
