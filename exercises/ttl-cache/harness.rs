//! Checks for the ttl-cache exercise. Every check drives the cache through a script of
//! commands at given times and compares each answer.

use std::collections::BTreeMap;

use sysdesign_checks::{Check, Ctx, Live, expect};
use sysdesign_support::contract::TtlCache;

use crate::TtlLru;

pub fn checks() -> Vec<Check> {
    vec![
        Check::new("a key without a TTL never expires", no_ttl),
        Check::new("a key expires exactly at its deadline", exact_deadline),
        Check::new(
            "ttl is -2 for a missing key and -1 without expiry",
            ttl_codes,
        ),
        Check::new(
            "overwriting with a TTL starts a fresh TTL",
            overwrite_resets,
        ),
        Check::new("a plain set drops the key's TTL", plain_set_clears),
        Check::new("a TTL of 0 deletes the key", zero_deletes),
        Check::new("del reports whether a live key was removed", del_live),
        Check::new("len counts only live keys", len_live),
        Check::new(
            "a full cache evicts the least recently used key",
            evicts_lru,
        ),
        Check::new("a get makes a key the most recently used", get_refreshes),
        Check::new(
            "overwriting a key in a full cache evicts nothing",
            overwrite_full,
        ),
        Check::new("capacity 1 keeps only the newest key", capacity_one),
        Check::new(
            "expired keys go before any live key is evicted",
            expired_first,
        ),
        Check::new("a deleted key frees its slot", del_frees_slot),
        Check::seeded("matches a model under a random workload", random_workload),
    ]
}

pub fn live() -> Live {
    Live::TtlCache(|capacity| Box::new(TtlLru::new(capacity)))
}

#[derive(Debug, Clone, PartialEq)]
enum Answer {
    Value(Option<String>),
    Flag(bool),
    Number(i64),
}

#[derive(Debug, Clone)]
enum Command {
    Get(&'static str, u64),
    Set(&'static str, &'static str, Option<u64>, u64),
    Del(&'static str, u64),
    Ttl(&'static str, u64),
    Len(u64),
}

fn some(text: &str) -> Answer {
    Answer::Value(Some(text.to_string()))
}

const NONE: Answer = Answer::Value(None);

fn show_command(command: &Command) -> String {
    match command {
        Command::Get(k, t) => format!("t={t} GET {k}"),
        Command::Set(k, v, Some(ttl), t) => format!("t={t} SET {k} {v} EX {ttl}"),
        Command::Set(k, v, None, t) => format!("t={t} SET {k} {v}"),
        Command::Del(k, t) => format!("t={t} DEL {k}"),
        Command::Ttl(k, t) => format!("t={t} TTL {k}"),
        Command::Len(t) => format!("t={t} LEN"),
    }
}

fn apply(cache: &mut dyn TtlCache, command: &Command) -> Answer {
    match *command {
        Command::Get(k, t) => Answer::Value(cache.get(k, t)),
        Command::Set(k, v, ttl, t) => Answer::Value(cache.set(k, v, ttl, t)),
        Command::Del(k, t) => Answer::Flag(cache.del(k, t)),
        Command::Ttl(k, t) => Answer::Number(cache.ttl(k, t)),
        Command::Len(t) => Answer::Number(cache.len(t) as i64),
    }
}

/// Runs `script` on a fresh cache of `capacity`; each step is a command and its answer.
fn run(capacity: usize, script: &[(Command, Answer)]) -> Result<(), String> {
    let mut cache = TtlLru::new(capacity);
    let mut done: Vec<String> = Vec::new();
    for (command, expected) in script {
        let got = apply(&mut cache, command);
        let shown = show_command(command);
        if &got != expected {
            let before = if done.is_empty() {
                "on a new cache".to_string()
            } else {
                format!("after {}", done.join(", "))
            };
            return Err(format!(
                "capacity {capacity}, {before}: {shown} expected {}; got {}",
                show_answer(expected),
                show_answer(&got)
            ));
        }
        done.push(shown);
    }
    Ok(())
}

fn show_answer(answer: &Answer) -> String {
    match answer {
        Answer::Value(Some(v)) => format!("\"{v}\""),
        Answer::Value(None) => "None".to_string(),
        Answer::Flag(b) => b.to_string(),
        Answer::Number(n) => n.to_string(),
    }
}

use Command::{Del, Get, Len, Set, Ttl};

fn no_ttl(_: &mut Ctx) -> Result<(), String> {
    run(
        4,
        &[
            (Set("a", "1", None, 0), NONE),
            (Get("a", 1_000_000_000_000), some("1")),
        ],
    )
}

fn exact_deadline(_: &mut Ctx) -> Result<(), String> {
    run(
        4,
        &[
            (Set("k", "v", Some(10), 100), NONE),
            (Ttl("k", 100), Answer::Number(10)),
            (Get("k", 109), some("v")),
            (Ttl("k", 109), Answer::Number(1)),
            (Get("k", 110), NONE),
            (Ttl("k", 110), Answer::Number(-2)),
        ],
    )
}

fn ttl_codes(_: &mut Ctx) -> Result<(), String> {
    run(
        4,
        &[
            (Ttl("missing", 0), Answer::Number(-2)),
            (Set("forever", "x", None, 0), NONE),
            (Ttl("forever", 5), Answer::Number(-1)),
            (Set("brief", "y", Some(3), 5), NONE),
            (Ttl("brief", 8), Answer::Number(-2)),
            (Ttl("brief", 20), Answer::Number(-2)),
        ],
    )
}

fn overwrite_resets(_: &mut Ctx) -> Result<(), String> {
    run(
        4,
        &[
            (Set("k", "v1", Some(10), 0), NONE),
            (Set("k", "v2", Some(10), 8), NONE),
            (Get("k", 15), some("v2")),
            (Ttl("k", 15), Answer::Number(3)),
            (Get("k", 18), NONE),
        ],
    )
}

fn plain_set_clears(_: &mut Ctx) -> Result<(), String> {
    run(
        4,
        &[
            (Set("k", "v1", Some(10), 0), NONE),
            (Set("k", "v2", None, 5), NONE),
            (Ttl("k", 5), Answer::Number(-1)),
            (Get("k", 100), some("v2")),
        ],
    )
}

fn zero_deletes(_: &mut Ctx) -> Result<(), String> {
    run(
        4,
        &[
            (Set("k", "v1", None, 0), NONE),
            (Set("k", "v2", Some(0), 1), NONE),
            (Get("k", 1), NONE),
            (Len(1), Answer::Number(0)),
        ],
    )?;
    run(
        2,
        &[
            (Set("a", "1", None, 0), NONE),
            (Set("b", "2", None, 1), NONE),
            (Set("c", "3", Some(0), 2), NONE),
            (Get("a", 3), some("1")),
            (Get("b", 3), some("2")),
            (Get("c", 3), NONE),
        ],
    )
}

fn del_live(_: &mut Ctx) -> Result<(), String> {
    run(
        4,
        &[
            (Del("missing", 0), Answer::Flag(false)),
            (Set("a", "1", None, 0), NONE),
            (Del("a", 1), Answer::Flag(true)),
            (Get("a", 1), NONE),
            (Set("b", "2", Some(5), 2), NONE),
            (Del("b", 7), Answer::Flag(false)),
        ],
    )
}

fn len_live(_: &mut Ctx) -> Result<(), String> {
    run(
        8,
        &[
            (Set("a", "1", Some(5), 0), NONE),
            (Set("b", "2", Some(10), 0), NONE),
            (Set("c", "3", None, 0), NONE),
            (Len(4), Answer::Number(3)),
            (Len(5), Answer::Number(2)),
            (Len(10), Answer::Number(1)),
        ],
    )
}

fn evicts_lru(_: &mut Ctx) -> Result<(), String> {
    run(
        2,
        &[
            (Set("a", "1", None, 0), NONE),
            (Set("b", "2", None, 1), NONE),
            (Set("c", "3", None, 2), some("a")),
            (Get("a", 3), NONE),
            (Get("b", 3), some("2")),
            (Get("c", 3), some("3")),
        ],
    )
}

fn get_refreshes(_: &mut Ctx) -> Result<(), String> {
    run(
        2,
        &[
            (Set("a", "1", None, 0), NONE),
            (Set("b", "2", None, 1), NONE),
            (Get("a", 2), some("1")),
            (Set("c", "3", None, 3), some("b")),
            (Get("a", 4), some("1")),
        ],
    )
}

fn overwrite_full(_: &mut Ctx) -> Result<(), String> {
    run(
        2,
        &[
            (Set("a", "1", None, 0), NONE),
            (Set("b", "2", None, 1), NONE),
            (Set("a", "1b", None, 2), NONE),
            (Len(2), Answer::Number(2)),
            (Set("c", "3", None, 3), some("b")),
        ],
    )
}

fn capacity_one(_: &mut Ctx) -> Result<(), String> {
    run(
        1,
        &[
            (Set("a", "1", None, 0), NONE),
            (Set("b", "2", None, 1), some("a")),
            (Get("b", 2), some("2")),
            (Set("b", "3", None, 3), NONE),
            (Get("a", 4), NONE),
            (Len(4), Answer::Number(1)),
        ],
    )
}

fn expired_first(_: &mut Ctx) -> Result<(), String> {
    run(
        2,
        &[
            (Set("a", "1", Some(5), 0), NONE),
            (Set("b", "2", None, 1), NONE),
            (Set("c", "3", None, 10), NONE),
            (Get("b", 11), some("2")),
            (Get("c", 11), some("3")),
        ],
    )
}

fn del_frees_slot(_: &mut Ctx) -> Result<(), String> {
    run(
        2,
        &[
            (Set("a", "1", None, 0), NONE),
            (Set("b", "2", None, 1), NONE),
            (Del("a", 2), Answer::Flag(true)),
            (Set("c", "3", None, 3), NONE),
            (Set("d", "4", None, 4), some("b")),
            (Get("c", 5), some("3")),
            (Get("d", 5), some("4")),
            (Len(5), Answer::Number(2)),
        ],
    )
}

/// The model the random workload is compared with.
struct Model {
    capacity: usize,
    clock: u64,
    /// key -> (value, expires_at, last use)
    entries: BTreeMap<String, (String, Option<u64>, u64)>,
}

impl Model {
    fn purge(&mut self, now: u64) {
        self.entries
            .retain(|_, (_, deadline, _)| deadline.is_none_or(|d| now < d));
    }

    fn answer(&mut self, command: &Command) -> Answer {
        self.clock += 1;
        let clock = self.clock;
        match *command {
            Get(k, t) => {
                self.purge(t);
                Answer::Value(self.entries.get_mut(k).map(|e| {
                    e.2 = clock;
                    e.0.clone()
                }))
            }
            Set(k, v, ttl, t) => {
                self.purge(t);
                if ttl == Some(0) {
                    self.entries.remove(k);
                    return NONE;
                }
                let mut evicted = None;
                if !self.entries.contains_key(k) && self.entries.len() >= self.capacity {
                    let oldest = self
                        .entries
                        .iter()
                        .min_by_key(|(_, e)| e.2)
                        .map(|(k, _)| k.clone());
                    if let Some(oldest) = oldest {
                        self.entries.remove(&oldest);
                        evicted = Some(oldest);
                    }
                }
                self.entries
                    .insert(k.to_string(), (v.to_string(), ttl.map(|x| t + x), clock));
                Answer::Value(evicted)
            }
            Del(k, t) => {
                self.purge(t);
                Answer::Flag(self.entries.remove(k).is_some())
            }
            Ttl(k, t) => {
                self.purge(t);
                Answer::Number(match self.entries.get(k) {
                    None => -2,
                    Some((_, None, _)) => -1,
                    Some((_, Some(d), _)) => (d - t) as i64,
                })
            }
            Len(t) => {
                self.purge(t);
                Answer::Number(self.entries.len() as i64)
            }
        }
    }
}

const KEYS: [&str; 6] = ["k0", "k1", "k2", "k3", "k4", "k5"];
const VALUES: [&str; 4] = ["v0", "v1", "v2", "v3"];

fn random_workload(ctx: &mut Ctx) -> Result<(), String> {
    for round in 0..20 {
        let capacity = 1 + ctx.rng().below(4) as usize;
        let mut cache = TtlLru::new(capacity);
        let mut model = Model {
            capacity,
            clock: 0,
            entries: BTreeMap::new(),
        };
        let mut now = 0;
        let mut history: Vec<String> = Vec::new();
        for _ in 0..60 {
            now += ctx.rng().below(3);
            let key = KEYS[ctx.rng().below(6) as usize];
            let command = match ctx.rng().below(10) {
                0..=3 => Get(key, now),
                4..=7 => {
                    let ttl = match ctx.rng().below(4) {
                        0 => None,
                        1 => Some(0),
                        _ => Some(1 + ctx.rng().below(6)),
                    };
                    Set(key, VALUES[ctx.rng().below(4) as usize], ttl, now)
                }
                8 => Del(key, now),
                _ => {
                    if ctx.rng().chance(0.5) {
                        Ttl(key, now)
                    } else {
                        Len(now)
                    }
                }
            };
            let expected = model.answer(&command);
            let got = apply(&mut cache, &command);
            history.push(show_command(&command));
            expect(got == expected, || {
                let recent = history[history.len().saturating_sub(8)..].join(", ");
                format!(
                    "round {round}, capacity {capacity} (seed {}): after ... {recent}: the last \
                     command expected {}; got {}",
                    ctx.seed(),
                    show_answer(&expected),
                    show_answer(&got)
                )
            })?;
        }
    }
    Ok(())
}
