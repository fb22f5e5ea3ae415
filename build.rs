//! The course content is embedded with include_dir, which cargo cannot see as an input:
//! declare the content directories so that editing a lesson rebuilds the binary.
//!
//! It also writes the outline of the built-in course (titles, counts, ids; no text), so the
//! app can draw its catalog before the lessons are parsed: see `src/course/outline.rs`.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    for dir in [
        "lessons",
        "exercises",
        "challenges",
        "assets",
        "src/sim/contract.rs",
    ] {
        println!("cargo:rerun-if-changed={dir}");
    }
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let code = match outline(Path::new("lessons")) {
        Ok(lessons) => format!("Some(&[\n{lessons}])"),
        Err(problem) => {
            // Not fatal: the app then parses every lesson before its first frame, and the
            // runtime parser reports the problem with all the others.
            println!("cargo:warning={problem}; the catalog will wait for the full parse at start");
            "None".to_string()
        }
    };
    std::fs::write(Path::new(&out).join("course_outline.rs"), code)
        .expect("write the course outline");
}

/// Rust expressions of `OutlineLesson`s, one per `lessons/*.toml`, in file-name order.
fn outline(dir: &Path) -> Result<String, String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut code = String::new();
    for path in paths {
        let name = format!(
            "lessons/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        let source = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
        let table: toml::Table = source.parse().map_err(|e: toml::de::Error| {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(&source, s.start));
            format!("{name}:{line}:{col}: {}", e.message())
        })?;
        code += &lesson(&name, &table).map_err(|what| format!("{name}: {what}"))?;
    }
    Ok(code)
}

fn line_col(source: &str, at: usize) -> (usize, usize) {
    let before = &source[..at.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn lesson(path: &str, t: &toml::Table) -> Result<String, String> {
    let quizzes = tables(t, "quiz")?;
    let quiz_ids: Vec<&str> = quizzes
        .iter()
        .map(|q| string(q, "id"))
        .collect::<Result<_, _>>()?;
    let mut sections = String::new();
    for s in tables(t, "section")? {
        let mut embedded = String::new();
        for id in s
            .get("quizzes")
            .and_then(toml::Value::as_array)
            .map_or(&[][..], Vec::as_slice)
        {
            let id = id
                .as_str()
                .ok_or("a section's `quizzes` holds a non-string")?;
            let index = quiz_ids
                .iter()
                .position(|q| *q == id)
                .ok_or_else(|| format!("no quiz `{id}`"))?;
            write!(embedded, "{index}, ").unwrap();
        }
        let visualization = match s.get("visualization").and_then(toml::Value::as_table) {
            Some(v) => format!(
                "Some(({:?}, {}))",
                string(v, "kind")?,
                // The parser's default seed.
                v.get("seed")
                    .and_then(toml::Value::as_integer)
                    .unwrap_or(42)
            ),
            None => "None".into(),
        };
        writeln!(
            sections,
            "OutlineSection {{ id: {:?}, title: {:?}, quizzes: &[{embedded}], visualization: \
             {visualization}, exercise: {}, challenge: {}, sql_console: {} }},",
            string(s, "id")?,
            string(s, "title")?,
            optional(s, "exercise")?,
            optional(s, "challenge")?,
            optional(s, "sql_console")?,
        )
        .unwrap();
    }
    let mut quiz_code = String::new();
    for (q, id) in quizzes.iter().zip(&quiz_ids) {
        writeln!(
            quiz_code,
            "OutlineQuiz {{ id: {id:?}, kind: {:?} }},",
            string(q, "type")?
        )
        .unwrap();
    }
    let objectives: Vec<&str> = t
        .get("objectives")
        .and_then(toml::Value::as_array)
        .ok_or("no `objectives` array")?
        .iter()
        .map(|o| o.as_str().ok_or("an objective is not a string"))
        .collect::<Result<_, _>>()?;
    Ok(format!(
        "OutlineLesson {{ path: {path:?}, id: {:?}, chapter: {}, title: {:?}, summary: {:?}, \
         minutes: {}, objectives: &{objectives:?}, sections: &[\n{sections}], quizzes: &[\n{quiz_code}] }},\n",
        string(t, "id")?,
        integer(t, "chapter")?,
        string(t, "title")?,
        string(t, "summary")?,
        integer(t, "minutes")?,
    ))
}

fn tables<'a>(t: &'a toml::Table, key: &str) -> Result<Vec<&'a toml::Table>, String> {
    match t.get(key) {
        None => Ok(Vec::new()),
        Some(v) => v
            .as_array()
            .ok_or(format!("`{key}` is not an array of tables"))?
            .iter()
            .map(|v| v.as_table().ok_or(format!("a `{key}` is not a table")))
            .collect(),
    }
}

fn string<'a>(t: &'a toml::Table, key: &str) -> Result<&'a str, String> {
    t.get(key)
        .and_then(toml::Value::as_str)
        .ok_or(format!("`{key}` is missing or not a string"))
}

fn optional(t: &toml::Table, key: &str) -> Result<String, String> {
    match t.get(key) {
        None => Ok("None".into()),
        Some(_) => Ok(format!("Some({:?})", string(t, key)?)),
    }
}

fn integer(t: &toml::Table, key: &str) -> Result<u32, String> {
    t.get(key)
        .and_then(toml::Value::as_integer)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or(format!("`{key}` is missing or not a whole number"))
}
