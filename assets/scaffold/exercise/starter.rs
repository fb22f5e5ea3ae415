//! A fixed-window rate limiter. Edit this file, then grade it with `sysdesign grade {{id}}`
//! (or press `g` in the app). It may use `std` and `sysdesign_support::contract` only.

pub struct FixedWindow {
    limit: u32,
    window: u64,
    count: u32,
}

impl FixedWindow {
    pub fn new(limit: u32, window: u64) -> Self {
        FixedWindow {
            limit,
            window,
            count: 0,
        }
    }

    /// Counts requests, but never starts a new window.
    pub fn allow(&mut self, _now: u64) -> bool {
        let _ = self.window;
        self.count += 1;
        self.count <= self.limit
    }
}
