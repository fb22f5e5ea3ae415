//! The exercise screen: opening it, grading in the background, its keys.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::tui::exercise_view::ExerciseView;
use crate::tui::model::{Model, Overlay, Screen};
use crate::tui::msg::Effect;
use crate::tui::view::Columns;

use super::*;

/// Width of the exercise screen's text column. From 120 columns the checks get their own
/// column on the right.
pub fn exercise_text_width(screen_width: u16) -> u16 {
    if screen_width >= 120 {
        (screen_width * 55 / 100).min(100)
    } else {
        screen_width.saturating_sub(2).max(10)
    }
}

pub(super) fn describe_grading(event: &crate::grade::GradeEvent) -> String {
    use crate::grade::GradeEvent;
    match event {
        GradeEvent::Waiting { message } => message.clone(),
        GradeEvent::Building { .. } => "building your code…".into(),
        GradeEvent::Compiled { unit, .. } => format!("compiled {unit}"),
        GradeEvent::Running {
            index, of, name, ..
        } => format!("check {}/{of}: {name}", index + 1),
        GradeEvent::Done { status, .. } => status.as_str().into(),
    }
}

/// Open the exercise screen for `id`, keeping the reader to come back to.
pub fn open_exercise(model: &mut Model, id: &str, effects: &mut Vec<Effect>) {
    let Some(index) = model.exercises.iter().position(|e| e.id == id) else {
        model.flash = Some(format!("no exercise `{id}` in this course"));
        return;
    };
    let back = match std::mem::replace(&mut model.screen, Screen::Catalog) {
        Screen::Reader(r) => Some(r),
        other => {
            model.screen = other;
            None
        }
    };
    model.screen = Screen::Exercise(Box::new(ExerciseView::new(index, back)));
    relayout(model);
    let file = model.workspace.student_file(&model.exercises[index]);
    effects.extend([Effect::EnsureWorkspace, Effect::WatchExercise(Some(file))]);
    start_grading(model, effects);
}

pub(super) fn start_grading(model: &mut Model, effects: &mut Vec<Effect>) {
    let Screen::Exercise(view) = &mut model.screen else {
        return;
    };
    if view.grading.is_some() {
        view.regrade_queued = true;
        return;
    }
    view.grading = Some("starting…".into());
    effects.push(Effect::Grade(Box::new(model.exercises[view.index].clone())));
}

pub(super) fn graded(
    model: &mut Model,
    result: crate::grade::GradeResult,
    effects: &mut Vec<Effect>,
) {
    let passed = result.status == crate::grade::Status::Pass;
    model
        .progress
        .record(crate::progress::Change::ExerciseGraded {
            exercise: result.id.clone(),
            passed,
        });
    effects.push(Effect::SaveProgress);
    let Screen::Exercise(view) = &mut model.screen else {
        return;
    };
    if model.exercises[view.index].id != result.id {
        return;
    }
    view.grading = None;
    model.flash = Some(match result.status {
        crate::grade::Status::Pass => {
            "All checks pass. Press s to compare with the reference solution.".into()
        }
        crate::grade::Status::Fail => {
            format!("{} of {} checks pass.", result.passed(), result.tests.len())
        }
        crate::grade::Status::Error => "Your code could not be judged; see the message.".into(),
    });
    view.result = Some(result);
    if std::mem::take(&mut view.regrade_queued) {
        start_grading(model, effects);
    }
}

pub(super) fn exercise_key(model: &mut Model, key: KeyEvent, effects: &mut Vec<Effect>) {
    let Screen::Exercise(view) = &mut model.screen else {
        return;
    };
    let exercise = &model.exercises[view.index];
    if view.confirm_reset {
        view.confirm_reset = false;
        if matches!(key.code, KeyCode::Char('y' | 'Y')) {
            effects.push(Effect::ResetExercise(Box::new(exercise.clone())));
            model.flash =
                Some("reset to the starter; your old file is in the workspace's .backup/".into());
            start_grading(model, effects);
        } else {
            model.flash = Some("nothing was reset".into());
        }
        return;
    }
    let page = model.size.height.saturating_sub(4).max(1) as usize;
    match key.code {
        KeyCode::Char('q') | KeyCode::Esc | KeyCode::Left => {
            let back = view.back.take();
            model.screen = match back {
                Some(reader) => Screen::Reader(reader),
                None => Screen::Catalog,
            };
            effects.push(Effect::WatchExercise(None));
            relayout(model);
            return;
        }
        KeyCode::Char('?') => model.overlay = Some(Overlay::Help { scroll: 0 }),
        KeyCode::Char('e') | KeyCode::Enter => {
            effects.push(Effect::OpenEditor(model.workspace.student_file(exercise)))
        }
        KeyCode::Char('g') => start_grading(model, effects),
        KeyCode::Char('h') => {
            if view.hints_shown < exercise.hints.len() {
                view.hints_shown += 1;
                relayout(model);
                if let Screen::Exercise(view) = &model.screen {
                    let range = view.newest_hint.clone();
                    reveal_rows(model, range);
                }
            } else if exercise.hints.is_empty() {
                model.flash = Some("this exercise has no hints".into());
            } else {
                model.flash = Some("no more hints".into());
            }
        }
        KeyCode::Char('R') => view.confirm_reset = true,
        KeyCode::Char('s') => {
            if model.progress.exercise_passed(&exercise.id) {
                view.show_solution = !view.show_solution;
                relayout(model);
                if let Screen::Exercise(view) = &model.screen {
                    let range = view.solution.clone();
                    reveal_rows(model, range);
                }
            } else {
                model.flash = Some("the reference solution opens once all checks pass".into());
            }
        }
        KeyCode::Down | KeyCode::Char('j') => view.scroll += 1,
        KeyCode::Up | KeyCode::Char('k') => view.scroll = view.scroll.saturating_sub(1),
        KeyCode::PageDown => view.scroll += page,
        KeyCode::PageUp => view.scroll = view.scroll.saturating_sub(page),
        KeyCode::Home => view.scroll = 0,
        KeyCode::End | KeyCode::Char('G') => view.scroll = usize::MAX,
        _ => {}
    }
    clamp_exercise_scroll(model);
}

/// Never scroll past the last row: End and PgDn stop with the text's end at the bottom.
pub(super) fn clamp_exercise_scroll(model: &mut Model) {
    let Screen::Exercise(view) = &model.screen else {
        return;
    };
    let max = Columns::new(model, view, model.size).max_scroll();
    if let Screen::Exercise(view) = &mut model.screen {
        view.scroll = view.scroll.min(max);
    }
}

/// Scroll so that `rows` of the description (what a key just revealed) are on screen: all
/// of them when they fit, else their start at the top.
fn reveal_rows(model: &mut Model, rows: Option<std::ops::Range<usize>>) {
    let Screen::Exercise(view) = &model.screen else {
        return;
    };
    let Some(rows) = rows else { return };
    let columns = Columns::new(model, view, model.size);
    let (start, end) = (
        columns.description_at + rows.start,
        columns.description_at + rows.end,
    );
    let height = columns.height();
    let scroll = view.scroll;
    let target = if start < scroll || end - start > height {
        start.saturating_sub(1)
    } else if end > scroll + height {
        end - height
    } else {
        scroll
    };
    let max = columns.max_scroll();
    if let Screen::Exercise(view) = &mut model.screen {
        view.scroll = target.min(max);
    }
}
