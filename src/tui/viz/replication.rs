//! The replication widget: the primary and each replica with how far behind it is, every
//! user's last write and last read (flagged when the read missed their own write), and the
//! failover state.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
};

use super::panel::{fit, log_lines, meter, panel, render_lines, rows_of, stat};
use crate::sim::replication::{ReplicationSim, Role, USERS};
use crate::theme::Theme;

pub fn draw(sim: &ReplicationSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "Primary-replica replication");
    let width = inner.width as usize;
    let height = inner.height as usize;
    let ryw = if sim.read_your_writes() {
        Span::styled("read-your-writes ON", theme.good())
    } else {
        Span::styled("read-your-writes OFF", theme.warn())
    };
    let mut lines = vec![Line::from(vec![
        ryw,
        Span::raw(format!("  lag {} tick(s)", sim.lag())),
    ])];
    if let Some(left) = sim.promotion_in() {
        lines.push(Line::from(vec![
            Span::styled("NO PRIMARY", theme.bad()),
            Span::raw(format!(
                ": read-only, a replica is promoted in {left} tick(s)"
            )),
        ]));
    }
    let position = sim
        .nodes()
        .iter()
        .map(|n| n.applied)
        .max()
        .unwrap_or(0)
        .max(1);
    // The progress bar goes first when the pane is narrow; the numbers say the same.
    let bar_w = width.saturating_sub(40).min(30);
    for node in sim.nodes() {
        let (role, style) = match node.role {
            Role::Primary => ("primary", theme.title()),
            Role::Replica => ("replica", theme.text()),
        };
        let behind = sim.log_position().saturating_sub(node.applied);
        let mut spans = vec![
            Span::styled(fit(&format!("{} {role}", node.name), 13), style),
            Span::raw(format!("@{:<4}", node.applied)),
        ];
        if bar_w >= 6 {
            let style = if behind > 0 {
                theme.warn()
            } else {
                theme.good()
            };
            spans.push(Span::raw(" "));
            spans.push(Span::styled(
                meter(node.applied as f64, position as f64, bar_w),
                style,
            ));
        }
        if node.role == Role::Replica && sim.primary().is_some() {
            spans.push(Span::styled(
                if width >= 70 {
                    format!(" {behind} writes behind, {} ticks", sim.lag_ticks(node))
                } else {
                    format!(" -{behind} ({}t)", sim.lag_ticks(node))
                },
                if behind > 0 {
                    theme.warn()
                } else {
                    theme.dim()
                },
            ));
        }
        if node.stale_reads > 0 {
            spans.push(Span::styled(
                format!(" stale {}", node.stale_reads),
                theme.bad(),
            ));
        }
        lines.push(Line::from(spans));
    }
    if height >= 12 {
        lines.push(Line::styled("user  wrote  last read", theme.dim()));
        for (name, user) in USERS.iter().zip(sim.users()) {
            let mut spans = vec![Span::raw(format!(
                "{name}   v{:<5} v{:<5}",
                user.last_write, user.last_read
            ))];
            if user.last_read_stale {
                spans.push(Span::styled("~ missed own write", theme.bad()));
            }
            lines.push(Line::from(spans));
        }
    }
    let mut counters = stat("writes", sim.writes(), theme.good());
    counters.extend(stat("failed", sim.writes_failed(), theme.bad()));
    counters.extend(stat("stale reads", sim.stale_reads(), theme.warn()));
    counters.extend(stat("lost", sim.lost_writes(), theme.bad()));
    counters.extend(stat("failovers", sim.failovers(), theme.accent()));
    lines.push(Line::from(counters));
    lines.push(Line::from(stat(
        "reads from primary",
        format!("{} of {}", sim.reads_from_primary(), sim.reads()),
        theme.accent(),
    )));
    let rest = height.saturating_sub(rows_of(&lines, width) + 1);
    if rest > 0 {
        lines.push(Line::styled("events", theme.dim()));
        lines.extend(log_lines(sim.log().iter(), rest, theme));
    }
    render_lines(lines, inner, buf);
}
