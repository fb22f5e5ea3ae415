//! Least-connections load balancing: the reference solution.

use sysdesign_support::contract::{Backend, Balancer};

pub struct LeastConnections {
    weighted: bool,
    /// Where the scan starts, so ties go to each backend in turn.
    next: usize,
}

impl LeastConnections {
    pub fn new() -> Self {
        LeastConnections {
            weighted: false,
            next: 0,
        }
    }

    pub fn weighted() -> Self {
        LeastConnections {
            weighted: true,
            next: 0,
        }
    }

    /// True when `a` carries strictly less load than `b`.
    fn lighter(&self, a: &Backend, b: &Backend) -> bool {
        if self.weighted {
            // a.active / a.weight < b.active / b.weight, exactly and without overflow.
            u64::from(a.active) * u64::from(b.weight.max(1))
                < u64::from(b.active) * u64::from(a.weight.max(1))
        } else {
            a.active < b.active
        }
    }
}

impl Default for LeastConnections {
    fn default() -> Self {
        Self::new()
    }
}

impl Balancer for LeastConnections {
    fn pick(&mut self, _client: u32, backends: &[Backend]) -> Option<usize> {
        let len = backends.len();
        let start = self.next % len.max(1);
        let mut best: Option<usize> = None;
        for offset in 0..len {
            let i = (start + offset) % len;
            if !backends[i].healthy {
                continue;
            }
            match best {
                Some(b) if !self.lighter(&backends[i], &backends[b]) => {}
                _ => best = Some(i),
            }
        }
        let index = best?;
        self.next = index + 1;
        Some(index)
    }
}
