//! The outline of the built-in course, read from its lessons at build time (see build.rs):
//! what the catalog shows (titles, summaries, objectives, section titles) and what it counts
//! (sections, quizzes, simulations, exercises), without the lessons' text.
//!
//! Parsing and validating the whole course takes several times longer than a terminal
//! program takes to show its first screen. The app draws its catalog from this outline at
//! once and parses the course right after; the student's keys act only on the parsed course.

use super::model::{Lesson, Quiz, QuizKind, Section, VisualizationRef};
use super::{Course, CourseSource, LessonEntry};

pub(crate) struct OutlineLesson {
    path: &'static str,
    id: &'static str,
    chapter: u32,
    title: &'static str,
    summary: &'static str,
    minutes: u32,
    objectives: &'static [&'static str],
    sections: &'static [OutlineSection],
    quizzes: &'static [OutlineQuiz],
}

pub(crate) struct OutlineSection {
    id: &'static str,
    title: &'static str,
    /// Indices into the lesson's quizzes.
    quizzes: &'static [usize],
    /// The simulation's kind and seed.
    visualization: Option<(&'static str, u64)>,
    exercise: Option<&'static str>,
    challenge: Option<&'static str>,
    sql_console: Option<&'static str>,
}

pub(crate) struct OutlineQuiz {
    id: &'static str,
    /// The TOML `type`.
    kind: &'static str,
}

/// `None` when build.rs could not read a lesson (it said why, as a build warning).
static OUTLINE: Option<&[OutlineLesson]> = include!(concat!(env!("OUT_DIR"), "/course_outline.rs"));

impl Course {
    /// The built-in course as its outline: every lesson with its ids, titles, objectives,
    /// sections and quizzes, but empty bodies, prompts, explanations and choices, and no
    /// simulation parameters. For drawing the catalog before [`Course::load`] finishes;
    /// never for reading a lesson. `None` when the build could not make the outline.
    pub fn outline() -> Option<Course> {
        let lessons = OUTLINE?
            .iter()
            .map(|l| LessonEntry::Ready(Box::new(l.lesson())))
            .collect();
        Some(Course {
            pack: super::pack::load(&CourseSource::Embedded).pack,
            source: CourseSource::Embedded,
            lessons,
            problems: Vec::new(),
            warnings: Vec::new(),
        })
    }
}

impl OutlineLesson {
    fn lesson(&self) -> Lesson {
        let owned = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Lesson {
            id: self.id.into(),
            chapter: self.chapter,
            title: self.title.into(),
            summary: self.summary.into(),
            minutes: self.minutes,
            objectives: owned(self.objectives),
            sections: self
                .sections
                .iter()
                .map(|s| Section {
                    id: s.id.into(),
                    title: s.title.into(),
                    body: String::new(),
                    quizzes: s.quizzes.to_vec(),
                    visualization: s.visualization.map(|(kind, seed)| VisualizationRef {
                        kind: kind.into(),
                        seed,
                        params: Vec::new(),
                    }),
                    exercise: s.exercise.map(Into::into),
                    challenge: s.challenge.map(Into::into),
                    sql_console: s.sql_console.map(Into::into),
                })
                .collect(),
            quizzes: self
                .quizzes
                .iter()
                .map(|q| Quiz {
                    id: q.id.into(),
                    prompt: String::new(),
                    explanation: String::new(),
                    hint: None,
                    kind: match q.kind {
                        "multiple" => QuizKind::Multiple {
                            choices: Vec::new(),
                            answers: Vec::new(),
                        },
                        "numeric" => QuizKind::Numeric {
                            answer: 0.0,
                            tolerance: 0.0,
                            unit: None,
                        },
                        "ordering" => QuizKind::Ordering { items: Vec::new() },
                        _ => QuizKind::Single {
                            choices: Vec::new(),
                            answer: 0,
                        },
                    },
                    estimate: None,
                })
                .collect(),
            path: self.path.into(),
        }
    }
}
