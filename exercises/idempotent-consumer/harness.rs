//! Checks for the idempotent-consumer exercise.

use std::collections::BTreeMap;

use sysdesign_checks::{Check, Ctx, expect, expect_eq};

use crate::{Consumer, Message, Op, Outcome};

pub fn checks() -> Vec<Check> {
    vec![
        Check::new("applies messages that arrive in order", in_order),
        Check::new("ignores a redelivered message", redelivery),
        Check::new(
            "buffers an early message until the gap is filled",
            buffers_early,
        ),
        Check::new(
            "a redelivered buffered message is a duplicate",
            buffered_duplicate,
        ),
        Check::new(
            "a withdrawal that overtook its deposit still succeeds",
            overtaking_withdrawal,
        ),
        Check::new("declines an overdraft and moves on", declines_overdraft),
        Check::new(
            "keeps each account's sequence separate",
            accounts_independent,
        ),
        Check::new("sequence number 0 is a duplicate", seq_zero),
        Check::seeded(
            "any delivery order with duplicates gives the in-order result",
            shuffled_streams,
        ),
    ]
}

fn msg(account: &str, seq: u64, op: Op) -> Message {
    Message {
        account: account.to_string(),
        seq,
        op,
    }
}

fn show(m: &Message) -> String {
    let op = match m.op {
        Op::Deposit(a) => format!("+{a}"),
        Op::Withdraw(a) => format!("-{a}"),
    };
    format!("{}#{} {op}", m.account, m.seq)
}

/// Delivers `script` in order; each message with the outcome it must get.
fn deliver(consumer: &mut Consumer, script: &[(Message, Outcome)]) -> Result<(), String> {
    let mut done: Vec<String> = Vec::new();
    for (message, expected) in script {
        let shown = show(message);
        let got = consumer.handle(message.clone());
        expect(&got == expected, || {
            let before = if done.is_empty() {
                "as the first delivery".to_string()
            } else {
                format!("after {}", done.join(", "))
            };
            format!("{before}: delivering {shown} expected {expected:?}; got {got:?}")
        })?;
        done.push(shown);
    }
    Ok(())
}

use Op::{Deposit, Withdraw};
use Outcome::{Applied, Buffered, Duplicate};

fn in_order(_: &mut Ctx) -> Result<(), String> {
    let mut c = Consumer::new();
    deliver(
        &mut c,
        &[
            (msg("acct", 1, Deposit(100)), Applied(vec![1])),
            (msg("acct", 2, Withdraw(30)), Applied(vec![2])),
            (msg("acct", 3, Deposit(5)), Applied(vec![3])),
        ],
    )?;
    expect_eq("balance of acct after +100, -30, +5", 75, c.balance("acct"))
}

fn redelivery(_: &mut Ctx) -> Result<(), String> {
    let mut c = Consumer::new();
    deliver(
        &mut c,
        &[
            (msg("acct", 1, Deposit(100)), Applied(vec![1])),
            (msg("acct", 1, Deposit(100)), Duplicate),
            (msg("acct", 2, Deposit(1)), Applied(vec![2])),
            (msg("acct", 1, Deposit(100)), Duplicate),
        ],
    )?;
    expect_eq(
        "balance of acct after +100 delivered three times and +1",
        101,
        c.balance("acct"),
    )
}

fn buffers_early(_: &mut Ctx) -> Result<(), String> {
    let mut c = Consumer::new();
    deliver(
        &mut c,
        &[
            (msg("acct", 3, Deposit(3)), Buffered),
            (msg("acct", 2, Deposit(2)), Buffered),
            (msg("acct", 1, Deposit(1)), Applied(vec![1, 2, 3])),
            (msg("acct", 5, Deposit(5)), Buffered),
        ],
    )?;
    expect_eq(
        "balance of acct with #5 still waiting for #4",
        6,
        c.balance("acct"),
    )
}

fn buffered_duplicate(_: &mut Ctx) -> Result<(), String> {
    let mut c = Consumer::new();
    deliver(
        &mut c,
        &[
            (msg("acct", 3, Deposit(3)), Buffered),
            (msg("acct", 3, Deposit(3)), Duplicate),
            (msg("acct", 1, Deposit(1)), Applied(vec![1])),
            (msg("acct", 2, Deposit(2)), Applied(vec![2, 3])),
            (msg("acct", 3, Deposit(3)), Duplicate),
        ],
    )?;
    expect_eq("balance of acct", 6, c.balance("acct"))
}

fn overtaking_withdrawal(_: &mut Ctx) -> Result<(), String> {
    let mut c = Consumer::new();
    deliver(
        &mut c,
        &[
            (msg("acct", 2, Withdraw(50)), Buffered),
            (msg("acct", 1, Deposit(100)), Applied(vec![1, 2])),
        ],
    )?;
    expect_eq(
        "balance of acct when -50 (#2) arrived before +100 (#1)",
        50,
        c.balance("acct"),
    )?;
    expect_eq(
        "declined withdrawals of acct",
        Vec::<u64>::new(),
        c.declined("acct"),
    )
}

fn declines_overdraft(_: &mut Ctx) -> Result<(), String> {
    let mut c = Consumer::new();
    deliver(
        &mut c,
        &[
            (msg("acct", 1, Deposit(10)), Applied(vec![1])),
            (msg("acct", 2, Withdraw(50)), Applied(vec![2])),
            (msg("acct", 3, Deposit(5)), Applied(vec![3])),
            (msg("acct", 4, Withdraw(16)), Applied(vec![4])),
            (msg("acct", 5, Withdraw(15)), Applied(vec![5])),
        ],
    )?;
    expect_eq(
        "balance of acct after +10, -50 (declined), +5, -16 (declined), -15 (all of it)",
        0,
        c.balance("acct"),
    )?;
    expect_eq(
        "declined withdrawals of acct",
        vec![2, 4],
        c.declined("acct"),
    )
}

fn accounts_independent(_: &mut Ctx) -> Result<(), String> {
    let mut c = Consumer::new();
    deliver(
        &mut c,
        &[
            (msg("alice", 1, Deposit(10)), Applied(vec![1])),
            (msg("bob", 2, Deposit(20)), Buffered),
            (msg("bob", 1, Deposit(1)), Applied(vec![1, 2])),
            (msg("alice", 2, Deposit(2)), Applied(vec![2])),
        ],
    )?;
    expect_eq("balance of alice", 12, c.balance("alice"))?;
    expect_eq("balance of bob", 21, c.balance("bob"))?;
    expect_eq("balance of an unknown account", 0, c.balance("carol"))?;
    expect_eq(
        "declined withdrawals of an unknown account",
        Vec::<u64>::new(),
        c.declined("carol"),
    )
}

fn seq_zero(_: &mut Ctx) -> Result<(), String> {
    let mut c = Consumer::new();
    deliver(&mut c, &[(msg("acct", 0, Deposit(7)), Duplicate)])?;
    expect_eq("balance of acct", 0, c.balance("acct"))
}

fn shuffled_streams(ctx: &mut Ctx) -> Result<(), String> {
    for round in 0..30 {
        let accounts = ["alice", "bob", "carol"];
        let mut stream: Vec<Message> = Vec::new();
        let mut expected_balance: BTreeMap<&str, u64> = BTreeMap::new();
        let mut expected_declined: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
        for account in accounts {
            let mut balance = 0u64;
            let mut declined = Vec::new();
            for seq in 1..=(3 + ctx.rng().below(8)) {
                let amount = 1 + ctx.rng().below(50);
                let op = if ctx.rng().chance(0.5) {
                    Deposit(amount)
                } else {
                    Withdraw(amount)
                };
                match op {
                    Deposit(a) => balance += a,
                    Withdraw(a) if a <= balance => balance -= a,
                    Withdraw(_) => declined.push(seq),
                }
                stream.push(msg(account, seq, op));
            }
            expected_balance.insert(account, balance);
            expected_declined.insert(account, declined);
        }
        let mut deliveries = stream.clone();
        for m in &stream {
            if ctx.rng().chance(0.4) {
                deliveries.push(m.clone());
            }
        }
        ctx.rng().shuffle(&mut deliveries);
        let mut c = Consumer::new();
        let mut applied: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for m in &deliveries {
            if let Applied(seqs) = c.handle(m.clone()) {
                applied.entry(m.account.clone()).or_default().extend(seqs);
            }
        }
        let order: Vec<String> = deliveries.iter().map(show).collect();
        for account in accounts {
            let seqs = applied.get(account).cloned().unwrap_or_default();
            let count = stream.iter().filter(|m| m.account == account).count() as u64;
            let context = || {
                format!(
                    "round {round} (seed {}), deliveries {}",
                    ctx.seed(),
                    order.join(", ")
                )
            };
            expect(seqs == (1..=count).collect::<Vec<_>>(), || {
                format!(
                    "{}: {account}'s messages expected to be applied as 1..={count} in order; got \
                     {seqs:?}",
                    context()
                )
            })?;
            expect(c.balance(account) == expected_balance[account], || {
                format!(
                    "{}: balance of {account} expected {}; got {}",
                    context(),
                    expected_balance[account],
                    c.balance(account)
                )
            })?;
            expect(c.declined(account) == expected_declined[account], || {
                format!(
                    "{}: declined withdrawals of {account} expected {:?}; got {:?}",
                    context(),
                    expected_declined[account],
                    c.declined(account)
                )
            })?;
        }
    }
    Ok(())
}
