//! `sysdesign progress`: the per-chapter table and the "next up" line, against a golden file
//! (set UPDATE_GOLDEN=1 to rewrite it after an intended change, then review the diff).

use std::path::Path;
use std::process::Command;

use serde_json::json;

fn progress(ws: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sysdesign"))
        .arg("--workspace")
        .arg(ws)
        .arg("progress")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).replace(&ws.display().to_string(), "$WORKSPACE")
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

fn solved(value: serde_json::Value) -> serde_json::Value {
    json!({"answer": value, "correct": true, "solved": true, "attempts": 1})
}

/// Chapter 1 read through, every quiz solved but `pastebin-storage` (answered wrong);
/// chapter 2's first two sections read and its first quiz solved; one exercise passed.
fn a_student_in_chapter_one(pastebin_storage_right: bool) -> serde_json::Value {
    let single = |choice: usize| json!({"type": "single", "choice": choice});
    let numeric = |value: f64| json!({"type": "numeric", "value": value});
    let mut intro_quizzes = serde_json::Map::new();
    for (id, answer) in [
        ("perf-vs-scale", single(1)),
        ("nines-month", numeric(43.8)),
        ("series-three", numeric(99.7)),
        ("parallel-two", numeric(99.99)),
        ("cap-choice", single(1)),
        ("pacelc-else", single(1)),
        (
            "latency-order",
            json!({"type": "ordering", "order": [0, 1, 2, 3, 4, 5]}),
        ),
        (
            "percentile-truths",
            json!({"type": "multiple", "choices": [0, 2, 4]}),
        ),
        ("littles-law", numeric(100.0)),
        (
            "design-steps",
            json!({"type": "ordering", "order": [0, 1, 2, 3, 4]}),
        ),
        ("pastebin-writes", numeric(4.0)),
    ] {
        intro_quizzes.insert(id.into(), solved(answer));
    }
    let storage = if pastebin_storage_right {
        solved(numeric(457.0))
    } else {
        json!({"answer": numeric(45.7), "correct": false, "solved": false, "attempts": 1})
    };
    intro_quizzes.insert("pastebin-storage".into(), storage);
    json!({
        "version": 1,
        "lessons": {
            "intro": {
                "sections_read": ["introduction", "key-concepts", "availability", "cap",
                    "latency-throughput", "design-process", "estimates", "scaling-trade-offs",
                    "further-reading"],
                "quizzes": intro_quizzes,
                // Chapter 1's design challenge, passed: kept in the lesson that links it.
                "challenges": {"size-a-tier": {"passed": true, "attempts": 3}},
            },
            "architecture": {
                "sections_read": ["architectural-patterns", "monolith"],
                "quizzes": {"monolith-advantages": solved(json!({"type": "multiple", "choices": [0, 2, 4, 5]}))},
            },
        },
        "exercises": {"round-robin": {"passed": true, "attempts": 2}},
    })
}

#[test]
fn the_table_counts_each_chapter_and_names_the_next_section() {
    let ws = tempfile::tempdir().unwrap();
    let file = ws.path().join("progress.json");
    std::fs::write(&file, a_student_in_chapter_one(false).to_string()).unwrap();
    let before = std::fs::read(&file).unwrap();
    let shown = progress(ws.path());
    golden("progress-table.txt", &shown);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "showing writes nothing"
    );
    // Read but with a quiz unsolved: that section is still next.
    assert!(shown.contains("next up: 1.7 "), "{shown}");

    // Solve it: the next section is the first one of chapter 2 not read yet.
    std::fs::write(&file, a_student_in_chapter_one(true).to_string()).unwrap();
    let shown = progress(ws.path());
    assert!(shown.contains("next up: 2.3 "), "{shown}");
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with(" 1 ") && l.contains("100%") && l.contains("12/12")),
        "{shown}"
    );
}

#[test]
fn a_fresh_workspace_starts_at_the_first_section() {
    let ws = tempfile::tempdir().unwrap();
    let shown = progress(ws.path());
    assert!(shown.contains("next up: 1.1 "), "{shown}");
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with(" 9 ") && l.contains("0%")),
        "{shown}"
    );
}

#[test]
fn the_catalog_offers_to_continue_at_that_section() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use sysdesign::tui::model::Screen;
    use sysdesign::tui::msg::Msg;

    let ws = tempfile::tempdir().unwrap();
    std::fs::write(
        ws.path().join("progress.json"),
        a_student_in_chapter_one(false).to_string(),
    )
    .unwrap();
    let env = sysdesign::cli::Env::new(None, Some(ws.path().to_path_buf()));
    let size = ratatui::layout::Rect::new(0, 0, 100, 30);
    let mut m = sysdesign::tui::initial_model(&env, size, sysdesign::theme::Theme::MONO);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    terminal
        .draw(|f| sysdesign::tui::view::view(&m, f))
        .unwrap();
    let footer: String = (0..100)
        .map(|x| terminal.backend().buffer()[(x, 29)].symbol().to_string())
        .collect();
    assert!(footer.contains("c  continue 1.7"), "{footer}");

    sysdesign::tui::update::update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE)),
    );
    let Screen::Reader(reader) = &m.screen else {
        panic!("c opens the reader")
    };
    let lesson = m.lesson_of(reader).unwrap();
    assert_eq!(lesson.id, "intro");
    assert_eq!(
        lesson.sections[reader.doc.section_at(reader.scroll)].id,
        "estimates"
    );
}
