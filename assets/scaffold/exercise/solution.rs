//! The reference solution, shown to the student after they pass.

pub struct FixedWindow {
    limit: u32,
    window: u64,
    current: u64,
    count: u32,
}

impl FixedWindow {
    pub fn new(limit: u32, window: u64) -> Self {
        FixedWindow {
            limit,
            window: window.max(1),
            current: 0,
            count: 0,
        }
    }

    pub fn allow(&mut self, now: u64) -> bool {
        let window = now / self.window;
        if window != self.current {
            self.current = window;
            self.count = 0;
        }
        self.count = self.count.saturating_add(1);
        self.count <= self.limit
    }
}
