//! The load-balancer widget: a row per server with its state and queue bar, the counters, and
//! p99 and p50 latency charts over the recent responses.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    style::Style,
    text::{Line, Span},
};

use super::clip::clip_all;
use super::panel::{column_chart, fit, meter, panel, render_lines, stat};
use crate::sim::Simulation;
use crate::sim::load_balancer::{LoadBalancerSim, ServerStatus};
use crate::theme::Theme;

pub fn draw(sim: &LoadBalancerSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "Load balancer");
    let width = inner.width as usize;
    let height = inner.height as usize;
    let mut lines = vec![status_line(sim, theme), counters_line(sim, theme)];

    // Servers come first; the charts take what is left, and need three rows to be worth it.
    let servers = sim.servers().len();
    let chart_min = if height >= 10 { 4 } else { 0 };
    let server_rows = servers.min(height.saturating_sub(lines.len() + chart_min));
    let hidden = servers - server_rows;
    let shown = if hidden > 0 {
        server_rows.saturating_sub(1)
    } else {
        server_rows
    };
    for (i, server) in sim.servers().enumerate().take(shown) {
        lines.push(server_line(sim, i, &server, width, theme));
    }
    if hidden > 0 && server_rows > 0 {
        lines.push(Line::styled(
            format!("  +{} more servers", servers - shown),
            theme.dim(),
        ));
    }

    let rest = height.saturating_sub(lines.len());
    if rest >= 3 {
        lines.extend(latency_charts(sim, width, rest, theme));
    }
    render_lines(clip_all(lines, width), inner, buf);
}

fn status_line(sim: &LoadBalancerSim, theme: &Theme) -> Line<'static> {
    let (p50, p99) = sim.latency_history(1).last().unwrap_or((0.0, 0.0));
    Line::from(vec![
        Span::styled(format!(" {} ", sim.balancer_label()), theme.selected()),
        Span::raw("  p50 "),
        Span::styled(format!("{p50:.0}ms"), theme.accent()),
        Span::raw(" p99 "),
        Span::styled(format!("{p99:.0}ms"), latency_style(p99, theme)),
        Span::styled(format!("  t{}", sim.now()), theme.dim()),
    ])
}

fn counters_line(sim: &LoadBalancerSim, theme: &Theme) -> Line<'static> {
    let t = sim.totals();
    let mut spans = stat("sent", t.sent, theme.text());
    spans.extend(stat("served", t.served, theme.good()));
    spans.extend(stat("503", t.failed_full, theme.warn()));
    spans.extend(stat("down", t.failed_down, theme.bad()));
    if t.failed_unrouted > 0 {
        spans.extend(stat("unrouted", t.failed_unrouted, theme.bad()));
    }
    spans.extend(stat("client moves", t.client_moves, theme.accent()));
    Line::from(spans)
}

fn latency_style(ms: f64, theme: &Theme) -> Style {
    match ms {
        m if m >= 1000.0 => theme.bad(),
        m if m >= 200.0 => theme.warn(),
        _ => theme.good(),
    }
}

/// `>s2  SLOW [#######.....]  12/64 served 372 failed 470`, the bar replaced by a note while
/// the server is down or waiting for a health check.
fn server_line(
    sim: &LoadBalancerSim,
    index: usize,
    s: &ServerStatus<'_>,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let selected = index == sim.selected();
    let (state, state_style) = match (s.alive, s.healthy, s.slow) {
        (false, _, _) => ("DOWN", theme.bad()),
        (true, false, _) => ("WAIT", theme.warn()),
        (true, true, true) => ("SLOW", theme.warn()),
        (true, true, false) => ("up", theme.good()),
    };
    let limit = sim.queue_limit();
    let count = format!("{:>4}/{limit}", s.queued);
    let stats = match width {
        w if w >= 72 => format!(
            " w{} routed {} served {} failed {} mean {:.0}ms",
            s.weight, s.routed, s.served, s.failed, s.mean_latency_ms
        ),
        w if w >= 50 => format!(" ok {} fail {}", s.served, s.failed),
        _ => String::new(),
    };
    // marker, name, space, state, space, the bar's brackets, the count, the stats
    let fixed = 1 + 4 + 1 + 4 + 1 + 2 + count.len() + stats.len();
    let bar_width = width.saturating_sub(fixed).clamp(4, 40);
    let note = |text: &str, style| Span::styled(fit(text, bar_width + 2), style);
    let bar = match (s.alive, s.healthy) {
        (false, true) => note("dead, in rotation", theme.bad()),
        (false, false) => note("out of rotation", theme.dim()),
        (true, false) => note("awaiting check", theme.warn()),
        (true, true) => {
            let fill = s.queued as f64 / limit.max(1) as f64;
            let style = match fill {
                f if f >= 0.9 => theme.bad(),
                f if f >= 0.5 => theme.warn(),
                _ => theme.good(),
            };
            Span::styled(
                format!("[{}]", meter(s.queued as f64, limit as f64, bar_width)),
                style,
            )
        }
    };
    let marker = if selected { ">" } else { " " };
    let name_style = if selected {
        theme.selected()
    } else {
        theme.text()
    };
    Line::from(vec![
        Span::styled(marker, theme.accent()),
        Span::styled(fit(s.name, 4), name_style),
        Span::raw(" "),
        Span::styled(fit(state, 4), state_style),
        Span::raw(" "),
        bar,
        Span::raw(count),
        Span::styled(stats, theme.dim()),
    ])
}

/// p99 over two thirds of the rows and p50 below it when there is room, each with its scale.
fn latency_charts(
    sim: &LoadBalancerSim,
    width: usize,
    rows: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let history: Vec<(f64, f64)> = sim.latency_history(width).collect();
    let p50: Vec<f64> = history.iter().map(|h| h.0).collect();
    let p99: Vec<f64> = history.iter().map(|h| h.1).collect();
    let (p99_rows, p50_rows) = if rows >= 8 {
        let chart = rows - 2;
        let p50_rows = (chart / 3).max(1);
        (chart - p50_rows, p50_rows)
    } else {
        (rows - 1, 0)
    };
    let mut lines = Vec::with_capacity(rows);
    let mut chart = |label: &str, values: &[f64], n: usize, style: Style| {
        let max = values.iter().copied().fold(0.0_f64, f64::max);
        lines.push(Line::styled(
            format!("{label} per tick, ms (top {max:.0})"),
            theme.dim(),
        ));
        for row in column_chart(values, width, n) {
            lines.push(Line::styled(row, style));
        }
    };
    chart("p99", &p99, p99_rows, theme.warn());
    if p50_rows > 0 {
        chart("p50", &p50, p50_rows, theme.accent());
    }
    lines
}
