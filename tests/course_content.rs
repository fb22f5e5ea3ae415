//! The shipped course: it loads cleanly, teaches every line of the outline, renders at any
//! width, and each chapter meets the size, quiz and citation rules.

use unicode_width::UnicodeWidthStr;

use sysdesign::cli::Env;
use sysdesign::cli::show::lesson_markdown;
use sysdesign::course::{Course, Lesson, QuizKind};
use sysdesign::markdown;
use sysdesign::theme::Theme;

const OUTLINE: &str = include_str!("fixtures/backend-architecture-outline.txt");

fn course() -> Course {
    Env::new(None, None).load_course()
}

fn normalise(s: &str) -> String {
    s.to_lowercase()
        .replace('&', "and")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_embedded_course_has_no_problems() {
    let course = course();
    let problems: Vec<String> = course.diagnostics().map(|d| d.render()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    let ids: Vec<&str> = course.ready().map(|l| l.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "intro",
            "architecture",
            "databases",
            "api-design",
            "caching",
            "microservices",
            "scalability",
            "devops",
            "conclusion"
        ]
    );
}

#[test]
fn every_line_of_the_outline_is_taught() {
    let course = course();
    let rendered: String = course
        .ready()
        .map(|l| {
            markdown::to_plain(&markdown::render(&lesson_markdown(l), 10_000, &Theme::MONO).lines)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let haystack = normalise(&rendered);
    let missing: Vec<&str> = OUTLINE
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter(|line| {
            // The Key Concepts line runs six "Name: question?" pairs together; each must appear.
            let needles: Vec<String> = if line.starts_with("Scalability: Can the system") {
                line.split_inclusive('?')
                    .map(|p| normalise(p.trim()))
                    .collect()
            } else {
                vec![normalise(line.trim_end_matches(':'))]
            };
            needles.iter().any(|n| !haystack.contains(n.as_str()))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "outline lines not found in the course:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_lesson_fits_widths_40_80_160() {
    for lesson in course().ready() {
        let md = lesson_markdown(lesson);
        for width in [40u16, 80, 160] {
            for theme in [Theme::MONO, Theme::COLOR] {
                let rendered = markdown::render(&md, width, &theme);
                for (i, line) in rendered.lines.iter().enumerate() {
                    let w = line.width();
                    assert!(
                        w <= width as usize,
                        "{} at {width}: line {i} is {w} wide: {line}",
                        lesson.id
                    );
                }
            }
            let plain = markdown::to_plain(&markdown::render(&md, width, &Theme::MONO).lines);
            assert!(
                !plain.chars().any(|c| c.is_control() && c != '\n'),
                "{}: control character",
                lesson.id
            );
            for line in plain.lines() {
                assert!(
                    line.width() <= width as usize,
                    "{} at {width}: {line}",
                    lesson.id
                );
            }
        }
    }
}

fn quiz_kinds(lesson: &Lesson) -> Vec<&'static str> {
    let mut kinds: Vec<&str> = lesson.quizzes.iter().map(|q| q.kind.name()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

#[test]
fn each_chapter_meets_the_course_rules() {
    for lesson in course().ready() {
        let id = lesson.id.as_str();
        let min_words = if id == "conclusion" { 900 } else { 1500 };
        assert!(
            lesson.word_count() >= min_words,
            "{id}: {} words",
            lesson.word_count()
        );
        let min_quizzes = match id {
            "intro" => 5,
            "conclusion" => 8,
            _ => 6,
        };
        assert!(
            lesson.quizzes.len() >= min_quizzes,
            "{id}: {} quizzes",
            lesson.quizzes.len()
        );
        assert!(
            quiz_kinds(lesson).len() >= 3,
            "{id}: quiz types {:?}",
            quiz_kinds(lesson)
        );
        assert!(
            lesson
                .quizzes
                .iter()
                .any(|q| matches!(q.kind, QuizKind::Numeric { .. })),
            "{id}: no numeric estimate"
        );
        let reading = lesson.sections.last().expect("sections");
        assert_eq!(reading.title, "Further reading", "{id}: last section");
        assert!(
            reading.body.matches("http").count() >= 3,
            "{id}: further reading cites sources with links"
        );
        let all: String = lesson.sections.iter().map(|s| s.body.as_str()).collect();
        assert!(all.contains("```"), "{id}: has code blocks or diagrams");
        assert!(
            all.contains("|---") || all.contains("| ---") || all.contains("|:--"),
            "{id}: has a table"
        );
    }
}

#[test]
fn every_chapter_but_the_conclusion_embeds_a_simulation() {
    let expected = [
        ("intro", "cap"),
        ("architecture", "message-queue"),
        ("api-design", "rate-limiter"),
        ("caching", "ttl-cache"),
        ("microservices", "saga"),
        ("microservices", "circuit-breaker"),
        ("scalability", "load-balancer"),
        ("scalability", "consistent-hash"),
        ("scalability", "replication"),
        ("devops", "rolling-deploy"),
    ];
    let course = course();
    for (lesson, kind) in expected {
        let l = course.find(lesson).unwrap();
        assert!(
            l.sections
                .iter()
                .any(|s| s.visualization.as_ref().is_some_and(|v| v.kind == kind)),
            "{lesson} embeds {kind}"
        );
    }
}
