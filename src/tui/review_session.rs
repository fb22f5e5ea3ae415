//! A review session: the cards due when it opened, worked through one at a time.

use super::quiz::QuizState;
use crate::course::Course;
use crate::review::DueCard;

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewSession {
    /// The cards due when the session opened, mixed across chapters.
    pub cards: Vec<DueCard>,
    /// Index of the card on screen; `cards.len()` once all are done.
    pub current: usize,
    /// The answer being built for the card on screen; a review starts from a blank answer.
    pub quiz: Option<QuizState>,
    /// Whether the card on screen has been answered once (only the first answer of a card
    /// reschedules it; retries after a hint are practice).
    pub scheduled: bool,
    /// Cards answered, and those right the first time.
    pub answered: usize,
    pub right_first: usize,
    /// Lines scrolled off the top of the card.
    pub scroll: usize,
    /// Mixed into randomized estimates' seeds, so each session draws other numbers.
    pub salt: u64,
}

impl ReviewSession {
    pub fn new(course: &Course, cards: Vec<DueCard>, salt: u64) -> ReviewSession {
        let mut session = ReviewSession {
            cards,
            current: 0,
            quiz: None,
            scheduled: false,
            answered: 0,
            right_first: 0,
            scroll: 0,
            salt,
        };
        session.load(course);
        session
    }

    pub fn card(&self) -> Option<&DueCard> {
        self.cards.get(self.current)
    }

    pub fn done(&self) -> bool {
        self.current >= self.cards.len()
    }

    /// Move on to the next card.
    pub fn next(&mut self, course: &Course) {
        self.current = (self.current + 1).min(self.cards.len());
        self.load(course);
    }

    fn load(&mut self, course: &Course) {
        self.scheduled = false;
        self.scroll = 0;
        self.quiz = self.card().and_then(|c| {
            let quiz = course.find(&c.lesson)?.quizzes.get(c.quiz)?;
            Some(QuizState::with_salt(
                quiz,
                None,
                self.salt ^ self.current as u64,
            ))
        });
    }
}
