//! `sysdesign show LESSON`: a lesson rendered for a terminal or a pipe.

use std::io::IsTerminal;

use crate::course::{Lesson, QuizKind};
use crate::markdown;
use crate::theme::{ColorChoice, Theme};

use super::Env;

pub fn run(env: &Env, id: &str, width: Option<u16>, color: ColorChoice, answers: bool) -> i32 {
    let course = env.load_course();
    let lesson = match find_lesson(&course, id) {
        Ok(lesson) => lesson,
        Err(code) => return code,
    };
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let width = width
        .or_else(|| {
            tty.then(|| ratatui::crossterm::terminal::size().ok().map(|(w, _)| w))
                .flatten()
        })
        .unwrap_or(80)
        .max(20);
    let color = crate::theme::wants_color(color, tty, |k| std::env::var_os(k));
    let theme = if color { Theme::COLOR } else { Theme::MONO };
    let md = if answers {
        super::export::answer_key_markdown(lesson)
    } else {
        lesson_markdown(lesson)
    };
    let rendered = markdown::render(&md, width, &theme);
    let text = if color {
        markdown::to_ansi(&rendered.lines)
    } else {
        markdown::to_plain(&rendered.lines)
    };
    use std::io::Write;
    let mut out = stdout.lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    0
}

/// The lesson `id`, or the exit code after saying why there is none (errors in its file, or
/// no such id).
pub fn find_lesson<'c>(course: &'c crate::course::Course, id: &str) -> Result<&'c Lesson, i32> {
    if let Some(lesson) = course.find(id) {
        return Ok(lesson);
    }
    let broken = course.lessons.iter().find_map(|e| match e {
        crate::course::LessonEntry::Broken { path, diagnostics } if path_names(path, id) => {
            Some(diagnostics)
        }
        _ => None,
    });
    if let Some(diagnostics) = broken {
        eprintln!("error: lesson `{id}` has errors:");
        for d in diagnostics {
            eprintln!("{}", d.render());
        }
        return Err(1);
    }
    let ids: Vec<&str> = course.ready().map(|l| l.id.as_str()).collect();
    eprintln!("error: no lesson `{id}`; valid ids: {}", ids.join(", "));
    Err(2)
}

fn path_names(path: &str, id: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.trim_end_matches(".toml")
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-')
        == id
}

/// The whole lesson as one Markdown document: what `show` prints, and what the course-wide
/// content tests read.
pub fn lesson_markdown(lesson: &Lesson) -> String {
    let mut md = format!(
        "# Chapter {}: {}\n\n*{}* ({} min)\n\n",
        lesson.chapter, lesson.title, lesson.summary, lesson.minutes
    );
    md.push_str("**You will be able to:**\n\n");
    for o in &lesson.objectives {
        md.push_str(&format!("- {o}\n"));
    }
    for section in &lesson.sections {
        md.push_str(&format!(
            "\n## {}\n\n{}\n",
            section.title,
            section.body.trim_end()
        ));
        for &qi in &section.quizzes {
            let quiz = &lesson.quizzes[qi];
            md.push_str(&format!(
                "\n> **Quiz ({}).** {}\n>\n",
                quiz.kind.name(),
                quiz.prompt.trim()
            ));
            match &quiz.kind {
                QuizKind::Single { choices, .. } | QuizKind::Multiple { choices, .. } => {
                    for (i, c) in choices.iter().enumerate() {
                        md.push_str(&format!("> {}. {c}\n", i + 1));
                    }
                }
                QuizKind::Numeric { unit, .. } => {
                    // A randomized estimate: one fixed draw, so the page reads the same.
                    if let Some(d) = quiz
                        .estimate
                        .as_ref()
                        .and_then(|e| Some((e, e.draw(0).ok()?)))
                    {
                        md.push_str(&format!("> Given: {}.\n>\n", d.0.given(&d.1)));
                    }
                    md.push_str(&format!(
                        "> Answer with a number{}.\n",
                        unit.as_ref()
                            .map(|u| format!(" in {u}"))
                            .unwrap_or_default()
                    ));
                }
                QuizKind::Ordering { items } => {
                    for &i in &crate::grade::quiz::initial_order(&quiz.id, items.len()) {
                        md.push_str(&format!("> - {}\n", items[i]));
                    }
                }
            }
        }
        if let Some(viz) = &section.visualization {
            md.push_str(&format!("\n> **Live simulation:** `{}`. Open the lesson in the app, or run `sysdesign sim {}`.\n", viz.kind, viz.kind));
        }
        if let Some(ex) = &section.exercise {
            md.push_str(&format!("\n> **Code exercise:** `{ex}`. Open it in the app, or grade it with `sysdesign grade {ex}`.\n"));
        }
    }
    md
}
