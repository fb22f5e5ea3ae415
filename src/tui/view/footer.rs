//! The bottom line: the keys that work right now, or a passing message.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::theme::Theme;

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    keys: &[(&str, &str)],
    flash: Option<&str>,
    theme: &Theme,
) {
    let mut spans = Vec::new();
    if let Some(msg) = flash {
        spans.push(Span::styled(
            format!(" {} ", crate::markdown::sanitize(msg)),
            theme.accent(),
        ));
        spans.push(Span::raw(" "));
    }
    let mut used: usize = spans.iter().map(|s| s.width()).sum();
    for (key, what) in keys {
        let key_span = Span::styled(format!(" {key} "), theme.key());
        let what_span = Span::styled(format!(" {what}  "), theme.dim());
        let w = key_span.width() + what_span.width();
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(key_span);
        spans.push(what_span);
    }
    frame.render_widget(Line::from(spans), area);
}
