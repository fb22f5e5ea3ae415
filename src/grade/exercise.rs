//! One code exercise, as loaded from `exercises/<id>/`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub const NAMES: &'static [&'static str] = &["easy", "medium", "hard"];

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "easy" => Some(Difficulty::Easy),
            "medium" => Some(Difficulty::Medium),
            "hard" => Some(Difficulty::Hard),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

/// The contract trait from `sysdesign_support::contract` the starter implements, when the
/// student's code can also drive the lesson's visualization (see `src/grade/live`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LiveTrait {
    Balancer,
    TtlCache,
    SagaOrchestrator,
}

impl LiveTrait {
    pub const NAMES: &'static [&'static str] = &["balancer", "ttl-cache", "saga-orchestrator"];

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "balancer" => Some(LiveTrait::Balancer),
            "ttl-cache" => Some(LiveTrait::TtlCache),
            "saga-orchestrator" => Some(LiveTrait::SagaOrchestrator),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LiveTrait::Balancer => "balancer",
            LiveTrait::TtlCache => "ttl-cache",
            LiveTrait::SagaOrchestrator => "saga-orchestrator",
        }
    }
}

/// What the student writes, and so how it is graded.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ExerciseKind {
    /// Rust, graded by a compiled harness (`harness.rs`).
    #[default]
    Rust,
    /// One SQL query, compared with the reference on the visible and hidden datasets.
    SqlQuery,
    /// DDL, graded by probes that must be accepted or rejected.
    SqlSchema,
    /// Indexes, graded on the plans of given queries.
    SqlIndex,
}

impl ExerciseKind {
    pub const NAMES: &'static [&'static str] = &["rust", "sql-query", "sql-schema", "sql-index"];

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "rust" => Some(ExerciseKind::Rust),
            "sql-query" => Some(ExerciseKind::SqlQuery),
            "sql-schema" => Some(ExerciseKind::SqlSchema),
            "sql-index" => Some(ExerciseKind::SqlIndex),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn is_sql(self) -> bool {
        self != ExerciseKind::Rust
    }

    /// The language of the student's file: its extension and its Markdown fence.
    pub fn language(self) -> &'static str {
        if self.is_sql() { "sql" } else { "rust" }
    }

    /// The files of an exercise folder of this kind.
    pub fn files(self) -> &'static [&'static str] {
        if self.is_sql() {
            &[
                "exercise.toml",
                "starter.sql",
                "solution.sql",
                "checks.toml",
            ]
        } else {
            &["exercise.toml", "starter.rs", "solution.rs", "harness.rs"]
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exercise {
    /// Stable id: the folder name, used in progress files and on the command line.
    pub id: String,
    pub title: String,
    /// The id of the lesson that links to this exercise.
    pub lesson: String,
    pub difficulty: Difficulty,
    /// The task, in Markdown.
    pub description: String,
    /// Revealed one at a time.
    pub hints: Vec<String>,
    /// Set when the student's implementation can drive a visualization.
    pub live: Option<LiveTrait>,
    /// What the student starts from; also what a reset restores.
    pub starter: String,
    /// The reference solution, shown after passing. For a SQL query it is also the
    /// reference the student's result is compared with.
    pub solution: String,
    /// The authoritative checks, never shown to the student: `harness.rs`, compiled with the
    /// student's file, or for SQL exercises `checks.toml`.
    pub harness: String,
    pub kind: ExerciseKind,
}
