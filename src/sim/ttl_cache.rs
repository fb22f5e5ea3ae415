//! `ttl-cache`: a cache with per-key TTLs and an LRU capacity, in front of a database, on a
//! logical clock where a tick is one second (so `SET k v EX 20` lives 20 ticks).
//!
//! Reads pick keys with a Zipf-like skew (user:1 is the hottest), and now and then the database
//! is written. The policy decides what a database write does to the cache:
//! - `ttl-only`: nothing; the cached copy stays until its TTL runs out, so reads in between
//!   are stale (the stale-read window);
//! - `write-through`: the write goes to the cache too, so reads never see an old value;
//! - `invalidation`: the database publishes a change event and the cache entry is deleted,
//!   so the next read misses and loads the new value.
//!
//! The engine talks to the cache only through `contract::TtlCache`, so a student's cache can
//! run here instead of the reference one. Every command is logged the way Redis spells it.

use std::collections::VecDeque;

use super::contract::TtlCache;
use super::event_log::EventLog;
use super::lru_ttl_cache::LruTtlCache;
use super::param_table::{self, Param, specs};
use super::registry::KindSpec;
use super::rng::Rng;
use super::series::Series;
use super::summary::Summary;
use super::{Action, Simulation};

pub const KIND: &str = "ttl-cache";

// `ttl-only` is what the lesson calls time-based expiry; cache-aside proper deletes the key on
// a write, which is `invalidation` here.
pub const POLICIES: &[&str] = &["ttl-only", "write-through", "invalidation"];

const TABLE: [Param<TtlCacheSim>; 6] = [
    Param::choice("policy", POLICIES, "ttl-only")
        .help("what a database write does to the cache: nothing (TTL only), write to it, or delete the key")
        .field(|s| s.policy.name(), |s, name| {
            s.policy = Policy::from_name(name).expect("a listed policy");
            s.log.push(s.now, format!("# policy: {name}"));
        }),
    Param::int("ttl", 1, 600, "20")
        .help("seconds (ticks) a cached key lives: SET k v EX ttl")
        .field(|s| s.ttl as i64, |s, v| s.ttl = v as u64),
    Param::int("capacity", 1, 32, "6")
        .help("keys the cache holds; one more evicts the least recently used")
        .field(|s| s.capacity as i64, |s, v| {
            s.capacity = v as usize;
            let why = format!("# capacity {}: a new, empty cache", s.capacity);
            s.rebuild_cache(why);
        }),
    Param::int("keys", 1, 32, "10")
        .help("distinct keys in the database, read with a skew towards user:1")
        .field(|s| s.keys.len() as i64, |s, v| s.resize_keys(v as usize)),
    Param::int("reads", 0, 20, "3")
        .help("reads per tick")
        .field(|s| s.reads.into(), |s, v| s.reads = v as u32),
    Param::int("write_chance", 0, 100, "10")
        .help("percent chance per tick that the database gets a write")
        .field(|s| s.write_chance as i64, |s, v| s.write_chance = v as u64),
];

pub const SPEC: KindSpec = KindSpec {
    name: KIND,
    title: "TTL cache: TTL only, write-through, invalidation",
    description: "A cache in front of a database on a logical clock: each key counts down its \
        TTL, a full cache evicts the least recently used key, and the log shows the Redis \
        commands. Write to the database and watch ttl-only serve the old value until the \
        TTL runs out, while write-through and invalidation never do.",
    params: &specs(&TABLE),
    build: TtlCacheSim::boxed,
};

const ACTIONS: &[Action] = &[
    Action {
        key: 'u',
        label: "db write user:1",
    },
    Action {
        key: 'o',
        label: "next policy",
    },
    Action {
        key: 'f',
        label: "flush cache",
    },
];

/// Builds a cache of the given capacity. The engine rebuilds the cache, empty, when the
/// capacity changes.
pub type CacheFactory = Box<dyn Fn(usize) -> Box<dyn TtlCache + Send> + Send>;

fn reference_cache(capacity: usize) -> Box<dyn TtlCache + Send> {
    Box::new(LruTtlCache::new(capacity))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    TtlOnly,
    WriteThrough,
    Invalidation,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Policy::TtlOnly => POLICIES[0],
            Policy::WriteThrough => POLICIES[1],
            Policy::Invalidation => POLICIES[2],
        }
    }

    fn from_name(name: &str) -> Option<Policy> {
        [Policy::TtlOnly, Policy::WriteThrough, Policy::Invalidation]
            .into_iter()
            .find(|p| p.name() == name)
    }

    fn next(self) -> Policy {
        match self {
            Policy::TtlOnly => Policy::WriteThrough,
            Policy::WriteThrough => Policy::Invalidation,
            Policy::Invalidation => Policy::TtlOnly,
        }
    }
}

/// One key, as the database has it and as the engine last saw it in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyState {
    pub name: String,
    /// The database's current version; its value is `v{db_version}`.
    pub db_version: u64,
    /// The version in the cache, or `None` when the key is not cached.
    pub cached: Option<u64>,
    /// The cache's `TTL` for the key at the end of the last tick (-2: missing, -1: no expiry).
    pub ttl_left: i64,
    /// When the cached copy went stale: the tick of the database write it missed.
    pub stale_since: Option<u64>,
    pub hits: u64,
    pub misses: u64,
}

impl KeyState {
    pub fn stale(&self) -> bool {
        self.cached.is_some_and(|v| v != self.db_version)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheTotals {
    pub gets: u64,
    pub hits: u64,
    pub misses: u64,
    /// Hits that returned a value older than the database's.
    pub stale_reads: u64,
    /// The longest a key stayed stale in the cache, in ticks.
    pub max_stale_ticks: u64,
    pub expirations: u64,
    pub evictions: u64,
    pub db_reads: u64,
    pub db_writes: u64,
}

/// Ticks over which the hit-rate graph averages.
const HIT_RATE_WINDOW: usize = 10;

pub struct TtlCacheSim {
    seed: u64,
    rng: Rng,
    now: u64,
    policy: Policy,
    ttl: u64,
    capacity: usize,
    reads: u32,
    write_chance: u64,
    make_cache: CacheFactory,
    label: &'static str,
    cache: Box<dyn TtlCache + Send>,
    keys: Vec<KeyState>,
    /// Cumulative Zipf-like weights: key i is read in proportion to 1/(i+1).
    popularity: Vec<u64>,
    totals: CacheTotals,
    window: VecDeque<(u64, u64)>,
    /// Per tick: the hit rate over the last `HIT_RATE_WINDOW` ticks, in percent.
    hit_rate_history: Series<u8>,
    log: EventLog,
}

fn key_state(i: usize) -> KeyState {
    KeyState {
        name: format!("user:{}", i + 1),
        db_version: 1,
        cached: None,
        ttl_left: -2,
        stale_since: None,
        hits: 0,
        misses: 0,
    }
}

/// The version in a cached value `v{n}`; anything else (from a student's cache) is version 0,
/// which never matches the database.
fn version_of(value: &str) -> u64 {
    value
        .strip_prefix('v')
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

impl TtlCacheSim {
    pub fn new(seed: u64) -> Self {
        let mut sim = TtlCacheSim {
            seed,
            rng: Rng::new(seed),
            now: 0,
            policy: Policy::TtlOnly,
            ttl: 20,
            capacity: 6,
            reads: 3,
            write_chance: 10,
            make_cache: Box::new(reference_cache),
            label: "reference",
            cache: reference_cache(6),
            keys: Vec::new(),
            popularity: Vec::new(),
            totals: CacheTotals::default(),
            window: VecDeque::with_capacity(HIT_RATE_WINDOW + 1),
            hit_rate_history: Series::new(),
            log: EventLog::new(),
        };
        sim.resize_keys(10);
        sim
    }

    pub fn boxed(seed: u64) -> Box<dyn Simulation> {
        Box::new(Self::new(seed))
    }

    /// Cache with caches built by `make` instead of the reference LRU cache, e.g. the student's
    /// own. The cache starts empty; `label` names it in the widget and the log.
    pub fn set_cache(&mut self, make: CacheFactory, label: &'static str) {
        self.make_cache = make;
        self.label = label;
        self.rebuild_cache(format!("cache: {label}, empty"));
    }

    pub fn cache_label(&self) -> &'static str {
        self.label
    }

    pub fn policy(&self) -> Policy {
        self.policy
    }

    pub fn ttl(&self) -> u64 {
        self.ttl
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn keys(&self) -> &[KeyState] {
        &self.keys
    }

    pub fn totals(&self) -> CacheTotals {
        self.totals
    }

    /// Keys the engine saw in the cache at the end of the last tick.
    pub fn cached_keys(&self) -> usize {
        self.keys.iter().filter(|k| k.cached.is_some()).count()
    }

    pub fn hit_rate(&self) -> f64 {
        if self.totals.gets == 0 {
            0.0
        } else {
            self.totals.hits as f64 / self.totals.gets as f64
        }
    }

    /// Per tick, oldest first: the hit rate over the last few ticks, in percent.
    pub fn hit_rate_history(&self, n: usize) -> impl ExactSizeIterator<Item = u8> + '_ {
        self.hit_rate_history.recent(n)
    }

    pub fn log(&self) -> &EventLog {
        &self.log
    }

    /// A database write to key `i` (0-based), handled by the current policy.
    pub fn write_db(&mut self, i: usize) {
        let Some(key) = self.keys.get_mut(i) else {
            return;
        };
        self.totals.db_writes += 1;
        key.db_version += 1;
        let value = format!("v{}", key.db_version);
        let name = key.name.clone();
        self.log
            .push(self.now, format!("# db: UPDATE {name} = {value}"));
        match self.policy {
            Policy::TtlOnly => {
                if key.cached.is_some() && key.stale_since.is_none() {
                    key.stale_since = Some(self.now);
                    self.log.push(
                        self.now,
                        format!("# cache still holds the old {name} until its TTL runs out"),
                    );
                }
            }
            Policy::WriteThrough => self.store(i, &value),
            Policy::Invalidation => {
                self.log.push(self.now, format!("DEL {name}"));
                self.cache.del(&name, self.now);
                self.forget(i);
            }
        }
    }

    /// Delete every key, as when a cache node is replaced: the cache starts cold.
    pub fn flush(&mut self) {
        self.log.push(self.now, "FLUSHALL");
        for i in 0..self.keys.len() {
            let name = &self.keys[i].name;
            self.cache.del(name, self.now);
            self.forget(i);
        }
    }

    fn rebuild_cache(&mut self, why: String) {
        self.cache = (self.make_cache)(self.capacity);
        for i in 0..self.keys.len() {
            self.forget(i);
        }
        self.log.push(self.now, why);
    }

    fn resize_keys(&mut self, n: usize) {
        while self.keys.len() > n {
            let key = self.keys.pop().expect("non-empty");
            self.cache.del(&key.name, self.now);
        }
        while self.keys.len() < n {
            self.keys.push(key_state(self.keys.len()));
        }
        let mut total = 0;
        self.popularity = (0..n)
            .map(|i| {
                total += 1_000_000 / (i as u64 + 1);
                total
            })
            .collect();
    }

    fn pick_key(&mut self) -> usize {
        let total = *self.popularity.last().expect("at least one key");
        let r = self.rng.below(total);
        self.popularity.partition_point(|&c| c <= r)
    }

    /// The key is no longer cached: close its stale window, if it had one.
    fn forget(&mut self, i: usize) {
        let now = self.now;
        let key = &mut self.keys[i];
        key.cached = None;
        if let Some(since) = key.stale_since.take() {
            self.totals.max_stale_ticks = self.totals.max_stale_ticks.max(now - since);
        }
    }

    /// `SET key value EX ttl`, with the eviction it may cause.
    fn store(&mut self, i: usize, value: &str) {
        let ttl = self.ttl;
        let name = self.keys[i].name.clone();
        self.log
            .push(self.now, format!("SET {name} {value} EX {ttl}"));
        let evicted = self.cache.set(&name, value, Some(ttl), self.now);
        self.forget(i);
        self.keys[i].cached = Some(version_of(value));
        if let Some(evicted) = evicted {
            self.totals.evictions += 1;
            self.log.push(
                self.now,
                format!("# evicted {evicted} (least recently used)"),
            );
            if let Some(j) = self.keys.iter().position(|k| k.name == evicted) {
                self.forget(j);
            }
        }
    }

    fn read(&mut self, i: usize) {
        self.totals.gets += 1;
        let name = self.keys[i].name.clone();
        match self.cache.get(&name, self.now) {
            Some(value) => {
                self.totals.hits += 1;
                let key = &mut self.keys[i];
                key.hits += 1;
                let version = version_of(&value);
                key.cached = Some(version);
                if version != key.db_version {
                    self.totals.stale_reads += 1;
                    let db = key.db_version;
                    self.log.push(
                        self.now,
                        format!("GET {name} -> \"{value}\"  # STALE: the db has v{db}"),
                    );
                } else {
                    self.log
                        .push(self.now, format!("GET {name} -> \"{value}\""));
                }
            }
            None => {
                self.totals.misses += 1;
                self.totals.db_reads += 1;
                self.keys[i].misses += 1;
                let value = format!("v{}", self.keys[i].db_version);
                self.log.push(self.now, format!("GET {name} -> (nil)"));
                self.log
                    .push(self.now, format!("# db: SELECT {name} -> {value}"));
                self.store(i, &value);
            }
        }
    }

    fn note_expirations(&mut self) {
        for i in 0..self.keys.len() {
            if self.keys[i].cached.is_none() {
                continue;
            }
            if self.cache.ttl(&self.keys[i].name, self.now) == -2 {
                self.totals.expirations += 1;
                let name = &self.keys[i].name;
                self.log.push(self.now, format!("# {name} expired"));
                self.forget(i);
            }
        }
    }

    fn record_hit_rate(&mut self, hits: u64, gets: u64) {
        if self.window.len() == HIT_RATE_WINDOW {
            self.window.pop_front();
        }
        self.window.push_back((hits, gets));
        let (h, g) = self
            .window
            .iter()
            .fold((0, 0), |(h, g), &(a, b)| (h + a, g + b));
        let percent = (h * 100).checked_div(g).unwrap_or(0) as u8;
        self.hit_rate_history.push(percent);
    }
}

impl Simulation for TtlCacheSim {
    param_table::common_methods!(kind: KIND, table: TABLE, actions: ACTIONS);

    fn step(&mut self) {
        self.now += 1;
        let (hits, gets) = (self.totals.hits, self.totals.gets);
        self.note_expirations();
        if self.rng.below(100) < self.write_chance {
            let i = self.pick_key();
            self.write_db(i);
        }
        for _ in 0..self.reads {
            let i = self.pick_key();
            self.read(i);
        }
        for key in &mut self.keys {
            key.ttl_left = self.cache.ttl(&key.name, self.now);
        }
        self.record_hit_rate(self.totals.hits - hits, self.totals.gets - gets);
    }

    fn act(&mut self, key: char) -> bool {
        match key {
            'u' => self.write_db(0),
            'o' => {
                self.policy = self.policy.next();
                let name = self.policy.name();
                self.log.push(self.now, format!("# policy: {name}"));
            }
            'f' => self.flush(),
            _ => return false,
        }
        true
    }

    fn summary(&self) -> Summary {
        use serde_json::json;
        let t = self.totals;
        let metrics = [
            ("gets", t.gets as f64),
            ("hits", t.hits as f64),
            ("misses", t.misses as f64),
            ("hit_rate", (self.hit_rate() * 1000.0).round() / 1000.0),
            ("stale_reads", t.stale_reads as f64),
            ("max_stale_ticks", t.max_stale_ticks as f64),
            ("expirations", t.expirations as f64),
            ("evictions", t.evictions as f64),
            ("db_reads", t.db_reads as f64),
            ("db_writes", t.db_writes as f64),
            ("cached_keys", self.cached_keys() as f64),
        ];
        let keys = self
            .keys
            .iter()
            .map(|k| {
                [
                    ("key", json!(k.name)),
                    ("db_version", json!(k.db_version)),
                    ("cached_version", json!(k.cached)),
                    ("ttl", json!(k.ttl_left)),
                    ("stale", json!(k.stale())),
                    ("hits", json!(k.hits)),
                    ("misses", json!(k.misses)),
                ]
                .into_iter()
                .collect()
            })
            .collect();
        Summary::of(
            self,
            self.seed,
            metrics,
            [("keys", keys)],
            self.log.to_vec(),
        )
    }
    fn note(&mut self, text: &str) {
        self.log.push_unless_repeated(self.now, text);
    }

    fn plug(&mut self, plug: Option<super::Plug>, label: &'static str) -> Result<(), String> {
        match plug {
            Some(super::Plug::Cache(make)) => self.set_cache(make, label),
            None => self.set_cache(Box::new(reference_cache), "reference"),
            Some(_) => return Err("the ttl-cache simulation runs a TtlCache".into()),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ParamValue;

    fn sim_with(policy: &str) -> TtlCacheSim {
        let mut sim = TtlCacheSim::new(42);
        sim.set("policy", &ParamValue::Choice(policy.to_string()))
            .unwrap();
        sim
    }

    fn run(sim: &mut TtlCacheSim, ticks: u64) {
        for _ in 0..ticks {
            sim.step();
        }
    }

    #[test]
    fn ttl_only_serves_stale_reads_until_the_ttl_runs_out() {
        let mut sim = sim_with("ttl-only");
        sim.set("write_chance", &ParamValue::Int(0)).unwrap();
        run(&mut sim, 5);
        assert!(sim.keys()[0].cached.is_some(), "the hot key is cached");
        sim.act('u');
        let written = sim.now();
        run(&mut sim, 3);
        assert!(sim.totals().stale_reads > 0);
        assert!(sim.keys()[0].stale());
        run(&mut sim, 25);
        assert!(!sim.keys()[0].stale(), "the TTL ended the stale window");
        let window = sim.totals().max_stale_ticks;
        assert!(window > 0 && window <= sim.ttl(), "{window}");
        assert!(sim.now() - written > window);
    }

    #[test]
    fn write_through_and_invalidation_never_read_stale() {
        for policy in ["write-through", "invalidation"] {
            let mut sim = sim_with(policy);
            sim.set("write_chance", &ParamValue::Int(60)).unwrap();
            for _ in 0..50 {
                sim.act('u');
                run(&mut sim, 4);
            }
            assert!(sim.totals().db_writes > 80, "{policy}");
            assert_eq!(sim.totals().stale_reads, 0, "{policy}");
            assert_eq!(sim.totals().max_stale_ticks, 0, "{policy}");
        }
    }

    #[test]
    fn the_log_speaks_redis() {
        let mut sim = sim_with("invalidation");
        run(&mut sim, 3);
        sim.act('u');
        let texts: Vec<&str> = sim.log().iter().map(|e| e.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.starts_with("GET user:1 -> ")));
        assert!(texts.contains(&"SET user:1 v1 EX 20"));
        assert_eq!(texts.last(), Some(&"DEL user:1"));
    }

    #[test]
    fn evictions_and_expirations_are_counted() {
        let mut sim = TtlCacheSim::new(7);
        sim.set("capacity", &ParamValue::Int(2)).unwrap();
        sim.set("ttl", &ParamValue::Int(3)).unwrap();
        run(&mut sim, 60);
        let t = sim.totals();
        assert!(t.evictions > 0 && t.expirations > 0, "{t:?}");
        assert!(sim.cached_keys() <= 2);
        assert_eq!(t.hits + t.misses, t.gets);
    }
}
