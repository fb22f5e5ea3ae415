//! The load-balancer widget: a row per server with its state and queue bar, the counters, and
//! p99 and p50 latency charts over the recent responses.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    style::Style,
    text::{Line, Span},
};

use super::panel::{Counter, column_chart, counters, fit, log_rows, meter, panel, render_lines};
use super::stack::Stack;
use crate::sim::Simulation;
use crate::sim::load_balancer::{LoadBalancerSim, ServerStatus};
use crate::theme::Theme;

/// Events at most this many ticks old count as recent.
const RECENT: u64 = 10;

pub fn draw(sim: &LoadBalancerSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "Load balancer");
    let width = inner.width as usize;
    let height = inner.height as usize;
    let table = ServerTable::new(sim, width);
    let servers: Vec<ServerStatus<'_>> = sim.servers().collect();
    let server_rows = |rows: usize| -> Vec<Line<'static>> {
        let rows = rows.min(servers.len());
        let hidden = servers.len() - rows;
        let shown = if hidden > 0 && rows >= 3 {
            rows - 1
        } else {
            rows
        };
        let mut lines: Vec<Line<'static>> = servers[..shown]
            .iter()
            .enumerate()
            .map(|(i, s)| table.row(sim, i, s, theme))
            .collect();
        if shown < rows {
            lines.push(Line::styled(
                format!("  +{} more servers", servers.len() - shown),
                theme.dim(),
            ));
        }
        lines
    };
    // Two thirds of the rows under the servers go to the charts, the rest to the events.
    let chart_rows = (height.saturating_sub(3 + servers.len()) * 2 / 3).max(4);
    // The strategy, latency and counters make the point, then a row per server; what a
    // client move is, the latest events and the latency charts when there is room.
    let mut stack = Stack::new();
    stack
        .line(0, status_line(sim, width, theme))
        .part(1, counters_line(sim, width, theme));
    if let Some(note) = moves_note(width) {
        stack.line(5, Line::styled(note, theme.dim()));
    }
    stack
        .forms(
            (2..=servers.len().max(2))
                .map(|rows| (if rows == 2 { 2 } else { 3 }, server_rows(rows)))
                .collect(),
        )
        .forms(vec![
            (6, latency_charts(sim, width, 3, theme)),
            (7, latency_charts(sim, width, chart_rows, theme)),
        ]);
    // A recent event (a fault, or a key that changed nothing) outranks the note.
    let recent = sim
        .log()
        .iter()
        .last()
        .is_some_and(|e| e.tick + RECENT >= sim.now());
    if !sim.log().is_empty() {
        stack.fill(
            &[(if recent { 4 } else { 5 }, 1), (8, usize::MAX)],
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

/// The balancer and the latest p50 and p99, then the clock if it fits.
fn status_line(sim: &LoadBalancerSim, width: usize, theme: &Theme) -> Line<'static> {
    let (p50, p99) = sim.latency_history(1).last().unwrap_or((0.0, 0.0));
    let mut spans = vec![
        Span::styled(format!(" {} ", sim.balancer_label()), theme.selected()),
        Span::raw("  p50 "),
        Span::styled(format!("{p50:.0}ms"), theme.accent()),
        Span::raw(" p99 "),
        Span::styled(format!("{p99:.0}ms"), latency_style(p99, theme)),
    ];
    let clock = format!("  t{}", sim.now());
    if spans.iter().map(|s| s.width()).sum::<usize>() + clock.len() <= width {
        spans.push(Span::styled(clock, theme.dim()));
    }
    Line::from(spans)
}

fn counters_line(sim: &LoadBalancerSim, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let t = sim.totals();
    let mut items: Vec<Counter> = vec![
        ("sent", "sent", t.sent.to_string(), theme.text()),
        ("served", "ok", t.served.to_string(), theme.good()),
        ("503", "503", t.failed_full.to_string(), theme.warn()),
        ("down", "down", t.failed_down.to_string(), theme.bad()),
    ];
    if t.failed_unrouted > 0 {
        items.push((
            "unrouted",
            "unrouted",
            t.failed_unrouted.to_string(),
            theme.bad(),
        ));
    }
    items.push((
        "client moves",
        "moves",
        t.client_moves.to_string(),
        theme.accent(),
    ));
    counters(&items, width)
}

/// What the `client moves` counter counts, in the words that fit.
fn moves_note(width: usize) -> Option<&'static str> {
    [
        "client moves: requests that went to a different server than that client's previous request",
        "client moves: requests sent to another server than the client's previous one",
        "moves: requests sent to another server than the client's last",
        "moves: request sent elsewhere than its client's last",
    ]
    .into_iter()
    .find(|note| note.len() <= width)
}

fn latency_style(ms: f64, theme: &Theme) -> Style {
    match ms {
        m if m >= 1000.0 => theme.bad(),
        m if m >= 200.0 => theme.warn(),
        _ => theme.good(),
    }
}

/// The server rows' layout, worked out once for all of them so that every queue bar has the
/// same width: the numbers after the bar take fixed-width columns, as wide as the widest value.
struct ServerTable {
    count_width: usize,
    /// The stats shown after the count, each with its column width.
    columns: Vec<(Stat, usize)>,
    bar_width: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Stat {
    Weight,
    Routed,
    Served,
    Failed,
    Mean,
}

impl Stat {
    /// The label before the value, and the unit after it.
    fn label(self) -> (&'static str, &'static str) {
        match self {
            Stat::Weight => ("w", ""),
            Stat::Routed => ("sent ", ""),
            Stat::Served => ("ok ", ""),
            Stat::Failed => ("fail ", ""),
            Stat::Mean => ("", "ms"),
        }
    }

    fn value(self, s: &ServerStatus<'_>) -> String {
        match self {
            Stat::Weight => s.weight.to_string(),
            Stat::Routed => s.routed.to_string(),
            Stat::Served => s.served.to_string(),
            Stat::Failed => s.failed.to_string(),
            Stat::Mean => format!("{:.0}", s.mean_latency_ms),
        }
    }

    /// ` ok  63`: the label, then the value right-aligned in `width`, then the unit.
    fn cell(self, s: &ServerStatus<'_>, width: usize) -> String {
        let (label, unit) = self.label();
        format!(" {label}{:>width$}{unit}", self.value(s))
    }

    fn cell_width(self, width: usize) -> usize {
        let (label, unit) = self.label();
        1 + label.len() + width + unit.len()
    }
}

/// Marker, name and state before the bar: `>s2  SLOW `.
const HEAD: usize = 1 + 4 + 1 + 4 + 1;

impl ServerTable {
    fn new(sim: &LoadBalancerSim, width: usize) -> Self {
        let limit = sim.queue_limit();
        let count_width = 2 * limit.to_string().len() + 1;
        let stats: &[Stat] = match width {
            w if w >= 72 => &[
                Stat::Weight,
                Stat::Routed,
                Stat::Served,
                Stat::Failed,
                Stat::Mean,
            ],
            w if w >= 56 => &[Stat::Served, Stat::Failed, Stat::Mean],
            w if w >= 44 => &[Stat::Served, Stat::Failed],
            _ => &[],
        };
        let columns: Vec<(Stat, usize)> = stats
            .iter()
            .map(|&stat| {
                let widest = sim.servers().map(|s| stat.value(&s).len()).max();
                (stat, widest.unwrap_or(0))
            })
            .collect();
        // The bar's brackets and the space before the count, the count, then the columns.
        let fixed = HEAD
            + 3
            + count_width
            + columns
                .iter()
                .map(|&(stat, w)| stat.cell_width(w))
                .sum::<usize>();
        ServerTable {
            count_width,
            columns,
            bar_width: width.saturating_sub(fixed).clamp(4, 40),
        }
    }

    /// `>s2  SLOW [#######.....]  64/64 w1 sent 147 ok 63 fail 20 1565ms`, the bar replaced by
    /// a note while the server is down or waiting for a health check.
    fn row(
        &self,
        sim: &LoadBalancerSim,
        index: usize,
        s: &ServerStatus<'_>,
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
        let bar_width = self.bar_width;
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
        let count = format!(
            " {:>w$}",
            format!("{}/{limit}", s.queued),
            w = self.count_width
        );
        let stats: String = self
            .columns
            .iter()
            .map(|&(stat, w)| stat.cell(s, w))
            .collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn screen(sim: &LoadBalancerSim, width: u16, height: u16) -> Vec<String> {
        let area = Rect::new(0, 0, width, height);
        let mut buf = Buffer::empty(area);
        draw(sim, area, &mut buf, &Theme::MONO);
        (0..height)
            .map(|y| (0..width).map(|x| buf[(x, y)].symbol()).collect())
            .collect()
    }

    /// A full queue, an empty one and a dead server's note take the same width, whatever the
    /// numbers after them: the counts line up.
    #[test]
    fn every_queue_bar_has_the_same_width() {
        let mut sim = LoadBalancerSim::new(42);
        for _ in 0..50 {
            sim.step();
        }
        sim.act('3');
        sim.act('x');
        for (width, height) in [(46, 12), (60, 18), (80, 9), (100, 30)] {
            let rows = screen(&sim, width, height);
            let ends: Vec<usize> = rows
                .iter()
                .map(|r| r.trim_start_matches('│'))
                .filter(|r| r.starts_with(" s") || r.starts_with(">s"))
                .map(|r| {
                    let at = r.find("/64").expect("a count");
                    r[..at].chars().count()
                })
                .collect();
            assert_eq!(ends.len(), 4, "{width}x{height}: {rows:#?}");
            assert!(
                ends.iter().all(|&e| e == ends[0]),
                "{width}x{height}: {rows:#?}"
            );
        }
    }
}
