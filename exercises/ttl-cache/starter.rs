//! A TTL cache with LRU eviction. Edit this file, then grade it with
//! `sysdesign grade ttl-cache` (or press `g` in the app).

use std::collections::HashMap;

use sysdesign_support::contract::TtlCache;

pub struct TtlLru {
    capacity: usize,
    entries: HashMap<String, (String, Option<u64>)>,
}

impl TtlLru {
    pub fn new(capacity: usize) -> Self {
        TtlLru {
            capacity,
            entries: HashMap::new(),
        }
    }
}

impl TtlCache for TtlLru {
    // Stores and expires keys, but one tick late, keeps old TTLs on a plain set, and never
    // evicts anything.
    fn get(&mut self, key: &str, now: u64) -> Option<String> {
        let (value, expires_at) = self.entries.get(key)?;
        match expires_at {
            Some(deadline) if now > *deadline => None,
            _ => Some(value.clone()),
        }
    }

    fn set(&mut self, key: &str, value: &str, ttl: Option<u64>, now: u64) -> Option<String> {
        let _ = self.capacity;
        let old_deadline = self.entries.get(key).and_then(|(_, d)| *d);
        let deadline = ttl.map(|t| now + t).or(old_deadline);
        self.entries
            .insert(key.to_string(), (value.to_string(), deadline));
        None
    }

    fn del(&mut self, key: &str, _now: u64) -> bool {
        self.entries.remove(key).is_some()
    }

    fn ttl(&mut self, key: &str, now: u64) -> i64 {
        match self.entries.get(key) {
            None => -2,
            Some((_, None)) => -1,
            Some((_, Some(deadline))) => *deadline as i64 - now as i64,
        }
    }

    fn len(&mut self, _now: u64) -> usize {
        self.entries.len()
    }
}
