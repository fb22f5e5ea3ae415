//! The complete exercise in docs/authoring.md is a working exercise: it loads, its starter
//! fails and its solution passes.

use std::path::PathBuf;

use sysdesign::grade::dev_check::dev_check;
use sysdesign::grade::{Grader, load_exercises};

/// The fenced blocks of `lang` after `heading`, in order.
fn blocks_after<'a>(text: &'a str, heading: &str, lang: &str) -> Vec<&'a str> {
    let start = text.find(heading).expect("heading in docs/authoring.md");
    let fence = format!("```{lang}\n");
    let mut rest = &text[start..];
    let mut blocks = Vec::new();
    while let Some(open) = rest.find(&fence) {
        let body = &rest[open + fence.len()..];
        let close = body.find("```").expect("closed fence");
        blocks.push(&body[..close]);
        rest = &body[close + 3..];
    }
    blocks
}

#[test]
fn the_documented_exercise_works() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/authoring.md"))
        .expect("docs/authoring.md");
    let manifest = blocks_after(&docs, "### exercise.toml", "toml")[0];
    let rust = blocks_after(&docs, "A complete exercise", "rust");
    let files = vec![
        (
            "rate-window/exercise.toml".to_string(),
            manifest.as_bytes().to_vec(),
        ),
        (
            "rate-window/starter.rs".to_string(),
            rust[0].as_bytes().to_vec(),
        ),
        (
            "rate-window/solution.rs".to_string(),
            rust[1].as_bytes().to_vec(),
        ),
        (
            "rate-window/harness.rs".to_string(),
            rust[2].as_bytes().to_vec(),
        ),
    ];
    let (exercises, problems) = load_exercises(&files);
    assert!(problems.is_empty(), "{problems:#?}");
    let grader = Grader::new(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("grade-docs"));
    let findings = dev_check(&grader, &exercises, 4242, &mut |_| {});
    assert!(findings.is_empty(), "{findings:#?}");
}
