//! `sysdesign progress`: show where the progress file is, or reset it after confirmation.

use std::io::{BufRead, IsTerminal, Write};

use super::Env;

pub fn run(env: &Env, reset: bool, yes: bool) -> i32 {
    let store = env.progress_store();
    if !reset {
        let loaded = store.load();
        if let Some(n) = loaded.notice {
            eprintln!("note: {n}");
        }
        let p = loaded.progress;
        let read: usize = p.lessons.values().map(|l| l.sections_read.len()).sum();
        let quizzes: usize = p.lessons.values().map(|l| l.quizzes.len()).sum();
        let right: usize = p
            .lessons
            .values()
            .map(|l| l.quizzes.values().filter(|q| q.correct).count())
            .sum();
        let passed = p.exercises.values().filter(|e| e.passed).count();
        println!("progress file: {}", store.path().display());
        println!(
            "sections read: {read}; quizzes answered: {quizzes} ({right} right); exercises passed: {passed}"
        );
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
            eprintln!("error: could not delete {}: {e}", store.path().display());
            2
        }
    }
}
