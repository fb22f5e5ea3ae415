//! `sysdesign new course DIR`, `new lesson ID --course DIR`, `new exercise ID --course DIR`:
//! files that pass `sysdesign check` as they are, with comments showing every option. The
//! templates are content under assets/scaffold/. Nothing that exists is ever overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::course::CourseSource;
use crate::course::pack::{self, slug};

use super::Env;
use super::schema::{SchemaFile, schema};

const COURSE_TOML: &str = include_str!("../../assets/scaffold/course.toml");
const TAPLO_TOML: &str = include_str!("../../assets/scaffold/taplo.toml");
const LESSON_TOML: &str = include_str!("../../assets/scaffold/lesson.toml");
const EXERCISE_TOML: &str = include_str!("../../assets/scaffold/exercise/exercise.toml");
const STARTER_RS: &str = include_str!("../../assets/scaffold/exercise/starter.rs");
const SOLUTION_RS: &str = include_str!("../../assets/scaffold/exercise/solution.rs");
const HARNESS_RS: &str = include_str!("../../assets/scaffold/exercise/harness.rs");

#[derive(Debug, Clone, clap::Subcommand)]
pub enum NewCommand {
    /// Start a course pack in DIR: course.toml, a first lesson, JSON Schemas and a Taplo
    /// config for editor completion.
    Course {
        dir: PathBuf,
        /// The course id [default: from the directory's name].
        #[arg(long)]
        id: Option<String>,
        /// The course title [default: the directory's name].
        #[arg(long)]
        title: Option<String>,
    },
    /// Add a lesson to the course in --course DIR, as the next chapter.
    Lesson {
        /// Lowercase letters, digits and '-'.
        id: String,
        #[arg(long)]
        title: Option<String>,
        /// The chapter number [default: one after the last].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=99))]
        chapter: Option<u32>,
    },
    /// Add a code exercise to the course in --course DIR.
    Exercise {
        /// Lowercase letters, digits and '-'.
        id: String,
        /// The lesson it belongs to [default: the course's first lesson].
        #[arg(long)]
        lesson: Option<String>,
    },
}

pub fn run(what: &NewCommand, env: &Env) -> i32 {
    let result = match what {
        NewCommand::Course { dir, id, title } => new_course(dir, id.as_deref(), title.as_deref()),
        NewCommand::Lesson { id, title, chapter } => {
            course_dir(env).and_then(|dir| new_lesson(env, &dir, id, title.as_deref(), *chapter))
        }
        NewCommand::Exercise { id, lesson } => {
            course_dir(env).and_then(|dir| new_exercise(env, &dir, id, lesson.as_deref()))
        }
    };
    match result {
        Ok(report) => {
            println!("{report}");
            0
        }
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}

fn course_dir(env: &Env) -> Result<PathBuf, String> {
    match &env.source {
        CourseSource::Dir(dir) => Ok(dir.clone()),
        CourseSource::Embedded => Err(
            "say which course to add to with --course DIR (start one with `sysdesign new course DIR`)"
                .to_string(),
        ),
    }
}

fn new_course(dir: &Path, id: Option<&str>, title: Option<&str>) -> Result<String, String> {
    let name = std::path::absolute(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "course".to_string());
    let id = match id {
        Some(id) => checked_id(id, "course id")?,
        None => slug(&name),
    };
    let title = title.map_or(name, str::to_string);
    let course_toml = fill(
        COURSE_TOML,
        &[
            ("id", &id),
            ("title", &toml_text(&title)),
            ("sysdesign_version", env!("CARGO_PKG_VERSION")),
        ],
    );
    let lesson = lesson_file("introduction", 1, "Introduction");
    let json = |file| {
        let mut text = serde_json::to_string_pretty(&schema(file)).expect("a schema serialises");
        text.push('\n');
        text
    };
    let files = vec![
        (dir.join(pack::FILE_NAME), course_toml),
        (dir.join("lessons").join("01-introduction.toml"), lesson),
        (dir.join(".taplo.toml"), TAPLO_TOML.to_string()),
        (
            dir.join("schemas").join("lesson.schema.json"),
            json(SchemaFile::Lesson),
        ),
        (
            dir.join("schemas").join("exercise.schema.json"),
            json(SchemaFile::Exercise),
        ),
        (
            dir.join("schemas").join("course.schema.json"),
            json(SchemaFile::Course),
        ),
    ];
    write_all_new(&files)?;
    Ok(format!(
        "{}\nnext: edit them, then `sysdesign check --course {}`; preview with `sysdesign --course {}`",
        written(&files),
        shell_path(dir),
        shell_path(dir)
    ))
}

fn new_lesson(
    env: &Env,
    dir: &Path,
    id: &str,
    title: Option<&str>,
    chapter: Option<u32>,
) -> Result<String, String> {
    let id = checked_id(id, "lesson id")?;
    let course = env.load_course();
    if let Some(existing) = course.find(&id) {
        return Err(format!(
            "lesson id `{id}` is already used by {}; choose another",
            existing.path
        ));
    }
    let used: Vec<u32> = course.ready().map(|l| l.chapter).collect();
    let chapter = match chapter {
        Some(c) if used.contains(&c) => {
            let holder = course
                .ready()
                .find(|l| l.chapter == c)
                .map(|l| l.path.clone());
            return Err(format!(
                "chapter {c} is already used by {}; leave out --chapter to take the next free one",
                holder.unwrap_or_default()
            ));
        }
        Some(c) => c,
        None => used.iter().max().map_or(1, |m| m + 1),
    };
    if chapter > 99 {
        return Err("chapters go up to 99 and 99 is taken; pass a free --chapter".to_string());
    }
    let title = title.map_or_else(|| title_from_id(&id), str::to_string);
    let path = dir.join("lessons").join(format!("{chapter:02}-{id}.toml"));
    let files = vec![(path, lesson_file(&id, chapter, &title))];
    write_all_new(&files)?;
    Ok(format!(
        "{}\nnext: write it, then `sysdesign check --course {}`",
        written(&files),
        shell_path(dir)
    ))
}

fn new_exercise(env: &Env, dir: &Path, id: &str, lesson: Option<&str>) -> Result<String, String> {
    let id = checked_id(id, "exercise id")?;
    if id.ends_with('-') {
        return Err(format!("exercise id `{id}` may not end with '-'"));
    }
    let course = env.load_course();
    let lesson = match lesson {
        Some(l) => course.find(l).ok_or_else(|| {
            let ids: Vec<&str> = course.ready().map(|l| l.id.as_str()).collect();
            format!("no lesson `{l}` in {}; lessons: {}", dir.display(), ids.join(", "))
        })?,
        None => course.ready().next().ok_or_else(|| {
            format!(
                "{} has no lesson for the exercise to belong to; add one with `sysdesign new lesson ID --course {}`",
                dir.display(),
                shell_path(dir)
            )
        })?,
    };
    let folder = dir.join("exercises").join(&id);
    if folder.exists() {
        return Err(format!(
            "{} already exists; nothing was written",
            folder.display()
        ));
    }
    let vars = [("id", id.as_str()), ("lesson", lesson.id.as_str())];
    let files = vec![
        (folder.join("exercise.toml"), fill(EXERCISE_TOML, &vars)),
        (folder.join("starter.rs"), fill(STARTER_RS, &vars)),
        (folder.join("solution.rs"), fill(SOLUTION_RS, &vars)),
        (folder.join("harness.rs"), fill(HARNESS_RS, &vars)),
    ];
    write_all_new(&files)?;
    // An exercise no section links is an error for `check` (no student would find it), so
    // link it from the lesson's first section that has no exercise yet.
    let next = match link_exercise(lesson, &id)? {
        Some(section) => format!(
            "linked from section `{section}` of lesson `{}` (`exercise = \"{id}\"` in {})\nnext: `sysdesign check --course {}`",
            lesson.id,
            lesson.path,
            shell_path(dir)
        ),
        None => format!(
            "next: every section of lesson `{}` already has an exercise; link this one from a section with `exercise = \"{id}\"`, then `sysdesign check --course {}`",
            lesson.id,
            shell_path(dir)
        ),
    };
    Ok(format!("{}\n{next}", written(&files)))
}

/// Adds `exercise = "ID"` under the `[[section]]` header of the lesson's first section with
/// no exercise, and returns that section's id; `None` when every section has one.
fn link_exercise(lesson: &crate::course::Lesson, id: &str) -> Result<Option<String>, String> {
    let Some(index) = lesson.sections.iter().position(|s| s.exercise.is_none()) else {
        return Ok(None);
    };
    let path = Path::new(&lesson.path);
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // Sections are `[[section]]` tables in file order, as the loader reads them.
    let Some(header_end) = text
        .match_indices("[[section]]")
        .filter(|(at, _)| *at == 0 || text.as_bytes()[at - 1] == b'\n')
        .nth(index)
        .and_then(|(at, _)| text[at..].find('\n').map(|nl| at + nl + 1))
    else {
        return Ok(None);
    };
    let mut linked = String::with_capacity(text.len() + id.len() + 16);
    linked.push_str(&text[..header_end]);
    linked.push_str(&format!("exercise = \"{id}\"\n"));
    linked.push_str(&text[header_end..]);
    std::fs::write(path, linked).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Some(lesson.sections[index].id.clone()))
}

fn lesson_file(id: &str, chapter: u32, title: &str) -> String {
    fill(
        LESSON_TOML,
        &[
            ("id", id),
            ("chapter", &chapter.to_string()),
            ("title", &toml_text(title)),
        ],
    )
}

/// `{{name}}` in a template replaced by its value.
fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

/// Text for the inside of a TOML basic string ("...").
fn toml_text(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn checked_id(id: &str, what: &str) -> Result<String, String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-');
    if ok {
        Ok(id.to_string())
    } else {
        Err(format!(
            "{what} `{id}` may hold only lowercase letters, digits and '-' (at most 64), e.g. `{}`",
            slug(id)
        ))
    }
}

fn title_from_id(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Write every file, or none if any of them exists already.
fn write_all_new(files: &[(PathBuf, String)]) -> Result<(), String> {
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.exists())
        .map(|(p, _)| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(format!(
            "refusing to overwrite {}; nothing was written",
            existing.join(", ")
        ));
    }
    for (path, text) in files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        // `create_new` refuses a file that appeared since the check above.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// A path as it would be typed into a shell.
fn shell_path(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-~+".contains(c));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn written(files: &[(PathBuf, String)]) -> String {
    files
        .iter()
        .map(|(p, _)| format!("created {}", p.display()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_text_are_safe_in_toml() {
        assert_eq!(toml_text("a \"q\" \\ b\u{1b}"), "a \\\"q\\\" \\\\ b\\u001B");
        let filled = fill(
            COURSE_TOML,
            &[("id", "x"), ("title", &toml_text("say \"hi\""))],
        );
        assert!(filled.contains("title = \"say \\\"hi\\\"\""));
    }

    #[test]
    fn ids_are_checked_and_titles_made_from_them() {
        assert!(checked_id("My Lesson", "lesson id").is_err());
        assert_eq!(checked_id("caching-2", "lesson id").unwrap(), "caching-2");
        assert_eq!(title_from_id("rate-limits"), "Rate limits");
    }
}
