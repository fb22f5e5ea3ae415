//! A consistent-hash ring. Edit this file, then grade it with
//! `sysdesign grade consistent-hash-ring` (or press `g` in the app).

use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Unbounded};

/// The ring's hash: FNV-1a, then a final mix so that similar names land far apart.
/// Keep it as it is: the checks compute the same positions.
pub fn hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

pub struct HashRing {
    vnodes: u32,
    ring: BTreeMap<u64, String>,
}

impl HashRing {
    pub fn new(vnodes: u32) -> Self {
        HashRing {
            vnodes,
            ring: BTreeMap::new(),
        }
    }

    /// Places one point per node, whatever `vnodes` says.
    pub fn add(&mut self, node: &str) {
        let _ = self.vnodes;
        self.ring.insert(hash(node), node.to_string());
    }

    pub fn remove(&mut self, node: &str) {
        self.ring.remove(&hash(node));
    }

    /// Finds the first point after the key's hash: skips a point equal to it, and does not
    /// wrap around.
    pub fn node_for(&self, key: &str) -> Option<&str> {
        self.ring
            .range((Excluded(hash(key)), Unbounded))
            .next()
            .map(|(_, node)| node.as_str())
    }
}
