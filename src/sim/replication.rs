//! Chapter 7, primary-replica replication. The primary takes every write and ships it to the
//! read replicas asynchronously, so each replica lags a few ticks behind. A user who writes
//! and then reads from a lagging replica does not see their own write, unless reads after a
//! write are routed to the primary (read-your-writes). When the primary dies, writes fail
//! until the most up-to-date replica is promoted, and writes it never received are lost.

use std::collections::{BTreeMap, VecDeque};

use serde_json::json;

use super::event_log::EventLog;
use super::param_table::{self, Param, specs};
use super::registry::KindSpec;
use super::rng::Rng;
use super::{Action, ParamError, Simulation, Summary};

pub const KIND: &str = "replication";
pub const USERS: [&str; 4] = ["ana", "ben", "cai", "dee"];
/// Ticks of read-only operation between the primary's death and a replica's promotion.
pub const FAILOVER_TICKS: u64 = 5;
const REQUESTS_PER_TICK: usize = 2;
const MAX_REPLICAS: usize = 5;
const MAX_LAG: u64 = 100;
const LAG_STEP: u64 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Primary,
    Replica,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbNode {
    pub name: String,
    pub role: Role,
    /// Position in the write log up to which this node has applied writes.
    pub applied: u64,
    /// Per user: the sequence number of the last write of theirs this node has applied.
    pub values: [u64; USERS.len()],
    /// Writes shipped but not yet applied, as (seq, user, apply at tick), in log order.
    pending: VecDeque<(u64, usize, u64)>,
    pub reads: u64,
    pub stale_reads: u64,
}

impl DbNode {
    fn new(name: String, role: Role) -> Self {
        DbNode {
            name,
            role,
            applied: 0,
            values: [0; USERS.len()],
            pending: VecDeque::new(),
            reads: 0,
            stale_reads: 0,
        }
    }

    /// Writes shipped to this replica that it has not applied yet.
    pub fn backlog(&self) -> usize {
        self.pending.len()
    }

    /// Ticks since the oldest write this replica has not applied was made.
    pub fn lag_ticks(&self, now: u64, write_ticks: &BTreeMap<u64, u64>) -> u64 {
        self.pending
            .front()
            .and_then(|(seq, _, _)| write_ticks.get(seq))
            .map_or(0, |&t| now.saturating_sub(t))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct User {
    /// The user's last acknowledged write, the one read-your-writes promises they will see.
    pub last_write: u64,
    /// The version their last read returned.
    pub last_read: u64,
    pub last_read_stale: bool,
}

#[derive(Debug, Clone)]
pub struct ReplicationSim {
    seed: u64,
    rng: Rng,
    now: u64,
    lag: u64,
    read_your_writes: bool,
    write_ratio: f64,
    failover_at: i64,
    /// The primary first, then the replicas.
    nodes: Vec<DbNode>,
    /// Ticks until a replica is promoted; `Some` while there is no primary.
    promotion_in: Option<u64>,
    /// The dead primary's log position: every write up to it had been acknowledged.
    dead_position: u64,
    users: [User; USERS.len()],
    /// When each write not yet applied everywhere was made, to measure lag in ticks.
    write_ticks: BTreeMap<u64, u64>,
    next_seq: u64,
    next_node: u32,
    round_robin: usize,
    writes: u64,
    writes_failed: u64,
    reads: u64,
    reads_primary: u64,
    reads_refused: u64,
    stale_reads: u64,
    lost_writes: u64,
    failovers: u64,
    max_lag_ticks: u64,
    log: EventLog,
}

const TABLE: [Param<ReplicationSim>; 5] = [
    Param::int("replicas", 1, 5, "2")
        .help("read replicas behind the primary")
        .fallible(
            |s| s.replicas().count() as i64,
            |s, v| {
                if s.promotion_in.is_some() {
                    return Err(ParamError::Rejected(
                        "cannot change replicas during a failover".to_string(),
                    ));
                }
                s.resize(v as usize);
                Ok(())
            },
        ),
    Param::int("lag", 0, 100, "6")
        .help("ticks before a write reaches a replica (each further replica lags a bit more)")
        .field(|s| s.lag as i64, |s, v| s.lag = v as u64),
    Param::flag("read_your_writes", "false")
        .help("send a user's reads to the primary until a replica has their last write")
        .field(|s| s.read_your_writes, |s, v| s.read_your_writes = v),
    Param::float("write_ratio", 0.0, 1.0, "0.3")
        .help("share of user requests that are writes")
        .field(|s| s.write_ratio, |s, v| s.write_ratio = v),
    Param::int("failover_at", 0, 1_000_000, "60")
        .help("tick at which the primary dies and a replica is promoted (0: never)")
        .field(|s| s.failover_at, |s, v| s.failover_at = v),
];

pub const SPEC: KindSpec = KindSpec {
    name: KIND,
    title: "Primary-replica replication: lag, read-your-writes, failover",
    description: "A primary takes the writes and ships them to read replicas after a lag. \
        Reads from a lagging replica can miss the user's own write unless reads after a \
        write go to the primary. Kill the primary: writes fail until a replica is promoted, \
        and writes it had not received are lost.",
    params: &specs(&TABLE),
    build: ReplicationSim::boxed,
};

static ACTIONS: &[Action] = &[
    Action {
        key: 'x',
        label: "kill primary",
    },
    Action {
        key: 'w',
        label: "read-your-writes on/off",
    },
    Action {
        key: 'u',
        label: "lag +2",
    },
    Action {
        key: 'd',
        label: "lag -2",
    },
];

impl ReplicationSim {
    pub fn new(seed: u64) -> Self {
        let mut sim = ReplicationSim {
            seed,
            rng: Rng::new(seed),
            now: 0,
            lag: 6,
            read_your_writes: false,
            write_ratio: 0.3,
            failover_at: 60,
            nodes: Vec::new(),
            promotion_in: None,
            dead_position: 0,
            users: [User::default(); USERS.len()],
            write_ticks: BTreeMap::new(),
            next_seq: 1,
            next_node: 1,
            round_robin: 0,
            writes: 0,
            writes_failed: 0,
            reads: 0,
            reads_primary: 0,
            reads_refused: 0,
            stale_reads: 0,
            lost_writes: 0,
            failovers: 0,
            max_lag_ticks: 0,
            log: EventLog::new(),
        };
        let primary = sim.fresh_node(Role::Primary);
        sim.nodes.push(primary);
        sim.resize(2);
        sim
    }

    pub fn boxed(seed: u64) -> Box<dyn Simulation> {
        Box::new(Self::new(seed))
    }

    pub fn nodes(&self) -> &[DbNode] {
        &self.nodes
    }
    pub fn primary(&self) -> Option<&DbNode> {
        self.nodes.iter().find(|n| n.role == Role::Primary)
    }
    pub fn replicas(&self) -> impl Iterator<Item = &DbNode> {
        self.nodes.iter().filter(|n| n.role == Role::Replica)
    }
    pub fn users(&self) -> &[User; USERS.len()] {
        &self.users
    }
    pub fn promotion_in(&self) -> Option<u64> {
        self.promotion_in
    }
    pub fn read_your_writes(&self) -> bool {
        self.read_your_writes
    }
    pub fn lag(&self) -> u64 {
        self.lag
    }
    pub fn log_position(&self) -> u64 {
        self.primary().map_or(0, |p| p.applied)
    }
    pub fn lag_ticks(&self, node: &DbNode) -> u64 {
        node.lag_ticks(self.now, &self.write_ticks)
    }
    pub fn log(&self) -> &EventLog {
        &self.log
    }
    pub fn stale_reads(&self) -> u64 {
        self.stale_reads
    }
    pub fn lost_writes(&self) -> u64 {
        self.lost_writes
    }
    pub fn writes(&self) -> u64 {
        self.writes
    }
    pub fn writes_failed(&self) -> u64 {
        self.writes_failed
    }
    pub fn reads(&self) -> u64 {
        self.reads
    }
    pub fn reads_from_primary(&self) -> u64 {
        self.reads_primary
    }
    pub fn reads_refused(&self) -> u64 {
        self.reads_refused
    }
    pub fn failovers(&self) -> u64 {
        self.failovers
    }

    fn fresh_node(&mut self, role: Role) -> DbNode {
        let node = DbNode::new(format!("db-{}", self.next_node), role);
        self.next_node += 1;
        node
    }

    /// Add replicas cloned from the primary's current data, or drop the newest ones.
    fn resize(&mut self, replicas: usize) {
        let replicas = replicas.clamp(1, MAX_REPLICAS);
        while self.replicas().count() > replicas {
            if let Some(i) = self.nodes.iter().rposition(|n| n.role == Role::Replica) {
                self.nodes.remove(i);
            }
        }
        while self.replicas().count() < replicas {
            let mut node = self.fresh_node(Role::Replica);
            if let Some(p) = self.primary() {
                node.applied = p.applied;
                node.values = p.values;
            }
            self.nodes.push(node);
        }
        self.forget_applied_writes();
    }

    fn forget_applied_writes(&mut self) {
        let oldest_pending = self
            .nodes
            .iter()
            .filter_map(|n| n.pending.front().map(|p| p.0))
            .min();
        match oldest_pending {
            Some(seq) => self.write_ticks.retain(|&s, _| s >= seq),
            None => self.write_ticks.clear(),
        }
    }

    fn apply_shipped_writes(&mut self) {
        let now = self.now;
        for node in &mut self.nodes {
            while let Some(&(seq, user, at)) = node.pending.front() {
                if at > now {
                    break;
                }
                node.pending.pop_front();
                node.applied = seq;
                node.values[user] = seq;
            }
        }
        for i in 0..self.nodes.len() {
            let lag = self.nodes[i].lag_ticks(now, &self.write_ticks);
            self.max_lag_ticks = self.max_lag_ticks.max(lag);
        }
        self.forget_applied_writes();
    }

    fn write(&mut self, user: usize) {
        let Some(p) = self.nodes.iter().position(|n| n.role == Role::Primary) else {
            self.writes_failed += 1;
            if self.writes_failed == 1 || self.writes_failed.is_multiple_of(10) {
                self.log.push(
                    self.now,
                    format!(
                        "write by {} fails: no primary, read-only until promotion",
                        USERS[user]
                    ),
                );
            }
            return;
        };
        let seq = self.next_seq;
        self.next_seq += 1;
        self.writes += 1;
        self.write_ticks.insert(seq, self.now);
        self.nodes[p].applied = seq;
        self.nodes[p].values[user] = seq;
        self.users[user].last_write = seq;
        let mut replica_index = 0;
        for i in 0..self.nodes.len() {
            if i == p {
                continue;
            }
            // Each further replica is a little further behind; jitter keeps it uneven.
            let delay = self.lag + replica_index + self.rng.below(self.lag / 2 + 1);
            replica_index += 1;
            let node = &mut self.nodes[i];
            let at = node
                .pending
                .back()
                .map_or(self.now + delay, |&(_, _, last)| last.max(self.now + delay));
            node.pending.push_back((seq, user, at));
        }
    }

    fn read(&mut self, user: usize) {
        self.reads += 1;
        let replicas: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.nodes[i].role == Role::Replica)
            .collect();
        let primary = self.nodes.iter().position(|n| n.role == Role::Primary);
        let mut target = if replicas.is_empty() {
            primary
        } else {
            self.round_robin = (self.round_robin + 1) % replicas.len();
            Some(replicas[self.round_robin])
        };
        let wanted = self.users[user].last_write;
        if self.read_your_writes && target.is_some_and(|t| self.nodes[t].values[user] < wanted) {
            // The replica has not caught up with this user's write: ask a node that has.
            target = primary.or_else(|| {
                replicas
                    .iter()
                    .copied()
                    .find(|&r| self.nodes[r].values[user] >= wanted)
            });
            if target.is_none() {
                self.reads_refused += 1;
                self.log.push(
                    self.now,
                    format!(
                        "read by {} refused: no node has their write v{wanted} yet",
                        USERS[user]
                    ),
                );
                return;
            }
        }
        let Some(t) = target else {
            self.reads_refused += 1;
            return;
        };
        if self.nodes[t].role == Role::Primary {
            self.reads_primary += 1;
        }
        let node = &mut self.nodes[t];
        node.reads += 1;
        let got = node.values[user];
        let stale = got < wanted;
        if stale {
            node.stale_reads += 1;
            self.stale_reads += 1;
            self.log.push(
                self.now,
                format!(
                    "{} reads v{got} from {}, not their own write v{wanted}",
                    USERS[user], node.name
                ),
            );
        }
        self.users[user].last_read = got;
        self.users[user].last_read_stale = stale;
    }

    fn kill_primary(&mut self, why: &str) {
        let Some(p) = self.nodes.iter().position(|n| n.role == Role::Primary) else {
            return;
        };
        let dead = self.nodes.remove(p);
        // The replication stream dies with it: what the replicas have not applied never will be.
        for node in &mut self.nodes {
            node.pending.clear();
        }
        self.promotion_in = Some(FAILOVER_TICKS);
        self.dead_position = dead.applied;
        self.log.push(
            self.now,
            format!(
                "primary {} dies ({why}) at log position {}: read-only until a replica is promoted",
                dead.name, dead.applied
            ),
        );
        if self.nodes.is_empty() {
            // Nothing to promote from; a fresh empty primary will take over.
            let node = self.fresh_node(Role::Replica);
            self.nodes.push(node);
        }
    }

    fn promote(&mut self) {
        self.promotion_in = None;
        // The replica that has applied the most writes loses the least.
        let Some(best) =
            (0..self.nodes.len()).max_by_key(|&i| (self.nodes[i].applied, usize::MAX - i))
        else {
            return;
        };
        let position = self.nodes[best].applied;
        let lost = self.dead_position.saturating_sub(position);
        self.lost_writes += lost;
        self.failovers += 1;
        self.nodes[best].role = Role::Primary;
        self.nodes[best].pending.clear();
        for node in &mut self.nodes {
            // Writes the new primary never had cannot be shipped by it.
            node.pending.retain(|&(seq, _, _)| seq <= position);
        }
        // The new primary's log continues from its own position, as a promoted replica's
        // does: the lost writes' positions are taken by the next writes.
        self.write_ticks.retain(|&seq, _| seq <= position);
        self.next_seq = position + 1;
        let survived = self.nodes[best].values;
        for (user, state) in self.users.iter_mut().enumerate() {
            state.last_write = state.last_write.min(survived[user]);
        }
        let name = self.nodes[best].name.clone();
        self.log.push(
            self.now,
            match lost {
                0 => format!("{name} promoted to primary at position {position}; no write lost"),
                1 => format!(
                    "{name} promoted to primary at position {position}; unreplicated write v{} lost",
                    self.dead_position
                ),
                n => format!(
                    "{name} promoted to primary at position {position}; {n} unreplicated writes lost: v{}..v{}",
                    position + 1,
                    self.dead_position
                ),
            },
        );
        let wanted = self.replicas().count() + 1;
        self.resize(wanted.min(MAX_REPLICAS));
    }

    /// Change the lag, and log it only when it changes: at a limit, say so once.
    fn set_lag(&mut self, lag: u64) {
        let lag = lag.min(MAX_LAG);
        if lag == self.lag {
            let limit = if lag == MAX_LAG {
                format!("replication lag already at the maximum of {MAX_LAG} ticks")
            } else {
                format!("replication lag already at {}", ticks(lag))
            };
            self.log.push_unless_repeated(self.now, limit);
            return;
        }
        self.lag = lag;
        self.log
            .push(self.now, format!("replication lag now {}", ticks(self.lag)));
    }
}

/// `1 tick`, `6 ticks`.
pub fn ticks(n: u64) -> String {
    if n == 1 {
        "1 tick".to_string()
    } else {
        format!("{n} ticks")
    }
}

/// `1 write`, `3 writes`.
pub fn writes(n: u64) -> String {
    if n == 1 {
        "1 write".to_string()
    } else {
        format!("{n} writes")
    }
}

impl Simulation for ReplicationSim {
    param_table::common_methods!(kind: KIND, table: TABLE, actions: ACTIONS);

    fn step(&mut self) {
        self.now += 1;
        if self.failover_at > 0 && self.now as i64 == self.failover_at {
            self.kill_primary("scheduled");
        }
        match self.promotion_in {
            Some(n) if n <= 1 => self.promote(),
            Some(n) => self.promotion_in = Some(n - 1),
            None => {}
        }
        self.apply_shipped_writes();
        for _ in 0..REQUESTS_PER_TICK {
            let user = self.rng.below(USERS.len() as u64) as usize;
            if self.rng.chance(self.write_ratio) {
                self.write(user);
            } else {
                self.read(user);
            }
        }
    }

    fn action_label(&self, key: char) -> Option<String> {
        match key {
            'w' if self.read_your_writes => Some("read-your-writes off".into()),
            'w' => Some("read-your-writes on".into()),
            _ => None,
        }
    }

    fn act(&mut self, key: char) -> bool {
        match key {
            'x' => {
                if self.primary().is_some() {
                    self.kill_primary("by hand");
                } else {
                    self.log
                        .push_unless_repeated(self.now, "no primary to kill: failover in progress");
                }
            }
            'w' => {
                self.read_your_writes = !self.read_your_writes;
                let state = if self.read_your_writes { "on" } else { "off" };
                self.log.push(self.now, format!("read-your-writes {state}"));
            }
            'u' => self.set_lag(self.lag + LAG_STEP),
            'd' => self.set_lag(self.lag.saturating_sub(LAG_STEP)),
            _ => return false,
        }
        true
    }

    fn summary(&self) -> Summary {
        let metrics = BTreeMap::from([
            ("writes", self.writes as f64),
            ("writes_failed", self.writes_failed as f64),
            ("reads", self.reads as f64),
            ("reads_from_primary", self.reads_primary as f64),
            ("reads_refused", self.reads_refused as f64),
            ("stale_reads", self.stale_reads as f64),
            ("lost_writes", self.lost_writes as f64),
            ("failovers", self.failovers as f64),
            ("max_lag_ticks", self.max_lag_ticks as f64),
            ("log_position", self.log_position() as f64),
        ]);
        let nodes = self
            .nodes
            .iter()
            .map(|n| {
                BTreeMap::from([
                    ("name", json!(n.name)),
                    (
                        "role",
                        json!(match n.role {
                            Role::Primary => "primary",
                            Role::Replica => "replica",
                        }),
                    ),
                    ("applied", json!(n.applied)),
                    ("backlog", json!(n.backlog())),
                    ("lag_ticks", json!(self.lag_ticks(n))),
                    ("reads", json!(n.reads)),
                    ("stale_reads", json!(n.stale_reads)),
                ])
            })
            .collect();
        let users = USERS
            .iter()
            .zip(&self.users)
            .map(|(name, u)| {
                BTreeMap::from([
                    ("name", json!(name)),
                    ("last_write", json!(u.last_write)),
                    ("last_read", json!(u.last_read)),
                ])
            })
            .collect();
        Summary::of(
            self,
            self.seed,
            metrics,
            [("replicas", nodes), ("users", users)],
            self.log.to_vec(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ParamValue;
    use proptest::prelude::*;

    fn sim(seed: u64, settings: &[(&str, ParamValue)]) -> ReplicationSim {
        let mut sim = ReplicationSim::new(seed);
        for (k, v) in settings {
            sim.set(k, v).unwrap();
        }
        sim
    }

    fn run(sim: &mut ReplicationSim, ticks: u64) {
        for _ in 0..ticks {
            sim.step();
        }
    }

    #[test]
    fn the_chapter_point_lag_breaks_read_your_writes_unless_routed_to_the_primary() {
        let no_failover = ("failover_at", ParamValue::Int(0));
        let mut off = sim(2, std::slice::from_ref(&no_failover));
        let mut on = sim(
            2,
            &[no_failover, ("read_your_writes", ParamValue::Bool(true))],
        );
        run(&mut off, 100);
        run(&mut on, 100);
        assert!(
            off.stale_reads() > 0,
            "a lagging replica misses the user's write"
        );
        assert_eq!(on.stale_reads(), 0);
        assert!(on.reads_primary > off.reads_primary);
    }

    #[test]
    fn failover_loses_the_writes_the_promoted_replica_never_received() {
        let mut s = sim(
            11,
            &[
                ("lag", ParamValue::Int(10)),
                ("write_ratio", ParamValue::Float(0.8)),
            ],
        );
        run(&mut s, 59);
        let best = s.replicas().map(|r| r.applied).max().unwrap();
        let acked = s.log_position();
        let unshipped = acked - best;
        assert!(acked > best, "with lag, the primary is ahead");
        run(&mut s, 1 + FAILOVER_TICKS);
        assert_eq!(s.failovers(), 1);
        assert!(s.writes_failed() > 0, "no writes while read-only");
        assert_eq!(s.lost_writes(), unshipped);
        assert!(s.lost_writes() > 0);
        assert_eq!(
            s.replicas().count(),
            2,
            "a replacement replica is provisioned"
        );
    }

    #[test]
    fn holding_a_lag_key_at_its_limit_logs_the_limit_once() {
        let mut s = ReplicationSim::new(1);
        for _ in 0..80 {
            s.act('u');
        }
        let texts: Vec<&str> = s.log().iter().map(|e| e.text.as_str()).collect();
        assert_eq!(s.lag(), MAX_LAG);
        assert_eq!(
            texts
                .iter()
                .filter(|t| t.contains("lag now 100 ticks"))
                .count(),
            1
        );
        assert_eq!(
            texts.last(),
            Some(&"replication lag already at the maximum of 100 ticks")
        );
        assert_eq!(
            texts
                .iter()
                .filter(|t| t.contains("already at the maximum"))
                .count(),
            1
        );
        s.act('d');
        assert_eq!(
            s.log().iter().last().unwrap().text,
            "replication lag now 98 ticks"
        );
    }

    #[test]
    fn without_lag_nothing_is_stale() {
        let mut s = sim(
            5,
            &[
                ("lag", ParamValue::Int(0)),
                ("failover_at", ParamValue::Int(0)),
            ],
        );
        run(&mut s, 200);
        // A write made this tick reaches replicas at the start of the next.
        assert!(s.stale_reads() <= s.writes());
    }

    proptest! {
        #[test]
        fn read_your_writes_never_reads_stale(
            seed: u64,
            lag in 0i64..30,
            replicas in 1i64..=5,
            ratio in 0.0f64..=1.0,
            kills in prop::collection::vec((0u64..200, prop::sample::select(vec!['x', 'u', 'd'])), 0..6),
        ) {
            let mut s = sim(seed, &[
                ("lag", ParamValue::Int(lag)),
                ("replicas", ParamValue::Int(replicas)),
                ("write_ratio", ParamValue::Float(ratio)),
                ("read_your_writes", ParamValue::Bool(true)),
            ]);
            for t in 0..200 {
                for &(at, key) in &kills {
                    if at == t { s.act(key); }
                }
                s.step();
                prop_assert_eq!(s.stale_reads(), 0);
                let primary = s.log_position();
                if s.primary().is_some() {
                    prop_assert!(s.replicas().all(|r| r.applied <= primary));
                }
            }
        }

        #[test]
        fn every_acknowledged_write_survives_or_is_counted_lost(seed: u64, lag in 0i64..30, kills in prop::collection::vec(0u64..300, 0..4)) {
            let mut s = sim(seed, &[("lag", ParamValue::Int(lag)), ("write_ratio", ParamValue::Float(0.6))]);
            for t in 0..300 {
                if kills.contains(&t) { s.act('x'); }
                s.step();
            }
            run(&mut s, FAILOVER_TICKS + 1);
            // The primary's log holds one position per surviving write.
            prop_assert_eq!(s.log_position() + s.lost_writes(), s.writes());
        }

        #[test]
        fn the_same_seed_replays_exactly(seed: u64) {
            let mut a = ReplicationSim::new(seed);
            let mut b = ReplicationSim::new(seed);
            run(&mut a, 120);
            run(&mut b, 120);
            prop_assert_eq!(a.summary(), b.summary());
        }
    }
}
