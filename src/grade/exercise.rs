//! One code exercise, as loaded from `exercises/<id>/`.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// The contract trait an exercise implements, when the student's code can also run inside a
/// visualization (see [`crate::grade::live`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    /// The reference solution, shown after passing.
    pub solution: String,
    /// The authoritative checks; compiled with the student's file, never shown to them.
    pub harness: String,
}
