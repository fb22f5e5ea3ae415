//! The rate-limiter widget: the bucket's tokens against its capacity, the last answer with
//! its Retry-After, the tokens over time, and which ticks had requests refused.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
};

use super::panel::{
    Counter, chart_rows, counters, log_rows, meter, panel, render_lines, titled_chart,
};
use super::stack::Stack;
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
    // Paused first, where a narrow pane cannot cut it off.
    let settings = Line::from(vec![
        Span::styled(
            if sim.clients_paused() { "PAUSED  " } else { "" },
            theme.warn(),
        ),
        Span::raw(settings),
    ]);
    let label = format!(" {:.2}/{}", sim.tokens(), sim.capacity());
    let bar_w = width.saturating_sub(9 + label.len()).clamp(4, 40);
    let empty = sim.tokens() < 1.0;
    let tokens_line = Line::from(vec![
        Span::raw("tokens ["),
        Span::styled(
            meter(sim.tokens(), sim.capacity() as f64, bar_w),
            if empty { theme.bad() } else { theme.good() },
        ),
        Span::raw("]"),
        Span::styled(label, theme.accent()),
    ]);
    let last = match sim.last_response() {
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
    };
    // Settings, tokens, last answer, chart title, answers strip and counters: six rows.
    let rows = chart_rows(height, 6);
    let gutter = "answers ";
    let plot_w = width.saturating_sub(gutter.len());
    let tokens: Vec<f64> = sim
        .history()
        .iter()
        .map(|t| t.tokens_micro as f64 / 1e6)
        .collect();
    let chart = titled_chart("tokens per tick", &tokens, width, rows, theme.good(), theme);
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
    let seconds = sim.now() as f64 / TICKS_PER_SEC as f64;
    let mut items: Vec<Counter> = vec![
        (
            "allowed",
            "allowed",
            sim.allowed().to_string(),
            theme.good(),
        ),
        ("429", "429", sim.limited().to_string(), theme.bad()),
    ];
    if seconds > 0.0 {
        items.push((
            "passed/s",
            "passed/s",
            format!("{:.1}", sim.allowed() as f64 / seconds),
            theme.accent(),
        ));
    }
    // The bucket and the answers make the point; the strip, the events and the chart follow.
    let mut stack = Stack::new();
    stack
        .line(0, settings)
        .line(1, tokens_line)
        .line(3, last)
        .part(6, chart)
        .line(4, Line::from(strip_line))
        .part(2, counters(&items, width));
    if !sim.log().is_empty() {
        stack.fill(&[(5, 1), (7, usize::MAX)], |rows| {
            if rows == 1 {
                return log_rows(sim.log().iter(), 1, width, theme);
            }
            let mut lines = vec![Line::styled("events", theme.dim())];
            lines.extend(log_rows(sim.log().iter(), rows - 1, width, theme));
            lines
        });
    }
    render_lines(stack.lines(width, height), inner, buf);
}
