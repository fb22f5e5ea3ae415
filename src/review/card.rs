//! One quiz's review card as progress files hold it, and its next schedule.
//!
//! The fields mirror `rs_fsrs::Card`, with times as Unix seconds, so the file format is ours
//! and does not change if the crate's own serialisation does.

use chrono::{DateTime, Utc};
use rs_fsrs::{Card, FSRS, Parameters, Rating, State};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewCard {
    /// When the card is next due, Unix seconds.
    pub due: i64,
    /// When it was last answered, Unix seconds.
    pub last_review: i64,
    pub stability: f64,
    pub difficulty: f64,
    /// Days between the last two reviews, and days until the next (FSRS bookkeeping).
    pub elapsed_days: i64,
    pub scheduled_days: i64,
    pub reps: i32,
    pub lapses: i32,
    /// FSRS state: 0 new, 1 learning, 2 review, 3 relearning.
    pub state: u8,
}

impl ReviewCard {
    /// The card after an answer at `now`: rated Good when right, Again when wrong. `previous`
    /// is `None` for a quiz never scheduled before.
    pub fn answered(previous: Option<&ReviewCard>, correct: bool, now: i64) -> ReviewCard {
        let now_utc = utc(now);
        let card = previous.map_or_else(
            || Card {
                due: now_utc,
                last_review: now_utc,
                ..Card::default()
            },
            ReviewCard::to_fsrs,
        );
        let rating = if correct { Rating::Good } else { Rating::Again };
        // Defaults: no fuzz, so the same answers at the same times give the same schedule.
        let next = FSRS::new(Parameters::default()).next(card, now_utc, rating);
        ReviewCard::from_fsrs(&next.card)
    }

    /// Seconds from the last answer to the due time.
    pub fn interval(&self) -> i64 {
        self.due - self.last_review
    }

    pub fn is_due(&self, now: i64) -> bool {
        self.due <= now
    }

    fn to_fsrs(&self) -> Card {
        Card {
            due: utc(self.due),
            last_review: utc(self.last_review),
            stability: self.stability,
            difficulty: self.difficulty,
            elapsed_days: self.elapsed_days,
            scheduled_days: self.scheduled_days,
            reps: self.reps,
            lapses: self.lapses,
            state: match self.state {
                1 => State::Learning,
                2 => State::Review,
                3 => State::Relearning,
                _ => State::New,
            },
        }
    }

    fn from_fsrs(card: &Card) -> ReviewCard {
        ReviewCard {
            due: card.due.timestamp(),
            last_review: card.last_review.timestamp(),
            stability: card.stability,
            difficulty: card.difficulty,
            elapsed_days: card.elapsed_days,
            scheduled_days: card.scheduled_days,
            reps: card.reps,
            lapses: card.lapses,
            state: card.state as u8,
        }
    }
}

/// A Unix time as chrono's, clamped into the range chrono can hold.
fn utc(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}
