//! The catalog's "continue": open the first unfinished section of the course.

use crate::tui::model::Model;

use super::*;

/// Open the lesson of the first unfinished section (`Progress::next_up`) at that section.
/// Says so in the footer when everything is done.
pub(super) fn continue_course(model: &mut Model) {
    let Some(next) = model.progress.next_up(model.course.ready()) else {
        model.flash = Some("Everything is read, solved and passed. Well done!".into());
        return;
    };
    let Some(entry) = model.course.entry_of(&next.lesson) else {
        return;
    };
    open_lesson(model, entry);
    jump_to_section(model, next.section_index);
    after_scroll(model);
}
