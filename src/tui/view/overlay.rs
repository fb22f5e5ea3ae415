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
            ("Ctrl-Z", "suspend to the shell (fg comes back)"),
        ],
    ),
    (
        "Catalog",
        &[
            ("↑ ↓ / j k", "choose a chapter"),
            ("g G / Home End", "first / last"),
            ("Enter / → / l", "open (resumes where you left off)"),
            ("c", "continue at the first unfinished section"),
            ("r", "review the quizzes due"),
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
            ("/", "search the lesson: type, then Enter"),
            ("n N", "next / previous match while a search is on"),
            ("Esc", "clear the search"),
            ("t", "table of contents"),
            ("Tab / Shift-Tab", "answer the next / previous quiz"),
            ("e", "open the code exercise on screen"),
            ("D", "open the design challenge on screen"),
            ("S", "open the SQL console (chapter 3, Database Design)"),
            (
                "f, then Enter",
                "pick an in-page #link on screen, follow it",
            ),
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
        "Design challenge",
        &[
            ("↑ ↓ / j k", "select a component"),
            (
                "+ -",
                "its capacity up / down (instances, replicas, consumers, cache size); saved in your file",
            ),
            (
                "e / Enter",
                "edit designs/<id>.toml in $EDITOR (runs again on every save)",
            ),
            ("g", "grade on the hidden seeds"),
            ("Tab", "design, the challenge's brief, the last grade"),
        ],
    ),
    (
        "SQL console",
        &[
            (
                "Ctrl-R / F5 / Alt-Enter",
                "run the query (several statements run in order)",
            ),
            (
                "Ctrl-E",
                "show the last statement's plan as a tree, or its rows again",
            ),
            ("Ctrl-D", "switch the dataset (shop, clicks)"),
            (
                "Ctrl-O",
                "run on a fresh copy of the dataset, dropping your changes",
            ),
            (
                "Ctrl-P Ctrl-N",
                "previous / next query in the history (also ↑ on the first line, ↓ on the last)",
            ),
            ("PgUp PgDn / wheel", "scroll the results"),
            ("Shift-← →", "scroll wide results sideways"),
            (
                "Ctrl-L / Ctrl-U",
                "clear the query / the line before the cursor",
            ),
            ("F1", "this help"),
            ("Esc", "back to the lesson (the console keeps its state)"),
        ],
    ),
    (
        "Quiz",
        &[
            ("↑ ↓", "move"),
            ("1-9 / Space", "choose or toggle"),
            ("Space (ordering)", "grab an item, move it, drop it"),
            ("digits . , -", "type a number (43.8, 43,8 or 1,250)"),
            (
                "Enter",
                "submit; a wrong answer shows the hint if there is one; change and submit again to retry",
            ),
            ("x", "show the explanation without answering right first"),
            ("Esc", "leave the quiz"),
        ],
    ),
    (
        "Review",
        &[
            ("Enter / x", "submit / show the explanation, as in a quiz"),
            ("n / →", "next card (skipping leaves it due)"),
            ("o", "open the section the quiz comes from"),
            ("q / Esc", "back to the catalog"),
        ],
    ),
    (
        "Simulation",
        &[
            ("Space", "play / pause"),
            (".", "step one tick"),
            ("+ -", "faster / slower"),
            ("r", "restart at t=0, keeping your mode, speed and code"),
            ("R", "restart with the lesson's own setup"),
            ("y", "run your own code in it (load balancer, cache, saga)"),
            (
                "z",
                "zoom the pane to the whole screen, then hide it, then show it",
            ),
            (
                "other keys",
                "faults and settings, listed in the pane by what they do next",
            ),
        ],
    ),
    (
        "Progress",
        &[
            (
                "read",
                "a section counts as read once its last line has been on screen, by scrolling, paging, n/p, search or resuming; jumping past a long section with n skips its end, so it does not count",
            ),
            (
                "resume",
                "a lesson reopens where you were: the paragraph, the quiz you were answering, the pane hidden or not; your place is saved a second after you stop moving",
            ),
        ],
    ),
];

/// The help's line where `group` starts, for a terminal `area_width` wide, to open the help
/// there (the SQL console's F1 shows its own keys first).
pub fn help_line_of(group: &str, area_width: u16) -> usize {
    let width = area_width.saturating_sub(4).min(96) as usize;
    let key_width = 28.min(width / 3);
    let room = width.saturating_sub(key_width + 5).max(10);
    let mut line = 0;
    for (name, keys) in HELP {
        if *name == group {
            return line;
        }
        line += 2 + keys
            .iter()
            .map(|(_, what)| textwrap::wrap(what, room).len())
            .sum::<usize>();
    }
    0
}

pub fn draw(model: &Model, overlay: &Overlay, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    match overlay {
        Overlay::Help { scroll } => {
            let width = area.width.saturating_sub(4).min(96);
            let key_width = 28.min(width as usize / 3);
            let mut lines = Vec::new();
            for (group, keys) in HELP {
                lines.push(Line::styled(*group, theme.title()));
                for (k, what) in *keys {
                    // The description wraps under itself, beside the key column.
                    let room = (width as usize).saturating_sub(key_width + 5).max(10);
                    for (n, part) in textwrap::wrap(what, room).into_iter().enumerate() {
                        let key = if n == 0 {
                            fit(k, key_width)
                        } else {
                            String::new()
                        };
                        lines.push(Line::from(vec![
                            Span::styled(format!("  {key:<key_width$} "), theme.accent()),
                            Span::raw(part.into_owned()),
                        ]));
                    }
                }
                lines.push(Line::default());
            }
            let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
            let visible = height.saturating_sub(2) as usize;
            let scroll = (*scroll).min(lines.len().saturating_sub(visible));
            let more = lines.len() > visible;
            let title = if more {
                " Keys · ↑↓ scroll · Esc closes "
            } else {
                " Keys · Esc closes "
            };
            let rect = centered(area, width, height);
            frame.render_widget(Clear, rect);
            frame.render_widget(
                Paragraph::new(lines).scroll((scroll as u16, 0)).block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(theme.border_focused())
                        .title(fit(title, width.saturating_sub(2) as usize)),
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
            let width = area.width.saturating_sub(4).clamp(20, 90);
            let rect = centered(area, width, lesson.sections.len() as u16 + 4);
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
                        (!s.quizzes.is_empty()).then(|| {
                            let right = s
                                .quizzes
                                .iter()
                                .filter(|&&q| {
                                    model
                                        .progress
                                        .quiz_solved(&lesson.id, &lesson.quizzes[q].id)
                                })
                                .count();
                            format!("quiz {right}/{}", s.quizzes.len())
                        }),
                        s.visualization.as_ref().map(|_| "sim".to_string()),
                        s.exercise.as_ref().map(|e| {
                            let mark = if model.progress.exercise_passed(e) {
                                "✓"
                            } else {
                                ""
                            };
                            format!("code{mark}")
                        }),
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
