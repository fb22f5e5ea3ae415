//! The course catalog: chapters with their summaries and a progress gauge for each.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

use super::footer;
use crate::course::LessonEntry;
use crate::markdown::sanitize;
use crate::text::{fit, pad_between};
use crate::tui::model::Model;

pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let [header, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (done, total) = model
        .course
        .ready()
        .map(|l| model.progress.completion(l))
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let pct = (done * 100).checked_div(total).unwrap_or(0);
    // The course's own title, from its course.toml.
    let due = crate::review::summary(&model.course, &model.progress, model.clock.now()).due;
    let right = if due > 0 {
        format!("{due} due · {pct}% done ")
    } else {
        format!("{pct}% done ")
    };
    let right_width = unicode_width::UnicodeWidthStr::width(right.as_str());
    let title = fit(
        &format!(" sysdesign · {}", sanitize(&model.course.pack.title)),
        (header.width as usize).saturating_sub(right_width + 1),
    );
    let gap = (header.width as usize)
        .saturating_sub(unicode_width::UnicodeWidthStr::width(title.as_str()) + right_width);
    frame.render_widget(
        Line::from(vec![
            Span::styled(title, theme.title()),
            Span::raw(" ".repeat(gap)),
            Span::styled(right, theme.dim()),
        ]),
        header,
    );

    let wide = body.width >= 110;
    let (list_area, detail_area) = if wide {
        let [l, d] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(body);
        (l, d)
    } else {
        let detail_h = (body.height / 3).clamp(5, 9);
        let [l, d] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(detail_h)]).areas(body);
        (l, d)
    };

    let inner_width = list_area.width.saturating_sub(2) as usize;
    let gauge_width = if inner_width >= 70 { 16 } else { 8 };
    let items: Vec<ListItem> = model
        .course
        .lessons
        .iter()
        .map(|entry| match entry {
            LessonEntry::Ready(l) => {
                let (d, t) = model.progress.completion(l);
                let label = format!(" {:>2}  {}", l.chapter, sanitize(&l.title));
                let mark = if t > 0 && d == t { "✓" } else { " " };
                let tail = format!(
                    " {} {:>3}% {mark}",
                    gauge(d, t, gauge_width),
                    (d * 100).checked_div(t).unwrap_or(0)
                );
                ListItem::new(Line::raw(pad_between(&label, &tail, inner_width)))
            }
            LessonEntry::Broken { path, diagnostics } => {
                let first = diagnostics
                    .first()
                    .map(|d| d.message.as_str())
                    .unwrap_or("cannot be loaded");
                ListItem::new(Line::styled(
                    fit(
                        &format!("  ✗  {}: {}", sanitize(path), sanitize(first)),
                        inner_width,
                    ),
                    theme.bad(),
                ))
            }
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(model.selected));
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border_focused())
                .title(" Chapters "),
        )
        .highlight_style(theme.selected())
        .highlight_symbol("");
    frame.render_stateful_widget(list, list_area, &mut state);

    let detail = match model.course.lessons.get(model.selected) {
        Some(LessonEntry::Ready(l)) => {
            let (d, t) = model.progress.completion(l);
            // Exercises and design challenges only when there are some: the line must fit
            // 80 columns with its done count.
            let mut parts = vec![
                format!("{} min", l.minutes),
                count(l.sections.len(), "section"),
                count(l.quizzes.len(), "quiz"),
                count(l.visualization_count(), "simulation"),
            ];
            for (n, noun) in [
                (l.exercise_ids().count(), "exercise"),
                (l.challenge_ids().count(), "challenge"),
            ] {
                if n > 0 {
                    parts.push(count(n, noun));
                }
            }
            parts.push(format!("{d}/{t} done"));
            let mut lines = vec![
                Line::styled(
                    format!("Chapter {} · {}", l.chapter, sanitize(&l.title)),
                    theme.title(),
                ),
                Line::raw(sanitize(&l.summary).into_owned()),
                Line::styled(parts.join(" · "), theme.dim()),
            ];
            if wide {
                lines.push(Line::default());
                lines.push(Line::styled("You will be able to:", theme.accent()));
                for o in &l.objectives {
                    lines.push(Line::raw(format!("• {}", sanitize(o))));
                }
                lines.push(Line::default());
                lines.push(Line::styled("Sections:", theme.accent()));
                let read = model.progress.lesson(&l.id);
                for s in &l.sections {
                    let mark = if read.is_some_and(|r| r.sections_read.contains(&s.id)) {
                        "✓"
                    } else {
                        "·"
                    };
                    lines.push(Line::raw(format!("{mark} {}", sanitize(&s.title))));
                }
            }
            lines
        }
        Some(LessonEntry::Broken { path, diagnostics }) => {
            let mut lines = vec![Line::styled(
                format!("{} has errors", sanitize(path)),
                theme.bad(),
            )];
            lines.extend(
                diagnostics
                    .iter()
                    .map(|d| Line::raw(sanitize(&d.to_string()).into_owned())),
            );
            lines.push(Line::styled(
                "Fix the file and run `sysdesign check`.",
                theme.dim(),
            ));
            lines
        }
        None => {
            let mut lines = vec![Line::styled("No lessons found.", theme.bad())];
            lines.extend(
                model
                    .course
                    .problems
                    .iter()
                    .map(|p| Line::raw(sanitize(p).into_owned())),
            );
            lines
        }
    };
    frame.render_widget(
        Paragraph::new(detail).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border())
                .title(" About "),
        ),
        detail_area,
    );
    let resume = if model.progress.last_lesson.is_some() {
        "open · resume"
    } else {
        "open"
    };
    let next = model
        .progress
        .next_up(model.course.ready())
        .map(|n| format!("continue {}.{}", n.chapter, n.section_index + 1));
    let mut keys = vec![("↑↓/jk", "choose"), ("Enter", resume)];
    if let Some(next) = &next {
        keys.push(("c", next.as_str()));
    }
    let review = format!("review {due}");
    if due > 0 {
        keys.push(("r", review.as_str()));
    }
    keys.extend([("?", "help"), ("q", "quit")]);
    footer::draw(frame, foot, &keys, model.flash.as_deref(), theme);
}

/// "1 quiz", "3 quizzes", "0 exercises".
fn count(n: usize, noun: &str) -> String {
    match (n, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "quiz") => format!("{n} quizzes"),
        _ => format!("{n} {noun}s"),
    }
}

fn gauge(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}
