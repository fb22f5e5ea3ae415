//! `update`: the only place the model changes. Returns the side effects to run.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEventKind};

use super::document::{Document, LessonLayout};
use super::exercise_view::ExerciseView;
use super::model::{Model, Overlay, Reader, Screen};
use super::msg::{Effect, Msg};
use super::quiz::{QuizOutcome, QuizState};
use super::viz_player::{VizPlayer, student_exercises, yours_label};
use crate::course::LessonEntry;
use crate::progress::QuizRecord;

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
            if let Screen::Reader(r) = &mut model.screen
                && let Some(v) = &mut r.viz
                && v.playing
            {
                v.sim.step();
            }
        }
        Msg::Terminate => {
            leave_reader_position(model);
            effects.extend([Effect::SaveProgress, Effect::Quit]);
            model.quit = true;
        }
        Msg::LessonFileChanged(path) => reload(model, &path),
        Msg::Grading(event) => {
            if let Screen::Exercise(view) = &mut model.screen {
                view.grading = Some(describe_grading(&event));
            }
        }
        Msg::Graded(result) => graded(model, *result, &mut effects),
        Msg::ExerciseFileChanged(path) => {
            let watched = match &model.screen {
                Screen::Exercise(view) => {
                    model
                        .workspace
                        .exercise_file(&model.exercises[view.index].id)
                        == path
                }
                _ => false,
            };
            if watched {
                start_grading(model, &mut effects);
            }
        }
        Msg::EditorClosed => start_grading(model, &mut effects),
        Msg::Flash(text) => model.flash = Some(text),
        Msg::LiveReady { exercise, result } => live_ready(model, &exercise, result),
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
            } else if super::layout::too_small(model.size) {
                // Nothing is visible to act on: the screen only offers to quit.
                if matches!(key.code, KeyCode::Char('q') | KeyCode::Esc) {
                    leave_reader_position(model);
                    model.quit = true;
                    effects.extend([Effect::SaveProgress, Effect::Quit]);
                }
            } else if model.overlay.is_some() {
                overlay_key(model, key);
            } else {
                match model.screen {
                    Screen::Catalog => catalog_key(model, key, &mut effects),
                    Screen::Reader(_) => reader_key(model, key, &mut effects),
                    Screen::Exercise(_) => exercise_key(model, key, &mut effects),
                }
            }
        }
    }
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
        _ => {}
    }
}

/// Open the catalog entry `entry` in the reader, at the student's saved position.
pub fn open_lesson(model: &mut Model, entry: usize) {
    let Some(e) = model.course.lessons.get(entry) else {
        return;
    };
    model.selected = entry;
    let quiz_states = match e {
        LessonEntry::Ready(lesson) => {
            let saved = model.progress.lesson(&lesson.id);
            let states = lesson
                .quizzes
                .iter()
                .map(|q| QuizState::new(q, saved.and_then(|s| s.quizzes.get(&q.id))))
                .collect();
            model.progress.last_lesson = Some(lesson.id.clone());
            states
        }
        LessonEntry::Broken { .. } => Vec::new(),
    };
    // Read where the student was before laying out: layout records the new position.
    let position = model
        .course
        .lessons
        .get(entry)
        .and_then(LessonEntry::lesson)
        .and_then(|l| {
            let saved = model
                .progress
                .lesson(&l.id)
                .and_then(|p| p.position.clone());
            saved.and_then(|s| l.section_index(&s))
        });
    model.screen = Screen::Reader(Box::new(Reader {
        entry,
        scroll: 0,
        layout: None,
        doc: Document::default(),
        quiz_states,
        focused_quiz: None,
        viz: None,
        viz_hidden: false,
        viz_zoomed: false,
        anchor_kept: None,
    }));
    relayout(model);
    if let Some(section) = position {
        jump_to_section(model, section);
    }
    after_scroll(model);
}

/// Lay the lesson out again if the text width changed, keeping the reader where they were.
fn relayout(model: &mut Model) {
    let theme = model.theme;
    if let Screen::Exercise(view) = &mut model.screen {
        let width = exercise_text_width(model.size.width);
        let key = (width, view.show_solution, view.hints_shown);
        if view.layout.as_ref().is_none_or(|(k, _)| *k != key) {
            let exercise = &model.exercises[view.index];
            let mut md = exercise.description.clone();
            if !exercise.hints.is_empty() {
                let shown = view.hints_shown.min(exercise.hints.len());
                let more = if shown < exercise.hints.len() {
                    "; press h for the next"
                } else {
                    ""
                };
                md.push_str(&format!(
                    "\n\n### Hints ({shown} of {}{more})\n\n",
                    exercise.hints.len()
                ));
                for (i, hint) in exercise.hints.iter().take(shown).enumerate() {
                    md.push_str(&format!("{}. {}\n", i + 1, hint.trim()));
                }
            }
            if view.show_solution {
                md.push_str(&format!(
                    "\n\n## Reference solution\n\n```rust\n{}\n```\n",
                    exercise.solution.trim_end()
                ));
            }
            let lines = crate::markdown::render(&md, width, &theme).lines;
            view.layout = Some((key, lines));
        }
        return;
    }
    let Screen::Reader(reader) = &model.screen else {
        return;
    };
    let width = model.reader_layout(reader).text.width.max(10);
    let Some(lesson) = model
        .course
        .lessons
        .get(reader.entry)
        .and_then(LessonEntry::lesson)
    else {
        return;
    };
    if reader.layout.as_ref().is_some_and(|l| l.width == width) {
        return;
    }
    let anchor = anchor_of(reader);
    let layout = LessonLayout::new(lesson, width, &theme);
    if layout.pending_highlight {
        model
            .effects
            .push(Effect::WarmHighlighting(LessonLayout::texts(lesson)));
    }
    let Screen::Reader(reader) = &mut model.screen else {
        return;
    };
    reader.layout = Some(layout);
    rebuild_doc_for(model);
    restore_anchor(model, anchor);
    after_scroll(model);
}

/// Where the reader is, independent of layout: a section and how far into it.
fn anchor_of(reader: &Reader) -> Option<(usize, f64)> {
    let doc = &reader.doc;
    if doc.section_starts.is_empty() {
        return None;
    }
    let s = doc.section_at(reader.scroll);
    let start = doc.section_starts[s];
    let end = doc
        .section_starts
        .get(s + 1)
        .copied()
        .unwrap_or(doc.lines.len());
    Some((
        s,
        (reader.scroll.saturating_sub(start)) as f64 / (end - start).max(1) as f64,
    ))
}

fn restore_anchor(model: &mut Model, anchor: Option<(usize, f64)>) {
    let Screen::Reader(reader) = &mut model.screen else {
        return;
    };
    if let Some((s, frac)) = anchor {
        let doc = &reader.doc;
        if let Some(&start) = doc.section_starts.get(s) {
            let end = doc
                .section_starts
                .get(s + 1)
                .copied()
                .unwrap_or(doc.lines.len());
            reader.scroll = start + ((end - start) as f64 * frac) as usize;
        }
    }
}

fn rebuild_doc_for(model: &mut Model) {
    let theme = model.theme;
    let Screen::Reader(reader) = &mut model.screen else {
        return;
    };
    let Some(lesson) = model
        .course
        .lessons
        .get(reader.entry)
        .and_then(LessonEntry::lesson)
    else {
        return;
    };
    if let Some(layout) = &reader.layout {
        reader.doc = Document::build(
            lesson,
            layout,
            &reader.quiz_states,
            reader.focused_quiz,
            &theme,
        );
    }
}

fn max_scroll(model: &Model, reader: &Reader) -> usize {
    let height = model.reader_layout(reader).text.height as usize;
    // A broken lesson shows its problems instead of a document: scroll through those.
    let lines = match model.course.lessons.get(reader.entry) {
        Some(LessonEntry::Broken { diagnostics, .. }) => {
            diagnostics
                .iter()
                .map(|d| d.render().lines().count() + 1)
                .sum::<usize>()
                + 3
        }
        _ => reader.doc.lines.len(),
    };
    lines.saturating_sub(height.max(1))
}

fn scroll_by(model: &mut Model, delta: isize) {
    let Screen::Reader(reader) = &model.screen else {
        return;
    };
    let max = max_scroll(model, reader) as isize;
    let Screen::Reader(reader) = &mut model.screen else {
        return;
    };
    reader.scroll = (reader.scroll as isize + delta).clamp(0, max) as usize;
    after_scroll(model);
}

fn scroll_to(model: &mut Model, line: usize) {
    let Screen::Reader(reader) = &model.screen else {
        return;
    };
    let max = max_scroll(model, reader);
    let Screen::Reader(reader) = &mut model.screen else {
        return;
    };
    reader.scroll = line.min(max);
    after_scroll(model);
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
        Screen::Reader(_) => scroll_by(model, delta),
        Screen::Exercise(ref mut view) => {
            view.scroll = (view.scroll as isize + delta).max(0) as usize
        }
    }
}

fn jump_to_section(model: &mut Model, section: usize) {
    let Some(line) = model
        .reader()
        .and_then(|r| r.doc.section_starts.get(section).copied())
    else {
        return;
    };
    scroll_to(model, line);
}

/// After any move: mark sections read, follow the current section's simulation.
fn after_scroll(model: &mut Model) {
    let Screen::Reader(reader) = &model.screen else {
        return;
    };
    let text = model.reader_layout(reader).text;
    let Some(lesson) = model.lesson_of(reader) else {
        return;
    };
    let doc = &reader.doc;
    if doc.section_starts.is_empty() {
        return;
    }
    let bottom = reader.scroll + text.height as usize;
    let read: Vec<String> = (0..doc.section_starts.len())
        .filter(|&s| {
            let end = doc
                .section_starts
                .get(s + 1)
                .copied()
                .unwrap_or(doc.lines.len());
            end <= bottom && end > reader.scroll
        })
        .map(|s| lesson.sections[s].id.clone())
        .collect();
    let middle = reader.scroll + text.height as usize / 2;
    let current = doc.section_at(middle.min(doc.lines.len().saturating_sub(1)));
    // Resume at the section at the top of the screen, which is where `jump_to_section` puts it.
    // Above the first section (the chapter's title and objectives) there is no section to
    // resume at: the next visit starts at the top again.
    let current_id = (reader.scroll >= doc.section_starts[0])
        .then(|| lesson.sections[doc.section_at(reader.scroll)].id.clone());
    // At wide sizes the pane is reserved for the whole lesson: until the reader reaches a
    // simulation, show the next one (or the last one passed).
    let viz_section = if lesson.sections[current].visualization.is_some() {
        Some(current)
    } else if reader.viz.is_none() {
        let after =
            (current..lesson.sections.len()).find(|&s| lesson.sections[s].visualization.is_some());
        after.or_else(|| {
            (0..current)
                .rev()
                .find(|&s| lesson.sections[s].visualization.is_some())
        })
    } else {
        None
    };
    let viz_source =
        viz_section.and_then(|s| lesson.sections[s].visualization.clone().map(|v| (s, v)));
    let lesson_id = lesson.id.clone();
    let record = model.progress.lesson_mut(&lesson_id);
    record.sections_read.extend(read);
    record.position = current_id;
    let Screen::Reader(reader) = &mut model.screen else {
        return;
    };
    if let Some((section, source)) = viz_source
        && reader.viz.as_ref().is_none_or(|v| v.section != section)
    {
        match VizPlayer::start(section, &source) {
            Ok(player) => reader.viz = Some(player),
            Err(e) => model.flash = Some(format!("simulation `{}`: {e}", source.kind)),
        }
    }
}

fn leave_reader_position(model: &mut Model) {
    if let Some(r) = model.reader()
        && let Some(l) = model.lesson_of(r)
    {
        model.progress.last_lesson = Some(l.id.clone());
    }
}

fn reader_key(model: &mut Model, key: KeyEvent, effects: &mut Vec<Effect>) {
    if quiz_key(model, key, effects) {
        return;
    }
    // z cycles the simulation pane: beside/below the text, zoomed to the whole body, hidden.
    if key.code == KeyCode::Char('z')
        && let Screen::Reader(r) = &mut model.screen
        && r.viz.is_some()
    {
        (r.viz_hidden, r.viz_zoomed) = match (r.viz_hidden, r.viz_zoomed) {
            (false, false) => (false, true),
            (false, true) => (true, false),
            (true, _) => (false, false),
        };
        model.flash = Some(
            match (r.viz_hidden, r.viz_zoomed) {
                (false, true) => "simulation zoomed; z hides it, Esc returns",
                (true, _) => "simulation hidden; z shows it",
                _ => "simulation beside the text",
            }
            .into(),
        );
        relayout(model);
        return;
    }
    if viz_key(model, key) {
        return;
    }
    let Screen::Reader(reader) = &model.screen else {
        return;
    };
    let page = (model.reader_layout(reader).text.height as isize - 2).max(1);
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('q') | KeyCode::Esc | KeyCode::Left | KeyCode::Char('h') => {
            if let Screen::Reader(r) = &mut model.screen
                && r.focused_quiz.is_some()
                && key.code == KeyCode::Esc
            {
                r.focused_quiz = None;
                rebuild_doc_for(model);
                return;
            }
            model.screen = Screen::Catalog;
            effects.push(Effect::SaveProgress);
        }
        KeyCode::Char('?') => model.overlay = Some(Overlay::Help { scroll: 0 }),
        KeyCode::Char('d') if ctrl => scroll_by(model, page / 2),
        KeyCode::Char('u') if ctrl => scroll_by(model, -page / 2),
        KeyCode::Char('f') if ctrl => scroll_by(model, page),
        KeyCode::Char('b') if ctrl => scroll_by(model, -page),
        KeyCode::Down | KeyCode::Char('j') => scroll_by(model, 1),
        KeyCode::Up | KeyCode::Char('k') => scroll_by(model, -1),
        KeyCode::PageDown => scroll_by(model, page),
        KeyCode::PageUp => scroll_by(model, -page),
        KeyCode::Home | KeyCode::Char('g') => scroll_to(model, 0),
        KeyCode::End | KeyCode::Char('G') => scroll_to(model, usize::MAX),
        KeyCode::Char('n') | KeyCode::Char(']') => {
            let (scroll, starts) = (reader.scroll, reader.doc.section_starts.clone());
            if let Some(&next) = starts.iter().find(|&&s| s > scroll) {
                scroll_to(model, next);
            }
        }
        KeyCode::Char('p') | KeyCode::Char('[') => {
            let (scroll, starts) = (reader.scroll, reader.doc.section_starts.clone());
            match starts.iter().rev().find(|&&s| s < scroll) {
                Some(&prev) => scroll_to(model, prev),
                None => scroll_to(model, 0),
            }
        }
        KeyCode::Char('t') => {
            let current = reader.doc.section_at(reader.scroll);
            model.overlay = Some(Overlay::Contents { selected: current });
        }
        KeyCode::Char('e') => {
            let text = model.reader_layout(reader).text;
            let doc = &reader.doc;
            let first = doc.section_at(reader.scroll);
            let last = doc.section_at(reader.scroll + text.height as usize);
            let exercise = model.lesson_of(reader).and_then(|l| {
                l.sections[first..=last.max(first)]
                    .iter()
                    .find_map(|s| s.exercise.clone())
            });
            match exercise {
                Some(id) => open_exercise(model, &id, effects),
                None => {
                    model.flash =
                        Some("no code exercise on this screen; look for ✎ in the text".into())
                }
            }
        }
        KeyCode::Tab => focus_quiz(model, true),
        KeyCode::BackTab => focus_quiz(model, false),
        _ => {}
    }
}

/// Tab and Shift-Tab: focus the next or previous quiz and bring it into view.
fn focus_quiz(model: &mut Model, forward: bool) {
    let Screen::Reader(reader) = &model.screen else {
        return;
    };
    let order: Vec<(usize, usize)> = reader
        .doc
        .quizzes
        .iter()
        .map(|&(q, start, _)| (q, start))
        .collect();
    if order.is_empty() {
        model.flash = Some("this lesson has no quizzes".into());
        return;
    }
    let pos = reader
        .focused_quiz
        .and_then(|f| order.iter().position(|&(q, _)| q == f));
    let next = match (pos, forward) {
        (Some(p), true) => (p + 1) % order.len(),
        (Some(p), false) => (p + order.len() - 1) % order.len(),
        (None, true) => order
            .iter()
            .position(|&(_, start)| start >= reader.scroll)
            .unwrap_or(0),
        (None, false) => order
            .iter()
            .rposition(|&(_, start)| start < reader.scroll)
            .unwrap_or(order.len() - 1),
    };
    let quiz = order[next].0;
    if let Screen::Reader(r) = &mut model.screen {
        r.focused_quiz = Some(quiz);
    }
    rebuild_doc_for(model);
    reveal_quiz(model, quiz);
}

/// Scroll so the whole quiz card is on screen, or at least its top.
fn reveal_quiz(model: &mut Model, quiz: usize) {
    let Screen::Reader(reader) = &model.screen else {
        return;
    };
    let height = model.reader_layout(reader).text.height as usize;
    let Some((start, len)) = reader.doc.quiz_line(quiz) else {
        return;
    };
    let scroll = reader.scroll;
    if start < scroll || len > height {
        scroll_to(model, start.saturating_sub(1));
    } else if start + len > scroll + height {
        scroll_to(model, start + len - height);
    }
}

fn quiz_key(model: &mut Model, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
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
    let outcome = match key.code {
        KeyCode::Up | KeyCode::Char('k') => state.up(choices),
        KeyCode::Down | KeyCode::Char('j') => state.down(choices),
        KeyCode::Char(' ') | KeyCode::Char('x') => state.toggle(),
        KeyCode::Char(c) if c.is_ascii_digit() => state.digit(c.to_digit(10).unwrap_or(0), choices),
        KeyCode::Char(c @ ('.' | '-' | 'e' | 'E' | ',')) => state.type_char(c),
        KeyCode::Backspace => state.backspace(),
        KeyCode::Enter => {
            let outcome = state.submit(quiz);
            if outcome == QuizOutcome::Unchanged {
                model.flash = state.missing_input().map(str::to_string);
            }
            outcome
        }
        _ => return false,
    };
    match outcome {
        QuizOutcome::Unchanged => {}
        QuizOutcome::Changed => rebuild_doc_for(model),
        QuizOutcome::Submitted(answer, correct) => {
            let (lesson_id, quiz_id) = (lesson.id.clone(), quiz.id.clone());
            let record = model.progress.lesson_mut(&lesson_id);
            let previous = record.quizzes.get(&quiz_id);
            let attempts = previous.map_or(0, |r| r.attempts) + 1;
            // Once solved, a quiz stays solved: trying other answers afterwards is exploring.
            let solved = correct || previous.is_some_and(|r| r.correct);
            record.quizzes.insert(
                quiz_id,
                QuizRecord {
                    answer,
                    correct: solved,
                    attempts,
                },
            );
            effects.push(Effect::SaveProgress);
            model.flash = Some(if correct {
                "Correct!".into()
            } else {
                "Not quite; read the explanation and try again.".into()
            });
            rebuild_doc_for(model);
            reveal_quiz(model, qi);
        }
    }
    true
}

fn viz_key(model: &mut Model, key: KeyEvent) -> bool {
    let Screen::Reader(reader) = &model.screen else {
        return false;
    };
    if !model.viz_visible(reader) || model.reader_layout(reader).viz.is_none() {
        return false;
    }
    let Screen::Reader(reader) = &mut model.screen else {
        return false;
    };
    if key.code == KeyCode::Esc && reader.viz_zoomed {
        reader.viz_zoomed = false;
        return true;
    }
    let Some(viz) = reader.viz.as_mut() else {
        return false;
    };
    match key.code {
        KeyCode::Char(' ') => viz.playing = !viz.playing,
        KeyCode::Char('.') => {
            viz.playing = false;
            viz.sim.step();
        }
        KeyCode::Char('+') | KeyCode::Char('=') => viz.faster(),
        KeyCode::Char('-') | KeyCode::Char('_') => viz.slower(),
        KeyCode::Char('r') => {
            // Your code keeps running after a restart: it is rebuilt (cached) and plugged in.
            if let Some(id) = viz.restart()
                && let Some(exercise) = model.exercises.iter().find(|e| e.id == id)
            {
                model
                    .effects
                    .push(Effect::StartLive(Box::new(exercise.clone())));
            }
        }
        KeyCode::Char('y') if !student_exercises(viz.sim.kind()).is_empty() => {
            let choices = student_exercises(viz.sim.kind());
            let next = match viz.yours {
                None => Some(choices[0]),
                Some(current) => choices
                    .iter()
                    .skip_while(|c| **c != current)
                    .nth(1)
                    .copied(),
            };
            match next {
                None => {
                    viz.restart();
                    viz.status = Some("running the reference implementation from t=0".into());
                }
                Some(id) => match model.exercises.iter().find(|e| e.id == id) {
                    Some(exercise) => {
                        viz.status = Some(format!("building your {id}…"));
                        model.effects.push(Effect::EnsureWorkspace);
                        model
                            .effects
                            .push(Effect::StartLive(Box::new(exercise.clone())));
                    }
                    None => viz.status = Some(format!("this course has no `{id}` exercise")),
                },
            }
        }

        KeyCode::Char(c) if viz.sim.actions().iter().any(|a| a.key == c) => {
            let last_before = viz.sim.summary().log.last().cloned();
            viz.sim.act(c);
            // Echo what the key did ("slow downstream: on"), which the engine logs; fall back
            // to the key's label when it logged nothing.
            let summary = viz.sim.summary();
            let said = summary
                .log
                .last()
                .filter(|e| Some(*e) != last_before.as_ref())
                .map(|e| e.text.clone());
            viz.status = said.or_else(|| {
                viz.sim
                    .actions()
                    .iter()
                    .find(|a| a.key == c)
                    .map(|a| a.label.to_string())
            });
        }
        _ => return false,
    }
    true
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

/// Width of the exercise screen's text column. From 120 columns the checks get their own
/// column on the right.
pub fn exercise_text_width(screen_width: u16) -> u16 {
    if screen_width >= 120 {
        (screen_width * 55 / 100).min(100)
    } else {
        screen_width.saturating_sub(2).max(10)
    }
}

fn describe_grading(event: &crate::grade::GradeEvent) -> String {
    use crate::grade::GradeEvent;
    match event {
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
    let file = model.workspace.exercise_file(id);
    effects.extend([Effect::EnsureWorkspace, Effect::WatchExercise(Some(file))]);
    start_grading(model, effects);
}

fn start_grading(model: &mut Model, effects: &mut Vec<Effect>) {
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

fn graded(model: &mut Model, result: crate::grade::GradeResult, effects: &mut Vec<Effect>) {
    let passed = result.status == crate::grade::Status::Pass;
    let record = model
        .progress
        .exercises
        .entry(result.id.clone())
        .or_default();
    record.attempts += 1;
    record.passed |= passed;
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

fn exercise_key(model: &mut Model, key: KeyEvent, effects: &mut Vec<Effect>) {
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
    let page = model.size.height.saturating_sub(6).max(1) as isize;
    match key.code {
        KeyCode::Char('q') | KeyCode::Esc | KeyCode::Left => {
            let back = view.back.take();
            model.screen = match back {
                Some(reader) => Screen::Reader(reader),
                None => Screen::Catalog,
            };
            effects.push(Effect::WatchExercise(None));
            relayout(model);
        }
        KeyCode::Char('?') => model.overlay = Some(Overlay::Help { scroll: 0 }),
        KeyCode::Char('e') | KeyCode::Enter => effects.push(Effect::OpenEditor(
            model.workspace.exercise_file(&exercise.id),
        )),
        KeyCode::Char('g') => start_grading(model, effects),
        KeyCode::Char('h') => {
            if view.hints_shown < exercise.hints.len() {
                view.hints_shown += 1;
                relayout(model);
            } else {
                model.flash = Some("no more hints".into());
            }
        }
        KeyCode::Char('R') => view.confirm_reset = true,
        KeyCode::Char('s') => {
            if model.progress.exercise_passed(&exercise.id) {
                view.show_solution = !view.show_solution;
                relayout(model);
            } else {
                model.flash = Some("the reference solution opens once all checks pass".into());
            }
        }
        KeyCode::Down | KeyCode::Char('j') => view.scroll += 1,
        KeyCode::Up | KeyCode::Char('k') => view.scroll = view.scroll.saturating_sub(1),
        KeyCode::PageDown => view.scroll += page as usize,
        KeyCode::PageUp => view.scroll = view.scroll.saturating_sub(page as usize),
        KeyCode::Home => view.scroll = 0,
        KeyCode::End | KeyCode::Char('G') => view.scroll = usize::MAX,
        _ => {}
    }
    // Never scroll past the text: keep at least half a screen of it visible.
    if let Screen::Exercise(view) = &mut model.screen {
        let lines = view.layout.as_ref().map_or(0, |(_, l)| l.len()) + 4;
        view.scroll = view
            .scroll
            .min(lines.saturating_sub(model.size.height as usize / 2));
    }
}

/// The student's implementation is built: run it in the open simulation.
fn live_ready(
    model: &mut Model,
    exercise: &str,
    result: Result<crate::grade::live::LiveImpl, String>,
) {
    let Screen::Reader(reader) = &mut model.screen else {
        return;
    };
    let Some(viz) = reader.viz.as_mut() else {
        return;
    };
    let Some(id) = student_exercises(viz.sim.kind())
        .iter()
        .find(|e| **e == exercise)
        .copied()
    else {
        return;
    };
    match result {
        Ok(live) => {
            // Your code starts from t=0 on the same workload, so the numbers are yours alone.
            viz.restart();
            let (plug, problems) = live.into_plug();
            match viz.sim.plug(Some(plug), yours_label(id)) {
                Ok(()) => {
                    viz.yours = Some(id);
                    viz.yours_problems = Some(problems);
                    viz.status = Some(format!("running YOUR {id} from t=0; y: next"));
                }
                Err(e) => viz.status = Some(e),
            }
        }
        Err(e) => {
            viz.status = Some(format!(
                "your {id} did not build; open the exercise (e) to see why"
            ));
            model.flash = Some(e.lines().next().unwrap_or("build failed").to_string());
        }
    }
}
