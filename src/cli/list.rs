//! `sysdesign list`: chapters and lessons with their counts and the student's progress.

use serde::Serialize;

use crate::course::LessonEntry;

use super::Env;

#[derive(Serialize)]
struct Row<'a> {
    id: Option<&'a str>,
    chapter: Option<u32>,
    title: Option<&'a str>,
    path: &'a str,
    status: &'static str,
    sections: usize,
    quizzes: usize,
    visualizations: usize,
    exercises: usize,
    /// Design challenges its sections link.
    challenges: usize,
    words: usize,
    minutes: u32,
    progress: ProgressCell,
    errors: Vec<String>,
}

/// `list --json`: the course (from its course.toml) and its lessons.
#[derive(Serialize)]
struct Listing<'a> {
    course: CourseInfo<'a>,
    lessons: Vec<Row<'a>>,
}

/// What course.toml says; `None` for what a directory without one cannot say.
#[derive(Serialize)]
struct CourseInfo<'a> {
    id: &'a str,
    title: &'a str,
    version: Option<&'a str>,
    author: Option<&'a str>,
    licence: Option<&'a str>,
}

impl<'a> CourseInfo<'a> {
    fn of(pack: &'a crate::course::pack::CoursePack) -> Self {
        let given = |s: &'a str| (!s.is_empty()).then_some(s);
        CourseInfo {
            id: &pack.id,
            title: &pack.title,
            version: given(&pack.version),
            author: given(&pack.author),
            licence: given(&pack.licence),
        }
    }
}

#[derive(Serialize)]
struct ProgressCell {
    done: usize,
    total: usize,
}

pub fn run(env: &Env, json: bool) -> i32 {
    let course = env.load_course();
    let progress = env.progress_store().read();
    if let Some(notice) = &progress.notice {
        eprintln!("note: {notice}");
    }
    let rows: Vec<Row> = course
        .lessons
        .iter()
        .map(|entry| match entry {
            LessonEntry::Ready(l) => {
                let (done, total) = progress.progress.completion(l);
                Row {
                    id: Some(&l.id),
                    chapter: Some(l.chapter),
                    title: Some(&l.title),
                    path: &l.path,
                    status: "ok",
                    sections: l.sections.len(),
                    quizzes: l.quizzes.len(),
                    visualizations: l.visualization_count(),
                    exercises: l.exercise_ids().count(),
                    challenges: l.challenge_ids().count(),
                    words: l.word_count(),
                    minutes: l.minutes,
                    progress: ProgressCell { done, total },
                    errors: Vec::new(),
                }
            }
            LessonEntry::Broken { path, diagnostics } => Row {
                id: None,
                chapter: None,
                title: None,
                path,
                status: "error",
                sections: 0,
                quizzes: 0,
                visualizations: 0,
                exercises: 0,
                challenges: 0,
                words: 0,
                minutes: 0,
                progress: ProgressCell { done: 0, total: 0 },
                errors: diagnostics.iter().map(|d| d.to_string()).collect(),
            },
        })
        .collect();
    let broken = rows.iter().any(|r| r.status != "ok") || !course.problems.is_empty();
    if json {
        let listing = Listing {
            course: CourseInfo::of(&course.pack),
            lessons: rows,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&listing).expect("the listing serialises")
        );
    } else {
        println!("{}\n", about(&course.pack));
        println!(
            "{:>3}  {:<14} {:<34} {:>4} {:>4} {:>3} {:>3} {:>4} {:>6} {:>9}",
            "ch", "id", "title", "sect", "quiz", "viz", "ex", "chal", "words", "progress"
        );
        for r in &rows {
            match (r.id, r.title, r.chapter) {
                (Some(id), Some(title), Some(ch)) => println!(
                    "{ch:>3}  {id:<14} {:<34} {:>4} {:>4} {:>3} {:>3} {:>4} {:>6} {:>9}",
                    crate::text::fit(&crate::markdown::sanitize(title), 34),
                    r.sections,
                    r.quizzes,
                    r.visualizations,
                    r.exercises,
                    r.challenges,
                    r.words,
                    format!("{}/{}", r.progress.done, r.progress.total)
                ),
                _ => println!(
                    "  -  {:<14} {}",
                    "(broken)",
                    r.errors.first().map(String::as_str).unwrap_or(r.path)
                ),
            }
        }
        for p in &course.problems {
            println!("error: {p}");
        }
    }
    i32::from(broken)
}

/// The course's own title line: `Title · id version by author · licence`.
fn about(pack: &crate::course::pack::CoursePack) -> String {
    let title = crate::markdown::sanitize(&pack.title);
    if pack.version.is_empty() {
        // A directory without a course.toml has only a name.
        return title.into_owned();
    }
    let line = format!(
        "{title} · {} {} by {} · {}",
        pack.id, pack.version, pack.author, pack.licence
    );
    crate::markdown::sanitize(&line).into_owned()
}
