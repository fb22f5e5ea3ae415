//! Loading exercises: the embedded course is clean, and each broken exercise folder is
//! reported at the right place while the others still load.

use sysdesign::grade::{Difficulty, LiveTrait, embedded_exercises, files_in_dir, load_exercises};

const GOOD_TOML: &str = r#"id = "demo"
title = "A demo"
lesson = "caching"
difficulty = "easy"
description = "Do the thing."
hints = ["First hint", "Second hint"]
"#;

fn folder(id: &str, toml: &str) -> Vec<(String, Vec<u8>)> {
    vec![
        (format!("{id}/exercise.toml"), toml.as_bytes().to_vec()),
        (format!("{id}/starter.rs"), b"pub fn f() {}\n".to_vec()),
        (format!("{id}/solution.rs"), b"pub fn f() {}\n".to_vec()),
        (format!("{id}/harness.rs"), b"pub fn checks() {}\n".to_vec()),
    ]
}

/// Problems as `path:line:col: message` for compact comparisons.
fn problems_of(files: &[(String, Vec<u8>)]) -> Vec<String> {
    load_exercises(files)
        .1
        .iter()
        .map(|p| format!("{}:{}:{}: {}", p.path, p.line, p.col, p.message))
        .collect()
}

#[test]
fn the_embedded_exercises_load_cleanly_and_link_to_lessons() {
    let (exercises, problems) = embedded_exercises();
    assert!(problems.is_empty(), "{problems:#?}");
    let ids: Vec<&str> = exercises.iter().map(|e| e.id.as_str()).collect();
    for (id, lesson) in [
        ("round-robin", "scalability"),
        ("least-connections", "scalability"),
        ("ip-hash", "scalability"),
        ("consistent-hash-ring", "scalability"),
        ("ttl-cache", "caching"),
        ("write-through", "caching"),
        ("saga-orchestrator", "microservices"),
        ("circuit-breaker", "microservices"),
        ("retry-backoff", "microservices"),
        ("token-bucket", "api-design"),
        ("idempotent-consumer", "architecture"),
    ] {
        let exercise = exercises
            .iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("{id} missing from {ids:?}"));
        assert_eq!(exercise.lesson, lesson, "{id}");
        assert!(!exercise.hints.is_empty(), "{id}");
    }
    let live: Vec<(&str, LiveTrait)> = exercises
        .iter()
        .filter_map(|e| e.live.map(|t| (e.id.as_str(), t)))
        .collect();
    assert_eq!(
        live,
        vec![
            ("ip-hash", LiveTrait::Balancer),
            ("least-connections", LiveTrait::Balancer),
            ("round-robin", LiveTrait::Balancer),
            ("saga-orchestrator", LiveTrait::SagaOrchestrator),
            ("ttl-cache", LiveTrait::TtlCache),
        ]
    );
}

#[test]
fn a_good_folder_loads_every_field() {
    let mut toml = GOOD_TOML.to_string();
    toml.push_str("trait = \"ttl-cache\"\n");
    let (exercises, problems) = load_exercises(&folder("demo", &toml));
    assert!(problems.is_empty(), "{problems:#?}");
    let demo = &exercises[0];
    assert_eq!(demo.id, "demo");
    assert_eq!(demo.title, "A demo");
    assert_eq!(demo.lesson, "caching");
    assert_eq!(demo.difficulty, Difficulty::Easy);
    assert_eq!(demo.hints, vec!["First hint", "Second hint"]);
    assert_eq!(demo.live, Some(LiveTrait::TtlCache));
    assert_eq!(demo.starter, "pub fn f() {}\n");
}

#[test]
fn broken_manifests_are_located_at_the_bad_spot() {
    let cases: &[(&str, &str)] = &[
        (
            "id = \"demo\"\ntitle = \"A demo\"\nlessson = \"caching\"\nlesson = \"caching\"\n\
             difficulty = \"easy\"\ndescription = \"x\"\nhints = [\"h\"]\n",
            "demo/exercise.toml:3:1: unknown key `lessson`; did you mean `lesson`?",
        ),
        (
            "id = \"demo\"\ntitle = \"A demo\"\nlesson = \"caching\"\ndifficulty = \"brutal\"\n\
             description = \"x\"\nhints = [\"h\"]\n",
            "demo/exercise.toml:4:14: unknown difficulty \"brutal\"; use one of easy, medium, hard",
        ),
        (
            "id = \"other\"\ntitle = \"A demo\"\nlesson = \"caching\"\ndifficulty = \"easy\"\n\
             description = \"x\"\nhints = [\"h\"]\n",
            "demo/exercise.toml:1:6: `id` is \"other\" but the folder is `demo`; they must match",
        ),
        (
            "id = \"demo\"\ntitle = \"A demo\"\nlesson = \"caching\"\ndifficulty = \"easy\"\n\
             description = \"x\"\nhints = []\n",
            "demo/exercise.toml:6:9: `hints` needs at least one hint",
        ),
        (
            "id = \"demo\"\ntitle = \"A demo\"\nlesson = \"caching\"\ndifficulty = \"easy\"\n\
             description = \"x\"\nhints = [\"h\", 3]\n",
            "demo/exercise.toml:6:15: each hint must be a non-empty string",
        ),
        (
            "id = \"demo\"\ntitle = 7\nlesson = \"caching\"\ndifficulty = \"easy\"\n\
             description = \"x\"\nhints = [\"h\"]\n",
            "demo/exercise.toml:2:9: `title` must be a string",
        ),
        (
            "id = \"demo\"\nlesson = \"caching\"\ndifficulty = \"easy\"\ndescription = \"x\"\n\
             hints = [\"h\"]\n",
            "demo/exercise.toml:1:1: missing required key `title`",
        ),
        (
            "id = \"demo\"\ntitle = \"A demo\"\nlesson = \"caching\"\ndifficulty = \"easy\"\n\
             description = \"x\"\nhints = [\"h\"]\ntrait = \"queue\"\n",
            "demo/exercise.toml:7:9: unknown trait \"queue\"; use one of balancer, ttl-cache, \
             saga-orchestrator",
        ),
        (
            "id = \"demo\"\ntitle = \"A demo\n",
            "demo/exercise.toml:2:16: invalid basic string, expected `\"`",
        ),
        (
            "id = \"demo\"\ntitle = \"A demo\"\nlesson = \"Caching Lesson\"\ndifficulty = \"easy\"\n\
             description = \"x\"\nhints = [\"h\"]\n",
            "demo/exercise.toml:3:10: `lesson` must be a lesson id: lowercase letters, digits and '-'",
        ),
    ];
    for (toml, expected) in cases {
        let problems = problems_of(&folder("demo", toml));
        assert_eq!(problems, vec![expected.to_string()], "for:\n{toml}");
    }
}

#[test]
fn missing_unknown_empty_and_binary_files_are_reported() {
    let mut files = folder("demo", GOOD_TOML);
    files.retain(|(path, _)| path != "demo/harness.rs");
    files.push(("demo/harnes.rs".to_string(), b"x".to_vec()));
    files.push(("demo/starter.rs".to_string(), b"  \n".to_vec()));
    files.retain(|(path, contents)| path != "demo/starter.rs" || contents.as_slice() == b"  \n");
    files.push(("loose.txt".to_string(), b"x".to_vec()));
    let mut problems = problems_of(&files);
    problems.sort();
    assert_eq!(
        problems,
        vec![
            "demo/harnes.rs:1:1: unexpected file `harnes.rs`; did you mean `harness.rs`?",
            "demo/harness.rs:1:1: missing file: every exercise needs exercise.toml, starter.rs, \
             solution.rs, harness.rs",
            "demo/starter.rs:1:1: the file is empty",
            "loose.txt:1:1: a file outside an exercise folder; put each exercise in \
             `exercises/<id>/`",
        ]
    );

    let mut binary = folder("demo", GOOD_TOML);
    binary[1].1 = b"pub fn f() {}\n// \xff\xfe\n".to_vec();
    assert_eq!(
        problems_of(&binary),
        vec!["demo/starter.rs:2:4: the file is not valid UTF-8"]
    );
}

#[test]
fn a_broken_exercise_does_not_stop_the_others() {
    let mut files = folder("good", &GOOD_TOML.replace("\"demo\"", "\"good\""));
    files.extend(folder("bad", "id = \"bad\"\n"));
    let (exercises, problems) = load_exercises(&files);
    assert_eq!(exercises.len(), 1);
    assert_eq!(exercises[0].id, "good");
    assert!(!problems.is_empty());
    assert!(problems.iter().all(|p| p.path.starts_with("bad/")));
}

#[test]
fn a_course_directory_loads_like_the_embedded_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, contents) in folder("demo", GOOD_TOML) {
        let target = dir.path().join(&path);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::write(target, contents).expect("write");
    }
    std::fs::write(dir.path().join("demo/.starter.rs.swp"), b"\xff").expect("write");
    let files = files_in_dir(dir.path()).expect("readable");
    assert_eq!(files.len(), 4, "hidden files are skipped: {files:?}");
    let (exercises, problems) = load_exercises(&files);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(exercises[0].id, "demo");
}

#[test]
fn problems_print_like_compiler_errors() {
    let problems = load_exercises(&folder("demo", "id = 1\n")).1;
    assert_eq!(
        problems[0].to_string(),
        "exercises/demo/exercise.toml:1:6: error: `id` must be a string"
    );
}
