//! The student's progress: sections read, quiz answers, exercises passed, where they left off.
//!
//! The model lives here; `store` reads and writes `progress.json` (atomically, under a file
//! lock, as a read-merge-write), and `live` is the copy a running app shows, with the changes
//! it has made since it last saved.
//!
//! Compatibility: a field added without a schema version bump must be optional with a serde
//! default, inside `LessonProgress`, `QuizRecord` or `ExerciseProgress` (an older sysdesign
//! ignores unknown fields there). Design-challenge passes are such a field: they live in the
//! records of the lessons that link the challenge (`LessonProgress::challenges`). A change an older sysdesign must not misread bumps
//! `SCHEMA_VERSION`; an older one then keeps the file untouched and runs read-only.

mod change;
mod live;
mod store;
mod where_am_i;

pub use change::{Change, Place};
pub use live::LiveProgress;
pub use store::{Loaded, ProgressStore, SaveError, Saved};
pub use where_am_i::{ChapterStatus, NextUp};

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::grade::quiz::Answer;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub version: u32,
    /// The lesson open when the student last quit, to resume there.
    #[serde(default)]
    pub last_lesson: Option<String>,
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
    #[serde(default)]
    pub exercises: BTreeMap<String, ExerciseProgress>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            version: SCHEMA_VERSION,
            last_lesson: None,
            lessons: BTreeMap::new(),
            exercises: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonProgress {
    #[serde(default)]
    pub sections_read: BTreeSet<String>,
    /// The section at the top of the reader when the student left.
    #[serde(default)]
    pub position: Option<String>,
    /// How far into `position` the top of the reader was (0 = its heading, 1 = its end), so
    /// resuming lands on the same paragraph at any terminal width.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<f64>,
    /// The quiz being answered when the student left (its id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focused_quiz: Option<String>,
    /// The student had hidden the simulation pane.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sim_hidden: bool,
    #[serde(default)]
    pub quizzes: BTreeMap<String, QuizRecord>,
    /// Design challenges this lesson links, by challenge id: graded, and whether any grade
    /// passed. Here rather than beside `exercises` so that an older sysdesign still reads the
    /// file (it rejects unknown top-level fields but ignores them in a lesson).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub challenges: BTreeMap<String, ExerciseProgress>,
}

/// A quiz as the student has answered it.
///
/// The rule: a solved quiz stays solved. Once any answer was right, the quiz counts as right
/// in every tally (the contents, the catalog, `sysdesign progress`), whatever the student
/// tries afterwards; trying other answers after solving it is exploring, not forgetting. The
/// latest attempt is kept beside it, and the reader shows both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "QuizRecordOnDisk")]
pub struct QuizRecord {
    /// The most recent answer submitted.
    pub answer: Answer,
    /// Whether that most recent answer was right.
    pub correct: bool,
    /// Whether any answer so far was right.
    pub solved: bool,
    pub attempts: u32,
    /// The quiz's review schedule (`crate::review`), from the first answer recorded with a
    /// time; files from before the review queue have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<crate::review::ReviewCard>,
}

/// `QuizRecord` as files hold it. Files written before `solved` existed used `correct` for
/// "ever right" (it stayed true after a later wrong answer), so that is what it means there.
#[derive(Deserialize)]
struct QuizRecordOnDisk {
    answer: Answer,
    correct: bool,
    #[serde(default)]
    solved: Option<bool>,
    attempts: u32,
    #[serde(default)]
    card: Option<crate::review::ReviewCard>,
}

impl From<QuizRecordOnDisk> for QuizRecord {
    fn from(d: QuizRecordOnDisk) -> Self {
        QuizRecord {
            answer: d.answer,
            correct: d.correct,
            solved: d.solved.unwrap_or(d.correct),
            attempts: d.attempts,
            card: d.card,
        }
    }
}

impl QuizRecord {
    /// The record after one more submitted answer.
    pub fn answered(previous: Option<&QuizRecord>, answer: Answer, correct: bool) -> QuizRecord {
        QuizRecord {
            answer,
            correct,
            solved: correct || previous.is_some_and(|r| r.solved),
            attempts: previous.map_or(0, |r| r.attempts).saturating_add(1),
            card: previous.and_then(|r| r.card.clone()),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExerciseProgress {
    pub passed: bool,
    #[serde(default)]
    pub attempts: u32,
}

impl Progress {
    pub fn lesson(&self, id: &str) -> Option<&LessonProgress> {
        self.lessons.get(id)
    }
    pub fn lesson_mut(&mut self, id: &str) -> &mut LessonProgress {
        self.lessons.entry(id.to_string()).or_default()
    }
    pub fn exercise_passed(&self, id: &str) -> bool {
        self.exercises.get(id).is_some_and(|e| e.passed)
    }
    /// Whether design challenge `id` was passed (recorded in any lesson that links it).
    pub fn challenge_passed(&self, id: &str) -> bool {
        self.lessons
            .values()
            .any(|l| l.challenges.get(id).is_some_and(|c| c.passed))
    }
    /// Whether quiz `quiz` of lesson `lesson` is solved (see `QuizRecord`).
    pub fn quiz_solved(&self, lesson: &str, quiz: &str) -> bool {
        self.lesson(lesson)
            .and_then(|l| l.quizzes.get(quiz))
            .is_some_and(|r| r.solved)
    }

    /// Totals over every lesson in the file, for `sysdesign progress`.
    pub fn totals(&self) -> Totals {
        let lessons = self.lessons.values();
        Totals {
            sections_read: lessons.clone().map(|l| l.sections_read.len()).sum(),
            quizzes_answered: lessons.clone().map(|l| l.quizzes.len()).sum(),
            quizzes_solved: lessons
                .map(|l| l.quizzes.values().filter(|q| q.solved).count())
                .sum(),
            exercises_passed: self.exercises.values().filter(|e| e.passed).count(),
            challenges_passed: self
                .lessons
                .values()
                .flat_map(|l| l.challenges.iter())
                .filter(|(_, c)| c.passed)
                .map(|(id, _)| id.as_str())
                .collect::<BTreeSet<_>>()
                .len(),
        }
    }

    /// Done and total items of a lesson: sections read, quizzes solved, exercises and
    /// challenges passed.
    pub fn completion(&self, lesson: &crate::course::Lesson) -> (usize, usize) {
        let record = self.lesson(&lesson.id);
        let read = lesson
            .sections
            .iter()
            .filter(|s| record.is_some_and(|r| r.sections_read.contains(&s.id)))
            .count();
        let right = lesson
            .quizzes
            .iter()
            .filter(|q| self.quiz_solved(&lesson.id, &q.id))
            .count();
        let passed = lesson
            .exercise_ids()
            .filter(|e| self.exercise_passed(e))
            .count();
        let designed = lesson
            .challenge_ids()
            .filter(|c| self.challenge_passed(c))
            .count();
        let total = lesson.sections.len()
            + lesson.quizzes.len()
            + lesson.exercise_ids().count()
            + lesson.challenge_ids().count();
        (read + right + passed + designed, total)
    }
}

/// Counts over the whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub sections_read: usize,
    pub quizzes_answered: usize,
    pub quizzes_solved: usize,
    pub exercises_passed: usize,
    pub challenges_passed: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_from_before_solved_read_correct_as_solved() {
        // The shape the first version wrote after "8" (right) then "8,000" (wrong).
        let old =
            r#"{"answer": {"type": "numeric", "value": 8000.0}, "correct": true, "attempts": 2}"#;
        let record: QuizRecord = serde_json::from_str(old).unwrap();
        assert!(record.solved);
        assert_eq!(record.attempts, 2);
    }

    #[test]
    fn right_then_wrong_stays_solved_and_keeps_the_latest_answer() {
        let right = QuizRecord::answered(None, Answer::Numeric { value: 8.0 }, true);
        let wrong = QuizRecord::answered(Some(&right), Answer::Numeric { value: 8000.0 }, false);
        assert_eq!(
            wrong,
            QuizRecord {
                answer: Answer::Numeric { value: 8000.0 },
                correct: false,
                solved: true,
                attempts: 2,
                card: None,
            }
        );
        let json = serde_json::to_string(&wrong).unwrap();
        assert!(json.contains(r#""correct":false"#) && json.contains(r#""solved":true"#));
        assert_eq!(serde_json::from_str::<QuizRecord>(&json).unwrap(), wrong);

        let mut p = Progress::default();
        p.lesson_mut("l").quizzes.insert("q".into(), wrong);
        p.lesson_mut("l").quizzes.insert(
            "never".into(),
            QuizRecord::answered(None, Answer::Single { choice: 0 }, false),
        );
        assert!(p.quiz_solved("l", "q"));
        assert!(!p.quiz_solved("l", "never"));
        let t = p.totals();
        assert_eq!((t.quizzes_answered, t.quizzes_solved), (2, 1));
    }
}
