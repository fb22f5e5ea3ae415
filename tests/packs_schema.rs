//! The JSON Schemas (`sysdesign schema lesson|exercise|course`) against the loaders: every
//! shipped file validates and deserializes into the type its schema is generated from (and
//! which its loader builds from), an unknown key is rejected by both, and the keys each
//! table takes are exactly the keys the loader's located checks take, so the two cannot
//! drift apart.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sysdesign::cli::schema::{SchemaFile, schema};
use sysdesign::course::lesson_file;
use sysdesign::course::lesson_toml::LessonFile;
use sysdesign::course::pack;
use sysdesign::course::pack::CoursePack;
use sysdesign::grade::ExerciseFile;
use sysdesign::grade::load_exercises;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn toml_as_json(text: &str) -> Value {
    toml::from_str::<Value>(text).expect("TOML converts to JSON")
}

fn errors(schema: &Value, text: &str) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("the schema is valid JSON Schema");
    validator
        .iter_errors(&toml_as_json(text))
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn files_matching(dir: &Path, name: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_matching(&path, name));
        } else if name(&path) {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn shipped_lessons() -> Vec<PathBuf> {
    files_matching(&root().join("lessons"), &|p| {
        p.extension().is_some_and(|e| e == "toml")
    })
}

fn shipped_exercises() -> Vec<PathBuf> {
    files_matching(&root().join("exercises"), &|p| {
        p.file_name().is_some_and(|n| n == "exercise.toml")
    })
}

#[test]
fn every_shipped_file_validates_against_its_schema_and_deserializes() {
    let lesson = schema(SchemaFile::Lesson);
    let exercise = schema(SchemaFile::Exercise);
    let course = schema(SchemaFile::Course);
    let lessons = shipped_lessons();
    let exercises = shipped_exercises();
    assert!(lessons.len() >= 9, "found {} lessons", lessons.len());
    assert!(exercises.len() >= 10, "found {} exercises", exercises.len());
    let pack_lessons = files_matching(&root().join("tests/fixtures/pack-course/lessons"), &|_| {
        true
    });
    for path in lessons.iter().chain(&pack_lessons) {
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            errors(&lesson, &text),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        let read = toml::from_str::<LessonFile>(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // The loader's lesson is what the file reads into.
        let name = path.display().to_string();
        let loaded = lesson_file::parse(&name, text.as_bytes())
            .unwrap_or_else(|e| panic!("{name}: {e:?}"))
            .lesson;
        assert_eq!(read.into_lesson(&name), Ok(loaded), "{name}");
    }
    let (shipped, problems) = sysdesign::grade::embedded_exercises();
    assert!(problems.is_empty(), "{problems:?}");
    for path in &exercises {
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            errors(&exercise, &text),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        let read = toml::from_str::<ExerciseFile>(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // The loader's exercise is what the file reads into.
        let loaded = shipped
            .iter()
            .find(|e| e.id == read.id)
            .unwrap_or_else(|| panic!("{} did not load", path.display()));
        assert_eq!(
            (
                &loaded.title,
                &loaded.lesson,
                loaded.difficulty,
                &loaded.hints,
                loaded.live,
                loaded.kind
            ),
            (
                &read.title,
                &read.lesson,
                read.difficulty,
                &read.hints,
                read.live,
                read.kind
            ),
            "{}",
            path.display()
        );
    }
    for path in [
        root().join("course.toml"),
        root().join("tests/fixtures/pack-course/course.toml"),
    ] {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            errors(&course, &text),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        // The loader builds exactly what the file reads into.
        let read = toml::from_str::<CoursePack>(&text).unwrap();
        let (loaded, _) = pack::parse("course.toml", text.as_bytes(), &pack::running_version())
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        assert_eq!(read, loaded, "{}", path.display());
    }
}

const LESSON: &str = r#"
id = "probe"
chapter = 1
title = "Probe"
summary = "A lesson for probing the loader."
minutes = 5
objectives = ["Probe"]

[[section]]
id = "one"
title = "One"
body = "Text."
quizzes = ["s", "m", "n", "o"]
visualization = { kind = "load-balancer", seed = 7, params = { strategy = "round-robin" } }

[[quiz]]
id = "s"
type = "single"
prompt = "P"
choices = ["a", "b"]
answer = 1
explanation = "E"

[[quiz]]
id = "m"
type = "multiple"
prompt = "P"
choices = ["a", "b"]
answers = [1]
explanation = "E"

[[quiz]]
id = "n"
type = "numeric"
prompt = "P"
answer = 1.5
tolerance = 0
unit = "s"
explanation = "E"

[[quiz]]
id = "o"
type = "ordering"
prompt = "P"
items = ["a", "b"]
explanation = "E"
"#;

/// `LESSON` with `line` inserted after the first line that starts with `after`.
fn with_line(after: &str, line: &str) -> String {
    let mut out = String::new();
    let mut done = false;
    for l in LESSON.lines() {
        out.push_str(l);
        out.push('\n');
        if !done && l.starts_with(after) {
            out.push_str(line);
            out.push('\n');
            done = true;
        }
    }
    assert!(done, "no line starts with {after}");
    out
}

/// The keys the loader accepts where `zzzz_probe` was put, from its "expected one of" list.
fn loader_keys(text: &str) -> BTreeSet<String> {
    let diagnostics = lesson_file::parse("probe.toml", text.as_bytes()).unwrap_err();
    let message = diagnostics
        .iter()
        .map(|d| d.message.clone())
        .find(|m| m.starts_with("unknown key `zzzz_probe`"))
        .unwrap_or_else(|| panic!("no unknown-key error in {diagnostics:?}"));
    let list = message
        .split("expected one of: ")
        .nth(1)
        .expect("a key list");
    list.split(", ").map(str::to_string).collect()
}

fn definition<'a>(schema: &'a Value, name: &str) -> &'a Value {
    &schema["definitions"][name]
}

fn properties(schema: &Value) -> BTreeSet<String> {
    schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect()
}

fn required(schema: &Value) -> BTreeSet<String> {
    schema["required"]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn the_probe_lesson_is_valid_for_both() {
    lesson_file::parse("probe.toml", LESSON.as_bytes()).unwrap();
    assert_eq!(
        errors(&schema(SchemaFile::Lesson), LESSON),
        Vec::<String>::new()
    );
}

#[test]
fn lesson_schema_keys_are_the_loader_keys_table_by_table() {
    let schema = schema(SchemaFile::Lesson);
    // The lesson's top level.
    assert_eq!(
        loader_keys(&with_line("id = \"probe\"", "zzzz_probe = 1")),
        properties(&schema)
    );
    // A section.
    assert_eq!(
        loader_keys(&with_line("id = \"one\"", "zzzz_probe = 1")),
        properties(definition(&schema, "SectionTable"))
    );
    // Each quiz type: the schema's alternative with that `type`.
    let variants = definition(&schema, "QuizTable")["oneOf"]
        .as_array()
        .unwrap();
    for (id, kind) in [
        ("s", "single"),
        ("m", "multiple"),
        ("n", "numeric"),
        ("o", "ordering"),
    ] {
        let variant = variants
            .iter()
            .find(|v| v["properties"]["type"]["const"] == kind)
            .unwrap_or_else(|| panic!("no schema alternative for {kind}"));
        assert_eq!(
            loader_keys(&with_line(&format!("id = \"{id}\""), "zzzz_probe = 1")),
            properties(variant),
            "quiz type {kind}"
        );
    }
}

#[test]
fn visualization_schema_follows_the_simulation_registry() {
    let schema = schema(SchemaFile::Lesson);
    let variants = definition(&schema, "Visualization")["oneOf"]
        .as_array()
        .unwrap();
    let kinds: BTreeSet<&str> = sysdesign::sim::kinds().iter().map(|k| k.name).collect();
    let described: BTreeSet<&str> = variants
        .iter()
        .map(|v| v["properties"]["kind"]["const"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, described);
    for variant in variants {
        assert_eq!(
            properties(variant),
            ["kind", "params", "seed"].map(String::from).into()
        );
    }
    // An unknown visualization key is refused by the loader too.
    let text = LESSON.replace("seed = 7", "seed = 7, zzzz_probe = 1");
    assert_eq!(
        loader_keys(&text),
        ["kind", "params", "seed"].map(String::from).into()
    );
    // Each kind's parameters: the loader names them when one is unknown.
    for spec in sysdesign::sim::kinds() {
        let variant = variants
            .iter()
            .find(|v| v["properties"]["kind"]["const"] == spec.name)
            .unwrap();
        let params = properties(&variant["properties"]["params"]);
        let text = LESSON.replace(
            "{ kind = \"load-balancer\", seed = 7, params = { strategy = \"round-robin\" } }",
            &format!(
                "{{ kind = \"{}\", params = {{ zzzz_probe = 1 }} }}",
                spec.name
            ),
        );
        let diagnostics = lesson_file::parse("probe.toml", text.as_bytes()).unwrap_err();
        let message = diagnostics
            .iter()
            .find(|d| d.message.starts_with("unknown parameter `zzzz_probe`"))
            .unwrap_or_else(|| panic!("{}: {diagnostics:?}", spec.name))
            .message
            .clone();
        let listed: BTreeSet<String> = message
            .split(" takes: ")
            .nth(1)
            .unwrap()
            .split(", ")
            .map(str::to_string)
            .collect();
        assert_eq!(listed, params, "parameters of {}", spec.name);
    }
}

#[test]
fn an_unknown_key_is_rejected_by_schema_and_loader_alike() {
    let schema = schema(SchemaFile::Lesson);
    for text in [
        with_line("id = \"probe\"", "sumary = \"typo\""),
        with_line("id = \"one\"", "exercize = \"typo\""),
        with_line("id = \"n\"", "tolerence = 1"),
        LESSON.replace("seed = 7", "seed = 7, sead = 1"),
    ] {
        assert!(
            !errors(&schema, &text).is_empty(),
            "schema accepted:\n{text}"
        );
        assert!(toml::from_str::<LessonFile>(&text).is_err());
        assert!(lesson_file::parse("probe.toml", text.as_bytes()).is_err());
    }
}

const EXERCISE: &str = r#"id = "probe"
title = "Probe"
lesson = "intro"
difficulty = "easy"
trait = "balancer"
kind = "rust"
description = "Do it."
hints = ["One"]
"#;

fn exercise_problems(manifest: &str) -> Vec<String> {
    let files = vec![
        (
            "probe/exercise.toml".to_string(),
            manifest.as_bytes().to_vec(),
        ),
        ("probe/starter.rs".to_string(), b"pub fn f() {}\n".to_vec()),
        ("probe/solution.rs".to_string(), b"pub fn f() {}\n".to_vec()),
        (
            "probe/harness.rs".to_string(),
            b"pub fn checks() {}\n".to_vec(),
        ),
    ];
    load_exercises(&files)
        .1
        .into_iter()
        .map(|p| p.message)
        .collect()
}

#[test]
fn exercise_schema_keys_are_the_loader_keys() {
    let schema = schema(SchemaFile::Exercise);
    assert_eq!(exercise_problems(EXERCISE), Vec::<String>::new());
    assert_eq!(errors(&schema, EXERCISE), Vec::<String>::new());
    let keys: BTreeSet<String> = EXERCISE
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.to_string()))
        .collect();
    // The probe uses every key the schema knows, and the loader accepts them all.
    assert_eq!(properties(&schema), keys);
    // A key is required by the schema exactly when the loader reports it missing.
    for key in &keys {
        let without: String = EXERCISE
            .lines()
            .filter(|l| !l.starts_with(&format!("{key} = ")))
            .map(|l| format!("{l}\n"))
            .collect();
        let loader_requires = exercise_problems(&without)
            .iter()
            .any(|m| m.starts_with(&format!("missing required key `{key}`")));
        assert_eq!(
            loader_requires,
            required(&schema).contains(key),
            "is `{key}` required?"
        );
    }
    // The choices of `difficulty` and `trait` are the loader's.
    let enum_of = |name: &str| -> BTreeSet<String> {
        definition(&schema, name)["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: {}", definition(&schema, name)))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        enum_of("Difficulty"),
        names(sysdesign::grade::Difficulty::NAMES)
    );
    assert_eq!(
        enum_of("LiveTrait"),
        names(sysdesign::grade::LiveTrait::NAMES)
    );
    // An unknown key is an error for both.
    let typo = EXERCISE.replace("hints =", "hint =");
    assert!(!errors(&schema, &typo).is_empty());
    assert!(
        exercise_problems(&typo)
            .iter()
            .any(|m| m.starts_with("unknown key `hint`"))
    );
}

#[test]
fn course_schema_keys_are_the_loader_keys() {
    let schema = schema(SchemaFile::Course);
    let keys: BTreeSet<String> = pack::KEYS.iter().map(|k| k.to_string()).collect();
    assert_eq!(properties(&schema), keys);
    assert_eq!(required(&schema), keys);
    let text = std::fs::read_to_string(root().join("course.toml")).unwrap();
    let typo = text.replace("licence", "license");
    assert!(!errors(&schema, &typo).is_empty());
    let running = pack::running_version();
    assert!(pack::parse("course.toml", typo.as_bytes(), &running).is_err());
    assert!(pack::parse("course.toml", text.as_bytes(), &running).is_ok());
}

#[test]
fn the_schema_command_prints_each_schema() {
    for (arg, file) in [
        ("lesson", SchemaFile::Lesson),
        ("exercise", SchemaFile::Exercise),
        ("course", SchemaFile::Course),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sysdesign"))
            .args(["schema", arg])
            .output()
            .unwrap();
        assert!(out.status.success());
        let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(printed, schema(file), "{arg}");
        assert_eq!(
            printed["$schema"],
            "http://json-schema.org/draft-07/schema#"
        );
    }
}

/// The first fenced `toml` block after `heading` in docs/authoring.md.
fn documented_toml(heading: &str) -> String {
    let docs = std::fs::read_to_string(root().join("docs/authoring.md")).unwrap();
    let start = docs.find(heading).expect("heading in docs/authoring.md");
    let body = docs[start..]
        .split("```toml\n")
        .nth(1)
        .expect("a toml block");
    body[..body.find("```").expect("closed fence")].to_string()
}

#[test]
fn the_documented_course_toml_and_taplo_rules_are_what_ships() {
    let course = documented_toml("### course.toml");
    assert_eq!(
        errors(&schema(SchemaFile::Course), &course),
        Vec::<String>::new()
    );
    pack::parse("course.toml", course.as_bytes(), &pack::running_version())
        .expect("the documented course.toml loads");
    let rules = documented_toml("### JSON Schema");
    let shipped = std::fs::read_to_string(root().join("assets/scaffold/taplo.toml")).unwrap();
    assert!(
        shipped.contains(&rules),
        "docs/authoring.md's Taplo rules differ from assets/scaffold/taplo.toml"
    );
}

#[test]
fn scaffolded_files_validate_against_the_schemas_they_ship_with() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("scaffolded");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sysdesign"))
            .args(args)
            .arg("--workspace")
            .arg(dir.path().join("ws"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let c = course.display().to_string();
    run(&["new", "course", &c]);
    run(&["new", "exercise", "limiter", "--course", &c]);
    for (file, schema_file, kind) in [
        ("lessons/01-introduction.toml", "lesson", SchemaFile::Lesson),
        (
            "exercises/limiter/exercise.toml",
            "exercise",
            SchemaFile::Exercise,
        ),
        ("course.toml", "course", SchemaFile::Course),
    ] {
        let written: Value = serde_json::from_str(
            &std::fs::read_to_string(course.join(format!("schemas/{schema_file}.schema.json")))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(written, schema(kind), "schemas/{schema_file}.schema.json");
        let text = std::fs::read_to_string(course.join(file)).unwrap();
        assert_eq!(errors(&written, &text), Vec::<String>::new(), "{file}");
    }
}

#[test]
fn no_schema_mentions_null_which_toml_cannot_express() {
    for file in [SchemaFile::Lesson, SchemaFile::Exercise, SchemaFile::Course] {
        let text = serde_json::to_string(&schema(file)).unwrap();
        assert!(!text.contains("null"), "{file:?}: {text}");
    }
}
