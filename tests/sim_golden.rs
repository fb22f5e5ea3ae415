//! Golden JSON for every registered kind: `sysdesign sim KIND --seed 42 --ticks 200 --json`,
//! compared with tests/golden/sim/KIND.json. Set UPDATE_GOLDEN=1 to rewrite the files after
//! a deliberate change, and review the diff.

use std::path::PathBuf;

use sysdesign::sim::kinds;
use sysdesign::sim::run::run;

const SEED: u64 = 42;
const TICKS: u64 = 200;

fn pretty_json(kind: &str) -> String {
    let summary = run(kind, SEED, TICKS, &[]).expect("defaults run");
    let mut json = serde_json::to_string_pretty(&summary).expect("summaries serialize");
    json.push('\n');
    json
}

fn golden_path(kind: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/sim")
        .join(format!("{kind}.json"))
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

#[test]
fn every_kind_matches_its_golden_json() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for kind in kinds() {
        let actual = pretty_json(kind.name);
        let path = golden_path(kind.name);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{}: output changed; {}",
                kind.name,
                first_difference(&expected, &actual)
            )),
            Err(e) => failures.push(format!(
                "{}: cannot read {} ({e}); run with UPDATE_GOLDEN=1 to create it",
                kind.name,
                path.display()
            )),
        }
    }
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

#[test]
fn different_seeds_give_different_runs() {
    for kind in kinds() {
        let a = serde_json::to_string(&run(kind.name, 1, TICKS, &[]).unwrap()).unwrap();
        let b = serde_json::to_string(&run(kind.name, 2, TICKS, &[]).unwrap()).unwrap();
        let strip = |s: &str| s.replace("\"seed\":1", "").replace("\"seed\":2", "");
        assert_ne!(strip(&a), strip(&b), "{} ignores its seed", kind.name);
    }
}
