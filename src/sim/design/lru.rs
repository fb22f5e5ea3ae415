//! An LRU cache of integer keys with optional TTL, in O(1) per operation and with no hashing:
//! keys are ranks below a known bound, so a plain array maps a key to its list node.
//!
//! Each entry also remembers since when its copy has been out of date (`stale_since`: the
//! time of the first database write the copy missed, or infinity while it is current), so
//! that the engine can measure how stale the reads it serves are.

const NIL: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Node {
    key: u32,
    prev: u32,
    next: u32,
    stored_at: f64,
    stale_since: f64,
}

#[derive(Debug, Clone)]
pub struct Lru {
    capacity: u32,
    /// Node index of each key, or NIL.
    slot_of: Vec<u32>,
    nodes: Vec<Node>,
    free: Vec<u32>,
    /// Most recently used.
    head: u32,
    /// Least recently used: the next to go.
    tail: u32,
    len: u32,
}

impl Lru {
    /// A cache of `capacity` keys drawn from `0..keys`.
    pub fn new(capacity: u32, keys: u32) -> Lru {
        Lru {
            capacity: capacity.max(1),
            slot_of: vec![NIL; keys as usize],
            nodes: Vec::with_capacity(capacity.min(keys) as usize),
            free: Vec::new(),
            head: NIL,
            tail: NIL,
            len: 0,
        }
    }

    pub fn len(&self) -> u32 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// On a hit (not expired), the entry's `stale_since`; the entry becomes the most recently
    /// used. An expired key is removed and counts as a miss (`None`).
    pub fn get(&mut self, key: u32, now: f64, ttl: Option<f64>) -> Option<f64> {
        let slot = self.slot_of[key as usize];
        if slot == NIL {
            return None;
        }
        let node = self.nodes[slot as usize];
        if let Some(ttl) = ttl
            && now - node.stored_at >= ttl
        {
            self.remove(key);
            return None;
        }
        self.unlink(slot);
        self.push_front(slot);
        Some(node.stale_since)
    }

    /// The database committed a write to `key` at `t`: a held copy that was current is out of
    /// date from now on (one already out of date stays so since its first missed write).
    #[inline]
    pub fn mark_stale(&mut self, key: u32, t: f64) {
        let slot = self.slot_of[key as usize];
        if slot != NIL {
            let n = &mut self.nodes[slot as usize];
            n.stale_since = n.stale_since.min(t);
        }
    }

    /// Store or refresh `key` as the most recently used, evicting the least recently used
    /// key when full. `stale_since` is infinity for a current copy.
    pub fn insert(&mut self, key: u32, now: f64, stale_since: f64) {
        let slot = self.slot_of[key as usize];
        if slot != NIL {
            self.nodes[slot as usize].stored_at = now;
            self.nodes[slot as usize].stale_since = stale_since;
            self.unlink(slot);
            self.push_front(slot);
            return;
        }
        if self.len == self.capacity {
            let victim = self.nodes[self.tail as usize].key;
            self.remove(victim);
        }
        let node = Node {
            key,
            prev: NIL,
            next: NIL,
            stored_at: now,
            stale_since,
        };
        let slot = match self.free.pop() {
            Some(s) => {
                self.nodes[s as usize] = node;
                s
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        };
        self.slot_of[key as usize] = slot;
        self.push_front(slot);
        self.len += 1;
    }

    pub fn remove(&mut self, key: u32) {
        let slot = self.slot_of[key as usize];
        if slot == NIL {
            return;
        }
        self.unlink(slot);
        self.slot_of[key as usize] = NIL;
        self.free.push(slot);
        self.len -= 1;
    }

    pub fn clear(&mut self) {
        let mut at = self.head;
        while at != NIL {
            let node = self.nodes[at as usize];
            self.slot_of[node.key as usize] = NIL;
            at = node.next;
        }
        self.nodes.clear();
        self.free.clear();
        self.head = NIL;
        self.tail = NIL;
        self.len = 0;
    }

    fn unlink(&mut self, slot: u32) {
        let Node { prev, next, .. } = self.nodes[slot as usize];
        if prev == NIL {
            self.head = next;
        } else {
            self.nodes[prev as usize].next = next;
        }
        if next == NIL {
            self.tail = prev;
        } else {
            self.nodes[next as usize].prev = prev;
        }
    }

    fn push_front(&mut self, slot: u32) {
        let old = self.head;
        self.nodes[slot as usize].prev = NIL;
        self.nodes[slot as usize].next = old;
        if old == NIL {
            self.tail = slot;
        } else {
            self.nodes[old as usize].prev = slot;
        }
        self.head = slot;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: f64 = f64::INFINITY;

    #[test]
    fn evicts_the_least_recently_used() {
        let mut c = Lru::new(2, 10);
        c.insert(1, 0.0, F);
        c.insert(2, 0.0, F);
        assert!(c.get(1, 0.0, None).is_some());
        c.insert(3, 0.0, F);
        assert!(c.get(2, 0.0, None).is_none(), "2 was least recently used");
        assert!(c.get(1, 0.0, None).is_some() && c.get(3, 0.0, None).is_some());
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn expired_keys_miss_and_go() {
        let mut c = Lru::new(4, 10);
        c.insert(5, 1.0, F);
        assert!(c.get(5, 1.9, Some(1.0)).is_some());
        assert!(
            c.get(5, 2.0, Some(1.0)).is_none(),
            "expired exactly at stored_at + ttl"
        );
        assert!(c.is_empty());
    }

    #[test]
    fn clear_then_reuse() {
        let mut c = Lru::new(3, 10);
        for k in 0..5 {
            c.insert(k, 0.0, F);
        }
        c.clear();
        assert!(c.is_empty() && c.get(4, 0.0, None).is_none());
        c.insert(4, 0.0, F);
        assert!(c.get(4, 0.0, None).is_some());
    }

    #[test]
    fn a_copy_is_stale_from_its_first_missed_write() {
        let mut c = Lru::new(2, 10);
        c.insert(7, 0.0, F);
        assert_eq!(c.get(7, 1.0, None), Some(F), "current");
        c.mark_stale(7, 2.0);
        c.mark_stale(7, 3.0);
        assert_eq!(
            c.get(7, 4.0, None),
            Some(2.0),
            "the first missed write counts"
        );
        c.mark_stale(8, 2.0);
        assert_eq!(
            c.get(8, 4.0, None),
            None,
            "marking an absent key stores nothing"
        );
        c.insert(7, 5.0, F);
        assert_eq!(c.get(7, 6.0, None), Some(F), "a refill is current again");
    }
}
