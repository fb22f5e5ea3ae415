//! The message-queue widget: the path from clients to the consumers, the queue's fill (or the
//! callers waiting in sync mode), a chart of the backlog, and what the clients were answered.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
};

use super::panel::{
    chart_rows, log_lines, meter, panel, render_lines, rows_of, stat, titled_chart,
};
use crate::sim::message_queue::{MessageQueueSim, Mode, Overflow};
use crate::theme::Theme;

pub fn draw(sim: &MessageQueueSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "Sync calls vs a message queue");
    let width = inner.width as usize;
    let height = inner.height as usize;
    let mut lines = vec![status_line(sim, theme)];
    lines.push(backlog_line(sim, width, theme));
    lines.push(consumers_line(sim, theme));
    // Status, queue, consumers, answers and latencies take five rows; each chart a title.
    let rows = chart_rows(height, 7);
    let (backlog_rows, latency_rows) = if rows >= 4 {
        (rows - rows / 2, rows / 2 - 1)
    } else {
        (rows, 0)
    };
    let backlog: Vec<f64> = sim
        .history()
        .iter()
        .map(|t| f64::from(t.queue_depth + t.waiting))
        .collect();
    lines.extend(titled_chart(
        "backlog per tick, queued + waiting",
        &backlog,
        width,
        backlog_rows,
        theme.accent(),
        theme,
    ));
    let slowest: Vec<f64> = sim
        .history()
        .iter()
        .map(|t| f64::from(t.worst_latency))
        .collect();
    lines.extend(titled_chart(
        "slowest answer per tick, in ticks",
        &slowest,
        width,
        latency_rows,
        theme.warn(),
        theme,
    ));
    let mut answers = stat("2xx", sim.ok_responses(), theme.good());
    answers.extend(stat("502", sim.failed_502(), theme.bad()));
    answers.extend(stat("503", sim.rejected_503(), theme.warn()));
    answers.extend(stat("504", sim.timed_out_504(), theme.bad()));
    lines.push(Line::from(answers));
    let client = sim.client_latency();
    let job = sim.job_latency();
    let pct = |h: &crate::sim::latency::LatencyHistogram, p| {
        h.percentile(p).map_or("-".to_string(), |v| v.to_string())
    };
    let wide = width >= 56;
    lines.push(Line::from(vec![
        Span::raw(if wide {
            "client wait p50 "
        } else {
            "wait p50 "
        }),
        Span::styled(pct(client, 50.0), theme.accent()),
        Span::raw(" p99 "),
        Span::styled(pct(client, 99.0), theme.accent()),
        Span::raw(if wide {
            "   work done p50 "
        } else {
            "  done p50 "
        }),
        Span::styled(pct(job, 50.0), theme.accent()),
        Span::raw(" p99 "),
        Span::styled(pct(job, 99.0), theme.accent()),
        Span::styled(if wide { " ticks" } else { "" }, theme.dim()),
    ]));
    let rest = height.saturating_sub(rows_of(&lines, width) + 1);
    if rest > 0 {
        lines.push(Line::styled("events", theme.dim()));
        lines.extend(log_lines(sim.log().iter(), rest, theme));
    }
    render_lines(lines, inner, buf);
}

fn status_line(sim: &MessageQueueSim, theme: &Theme) -> Line<'static> {
    let (mode, meaning) = match sim.mode() {
        Mode::Sync => ("SYNC", "caller waits for the work"),
        Mode::Queue => ("QUEUE", "202 at once, consumers drain"),
    };
    let (down, style) = match (sim.downstream_up(), sim.slow()) {
        (false, _) => ("downstream DOWN", theme.bad()),
        (true, true) => ("downstream SLOW", theme.warn()),
        (true, false) => ("downstream up", theme.good()),
    };
    Line::from(vec![
        Span::styled(format!("{mode} "), theme.selected()),
        Span::raw(format!(" {meaning}  ")),
        Span::styled(down, style),
    ])
}

fn backlog_line(sim: &MessageQueueSim, width: usize, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    let limit = sim.queue_limit();
    let occupancy = sim.queue_occupancy();
    let label = match limit {
        0 => format!(" {occupancy} (unbounded)"),
        n => format!(" {occupancy}/{n}"),
    };
    let bar_w = width.saturating_sub(8 + label.len() + 12).clamp(4, 30);
    let scale = if limit == 0 {
        (sim.max_queue_depth().max(10)) as f64
    } else {
        limit as f64
    };
    let full = limit > 0 && occupancy >= limit;
    spans.push(Span::raw("queue ["));
    spans.push(Span::styled(
        meter(occupancy as f64, scale, bar_w),
        if full { theme.bad() } else { theme.accent() },
    ));
    spans.push(Span::raw("]"));
    spans.push(Span::raw(label));
    if sim.waiting_callers() > 0 {
        spans.push(Span::styled(
            format!("  {} callers waiting", sim.waiting_callers()),
            theme.warn(),
        ));
    }
    if sim.blocked_producers() > 0 {
        spans.push(Span::styled(
            format!("  {} producers blocked", sim.blocked_producers()),
            theme.warn(),
        ));
    } else if limit > 0 {
        let policy = match sim.overflow() {
            Overflow::Reject => "  full: 503",
            Overflow::Block => "  full: block",
        };
        spans.push(Span::styled(policy, theme.dim()));
    }
    Line::from(spans)
}

fn consumers_line(sim: &MessageQueueSim, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::raw("consumers ")];
    for worker in sim.workers() {
        let (cell, style) = match (sim.downstream_up(), worker.busy.is_some()) {
            (false, _) => ("[x]", theme.bad()),
            (true, true) => ("[#]", theme.good()),
            (true, false) => ("[ ]", theme.dim()),
        };
        spans.push(Span::styled(cell, style));
    }
    spans.push(Span::styled(
        format!("  {} busy", sim.in_progress()),
        theme.dim(),
    ));
    Line::from(spans)
}
