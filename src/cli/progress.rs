//! `sysdesign progress`: show where the progress file is and what it holds, or reset it after
//! confirmation. Showing is read-only: it changes nothing on disk, even for a file it cannot
//! use.

use std::io::{BufRead, IsTerminal, Write};

use super::Env;

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
        let t = loaded.progress.totals();
        println!(
            "sections read: {}; quizzes answered: {} ({} solved); exercises passed: {}",
            t.sections_read, t.quizzes_answered, t.quizzes_solved, t.exercises_passed
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
            eprintln!("error: could not reset progress: {e}");
            2
        }
    }
}
