//! Round-robin load balancing: the reference solution.

use sysdesign_support::contract::{Backend, Balancer};

pub struct RoundRobin {
    /// Where the search for the next healthy backend starts.
    next: usize,
}

impl RoundRobin {
    pub fn new() -> Self {
        RoundRobin { next: 0 }
    }
}

impl Default for RoundRobin {
    fn default() -> Self {
        Self::new()
    }
}

impl Balancer for RoundRobin {
    fn pick(&mut self, _client: u32, backends: &[Backend]) -> Option<usize> {
        let len = backends.len();
        // The list may have shrunk since the last call.
        let start = self.next % len.max(1);
        let index = (0..len)
            .map(|offset| (start + offset) % len)
            .find(|&i| backends[i].healthy)?;
        self.next = index + 1;
        Some(index)
    }
}
