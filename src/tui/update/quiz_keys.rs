//! Keys inside a focused quiz.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::course::LessonEntry;
use crate::progress::Change;
use crate::tui::model::{Model, Screen};
use crate::tui::msg::Effect;
use crate::tui::quiz::{QuizOutcome, quiz_flash};

use super::*;

pub(super) fn quiz_key(model: &mut Model, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    let Screen::Reader(reader) = &mut model.screen else {
        return false;
    };
    let Some(qi) = reader.focused_quiz else {
        return false;
    };
    let Some(lesson) = model
        .course
        .lessons
        .get(reader.entry)
        .and_then(LessonEntry::lesson)
    else {
        return false;
    };
    let quiz = &lesson.quizzes[qi];
    let choices = match &quiz.kind {
        crate::course::QuizKind::Single { choices, .. }
        | crate::course::QuizKind::Multiple { choices, .. } => choices.len(),
        _ => 0,
    };
    let state = &mut reader.quiz_states[qi];
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
        _ => return false,
    };
    match outcome {
        QuizOutcome::Unchanged => {}
        QuizOutcome::Changed => rebuild_doc_for(model),
        QuizOutcome::Submitted(answer, correct) => {
            let solved = state.solved;
            model.progress.record(Change::QuizAnswered {
                lesson: lesson.id.clone(),
                quiz: quiz.id.clone(),
                answer,
                correct,
            });
            model.progress.record(Change::CardReviewed {
                lesson: lesson.id.clone(),
                quiz: quiz.id.clone(),
                correct,
                at: model.clock.now(),
            });
            effects.push(Effect::SaveProgress);
            model.flash = Some(quiz_flash(correct, solved, quiz.hint.is_some()).into());
            rebuild_doc_for(model);
            reveal_quiz(model, qi);
        }
    }
    true
}
