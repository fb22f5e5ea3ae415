//! `sysdesign check`: validate the whole course and print every problem at once. For every
//! exercise it also proves that the starter fails and the reference solution passes.

use std::io::IsTerminal;

use crate::course::{Course, CourseSource, LessonEntry, diagnostic::did_you_mean};
use crate::grade::cli::check_exercises;
use crate::grade::{Exercise, ExerciseProblem, embedded_files, files_in_dir, fresh_seed};
use crate::text::count as count_of;

use super::Env;

pub fn run(env: &Env, build_exercises: bool) -> i32 {
    let course = env.load_course();
    let (exercises, exercise_problems) = env.exercises();
    let mut errors = 0;
    // course.toml first: a pack that needs a newer sysdesign says so before anything else.
    for d in &env.pack.errors {
        eprintln!("{}\n", d.render());
        errors += d.problems();
    }
    for w in &env.pack.warnings {
        eprintln!("{}\n", w.render());
    }
    for problem in &course.problems {
        eprintln!("error: {problem}");
        errors += 1;
    }
    let mut broken_files = 0;
    for entry in &course.lessons {
        if let LessonEntry::Broken { diagnostics, .. } = entry {
            broken_files += 1;
            for d in diagnostics {
                eprintln!("{}\n", d.render());
                errors += d.problems();
            }
        }
    }
    for w in &course.warnings {
        eprintln!("{}\n", w.render());
    }
    let sources = exercise_sources(env);
    let text_of = |path: &str| {
        sources
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
    };
    for p in &exercise_problems {
        eprintln!(
            "{}\n",
            problem_diagnostic(p, text_of(&p.path).as_deref()).render()
        );
        errors += 1;
    }
    // While a lesson file is broken, the links it holds are unknown: judging which exercise
    // belongs where would blame the exercises for the lesson's problem.
    if broken_files == 0 {
        for problem in link_problems(&course, &exercises, &text_of) {
            let text = text_of(&problem.path);
            eprintln!(
                "{}\n",
                problem_diagnostic(&problem, text.as_deref()).render()
            );
            errors += 1;
        }
    }
    let (challenge_errors, challenges) = super::challenge::check(env, &course, build_exercises);
    errors += challenge_errors;
    let mut built = 0;
    if build_exercises && errors == 0 && !exercises.is_empty() {
        let interactive = std::io::stderr().is_terminal();
        if interactive {
            eprintln!(
                "building {} (starter and solution each)...",
                count_of(exercises.len(), "exercise", "exercises")
            );
        }
        let grader = env.student_workspace().grader();
        // Ctrl-C mid-build also stops cargo's compilers.
        crate::grade::stop_all_on_signals();
        for finding in check_exercises(&grader, &exercises, fresh_seed(), interactive) {
            eprintln!("{finding}\n");
            errors += 1;
        }
        built = exercises.len();
    }
    let lessons: Vec<_> = course.ready().collect();
    let count =
        |f: &dyn Fn(&crate::course::Lesson) -> usize| lessons.iter().map(|l| f(l)).sum::<usize>();
    if errors > 0 {
        eprintln!(
            "error: {errors} problem{} ({} of {} lesson files broken; {})",
            if errors == 1 { "" } else { "s" },
            broken_files,
            course.lessons.len(),
            course.source.describe()
        );
        return 1;
    }
    let warnings: usize = course
        .warnings
        .iter()
        .chain(&env.pack.warnings)
        .map(|w| w.problems())
        .sum();
    let warned = if warnings == 0 {
        String::new()
    } else {
        format!(" with {}", count_of(warnings, "warning", "warnings"))
    };
    let mut proven = if built > 0 {
        format!(
            "; {}: every starter fails, every solution passes",
            count_of(built, "exercise", "exercises")
        )
    } else {
        String::new()
    };
    if challenges > 0 {
        proven.push_str(&format!(
            "; {}: every starting design fails, every reference passes",
            count_of(challenges, "challenge", "challenges")
        ));
    }
    println!(
        "ok{warned}: {}, {}, {}, {}, {}, {} ({}){proven}",
        count_of(lessons.len(), "lesson", "lessons"),
        count_of(count(&|l| l.sections.len()), "section", "sections"),
        count_of(count(&|l| l.quizzes.len()), "quiz", "quizzes"),
        count_of(
            count(&|l| l.visualization_count()),
            "visualization",
            "visualizations"
        ),
        count_of(exercises.len(), "exercise", "exercises"),
        count_of(count(&|l| l.word_count()), "word", "words"),
        course.source.describe()
    );
    0
}

/// The files of the exercises folder, to show the lines problems point at.
fn exercise_sources(env: &Env) -> Vec<(String, Vec<u8>)> {
    match &env.source {
        CourseSource::Embedded => embedded_files(),
        CourseSource::Dir(dir) => files_in_dir(&dir.join("exercises")).unwrap_or_default(),
    }
}

/// Exercises and the lessons that link them must agree: every exercise is linked by a section
/// (else no student finds it in the app), and its `lesson` names the lesson whose section
/// links it. `text_of` gives an exercise file's text (path relative to the exercises folder),
/// to point at the key at fault.
pub fn link_problems(
    course: &Course,
    exercises: &[Exercise],
    text_of: &dyn Fn(&str) -> Option<String>,
) -> Vec<ExerciseProblem> {
    let mut problems = Vec::new();
    for exercise in exercises {
        let linking: Vec<&str> = course
            .ready()
            .filter(|l| l.exercise_ids().any(|e| e == exercise.id))
            .map(|l| l.id.as_str())
            .collect();
        let lesson = &exercise.lesson;
        let named = course.find(lesson).is_some();
        let (key, message) = if linking.is_empty() {
            let place = if named {
                format!("a section of lesson `{lesson}`")
            } else {
                "the section that teaches it".to_string()
            };
            (
                "id",
                format!(
                    "no section links exercise `{id}`, so no student finds it in the app; add \
                     `exercise = \"{id}\"` to {place}",
                    id = exercise.id
                ),
            )
        } else if linking.contains(&lesson.as_str()) {
            continue;
        } else if named {
            (
                "lesson",
                format!(
                    "`lesson = \"{lesson}\"`, but the section that links this exercise is in \
                     lesson `{}`; write `lesson = \"{}\"`",
                    linking.join("` and `"),
                    linking[0]
                ),
            )
        } else {
            let hint = match did_you_mean(lesson, course.ready().map(|l| l.id.as_str())) {
                Some(close) if close == linking[0] => format!("did you mean `{close}`?"),
                _ => format!(
                    "the section that links this exercise is in lesson `{}`",
                    linking[0]
                ),
            };
            (
                "lesson",
                format!("`lesson = \"{lesson}\"` names no lesson; {hint}"),
            )
        };
        let path = format!("{}/exercise.toml", exercise.id);
        let located = text_of(&path).and_then(|text| {
            value_span(&text, key)
                .map(|span| ExerciseProblem::at_offset(&path, &text, span.start, &message))
        });
        problems.push(located.unwrap_or_else(|| ExerciseProblem::at_start(&path, message)));
    }
    problems
}

/// The byte range of `key`'s value in an `exercise.toml`, to point errors at it. `None` when
/// the text does not parse or has no such key.
pub fn value_span(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let table = toml::de::DeTable::parse(text).ok()?.into_inner();
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v.span())
}

/// `problem` as a diagnostic that shows its line with a caret under the spot, like lesson
/// errors. `text` is the file's contents, if it could be read.
pub fn problem_diagnostic(
    problem: &ExerciseProblem,
    text: Option<&str>,
) -> crate::course::Diagnostic {
    let path = format!("exercises/{}", problem.path);
    let Some(text) = text else {
        return crate::course::Diagnostic::whole_file(&path, problem.message.clone());
    };
    // Back from line and column to a byte offset, then underline the token there: a quoted
    // string to its closing quote, else a run of word characters.
    let line_start: usize = text
        .split_inclusive('\n')
        .take(problem.line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line = &text[line_start.min(text.len())..];
    let start = line_start
        + line
            .char_indices()
            .nth(problem.col.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i);
    let rest = &text[start.min(text.len())..];
    let len = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find([q, '\n']).map_or(1, |end| end + 2),
        _ => rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len())
            .max(1),
    };
    crate::course::Diagnostic::at(
        &path,
        &crate::course::SourceMap::new(text),
        start..start + len,
        problem.message.clone(),
    )
}
