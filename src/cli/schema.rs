//! `sysdesign schema lesson|exercise|course`: JSON Schemas of the three file formats, for
//! editor completion and inline errors (Taplo, VS Code's Even Better TOML).
//!
//! Each schema is generated from the type its loader reads the file into, so a schema cannot
//! describe a key the loader refuses or miss one it takes:
//! [`crate::course::lesson_toml::LessonFile`] (the lesson loader checks each key with its
//! location first, then reads the file into it and builds the lesson from that value; its
//! visualization part is generated from the simulation registry),
//! [`crate::grade::ExerciseFile`], which the exercise loader reads exercise.toml into, and
//! [`crate::course::pack::CoursePack`], which the course.toml loader builds.
//! `tests/packs_schema.rs` also holds each schema to its loader's key lists and every shipped
//! file to its schema.

use schemars::generate::SchemaSettings;

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
        SchemaFile::Lesson => {
            generator.into_root_schema_for::<crate::course::lesson_toml::LessonFile>()
        }
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
