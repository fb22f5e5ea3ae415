//! Chapter 3, isolation: two transactions interleaved step by step under an isolation level,
//! modelled on PostgreSQL.
//!
//! - Every level reads committed data only: PostgreSQL runs READ UNCOMMITTED as READ
//!   COMMITTED, so a dirty read never happens.
//! - READ COMMITTED takes a fresh snapshot for each statement.
//! - REPEATABLE READ is snapshot isolation: one snapshot for the whole transaction, and an
//!   UPDATE of a row that another transaction changed and committed after that snapshot
//!   fails with "could not serialize access due to concurrent update".
//! - SERIALIZABLE adds PostgreSQL's serializable snapshot isolation check: a transaction that
//!   read what a concurrent, committed transaction wrote, while that one read what it wrote,
//!   fails at commit ("read/write dependencies among transactions").
//! - A writer takes a row lock held until its transaction ends; a second writer of the row
//!   waits. Readers never wait.
//!
//! Whether an anomaly happened is decided without knowing the scenario: the committed
//! transactions' reads and the final rows are compared with every serial order of the same
//! programs. If no serial order gives the same results, the schedule was not serializable.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::event_log::EventLog;
use super::param_table::{self, Param, specs};
use super::registry::KindSpec;
pub use super::transactions_scenarios::{Expr, Op, SCENARIOS, Scenario, Step, VAR_NAMES};
use super::{Action, Simulation, Summary};

pub const KIND: &str = "transactions";
pub const TXNS: [&str; 2] = ["T1", "T2"];
pub const CONCURRENT_UPDATE: &str = "could not serialize access due to concurrent update";
pub const RW_DEPENDENCIES: &str =
    "could not serialize access due to read/write dependencies among transactions";
pub const DEADLOCK: &str = "deadlock detected";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isolation {
    ReadUncommitted,
    ReadCommitted,
    RepeatableRead,
    Serializable,
}

impl Isolation {
    pub const NAMES: &'static [&'static str] = &[
        "read-uncommitted",
        "read-committed",
        "repeatable-read",
        "serializable",
    ];
    pub const ALL: [Isolation; 4] = [
        Isolation::ReadUncommitted,
        Isolation::ReadCommitted,
        Isolation::RepeatableRead,
        Isolation::Serializable,
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn parse(name: &str) -> Option<Isolation> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Self::ALL[i])
    }

    /// One snapshot per transaction (true) or per statement (false).
    fn snapshot_per_transaction(self) -> bool {
        self >= Isolation::RepeatableRead
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxnState {
    /// Not started yet (no statement run).
    Idle,
    Active,
    /// Waiting for the row lock `row`, held by the other transaction.
    Waiting {
        row: &'static str,
    },
    Committed,
    /// Ended by its own ROLLBACK.
    RolledBack,
    /// Stopped by the database, with PostgreSQL's message.
    Aborted {
        reason: &'static str,
    },
}

impl TxnState {
    pub fn finished(&self) -> bool {
        matches!(
            self,
            TxnState::Committed | TxnState::RolledBack | TxnState::Aborted { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Txn {
    pub state: TxnState,
    /// The commit sequence number its snapshot sees (per statement under read committed).
    pub snapshot: u64,
    pub locals: [Option<i64>; 2],
    /// Every value its SELECTs returned, in order.
    pub reads: Vec<i64>,
    /// Uncommitted writes, visible only to itself.
    pub writes: BTreeMap<&'static str, i64>,
    read_rows: BTreeSet<&'static str>,
    read_predicate: bool,
    commit_seq: Option<u64>,
}

impl Txn {
    fn new() -> Txn {
        Txn {
            state: TxnState::Idle,
            snapshot: 0,
            locals: [None; 2],
            reads: Vec::new(),
            writes: BTreeMap::new(),
            read_rows: BTreeSet::new(),
            read_predicate: false,
            commit_seq: None,
        }
    }

    fn open(&self) -> bool {
        matches!(self.state, TxnState::Active | TxnState::Waiting { .. })
    }
}

/// What happened to one step of the schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepMark {
    Pending,
    Done {
        tick: u64,
        note: String,
    },
    /// Tried and blocked on a lock; it runs again once the lock is free.
    Blocked {
        row: &'static str,
    },
    /// Its transaction had already ended (aborted) when its turn came.
    Skipped,
}

/// The result of running a whole schedule: what each transaction read, and the rows.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    reads: Vec<Vec<i64>>,
    rows: BTreeMap<&'static str, i64>,
}

pub struct TransactionsSim {
    seed: u64,
    now: u64,
    isolation: Isolation,
    scenario: &'static Scenario,
    schedule: Vec<Step>,
    marks: Vec<StepMark>,
    /// The step the reorder keys act on.
    selected: usize,
    /// Committed versions of each row: (commit sequence number, value), oldest first.
    versions: BTreeMap<&'static str, Vec<(u64, i64)>>,
    commits: u64,
    txns: [Txn; 2],
    log: EventLog,
    waits: u64,
}

const ACTIONS: &[Action] = &[
    Action {
        key: 'i',
        label: "next isolation level",
    },
    Action {
        key: 'o',
        label: "next scenario",
    },
    Action {
        key: '[',
        label: "select earlier step",
    },
    Action {
        key: ']',
        label: "select later step",
    },
    Action {
        key: 'm',
        label: "move the selected step earlier",
    },
];

const TABLE: [Param<TransactionsSim>; 2] = [
    Param::choice("isolation", Isolation::NAMES, "read-committed")
        .help("the isolation level of both transactions (PostgreSQL's rules)")
        .field(
            |s| s.isolation.name(),
            |s, name| {
                s.isolation = Isolation::parse(name).unwrap_or(Isolation::ReadCommitted);
                s.replay();
            },
        ),
    Param::choice(
        "scenario",
        &[
            "dirty-read",
            "non-repeatable-read",
            "phantom",
            "lost-update",
            "write-skew",
        ],
        "lost-update",
    )
    .help("the two transactions and the interleaving that shows the anomaly")
    .field(
        |s| s.scenario.name,
        |s, name| {
            if let Some(scenario) = super::transactions_scenarios::find(name) {
                s.load_scenario(scenario);
            }
        },
    ),
];

pub const SPEC: KindSpec = KindSpec {
    name: KIND,
    title: "Transaction isolation: two transactions, step by step",
    description: "Two transactions run interleaved under an isolation level, with PostgreSQL's \
        rules: snapshots, row locks, and serialization failures. Step through a dirty read, \
        non-repeatable read, phantom, lost update or write skew, reorder the steps, and see \
        whether the anomaly happens or which error stops it.",
    params: &specs(&TABLE),
    build: TransactionsSim::boxed,
};

impl TransactionsSim {
    pub fn new(seed: u64) -> Self {
        let scenario = &SCENARIOS[3];
        let mut sim = TransactionsSim {
            seed,
            now: 0,
            isolation: Isolation::ReadCommitted,
            scenario,
            schedule: scenario.schedule.to_vec(),
            marks: Vec::new(),
            selected: 0,
            versions: BTreeMap::new(),
            commits: 0,
            txns: [Txn::new(), Txn::new()],
            log: EventLog::new(),
            waits: 0,
        };
        sim.restart();
        sim
    }

    pub fn boxed(seed: u64) -> Box<dyn Simulation> {
        Box::new(Self::new(seed))
    }

    pub fn isolation(&self) -> Isolation {
        self.isolation
    }

    pub fn scenario(&self) -> &'static Scenario {
        self.scenario
    }

    pub fn schedule(&self) -> &[Step] {
        &self.schedule
    }

    pub fn marks(&self) -> &[StepMark] {
        &self.marks
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn txns(&self) -> &[Txn; 2] {
        &self.txns
    }

    pub fn log(&self) -> &EventLog {
        &self.log
    }

    /// True when every step has run (or was skipped).
    pub fn finished(&self) -> bool {
        self.txns.iter().all(|t| t.state.finished())
            || self
                .marks
                .iter()
                .all(|m| matches!(m, StepMark::Done { .. } | StepMark::Skipped))
    }

    /// The committed rows, as of now.
    pub fn committed(&self) -> BTreeMap<&'static str, i64> {
        self.versions
            .iter()
            .filter_map(|(row, v)| v.last().map(|(_, value)| (*row, *value)))
            .collect()
    }

    /// The rows as transaction `t` sees them now: its snapshot plus its own writes.
    pub fn view(&self, t: usize) -> BTreeMap<&'static str, i64> {
        let txn = &self.txns[t];
        let snapshot = if txn.open() && self.isolation.snapshot_per_transaction() {
            txn.snapshot
        } else {
            self.commits
        };
        let mut rows = self.visible(snapshot);
        if txn.open() {
            rows.extend(txn.writes.iter().map(|(r, v)| (*r, *v)));
        }
        rows
    }

    /// Some(true) when the finished schedule matches no serial order; None while running.
    pub fn anomaly(&self) -> Option<bool> {
        if !self.finished() {
            return None;
        }
        let included: Vec<usize> = (0..2)
            .filter(|&t| !matches!(self.txns[t].state, TxnState::Aborted { .. }))
            .collect();
        let observed = Outcome {
            reads: included
                .iter()
                .map(|&t| self.txns[t].reads.clone())
                .collect(),
            rows: self.committed(),
        };
        let orders: Vec<Vec<usize>> = match included.as_slice() {
            [a, b] => vec![vec![*a, *b], vec![*b, *a]],
            other => vec![other.to_vec()],
        };
        let serializable = orders.iter().any(|order| {
            let serial = self.serial_outcome(order);
            serial.reads
                == order
                    .iter()
                    .map(|t| {
                        observed.reads[included.iter().position(|i| i == t).unwrap_or(0)].clone()
                    })
                    .collect::<Vec<_>>()
                && serial.rows == observed.rows
        });
        Some(!serializable)
    }

    /// The first abort, as (transaction, PostgreSQL's message).
    pub fn abort_reason(&self) -> Option<(&'static str, &'static str)> {
        self.txns
            .iter()
            .enumerate()
            .find_map(|(t, txn)| match txn.state {
                TxnState::Aborted { reason } => Some((TXNS[t], reason)),
                _ => None,
            })
    }

    /// The same programs run one after the other, in `order`, with nothing concurrent.
    fn serial_outcome(&self, order: &[usize]) -> Outcome {
        let mut sim = TransactionsSim {
            seed: self.seed,
            now: 0,
            isolation: Isolation::Serializable,
            scenario: self.scenario,
            schedule: order
                .iter()
                .flat_map(|&t| self.schedule.iter().filter(move |s| s.txn == t).copied())
                .collect(),
            marks: Vec::new(),
            selected: 0,
            versions: BTreeMap::new(),
            commits: 0,
            txns: [Txn::new(), Txn::new()],
            log: EventLog::new(),
            waits: 0,
        };
        sim.restart();
        while !sim.finished() {
            sim.step();
        }
        Outcome {
            reads: order.iter().map(|&t| sim.txns[t].reads.clone()).collect(),
            rows: sim.committed(),
        }
    }

    fn restart(&mut self) {
        self.now = 0;
        self.commits = 0;
        self.versions = self
            .scenario
            .rows
            .iter()
            .map(|(row, value)| (*row, vec![(0, *value)]))
            .collect();
        self.txns = [Txn::new(), Txn::new()];
        self.marks = vec![StepMark::Pending; self.schedule.len()];
        self.log = EventLog::new();
        self.waits = 0;
        self.selected = self.selected.min(self.schedule.len().saturating_sub(1));
    }

    /// Starts over with the scenario's own schedule.
    fn load_scenario(&mut self, scenario: &'static Scenario) {
        self.scenario = scenario;
        self.schedule = scenario.schedule.to_vec();
        self.selected = 0;
        self.restart();
    }

    /// Re-runs the current schedule from the start to the same logical time (after a change
    /// of level or order).
    fn replay(&mut self) {
        let ticks = self.now;
        self.restart();
        for _ in 0..ticks {
            self.step();
        }
    }

    /// Moves the selected step one place earlier, past a step of the other transaction (a
    /// transaction's own statements keep their order). Returns false when it cannot move.
    fn move_selected_earlier(&mut self) -> bool {
        let i = self.selected;
        if i == 0 || i >= self.schedule.len() || self.schedule[i - 1].txn == self.schedule[i].txn {
            return false;
        }
        self.schedule.swap(i - 1, i);
        self.selected = i - 1;
        true
    }

    fn visible(&self, snapshot: u64) -> BTreeMap<&'static str, i64> {
        self.versions
            .iter()
            .filter_map(|(row, versions)| {
                versions
                    .iter()
                    .rev()
                    .find(|(seq, _)| *seq <= snapshot)
                    .map(|(_, v)| (*row, *v))
            })
            .collect()
    }

    /// The snapshot statement of transaction `t` runs against, taken as it starts.
    fn statement_snapshot(&mut self, t: usize) -> u64 {
        let commits = self.commits;
        let per_txn = self.isolation.snapshot_per_transaction();
        let txn = &mut self.txns[t];
        if txn.state == TxnState::Idle {
            txn.state = TxnState::Active;
            txn.snapshot = commits;
        } else if !per_txn {
            txn.snapshot = commits;
        }
        txn.snapshot
    }

    /// The next step to run: the first pending step whose transaction is not waiting for a
    /// lock that is still held.
    fn next_step(&self) -> Option<usize> {
        (0..self.schedule.len()).find(|&i| {
            matches!(self.marks[i], StepMark::Pending | StepMark::Blocked { .. })
                && !self.lock_held_against(self.schedule[i].txn)
                && self.schedule[..i]
                    .iter()
                    .zip(&self.marks[..i])
                    .all(|(s, m)| {
                        s.txn != self.schedule[i].txn
                            || matches!(m, StepMark::Done { .. } | StepMark::Skipped)
                    })
        })
    }

    fn lock_held_against(&self, t: usize) -> bool {
        match self.txns[t].state {
            TxnState::Waiting { row } => self.lock_holder(row, t).is_some(),
            _ => false,
        }
    }

    fn lock_holder(&self, row: &str, except: usize) -> Option<usize> {
        (0..2)
            .find(|&o| o != except && self.txns[o].open() && self.txns[o].writes.contains_key(row))
    }

    fn abort(&mut self, t: usize, reason: &'static str) {
        let txn = &mut self.txns[t];
        txn.state = TxnState::Aborted { reason };
        txn.writes.clear();
        self.log
            .push(self.now, format!("{} aborted: ERROR: {reason}", TXNS[t]));
    }

    /// Runs step `i`; returns what to show beside it.
    fn execute(&mut self, i: usize) {
        let Step { txn: t, op } = self.schedule[i];
        if self.txns[t].state.finished() {
            self.marks[i] = StepMark::Skipped;
            return;
        }
        let snapshot = self.statement_snapshot(t);
        let note = match op {
            Op::Read { row, into } => {
                let value = self.view_at(t, snapshot).get(row).copied();
                let txn = &mut self.txns[t];
                txn.read_rows.insert(row);
                txn.locals[into] = value;
                if let Some(v) = value {
                    txn.reads.push(v);
                }
                format!(
                    "{} = {}",
                    VAR_NAMES[into],
                    value.map_or("no row".to_string(), |v| v.to_string())
                )
            }
            Op::Count { into } => {
                let count = self
                    .view_at(t, snapshot)
                    .values()
                    .filter(|v| **v == 1)
                    .count() as i64;
                let txn = &mut self.txns[t];
                txn.read_predicate = true;
                txn.locals[into] = Some(count);
                txn.reads.push(count);
                format!("{} = {count}", VAR_NAMES[into])
            }
            Op::WriteIf {
                var,
                at_least,
                row,
                value,
            } if self.txns[t].locals[var].unwrap_or(0) < at_least => {
                let _ = (row, value);
                format!("skipped: {} < {at_least}", VAR_NAMES[var])
            }
            Op::Write { row, .. } | Op::WriteIf { row, .. } | Op::Insert { row, .. } => {
                if let Some(holder) = self.lock_holder(row, t) {
                    self.txns[t].state = TxnState::Waiting { row };
                    self.marks[i] = StepMark::Blocked { row };
                    self.waits += 1;
                    self.log.push(
                        self.now,
                        format!(
                            "{} waits: {} holds the lock on {row}",
                            TXNS[t], TXNS[holder]
                        ),
                    );
                    if self.lock_held_against(holder) {
                        self.abort(t, DEADLOCK);
                        self.marks[i] = StepMark::Skipped;
                    }
                    return;
                }
                self.txns[t].state = TxnState::Active;
                let latest = self
                    .versions
                    .get(row)
                    .and_then(|v| v.last())
                    .map(|(s, _)| *s);
                if self.isolation.snapshot_per_transaction()
                    && latest.is_some_and(|seq| seq > self.txns[t].snapshot)
                {
                    self.abort(t, CONCURRENT_UPDATE);
                    self.marks[i] = StepMark::Done {
                        tick: self.now,
                        note: format!("ERROR: {CONCURRENT_UPDATE}"),
                    };
                    return;
                }
                let value = match op {
                    Op::Write {
                        value: Expr::Const(v),
                        ..
                    } => v,
                    Op::Write {
                        value: Expr::VarPlus(var, d),
                        ..
                    } => self.txns[t].locals[var].unwrap_or(0) + d,
                    Op::WriteIf { value, .. } | Op::Insert { value, .. } => value,
                    _ => 0,
                };
                self.txns[t].writes.insert(row, value);
                format!("{row} = {value} (uncommitted)")
            }
            Op::Commit => self.commit(t),
            Op::Rollback => {
                let txn = &mut self.txns[t];
                txn.writes.clear();
                txn.state = TxnState::RolledBack;
                "rolled back".to_string()
            }
        };
        self.log.push(
            self.now,
            format!("{}: {} -> {note}", TXNS[t], self.scenario.sql(&op)),
        );
        self.marks[i] = StepMark::Done {
            tick: self.now,
            note,
        };
    }

    fn view_at(&self, t: usize, snapshot: u64) -> BTreeMap<&'static str, i64> {
        let mut rows = self.visible(snapshot);
        rows.extend(self.txns[t].writes.iter().map(|(r, v)| (*r, *v)));
        rows
    }

    fn commit(&mut self, t: usize) -> String {
        if self.isolation == Isolation::Serializable {
            let (me, other) = (&self.txns[t], &self.txns[1 - t]);
            let concurrent = other.commit_seq.is_some_and(|seq| seq > me.snapshot);
            // A read of a row, or a predicate read of the table, depends on what the other
            // transaction wrote there.
            let reads_what_wrote = |reader: &Txn, writer: &Txn| {
                writer
                    .writes
                    .keys()
                    .any(|row| reader.read_predicate || reader.read_rows.contains(row))
            };
            if concurrent
                && other.state == TxnState::Committed
                && reads_what_wrote(me, other)
                && reads_what_wrote(other, me)
            {
                self.abort(t, RW_DEPENDENCIES);
                return format!("ERROR: {RW_DEPENDENCIES}");
            }
        }
        self.commits += 1;
        let seq = self.commits;
        // The write set stays on the transaction: the serializable check of the other one
        // needs it.
        for (row, value) in &self.txns[t].writes {
            self.versions.entry(row).or_default().push((seq, *value));
        }
        let txn = &mut self.txns[t];
        txn.commit_seq = Some(seq);
        txn.state = TxnState::Committed;
        "committed".to_string()
    }
}

impl Simulation for TransactionsSim {
    param_table::common_methods!(kind: KIND, table: TABLE, actions: ACTIONS);

    /// Runs the next step of the schedule; once every step has run, time stops.
    fn step(&mut self) {
        if self.finished() {
            return;
        }
        self.now += 1;
        match self.next_step() {
            Some(i) => self.execute(i),
            None => {
                // Both wait: PostgreSQL's deadlock detector aborts one of them.
                if let Some(t) =
                    (0..2).find(|&t| matches!(self.txns[t].state, TxnState::Waiting { .. }))
                {
                    self.abort(t, DEADLOCK);
                }
            }
        }
    }

    fn act(&mut self, key: char) -> bool {
        match key {
            'i' => {
                let next = (self.isolation as usize + 1) % Isolation::ALL.len();
                self.isolation = Isolation::ALL[next];
                self.replay();
                self.log.push(
                    self.now,
                    format!("isolation level: {}", self.isolation.name()),
                );
            }
            'o' => {
                let i = SCENARIOS
                    .iter()
                    .position(|s| s.name == self.scenario.name)
                    .unwrap_or(0);
                self.load_scenario(&SCENARIOS[(i + 1) % SCENARIOS.len()]);
            }
            '[' => self.selected = self.selected.saturating_sub(1),
            ']' => {
                self.selected = (self.selected + 1).min(self.schedule.len().saturating_sub(1));
            }
            'm' => {
                if self.move_selected_earlier() {
                    self.replay();
                } else {
                    self.log.push_unless_repeated(
                        self.now,
                        "that step cannot move earlier: a transaction's own statements keep their order",
                    );
                }
            }
            _ => return false,
        }
        true
    }

    fn summary(&self) -> Summary {
        let mut metrics = BTreeMap::new();
        if let Some(anomaly) = self.anomaly() {
            metrics.insert("anomaly", if anomaly { 1.0 } else { 0.0 });
        }
        let count =
            |f: fn(&TxnState) -> bool| self.txns.iter().filter(|t| f(&t.state)).count() as f64;
        metrics.insert("committed", count(|s| *s == TxnState::Committed));
        metrics.insert("aborted", count(|s| matches!(s, TxnState::Aborted { .. })));
        metrics.insert("lock_waits", self.waits as f64);
        metrics.insert(
            "steps_run",
            self.marks
                .iter()
                .filter(|m| matches!(m, StepMark::Done { .. }))
                .count() as f64,
        );
        let transactions = self
            .txns
            .iter()
            .enumerate()
            .map(|(t, txn)| {
                let (state, reason) = match &txn.state {
                    TxnState::Idle => ("idle", None),
                    TxnState::Active => ("active", None),
                    TxnState::Waiting { .. } => ("waiting", None),
                    TxnState::Committed => ("committed", None),
                    TxnState::RolledBack => ("rolled back", None),
                    TxnState::Aborted { reason } => ("aborted", Some(*reason)),
                };
                BTreeMap::from([
                    ("name", json!(TXNS[t])),
                    ("state", json!(state)),
                    ("abort_reason", json!(reason)),
                    ("reads", json!(txn.reads)),
                ])
            })
            .collect();
        let rows = self
            .committed()
            .into_iter()
            .map(|(row, value)| {
                BTreeMap::from([("name", json!(row)), (self.scenario.column, json!(value))])
            })
            .collect();
        Summary::of(
            self,
            self.seed,
            metrics,
            [("transactions", transactions), ("rows", rows)],
            self.log.iter().cloned().collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ParamValue;

    fn run(scenario: &str, isolation: Isolation) -> TransactionsSim {
        let mut sim = TransactionsSim::new(1);
        sim.set("scenario", &ParamValue::Choice(scenario.to_string()))
            .expect("scenario");
        sim.set(
            "isolation",
            &ParamValue::Choice(isolation.name().to_string()),
        )
        .expect("isolation");
        for _ in 0..50 {
            sim.step();
        }
        assert!(
            sim.finished(),
            "{scenario} under {isolation:?} did not finish"
        );
        sim
    }

    #[test]
    fn a_lost_update_under_read_committed_waits_then_overwrites() {
        let sim = run("lost-update", Isolation::ReadCommitted);
        assert_eq!(sim.committed()["widget"], 9);
        assert_eq!(sim.waits, 1);
        assert_eq!(sim.anomaly(), Some(true));
    }

    #[test]
    fn moving_a_commit_earlier_makes_the_lost_update_serial() {
        let mut sim = run("lost-update", Isolation::ReadCommitted);
        // Schedule: T1 read, T2 read, T1 write, T2 write, T1 commit, T2 commit. Move T1's
        // write and commit before T2's read.
        sim.selected = 2;
        assert!(sim.act('m'));
        sim.selected = 4;
        assert!(sim.act('m'));
        assert!(sim.act('m'));
        assert!(
            !sim.move_selected_earlier(),
            "T1's commit cannot pass T1's write"
        );
        for _ in 0..50 {
            sim.step();
        }
        assert_eq!(sim.committed()["widget"], 8);
        assert_eq!(sim.anomaly(), Some(false));
    }
}
