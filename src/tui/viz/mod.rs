//! Widgets that draw each simulation kind. The engines know nothing of terminals; each
//! widget downcasts to its concrete engine and draws its state.

use ratatui::{buffer::Buffer, layout::Rect, text::Line, widgets::Widget};

use crate::sim::Simulation;
use crate::theme::Theme;

/// Draw `sim` into `area`. Every kind in the registry has an arm here.
pub fn draw(sim: &dyn Simulation, area: Rect, buf: &mut Buffer, theme: &Theme) {
    #[allow(clippy::match_single_binding)]
    match sim.kind() {
        other => Line::styled(format!("no widget for `{other}`"), theme.bad()).render(area, buf),
    }
}
