//! A consistent-hash ring: the reference solution.

use std::collections::BTreeMap;

/// The ring's hash: FNV-1a, then a final mix so that similar names land far apart.
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
    /// Point on the ring -> the node that owns it.
    ring: BTreeMap<u64, String>,
}

impl HashRing {
    pub fn new(vnodes: u32) -> Self {
        HashRing {
            vnodes,
            ring: BTreeMap::new(),
        }
    }

    fn points(&self, node: &str) -> Vec<u64> {
        (0..self.vnodes)
            .map(|i| hash(&format!("{node}#{i}")))
            .collect()
    }

    pub fn add(&mut self, node: &str) {
        for point in self.points(node) {
            self.ring.insert(point, node.to_string());
        }
    }

    pub fn remove(&mut self, node: &str) {
        for point in self.points(node) {
            if self.ring.get(&point).is_some_and(|owner| owner == node) {
                self.ring.remove(&point);
            }
        }
    }

    pub fn node_for(&self, key: &str) -> Option<&str> {
        let h = hash(key);
        self.ring
            .range(h..)
            .next()
            .or_else(|| self.ring.iter().next())
            .map(|(_, node)| node.as_str())
    }
}
