//! A TTL cache with LRU eviction: the reference solution.

use std::collections::{BTreeMap, HashMap};

use sysdesign_support::contract::TtlCache;

struct Entry {
    value: String,
    /// The key is gone once `now >= expires_at`.
    expires_at: Option<u64>,
    /// The use counter of the latest get or set; a key of `recency`.
    used: u64,
}

pub struct TtlLru {
    capacity: usize,
    entries: HashMap<String, Entry>,
    /// Least recently used first.
    recency: BTreeMap<u64, String>,
    uses: u64,
}

impl TtlLru {
    pub fn new(capacity: usize) -> Self {
        TtlLru {
            capacity: capacity.max(1),
            entries: HashMap::new(),
            recency: BTreeMap::new(),
            uses: 0,
        }
    }

    fn expired(entry: &Entry, now: u64) -> bool {
        entry.expires_at.is_some_and(|deadline| now >= deadline)
    }

    fn remove(&mut self, key: &str) -> Option<Entry> {
        let entry = self.entries.remove(key)?;
        self.recency.remove(&entry.used);
        Some(entry)
    }

    /// The live entry for `key`; an expired one is dropped on the way.
    fn live(&mut self, key: &str, now: u64) -> Option<&mut Entry> {
        if self.entries.get(key).is_some_and(|e| Self::expired(e, now)) {
            self.remove(key);
        }
        self.entries.get_mut(key)
    }

    fn touch(&mut self, key: &str) {
        self.uses += 1;
        let uses = self.uses;
        if let Some(entry) = self.entries.get_mut(key) {
            self.recency.remove(&entry.used);
            entry.used = uses;
            self.recency.insert(uses, key.to_string());
        }
    }

    fn purge_expired(&mut self, now: u64) {
        let expired: Vec<String> = self
            .entries
            .iter()
            .filter(|(_, e)| Self::expired(e, now))
            .map(|(k, _)| k.clone())
            .collect();
        for key in expired {
            self.remove(&key);
        }
    }
}

impl TtlCache for TtlLru {
    fn get(&mut self, key: &str, now: u64) -> Option<String> {
        let value = self.live(key, now)?.value.clone();
        self.touch(key);
        Some(value)
    }

    fn set(&mut self, key: &str, value: &str, ttl: Option<u64>, now: u64) -> Option<String> {
        if ttl == Some(0) {
            self.remove(key);
            return None;
        }
        let expires_at = ttl.map(|t| now.saturating_add(t));
        if let Some(entry) = self.live(key, now) {
            entry.value = value.to_string();
            entry.expires_at = expires_at;
            self.touch(key);
            return None;
        }
        let mut evicted = None;
        if self.entries.len() >= self.capacity {
            self.purge_expired(now);
        }
        if self.entries.len() >= self.capacity
            && let Some((_, oldest)) = self.recency.pop_first()
        {
            self.entries.remove(&oldest);
            evicted = Some(oldest);
        }
        self.entries.insert(
            key.to_string(),
            Entry {
                value: value.to_string(),
                expires_at,
                used: 0,
            },
        );
        self.touch(key);
        evicted
    }

    fn del(&mut self, key: &str, now: u64) -> bool {
        self.live(key, now).is_some() && self.remove(key).is_some()
    }

    fn ttl(&mut self, key: &str, now: u64) -> i64 {
        match self.live(key, now) {
            None => -2,
            Some(Entry {
                expires_at: None, ..
            }) => -1,
            Some(Entry {
                expires_at: Some(deadline),
                ..
            }) => i64::try_from(*deadline - now).unwrap_or(i64::MAX),
        }
    }

    fn len(&mut self, now: u64) -> usize {
        self.purge_expired(now);
        self.entries.len()
    }
}
