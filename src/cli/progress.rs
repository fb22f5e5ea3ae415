//! `sysdesign progress`: show where the progress file is and what it holds, or reset it after
//! confirmation. Showing is read-only: it changes nothing on disk, even for a file it cannot
//! use.

use std::io::{BufRead, IsTerminal, Write};

use unicode_width::UnicodeWidthStr;

use crate::course::Course;
use crate::progress::Progress;
use crate::text::fit;

use super::Env;

/// How wide the chapter column is; longer titles are cut with `…`.
const TITLE_WIDTH: usize = 34;

/// The per-chapter table, the totals over the whole file, and the next section to do.
pub fn report(course: &Course, progress: &Progress) -> String {
    let mut out = String::new();
    let cell = |done: usize, total: usize| {
        if total == 0 {
            "—".to_string()
        } else {
            format!("{done}/{total}")
        }
    };
    let row = |chapter: &str, read: &str, quizzes: &str, exercises: &str, challenges: &str| {
        let chapter = fit(chapter, TITLE_WIDTH);
        let pad = " ".repeat(TITLE_WIDTH.saturating_sub(chapter.width()));
        format!("{chapter}{pad}  {read:>5}  {quizzes:>7}  {exercises:>9}  {challenges:>10}\n")
    };
    out.push_str(&row(
        "Chapter",
        "Read",
        "Quizzes",
        "Exercises",
        "Challenges",
    ));
    for lesson in course.ready() {
        let s = progress.chapter_status(lesson);
        let title = format!(
            "{:>2} {}",
            lesson.chapter,
            crate::markdown::sanitize(&lesson.title)
        );
        out.push_str(&row(
            &title,
            &format!("{}%", s.read_percent()),
            &cell(s.quizzes_solved, s.quizzes),
            &cell(s.exercises_passed, s.exercises),
            &cell(s.challenges_passed, s.challenges),
        ));
    }
    let t = progress.totals();
    out.push_str(&format!(
        "\nsections read: {}; quizzes answered: {} ({} solved); exercises passed: {}; \
         challenges passed: {}\n",
        t.sections_read,
        t.quizzes_answered,
        t.quizzes_solved,
        t.exercises_passed,
        t.challenges_passed
    ));
    match progress.next_up(course.ready()) {
        Some(next) => out.push_str(&format!(
            "next up: {} (sysdesign show {})\n",
            next.label(),
            next.lesson
        )),
        None => out.push_str("next up: nothing; every section is read, solved and passed\n"),
    }
    out
}

pub fn run(env: &Env, reset: bool, yes: bool) -> i32 {
    let store = env.progress_store();
    if !reset {
        let loaded = store.read();
        if let Some(n) = &loaded.notice {
            eprintln!("note: {n}");
        }
        println!("progress file: {}", store.path().display());
        if !loaded.writable {
            // A newer or unreadable file: its contents are not known, so say nothing of them.
            return 1;
        }
        let course = env.load_course();
        print!("{}", report(&course, &loaded.progress));
        return 0;
    }
    if !yes {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            eprintln!(
                "error: refusing to reset progress without confirmation; run `sysdesign progress --reset --yes`"
            );
            return 2;
        }
        print!(
            "Delete all progress in {}? This cannot be undone. [y/N] ",
            store.path().display()
        );
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        if stdin.lock().read_line(&mut line).is_err() || !matches!(line.trim(), "y" | "Y" | "yes") {
            println!("Nothing was changed.");
            return 1;
        }
    }
    match store.reset() {
        Ok(()) => {
            println!("Progress reset ({}).", store.path().display());
            0
        }
        Err(e) => {
            eprintln!("error: could not reset progress: {e}");
            2
        }
    }
}
