//! `sysdesign export` on every lesson: the Markdown parses back to the lesson's structure
//! (sections in order, then every quiz as a question and an answer), and neither format
//! carries a control character. The HTML holds only inert markup.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use sysdesign::cli::Env;
use sysdesign::cli::export::{lesson_html, lesson_markdown};
use sysdesign::course::{Lesson, QuizKind};

fn lessons() -> Vec<Lesson> {
    let mut all: Vec<Lesson> = Env::new(None, None)
        .load_course()
        .ready()
        .cloned()
        .collect();
    let pack =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pack-course");
    all.extend(Env::new(Some(pack), None).load_course().ready().cloned());
    assert!(all.len() >= 10, "{} lessons", all.len());
    all
}

/// Headings of `level` in the Markdown, as plain text.
fn headings(md: &str, level: HeadingLevel) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level: l, .. }) if l == level => {
                current = Some(String::new())
            }
            Event::End(TagEnd::Heading(l)) if l == level => out.extend(current.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// C0 and C1 controls (other than newline and tab), DEL, and the bidi controls that reorder
/// text ("Trojan Source").
fn no_control_characters(what: &str, text: &str) {
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if let Some((i, c)) = text.char_indices().find(|&(_, c)| bad(c)) {
        panic!("{what}: control character U+{:04X} at byte {i}", c as u32);
    }
}

#[test]
fn markdown_export_round_trips_every_lesson() {
    for lesson in lessons() {
        let md = lesson_markdown(&lesson);
        no_control_characters(&lesson.id, &md);
        let h1 = headings(&md, HeadingLevel::H1);
        assert_eq!(
            h1,
            vec![format!(
                "Chapter {}: {}",
                lesson.chapter,
                one_line(&lesson.title)
            )]
        );
        // Sections in order; a section's own `##` headings would be part of its body, so
        // compare the lesson's section titles as a subsequence of the second-level headings.
        let h2 = headings(&md, HeadingLevel::H2);
        let mut rest = h2.iter();
        for s in &lesson.sections {
            let title = one_line(&s.title);
            assert!(
                rest.any(|h| *h == title),
                "{}: section `{title}` missing or out of order in {h2:?}",
                lesson.id
            );
        }
        let quizzes: Vec<_> = lesson
            .sections
            .iter()
            .flat_map(|s| s.quizzes.iter().map(|&q| &lesson.quizzes[q]))
            .collect();
        assert_eq!(quizzes.len(), lesson.quizzes.len(), "{}", lesson.id);
        if quizzes.is_empty() {
            continue;
        }
        assert_eq!(
            &h2[h2.len() - 2..],
            ["Questions", "Answers"],
            "{}",
            lesson.id
        );
        let h3 = headings(&md, HeadingLevel::H3);
        let questions: Vec<String> = quizzes
            .iter()
            .enumerate()
            .map(|(i, q)| format!("Question {} ({})", i + 1, q.kind.name()))
            .collect();
        let answers: Vec<String> = (1..=quizzes.len()).map(|i| format!("Answer {i}")).collect();
        let tail = &h3[h3.len() - 2 * quizzes.len()..];
        assert_eq!(tail[..quizzes.len()], questions[..], "{}", lesson.id);
        assert_eq!(tail[quizzes.len()..], answers[..], "{}", lesson.id);
        // Each answer section holds the key.
        let answer_part = md.rsplit_once("\n## Answers\n").unwrap().1;
        let blocks: Vec<&str> = answer_part.split("\n### Answer ").skip(1).collect();
        assert_eq!(blocks.len(), quizzes.len());
        for (quiz, block) in quizzes.iter().zip(blocks) {
            let expected = match &quiz.kind {
                QuizKind::Single { choices, answer } => {
                    format!(
                        "**Answer:** {}. {}",
                        answer + 1,
                        one_line(&choices[*answer])
                    )
                }
                QuizKind::Multiple { choices, answers } => {
                    format!("- {}. {}", answers[0] + 1, one_line(&choices[answers[0]]))
                }
                QuizKind::Numeric { answer, .. } => format!("**Answer:** {answer}"),
                QuizKind::Ordering { items } => format!("1. {}", one_line(&items[0])),
            };
            let expected = sysdesign::markdown::sanitize(&expected).into_owned();
            assert!(
                block.contains(&expected),
                "{} quiz {}: `{expected}` not in\n{block}",
                lesson.id,
                quiz.id
            );
            assert!(
                block.contains("**Why:** "),
                "{} quiz {}",
                lesson.id,
                quiz.id
            );
        }
    }
}

/// The element names used in `html`, e.g. `p`, `a`, `table`.
fn tags(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .filter_map(|t| {
            let t = t.trim_start_matches('/');
            let name: String = t
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
                .collect();
            (!name.is_empty()).then(|| name.to_ascii_lowercase())
        })
        .collect()
}

const ALLOWED: &[&str] = &[
    "!doctype",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "a",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
    "input",
    "sup",
    "div",
];

#[test]
fn html_export_is_self_contained_and_inert_for_every_lesson() {
    for lesson in lessons() {
        let html = lesson_html(&lesson);
        no_control_characters(&lesson.id, &html);
        for tag in tags(&html) {
            assert!(
                ALLOWED.contains(&tag.as_str()),
                "{}: element <{tag}>",
                lesson.id
            );
        }
        let lower = html.to_ascii_lowercase();
        for banned in [
            "<script",
            "javascript:",
            "<img",
            "<iframe",
            "src=",
            " onerror",
            " onclick",
            "@import",
            "url(",
        ] {
            assert!(
                !lower.contains(banned),
                "{}: `{banned}` in the page",
                lesson.id
            );
        }
        assert_eq!(lower.matches("<style>").count(), 1);
        assert!(html.starts_with("<!DOCTYPE html>\n"));
        assert!(html.ends_with("</html>\n"));
    }
}

#[test]
fn hostile_lesson_text_is_escaped_not_run() {
    let pack =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pack-course");
    let course = Env::new(Some(pack), None).load_course();
    let html = lesson_html(course.find("intro").unwrap());
    assert!(html.contains("&lt;script&gt;alert(\"not run\")&lt;/script&gt;"));
    assert!(html.contains("<a href=\"#\">bad link</a>"));
    assert!(html.contains("<a href=\"https://example.com/d.png\">diagram</a>"));
    assert!(html.contains("<title>Chapter 1: Queues &lt;b&gt;&amp;&lt;/b&gt; streams</title>"));
    assert!(html.contains("per second.␛[31m An escape"));
}
