//! One change to the student's progress. The app records changes as they happen and applies
//! them to the latest file when it saves, so what another writer saved meanwhile (a pass from
//! `sysdesign grade`) is kept, never overwritten by a stale copy.

use crate::grade::quiz::Answer;
use crate::review::ReviewCard;

use super::{Progress, QuizRecord};

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// These sections of the lesson were read (added to those read before).
    SectionsRead {
        lesson: String,
        sections: Vec<String>,
    },
    /// The section at the top of the reader, to resume at.
    Position {
        lesson: String,
        section: Option<String>,
    },
    /// The lesson to reopen on the next start.
    LastLesson(String),
    /// The student submitted an answer to a quiz.
    QuizAnswered {
        lesson: String,
        quiz: String,
        answer: Answer,
        correct: bool,
    },
    /// An exercise was graded.
    ExerciseGraded { exercise: String, passed: bool },
    /// A quiz answer at `at` (Unix seconds) reschedules its review card. Recorded after
    /// the `QuizAnswered` it goes with; the time is taken when the student answers, so
    /// applying it later to the latest file schedules it the same.
    CardReviewed {
        lesson: String,
        quiz: String,
        correct: bool,
        at: i64,
    },
}

impl Change {
    pub fn apply(&self, progress: &mut Progress) {
        match self {
            Change::SectionsRead { lesson, sections } => progress
                .lesson_mut(lesson)
                .sections_read
                .extend(sections.iter().cloned()),
            Change::Position { lesson, section } => {
                progress.lesson_mut(lesson).position = section.clone();
            }
            Change::LastLesson(lesson) => progress.last_lesson = Some(lesson.clone()),
            Change::QuizAnswered {
                lesson,
                quiz,
                answer,
                correct,
            } => {
                let quizzes = &mut progress.lesson_mut(lesson).quizzes;
                let record = QuizRecord::answered(quizzes.get(quiz), answer.clone(), *correct);
                quizzes.insert(quiz.clone(), record);
            }
            Change::ExerciseGraded { exercise, passed } => {
                let record = progress.exercises.entry(exercise.clone()).or_default();
                record.attempts = record.attempts.saturating_add(1);
                record.passed |= passed;
            }
            Change::CardReviewed {
                lesson,
                quiz,
                correct,
                at,
            } => {
                // Without a record (another writer reset progress meanwhile) there is no
                // quiz to schedule.
                if let Some(record) = progress
                    .lessons
                    .get_mut(lesson)
                    .and_then(|l| l.quizzes.get_mut(quiz))
                {
                    let card = ReviewCard::answered(record.card.as_ref(), *correct, *at);
                    record.card = Some(card);
                }
            }
        }
    }

    /// Whether applying this to `progress` would change nothing (an idempotent change that
    /// is already there): such changes need not be saved.
    pub fn is_noop_for(&self, progress: &Progress) -> bool {
        match self {
            Change::SectionsRead { lesson, sections } => progress
                .lesson(lesson)
                .is_some_and(|l| sections.iter().all(|s| l.sections_read.contains(s))),
            Change::Position { lesson, section } => {
                progress.lesson(lesson).map(|l| &l.position) == Some(section)
            }
            Change::LastLesson(lesson) => progress.last_lesson.as_ref() == Some(lesson),
            // Each answer and each grade is an attempt.
            Change::QuizAnswered { .. }
            | Change::ExerciseGraded { .. }
            | Change::CardReviewed { .. } => false,
        }
    }
}
