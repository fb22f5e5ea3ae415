//! The course as data: TOML lesson files in, a validated model out. Problems keep their
//! file, line and column; a broken lesson never stops the others from loading.

pub mod diagnostic;
mod estimate_file;
pub mod lesson_file;
pub mod lesson_toml;
pub mod model;
pub mod ordered_table;
mod outline;
pub mod pack;
pub mod quiz_toml;
pub mod schema;
pub mod source;
pub mod visualization_toml;

use std::collections::{HashMap, HashSet};

pub use diagnostic::{Diagnostic, SourceMap};
pub use model::{Lesson, Quiz, QuizKind, Section, VisualizationRef};
pub use source::{CourseSource, SourceFile};

#[derive(Debug, Clone)]
pub enum LessonEntry {
    Ready(Box<Lesson>),
    /// A file that failed to load, with every problem found in it.
    Broken {
        path: String,
        diagnostics: Vec<Diagnostic>,
    },
}

impl LessonEntry {
    pub fn path(&self) -> &str {
        match self {
            LessonEntry::Ready(l) => &l.path,
            LessonEntry::Broken { path, .. } => path,
        }
    }
    pub fn lesson(&self) -> Option<&Lesson> {
        match self {
            LessonEntry::Ready(l) => Some(l),
            LessonEntry::Broken { .. } => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Course {
    pub source: CourseSource,
    /// What `course.toml` says about the course (its title is the app's header).
    pub pack: pack::CoursePack,
    pub lessons: Vec<LessonEntry>,
    /// Problems with the course as a whole (e.g. an unreadable lessons directory).
    pub problems: Vec<String>,
    /// Problems that did not stop a lesson from loading.
    pub warnings: Vec<Diagnostic>,
}

impl Course {
    /// Load every lesson. `exercise_ids` are the exercises that lessons may link to.
    pub fn load(source: CourseSource, exercise_ids: &HashSet<String>) -> Course {
        let pack = pack::load(&source).pack;
        let files = match source.lesson_files() {
            Ok(files) => files,
            Err(problem) => {
                return Course {
                    source,
                    pack,
                    lessons: Vec::new(),
                    problems: vec![crate::markdown::sanitize(&problem).into_owned()],
                    warnings: Vec::new(),
                };
            }
        };
        let mut problems = Vec::new();
        if files.is_empty() {
            problems.push(format!(
                "{}: no lessons/*.toml files found",
                source.describe()
            ));
        }
        let (lessons, warnings) = load_files(&files, exercise_ids);
        Course {
            source,
            pack,
            lessons,
            problems,
            warnings,
        }
    }

    pub fn ready(&self) -> impl Iterator<Item = &Lesson> {
        self.lessons.iter().filter_map(LessonEntry::lesson)
    }

    pub fn find(&self, id: &str) -> Option<&Lesson> {
        self.ready().find(|l| l.id == id)
    }

    /// The catalog entry (an index into `lessons`) of the lesson `id`, if it loaded.
    pub fn entry_of(&self, id: &str) -> Option<usize> {
        self.lessons
            .iter()
            .position(|e| e.lesson().is_some_and(|l| l.id == id))
    }

    /// The ids of the lessons with a section linking design challenge `challenge`: where a
    /// pass of it is recorded.
    pub fn lessons_linking(&self, challenge: &str) -> Vec<String> {
        self.ready()
            .filter(|l| l.challenge_ids().any(|c| c == challenge))
            .map(|l| l.id.clone())
            .collect()
    }

    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.lessons.iter().flat_map(|e| match e {
            LessonEntry::Broken { diagnostics, .. } => diagnostics.as_slice(),
            LessonEntry::Ready(_) => &[],
        })
    }

    /// Replace one lesson after its file changed on disk (live preview).
    pub fn reload(&mut self, file: &SourceFile, exercise_ids: &HashSet<String>) {
        let (mut entries, warnings) = load_files(std::slice::from_ref(file), exercise_ids);
        let mut entry = entries.remove(0);
        self.warnings.retain(|w| w.path != file.path);
        self.warnings.extend(warnings);
        // Course-wide rules (unique ids and chapters) against the lessons already loaded.
        if let LessonEntry::Ready(l) = &entry {
            let clash = self
                .ready()
                .find(|o| o.path != l.path && (o.id == l.id || o.chapter == l.chapter));
            if let Some(other) = clash {
                let what = if other.id == l.id {
                    format!("lesson id `{}`", l.id)
                } else {
                    format!("chapter {}", l.chapter)
                };
                entry = LessonEntry::Broken {
                    path: l.path.clone(),
                    diagnostics: vec![Diagnostic::whole_file(
                        &l.path,
                        format!("{what} is already used by {}", other.path),
                    )],
                };
            }
        }
        match self.lessons.iter_mut().find(|e| e.path() == file.path) {
            Some(slot) => *slot = entry,
            None => self.lessons.push(entry),
        }
        sort(&mut self.lessons);
    }
}

fn load_files(
    files: &[SourceFile],
    exercise_ids: &HashSet<String>,
) -> (Vec<LessonEntry>, Vec<Diagnostic>) {
    let mut parsed = Vec::new();
    let mut warnings = Vec::new();
    let mut entries = Vec::new();
    for (file, result) in files.iter().zip(parse_all(files)) {
        match result {
            Ok(p) => parsed.push((p, file)),
            Err(diagnostics) => entries.push(LessonEntry::Broken {
                path: file.path.clone(),
                diagnostics,
            }),
        }
    }
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    let mut seen_chapters: HashMap<u32, String> = HashMap::new();
    for (mut p, file) in parsed {
        warnings.append(&mut p.warnings);
        let source = String::from_utf8_lossy(&file.bytes);
        let map = diagnostic::SourceMap::new(&source);
        let at = |span: std::ops::Range<usize>, message: String| {
            Diagnostic::at(&file.path, &map, span, message)
        };
        let mut diagnostics = Vec::new();
        let lesson = &p.lesson;
        if let Some(first) = seen_ids.get(&lesson.id) {
            diagnostics.push(at(
                p.id_span.clone(),
                format!("lesson id `{}` is already used by {first}", lesson.id),
            ));
        }
        if let Some(first) = seen_chapters.get(&lesson.chapter) {
            diagnostics.push(at(
                p.chapter_span.clone(),
                format!("chapter {} is already used by {first}", lesson.chapter),
            ));
        }
        let mut omitted = 0;
        for (_, span) in &p.exercise_spans {
            if diagnostics.len() >= diagnostic::MAX_PER_FILE {
                omitted += 1;
                continue;
            }
            let id = source
                .get(span.clone())
                .unwrap_or("")
                .trim_matches(|c| c == '"' || c == '\'');
            if !exercise_ids.contains(id) {
                let mut known: Vec<&str> = exercise_ids.iter().map(String::as_str).collect();
                known.sort_unstable();
                let hint = match diagnostic::did_you_mean(id, known.iter().copied()) {
                    Some(c) => format!("; did you mean `{c}`?"),
                    None if known.is_empty() => "; the course has no exercises: its `exercises/` \
                        folder is missing (or none in it loads; see `sysdesign check`). Each \
                        exercise lives in `exercises/<id>/` beside `lessons/`"
                        .to_string(),
                    None => format!("; known exercises: {}", known.join(", ")),
                };
                diagnostics.push(at(
                    span.clone(),
                    format!("no exercise with id `{id}`{hint}"),
                ));
            }
        }
        if omitted > 0 {
            diagnostics.push(diagnostic::omitted(
                &file.path,
                diagnostic::Severity::Error,
                omitted,
            ));
        }
        if diagnostics.is_empty() {
            seen_ids.insert(lesson.id.clone(), file.path.clone());
            seen_chapters.insert(lesson.chapter, file.path.clone());
            entries.push(LessonEntry::Ready(Box::new(p.lesson)));
        } else {
            entries.push(LessonEntry::Broken {
                path: file.path.clone(),
                diagnostics,
            });
        }
    }
    sort(&mut entries);
    (entries, warnings)
}

/// Parse every file, spread over the cores: parsing dominates start-up, and files are
/// independent. Results come back in file order.
fn parse_all(files: &[SourceFile]) -> Vec<Result<lesson_file::ParsedLesson, Vec<Diagnostic>>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len());
    if workers < 2 {
        return files
            .iter()
            .map(|f| lesson_file::parse(&f.path, &f.bytes))
            .collect();
    }
    // Deal the largest files out first so the workers finish together.
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(files[i].bytes.len()));
    let mut shares: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); workers];
    for i in order {
        if let Some(share) = shares.iter_mut().min_by_key(|(load, _)| *load) {
            share.0 += files[i].bytes.len();
            share.1.push(i);
        }
    }
    let mut results: Vec<Option<Result<lesson_file::ParsedLesson, Vec<Diagnostic>>>> = Vec::new();
    results.resize_with(files.len(), || None);
    std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|(_, share)| {
                scope.spawn(move || {
                    share
                        .into_iter()
                        .map(|i| (i, lesson_file::parse(&files[i].path, &files[i].bytes)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            // A panic in a parser thread is a bug; surface it rather than lose a lesson.
            for (i, result) in handle.join().expect("lesson parser thread panicked") {
                results[i] = Some(result);
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every file parsed"))
        .collect()
}

/// Chapter order; a broken file sits where its `NN-` file-name prefix puts it.
fn sort(entries: &mut [LessonEntry]) {
    fn key(e: &LessonEntry) -> (u32, String) {
        let chapter = match e {
            LessonEntry::Ready(l) => l.chapter,
            LessonEntry::Broken { path, .. } => {
                let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
                name.split(|c: char| !c.is_ascii_digit())
                    .next()
                    .and_then(|d| d.parse().ok())
                    .unwrap_or(u32::MAX)
            }
        };
        (chapter, e.path().to_string())
    }
    entries.sort_by_key(key);
}
