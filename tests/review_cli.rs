//! `sysdesign review [--json]` against golden files, at a fixed "now" (`--now`, hidden), so
//! the wall clock is never read. UPDATE_GOLDEN=1 rewrites them; review the diff.

use std::path::Path;
use std::process::Command;

use sysdesign::grade::quiz::Answer;
use sysdesign::progress::{Change, Progress};

/// 2026-01-01T00:00:00Z.
const T0: i64 = 1_767_225_600;
const DAY: i64 = 86_400;

fn review(ws: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sysdesign"))
        .arg("--workspace")
        .arg(ws)
        .arg("review")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/cli")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}; run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(expected, actual, "{name} differs from its golden file");
}

fn student(ws: &Path) {
    let mut p = Progress::default();
    for (lesson, quiz, correct, at) in [
        ("intro", "perf-vs-scale", true, T0),
        ("intro", "cap-choice", true, T0 + 60),
        ("caching", "avg-latency", false, T0 + 120),
        ("devops", "hpa-replicas", true, T0 + 180),
    ] {
        Change::QuizAnswered {
            lesson: lesson.into(),
            quiz: quiz.into(),
            answer: Answer::Single { choice: 0 },
            correct,
        }
        .apply(&mut p);
        Change::CardReviewed {
            lesson: lesson.into(),
            quiz: quiz.into(),
            correct,
            at,
        }
        .apply(&mut p);
    }
    // A right answer again a day later pushes that card out by days.
    Change::CardReviewed {
        lesson: "devops".into(),
        quiz: "hpa-replicas".into(),
        correct: true,
        at: T0 + DAY,
    }
    .apply(&mut p);
    std::fs::write(ws.join("progress.json"), serde_json::to_string(&p).unwrap()).unwrap();
}

#[test]
fn review_says_what_is_due_and_when_the_next_card_comes() {
    let ws = tempfile::tempdir().unwrap();
    student(ws.path());
    let now = (T0 + DAY + 3_600).to_string();
    let (code, text) = review(ws.path(), &["--now", &now]);
    assert_eq!(code, 0, "{text}");
    golden("review.txt", &text);
    assert!(text.starts_with("3 due now, of 4 review cards."), "{text}");
    let (code, json) = review(ws.path(), &["--json", "--now", &now]);
    assert_eq!(code, 0);
    golden("review.json", &json);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["due"], 3);
    assert_eq!(v["cards"], 4);
    assert!(v["next_due"].as_str().unwrap().starts_with("2026-01-"));
    let first = &v["due_cards"][0];
    assert_eq!(
        (first["lesson"].as_str(), first["quiz"].as_str()),
        (Some("caching"), Some("avg-latency")),
        "the wrong answer is the most overdue"
    );
}

#[test]
fn a_fresh_workspace_has_no_cards() {
    let ws = tempfile::tempdir().unwrap();
    let (code, text) = review(ws.path(), &["--now", &T0.to_string()]);
    assert_eq!(code, 0);
    assert!(text.starts_with("No review cards yet"), "{text}");
    let (_, json) = review(ws.path(), &["--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!((v["cards"].as_u64(), v["due"].as_u64()), (Some(0), Some(0)));
    assert!(v["next_due"].is_null());
}
