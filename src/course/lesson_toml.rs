//! A lesson file as serde reads it, and the model's [`Lesson`] built from it.
//!
//! `sysdesign schema lesson` is generated from these types (their doc comments become the
//! schema's descriptions), and the loader builds every [`Lesson`] from a [`LessonFile`]: it
//! first checks the file key by key (`lesson_file.rs`), which is what says where each problem
//! is, then reads the same parsed table into these types. A key the checks accept but these
//! types do not know, or a value of another type, is therefore a load error, so the schema
//! cannot drift from what loads.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::model::{Lesson, Section};
use super::quiz_toml::QuizTable;
use super::visualization_toml::Visualization;

/// Lesson, quiz and section ids: lowercase letters, digits and '-', not starting with '-'.
pub const ID: &str = "^[a-z0-9][a-z0-9-]*$";
/// Exercise, challenge and dataset ids also may not end with '-'.
pub const STRICT_ID: &str = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
/// Required text: at least one character that is not white space.
pub const NOT_BLANK: &str = "\\S";

/// A lesson: `lessons/NN-name.toml`. Files load in name order; `chapter` orders the catalog.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sysdesign lesson")]
pub struct LessonFile {
    /// Lowercase letters, digits and '-'; unique in the course. Used on the command line
    /// (`sysdesign show ID`) and in progress files.
    #[schemars(regex(pattern = ID))]
    pub id: String,
    /// Unique in the course; orders the catalog.
    #[schemars(range(min = 1, max = 99))]
    pub chapter: u32,
    /// Shown in the catalog and the reader's header.
    #[schemars(regex(pattern = NOT_BLANK))]
    pub title: String,
    /// One sentence for the catalog.
    #[schemars(regex(pattern = NOT_BLANK))]
    pub summary: String,
    /// Reading time in minutes.
    #[schemars(range(min = 1, max = 600))]
    pub minutes: u32,
    /// What the student will be able to do; at least one.
    #[schemars(length(min = 1))]
    pub objectives: Vec<String>,
    /// The sections, in reading order: `[[section]]` tables; at least one.
    #[schemars(length(min = 1))]
    pub section: Vec<SectionTable>,
    /// Quizzes: `[[quiz]]` tables, each embedded in exactly one section's `quizzes`.
    #[serde(default)]
    pub quiz: Vec<QuizTable>,
}

/// One `[[section]]` of a lesson.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionTable {
    /// Unique in the lesson; lowercase letters, digits and '-'.
    #[schemars(regex(pattern = ID))]
    pub id: String,
    #[schemars(regex(pattern = NOT_BLANK))]
    pub title: String,
    /// Markdown (CommonMark with tables; fenced code is highlighted).
    #[schemars(regex(pattern = NOT_BLANK))]
    pub body: String,
    /// Ids of this file's `[[quiz]]` tables, shown after the body in this order.
    #[serde(default)]
    pub quizzes: Vec<String>,
    /// A live simulation beside the text.
    #[serde(default)]
    pub visualization: Option<Visualization>,
    /// The id of a code exercise (a folder under `exercises/`).
    #[serde(default)]
    #[schemars(regex(pattern = STRICT_ID))]
    pub exercise: Option<String>,
    /// The id of a design challenge (a folder under `challenges/`).
    #[serde(default)]
    #[schemars(regex(pattern = STRICT_ID))]
    pub challenge: Option<String>,
    /// A SQL console on this dataset (`shop` or `clicks`): `S` in the reader opens it.
    #[serde(default)]
    #[schemars(regex(pattern = STRICT_ID))]
    pub sql_console: Option<String>,
}

impl LessonFile {
    /// The model, for the file at `path`. The checks have already reported every problem
    /// with its location, so an error here means they and this reading disagree.
    pub fn into_lesson(self, path: &str) -> Result<Lesson, String> {
        // A map, not a search per reference: a hostile file may hold tens of thousands.
        let index: HashMap<&str, usize> = self
            .quiz
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id(), i))
            .collect();
        let sections = self
            .section
            .into_iter()
            .map(|s| s.into_section(&index))
            .collect::<Result<Vec<_>, _>>()?;
        let quizzes = self
            .quiz
            .into_iter()
            .map(QuizTable::into_quiz)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Lesson {
            id: self.id,
            chapter: self.chapter,
            title: self.title,
            summary: self.summary,
            minutes: self.minutes,
            objectives: self.objectives,
            sections,
            quizzes,
            path: path.to_string(),
        })
    }
}

impl SectionTable {
    /// The model's section; `quiz_index` maps each quiz id to its place in the lesson.
    fn into_section(self, quiz_index: &HashMap<&str, usize>) -> Result<Section, String> {
        let quizzes = self
            .quizzes
            .iter()
            .map(|id| {
                quiz_index.get(id.as_str()).copied().ok_or_else(|| {
                    format!(
                        "section `{}` embeds quiz `{id}`, which is not defined",
                        self.id
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Section {
            quizzes,
            visualization: self
                .visualization
                .map(Visualization::into_model)
                .transpose()?,
            id: self.id,
            title: self.title,
            body: self.body,
            exercise: self.exercise,
            challenge: self.challenge,
            sql_console: self.sql_console,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LESSON: &str = r#"
id = "probe"
chapter = 3
title = "Probe"
summary = "S"
minutes = 5
objectives = ["O"]

[[section]]
id = "one"
title = "One"
body = "Text."
quizzes = ["b", "a"]
exercise = "some-exercise"

[[section]]
id = "two"
title = "Two"
body = "More."
sql_console = "shop"

[[quiz]]
id = "a"
type = "ordering"
prompt = "P"
items = ["x", "y"]
explanation = "E"

[[quiz]]
id = "b"
type = "ordering"
prompt = "P"
items = ["y", "x"]
explanation = "E"
"#;

    #[test]
    fn sections_point_at_their_quizzes_in_the_order_they_list_them() {
        let file: LessonFile = toml::from_str(LESSON).unwrap();
        let lesson = file.into_lesson("lessons/03-probe.toml").unwrap();
        assert_eq!(lesson.path, "lessons/03-probe.toml");
        assert_eq!((lesson.chapter, lesson.minutes), (3, 5));
        assert_eq!(lesson.sections[0].quizzes, [1, 0]);
        assert_eq!(lesson.quizzes[1].id, "b");
        assert_eq!(
            lesson.sections[0].exercise.as_deref(),
            Some("some-exercise")
        );
        assert_eq!(lesson.sections[1].sql_console.as_deref(), Some("shop"));
        assert!(lesson.sections[1].quizzes.is_empty());
    }

    #[test]
    fn a_reference_to_no_quiz_is_an_error_not_a_panic() {
        let text = LESSON.replace("[\"b\", \"a\"]", "[\"b\", \"zzz\"]");
        let file: LessonFile = toml::from_str(&text).unwrap();
        let message = file.into_lesson("p.toml").unwrap_err();
        assert!(message.contains("`zzz`"), "{message}");
    }
}
