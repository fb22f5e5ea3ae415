//! `update`: the only place the model changes. Returns the side effects to run.

mod continue_at;
mod exercise;
mod quiz_keys;
mod reader;
mod review;
mod simulation;
mod sql_console;

use continue_at::*;
use exercise::*;
pub use exercise::{exercise_text_width, open_exercise};
use quiz_keys::*;
use reader::*;
pub use reader::{jump_to_section, open_lesson, section_end};
use review::*;
use simulation::*;
pub use sql_console::console_shown;
use sql_console::*;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEventKind};

use super::model::{Model, Overlay, Screen};
use super::msg::{Effect, Msg};

const WHEEL_LINES: usize = 3;

pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut effects = std::mem::take(&mut model.effects);
    match msg {
        Msg::Resize(w, h) => {
            model.size = ratatui::layout::Rect::new(0, 0, w, h);
            relayout(model);
        }
        Msg::Tick => {
            if let Screen::Exercise(view) = &mut model.screen {
                view.spinner = view.spinner.wrapping_add(1);
            }
            if let Screen::Design(view) = &mut model.screen {
                view.spinner = view.spinner.wrapping_add(1);
            }
            if let Screen::Reader(r) = &mut model.screen
                && let Some(v) = &mut r.viz
                && v.playing
            {
                v.step();
            }
        }
        Msg::Terminate => {
            leave_reader_position(model);
            effects.extend([Effect::SaveProgress, Effect::Quit]);
            model.quit = true;
        }
        Msg::LessonFileChanged(path) => reload(model, &path),
        Msg::ExercisesChanged => reload_exercises(model),
        Msg::ChallengesChanged => crate::tui::design::app::challenges_changed(model, &mut effects),
        Msg::CourseFileChanged => reload_course_file(model),
        Msg::Grading(event) => {
            if let Screen::Exercise(view) = &mut model.screen {
                view.grading = Some(describe_grading(&event));
            }
        }
        Msg::Graded(result) => graded(model, *result, &mut effects),
        Msg::ExerciseFileChanged(path)
            if crate::tui::design::app::file_changed(model, &path, &mut effects) => {}
        Msg::ExerciseFileChanged(path) => {
            let watched = match &model.screen {
                Screen::Exercise(view) => {
                    model.workspace.student_file(&model.exercises[view.index]) == path
                }
                _ => false,
            };
            if watched {
                start_grading(model, &mut effects);
            }
        }
        Msg::EditorClosed if matches!(model.screen, Screen::Design(_)) => {
            crate::tui::design::app::editor_closed(model, None, &mut effects)
        }
        Msg::EditorFailed(problem) if matches!(model.screen, Screen::Design(_)) => {
            crate::tui::design::app::editor_closed(model, Some(problem), &mut effects)
        }
        Msg::Design(msg) => crate::tui::design::app::message(model, msg, &mut effects),
        Msg::EditorClosed => {
            if let Screen::Exercise(view) = &mut model.screen {
                view.notice = None;
            }
            start_grading(model, &mut effects)
        }
        Msg::EditorFailed(problem) => match &mut model.screen {
            // The whole message matters (which command, and what to do instead): it goes
            // above the file's path, wrapped, not into the one-line footer.
            Screen::Exercise(view) => {
                view.notice = Some(problem);
                view.scroll = 0;
                start_grading(model, &mut effects);
            }
            _ => model.flash = Some(problem),
        },
        Msg::Flash(text) => model.flash = Some(text),
        Msg::LiveReady { exercise, result } => live_ready(model, &exercise, result),
        Msg::Paste(text) => console_paste(model, &text),
        Msg::SqlRan(result) => console_ran(model, *result),
        Msg::HighlightReady => {
            if let Screen::Reader(r) = &mut model.screen
                && r.layout.as_ref().is_some_and(|l| l.pending_highlight)
            {
                r.layout = None;
                relayout(model);
            }
        }
        Msg::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => scroll_or_select(model, WHEEL_LINES as isize),
            MouseEventKind::ScrollUp => scroll_or_select(model, -(WHEEL_LINES as isize)),
            _ => {}
        },
        Msg::Key(key) => {
            model.flash = None;
            if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
                leave_reader_position(model);
                model.quit = true;
                effects.extend([Effect::SaveProgress, Effect::Quit]);
            } else if key.code == KeyCode::Char('z')
                && key.modifiers.contains(KeyModifiers::CONTROL)
            {
                // Raw mode turns the terminal's own Ctrl-Z off: suspend as it would.
                leave_reader_position(model);
                effects.push(Effect::Suspend);
            } else if super::layout::too_small(model.size) {
                // Nothing is visible to act on: the screen only offers to quit.
                if key.code == KeyCode::Char('q') {
                    leave_reader_position(model);
                    model.quit = true;
                    effects.extend([Effect::SaveProgress, Effect::Quit]);
                }
            } else if model.overlay.is_some() {
                overlay_key(model, key);
            } else {
                match model.screen {
                    Screen::Catalog if model.review.is_some() => {
                        review_key(model, key, &mut effects)
                    }
                    Screen::Catalog => catalog_key(model, key, &mut effects),
                    Screen::Reader(_) => reader_key(model, key, &mut effects),
                    Screen::Exercise(_) => exercise_key(model, key, &mut effects),
                    Screen::Design(_) => {
                        crate::tui::design::app::key(model, key, &mut effects);
                        // Back in the reader at a size that may have changed meanwhile.
                        relayout(model);
                    }
                }
            }
        }
    }
    // Esc on a quiz, z on the pane and the like change what a resume restores.
    remember_place(model);
    effects.append(&mut model.effects);
    effects
}

fn overlay_key(model: &mut Model, key: KeyEvent) {
    let Some(overlay) = model.overlay.clone() else {
        return;
    };
    match overlay {
        Overlay::Help { scroll } => match key.code {
            KeyCode::Down | KeyCode::Char('j') => {
                model.overlay = Some(Overlay::Help { scroll: scroll + 1 })
            }
            KeyCode::Up | KeyCode::Char('k') => {
                model.overlay = Some(Overlay::Help {
                    scroll: scroll.saturating_sub(1),
                })
            }
            KeyCode::PageDown => {
                model.overlay = Some(Overlay::Help {
                    scroll: scroll + 10,
                })
            }
            KeyCode::PageUp => {
                model.overlay = Some(Overlay::Help {
                    scroll: scroll.saturating_sub(10),
                })
            }
            KeyCode::Home | KeyCode::Char('g') => model.overlay = Some(Overlay::Help { scroll: 0 }),
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q' | '?' | ' ') => model.overlay = None,
            _ => {}
        },
        Overlay::Notice(_) => {
            if matches!(
                key.code,
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q' | '?' | ' ')
            ) {
                model.overlay = None;
            }
        }
        Overlay::Contents { selected } => {
            let count = model
                .reader()
                .and_then(|r| model.lesson_of(r))
                .map_or(0, |l| l.sections.len());
            match key.code {
                KeyCode::Esc | KeyCode::Char('q' | 't') => model.overlay = None,
                KeyCode::Down | KeyCode::Char('j') => {
                    model.overlay = Some(Overlay::Contents {
                        selected: (selected + 1).min(count.saturating_sub(1)),
                    })
                }
                KeyCode::Up | KeyCode::Char('k') => {
                    model.overlay = Some(Overlay::Contents {
                        selected: selected.saturating_sub(1),
                    })
                }
                KeyCode::Home | KeyCode::Char('g') => {
                    model.overlay = Some(Overlay::Contents { selected: 0 })
                }
                KeyCode::End | KeyCode::Char('G') => {
                    model.overlay = Some(Overlay::Contents {
                        selected: count.saturating_sub(1),
                    })
                }
                KeyCode::Enter | KeyCode::Char('l') | KeyCode::Right => {
                    model.overlay = None;
                    jump_to_section(model, selected);
                }
                _ => {}
            }
        }
    }
}

fn catalog_key(model: &mut Model, key: KeyEvent, effects: &mut Vec<Effect>) {
    let count = model.course.lessons.len();
    match key.code {
        KeyCode::Char('q') | KeyCode::Esc => {
            model.quit = true;
            effects.extend([Effect::SaveProgress, Effect::Quit]);
        }
        KeyCode::Char('?') => model.overlay = Some(Overlay::Help { scroll: 0 }),
        KeyCode::Down | KeyCode::Char('j') => {
            model.selected = (model.selected + 1).min(count.saturating_sub(1))
        }
        KeyCode::Up | KeyCode::Char('k') => model.selected = model.selected.saturating_sub(1),
        KeyCode::Home | KeyCode::Char('g') => model.selected = 0,
        KeyCode::End | KeyCode::Char('G') => model.selected = count.saturating_sub(1),
        KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => open_lesson(model, model.selected),
        KeyCode::Char('c') => continue_course(model),
        KeyCode::Char('r') => open_review(model),
        _ => {}
    }
}

fn leave_reader_position(model: &mut Model) {
    if let Some(r) = model.reader()
        && let Some(l) = model.lesson_of(r)
    {
        model
            .progress
            .record(crate::progress::Change::LastLesson(l.id.clone()));
    }
}

fn scroll_or_select(model: &mut Model, delta: isize) {
    if model.overlay.is_some() {
        return;
    }
    match model.screen {
        Screen::Catalog => {
            let last = model.course.lessons.len().saturating_sub(1) as isize;
            model.selected = (model.selected as isize + delta.signum()).clamp(0, last) as usize;
        }
        Screen::Reader(_) => {
            if !console_scroll(model, delta) {
                scroll_by(model, delta)
            }
        }
        Screen::Exercise(ref mut view) => {
            view.scroll = (view.scroll as isize + delta).max(0) as usize
        }
        Screen::Design(ref mut view) => {
            view.scroll = (view.scroll as isize + delta).max(0) as usize
        }
    }
}

fn reload(model: &mut Model, path: &std::path::Path) {
    let Ok(file) = crate::course::source::read_file(path) else {
        return;
    };
    let ids = model.exercise_ids();
    let reading = model.reader().map(|r| {
        (
            r.entry,
            model
                .course
                .lessons
                .get(r.entry)
                .map(|e| e.path().to_string()),
        )
    });
    // While the lesson is broken it has no layout; the place kept from before still counts.
    let anchor = model.reader().and_then(|r| anchor_of(r).or(r.anchor_kept));
    model.course.reload(&file, &ids);
    let Some((_, Some(open_path))) = reading else {
        return;
    };
    if open_path != file.path {
        return;
    }
    // The open lesson changed: lay it out again where the reader was.
    let Some(entry) = model
        .course
        .lessons
        .iter()
        .position(|e| e.path() == open_path)
    else {
        return;
    };
    open_lesson(model, entry);
    restore_anchor(model, anchor);
    after_scroll(model);
    if let Screen::Reader(r) = &mut model.screen {
        r.anchor_kept = anchor;
    }
    model.flash = Some(format!("reloaded {open_path}"));
}

/// `course.toml` changed under `--course DIR`: show the pack's new title (and the rest of
/// what it says). A file that no longer loads keeps the last good description, and says why.
/// Progress stays where it was opened: moving it to a new id mid-session would lose the
/// student's place, so a changed id takes effect on the next start.
fn reload_course_file(model: &mut Model) {
    let crate::course::CourseSource::Dir(_) = &model.course.source else {
        return;
    };
    let loaded = crate::course::pack::load(&model.course.source);
    if let Some(error) = loaded.errors.first() {
        model.flash = Some(format!(
            "course.toml not reloaded: {} (line {})",
            error.message, error.line
        ));
        return;
    }
    let id_changed = loaded.pack.id != model.course.pack.id;
    model.course.pack = loaded.pack;
    model.flash = Some(if id_changed {
        "reloaded course.toml; the new id takes effect when sysdesign starts again".into()
    } else {
        "reloaded course.toml".into()
    });
}

/// `exercises/` changed under `--course DIR`: read the exercises again, and validate the
/// lessons against them (a lesson naming an exercise that was missing is fixed by this).
fn reload_exercises(model: &mut Model) {
    let crate::course::CourseSource::Dir(_) = &model.course.source else {
        return;
    };
    let env = crate::cli::Env {
        source: model.course.source.clone(),
        workspace: model.workspace.root().to_path_buf(),
        pack: crate::course::pack::load(&model.course.source),
    };
    let (exercises, _) = env.exercises();
    let ids = exercises.iter().map(|e| e.id.clone()).collect();
    // The exercise screen holds an index into the list: follow its exercise by id.
    let open_id = match &model.screen {
        Screen::Exercise(view) => Some(model.exercises[view.index].id.clone()),
        _ => None,
    };
    let reading = model.reader().map(|r| {
        let path = model
            .course
            .lessons
            .get(r.entry)
            .map(|e| e.path().to_string());
        (path, anchor_of(r).or(r.anchor_kept))
    });
    model.exercises = exercises;
    model.course = crate::course::Course::load(model.course.source.clone(), &ids);
    model.selected = model
        .selected
        .min(model.course.lessons.len().saturating_sub(1));
    if let Some(id) = open_id {
        let found = model.exercises.iter().position(|e| e.id == id);
        if let Screen::Exercise(view) = &mut model.screen {
            match found {
                Some(index) => {
                    if view.index != index {
                        view.index = index;
                        view.layout = None;
                    }
                }
                None => {
                    model.screen = Screen::Catalog;
                    model.flash = Some(format!("exercise `{id}` is gone from exercises/"));
                    return;
                }
            }
        }
        // The reader kept under the exercise screen is laid out again when it comes back.
        if let Screen::Exercise(view) = &mut model.screen
            && let Some(back) = &mut view.back
        {
            back.layout = None;
        }
        relayout(model);
        model.flash = Some("exercises reloaded".into());
        return;
    }
    if let Some((Some(path), anchor)) = reading
        && let Some(entry) = model.course.lessons.iter().position(|e| e.path() == path)
    {
        open_lesson(model, entry);
        restore_anchor(model, anchor);
        after_scroll(model);
        if let Screen::Reader(r) = &mut model.screen {
            r.anchor_kept = anchor;
        }
    }
    model.flash = Some("exercises reloaded; lessons checked again".into());
}
