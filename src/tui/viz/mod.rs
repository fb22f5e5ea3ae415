//! Widgets that draw each simulation kind. The engines know nothing of terminals; each
//! widget downcasts to its concrete engine and draws its state.

pub mod clip;
pub mod load_balancer;
pub mod panel;
pub mod saga;
pub mod ttl_cache;

use ratatui::{buffer::Buffer, layout::Rect, text::Line, widgets::Widget};

use crate::sim::{self, Simulation};
use crate::theme::Theme;

/// Draw `sim` into `area`. Every kind in the registry has an arm here.
pub fn draw(sim: &dyn Simulation, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let any = sim.as_any();
    let drawn = match sim.kind() {
        sim::load_balancer::KIND => any
            .downcast_ref()
            .map(|s| load_balancer::draw(s, area, buf, theme)),
        sim::ttl_cache::KIND => any
            .downcast_ref()
            .map(|s| ttl_cache::draw(s, area, buf, theme)),
        sim::saga::KIND => any.downcast_ref().map(|s| saga::draw(s, area, buf, theme)),
        _ => None,
    };
    if drawn.is_none() {
        Line::styled(format!("no widget for `{}`", sim.kind()), theme.bad()).render(area, buf);
    }
}
