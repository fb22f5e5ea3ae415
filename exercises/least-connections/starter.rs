//! Least-connections load balancing. Edit this file, then grade it with
//! `sysdesign grade least-connections` (or press `g` in the app).

use sysdesign_support::contract::{Backend, Balancer};

pub struct LeastConnections {
    weighted: bool,
}

impl LeastConnections {
    /// Compares `active` only.
    pub fn new() -> Self {
        LeastConnections { weighted: false }
    }

    /// Compares `active / weight`.
    pub fn weighted() -> Self {
        LeastConnections { weighted: true }
    }
}

impl Default for LeastConnections {
    fn default() -> Self {
        Self::new()
    }
}

impl Balancer for LeastConnections {
    fn pick(&mut self, _client: u32, backends: &[Backend]) -> Option<usize> {
        // Finds the smallest `active`, but looks at servers that are down, always takes the
        // first of several tied backends, and never uses the weights.
        let _ = self.weighted;
        backends
            .iter()
            .enumerate()
            .min_by_key(|(_, b)| b.active)
            .map(|(i, _)| i)
    }
}
