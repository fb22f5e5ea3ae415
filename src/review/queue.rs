//! Which cards are due, mixed across chapters, and when the next one comes.

use serde::Serialize;

use crate::course::Course;
use crate::progress::Progress;

/// A quiz due for review, with where it lives in the course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCard {
    pub lesson: String,
    pub chapter: u32,
    /// Index into the lesson's quizzes.
    pub quiz: usize,
    /// Index of the section that embeds the quiz, to link back to.
    pub section: usize,
    pub due: i64,
}

/// What `sysdesign review` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Cards in the queue (answered quizzes still in the course).
    pub cards: usize,
    /// Cards due now.
    pub due: usize,
    /// When the next card not yet due comes due, Unix seconds.
    pub next_due: Option<i64>,
}

/// Every card due at `now`, mixed across chapters: chapters take turns, each giving its
/// most overdue card first, so one long chapter does not fill the start of the session.
/// Cards of quizzes no longer in the course are left out.
pub fn due_cards(course: &Course, progress: &Progress, now: i64) -> Vec<DueCard> {
    let mut by_lesson: Vec<Vec<DueCard>> = Vec::new();
    for lesson in course.ready() {
        let Some(record) = progress.lesson(&lesson.id) else {
            continue;
        };
        let mut due: Vec<DueCard> = lesson
            .quizzes
            .iter()
            .enumerate()
            .filter_map(|(qi, quiz)| {
                let card = record.quizzes.get(&quiz.id)?.card.as_ref()?;
                if !card.is_due(now) {
                    return None;
                }
                let section = lesson
                    .sections
                    .iter()
                    .position(|s| s.quizzes.contains(&qi))?;
                Some(DueCard {
                    lesson: lesson.id.clone(),
                    chapter: lesson.chapter,
                    quiz: qi,
                    section,
                    due: card.due,
                })
            })
            .collect();
        due.sort_by_key(|c| (c.due, c.quiz));
        if !due.is_empty() {
            by_lesson.push(due);
        }
    }
    by_lesson.sort_by_key(|cards| (cards[0].due, cards[0].chapter));
    let mut out = Vec::new();
    let mut round = 0;
    loop {
        let before = out.len();
        out.extend(
            by_lesson
                .iter()
                .filter_map(|cards| cards.get(round).cloned()),
        );
        if out.len() == before {
            return out;
        }
        round += 1;
    }
}

pub fn summary(course: &Course, progress: &Progress, now: i64) -> Summary {
    let mut cards = 0;
    let mut due = 0;
    let mut next_due: Option<i64> = None;
    for lesson in course.ready() {
        let Some(record) = progress.lesson(&lesson.id) else {
            continue;
        };
        for quiz in &lesson.quizzes {
            let Some(card) = record.quizzes.get(&quiz.id).and_then(|r| r.card.as_ref()) else {
                continue;
            };
            cards += 1;
            if card.is_due(now) {
                due += 1;
            } else {
                next_due = Some(next_due.map_or(card.due, |n| n.min(card.due)));
            }
        }
    }
    Summary {
        cards,
        due,
        next_due,
    }
}
