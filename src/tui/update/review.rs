//! Keys of the review screen, and opening it from the catalog.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::course::QuizKind;
use crate::progress::Change;
use crate::review::due_cards;
use crate::tui::model::Model;
use crate::tui::msg::Effect;
use crate::tui::quiz::{QuizOutcome, quiz_flash};
use crate::tui::review_session::ReviewSession;

use super::*;

/// `r` in the catalog: open the cards due now, or say when the next one is.
pub(super) fn open_review(model: &mut Model) {
    let now = model.clock.now();
    let cards = due_cards(&model.course, &model.progress, now);
    if cards.is_empty() {
        let s = crate::review::summary(&model.course, &model.progress, now);
        model.flash = Some(match s.next_due {
            Some(next) => format!(
                "Nothing due for review; the next card is due in {}.",
                crate::cli::review::span(next - now)
            ),
            None => "No review cards yet: every quiz you answer becomes one.".into(),
        });
        return;
    }
    model.review = Some(ReviewSession::new(&model.course, cards, now as u64));
}

pub(super) fn review_key(model: &mut Model, key: KeyEvent, effects: &mut Vec<Effect>) {
    let Some(session) = model.review.as_mut() else {
        return;
    };
    match key.code {
        KeyCode::Char('q') | KeyCode::Esc => {
            model.review = None;
            return;
        }
        KeyCode::Char('?') => {
            model.overlay = Some(crate::tui::model::Overlay::Help { scroll: 0 });
            return;
        }
        _ => {}
    }
    let Some(card) = session.card().cloned() else {
        // The summary after the last card: any key but help goes back to the catalog.
        model.review = None;
        return;
    };
    let Some(lesson) = model.course.find(&card.lesson) else {
        session.next(&model.course);
        return;
    };
    let quiz = &lesson.quizzes[card.quiz];
    match key.code {
        KeyCode::Char('o') => {
            // Back to the section the quiz belongs to.
            let entry = model.course.entry_of(&card.lesson);
            model.review = None;
            if let Some(entry) = entry {
                open_lesson(model, entry);
                jump_to_section(model, card.section);
                after_scroll(model);
            }
            return;
        }
        KeyCode::Char('n') | KeyCode::Right => {
            // After answering: the next card. Before: skip this one (it stays due).
            session.next(&model.course);
            return;
        }
        KeyCode::PageDown => {
            session.scroll += 10;
            return;
        }
        KeyCode::PageUp => {
            session.scroll = session.scroll.saturating_sub(10);
            return;
        }
        _ => {}
    }
    let choices = match &quiz.kind {
        QuizKind::Single { choices, .. } | QuizKind::Multiple { choices, .. } => choices.len(),
        _ => 0,
    };
    let Some(state) = session.quiz.as_mut() else {
        return;
    };
    // Typing after a verdict on a randomized estimate starts a new attempt: new numbers.
    if matches!(
        key.code,
        KeyCode::Char('0'..='9' | '.' | '-' | 'e' | 'E' | ',') | KeyCode::Backspace
    ) {
        state.new_attempt(quiz);
    }
    let outcome = match key.code {
        KeyCode::Up | KeyCode::Char('k') => state.up(choices),
        KeyCode::Down | KeyCode::Char('j') => state.down(choices),
        KeyCode::Char(' ') => state.toggle(),
        KeyCode::Char('x') => state.explain(),
        KeyCode::Char(c) if c.is_ascii_digit() => state.digit(c.to_digit(10).unwrap_or(0), choices),
        KeyCode::Char(c @ ('.' | '-' | 'e' | 'E' | ',')) => state.type_char(c),
        KeyCode::Backspace => state.backspace(),
        KeyCode::Enter => {
            let outcome = state.submit(quiz);
            if outcome == QuizOutcome::Unchanged {
                model.flash = state.missing_input();
            }
            outcome
        }
        _ => QuizOutcome::Unchanged,
    };
    if let QuizOutcome::Submitted(answer, correct) = outcome {
        let first = !session.scheduled;
        session.scheduled = true;
        if first {
            session.answered += 1;
            session.right_first += usize::from(correct);
        }
        let solved = state.solved || model.progress.quiz_solved(&lesson.id, &quiz.id);
        model.progress.record(Change::QuizAnswered {
            lesson: lesson.id.clone(),
            quiz: quiz.id.clone(),
            answer,
            correct,
        });
        if first {
            model.progress.record(Change::CardReviewed {
                lesson: lesson.id.clone(),
                quiz: quiz.id.clone(),
                correct,
                at: model.clock.now(),
            });
        }
        effects.push(Effect::SaveProgress);
        // The footer offers the next card; the flash does not repeat it.
        model.flash = Some(quiz_flash(correct, solved, quiz.hint.is_some()).into());
    }
}
