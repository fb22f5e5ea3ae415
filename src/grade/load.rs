//! Loading and validating exercises from files, wherever they come from: the copy embedded in
//! the binary, or `--course DIR`'s `exercises/` folder.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use include_dir::{Dir, include_dir};
use schemars::JsonSchema;
use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use super::exercise::{Difficulty, Exercise, ExerciseKind, LiveTrait};
use super::problem::ExerciseProblem;

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/exercises");

/// The files of one (Rust) exercise folder; SQL exercises have [`ExerciseKind::files`].
pub const EXERCISE_FILES: &[&str] = &["exercise.toml", "starter.rs", "solution.rs", "harness.rs"];

const KEYS: &[&str] = &[
    "id",
    "title",
    "lesson",
    "difficulty",
    "description",
    "hints",
    "trait",
    "kind",
];

/// The exercises shipped in the binary, as `(relative path, contents)` pairs.
pub fn embedded_files() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Dir<'static>, out: &mut Vec<(String, Vec<u8>)>) {
        for file in dir.files() {
            out.push((slash_path(file.path()), file.contents().to_vec()));
        }
        for sub in dir.dirs() {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&EMBEDDED, &mut out);
    out.sort();
    out
}

/// Every file under `dir` (e.g. `DIR/exercises`), relative to it. Hidden entries are skipped.
pub fn files_in_dir(dir: &Path) -> io::Result<Vec<(String, Vec<u8>)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                walk(root, &path, out)?;
            } else {
                let relative = path.strip_prefix(root).unwrap_or(&path);
                out.push((slash_path(relative), std::fs::read(&path)?));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The embedded exercises. They are checked by the test suite, so problems here are bugs.
pub fn embedded_exercises() -> (Vec<Exercise>, Vec<ExerciseProblem>) {
    load_exercises(&embedded_files())
}

/// Parses and validates every exercise folder in `files` (paths relative to the exercises
/// folder, `/`-separated). Returns the exercises that loaded, sorted by id, and every problem
/// found; a broken exercise is left out and the others still load.
pub fn load_exercises(files: &[(String, Vec<u8>)]) -> (Vec<Exercise>, Vec<ExerciseProblem>) {
    let mut problems = Vec::new();
    let mut folders: BTreeMap<&str, BTreeMap<&str, &[u8]>> = BTreeMap::new();
    for (path, contents) in files {
        let parts: Vec<&str> = path.split('/').collect();
        if parts.iter().any(|p| p.starts_with('.')) {
            continue;
        }
        match parts.as_slice() {
            [folder, name] => {
                folders
                    .entry(folder)
                    .or_default()
                    .insert(name, contents.as_slice());
            }
            [_] => problems.push(ExerciseProblem::at_start(
                path,
                "a file outside an exercise folder; put each exercise in `exercises/<id>/`",
            )),
            _ => problems.push(ExerciseProblem::at_start(
                path,
                "unexpected nested file; an exercise folder holds only exercise.toml, \
                 starter.rs, solution.rs and harness.rs",
            )),
        }
    }
    let mut exercises = Vec::new();
    for (folder, contents) in folders {
        if let Some(exercise) = load_folder(folder, &contents, &mut problems) {
            exercises.push(exercise);
        }
    }
    (exercises, problems)
}

fn load_folder(
    folder: &str,
    files: &BTreeMap<&str, &[u8]>,
    problems: &mut Vec<ExerciseProblem>,
) -> Option<Exercise> {
    // A folder with SQL files is a SQL exercise; its manifest's `kind` must agree.
    let sql = ExerciseKind::SqlQuery.files()[1..]
        .iter()
        .any(|name| files.contains_key(name));
    let expected_files = if sql {
        ExerciseKind::SqlQuery.files()
    } else {
        EXERCISE_FILES
    };
    for name in files.keys() {
        if !expected_files.contains(name) {
            let mut message = format!("unexpected file `{name}`");
            if let Some(close) = closest(name, expected_files) {
                message.push_str(&format!("; did you mean `{close}`?"));
            }
            problems.push(ExerciseProblem::at_start(
                &format!("{folder}/{name}"),
                message,
            ));
        }
    }
    let mut text = |name: &str| -> Option<String> {
        let path = format!("{folder}/{name}");
        let Some(bytes) = files.get(name) else {
            problems.push(ExerciseProblem::at_start(
                &path,
                format!(
                    "missing file: every {}exercise needs {}",
                    if sql { "SQL " } else { "" },
                    expected_files.join(", ")
                ),
            ));
            return None;
        };
        match std::str::from_utf8(bytes) {
            Ok(text) if text.trim().is_empty() => {
                problems.push(ExerciseProblem::at_start(&path, "the file is empty"));
                None
            }
            Ok(text) => Some(text.to_string()),
            Err(e) => {
                let (line, col) = super::problem::line_col(
                    &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
                    e.valid_up_to(),
                );
                problems.push(ExerciseProblem {
                    path,
                    line,
                    col,
                    message: "the file is not valid UTF-8".to_string(),
                });
                None
            }
        }
    };
    let manifest = text("exercise.toml");
    let starter = text(expected_files[1]);
    let solution = text(expected_files[2]);
    let harness = text(expected_files[3]);
    let manifest = manifest?;
    let meta = parse_manifest(folder, &manifest, problems)?;
    if meta.kind.is_sql() != sql {
        problems.push(ExerciseProblem::at_start(
            &format!("{folder}/exercise.toml"),
            if sql {
                "this folder holds SQL files: set `kind` to sql-query, sql-schema or sql-index"
            } else {
                "a SQL exercise needs starter.sql, solution.sql and checks.toml, not Rust files"
            },
        ));
        return None;
    }
    if let (true, Some(checks)) = (sql, &harness)
        && let Err((offset, message)) = crate::sql::grade::validate(meta.kind, checks)
    {
        let path = format!("{folder}/checks.toml");
        problems.push(ExerciseProblem::at_offset(&path, checks, offset, message));
        return None;
    }
    Some(Exercise {
        id: meta.id,
        title: meta.title,
        lesson: meta.lesson,
        difficulty: meta.difficulty,
        description: meta.description,
        hints: meta.hints,
        live: meta.live,
        starter: starter?,
        solution: solution?,
        harness: harness?,
        kind: meta.kind,
    })
}

// `sysdesign schema exercise` is generated from this type (its doc comments become the
// schema's descriptions), and the loader reads exercise.toml into it once the file has been
// checked key by key, which is what says where each problem is.
/// A code exercise: `exercises/ID/exercise.toml`, beside its starter, solution and checks.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sysdesign exercise")]
pub struct ExerciseFile {
    /// The folder's name; lowercase letters, digits and '-'.
    #[schemars(regex(pattern = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"))]
    pub id: String,
    #[schemars(regex(pattern = "\\S"))]
    pub title: String,
    /// The id of the lesson that links to this exercise.
    #[schemars(regex(pattern = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"))]
    pub lesson: String,
    pub difficulty: Difficulty,
    /// Markdown: what to build, the rules, and the edge cases the checks test.
    #[schemars(regex(pattern = "\\S"))]
    pub description: String,
    /// Revealed one at a time; at least one.
    #[schemars(length(min = 1), inner(regex(pattern = "\\S")))]
    pub hints: Vec<String>,
    /// The contract trait from `sysdesign_support::contract` the starter implements; set
    /// when the student's code can drive the lesson's visualization.
    #[serde(rename = "trait", default)]
    pub live: Option<LiveTrait>,
    /// What the student writes and how it is graded. SQL kinds keep their checks in
    /// `checks.toml` beside `starter.sql` and `solution.sql`.
    #[serde(default)]
    pub kind: ExerciseKind,
}

fn parse_manifest(
    folder: &str,
    text: &str,
    problems: &mut Vec<ExerciseProblem>,
) -> Option<ExerciseFile> {
    let path = format!("{folder}/exercise.toml");
    let before = problems.len();
    let table = match DeTable::parse(text) {
        Ok(table) => table.into_inner(),
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            let message = e.message().trim().to_string();
            problems.push(ExerciseProblem::at_offset(&path, text, offset, message));
            return None;
        }
    };
    let at =
        |offset: usize, message: String| ExerciseProblem::at_offset(&path, text, offset, message);

    for key in table.keys() {
        if !KEYS.contains(&key.get_ref().as_ref()) {
            let mut message = format!("unknown key `{}`", key.get_ref());
            if let Some(close) = closest(key.get_ref(), KEYS) {
                message.push_str(&format!("; did you mean `{close}`?"));
            }
            problems.push(at(key.span().start, message));
        }
    }
    let value = |key: &str| {
        table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    };
    let mut string = |key: &str, required: bool| -> Option<(String, usize)> {
        match value(key) {
            None => {
                if required {
                    problems.push(ExerciseProblem::at_start(
                        &path,
                        format!("missing required key `{key}`"),
                    ));
                }
                None
            }
            Some(v) => match v.get_ref() {
                DeValue::String(s) if s.trim().is_empty() => {
                    problems.push(at(v.span().start, format!("`{key}` must not be empty")));
                    None
                }
                DeValue::String(s) => Some((s.to_string(), v.span().start)),
                _ => {
                    problems.push(at(v.span().start, format!("`{key}` must be a string")));
                    None
                }
            },
        }
    };
    let id = string("id", true);
    let title = string("title", true);
    let lesson = string("lesson", true);
    let difficulty = string("difficulty", true);
    let description = string("description", true);
    let live = string("trait", false);
    let kind = match string("kind", false) {
        None => Some(ExerciseKind::Rust),
        Some((name, offset)) => {
            let parsed = ExerciseKind::parse(&name);
            if parsed.is_none() {
                problems.push(at(
                    offset,
                    format!(
                        "unknown kind \"{name}\"; use one of {}",
                        ExerciseKind::NAMES.join(", ")
                    ),
                ));
            }
            parsed
        }
    };

    if let Some((id, offset)) = &id {
        if id != folder {
            problems.push(at(
                *offset,
                format!("`id` is \"{id}\" but the folder is `{folder}`; they must match"),
            ));
        } else if !is_valid_id(id) {
            problems.push(at(
                *offset,
                "`id` may hold only lowercase letters, digits and '-'".to_string(),
            ));
        }
    }
    if let Some((lesson, offset)) = &lesson
        && !is_valid_id(lesson)
    {
        problems.push(at(
            *offset,
            "`lesson` must be a lesson id: lowercase letters, digits and '-'".to_string(),
        ));
    }
    let difficulty = difficulty.and_then(|(name, offset)| {
        let parsed = Difficulty::parse(&name);
        if parsed.is_none() {
            problems.push(at(
                offset,
                format!(
                    "unknown difficulty \"{name}\"; use one of {}",
                    Difficulty::NAMES.join(", ")
                ),
            ));
        }
        parsed
    });
    let live = match live {
        None => Some(None),
        Some((name, offset)) => match LiveTrait::parse(&name) {
            Some(t) => Some(Some(t)),
            None => {
                problems.push(at(
                    offset,
                    format!(
                        "unknown trait \"{name}\"; use one of {}",
                        LiveTrait::NAMES.join(", ")
                    ),
                ));
                None
            }
        },
    };
    let hints = match value("hints") {
        None => {
            problems.push(ExerciseProblem::at_start(
                &path,
                "missing required key `hints`: give at least one hint",
            ));
            None
        }
        Some(v) => match v.get_ref() {
            DeValue::Array(items) if items.is_empty() => {
                problems.push(at(
                    v.span().start,
                    "`hints` needs at least one hint".to_string(),
                ));
                None
            }
            DeValue::Array(items) => {
                let mut hints = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) if !s.trim().is_empty() => hints.push(s.to_string()),
                        _ => problems.push(at(
                            item.span().start,
                            "each hint must be a non-empty string".to_string(),
                        )),
                    }
                }
                Some(hints)
            }
            _ => {
                problems.push(at(
                    v.span().start,
                    "`hints` must be an array of strings".to_string(),
                ));
                None
            }
        },
    };
    if problems.len() > before {
        return None;
    }
    // Every key passed the checks above (each `?` is a value they read), so the file reads
    // into its type; were the two ever to disagree, that is reported, not papered over.
    let _read = (
        id?,
        title?,
        lesson?,
        difficulty?,
        description?,
        hints?,
        live?,
        kind?,
    );
    match toml::from_str::<ExerciseFile>(text) {
        Ok(file) => Some(file),
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            problems.push(at(offset, e.message().trim().to_string()));
            None
        }
    }
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}
