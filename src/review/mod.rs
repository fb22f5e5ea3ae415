//! The review queue: every answered quiz is a card scheduled by FSRS (the `rs-fsrs` crate).
//! A wrong answer brings the card back soon, a right one later, and later again after each
//! further right answer.
//!
//! Times are Unix seconds passed in by the caller (`Clock`), never read here, so the
//! schedule is reproducible in tests. No terminal code: the TUI and `sysdesign review` both
//! read the queue from here.

mod card;
mod clock;
mod queue;

pub use card::ReviewCard;
pub use clock::Clock;
pub use queue::{DueCard, Summary, due_cards, summary};
