//! Golden output for every registered kind: `sysdesign sim KIND --seed 42 --ticks 200`, as
//! JSON (tests/golden/sim/KIND.json) and as the human report (KIND.txt), and `sim --list`
//! (list.txt). Set UPDATE_GOLDEN=1 to rewrite the files after a deliberate change, and review
//! the diff.

use std::path::PathBuf;

use sysdesign::sim::kinds;
use sysdesign::sim::run::{human, list, run};

const SEED: u64 = 42;
const TICKS: u64 = 200;

fn pretty_json(kind: &str) -> String {
    let summary = run(kind, SEED, TICKS, &[]).expect("defaults run");
    let mut json = serde_json::to_string_pretty(&summary).expect("summaries serialize");
    json.push('\n');
    json
}

fn golden_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/sim")
        .join(file)
}

/// The first differing line, with a little context, so a failure says what changed.
fn first_difference(expected: &str, actual: &str) -> String {
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    let at = expected
        .iter()
        .zip(&actual)
        .position(|(e, a)| e != a)
        .unwrap_or(expected.len().min(actual.len()));
    let show = |lines: &[&str]| {
        lines[at.saturating_sub(2)..(at + 3).min(lines.len())]
            .iter()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "first difference at line {}:\n  expected:\n{}\n  actual:\n{}",
        at + 1,
        show(&expected),
        show(&actual)
    )
}

/// Compare `actual` with the golden file, or rewrite it under UPDATE_GOLDEN=1. A failure is
/// described in `failures`; a missing file is one.
fn check(file: &str, actual: &str, failures: &mut Vec<String>) {
    let path = golden_path(file);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => failures.push(format!(
            "{file}: output changed; {}",
            first_difference(&expected, actual)
        )),
        Err(e) => failures.push(format!(
            "{file}: cannot read {} ({e}); run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )),
    }
}

#[test]
fn every_kind_matches_its_golden_json() {
    let mut failures = Vec::new();
    for kind in kinds() {
        check(
            &format!("{}.json", kind.name),
            &pretty_json(kind.name),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_kind_matches_its_golden_report() {
    let mut failures = Vec::new();
    for kind in kinds() {
        let summary = run(kind.name, SEED, TICKS, &[]).expect("defaults run");
        check(
            &format!("{}.txt", kind.name),
            &human(&summary),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_list_matches_its_golden_file() {
    let mut failures = Vec::new();
    check("list.txt", &list(), &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_same_seed_gives_byte_identical_output() {
    for kind in kinds() {
        assert_eq!(
            pretty_json(kind.name),
            pretty_json(kind.name),
            "{}",
            kind.name
        );
    }
}
