//! Where "now" comes from: the system clock in the app, a fixed instant in tests.

/// A source of the current time in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    /// Always this instant: tests and snapshots.
    Fixed(i64),
}

impl Clock {
    pub fn now(self) -> i64 {
        match self {
            Clock::System => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
            Clock::Fixed(t) => t,
        }
    }
}
