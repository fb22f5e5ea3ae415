//! `sysdesign schema lesson|exercise|course`: JSON Schemas of the three file formats, for
//! editor completion and inline errors (Taplo, VS Code's Even Better TOML).
//!
//! The exercise and course schemas are generated from the loaders' own types:
//! [`crate::grade::ExerciseFile`], which the exercise loader reads exercise.toml into, and
//! [`crate::course::pack::CoursePack`], which the course.toml loader builds. The lesson
//! loader reads its TOML field by field to report every problem with its location and has
//! no serde type to derive from, so the lesson's shape is described here; `tests/packs_schema.rs`
//! keeps it from drifting: every shipped file deserializes into it and validates against the
//! schema, the keys each table accepts are exactly the keys the loader accepts, and an
//! unknown key is rejected by both. The visualization part is generated from the simulation
//! registry the loader checks against.

use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings, json_schema};
use serde::Deserialize;

/// Lesson, quiz and section ids: lowercase letters, digits and '-', not starting with '-'.
const ID: &str = "^[a-z0-9][a-z0-9-]*$";
/// Exercise ids also may not end with '-'.
const STRICT_ID: &str = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
/// Required text: at least one character that is not white space.
const NOT_BLANK: &str = "\\S";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaFile {
    /// lessons/NN-name.toml
    Lesson,
    /// exercises/ID/exercise.toml
    Exercise,
    /// course.toml at the root of a course directory
    Course,
}

pub fn run(file: SchemaFile) -> i32 {
    let text = serde_json::to_string_pretty(&schema(file)).expect("a schema serialises");
    println!("{text}");
    0
}

/// The schema of one kind of file, as JSON (draft 7, which Taplo understands).
pub fn schema(file: SchemaFile) -> serde_json::Value {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = match file {
        SchemaFile::Lesson => generator.into_root_schema_for::<LessonFile>(),
        SchemaFile::Exercise => generator.into_root_schema_for::<crate::grade::ExerciseFile>(),
        SchemaFile::Course => generator.into_root_schema_for::<crate::course::pack::CoursePack>(),
    };
    let mut value = schema.to_value();
    without_null(&mut value);
    value
}

/// TOML has no null: an optional key is one that may be left out, so the `null` that
/// schemars adds for `Option` fields (and their `default: null`) is taken out again.
fn without_null(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(alternatives)) = map.get_mut("anyOf") {
                alternatives.retain(|a| a.get("type").is_none_or(|t| t != "null"));
                if alternatives.len() == 1 {
                    let only = alternatives.remove(0);
                    map.remove("anyOf");
                    if let Value::Object(inner) = only {
                        for (k, v) in inner {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
            }
            map.values_mut().for_each(without_null);
        }
        Value::Array(items) => items.iter_mut().for_each(without_null),
        _ => {}
    }
}

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

/// `visualization = { kind = "...", seed = 42, params = { ... } }`: which simulation runs
/// beside the section, and its settings. The kinds and their parameters come from the
/// simulation registry (`sysdesign sim --list`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visualization {
    pub kind: String,
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub params: BTreeMap<String, toml::Value>,
}

impl JsonSchema for Visualization {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Visualization".into()
    }

    /// One alternative per simulation kind, each listing exactly the parameters that kind takes.
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let kinds: Vec<serde_json::Value> = crate::sim::kinds()
            .iter()
            .map(|kind| {
                let params: serde_json::Map<String, serde_json::Value> = kind
                    .params
                    .iter()
                    .map(|p| {
                        let mut schema = param_schema(&p.kind);
                        schema.insert(
                            "description".into(),
                            format!("{} (default {})", p.help, p.default).into(),
                        );
                        (p.key.to_string(), serde_json::Value::Object(schema))
                    })
                    .collect();
                serde_json::json!({
                    "type": "object",
                    "description": format!("{}: {}", kind.title, kind.description),
                    "properties": {
                        "kind": { "const": kind.name },
                        "seed": {
                            "description": "Seed of the simulated workload; the same seed gives the same run (default 42).",
                            "type": "integer",
                            "minimum": 0
                        },
                        "params": {
                            "type": "object",
                            "properties": params,
                            "additionalProperties": false
                        }
                    },
                    "required": ["kind"],
                    "additionalProperties": false
                })
            })
            .collect();
        let names: Vec<&str> = crate::sim::kinds().iter().map(|k| k.name).collect();
        json_schema!({
            "description": "A live simulation beside the text (see `sysdesign sim --list`).",
            "type": "object",
            "properties": { "kind": { "enum": names } },
            "required": ["kind"],
            "oneOf": kinds
        })
    }
}

fn param_schema(kind: &crate::sim::ParamKind) -> serde_json::Map<String, serde_json::Value> {
    use crate::sim::ParamKind;
    let value = match kind {
        ParamKind::Int { min, max } => {
            serde_json::json!({ "type": "integer", "minimum": min, "maximum": max })
        }
        ParamKind::Float { min, max } => {
            serde_json::json!({ "type": "number", "minimum": min, "maximum": max })
        }
        ParamKind::Bool => serde_json::json!({ "type": "boolean" }),
        ParamKind::Choice(choices) => serde_json::json!({ "type": "string", "enum": choices }),
    };
    match value {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// One parameter of a randomized estimate: `{ min, max, step, label }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EstimateParam {
    pub min: f64,
    pub max: f64,
    /// Draws are multiples of `step` from `min`.
    #[serde(default)]
    pub step: Option<f64>,
    /// What the number is, shown in the quiz's "Given" line.
    #[schemars(regex(pattern = NOT_BLANK))]
    pub label: String,
}

/// One `[[quiz]]`; `type` decides which keys it takes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum QuizTable {
    /// One right choice among 2 to 9.
    Single {
        #[schemars(regex(pattern = ID))]
        id: String,
        /// Markdown.
        #[schemars(regex(pattern = NOT_BLANK))]
        prompt: String,
        /// Markdown: why the right answer is right. Shown after answering.
        #[schemars(regex(pattern = NOT_BLANK))]
        explanation: String,
        /// Markdown: shown after a first wrong answer, before the student retries.
        #[serde(default)]
        #[schemars(regex(pattern = NOT_BLANK))]
        hint: Option<String>,
        /// 2 to 9 choices.
        #[schemars(length(min = 2, max = 9))]
        choices: Vec<String>,
        /// The right choice, counting from 1.
        #[schemars(range(min = 1, max = 9))]
        answer: u32,
    },
    /// Several right choices among 2 to 9.
    Multiple {
        #[schemars(regex(pattern = ID))]
        id: String,
        /// Markdown.
        #[schemars(regex(pattern = NOT_BLANK))]
        prompt: String,
        /// Markdown: why the right answers are right.
        #[schemars(regex(pattern = NOT_BLANK))]
        explanation: String,
        /// Markdown: shown after a first wrong answer, before the student retries.
        #[serde(default)]
        #[schemars(regex(pattern = NOT_BLANK))]
        hint: Option<String>,
        /// 2 to 9 choices.
        #[schemars(length(min = 2, max = 9))]
        choices: Vec<String>,
        /// The right choices, counting from 1; each once.
        #[schemars(length(min = 1), inner(range(min = 1, max = 9)))]
        answers: Vec<u32>,
    },
    /// A number, right within a tolerance.
    Numeric {
        #[schemars(regex(pattern = ID))]
        id: String,
        /// Markdown.
        #[schemars(regex(pattern = NOT_BLANK))]
        prompt: String,
        /// Markdown: how to get the number.
        #[schemars(regex(pattern = NOT_BLANK))]
        explanation: String,
        /// Markdown: shown after a first wrong answer, before the student retries.
        #[serde(default)]
        #[schemars(regex(pattern = NOT_BLANK))]
        hint: Option<String>,
        /// The right number. A randomized estimate gives `formula` instead.
        #[serde(default)]
        answer: Option<f64>,
        /// Accepted distance from `answer` (absolute), zero or more.
        #[serde(default)]
        #[schemars(range(min = 0))]
        tolerance: Option<f64>,
        /// A randomized estimate: the answer as a formula (`+ - * / ^`, parentheses) of
        /// `params`, drawn anew for every attempt and review.
        #[serde(default)]
        formula: Option<String>,
        /// The parameters the formula uses, each drawn from its range.
        #[serde(default)]
        params: Option<std::collections::BTreeMap<String, EstimateParam>>,
        /// `[lowest, highest]`: the range every answer of the formula must stay in.
        #[serde(default)]
        #[schemars(length(min = 2, max = 2))]
        bounds: Option<Vec<f64>>,
        /// Accepted distance from the computed answer, in percent of it (0 to 100).
        #[serde(default)]
        #[schemars(range(min = 0, max = 100))]
        tolerance_percent: Option<f64>,
        /// Shown after the input box, e.g. "req/s".
        #[serde(default)]
        unit: Option<String>,
    },
    /// Put 2 to 9 items in order; the student sees them shuffled.
    Ordering {
        #[schemars(regex(pattern = ID))]
        id: String,
        /// Markdown.
        #[schemars(regex(pattern = NOT_BLANK))]
        prompt: String,
        /// Markdown: why this order.
        #[schemars(regex(pattern = NOT_BLANK))]
        explanation: String,
        /// Markdown: shown after a first wrong answer, before the student retries.
        #[serde(default)]
        #[schemars(regex(pattern = NOT_BLANK))]
        hint: Option<String>,
        /// The items in the right order.
        #[schemars(length(min = 2, max = 9))]
        items: Vec<String>,
    },
}
