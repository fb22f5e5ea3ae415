//! The recent write history of one database, per key: enough to answer "when was the first
//! write to key k committed after time x?" for the copy a cache is about to store.
//!
//! A cache fills with data the database served a little earlier: the answer travelled back
//! through services, or came from a replica that lags the primary. A write committed in that
//! gap makes the new copy out of date before it is even stored, and its staleness runs from
//! that write. Commits go into a ring shared by all keys, each linked to the previous commit
//! of the same key, so the question costs one step per commit of that key inside the gap and
//! no hashing. The ring keeps the last `RING` commits of the database; a gap spanning more
//! (only a pathological design holds an answer that long) reports the oldest commit still
//! remembered, which understates the staleness of that one copy.

const RING: usize = 1 << 16;

#[derive(Debug, Clone)]
pub struct CommitLog {
    /// Per key: 1 + the sequence number of its latest commit; 0 before the first.
    last: Vec<u64>,
    /// (commit time, 1 + the sequence number of the same key's previous commit), at
    /// `sequence % RING`. Grows to `RING` entries, then wraps.
    ring: Vec<(f64, u64)>,
    /// Commits so far.
    total: u64,
}

impl CommitLog {
    pub fn new(keys: u32) -> CommitLog {
        CommitLog {
            last: vec![0; keys as usize],
            ring: Vec::new(),
            total: 0,
        }
    }

    /// A write to `key` committed at `t` (never earlier than the previous commit).
    pub fn commit(&mut self, key: u32, t: f64) {
        let entry = (t, self.last[key as usize]);
        let at = (self.total % RING as u64) as usize;
        if at == self.ring.len() {
            self.ring.push(entry);
        } else {
            self.ring[at] = entry;
        }
        self.total += 1;
        self.last[key as usize] = self.total;
    }

    /// The time of the earliest commit to `key` strictly after `x`, if any.
    pub fn first_after(&self, key: u32, x: f64) -> Option<f64> {
        let oldest_kept = self.total.saturating_sub(RING as u64);
        let mut link = self.last[key as usize];
        let mut found = None;
        // Links are 1-based; a link at or below `oldest_kept` points at an overwritten slot.
        while link > oldest_kept {
            let (t, prev) = self.ring[((link - 1) % RING as u64) as usize];
            if t <= x {
                break;
            }
            found = Some(t);
            link = prev;
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_commit_after_a_time() {
        let mut log = CommitLog::new(4);
        log.commit(1, 1.0);
        log.commit(2, 1.5);
        log.commit(1, 2.0);
        log.commit(1, 3.0);
        assert_eq!(log.first_after(1, 0.5), Some(1.0));
        assert_eq!(log.first_after(1, 1.0), Some(2.0), "strictly after");
        assert_eq!(log.first_after(1, 2.5), Some(3.0));
        assert_eq!(log.first_after(1, 3.0), None);
        assert_eq!(log.first_after(2, 0.0), Some(1.5));
        assert_eq!(log.first_after(3, 0.0), None, "never written");
    }

    #[test]
    fn survives_wrapping_the_ring() {
        let mut log = CommitLog::new(3);
        for i in 0..(3 * RING as u64) {
            log.commit((i % 2) as u32, i as f64);
        }
        let last = (3 * RING as u64 - 1) as f64;
        assert_eq!(log.first_after(1, last - 10.0), Some(last - 8.0));
        assert_eq!(log.first_after(0, last - 10.0), Some(last - 9.0));
        // Older than the ring remembers: the oldest remembered commit of the key.
        let oldest = (2 * RING) as f64;
        assert_eq!(log.first_after(0, 0.0), Some(oldest));
        assert_eq!(log.first_after(1, 0.0), Some(oldest + 1.0));
    }
}
