//! The exercise screen: the task, the file to edit, hints, and the latest verdict per check.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::footer;
use crate::grade::{GradeResult, Status};
use crate::markdown::sanitize;
use crate::text::{fit, pad_between};
use crate::theme::Theme;
use crate::tui::exercise_view::{ExerciseView, SPINNER};
use crate::tui::model::Model;
use crate::tui::update::exercise_text_width;

/// The exercise screen's body, laid out as rows: the text column (the file, the task, the
/// hints, the solution) and, from 120 columns, the checks beside it. Every `Line` is one row,
/// so scrolling, its limits and "scroll to what appeared" count the same rows the screen
/// shows.
pub struct Columns {
    pub text: Vec<Line<'static>>,
    pub text_area: Rect,
    /// The checks in their own column at wide sizes; `None` when they follow the text.
    pub checks: Option<(Vec<Line<'static>>, Rect)>,
    /// The row of the text column where the laid-out description starts.
    pub description_at: usize,
}

impl Columns {
    pub fn new(model: &Model, view: &ExerciseView, area: Rect) -> Columns {
        let theme = &model.theme;
        let exercise = &model.exercises[view.index];
        let body = Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(2),
            ..area
        };
        let wide = body.width >= 120;
        let text_w = if wide {
            exercise_text_width(body.width)
        } else {
            body.width.saturating_sub(2)
        };
        let text_area = Rect {
            x: body.x + 1,
            width: text_w,
            ..body
        };
        let width = text_w.max(1) as usize;
        let mut text: Vec<Line<'static>> = Vec::new();
        if let Some(notice) = &view.notice {
            for part in textwrap::wrap(&sanitize(notice), width) {
                text.push(Line::styled(part.into_owned(), theme.bad()));
            }
            text.push(Line::default());
        }
        let file = model.workspace.student_file(exercise);
        let path = format!("Your file: {}", sanitize(&file.display().to_string()));
        for (i, part) in textwrap::wrap(&path, width).into_iter().enumerate() {
            let part = part.into_owned();
            if i == 0 && part.starts_with("Your file: ") {
                text.push(Line::from(vec![
                    Span::styled("Your file: ", theme.accent()),
                    Span::raw(part["Your file: ".len()..].to_string()),
                ]));
            } else {
                text.push(Line::raw(part));
            }
        }
        for part in textwrap::wrap(
            "Edit it in any editor (e opens $EDITOR here); it is graded each time you save. If saving does not trigger grading, press g.",
            width,
        ) {
            text.push(Line::styled(part.into_owned(), theme.dim()));
        }
        text.push(Line::default());
        let description_at = text.len();
        if let Some((_, description)) = &view.layout {
            for line in description {
                text.extend(wrap_rows(line, width));
            }
        }
        let checks = if wide {
            let right = Rect {
                x: text_area.right() + 2,
                width: body.right().saturating_sub(text_area.right() + 2),
                ..body
            };
            let lines = check_lines(
                view.result.as_ref(),
                view.grading.is_some(),
                right.width.saturating_sub(1) as usize,
                theme,
            );
            Some((lines, right))
        } else {
            text.push(Line::default());
            text.push(Line::styled("Checks", theme.accent()));
            text.extend(check_lines(
                view.result.as_ref(),
                view.grading.is_some(),
                width,
                theme,
            ));
            None
        };
        Columns {
            text,
            text_area,
            checks,
            description_at,
        }
    }

    pub fn height(&self) -> usize {
        self.text_area.height as usize
    }

    /// The furthest scroll that still fills the screen: the longer column's last row at the
    /// bottom, never blank rows below it.
    pub fn max_scroll(&self) -> usize {
        let longest = self
            .checks
            .as_ref()
            .map_or(0, |(c, _)| c.len())
            .max(self.text.len());
        longest.saturating_sub(self.height())
    }
}

/// A line wider than `width` as rows (the Markdown layout already fits its lines; this is a
/// guard so a row is a row).
fn wrap_rows(line: &Line<'static>, width: usize) -> Vec<Line<'static>> {
    if line.width() <= width {
        return vec![line.clone()];
    }
    let mut rows = Vec::new();
    let mut rest = line.clone();
    while rest.width() > width {
        let head = crate::tui::viz::clip::clip(rest.clone(), width);
        let taken = head.width();
        rows.push(head);
        let mut skip = taken;
        let mut spans = Vec::new();
        for span in rest.spans {
            let w = span.width();
            if skip >= w {
                skip -= w;
                continue;
            }
            let tail: String = span
                .content
                .chars()
                .scan(0, |used, c| {
                    *used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                    Some((*used, c))
                })
                .filter(|(used, _)| *used > skip)
                .map(|(_, c)| c)
                .collect();
            skip = 0;
            spans.push(Span::styled(tail, span.style));
        }
        rest = Line { spans, ..rest };
        if taken == 0 {
            break;
        }
    }
    rows.push(rest);
    rows
}

/// The header's right side: the verdict, long when there is room and short when not.
fn verdict_forms(view: &ExerciseView) -> Vec<String> {
    match (&view.grading, &view.result) {
        (Some(doing), _) => {
            let spin = SPINNER[view.spinner % SPINNER.len()];
            vec![format!("{spin} {doing} "), format!("{spin} grading ")]
        }
        (None, Some(r)) => match r.status {
            Status::Pass => vec![
                format!("✓ all {} checks pass ", r.tests.len()),
                format!("✓ {}/{} pass ", r.tests.len(), r.tests.len()),
            ],
            Status::Fail => vec![
                format!("✗ {}/{} checks pass ", r.passed(), r.tests.len()),
                format!("✗ {}/{} pass ", r.passed(), r.tests.len()),
            ],
            Status::Error => vec!["! cannot be judged ".into(), "! error ".into()],
        },
        (None, None) => vec![String::new()],
    }
}

/// The header in `width` columns: whole parts dropped from the least useful end, never a
/// word cut against the verdict.
pub fn header_text(
    title: &str,
    id: &str,
    difficulty: &str,
    passed: bool,
    verdicts: &[String],
    width: usize,
) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut parts: Vec<String> = vec![
        format!(" ✎ {title}"),
        id.to_string(),
        difficulty.to_string(),
    ];
    if passed {
        parts.push("passed before".into());
    }
    // Fewer parts first, then the short verdict; the title alone is cut as a last resort.
    for keep in (1..=parts.len()).rev() {
        for verdict in verdicts {
            let left = parts[..keep].join(" · ");
            if left.width() + 1 + verdict.width() <= width {
                return pad_between(&left, verdict, width);
            }
        }
    }
    let verdict = verdicts.last().map(String::as_str).unwrap_or("");
    let room = width.saturating_sub(verdict.width() + 1);
    pad_between(&format!("{} ", fit(&parts[0], room)), verdict, width)
}

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
    let title = sanitize(&exercise.title);
    frame.render_widget(
        Line::styled(
            header_text(
                &title,
                &exercise.id,
                exercise.difficulty.as_str(),
                passed,
                &verdict_forms(view),
                header.width as usize,
            ),
            theme.title(),
        ),
        header,
    );

    let columns = Columns::new(model, view, area);
    let height = columns.height();
    // Each column scrolls with the same keys and stops at its own last row.
    let stop = |len: usize| view.scroll.min(len.saturating_sub(height));
    frame.render_widget(
        Paragraph::new(columns.text.clone())
            .scroll((clamp_scroll(stop(columns.text.len()), height as u16), 0)),
        columns.text_area,
    );
    if let Some((checks, right)) = &columns.checks {
        frame.render_widget(
            Paragraph::new(checks.clone())
                .scroll((clamp_scroll(stop(checks.len()), height as u16), 0))
                .block(
                    Block::default()
                        .borders(Borders::LEFT)
                        .border_style(theme.border())
                        .title(" Checks "),
                ),
            *right,
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
            for part in textwrap::wrap(&sanitize(l), width.max(12)) {
                lines.push(Line::raw(part.into_owned()));
            }
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
        let name = sanitize(&check.name).into_owned();
        let wrapped =
            textwrap::Options::new(width.max(12).saturating_sub(2)).subsequent_indent("  ");
        for (i, part) in textwrap::wrap(&name, wrapped).into_iter().enumerate() {
            let head = if i == 0 {
                format!("{mark} ")
            } else {
                String::new()
            };
            lines.push(Line::from(vec![
                Span::styled(head, style),
                Span::raw(part.into_owned()),
            ]));
        }
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
                lines.push(Line::raw(format!(
                    "    │ {}",
                    fit(&sanitize(l), width.saturating_sub(6).max(1))
                )));
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
