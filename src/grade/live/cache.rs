use super::process::{LiveProcess, expect_ok};
use super::wire::{decode, encode};
use crate::sim::contract::TtlCache;

/// The student's TTL cache, running in its own process. When their code fails, calls answer
/// as if the key were missing; see [`RemoteTtlCache::error`].
pub struct RemoteTtlCache {
    process: LiveProcess,
}

impl RemoteTtlCache {
    /// Makes a fresh cache of the student's type with `capacity` in `process`. Fails when it
    /// does not answer.
    pub fn new(mut process: LiveProcess, capacity: usize) -> Result<Self, String> {
        expect_ok(process.call(&format!("new {capacity}")))?;
        Ok(RemoteTtlCache { process })
    }

    /// A fresh, empty cache, as when the visualization resets or changes the capacity.
    pub fn reset(&mut self, capacity: usize) -> Result<(), String> {
        expect_ok(self.process.call(&format!("new {capacity}")))
    }

    pub fn error(&self) -> Option<&str> {
        self.process.error()
    }

    pub fn process_mut(&mut self) -> &mut LiveProcess {
        &mut self.process
    }

    fn optional(&mut self, request: String) -> Option<String> {
        let answer = self.process.call(&request).ok()?;
        if answer == "none" {
            return None;
        }
        match answer.strip_prefix("some ").and_then(decode) {
            Some(value) => Some(value),
            None => {
                self.process.fail(format!("unexpected answer: {answer}"));
                None
            }
        }
    }

    fn integer(&mut self, request: String) -> Option<i64> {
        let answer = self.process.call(&request).ok()?;
        match answer.strip_prefix("int ").and_then(|n| n.parse().ok()) {
            Some(n) => Some(n),
            None => {
                self.process.fail(format!("unexpected answer: {answer}"));
                None
            }
        }
    }
}

impl TtlCache for RemoteTtlCache {
    fn get(&mut self, key: &str, now: u64) -> Option<String> {
        self.optional(format!("get {} {now}", encode(key)))
    }

    fn set(&mut self, key: &str, value: &str, ttl: Option<u64>, now: u64) -> Option<String> {
        let ttl = ttl.map_or("-".to_string(), |t| t.to_string());
        self.optional(format!("set {} {} {ttl} {now}", encode(key), encode(value)))
    }

    fn del(&mut self, key: &str, now: u64) -> bool {
        let Ok(answer) = self.process.call(&format!("del {} {now}", encode(key))) else {
            return false;
        };
        match answer.as_str() {
            "bool true" => true,
            "bool false" => false,
            _ => {
                self.process.fail(format!("unexpected answer: {answer}"));
                false
            }
        }
    }

    fn ttl(&mut self, key: &str, now: u64) -> i64 {
        self.integer(format!("ttl {} {now}", encode(key)))
            .unwrap_or(-2)
    }

    fn len(&mut self, now: u64) -> usize {
        self.integer(format!("len {now}"))
            .map_or(0, |n| usize::try_from(n).unwrap_or(0))
    }
}

/// The simulation rebuilds its cache, empty, whenever the capacity changes; with the
/// student's cache that means resetting the one process they run in.
pub fn cache_factory(cache: RemoteTtlCache) -> crate::sim::ttl_cache::CacheFactory {
    let shared = std::sync::Arc::new(std::sync::Mutex::new(cache));
    Box::new(move |capacity| {
        let mut cache = shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // A failed reset is recorded in the process's error and shows as misses.
        let _ = cache.reset(capacity);
        drop(cache);
        Box::new(SharedTtlCache(shared.clone()))
    })
}

struct SharedTtlCache(std::sync::Arc<std::sync::Mutex<RemoteTtlCache>>);

impl SharedTtlCache {
    fn cache(&self) -> std::sync::MutexGuard<'_, RemoteTtlCache> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl TtlCache for SharedTtlCache {
    fn get(&mut self, key: &str, now: u64) -> Option<String> {
        self.cache().get(key, now)
    }
    fn set(&mut self, key: &str, value: &str, ttl: Option<u64>, now: u64) -> Option<String> {
        self.cache().set(key, value, ttl, now)
    }
    fn del(&mut self, key: &str, now: u64) -> bool {
        self.cache().del(key, now)
    }
    fn ttl(&mut self, key: &str, now: u64) -> i64 {
        self.cache().ttl(key, now)
    }
    fn len(&mut self, now: u64) -> usize {
        self.cache().len(now)
    }
}
