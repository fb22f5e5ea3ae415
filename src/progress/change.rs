//! One change to the student's progress. The app records changes as they happen and applies
//! them to the latest file when it saves, so what another writer saved meanwhile (a pass from
//! `sysdesign grade`) is kept, never overwritten by a stale copy.

use crate::grade::quiz::Answer;
use crate::review::ReviewCard;

use super::{LessonProgress, Progress, QuizRecord};

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// These sections of the lesson were read (added to those read before).
    SectionsRead {
        lesson: String,
        sections: Vec<String>,
    },
    /// Where the student is in a lesson, to resume at: the section at the top of the reader
    /// and how far into it, the quiz being answered, and whether the pane was hidden.
    Position { lesson: String, place: Place },
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
    /// A design challenge was graded; recorded in each of `lessons` (those that link it).
    ChallengeGraded {
        challenge: String,
        lessons: Vec<String>,
        passed: bool,
    },
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

/// A place in a lesson, as `Change::Position` records it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    pub section: Option<String>,
    /// How far into `section` the top of the reader was (0 = its heading, 1 = its end).
    pub offset: Option<f64>,
    pub focused_quiz: Option<String>,
    pub sim_hidden: bool,
}

impl Place {
    /// The place a lesson's record holds now.
    pub fn of(record: &LessonProgress) -> Place {
        Place {
            section: record.position.clone(),
            offset: record.offset,
            focused_quiz: record.focused_quiz.clone(),
            sim_hidden: record.sim_hidden,
        }
    }
}

impl Change {
    pub fn apply(&self, progress: &mut Progress) {
        match self {
            Change::SectionsRead { lesson, sections } => progress
                .lesson_mut(lesson)
                .sections_read
                .extend(sections.iter().cloned()),
            Change::Position { lesson, place } => {
                let record = progress.lesson_mut(lesson);
                record.position = place.section.clone();
                record.offset = place.offset;
                record.focused_quiz = place.focused_quiz.clone();
                record.sim_hidden = place.sim_hidden;
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
            Change::ChallengeGraded {
                challenge,
                lessons,
                passed,
            } => {
                for lesson in lessons {
                    let record = progress
                        .lesson_mut(lesson)
                        .challenges
                        .entry(challenge.clone())
                        .or_default();
                    record.attempts = record.attempts.saturating_add(1);
                    record.passed |= passed;
                }
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
            Change::Position { lesson, place } => progress
                .lesson(lesson)
                .is_some_and(|l| Place::of(l) == *place),
            Change::LastLesson(lesson) => progress.last_lesson.as_ref() == Some(lesson),
            // Each answer and each grade is an attempt.
            Change::QuizAnswered { .. }
            | Change::ExerciseGraded { .. }
            | Change::ChallengeGraded { .. }
            | Change::CardReviewed { .. } => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_challenge_pass_is_kept_in_each_linking_lesson_and_never_lost() {
        let mut p = Progress::default();
        let graded = |passed| Change::ChallengeGraded {
            challenge: "size-a-tier".into(),
            lessons: vec!["intro".into(), "conclusion".into()],
            passed,
        };
        graded(false).apply(&mut p);
        assert!(!p.challenge_passed("size-a-tier"));
        graded(true).apply(&mut p);
        graded(false).apply(&mut p);
        assert!(p.challenge_passed("size-a-tier"));
        assert_eq!(p.lessons["intro"].challenges["size-a-tier"].attempts, 3);
        assert!(p.lessons["conclusion"].challenges["size-a-tier"].passed);
        // Counted once however many lessons link it.
        assert_eq!(p.totals().challenges_passed, 1);
        // A lesson record without challenges reads as before, and writes nothing new.
        let json = serde_json::to_string(&Progress::default()).unwrap();
        assert!(!json.contains("challenges"));
        let old = r#"{"version": 1, "lessons": {"intro": {"sections_read": ["a"]}}}"#;
        let read: Progress = serde_json::from_str(old).unwrap();
        assert!(read.lessons["intro"].challenges.is_empty());
    }
}
