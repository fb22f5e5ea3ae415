//! The five classic concurrency scenarios of chapter 3, as two small transaction programs
//! each, interleaved in the order that shows the anomaly.

/// A transaction's local variable (`a` or `b`), holding what a SELECT returned.
pub type Var = usize;
pub const VAR_NAMES: [&str; 2] = ["a", "b"];

/// The value an UPDATE writes: a constant, or computed by the application from a value it
/// read earlier (the read-modify-write that loses updates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expr {
    Const(i64),
    VarPlus(Var, i64),
}

/// One statement of a transaction program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `SELECT value FROM t WHERE name = row`, into a variable.
    Read {
        row: &'static str,
        into: Var,
    },
    /// `SELECT count(*) FROM t WHERE value = 1`: a predicate read, into a variable.
    Count {
        into: Var,
    },
    /// `UPDATE t SET value = expr WHERE name = row`.
    Write {
        row: &'static str,
        value: Expr,
    },
    /// Application logic: the UPDATE runs only when `var >= at_least`.
    WriteIf {
        row: &'static str,
        value: i64,
        var: Var,
        at_least: i64,
    },
    /// `INSERT INTO t (name, value) VALUES (row, value)`.
    Insert {
        row: &'static str,
        value: i64,
    },
    Commit,
    Rollback,
}

/// One step of the schedule: which transaction (0 for T1, 1 for T2) runs which statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub txn: usize,
    pub op: Op,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    pub name: &'static str,
    /// The table, its value column, and what the rows are.
    pub table: &'static str,
    pub column: &'static str,
    pub rows: &'static [(&'static str, i64)],
    /// The interleaving that shows the anomaly (each transaction's own order is fixed).
    pub schedule: &'static [Step],
    /// What goes wrong when the anomaly happens, for the widget.
    pub story: &'static str,
}

const fn t1(op: Op) -> Step {
    Step { txn: 0, op }
}

const fn t2(op: Op) -> Step {
    Step { txn: 1, op }
}

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "dirty-read",
        table: "accounts",
        column: "balance",
        rows: &[("alice", 100)],
        schedule: &[
            t1(Op::Write {
                row: "alice",
                value: Expr::Const(200),
            }),
            t2(Op::Read {
                row: "alice",
                into: 0,
            }),
            t1(Op::Rollback),
            t2(Op::Commit),
        ],
        story: "T2 would read 200, a balance T1 then rolls back: a value that never existed",
    },
    Scenario {
        name: "non-repeatable-read",
        table: "accounts",
        column: "balance",
        rows: &[("alice", 100)],
        schedule: &[
            t1(Op::Read {
                row: "alice",
                into: 0,
            }),
            t2(Op::Write {
                row: "alice",
                value: Expr::Const(50),
            }),
            t2(Op::Commit),
            t1(Op::Read {
                row: "alice",
                into: 1,
            }),
            t1(Op::Commit),
        ],
        story: "T1 reads alice's balance twice and gets two different answers",
    },
    Scenario {
        name: "phantom",
        table: "doctors",
        column: "on_call",
        rows: &[("alice", 1), ("bob", 1)],
        schedule: &[
            t1(Op::Count { into: 0 }),
            t2(Op::Insert {
                row: "carol",
                value: 1,
            }),
            t2(Op::Commit),
            t1(Op::Count { into: 1 }),
            t1(Op::Commit),
        ],
        story: "T1 counts the doctors on call twice, and a new row appears in between",
    },
    Scenario {
        name: "lost-update",
        table: "products",
        column: "stock",
        rows: &[("widget", 10)],
        schedule: &[
            t1(Op::Read {
                row: "widget",
                into: 0,
            }),
            t2(Op::Read {
                row: "widget",
                into: 0,
            }),
            t1(Op::Write {
                row: "widget",
                value: Expr::VarPlus(0, -1),
            }),
            t2(Op::Write {
                row: "widget",
                value: Expr::VarPlus(0, -1),
            }),
            t1(Op::Commit),
            t2(Op::Commit),
        ],
        story: "both sell one widget from a stock of 10 and both write 9: one sale is lost",
    },
    Scenario {
        name: "write-skew",
        table: "doctors",
        column: "on_call",
        rows: &[("alice", 1), ("bob", 1)],
        schedule: &[
            t1(Op::Count { into: 0 }),
            t2(Op::Count { into: 0 }),
            t1(Op::WriteIf {
                row: "alice",
                value: 0,
                var: 0,
                at_least: 2,
            }),
            t2(Op::WriteIf {
                row: "bob",
                value: 0,
                var: 0,
                at_least: 2,
            }),
            t1(Op::Commit),
            t2(Op::Commit),
        ],
        story: "each sees two doctors on call and goes off call: none is left, though each \
                checked the rule",
    },
];

pub fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

impl Scenario {
    /// The statement as SQL, for the widget and the log.
    pub fn sql(&self, op: &Op) -> String {
        let (t, c) = (self.table, self.column);
        let expr = |e: &Expr| match e {
            Expr::Const(v) => v.to_string(),
            Expr::VarPlus(var, d) if *d < 0 => format!("{} - {}", VAR_NAMES[*var], -d),
            Expr::VarPlus(var, d) => format!("{} + {d}", VAR_NAMES[*var]),
        };
        match op {
            Op::Read { row, into } => format!(
                "{} := SELECT {c} FROM {t} WHERE name = '{row}'",
                VAR_NAMES[*into]
            ),
            Op::Count { into } => format!(
                "{} := SELECT count(*) FROM {t} WHERE {c} = 1",
                VAR_NAMES[*into]
            ),
            Op::Write { row, value } => {
                format!("UPDATE {t} SET {c} = {} WHERE name = '{row}'", expr(value))
            }
            Op::WriteIf {
                row,
                value,
                var,
                at_least,
            } => format!(
                "IF {} >= {at_least}: UPDATE {t} SET {c} = {value} WHERE name = '{row}'",
                VAR_NAMES[*var]
            ),
            Op::Insert { row, value } => {
                format!("INSERT INTO {t} (name, {c}) VALUES ('{row}', {value})")
            }
            Op::Commit => "COMMIT".to_string(),
            Op::Rollback => "ROLLBACK".to_string(),
        }
    }
}
