//! The rate-limiter widget: the bucket's tokens against its capacity, the last answer with
//! its Retry-After, the tokens over time, and which ticks had requests refused.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
};

use super::panel::{
    chart_rows, log_lines, meter, panel, render_lines, rows_of, stat, titled_chart,
};
use crate::sim::Simulation as _;
use crate::sim::rate_limiter::{RateLimiterSim, Response, TICKS_PER_SEC};
use crate::theme::Theme;

pub fn draw(sim: &RateLimiterSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "Token bucket rate limiter");
    let width = inner.width as usize;
    let height = inner.height as usize;
    let settings = if width >= 60 {
        format!(
            "capacity {}  refill {}/s ({} per 100 ms tick)  clients {} rps",
            sim.capacity(),
            sim.refill_per_sec(),
            sim.refill_per_sec() / TICKS_PER_SEC as f64,
            sim.rps()
        )
    } else {
        format!(
            "cap {}  refill {}/s  clients {} rps",
            sim.capacity(),
            sim.refill_per_sec(),
            sim.rps()
        )
    };
    let mut lines = vec![Line::from(vec![
        Span::raw(settings),
        Span::styled(
            if sim.clients_paused() { "  PAUSED" } else { "" },
            theme.warn(),
        ),
    ])];
    let label = format!(" {:.2}/{}", sim.tokens(), sim.capacity());
    let bar_w = width.saturating_sub(9 + label.len()).clamp(4, 40);
    let empty = sim.tokens() < 1.0;
    lines.push(Line::from(vec![
        Span::raw("tokens ["),
        Span::styled(
            meter(sim.tokens(), sim.capacity() as f64, bar_w),
            if empty { theme.bad() } else { theme.good() },
        ),
        Span::raw("]"),
        Span::styled(label, theme.accent()),
    ]));
    lines.push(match sim.last_response() {
        None => Line::styled("no request yet", theme.dim()),
        Some(Response::Allowed) => Line::from(vec![
            Span::raw("last answer "),
            Span::styled("+ 200 OK", theme.good()),
        ]),
        Some(Response::Limited { retry_after }) => Line::from(vec![
            Span::raw("last answer "),
            Span::styled("x 429 Too Many Requests", theme.bad()),
            Span::styled(format!("  Retry-After: {retry_after}"), theme.accent()),
        ]),
    });
    // Settings, tokens, last answer, chart title, answers strip and counters: six rows.
    let rows = chart_rows(height, 6);
    let gutter = "answers ";
    let plot_w = width.saturating_sub(gutter.len());
    let tokens: Vec<f64> = sim
        .history()
        .iter()
        .map(|t| t.tokens_micro as f64 / 1e6)
        .collect();
    lines.extend(titled_chart(
        "tokens per tick",
        &tokens,
        width,
        rows,
        theme.good(),
        theme,
    ));
    let shown = sim.history().len().min(plot_w);
    let strip: Vec<Span> = sim
        .history()
        .iter()
        .skip(sim.history().len() - shown)
        .map(|t| match (t.allowed, t.limited) {
            (_, l) if l > 0 => Span::styled("x", theme.bad()),
            (a, _) if a > 0 => Span::styled("+", theme.good()),
            _ => Span::styled(".", theme.dim()),
        })
        .collect();
    let mut strip_line = vec![Span::raw(gutter)];
    strip_line.extend(strip);
    lines.push(Line::from(strip_line));
    let mut counters = stat("allowed", sim.allowed(), theme.good());
    counters.extend(stat("429", sim.limited(), theme.bad()));
    let seconds = sim.now() as f64 / TICKS_PER_SEC as f64;
    if seconds > 0.0 {
        counters.extend(stat(
            "passed/s",
            format!("{:.1}", sim.allowed() as f64 / seconds),
            theme.accent(),
        ));
    }
    lines.push(Line::from(counters));
    let rest = height.saturating_sub(rows_of(&lines, width) + 1);
    if rest > 0 {
        lines.push(Line::styled("events", theme.dim()));
        lines.extend(log_lines(sim.log().iter(), rest, theme));
    }
    render_lines(lines, inner, buf);
}
