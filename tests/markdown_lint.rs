//! Authoring problems found by `lint`, with the byte offsets `sysdesign check` turns into
//! line and column.

use sysdesign::markdown::{Problem, is_known_language, lint};

fn messages(markdown: &str) -> Vec<(usize, String)> {
    lint(markdown)
        .into_iter()
        .map(
            |Problem {
                 offset, message, ..
             }| (offset, message),
        )
        .collect()
}

#[test]
fn the_fixtures_are_clean() {
    assert_eq!(lint(include_str!("../benches/fixtures/lesson-30k.md")), []);
    assert_eq!(
        lint(include_str!("../benches/fixtures/handbook-110k.md")),
        []
    );
}

#[test]
fn unknown_fence_language_points_at_the_tag_and_suggests() {
    let md = "Intro\n\n```rsut\nfn main() {}\n```\n";
    let problems = messages(md);
    assert_eq!(problems.len(), 1);
    let (offset, message) = &problems[0];
    assert_eq!(&md[*offset..*offset + 4], "rsut");
    assert!(message.contains("`rsut`"), "{message}");
    assert!(message.contains("did you mean `rust`?"), "{message}");
    assert!(
        message.contains("`toml`") && message.contains("`text`"),
        "{message}"
    );
}

#[test]
fn unknown_language_far_from_any_gets_no_guess() {
    let problems = messages("```mermaid\ngraph TD\n```\n");
    assert_eq!(problems.len(), 1);
    assert!(!problems[0].1.contains("did you mean"));
}

#[test]
fn known_tags_and_untagged_fences_pass() {
    for tag in [
        "rust",
        "toml",
        "yaml",
        "json",
        "sql",
        "http",
        "sh",
        "dockerfile",
        "text",
        "",
    ] {
        assert_eq!(lint(&format!("```{tag}\nx\n```\n")), [], "{tag}");
        assert!(is_known_language(tag));
    }
    assert_eq!(lint("```rust,ignore\nx\n```\n"), []);
}

#[test]
fn raw_control_characters_are_reported_where_they_are() {
    let md = "ok\nbad \x1b[31m here\u{202e} and\u{7}\n";
    let problems = messages(md);
    let offsets: Vec<usize> = problems.iter().map(|p| p.0).collect();
    assert_eq!(
        offsets,
        [
            md.find('\x1b').unwrap(),
            md.find('\u{202e}').unwrap(),
            md.find('\u{7}').unwrap()
        ]
    );
    assert!(problems[0].1.contains("U+001B (ESC)"), "{}", problems[0].1);
    assert!(problems[1].1.contains("bidi"), "{}", problems[1].1);
}

#[test]
fn windows_line_endings_are_not_control_characters() {
    assert_eq!(lint("line one\r\nline two\r\n"), []);
    assert_eq!(messages("lone\rcarriage").len(), 1);
}

#[test]
fn unclosed_fences_are_reported_at_the_opening() {
    let md = "Text\n\n```rust\nfn main() {}\n";
    let problems = messages(md);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].0, md.find("```").unwrap());
    assert!(problems[0].1.contains("never closed"));
    assert_eq!(lint("```rust\nfn main() {}\n```"), []);
    assert_eq!(lint("> ```sh\n> ls\n> ```\n"), []);
    assert_eq!(lint("- item\n\n  ```sh\n  ls\n  ```\n"), []);
}

#[test]
fn empty_link_and_image_targets_are_reported() {
    let md = "See [the docs]() and ![a diagram]( ).\n";
    let problems = messages(md);
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[0].0, md.find("[the").unwrap());
    assert!(problems[0].1.contains("link has an empty target"));
    assert!(problems[1].1.contains("image has an empty target"));
    assert_eq!(lint("[ok](https://example.com) [ref][r]\n\n[r]: /x\n"), []);
}

#[test]
fn problems_come_in_source_order() {
    let md = "[a]()\n\n```nosuch\n\x1b\n";
    let offsets: Vec<usize> = lint(md).iter().map(|p| p.offset).collect();
    let mut sorted = offsets.clone();
    sorted.sort_unstable();
    assert_eq!(offsets, sorted);
    assert_eq!(
        offsets.len(),
        4,
        "empty link, unknown language, unclosed fence, ESC"
    );
}
