//! Where the student stands: per-chapter counts and the first unfinished section, for
//! `sysdesign progress` and the catalog's "continue" entry.

use crate::course::Lesson;

use super::Progress;

/// One chapter's counts: done and total of each kind of item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChapterStatus {
    pub sections_read: usize,
    pub sections: usize,
    pub quizzes_solved: usize,
    pub quizzes: usize,
    pub exercises_passed: usize,
    pub exercises: usize,
    pub challenges_passed: usize,
    pub challenges: usize,
}

impl ChapterStatus {
    /// Sections read, as a whole percentage rounded down (100 only when all are read).
    pub fn read_percent(&self) -> usize {
        (self.sections_read * 100)
            .checked_div(self.sections)
            .unwrap_or(100)
    }
}

/// The first section with something left to do: unread, a quiz unsolved, or its exercise
/// or design challenge not passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextUp {
    pub lesson: String,
    pub chapter: u32,
    /// 0-based index of the section in its lesson.
    pub section_index: usize,
    pub section: String,
    pub title: String,
}

impl NextUp {
    /// "3.2 Indexing", as the reader numbers sections.
    pub fn label(&self) -> String {
        format!(
            "{}.{} {}",
            self.chapter,
            self.section_index + 1,
            crate::markdown::sanitize(&self.title)
        )
    }
}

impl Progress {
    pub fn chapter_status(&self, lesson: &Lesson) -> ChapterStatus {
        let record = self.lesson(&lesson.id);
        ChapterStatus {
            sections_read: lesson
                .sections
                .iter()
                .filter(|s| record.is_some_and(|r| r.sections_read.contains(&s.id)))
                .count(),
            sections: lesson.sections.len(),
            quizzes_solved: lesson
                .quizzes
                .iter()
                .filter(|q| self.quiz_solved(&lesson.id, &q.id))
                .count(),
            quizzes: lesson.quizzes.len(),
            exercises_passed: lesson
                .exercise_ids()
                .filter(|e| self.exercise_passed(e))
                .count(),
            exercises: lesson.exercise_ids().count(),
            challenges_passed: lesson
                .challenge_ids()
                .filter(|c| self.challenge_passed(c))
                .count(),
            challenges: lesson.challenge_ids().count(),
        }
    }

    /// The first unfinished section of `lessons`, taken in the order given (chapter order);
    /// `None` when everything is done.
    pub fn next_up<'a>(&self, lessons: impl IntoIterator<Item = &'a Lesson>) -> Option<NextUp> {
        for lesson in lessons {
            let record = self.lesson(&lesson.id);
            for (index, section) in lesson.sections.iter().enumerate() {
                let read = record.is_some_and(|r| r.sections_read.contains(&section.id));
                let quizzes_done = section
                    .quizzes
                    .iter()
                    .all(|&q| self.quiz_solved(&lesson.id, &lesson.quizzes[q].id));
                let exercise_done = section
                    .exercise
                    .as_deref()
                    .is_none_or(|e| self.exercise_passed(e));
                let challenge_done = section
                    .challenge
                    .as_deref()
                    .is_none_or(|c| self.challenge_passed(c));
                if !(read && quizzes_done && exercise_done && challenge_done) {
                    return Some(NextUp {
                        lesson: lesson.id.clone(),
                        chapter: lesson.chapter,
                        section_index: index,
                        section: section.id.clone(),
                        title: section.title.clone(),
                    });
                }
            }
        }
        None
    }
}
