//! `sysdesign export LESSON --format markdown|html [-o FILE]`: a lesson to share or print,
//! its quizzes gathered at the end as questions, then answers. The HTML is one
//! self-contained file: inline CSS, no scripts, nothing loaded from elsewhere, and every
//! piece of lesson text escaped (raw HTML in a lesson is shown as text).
//!
//! Also the answer key that `sysdesign show LESSON --answers` prints.

use std::path::Path;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

use crate::course::{Lesson, Quiz, QuizKind};
use crate::markdown::sanitize;

use super::Env;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Html,
}

pub fn run(env: &Env, id: &str, format: Format, output: Option<&Path>) -> i32 {
    let course = env.load_course();
    let lesson = match super::show::find_lesson(&course, id) {
        Ok(lesson) => lesson,
        Err(code) => return code,
    };
    let text = match format {
        Format::Markdown => lesson_markdown(lesson),
        Format::Html => lesson_html(lesson),
    };
    match output {
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
            0
        }
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => {
                eprintln!("wrote {}", path.display());
                0
            }
            Err(e) => {
                eprintln!(
                    "error: cannot write {}: {e}; check that its folder exists and is writable",
                    path.display()
                );
                1
            }
        },
    }
}

/// The lesson as Markdown: its sections, then "Questions", then "Answers". Control
/// characters in the lesson are neutralised (shown as visible stand-ins).
pub fn lesson_markdown(lesson: &Lesson) -> String {
    let mut md = format!(
        "# Chapter {}: {}\n\n*{}* ({} min)\n\n**You will be able to:**\n\n",
        lesson.chapter,
        plain(&lesson.title),
        plain(&lesson.summary),
        lesson.minutes
    );
    for o in &lesson.objectives {
        md.push_str(&format!("- {}\n", one_line(o)));
    }
    for section in &lesson.sections {
        md.push_str(&format!(
            "\n## {}\n\n{}\n",
            plain(&section.title),
            section.body.trim_end()
        ));
        let numbers: Vec<String> = section
            .quizzes
            .iter()
            .map(|&qi| (question_number(lesson, qi)).to_string())
            .collect();
        if !numbers.is_empty() {
            md.push_str(&format!(
                "\n*Questions on this section: {} (at the end).*\n",
                numbers.join(", ")
            ));
        }
        if let Some(viz) = &section.visualization {
            md.push_str(&format!(
                "\n*Live simulation: `{}`. Run `sysdesign sim {}` or open the lesson in sysdesign.*\n",
                viz.kind, viz.kind
            ));
        }
        if let Some(ex) = &section.exercise {
            md.push_str(&format!(
                "\n*Code exercise: `{ex}`. Open it in sysdesign, or grade it with `sysdesign grade {ex}`.*\n"
            ));
        }
    }
    let quizzes = quizzes_in_order(lesson);
    if !quizzes.is_empty() {
        md.push_str("\n## Questions\n");
        for (n, quiz) in quizzes.iter().enumerate() {
            md.push_str(&question(n + 1, quiz));
        }
        md.push_str("\n## Answers\n");
        for (n, quiz) in quizzes.iter().enumerate() {
            md.push_str(&answer(n + 1, quiz));
        }
    }
    sanitize(&md).into_owned()
}

/// Every quiz with its prompt, choices, key, tolerance and explanation: what an instructor
/// reviews (`sysdesign show LESSON --answers`).
pub fn answer_key_markdown(lesson: &Lesson) -> String {
    let mut md = format!(
        "# Chapter {}: {}, answer key\n",
        lesson.chapter,
        plain(&lesson.title)
    );
    let quizzes = quizzes_in_order(lesson);
    if quizzes.is_empty() {
        md.push_str("\nThis lesson has no quizzes.\n");
    }
    for (n, quiz) in quizzes.iter().enumerate() {
        md.push_str(&question(n + 1, quiz));
        md.push_str(&answer_body(quiz));
    }
    sanitize(&md).into_owned()
}

/// Quizzes in the order the student meets them (section by section).
fn quizzes_in_order(lesson: &Lesson) -> Vec<&Quiz> {
    lesson
        .sections
        .iter()
        .flat_map(|s| s.quizzes.iter().map(|&qi| &lesson.quizzes[qi]))
        .collect()
}

fn question_number(lesson: &Lesson, quiz_index: usize) -> usize {
    lesson
        .sections
        .iter()
        .flat_map(|s| s.quizzes.iter())
        .position(|&qi| qi == quiz_index)
        .map_or(0, |p| p + 1)
}

fn question(n: usize, quiz: &Quiz) -> String {
    let mut md = format!(
        "\n### Question {n} ({})\n\n{}\n\n",
        quiz.kind.name(),
        quiz.prompt.trim()
    );
    match &quiz.kind {
        QuizKind::Single { choices, .. } => {
            md.push_str("Choose one:\n\n");
            for (i, c) in choices.iter().enumerate() {
                md.push_str(&format!("{}. {}\n", i + 1, one_line(c)));
            }
        }
        QuizKind::Multiple { choices, .. } => {
            md.push_str("Choose every right answer:\n\n");
            for (i, c) in choices.iter().enumerate() {
                md.push_str(&format!("{}. {}\n", i + 1, one_line(c)));
            }
        }
        QuizKind::Numeric { unit, .. } => {
            md.push_str(&format!(
                "Answer with a number{}.\n",
                unit.as_ref()
                    .map(|u| format!(" in {}", one_line(u)))
                    .unwrap_or_default()
            ));
        }
        QuizKind::Ordering { items } => {
            md.push_str("Put in order:\n\n");
            for &i in &crate::grade::quiz::initial_order(&quiz.id, items.len()) {
                md.push_str(&format!("- {}\n", one_line(&items[i])));
            }
        }
    }
    md
}

fn answer(n: usize, quiz: &Quiz) -> String {
    format!("\n### Answer {n}\n{}", answer_body(quiz))
}

/// The key (with the tolerance for numbers) and the explanation.
fn answer_body(quiz: &Quiz) -> String {
    let key = match &quiz.kind {
        QuizKind::Single { choices, answer } => {
            format!(
                "**Answer:** {}. {}\n",
                answer + 1,
                one_line(&choices[*answer])
            )
        }
        QuizKind::Multiple { choices, answers } => {
            let mut s = String::from("**Answers:**\n\n");
            for &a in answers {
                s.push_str(&format!("- {}. {}\n", a + 1, one_line(&choices[a])));
            }
            s
        }
        QuizKind::Numeric {
            answer,
            tolerance,
            unit,
        } => {
            let unit = unit
                .as_ref()
                .map(|u| format!(" {}", one_line(u)))
                .unwrap_or_default();
            if *tolerance == 0.0 {
                format!("**Answer:** {answer}{unit}, exactly\n")
            } else {
                format!(
                    "**Answer:** {answer}{unit}, accepted within ±{tolerance}{unit} (from {} to {})\n",
                    answer - tolerance,
                    answer + tolerance
                )
            }
        }
        QuizKind::Ordering { items } => {
            let mut s = String::from("**Order:**\n\n");
            for (i, item) in items.iter().enumerate() {
                s.push_str(&format!("{}. {}\n", i + 1, one_line(item)));
            }
            s
        }
    };
    format!("\n{key}\n**Why:** {}\n", quiz.explanation.trim())
}

/// Plain text (titles, the summary) as Markdown that shows exactly that text: one line,
/// with every character Markdown would read as markup escaped.
fn plain(s: &str) -> String {
    let text = one_line(s);
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // `&` starts an entity only when a name or `#` follows it.
        let entity = c == '&'
            && chars
                .peek()
                .is_some_and(|n| n.is_alphanumeric() || *n == '#');
        if entity || "\\`*_[]<>~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text that must stay on its own line of Markdown (titles, list items).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

const STYLE: &str = include_str!("../../assets/export/lesson.css");

/// The lesson as one HTML page with inline CSS and no scripts.
pub fn lesson_html(lesson: &Lesson) -> String {
    let md = lesson_markdown(lesson);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    let events = Parser::new_ext(&md, options).map(inert);
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, events);
    let title = escape_html(&format!(
        "Chapter {}: {}",
        lesson.chapter,
        one_line(&sanitize(&lesson.title))
    ));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
}

/// Raw HTML becomes text, images become links to where they are (nothing is loaded), and
/// only web, mail and in-page links keep their target.
fn inert(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::End(pulldown_cmark::TagEnd::Image) => Event::End(pulldown_cmark::TagEnd::Link),
        other => other,
    }
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme = lower
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        None | Some("http" | "https" | "mailto") => url,
        Some(_) => CowStr::Borrowed("#"),
    }
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_harmless_link_targets_survive() {
        for (url, kept) in [
            ("https://example.com/a", true),
            ("http://x", true),
            ("mailto:a@b.c", true),
            ("#section", true),
            ("other.html", true),
            ("javascript:alert(1)", false),
            (" JavaScript:alert(1)", false),
            ("data:text/html,<script>", false),
            ("vbscript:x", false),
        ] {
            let out = safe_url(CowStr::Borrowed(url));
            assert_eq!(&*out == url, kept, "{url} -> {out}");
        }
    }

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
