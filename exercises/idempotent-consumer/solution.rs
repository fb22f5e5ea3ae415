//! An idempotent consumer: the reference solution.

use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Deposit(u64),
    Withdraw(u64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub account: String,
    pub seq: u64,
    pub op: Op,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Applied(Vec<u64>),
    Buffered,
    Duplicate,
}

struct Account {
    /// The next sequence number to apply; everything below it was applied.
    next: u64,
    balance: u64,
    declined: Vec<u64>,
    /// Early arrivals, by sequence number.
    waiting: BTreeMap<u64, Op>,
}

impl Default for Account {
    fn default() -> Self {
        Account {
            next: 1,
            balance: 0,
            declined: Vec::new(),
            waiting: BTreeMap::new(),
        }
    }
}

impl Account {
    fn apply(&mut self, seq: u64, op: Op) {
        match op {
            Op::Deposit(amount) => self.balance = self.balance.saturating_add(amount),
            Op::Withdraw(amount) if amount <= self.balance => self.balance -= amount,
            Op::Withdraw(_) => self.declined.push(seq),
        }
        self.next = seq + 1;
    }
}

#[derive(Default)]
pub struct Consumer {
    accounts: HashMap<String, Account>,
}

impl Consumer {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn handle(&mut self, message: Message) -> Outcome {
        let account = self.accounts.entry(message.account).or_default();
        let seq = message.seq;
        if seq < account.next || account.waiting.contains_key(&seq) {
            return Outcome::Duplicate;
        }
        if seq > account.next {
            account.waiting.insert(seq, message.op);
            return Outcome::Buffered;
        }
        account.apply(seq, message.op);
        let mut applied = vec![seq];
        while let Some(op) = account.waiting.remove(&account.next) {
            let next = account.next;
            account.apply(next, op);
            applied.push(next);
        }
        Outcome::Applied(applied)
    }

    pub fn balance(&self, account: &str) -> u64 {
        self.accounts.get(account).map_or(0, |a| a.balance)
    }

    pub fn declined(&self, account: &str) -> Vec<u64> {
        self.accounts
            .get(account)
            .map_or_else(Vec::new, |a| a.declined.clone())
    }
}
