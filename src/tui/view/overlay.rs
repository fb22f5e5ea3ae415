//! Layers drawn over a screen: help, the table of contents, notices.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use crate::markdown::sanitize;
use crate::text::fit;
use crate::tui::model::{Model, Overlay};

const HELP: &[(&str, &[(&str, &str)])] = &[
    (
        "Everywhere",
        &[
            ("?", "this help"),
            ("q / Esc", "back; quit from the catalog"),
            ("Ctrl-C", "quit"),
        ],
    ),
    (
        "Catalog",
        &[
            ("↑ ↓ / j k", "choose a chapter"),
            ("g G / Home End", "first / last"),
            ("Enter / → / l", "open (resumes where you left off)"),
        ],
    ),
    (
        "Reader",
        &[
            ("↑ ↓ / j k / wheel", "scroll a line"),
            ("PgUp PgDn / Ctrl-B Ctrl-F", "scroll a page"),
            ("Ctrl-U Ctrl-D", "half a page"),
            ("g G / Home End", "top / bottom"),
            ("n p / ] [", "next / previous section"),
            ("t", "table of contents"),
            ("Tab / Shift-Tab", "answer the next / previous quiz"),
            ("e", "open the code exercise on screen"),
        ],
    ),
    (
        "Exercise",
        &[
            (
                "e / Enter",
                "edit your file in $EDITOR (graded when you return)",
            ),
            ("g", "grade now (saving the file grades too)"),
            ("h", "reveal the next hint"),
            ("s", "show the reference solution (after passing)"),
            ("R", "reset your file to the starter (asks first)"),
        ],
    ),
    (
        "Quiz",
        &[
            ("↑ ↓", "move"),
            ("1-9 / Space", "choose or toggle"),
            ("Space (ordering)", "grab an item, move it, drop it"),
            ("digits . -", "type a number"),
            ("Enter", "submit; change and submit again to retry"),
            ("Esc", "leave the quiz"),
        ],
    ),
    (
        "Simulation",
        &[
            ("Space", "play / pause"),
            (".", "step one tick"),
            ("+ -", "faster / slower"),
            ("r", "reset"),
            ("v", "show / hide the pane"),
            ("z", "zoom the simulation to the whole screen; Esc returns"),
            ("other keys", "faults and settings, listed in the pane"),
        ],
    ),
];

pub fn draw(model: &Model, overlay: &Overlay, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    match overlay {
        Overlay::Help => {
            let mut lines = Vec::new();
            for (group, keys) in HELP {
                lines.push(Line::styled(*group, theme.title()));
                for (k, what) in *keys {
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {k:<27}"), theme.accent()),
                        Span::raw(*what),
                    ]));
                }
                lines.push(Line::default());
            }
            lines.push(Line::styled("Press ? or Esc to close.", theme.dim()));
            let rect = centered(area, 72, lines.len() as u16 + 2);
            frame.render_widget(Clear, rect);
            frame.render_widget(
                Paragraph::new(lines).block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(theme.border_focused())
                        .title(" Keys "),
                ),
                rect,
            );
        }
        Overlay::Notice(text) => {
            let rect = centered(area, 70, 9);
            frame.render_widget(Clear, rect);
            let lines = vec![
                Line::raw(sanitize(text).into_owned()),
                Line::default(),
                Line::styled("Press Enter to continue.", theme.dim()),
            ];
            frame.render_widget(
                Paragraph::new(lines).wrap(Wrap { trim: false }).block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(theme.warn())
                        .title(" Notice "),
                ),
                rect,
            );
        }
        Overlay::Contents { selected } => {
            let Some(lesson) = model.reader().and_then(|r| model.lesson_of(r)) else {
                return;
            };
            let read = model.progress.lesson(&lesson.id);
            let rect = centered(area, 64, lesson.sections.len() as u16 + 4);
            let inner_w = rect.width.saturating_sub(4) as usize;
            let items: Vec<ListItem> = lesson
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let mark = if read.is_some_and(|r| r.sections_read.contains(&s.id)) {
                        "✓"
                    } else {
                        " "
                    };
                    let extras = [
                        (!s.quizzes.is_empty()).then(|| format!("{}?", s.quizzes.len())),
                        s.visualization.as_ref().map(|_| "sim".to_string()),
                        s.exercise.as_ref().map(|_| "code".to_string()),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                    let label =
                        format!("{mark} {}.{} {}", lesson.chapter, i + 1, sanitize(&s.title));
                    ListItem::new(crate::text::pad_between(
                        &label,
                        &format!(" {extras}"),
                        inner_w,
                    ))
                })
                .collect();
            let mut state = ListState::default().with_selected(Some(*selected));
            frame.render_widget(Clear, rect);
            frame.render_stateful_widget(
                List::new(items).highlight_style(theme.selected()).block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(theme.border_focused())
                        .title(fit(" Contents · Enter jumps · Esc closes ", inner_w)),
                ),
                rect,
                &mut state,
            );
        }
    }
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}
