//! The CAP widget: two replica boxes with their copies of each key, the link between them
//! (whole, cut, or reconciling), and the latest requests with their outcomes.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
};

use super::panel::{fit, log_lines, panel, render_lines, rows_of, stat};
use crate::sim::cap::{CapSim, KEYS, Mode, Op, Outcome, REPLICAS};
use crate::theme::Theme;

pub fn draw(sim: &CapSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "CAP: two replicas, one link");
    let width = inner.width as usize;
    let height = inner.height as usize;
    let mut lines = vec![status_line(sim, theme)];
    lines.extend(replica_rows(sim, width, theme));
    let mut counters = stat("answered", sim.requests() - sim.errors(), theme.good());
    counters.extend(stat("errors", sim.errors(), theme.bad()));
    counters.extend(stat("stale", sim.stale_reads(), theme.warn()));
    counters.extend(stat("diverged keys", sim.diverged_keys(), theme.accent()));
    lines.push(Line::from(counters));
    let (requests, events) =
        super::panel::split_rest(height.saturating_sub(rows_of(&lines, width)));
    if requests > 0 {
        lines.push(Line::styled("latest requests", theme.dim()));
        lines.extend(request_lines(sim, requests, theme));
    }
    if events > 0 {
        lines.push(Line::styled("events", theme.dim()));
        lines.extend(log_lines(sim.log().iter(), events, theme));
    }
    render_lines(lines, inner, buf);
}

fn status_line(sim: &CapSim, theme: &Theme) -> Line<'static> {
    let (mode, meaning) = match sim.mode() {
        Mode::Cp => ("CP", "refuse what it cannot confirm"),
        Mode::Ap => ("AP", "answer from local data"),
    };
    let (link, link_style) = if !sim.link_up() {
        ("link CUT", theme.bad())
    } else if sim.diverged_keys() > 0 {
        ("link up, reconciling", theme.warn())
    } else {
        ("link up", theme.good())
    };
    Line::from(vec![
        Span::styled(format!("{mode} "), theme.selected()),
        Span::raw(format!(" {meaning}  ")),
        Span::styled(link, link_style),
    ])
}

/// The two boxes side by side, with the link drawn between them on the middle row.
fn replica_rows(sim: &CapSim, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let box_w = ((width.saturating_sub(7)) / 2).clamp(8, 22);
    let link_w = width.saturating_sub(2 * box_w).max(3);
    let link_row = 3;
    let inside = box_w - 2;
    let cell = |replica: usize, row: usize| -> Vec<Span<'static>> {
        let edge = |s: String| Span::styled(s, theme.border());
        match row {
            0 => vec![edge(format!("┌{}┐", "─".repeat(inside)))],
            1 => vec![
                edge("│".into()),
                Span::styled(
                    fit(&format!(" {}", REPLICAS[replica]), inside),
                    theme.title(),
                ),
                edge("│".into()),
            ],
            r if r - 2 < KEYS.len() => {
                let key = r - 2;
                let seq = sim.replicas()[replica].data[key].seq;
                let stale = seq < sim.latest(key);
                let text = format!(" {} v{seq}{}", KEYS[key], if stale { " old" } else { "" });
                vec![
                    edge("│".into()),
                    Span::styled(
                        fit(&text, inside),
                        if stale { theme.warn() } else { theme.text() },
                    ),
                    edge("│".into()),
                ]
            }
            _ => vec![edge(format!("└{}┘", "─".repeat(inside)))],
        }
    };
    let link = |row: usize| -> Span<'static> {
        if row != link_row {
            return Span::raw(" ".repeat(link_w));
        }
        let dashes = link_w.saturating_sub(2);
        let (text, style) = if !sim.link_up() {
            let half = dashes.saturating_sub(1) / 2;
            (
                format!(
                    " {}╳{} ",
                    "─".repeat(half),
                    "─".repeat(dashes.saturating_sub(half + 1))
                ),
                theme.bad(),
            )
        } else if sim.diverged_keys() > 0 {
            (
                format!(" {} ", fit(&"<>".repeat(dashes), dashes)),
                theme.warn(),
            )
        } else {
            (format!(" {} ", "─".repeat(dashes)), theme.good())
        };
        Span::styled(text, style)
    };
    (0..KEYS.len() + 3)
        .map(|row| {
            let mut spans = cell(0, row);
            spans.push(link(row));
            spans.extend(cell(1, row));
            Line::from(spans)
        })
        .collect()
}

fn request_lines(sim: &CapSim, n: usize, theme: &Theme) -> Vec<Line<'static>> {
    sim.recent()
        .iter()
        .rev()
        .take(n)
        .map(|r| {
            let op = match r.op {
                Op::Read => "read ",
                Op::Write => "write",
            };
            let head = format!(
                "t{:<4} {} {op} {}  ",
                r.tick, REPLICAS[r.replica], KEYS[r.key]
            );
            let (mark, outcome, style) = match (r.outcome, r.op) {
                (Outcome::Error, _) => ("x", "ERROR".to_string(), theme.bad()),
                (Outcome::Stale { latest }, _) => (
                    "~",
                    format!("v{} STALE, latest v{latest}", r.seq),
                    theme.warn(),
                ),
                (Outcome::Fresh, Op::Write) => ("+", format!("ok, now v{}", r.seq), theme.good()),
                (Outcome::Fresh, Op::Read) => ("+", format!("v{}", r.seq), theme.good()),
            };
            Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::raw(head),
                Span::styled(outcome, style),
            ])
        })
        .collect()
}
