//! The reader: opening a lesson, laying it out, scrolling, and what scrolling marks.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::course::LessonEntry;
use crate::tui::document::{Document, LessonLayout};
use crate::tui::model::{Model, Overlay, Reader, Screen};
use crate::tui::msg::Effect;
use crate::tui::quiz::QuizState;
use crate::tui::viz_player::VizPlayer;

use super::*;

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
        focused_link: None,
    }));
    relayout(model);
    if let Some(section) = position {
        jump_to_section(model, section);
    }
    after_scroll(model);
}

/// Lay the lesson out again if the text width changed, keeping the reader where they were.
pub(super) fn relayout(model: &mut Model) {
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
pub(super) fn anchor_of(reader: &Reader) -> Option<(usize, f64)> {
    let doc = &reader.doc;
    // Above the first section (title, objectives) the scroll line itself is the place.
    if doc
        .section_starts
        .first()
        .is_none_or(|&first| reader.scroll < first)
    {
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

pub(super) fn restore_anchor(model: &mut Model, anchor: Option<(usize, f64)>) {
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

pub(super) fn rebuild_doc_for(model: &mut Model) {
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

pub(super) fn max_scroll(model: &Model, reader: &Reader) -> usize {
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

pub(super) fn scroll_by(model: &mut Model, delta: isize) {
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

pub(super) fn scroll_to(model: &mut Model, line: usize) {
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

pub(super) fn jump_to_section(model: &mut Model, section: usize) {
    let Some(line) = model
        .reader()
        .and_then(|r| r.doc.section_starts.get(section).copied())
    else {
        return;
    };
    scroll_to(model, line);
}

/// After any move: mark sections read, follow the current section's simulation.
pub(super) fn after_scroll(model: &mut Model) {
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

pub(super) fn reader_key(model: &mut Model, key: KeyEvent, effects: &mut Vec<Effect>) {
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
                _ => "simulation shown",
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
        KeyCode::Char('f') => focus_link(model),
        KeyCode::Enter => follow_link(model),
        _ => {}
    }
}

/// The in-page links whose first line is on screen, as indices into `doc.links`.
fn links_on_screen(model: &Model, reader: &crate::tui::model::Reader) -> Vec<usize> {
    let height = model.reader_layout(reader).text.height as usize;
    let screen = reader.scroll..reader.scroll + height.max(1);
    (0..reader.doc.links.len())
        .filter(|&i| screen.contains(&reader.doc.links[i].line))
        .collect()
}

/// `f`: pick the next in-page link on screen (a README's table of contents), naming it in
/// the footer; Enter then jumps to its heading.
fn focus_link(model: &mut Model) {
    let Screen::Reader(reader) = &model.screen else {
        return;
    };
    let on_screen = links_on_screen(model, reader);
    let next = match reader.focused_link {
        Some(current) => on_screen
            .iter()
            .copied()
            .find(|&i| i > current)
            .or(on_screen.first().copied()),
        None => on_screen.first().copied(),
    };
    let Some(next) = next else {
        model.flash = Some("no in-page link on screen".into());
        return;
    };
    let link = &reader.doc.links[next];
    let position = on_screen.iter().position(|&i| i == next).unwrap_or(0) + 1;
    model.flash = Some(format!(
        "link {position}/{}: {} (#{}); Enter follows, f picks the next",
        on_screen.len(),
        link.text,
        link.target
    ));
    if let Screen::Reader(r) = &mut model.screen {
        r.focused_link = Some(next);
    }
}

/// Enter with a link picked by `f`: scroll its heading to the top.
fn follow_link(model: &mut Model) {
    let Screen::Reader(reader) = &model.screen else {
        return;
    };
    let Some(index) = reader.focused_link else {
        return;
    };
    if !links_on_screen(model, reader).contains(&index) {
        // The pick scrolled away; following it now would be a surprise.
        if let Screen::Reader(r) = &mut model.screen {
            r.focused_link = None;
        }
        return;
    }
    let link = reader.doc.links[index].clone();
    let target = reader.doc.anchor_line(&link.target);
    if let Screen::Reader(r) = &mut model.screen {
        r.focused_link = None;
    }
    match target {
        Some(line) => {
            scroll_to(model, line);
            model.flash = Some(format!("jumped to #{}", link.target));
        }
        None => model.flash = Some(format!("no heading #{} in this lesson", link.target)),
    }
}

/// Tab and Shift-Tab: focus the next or previous quiz and bring it into view.
pub(super) fn focus_quiz(model: &mut Model, forward: bool) {
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
pub(super) fn reveal_quiz(model: &mut Model, quiz: usize) {
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
