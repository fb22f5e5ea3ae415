//! The message-queue widget: the path from clients to the consumers, the queue's fill (or the
//! callers waiting in sync mode), a chart of the backlog, and what the clients were answered.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
};

use super::panel::{
    chart_rows, counters, flow, log_rows, meter, panel, render_lines, titled_chart,
};
use super::stack::Stack;
use crate::sim::Simulation as _;
use crate::sim::message_queue::{MessageQueueSim, Mode, Overflow};
use crate::theme::Theme;

/// Events at most this many ticks old count as recent.
const RECENT: u64 = 10;

pub fn draw(sim: &MessageQueueSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "Sync calls vs a message queue");
    let width = inner.width as usize;
    let height = inner.height as usize;
    let answers = counters(
        &[
            ("2xx", "2xx", sim.ok_responses().to_string(), theme.good()),
            ("502", "502", sim.failed_502().to_string(), theme.bad()),
            ("503", "503", sim.rejected_503().to_string(), theme.warn()),
            ("504", "504", sim.timed_out_504().to_string(), theme.bad()),
        ],
        width,
    );
    let client = sim.client_latency();
    let job = sim.job_latency();
    let pct = |h: &crate::sim::latency::LatencyHistogram, p| {
        h.percentile(p).map_or("-".to_string(), |v| v.to_string())
    };
    let wide = width >= 56;
    let latencies = Line::from(vec![
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
    ]);
    // Status, answers, queue, consumers and latencies take five rows; each chart a title.
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
    let backlog_chart = titled_chart(
        "backlog per tick, queued + waiting",
        &backlog,
        width,
        backlog_rows,
        theme.accent(),
        theme,
    );
    let slowest: Vec<f64> = sim
        .history()
        .iter()
        .map(|t| f64::from(t.worst_latency))
        .collect();
    let latency_chart = titled_chart(
        "slowest answer per tick, in ticks",
        &slowest,
        width,
        latency_rows,
        theme.warn(),
        theme,
    );
    // The mode and what the clients were answered make the point; then the queue and the
    // consumers, the latencies, the charts and the events. A recent event (a key just
    // pressed) comes before the latencies, so a toggle shows its new state.
    let recent = sim
        .log()
        .iter()
        .last()
        .is_some_and(|e| e.tick + RECENT >= sim.now());
    let mut stack = Stack::new();
    stack
        .part(0, status_line(sim, width, theme))
        .part(1, answers)
        .line(2, backlog_line(sim, width, theme))
        .line(3, consumers_line(sim, theme))
        .line(5, latencies)
        .part(6, backlog_chart)
        .part(7, latency_chart);
    if !sim.log().is_empty() {
        stack.fill(
            &[(if recent { 4 } else { 6 }, 1), (8, usize::MAX)],
            |rows| {
                if rows == 1 {
                    return log_rows(sim.log().iter(), 1, width, theme);
                }
                let mut lines = vec![Line::styled("events", theme.dim())];
                lines.extend(log_rows(sim.log().iter(), rows - 1, width, theme));
                lines
            },
        );
    }
    render_lines(stack.lines(width, height), inner, buf);
}

fn status_line(sim: &MessageQueueSim, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let (mode, meaning) = match sim.mode() {
        Mode::Sync => ("SYNC", "caller waits for the work"),
        Mode::Queue => ("QUEUE", "202 at once, consumers drain"),
    };
    let (down, style) = match (sim.downstream_up(), sim.slow()) {
        (false, _) => ("downstream DOWN", theme.bad()),
        (true, true) => ("downstream SLOW", theme.warn()),
        (true, false) => ("downstream up", theme.good()),
    };
    flow(
        vec![
            vec![
                Span::styled(format!("{mode} "), theme.selected()),
                Span::raw(format!(" {meaning}")),
            ],
            vec![Span::styled(down, style)],
        ],
        width,
        2,
    )
}

/// `queue [####......] 8/10  full: 503`; an unbounded queue has no full, so its bar is scaled
/// to the most it has held, and says so.
fn backlog_line(sim: &MessageQueueSim, width: usize, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    let limit = sim.queue_limit();
    let occupancy = sim.queue_occupancy();
    let most = sim.max_occupancy().max(occupancy);
    let label = match limit {
        0 if most == 0 => format!(" {occupancy} (unbounded)"),
        0 if width >= 70 => {
            format!(" {occupancy} (unbounded; bar scaled to the most seen: {most})")
        }
        0 if width >= 44 => format!(" {occupancy} (unbounded, most seen {most})"),
        0 => format!(" {occupancy} (max {most})"),
        n => format!(" {occupancy}/{n}"),
    };
    let bar_w = width.saturating_sub(8 + label.len() + 12).clamp(4, 30);
    let scale = if limit == 0 { most } else { limit };
    let full = limit > 0 && occupancy >= limit;
    spans.push(Span::raw("queue ["));
    spans.push(Span::styled(
        meter(occupancy as f64, scale as f64, bar_w),
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
