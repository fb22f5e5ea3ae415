//! Mutation testing of the harnesses: every mutant in tests/fixtures/mutants/<exercise>.toml
//! is the reference solution with one realistic bug, made by exact find-and-replace edits (so
//! a mutant follows the solution when it changes, and an edit that no longer applies fails
//! loudly). Each must be rejected, and by at least one fixed check: a seeded (random) check alone could miss it
//! under another seed. Runs real cargo builds, one warm grader per exercise under
//! CARGO_TARGET_TMPDIR, so the exercises grade in parallel.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sysdesign::grade::{Exercise, GradeResult, Grader, Limits, Status, embedded_exercises};

/// Any seed will do: the fixed checks must catch every mutant, and they ignore it.
const SEED: u64 = 20_251_204;

/// Fewer than this many mutants cannot cover an exercise's spec.
const MIN_MUTANTS: usize = 10;

fn mutants_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mutants")
}

fn exercise(id: &str) -> Exercise {
    let (exercises, problems) = embedded_exercises();
    assert!(problems.is_empty(), "{problems:#?}");
    exercises
        .into_iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no embedded exercise `{id}`"))
}

/// The names of the checks the harness makes with `Check::seeded("name", ...)`.
fn seeded_checks(harness: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = harness;
    while let Some(at) = rest.find("Check::seeded(") {
        rest = rest[at + "Check::seeded(".len()..].trim_start();
        let body = rest
            .strip_prefix('"')
            .expect("Check::seeded takes the name as a string literal first");
        let mut name = String::new();
        let mut chars = body.char_indices();
        let end = loop {
            match chars.next() {
                Some((_, '\\')) => name.extend(chars.next().map(|(_, c)| c)),
                Some((i, '"')) => break i,
                Some((_, c)) => name.push(c),
                None => panic!("unterminated check name in the harness"),
            }
        };
        names.insert(name);
        rest = &body[end + 1..];
    }
    names
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MutantFile {
    mutant: Vec<MutantSpec>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MutantSpec {
    name: String,
    bug: String,
    edit: Vec<Edit>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    find: String,
    replace: String,
}

/// One bug, applied: the source the grader sees.
struct Mutant {
    name: String,
    bug: String,
    source: String,
}

/// Applies `edits` in order; each `find` must occur exactly once in the text it edits.
fn apply(solution: &str, edits: &[Edit]) -> Result<String, String> {
    let mut source = solution.to_owned();
    for (n, edit) in edits.iter().enumerate() {
        match source.matches(edit.find.as_str()).count() {
            1 => source = source.replacen(edit.find.as_str(), &edit.replace, 1),
            count => {
                return Err(format!(
                    "edit {} finds its text {count} times, not once:\n{}",
                    n + 1,
                    edit.find
                ));
            }
        }
    }
    Ok(source)
}

/// The mutants of an exercise, in file order; panics naming the file on a bad one.
fn mutants(id: &str, solution: &str) -> Vec<Mutant> {
    let path = mutants_dir().join(format!("{id}.toml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: MutantFile =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file.mutant
        .into_iter()
        .map(|spec| {
            let source = apply(solution, &spec.edit)
                .unwrap_or_else(|why| panic!("{}: mutant {}: {why}", path.display(), spec.name));
            Mutant {
                name: spec.name,
                bug: spec.bug,
                source,
            }
        })
        .collect()
}

/// Why a graded mutant does not count as caught, if it does not.
fn verdict(result: &GradeResult, seeded: &BTreeSet<String>) -> Option<String> {
    match result.status {
        Status::Pass => {
            return Some(format!(
                "survived: passed all {} checks",
                result.tests.len()
            ));
        }
        Status::Error if result.tests.is_empty() => {
            return Some(format!(
                "is not a valid mutant, it was not judged: {}",
                result.message.as_deref().unwrap_or("no message")
            ));
        }
        _ => {}
    }
    let failed = failing(result);
    if failed.iter().all(|name| seeded.contains(*name)) {
        Some(format!(
            "caught only by seeded checks, so another seed could miss it: {failed:?}"
        ))
    } else {
        None
    }
}

/// The names of the checks that did not pass.
fn failing(result: &GradeResult) -> Vec<&str> {
    result
        .tests
        .iter()
        .filter(|t| t.status != Status::Pass)
        .map(|t| t.name.as_str())
        .collect()
}

/// Grades every mutant of `id` and fails listing each one not caught by a fixed check.
fn every_mutant_is_caught(id: &str) {
    let exercise = exercise(id);
    let seeded = seeded_checks(&exercise.harness);
    let mutants = mutants(id, &exercise.solution);
    assert!(
        mutants.len() >= MIN_MUTANTS,
        "tests/fixtures/mutants/{id}.toml holds {} mutants; it needs at least {MIN_MUTANTS}",
        mutants.len()
    );
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("grade-mutants")
        .join(id);
    // Generous: no mutant loops forever, and a loaded CI machine must not fail the solution.
    let limits = Limits {
        per_check: Duration::from_secs(10),
        total: Duration::from_secs(60),
        ..Limits::default()
    };
    let grader = Grader::new(dir).with_limits(limits);
    // A harness that rejects everything would catch every mutant: the solution must pass.
    let shown_as = format!("exercises/{id}/solution.rs");
    let reference =
        grader.grade_source(&exercise, &exercise.solution, &shown_as, SEED, &mut |_| {});
    assert_eq!(
        reference.status,
        Status::Pass,
        "the reference solution of {id} must pass: {reference:#?}"
    );
    let mut problems = Vec::new();
    for Mutant { name, bug, source } in &mutants {
        if bug.trim().is_empty() {
            problems.push(format!("{name}: its `bug` must say what the bug is"));
        }
        if source.trim() == exercise.solution.trim() {
            problems.push(format!("{name}: is the reference solution, not a mutant"));
            continue;
        }
        let shown_as = format!("exercises/{id}/src/lib.rs (mutant {name})");
        let result = grader.grade_source(&exercise, source, &shown_as, SEED, &mut |_| {});
        match verdict(&result, &seeded) {
            Some(why) => {
                problems.push(format!("{name} ({bug}) {why}"));
            }
            // Shown with --nocapture: which checks catch which bug.
            None => println!("{id}/{name}: caught by {:?}", failing(&result)),
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} mutants of {id} were not caught by a fixed check (seed {SEED}):\n{}",
        problems.len(),
        mutants.len(),
        problems.join("\n")
    );
}

#[test]
fn every_exercise_has_a_mutant_set_and_every_set_an_exercise() {
    let (exercises, _) = embedded_exercises();
    // SQL exercises have their own wrong answers in tests/sql_exercises.rs.
    let ids: BTreeSet<String> = exercises
        .iter()
        .filter(|e| !e.kind.is_sql())
        .map(|e| e.id.clone())
        .collect();
    let dirs: BTreeSet<String> = std::fs::read_dir(mutants_dir())
        .expect("tests/fixtures/mutants")
        .map(|entry| {
            let name = entry.expect("an entry").file_name();
            let name = name.to_string_lossy();
            name.strip_suffix(".toml")
                .unwrap_or_else(|| panic!("tests/fixtures/mutants/{name} is not a mutant set"))
                .to_owned()
        })
        .collect();
    assert_eq!(ids, dirs, "exercises and mutant sets differ");
    let tested: BTreeSet<&str> = TESTED.iter().copied().collect();
    let ids: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(ids, tested, "add a test below for every exercise");
}

#[test]
fn an_edit_must_find_its_text_exactly_once() {
    let edit = |find: &str| Edit {
        find: find.into(),
        replace: "y".into(),
    };
    assert_eq!(apply("a x b", &[edit("x")]).as_deref(), Ok("a y b"));
    let missing = apply("a x b", &[edit("z")]).unwrap_err();
    assert!(
        missing.starts_with("edit 1 finds its text 0 times"),
        "{missing}"
    );
    let twice = apply("x x", &[edit("x")]).unwrap_err();
    assert!(
        twice.starts_with("edit 1 finds its text 2 times"),
        "{twice}"
    );
}

#[test]
fn every_mutant_set_applies_and_names_each_mutant_once() {
    let (exercises, _) = embedded_exercises();
    for exercise in exercises.iter().filter(|e| !e.kind.is_sql()) {
        let mutants = mutants(&exercise.id, &exercise.solution);
        let names: BTreeSet<&str> = mutants.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names.len(),
            mutants.len(),
            "{}: duplicate mutant names",
            exercise.id
        );
        for mutant in &mutants {
            assert_ne!(
                mutant.source, exercise.solution,
                "{}/{} changes nothing",
                exercise.id, mutant.name
            );
        }
    }
}

#[test]
fn a_fixed_check_that_reads_the_seed_fails_naming_itself() {
    let mut exercise = exercise("round-robin");
    let seeded = "Check::seeded(\"spreads a random cluster evenly\"";
    assert!(
        exercise.harness.contains(seeded),
        "the round-robin harness changed"
    );
    exercise.harness = exercise
        .harness
        .replace(seeded, "Check::new(\"spreads a random cluster evenly\"");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("grade-mutants-marker");
    let solution = exercise.solution.clone();
    let result =
        Grader::new(dir).grade_source(&exercise, &solution, "solution.rs", SEED, &mut |_| {});
    assert_eq!(result.status, Status::Fail, "{result:#?}");
    let failed: Vec<_> = result
        .tests
        .iter()
        .filter(|t| t.status != Status::Pass)
        .collect();
    assert_eq!(failed.len(), 1, "{result:#?}");
    assert_eq!(failed[0].name, "spreads a random cluster evenly");
    let message = failed[0].message.as_deref().unwrap_or_default();
    // #[track_caller]: the location is the harness line that read the seed.
    assert!(
        message.starts_with("panicked at <the checks of round-robin>:"),
        "{message}"
    );
    assert!(
        message.ends_with(
            "the harness's check `spreads a random cluster evenly` uses the run's seed, so it \
             must be made with Check::seeded, not Check::new"
        ),
        "{message}"
    );
}

#[test]
fn seeded_check_names_are_read_from_the_harness() {
    let harness = "vec![\n    Check::new(\"fixed\", a),\n    Check::seeded(\n        \
                   \"matches a \\\"model\\\"\",\n        b,\n    ),\n    Check::seeded(\"x\", c)]";
    let names: Vec<String> = seeded_checks(harness).into_iter().collect();
    assert_eq!(names, ["matches a \"model\"", "x"]);
}

macro_rules! mutant_tests {
    ($($test:ident => $id:literal,)*) => {
        const TESTED: &[&str] = &[$($id),*];
        $(
            #[test]
            fn $test() {
                every_mutant_is_caught($id);
            }
        )*
    };
}

mutant_tests! {
    circuit_breaker => "circuit-breaker",
    consistent_hash_ring => "consistent-hash-ring",
    idempotent_consumer => "idempotent-consumer",
    ip_hash => "ip-hash",
    least_connections => "least-connections",
    retry_backoff => "retry-backoff",
    round_robin => "round-robin",
    saga_orchestrator => "saga-orchestrator",
    token_bucket => "token-bucket",
    ttl_cache => "ttl-cache",
    write_through => "write-through",
}
