//! The validated course: what the TUI and the CLI read. Built only by the loader.

use crate::sim::ParamValue;

#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    pub id: String,
    pub chapter: u32,
    pub title: String,
    pub summary: String,
    pub minutes: u32,
    pub objectives: Vec<String>,
    pub sections: Vec<Section>,
    pub quizzes: Vec<Quiz>,
    /// The file it came from, as the author knows it.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// Indices into `Lesson::quizzes`, in the order the section lists them.
    pub quizzes: Vec<usize>,
    pub visualization: Option<VisualizationRef>,
    pub exercise: Option<String>,
    /// A design-lab challenge id (see `challenges/`).
    pub challenge: Option<String>,
    /// The dataset of the SQL console this section offers (`S` in the reader opens it).
    pub sql_console: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VisualizationRef {
    pub kind: String,
    pub seed: u64,
    pub params: Vec<(String, ParamValue)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Quiz {
    pub id: String,
    /// Markdown.
    pub prompt: String,
    /// Markdown: why the right answer is right.
    pub explanation: String,
    /// Markdown: a nudge shown after the first wrong answer, before the explanation.
    pub hint: Option<String>,
    pub kind: QuizKind,
    /// A numeric quiz with numbers drawn afresh on every attempt (`formula` and `params`
    /// in the TOML). Its `QuizKind::Numeric` answer is the one at every parameter's minimum.
    pub estimate: Option<crate::estimate::Estimate>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuizKind {
    /// `answer` is 0-based here (1-based in the TOML).
    Single { choices: Vec<String>, answer: usize },
    /// `answers` are 0-based and sorted.
    Multiple {
        choices: Vec<String>,
        answers: Vec<usize>,
    },
    Numeric {
        answer: f64,
        tolerance: f64,
        unit: Option<String>,
    },
    /// `items` in the right order.
    Ordering { items: Vec<String> },
}

impl QuizKind {
    pub fn name(&self) -> &'static str {
        match self {
            QuizKind::Single { .. } => "single",
            QuizKind::Multiple { .. } => "multiple",
            QuizKind::Numeric { .. } => "numeric",
            QuizKind::Ordering { .. } => "ordering",
        }
    }
}

impl Lesson {
    pub fn word_count(&self) -> usize {
        self.sections
            .iter()
            .map(|s| s.body.split_whitespace().count())
            .sum()
    }
    pub fn visualization_count(&self) -> usize {
        self.sections
            .iter()
            .filter(|s| s.visualization.is_some())
            .count()
    }
    pub fn exercise_ids(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().filter_map(|s| s.exercise.as_deref())
    }
    /// The design challenges its sections link, in order.
    pub fn challenge_ids(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().filter_map(|s| s.challenge.as_deref())
    }
    /// True when a section offers the SQL console.
    pub fn has_sql_console(&self) -> bool {
        self.sections.iter().any(|s| s.sql_console.is_some())
    }
    pub fn section_index(&self, id: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.id == id)
    }
}
