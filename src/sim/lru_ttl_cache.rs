//! The reference `contract::TtlCache`: per-key TTLs on an injected logical clock, and a
//! capacity enforced by evicting the least recently used key.
//!
//! Expired keys are dropped lazily, when touched, and all at once when an insert finds the
//! cache full, so an expired key never costs a live one its place.

use std::collections::{BTreeMap, HashMap};

use super::contract::TtlCache;

#[derive(Debug, Clone)]
struct Entry {
    value: String,
    expires_at: Option<u64>,
    /// Position in the recency order: larger is more recent.
    stamp: u64,
}

impl Entry {
    /// Redis semantics: expired exactly when `now >= expires_at`.
    fn live(&self, now: u64) -> bool {
        self.expires_at.is_none_or(|at| now < at)
    }
}

#[derive(Debug, Clone)]
pub struct LruTtlCache {
    capacity: usize,
    entries: HashMap<String, Entry>,
    /// stamp -> key, least recently used first.
    recency: BTreeMap<u64, String>,
    next_stamp: u64,
}

impl LruTtlCache {
    /// A cache holding at most `capacity` live keys; a capacity of 0 is taken as 1.
    pub fn new(capacity: usize) -> Self {
        LruTtlCache {
            capacity: capacity.max(1),
            entries: HashMap::new(),
            recency: BTreeMap::new(),
            next_stamp: 0,
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    fn touch(&mut self, key: &str) {
        let stamp = self.next_stamp;
        self.next_stamp += 1;
        if let Some(entry) = self.entries.get_mut(key) {
            self.recency.remove(&entry.stamp);
            entry.stamp = stamp;
            self.recency.insert(stamp, key.to_string());
        }
    }

    fn remove(&mut self, key: &str) -> Option<Entry> {
        let entry = self.entries.remove(key)?;
        self.recency.remove(&entry.stamp);
        Some(entry)
    }

    /// The entry if it is live; an expired one is dropped on the way.
    fn live_entry(&mut self, key: &str, now: u64) -> Option<&Entry> {
        if self.entries.get(key).is_some_and(|e| !e.live(now)) {
            self.remove(key);
        }
        self.entries.get(key)
    }

    fn purge_expired(&mut self, now: u64) {
        let expired: Vec<String> = self
            .entries
            .iter()
            .filter(|(_, e)| !e.live(now))
            .map(|(k, _)| k.clone())
            .collect();
        for key in expired {
            self.remove(&key);
        }
    }
}

impl TtlCache for LruTtlCache {
    fn get(&mut self, key: &str, now: u64) -> Option<String> {
        let value = self.live_entry(key, now)?.value.clone();
        self.touch(key);
        Some(value)
    }

    fn set(&mut self, key: &str, value: &str, ttl: Option<u64>, now: u64) -> Option<String> {
        if ttl == Some(0) {
            self.remove(key);
            return None;
        }
        let expires_at = ttl.map(|t| now.saturating_add(t));
        if let Some(entry) = self.entries.get_mut(key) {
            // An overwrite, live or expired, takes no new place: nothing is evicted.
            entry.value = value.to_string();
            entry.expires_at = expires_at;
            self.touch(key);
            return None;
        }
        let mut evicted = None;
        if self.entries.len() >= self.capacity {
            self.purge_expired(now);
        }
        if self.entries.len() >= self.capacity {
            let (_, lru) = self.recency.pop_first().expect("a full cache has entries");
            self.entries.remove(&lru);
            evicted = Some(lru);
        }
        let stamp = self.next_stamp;
        self.next_stamp += 1;
        self.entries.insert(
            key.to_string(),
            Entry {
                value: value.to_string(),
                expires_at,
                stamp,
            },
        );
        self.recency.insert(stamp, key.to_string());
        evicted
    }

    fn del(&mut self, key: &str, now: u64) -> bool {
        self.remove(key).is_some_and(|e| e.live(now))
    }

    fn ttl(&mut self, key: &str, now: u64) -> i64 {
        match self.live_entry(key, now) {
            None => -2,
            Some(Entry {
                expires_at: None, ..
            }) => -1,
            Some(Entry {
                expires_at: Some(at),
                ..
            }) => i64::try_from(at - now).unwrap_or(i64::MAX),
        }
    }

    fn len(&mut self, now: u64) -> usize {
        self.entries.values().filter(|e| e.live(now)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_exactly_at_the_deadline() {
        let mut c = LruTtlCache::new(4);
        c.set("k", "v", Some(10), 100);
        assert_eq!(c.ttl("k", 109), 1);
        assert_eq!(c.get("k", 109).as_deref(), Some("v"));
        assert_eq!(c.get("k", 110), None);
        assert_eq!(c.ttl("k", 110), -2);
    }

    #[test]
    fn plain_set_drops_the_ttl_and_zero_ttl_deletes() {
        let mut c = LruTtlCache::new(4);
        c.set("k", "v1", Some(5), 0);
        c.set("k", "v2", None, 1);
        assert_eq!(c.ttl("k", 1_000), -1);
        c.set("k", "v3", Some(0), 2);
        assert_eq!(c.ttl("k", 2), -2);
        assert!(!c.del("k", 2));
    }

    #[test]
    fn overwrite_resets_the_ttl() {
        let mut c = LruTtlCache::new(4);
        c.set("k", "v1", Some(5), 0);
        c.set("k", "v2", Some(5), 4);
        assert_eq!(c.get("k", 8).as_deref(), Some("v2"));
        assert_eq!(c.get("k", 9), None);
    }

    #[test]
    fn evicts_the_least_recently_used_and_a_get_refreshes() {
        let mut c = LruTtlCache::new(2);
        assert_eq!(c.set("a", "1", None, 0), None);
        assert_eq!(c.set("b", "2", None, 0), None);
        c.get("a", 1);
        assert_eq!(c.set("c", "3", None, 2).as_deref(), Some("b"));
        assert_eq!(c.set("a", "1b", None, 3), None, "an update evicts nothing");
        assert_eq!(c.len(3), 2);
    }

    #[test]
    fn an_expired_key_makes_room_before_a_live_one_is_evicted() {
        let mut c = LruTtlCache::new(2);
        c.set("old", "1", Some(1), 0);
        c.set("live", "2", None, 0);
        assert_eq!(c.set("new", "3", None, 5), None);
        assert_eq!(c.get("live", 5).as_deref(), Some("2"));
    }

    #[test]
    fn capacity_one_and_zero() {
        let mut c = LruTtlCache::new(0);
        assert_eq!(c.capacity(), 1);
        c.set("a", "1", None, 0);
        assert_eq!(c.set("b", "2", None, 0).as_deref(), Some("a"));
        assert_eq!(c.len(0), 1);
    }
}
