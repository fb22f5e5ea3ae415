//! The limits a grading run enforces on the student's code and on the compiler.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// One check may run this long before its process is killed.
    pub per_check: Duration,
    /// All checks of one exercise together.
    pub total: Duration,
    /// The cargo build of the scratch crate.
    pub build: Duration,
    /// Characters of the student's output kept per check.
    pub output_chars: usize,
    /// Address-space cap for the grading process, in bytes (unix only).
    pub memory_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_check: Duration::from_secs(2),
            total: Duration::from_secs(20),
            build: Duration::from_secs(300),
            output_chars: 500,
            memory_bytes: 1 << 30,
        }
    }
}
