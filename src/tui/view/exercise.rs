//! The exercise screen: the task, the file to edit, hints, and the latest verdict per check.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::footer;
use crate::grade::{GradeResult, Status};
use crate::markdown::sanitize;
use crate::text::{fit, pad_between};
use crate::theme::Theme;
use crate::tui::exercise_view::{ExerciseView, SPINNER};
use crate::tui::model::Model;
use crate::tui::update::exercise_text_width;

pub fn draw(model: &Model, view: &ExerciseView, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let exercise = &model.exercises[view.index];
    let passed = model.progress.exercise_passed(&exercise.id);
    let header = Rect { height: 1, ..area };
    let foot = Rect {
        y: area.bottom() - 1,
        height: 1,
        ..area
    };
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };

    let verdict = match (&view.grading, &view.result) {
        (Some(doing), _) => format!("{} {doing} ", SPINNER[view.spinner % SPINNER.len()]),
        (None, Some(r)) => match r.status {
            Status::Pass => format!("✓ all {} checks pass ", r.tests.len()),
            Status::Fail => format!("✗ {}/{} checks pass ", r.passed(), r.tests.len()),
            Status::Error => "! cannot be judged ".into(),
        },
        (None, None) => String::new(),
    };
    let left = format!(
        " ✎ {} · {} · {}{}",
        sanitize(&exercise.title),
        exercise.id,
        exercise.difficulty.as_str(),
        if passed { " · passed before" } else { "" }
    );
    frame.render_widget(
        Line::styled(
            pad_between(&left, &verdict, header.width as usize),
            theme.title(),
        ),
        header,
    );

    let file = model.workspace.student_file(exercise);
    let mut lines: Vec<Line> = vec![
        Line::from(vec![
            Span::styled("Your file: ", theme.accent()),
            Span::raw(sanitize(&file.display().to_string()).into_owned()),
        ]),
        Line::styled(
            "Edit it in any editor (e opens $EDITOR here); it is graded each time you save. If saving does not trigger grading, press g.",
            theme.dim(),
        ),
        Line::default(),
    ];
    if let Some((_, description)) = &view.layout {
        lines.extend(description.iter().cloned());
    }
    let wide = body.width >= 120;
    // Each column scrolls with the same keys but stops when its own end is half up the screen.
    let stop = |len: usize, scroll: usize| scroll.min(len.saturating_sub(body.height as usize / 2));
    if wide {
        let text_w = exercise_text_width(body.width);
        let left = Rect {
            x: body.x + 1,
            width: text_w,
            ..body
        };
        let right = Rect {
            x: left.right() + 2,
            width: body.right().saturating_sub(left.right() + 2),
            ..body
        };
        let checks = check_lines(
            view.result.as_ref(),
            view.grading.is_some(),
            right.width.saturating_sub(1) as usize,
            theme,
        );
        let (left_scroll, right_scroll) = (
            stop(lines.len(), view.scroll),
            stop(checks.len(), view.scroll),
        );
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((clamp_scroll(left_scroll, body.height), 0)),
            left,
        );
        frame.render_widget(
            Paragraph::new(checks)
                .scroll((clamp_scroll(right_scroll, body.height), 0))
                .block(
                    Block::default()
                        .borders(Borders::LEFT)
                        .border_style(theme.border())
                        .title(" Checks "),
                ),
            right,
        );
    } else {
        let text = Rect {
            x: body.x + 1,
            width: body.width.saturating_sub(2),
            ..body
        };
        lines.push(Line::default());
        lines.push(Line::styled("Checks", theme.accent()));
        lines.extend(check_lines(
            view.result.as_ref(),
            view.grading.is_some(),
            text.width as usize,
            theme,
        ));
        let scroll = stop(lines.len(), view.scroll);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((clamp_scroll(scroll, body.height), 0)),
            text,
        );
    }

    let keys: Vec<(&str, &str)> = if view.confirm_reset {
        vec![
            ("y", "reset to the starter (your file is backed up)"),
            ("any other key", "cancel"),
        ]
    } else {
        let mut keys = vec![
            ("e", "edit"),
            ("g", "grade"),
            ("h", "hint"),
            ("↑↓", "scroll"),
        ];
        if passed {
            keys.push(("s", "solution"));
        }
        keys.extend([("R", "reset"), ("q", "back")]);
        keys
    };
    footer::draw(frame, foot, &keys, model.flash.as_deref(), theme);
}

fn clamp_scroll(scroll: usize, height: u16) -> u16 {
    // Paragraph clips past the end; keep the value in range of u16.
    scroll.min(u16::MAX as usize - height as usize) as u16
}

/// One line per check in file order, each failure's message wrapped under it at `width`;
/// the first problem also gets the student's output.
pub fn check_lines(
    result: Option<&GradeResult>,
    grading: bool,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let Some(result) = result else {
        return vec![Line::styled(
            if grading {
                "grading…"
            } else {
                "not graded yet: press g"
            },
            theme.dim(),
        )];
    };
    let mut lines = Vec::new();
    if let Some(message) = &result.message {
        lines.push(Line::styled("Your code could not be judged:", theme.bad()));
        for l in message.lines().take(40) {
            lines.push(Line::raw(sanitize(l).into_owned()));
        }
        lines.push(Line::default());
    }
    let first_problem = result.first_problem().map(|c| c.name.clone());
    for check in &result.tests {
        let (mark, style) = match check.status {
            Status::Pass => ("✓", theme.good()),
            Status::Fail => ("✗", theme.bad()),
            Status::Error => ("!", theme.bad()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::raw(sanitize(&check.name).into_owned()),
        ]));
        if let Some(m) = &check.message {
            for l in m.lines() {
                let indented = textwrap::Options::new(width.max(12))
                    .initial_indent("    ")
                    .subsequent_indent("    ");
                for part in textwrap::wrap(&sanitize(l), indented) {
                    lines.push(Line::styled(part.into_owned(), theme.warn()));
                }
            }
        }
        // The student's output is shown for the first problem only: it is the one to fix.
        if Some(&check.name) == first_problem.as_ref()
            && let Some(out) = check.output.as_deref().filter(|o| !o.trim().is_empty())
        {
            lines.push(Line::styled("    your output:", theme.dim()));
            for l in out.lines().take(12) {
                lines.push(Line::raw(format!("    │ {}", fit(&sanitize(l), 200))));
            }
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        format!("seed {} · {} ms", result.seed, result.duration_ms),
        theme.dim(),
    ));
    lines
}
