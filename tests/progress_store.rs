//! Two writers at once: every progress update is a read-merge-write under the file lock, so
//! none is lost, whether the writers are threads or processes.

use std::path::Path;

use sysdesign::progress::{Change, ProgressStore};

const ROUNDS: u32 = 60;

/// One writer: `ROUNDS` graded attempts of its own exercise (a pass on the last), plus a
/// section read and a quiz answer each round.
fn hammer(dir: &Path, writer: &str) {
    let store = ProgressStore::in_dir(dir);
    for round in 0..ROUNDS {
        let changes = [
            Change::ExerciseGraded {
                exercise: format!("ex-{writer}"),
                passed: round == ROUNDS - 1,
            },
            Change::ExerciseGraded {
                exercise: "shared".into(),
                passed: false,
            },
            Change::SectionsRead {
                lesson: "intro".into(),
                sections: vec![format!("{writer}-{round}")],
            },
            Change::QuizAnswered {
                lesson: "intro".into(),
                quiz: "shared-quiz".into(),
                answer: sysdesign::grade::quiz::Answer::Single { choice: 0 },
                correct: false,
            },
        ];
        store
            .update(|p| changes.iter().for_each(|c| c.apply(p)))
            .expect("update");
    }
}

fn assert_nothing_lost(dir: &Path, writers: &[&str]) {
    let loaded = ProgressStore::in_dir(dir).read();
    assert!(loaded.notice.is_none(), "{:?}", loaded.notice);
    let p = loaded.progress;
    let n = writers.len() as u32;
    for w in writers {
        let e = &p.exercises[&format!("ex-{w}")];
        assert_eq!(e.attempts, ROUNDS, "attempts of writer {w}");
        assert!(e.passed, "pass of writer {w}");
    }
    assert_eq!(p.exercises["shared"].attempts, ROUNDS * n);
    let intro = &p.lessons["intro"];
    assert_eq!(intro.sections_read.len() as u32, ROUNDS * n);
    assert_eq!(intro.quizzes["shared-quiz"].attempts, ROUNDS * n);
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".corrupt-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn two_threads_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::thread::scope(|s| {
        for w in ["a", "b"] {
            let dir = dir.path();
            s.spawn(move || hammer(dir, w));
        }
    });
    assert_nothing_lost(dir.path(), &["a", "b"]);
}

/// Run as a child process by `two_processes_lose_nothing`; does nothing on its own.
#[test]
fn child_writer() {
    if let (Ok(dir), Ok(writer)) = (
        std::env::var("PROGRESS_HAMMER_DIR"),
        std::env::var("PROGRESS_HAMMER_WRITER"),
    ) {
        hammer(Path::new(&dir), &writer);
    }
}

#[test]
fn two_processes_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = ["p", "q"]
        .iter()
        .map(|w| {
            std::process::Command::new(&exe)
                .args(["--exact", "child_writer", "--test-threads=1"])
                .env("PROGRESS_HAMMER_DIR", dir.path())
                .env("PROGRESS_HAMMER_WRITER", w)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert_nothing_lost(dir.path(), &["p", "q"]);
}

/// The app's copy: a pass `sysdesign grade` records while the app runs survives the app's
/// next save and its save on quitting.
#[test]
fn the_app_keeps_a_pass_graded_while_it_runs() {
    let dir = tempfile::tempdir().unwrap();
    let store = ProgressStore::in_dir(dir.path());
    let mut app = sysdesign::progress::LiveProgress::new(store.open());
    app.record(Change::LastLesson("intro".into()));
    app.save(&store).unwrap();
    hammer(dir.path(), "cli");
    app.record(Change::SectionsRead {
        lesson: "intro".into(),
        sections: vec!["x".into()],
    });
    app.save(&store).unwrap();
    let p = store.read().progress;
    assert!(p.exercise_passed("ex-cli"));
    assert_eq!(p.exercises["ex-cli"].attempts, ROUNDS);
    assert!(p.lessons["intro"].sections_read.contains("x"));
    assert!(
        app.exercise_passed("ex-cli"),
        "the app shows it after saving"
    );
}
