//! The review screen: one due card at a time, with where it comes from, and a summary at
//! the end.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::footer;
use crate::markdown::{self, sanitize};
use crate::text::pad_between;
use crate::tui::model::Model;
use crate::tui::review_session::ReviewSession;

pub fn draw(model: &Model, session: &ReviewSession, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let [header, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let total = session.cards.len();
    let position = if session.done() {
        "done".to_string()
    } else {
        format!("card {} of {total}", session.current + 1)
    };
    frame.render_widget(
        Line::styled(
            pad_between(" Review", &format!("{position} "), header.width as usize),
            theme.title(),
        ),
        header,
    );
    // The card stays a readable width, centred, on wide terminals.
    let [_, body, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Max(104),
        Constraint::Fill(1),
    ])
    .areas(body);
    let width = body.width.saturating_sub(2).max(20);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused());
    let card = session
        .card()
        .and_then(|c| Some((c, model.course.find(&c.lesson)?)));
    let (title, lines) = match (card, &session.quiz) {
        (Some((c, lesson)), Some(state)) => {
            let quiz = &lesson.quizzes[c.quiz];
            let section = &lesson.sections[c.section];
            let render = |md: &str| {
                markdown::render_with(md, width, theme, markdown::Highlighting::CachedOnly).lines
            };
            let mut lines = vec![
                Line::styled(
                    format!(
                        "from {}.{} {} · {}",
                        lesson.chapter,
                        c.section + 1,
                        sanitize(&section.title),
                        sanitize(&lesson.title)
                    ),
                    theme.dim(),
                ),
                Line::default(),
            ];
            lines.extend(render(&quiz.prompt));
            let hint = quiz.hint.as_deref().map(render).unwrap_or_default();
            lines.extend(state.lines(
                quiz,
                true,
                &render(&quiz.explanation),
                &hint,
                width as usize,
                theme,
            ));
            (format!(" Quiz {} ", sanitize(&quiz.id)), lines)
        }
        _ => {
            let lines = vec![
                Line::styled("Review done.", theme.good()),
                Line::default(),
                Line::raw(format!(
                    "{} of {} {} answered, {} right the first time.",
                    session.answered,
                    total,
                    if total == 1 { "card" } else { "cards" },
                    session.right_first
                )),
                Line::raw(
                    "Right answers come back later, wrong ones soon. Press any key to go back.",
                ),
            ];
            (" Review ".to_string(), lines)
        }
    };
    let visible = body.height.saturating_sub(2) as usize;
    let scroll = session.scroll.min(lines.len().saturating_sub(visible));
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(block.title(Span::styled(title, theme.title()))),
        body,
    );
    let answered = session
        .quiz
        .as_ref()
        .is_some_and(|q| q.verdict == Some(true));
    let keys: &[(&str, &str)] = if session.done() {
        &[("any key", "back"), ("?", "help")]
    } else if answered {
        // Nothing left to submit: the next card is what comes now.
        &[
            ("n", "next card"),
            ("x", "explain"),
            ("o", "open its section"),
            ("q", "back"),
        ]
    } else {
        &[
            ("Enter", "submit"),
            ("n", "next card"),
            ("x", "explain"),
            ("o", "open its section"),
            ("q", "back"),
        ]
    };
    footer::draw(frame, foot, keys, model.flash.as_deref(), theme);
}
