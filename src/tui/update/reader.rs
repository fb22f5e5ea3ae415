//! The reader: opening a lesson, laying it out, scrolling, and what scrolling marks.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::course::LessonEntry;
use crate::progress::{Change, Place};
use crate::tui::document::{Document, LessonLayout};
use crate::tui::model::{Model, Overlay, Reader, Screen};
use crate::tui::msg::Effect;
use crate::tui::quiz::QuizState;
use crate::tui::search::{self, Search};
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
            model.progress.record(Change::LastLesson(lesson.id.clone()));
            states
        }
        LessonEntry::Broken { .. } => Vec::new(),
    };
    // Read where the student was before laying out: layout records the new position.
    let saved = model
        .course
        .lessons
        .get(entry)
        .and_then(LessonEntry::lesson)
        .and_then(|l| {
            let saved = model.progress.lesson(&l.id)?;
            let section = saved.position.as_deref().and_then(|s| l.section_index(s));
            let quiz = saved
                .focused_quiz
                .as_deref()
                .and_then(|id| l.quizzes.iter().position(|q| q.id == id));
            Some((
                section.map(|s| (s, saved.offset.unwrap_or(0.0).clamp(0.0, 1.0))),
                quiz,
                saved.sim_hidden,
            ))
        });
    let (anchor, quiz, viz_hidden) = saved.unwrap_or((None, None, false));
    model.screen = Screen::Reader(Box::new(Reader {
        entry,
        scroll: 0,
        layout: None,
        doc: Document::default(),
        quiz_states,
        focused_quiz: None,
        viz: None,
        viz_hidden,
        viz_zoomed: false,
        anchor_kept: None,
        search: None,
        focused_link: None,
    }));
    relayout(model);
    if anchor.is_some() {
        restore_anchor(model, anchor);
        scroll_by(model, 0);
    }
    if let Some(quiz) = quiz
        && let Screen::Reader(r) = &mut model.screen
    {
        r.focused_quiz = Some(quiz);
        rebuild_doc_for(model);
        reveal_quiz(model, quiz);
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
            let render = |md: &str| crate::markdown::render(md, width, &theme).lines;
            let mut md = exercise.description.clone();
            let mut newest_hint_at = None;
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
                    if i + 1 == shown {
                        // Where the newest hint starts: the rows of everything before it.
                        newest_hint_at = Some(render(&md).len());
                    }
                    md.push_str(&format!("{}. {}\n", i + 1, hint.trim()));
                }
            }
            let hints_end = render(&md).len();
            if view.show_solution {
                md.push_str(&format!(
                    "\n\n## Reference solution\n\n```{}\n{}\n```\n",
                    exercise.kind.language(),
                    exercise.solution.trim_end()
                ));
            }
            let lines = render(&md);
            view.newest_hint = newest_hint_at.map(|at| at.min(hints_end)..hints_end);
            view.solution = view.show_solution.then_some(hints_end..lines.len());
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
        // Lines moved (a quiz answered, another width): find the matches again.
        if let Some(search) = reader.search.as_mut().filter(|s| !s.editing) {
            search.matches = search::find(&reader.doc.lines, &search.query);
            search.current = search.current.min(search.matches.len().saturating_sub(1));
        }
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

pub fn jump_to_section(model: &mut Model, section: usize) {
    let Some(line) = model
        .reader()
        .and_then(|r| r.doc.section_starts.get(section).copied())
    else {
        return;
    };
    scroll_to(model, line);
}

/// The last line of section `s` that is not blank: reaching it on screen marks `s` read.
pub fn section_end(doc: &Document, s: usize) -> usize {
    let start = doc.section_starts[s];
    let end = doc
        .section_starts
        .get(s + 1)
        .copied()
        .unwrap_or(doc.lines.len());
    (start..end)
        .rev()
        .find(|&l| doc.lines[l].width() > 0)
        .unwrap_or(start)
}

/// After any move: mark sections read, follow the current section's simulation.
///
/// A section counts as read once its last line has been on screen, however the student got
/// there (scrolling, paging, `n`/`p`, a search, resuming). Jumping past a long section with
/// `n` skips its end, so it does not count; `?` says so.
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
        .filter(|&s| (reader.scroll..bottom).contains(&section_end(doc, s)))
        .map(|s| lesson.sections[s].id.clone())
        .collect();
    let middle = reader.scroll + text.height as usize / 2;
    let current = doc.section_at(middle.min(doc.lines.len().saturating_sub(1)));
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
    // A save is asked for only when this adds a section, not on every scroll.
    let read_before = model
        .progress
        .lesson(&lesson_id)
        .map_or(0, |l| l.sections_read.len());
    model.progress.record(Change::SectionsRead {
        lesson: lesson_id.clone(),
        sections: read,
    });
    if model
        .progress
        .lesson(&lesson_id)
        .is_some_and(|l| l.sections_read.len() != read_before)
    {
        model.effects.push(Effect::SaveProgressSoon);
    }
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
    remember_place(model);
}

/// Record where the student is (section and how far into it, the quiz being answered, a
/// hidden pane) for resuming, and ask for a save once they stop moving if that changed.
pub(super) fn remember_place(model: &mut Model) {
    let Screen::Reader(reader) = &model.screen else {
        return;
    };
    let Some(lesson) = model.lesson_of(reader) else {
        return;
    };
    if reader.layout.is_none() {
        return;
    }
    // Above the first section (the chapter's title and objectives) there is no section to
    // resume at: the next visit starts at the top again.
    let (position, offset) = match anchor_of(reader) {
        Some((s, frac)) => (
            Some(lesson.sections[s].id.clone()),
            // Rounded, so a relayout at another width does not count as a move.
            Some((frac * 1000.0).round() / 1000.0),
        ),
        None => (None, None),
    };
    let focused = reader.focused_quiz.map(|q| lesson.quizzes[q].id.clone());
    let hidden = reader.viz_hidden;
    let lesson_id = lesson.id.clone();
    let place = Place {
        section: position,
        offset,
        focused_quiz: focused,
        sim_hidden: hidden,
    };
    let change = Change::Position {
        lesson: lesson_id,
        place,
    };
    if !change.is_noop_for(&model.progress) {
        model.progress.record(change);
        model.effects.push(Effect::SaveProgressSoon);
    }
}

pub(super) fn reader_key(model: &mut Model, key: KeyEvent, effects: &mut Vec<Effect>) {
    if let Screen::Reader(r) = &model.screen
        && r.search.as_ref().is_some_and(|s| s.editing)
    {
        search_prompt_key(model, key);
        return;
    }
    if console_key(model, key, effects) {
        return;
    }
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
            if let Screen::Reader(r) = &mut model.screen
                && r.search.is_some()
                && key.code == KeyCode::Esc
            {
                r.search = None;
                model.flash = Some("search cleared".into());
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
        KeyCode::Char('/') => {
            if let Screen::Reader(r) = &mut model.screen {
                r.search = Some(Search::prompt());
            }
        }
        KeyCode::Char('n') if reader.search.is_some() => step_match(model, true),
        KeyCode::Char('N') if reader.search.is_some() => step_match(model, false),
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
        KeyCode::Char('D') => {
            let text = model.reader_layout(reader).text;
            let doc = &reader.doc;
            let first = doc.section_at(reader.scroll);
            let last = doc.section_at(reader.scroll + text.height as usize);
            let challenge = model.lesson_of(reader).and_then(|l| {
                l.sections[first..=last.max(first)]
                    .iter()
                    .find_map(|s| s.challenge.clone())
            });
            match challenge {
                Some(id) => crate::tui::design::app::open(model, &id, effects),
                None => {
                    model.flash =
                        Some("no design challenge on this screen; look for ◆ in the text".into())
                }
            }
        }
        KeyCode::Char('S') => open_console(model),
        KeyCode::Tab => focus_quiz(model, true),
        KeyCode::BackTab => focus_quiz(model, false),
        KeyCode::Char('f') => focus_link(model),
        KeyCode::Enter => follow_link(model),
        _ => {}
    }
}

/// Keys while the search prompt is open: type the query, Enter searches, Esc cancels.
fn search_prompt_key(model: &mut Model, key: KeyEvent) {
    let Screen::Reader(r) = &mut model.screen else {
        return;
    };
    let Some(search) = r.search.as_mut() else {
        return;
    };
    match key.code {
        KeyCode::Esc => {
            r.search = None;
            model.flash = Some("search cancelled".into());
        }
        KeyCode::Backspace if search.query.is_empty() => r.search = None,
        KeyCode::Backspace => {
            search.query.pop();
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => search.query.push(c),
        KeyCode::Enter => {
            let query = search.query.clone();
            if query.trim().is_empty() {
                r.search = None;
                return;
            }
            let matches = search::find(&r.doc.lines, &query);
            if matches.is_empty() {
                r.search = None;
                model.flash = Some(format!(
                    "no match for \u{201c}{query}\u{201d} in this lesson"
                ));
                return;
            }
            // The first match at or below the top of the screen, else the first of all.
            let current = matches.iter().position(|m| m.line >= r.scroll).unwrap_or(0);
            *search = Search {
                query,
                editing: false,
                matches,
                current,
            };
            show_match(model);
        }
        _ => {}
    }
}

/// `n` / `N` with a search active: the next or previous match, around the lesson's end.
fn step_match(model: &mut Model, forward: bool) {
    let Screen::Reader(r) = &mut model.screen else {
        return;
    };
    let Some(search) = r.search.as_mut() else {
        return;
    };
    let count = search.matches.len();
    if count == 0 {
        return;
    }
    search.current = if forward {
        (search.current + 1) % count
    } else {
        (search.current + count - 1) % count
    };
    show_match(model);
}

/// Scroll the current match into view (a third down the text when it was off screen) and
/// say where it is among the others.
fn show_match(model: &mut Model) {
    let Screen::Reader(r) = &model.screen else {
        return;
    };
    let Some(search) = &r.search else {
        return;
    };
    let Some(m) = search.matches.get(search.current).copied() else {
        return;
    };
    let (current, count) = (search.current + 1, search.matches.len());
    let height = model.reader_layout(r).text.height as usize;
    if m.line < r.scroll || m.line >= r.scroll + height {
        scroll_to(model, m.line.saturating_sub(height / 3));
    }
    // The pane may have appeared and taken rows: check again with the room there is now.
    if let Screen::Reader(r) = &model.screen {
        let height = model.reader_layout(r).text.height as usize;
        if m.line >= r.scroll + height {
            scroll_to(model, m.line.saturating_sub(height.saturating_sub(1)));
        }
    }
    model.flash = Some(format!(
        "match {current} of {count} \u{b7} n next \u{b7} N previous \u{b7} Esc clears"
    ));
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

/// Scroll so the whole quiz card is in the visible text, or at least its top. Moving can
/// show or hide the simulation pane below the text (it follows its section), which changes
/// the room there is, so this settles in a few steps.
pub(super) fn reveal_quiz(model: &mut Model, quiz: usize) {
    for _ in 0..4 {
        let Screen::Reader(reader) = &model.screen else {
            return;
        };
        let height = model.reader_layout(reader).text.height as usize;
        let Some((start, len)) = reader.doc.quiz_line(quiz) else {
            return;
        };
        let scroll = reader.scroll;
        let target = if len >= height {
            start
        } else if start < scroll {
            start.saturating_sub(1)
        } else if start + len > scroll + height {
            start + len - height
        } else {
            return;
        };
        if target == scroll {
            return;
        }
        scroll_to(model, target);
    }
}
