//! The lesson reader: header, contents, text, the simulation pane and the footer.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::footer;
use crate::course::LessonEntry;
use crate::markdown::sanitize;
use crate::text::{fit, pad_between};
use crate::tui::model::{Model, Reader};
use crate::tui::quiz;
use crate::tui::viz_player::{SPEEDS, VizPlayer};

pub fn draw(model: &Model, reader: &Reader, frame: &mut Frame) {
    let theme = &model.theme;
    let layout = model.reader_layout(reader);
    let lesson = match model.course.lessons.get(reader.entry) {
        Some(LessonEntry::Ready(l)) => l,
        Some(LessonEntry::Broken { path, diagnostics }) => {
            let mut lines = vec![
                Line::styled(format!("{} cannot be shown:", sanitize(path)), theme.bad()),
                Line::default(),
            ];
            for d in diagnostics {
                for l in d.render().lines() {
                    lines.push(Line::raw(sanitize(l).into_owned()));
                }
                lines.push(Line::default());
            }
            lines.push(Line::styled(
                "Save a fix and it reloads here (with --course DIR).",
                theme.dim(),
            ));
            let scroll = reader.scroll.min(lines.len().saturating_sub(1)) as u16;
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .scroll((scroll, 0)),
                layout.text,
            );
            footer::draw(
                frame,
                layout.footer,
                &[("q", "back"), ("↑↓", "scroll"), ("?", "help")],
                model.flash.as_deref(),
                theme,
            );
            return;
        }
        None => return,
    };
    if let Some(console) = model
        .sql
        .as_deref()
        .filter(|_| crate::tui::update::console_shown(model))
    {
        let title = format!("{} · {}", lesson.chapter, sanitize(&lesson.title));
        let area = frame.area();
        crate::tui::sql::view::draw(console, &title, model.flash.as_deref(), theme, frame, area);
        return;
    }
    let doc = &reader.doc;
    let section = doc.section_at(reader.scroll);

    // Header: where am I, and how far through.
    // How far through the lesson: 0% at the top, 100% once the end is on screen.
    let max_scroll = doc.lines.len().saturating_sub(layout.text.height as usize);
    let pct = (reader.scroll * 100).checked_div(max_scroll).unwrap_or(100);
    let left = format!(
        " {} · {}{}",
        lesson.chapter,
        sanitize(&lesson.title),
        lesson
            .sections
            .get(section)
            .map(|s| format!(" › {}", sanitize(&s.title)))
            .unwrap_or_default()
    );
    let right = format!(" {}% ", pct.min(100));
    frame.render_widget(
        Line::styled(
            pad_between(&left, &right, layout.header.width as usize),
            theme.title(),
        ),
        layout.header,
    );

    if let Some(contents) = layout.contents {
        let read = model.progress.lesson(&lesson.id);
        let lines: Vec<Line> = lesson
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mark = if read.is_some_and(|r| r.sections_read.contains(&s.id)) {
                    "✓"
                } else {
                    " "
                };
                let text = fit(
                    &format!("{mark} {}.{} {}", lesson.chapter, i + 1, sanitize(&s.title)),
                    contents.width.saturating_sub(2) as usize,
                );
                if i == section {
                    Line::styled(text, theme.selected())
                } else {
                    Line::raw(text)
                }
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::RIGHT)
                    .border_style(theme.border())
                    .title(" Contents "),
            ),
            contents,
        );
    }

    let found = reader.search.as_ref().filter(|s| !s.editing);
    // The link `f` picked, reversed and underlined: visible without colour too.
    let link_style = ratatui::style::Style::default()
        .add_modifier(ratatui::style::Modifier::REVERSED | ratatui::style::Modifier::UNDERLINED);
    let focused_link = reader.focused_link.and_then(|i| doc.links.get(i));
    let visible: Vec<Line> = doc
        .lines
        .iter()
        .enumerate()
        .skip(reader.scroll)
        .take(layout.text.height as usize)
        .map(|(n, line)| {
            let mut marks: Vec<(usize, usize, ratatui::style::Style)> = Vec::new();
            if let Some(search) = found {
                marks.extend(
                    search
                        .matches
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| m.line == n)
                        .map(|(i, m)| {
                            let style = if i == search.current {
                                theme.selected()
                            } else {
                                theme.search_match()
                            };
                            (m.start, m.end, style)
                        }),
                );
            }
            if let Some(link) = focused_link {
                marks.extend(
                    link.spans
                        .iter()
                        .filter(|(line, _)| *line == n)
                        .map(|(_, chars)| (chars.start, chars.end, link_style)),
                );
            }
            crate::tui::search::highlight(line, &marks)
        })
        .collect();
    frame.render_widget(Paragraph::new(visible), layout.text);

    if let (Some(pane), Some(viz)) = (layout.viz, &reader.viz) {
        draw_viz(model, viz, lesson, frame, pane);
    }

    if let Some(search) = reader.search.as_ref().filter(|s| s.editing) {
        let prompt = Line::from(vec![
            Span::styled(" / ", theme.key()),
            Span::raw(format!(" {}", sanitize(&search.query))),
            Span::styled("\u{2588}", theme.accent()),
            Span::styled("   Enter search \u{b7} Esc cancel", theme.dim()),
        ]);
        frame.render_widget(prompt, layout.footer);
        return;
    }
    let mut keys: Vec<(&str, &str)> = Vec::new();
    if reader.search.is_some() {
        keys.extend_from_slice(&[("n/N", "next/prev match"), ("Esc", "clear search")]);
    }
    if let Some(q) = reader.focused_quiz {
        keys.extend_from_slice(quiz::hints(&lesson.quizzes[q]));
    } else {
        // Most useful first: the footer drops what does not fit from the end. What the text
        // on screen offers (an exercise, a challenge, the console) comes before the keys that
        // always work, so that at 80 columns it is never the part that is dropped.
        keys.extend_from_slice(&[("?", "help"), ("q", "back")]);
        let first = doc.section_at(reader.scroll);
        let last = doc.section_at(reader.scroll + layout.text.height as usize);
        let on_screen = &lesson.sections[first..=last.max(first)];
        if on_screen.iter().any(|s| s.exercise.is_some()) {
            keys.push(("e", "exercise"));
        }
        if on_screen.iter().any(|s| s.challenge.is_some()) {
            keys.push(("D", "challenge"));
        }
        if lesson.has_sql_console() {
            keys.push(("S", "SQL"));
        }
        keys.extend_from_slice(&[("↑↓/PgDn", "scroll"), ("n/p", "section"), ("/", "search")]);
        if !lesson.quizzes.is_empty() {
            keys.push(("Tab", "quiz"));
        }
        if layout.viz.is_some() {
            keys.extend_from_slice(&[("Space", "play"), ("z", "zoom/hide sim")]);
        } else if reader.viz.is_some() && reader.viz_hidden {
            keys.push(("z", "show sim"));
        }
        keys.push(("t", "contents"));
    }
    footer::draw(frame, layout.footer, &keys, model.flash.as_deref(), theme);
}

fn draw_viz(
    model: &Model,
    viz: &VizPlayer,
    lesson: &crate::course::Lesson,
    frame: &mut Frame,
    pane: Rect,
) {
    let theme = &model.theme;
    if pane.height < 4 || pane.width < 10 {
        return;
    }
    // The widget draws its own frame; around it go a status line and the keys it takes.
    let state = if viz.playing {
        "▶ playing"
    } else {
        "⏸ paused"
    };
    let status = format!(
        " {} · {state} · {}/s · t={} · from §{}.{} · z zoom/hide ",
        viz.sim.kind(),
        SPEEDS[viz.speed],
        viz.sim.now(),
        lesson.chapter,
        viz.section + 1
    );
    let style = if viz.playing {
        theme.selected()
    } else {
        theme.title()
    };
    frame.render_widget(
        Line::styled(fit(&status, pane.width as usize), style),
        Rect { height: 1, ..pane },
    );
    let (keys, key_rows) = pane_legend(model, viz, pane.width as usize, pane.height - 1);
    let body = Rect {
        y: pane.y + 1,
        height: pane.height - 1,
        ..pane
    };
    let drawing = Rect {
        height: body.height - key_rows,
        ..body
    };
    let key_area = Rect {
        y: body.bottom() - key_rows,
        height: key_rows,
        ..body
    };
    crate::tui::viz::draw(viz.sim.as_ref(), drawing, frame.buffer_mut(), theme);
    frame.render_widget(Paragraph::new(keys), key_area);
}

/// The pane's keys, each key with its label on one row (a row breaks between them, never
/// inside one), then the last key's echo or a problem in the student's code, wrapped by
/// words. Returns the rows and how many of them the pane can give: up to half its height.
pub fn pane_legend(
    model: &Model,
    viz: &VizPlayer,
    width: usize,
    height: u16,
) -> (Vec<Line<'static>>, u16) {
    let theme = &model.theme;
    let chunk = |key: &str, label: &str| {
        vec![
            Span::styled(format!(" {key} "), theme.key()),
            Span::raw(format!(" {label}")),
        ]
    };
    let mut chunks = vec![
        chunk("Space", "play/pause"),
        chunk(".", "step"),
        chunk("+/-", "speed"),
        chunk("r", "restart"),
        chunk("R", "lesson setup"),
    ];
    if !crate::tui::viz_player::student_exercises(viz.sim.kind(), &model.exercises, &[]).is_empty()
    {
        let which = if viz.yours.is_some() {
            "yours → next"
        } else {
            "run yours"
        };
        chunks.push(chunk("y", which));
    }
    for (keys, label) in compact_actions(viz.sim.as_ref()) {
        chunks.push(chunk(&keys, &label));
    }
    let mut lines = crate::tui::viz::panel::flow(chunks, width, 2);
    // A problem in the student's running code outranks the last key's echo.
    let problem = viz.yours_problems.as_ref().and_then(|p| p.get());
    let (said, style) = match (&problem, &viz.status) {
        (Some(problem), _) => (
            Some(format!("✗ {}", problem.lines().next().unwrap_or_default())),
            theme.bad(),
        ),
        (None, Some(status)) => (Some(format!("» {status}")), theme.accent()),
        (None, None) => (None, theme.accent()),
    };
    if let Some(said) = said {
        for part in textwrap::wrap(&sanitize(&said), width.max(1)) {
            lines.push(Line::styled(part.into_owned(), style));
        }
    }
    let rows = (lines.len() as u16).min(height / 2).max(1);
    (lines, rows)
}

/// The engine's keys with what each does now (a toggle names the state it leads to). Runs
/// of digit keys that do the same kind of thing ("select s1" … "select s9") take one entry
/// ("1-9 select s1-s9"), so the pane's key list stays short.
fn compact_actions(sim: &dyn crate::sim::Simulation) -> Vec<(String, String)> {
    compact(sim.actions(), |key| sim.action_label(key))
}

fn compact(
    actions: &[crate::sim::Action],
    now: impl Fn(char) -> Option<String>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < actions.len() {
        let a = actions[i];
        let verb = a.label.split_whitespace().next().unwrap_or("");
        let mut j = i;
        while j + 1 < actions.len()
            && a.key.is_ascii_digit()
            && actions[j + 1].key.is_ascii_digit()
            && actions[j + 1].label.split_whitespace().next() == Some(verb)
        {
            j += 1;
        }
        if j > i {
            let object = |label: &'static str| label[verb.len()..].trim();
            out.push((
                format!("{}-{}", a.key, actions[j].key),
                format!("{verb} {}-{}", object(a.label), object(actions[j].label)),
            ));
        } else {
            out.push((
                a.key.to_string(),
                now(a.key).unwrap_or_else(|| a.label.to_string()),
            ));
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Action;

    #[test]
    fn digit_runs_collapse() {
        let actions = [
            Action {
                key: '1',
                label: "select s1",
            },
            Action {
                key: '2',
                label: "select s2",
            },
            Action {
                key: '3',
                label: "select s3",
            },
            Action {
                key: 'x',
                label: "kill",
            },
        ];
        let out = compact(&actions, |k| (k == 'x').then(|| "kill s2".to_string()));
        assert_eq!(
            out,
            vec![
                ("1-3".to_string(), "select s1-s3".to_string()),
                ("x".to_string(), "kill s2".to_string())
            ]
        );
    }
}
