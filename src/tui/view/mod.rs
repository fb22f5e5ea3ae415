//! `view`: draws the model. Pure: it reads the model and writes only to the frame.

mod catalog;
mod exercise;
pub use exercise::{Columns, header_text};
pub(crate) mod footer;
mod overlay;
pub use overlay::help_line_of;
mod reader;
pub use reader::pane_legend;
mod review;

use ratatui::Frame;
use ratatui::layout::Alignment;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::layout::{MIN_HEIGHT, MIN_WIDTH, too_small};
use super::model::{Model, Screen};

/// The first frame, shown while the course loads (a few milliseconds). `course_title` comes
/// from the course's course.toml.
pub fn loading(frame: &mut Frame, theme: &crate::theme::Theme, course_title: &str) {
    let area = frame.area();
    let title = Line::styled(
        format!(" sysdesign · {}", crate::markdown::sanitize(course_title)),
        theme.title(),
    );
    frame.render_widget(title, area);
    if area.height > 2 {
        let y = area.y + area.height / 2;
        let line = Line::styled("loading the course…", theme.dim()).alignment(Alignment::Center);
        frame.render_widget(
            line,
            ratatui::layout::Rect {
                y,
                height: 1,
                ..area
            },
        );
    }
}

pub fn view(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    if too_small(area) {
        let text = vec![
            Line::styled("Terminal too small", model.theme.bad()),
            Line::raw(format!(
                "{}×{} now; sysdesign needs at least {MIN_WIDTH}×{MIN_HEIGHT}.",
                area.width, area.height
            )),
            Line::raw("Enlarge the window, or press q to quit."),
        ];
        frame.render_widget(
            Paragraph::new(text)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    match &model.screen {
        Screen::Catalog if model.review.is_some() => {
            if let Some(session) = &model.review {
                review::draw(model, session, frame, area);
            }
        }
        Screen::Catalog => catalog::draw(model, frame, area),
        Screen::Reader(reader) => reader::draw(model, reader, frame),
        Screen::Exercise(view) => exercise::draw(model, view, frame, area),
        Screen::Design(view) => crate::tui::design::view::draw_app(model, view, frame, area),
    }
    if let Some(overlay) = &model.overlay {
        overlay::draw(model, overlay, frame, area);
    }
}
