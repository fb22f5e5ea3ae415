//! Widgets that draw each simulation kind. The engines know nothing of terminals; each
//! widget downcasts to its concrete engine and draws its state.

use ratatui::{buffer::Buffer, layout::Rect, text::Line, widgets::Widget};

pub mod clip;
pub mod panel;
pub mod stack;

pub mod cap;
pub mod circuit_breaker;
pub mod consistent_hash;
pub mod load_balancer;
pub mod message_queue;
pub mod rate_limiter;
pub mod replication;
pub mod rolling_deploy;
pub mod saga;
pub mod transactions;
pub mod ttl_cache;

use crate::sim::{self, Simulation};
use crate::theme::Theme;

/// Draw `sim` into `area`. Every kind in the registry has an arm here.
pub fn draw(sim: &dyn Simulation, area: Rect, buf: &mut Buffer, theme: &Theme) {
    match sim.kind() {
        sim::cap::KIND => draw_as(sim, area, buf, theme, cap::draw),
        sim::message_queue::KIND => draw_as(sim, area, buf, theme, message_queue::draw),
        sim::rate_limiter::KIND => draw_as(sim, area, buf, theme, rate_limiter::draw),
        sim::ttl_cache::KIND => draw_as(sim, area, buf, theme, ttl_cache::draw),
        sim::saga::KIND => draw_as(sim, area, buf, theme, saga::draw),
        sim::circuit_breaker::KIND => draw_as(sim, area, buf, theme, circuit_breaker::draw),
        sim::load_balancer::KIND => draw_as(sim, area, buf, theme, load_balancer::draw),
        sim::consistent_hash::KIND => draw_as(sim, area, buf, theme, consistent_hash::draw),
        sim::replication::KIND => draw_as(sim, area, buf, theme, replication::draw),
        sim::rolling_deploy::KIND => draw_as(sim, area, buf, theme, rolling_deploy::draw),
        sim::transactions::KIND => draw_as(sim, area, buf, theme, transactions::draw),
        other => Line::styled(format!("no widget for `{other}`"), theme.bad())
            .render(area.intersection(*buf.area()), buf),
    }
}

/// Downcast to the engine a widget draws; a mismatch (an engine registered under another
/// kind's name) is shown, not a panic.
fn draw_as<T: 'static>(
    sim: &dyn Simulation,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    widget: fn(&T, Rect, &mut Buffer, &Theme),
) {
    match sim.as_any().downcast_ref::<T>() {
        Some(engine) => widget(engine, area, buf, theme),
        None => Line::styled(
            format!("`{}` is not the engine its widget expects", sim.kind()),
            theme.bad(),
        )
        .render(area.intersection(*buf.area()), buf),
    }
}
