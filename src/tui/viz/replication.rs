//! The replication widget: the primary and each replica with how far behind it is, every
//! user's last write and last read (flagged when the read missed their own write), and the
//! failover state.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
};

use super::panel::{counters, log_rows, meter, panel, render_lines};
use super::stack::Stack;
use crate::sim::replication::{ReplicationSim, Role, USERS, ticks, writes};
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
    let header = Line::from(vec![ryw, Span::raw(format!("  lag {}", ticks(sim.lag())))]);
    let totals = counters(
        &[
            ("writes", "writes", sim.writes().to_string(), theme.good()),
            (
                "failed",
                "failed",
                sim.writes_failed().to_string(),
                theme.bad(),
            ),
            (
                "stale reads",
                "stale",
                sim.stale_reads().to_string(),
                theme.warn(),
            ),
            ("lost", "lost", sim.lost_writes().to_string(), theme.bad()),
            (
                "failovers",
                "failovers",
                sim.failovers().to_string(),
                theme.accent(),
            ),
        ],
        width,
    );
    // The settings and the totals make the point; then the failover, a row per node, the
    // latest events, and the users' reads when there is room.
    let mut stack = Stack::new();
    stack.line(0, header).part(1, totals);
    if let Some(left) = sim.promotion_in() {
        let long = format!(": read-only, a replica is promoted in {}", ticks(left));
        let short = format!(": read-only, promotion in {}", ticks(left));
        let shortest = format!(", promotion in {left}t");
        let text = [long, short]
            .into_iter()
            .find(|t| "NO PRIMARY".len() + t.len() <= width)
            .unwrap_or(shortest);
        stack.line(
            2,
            Line::from(vec![
                Span::styled("NO PRIMARY", theme.bad()),
                Span::raw(text),
            ]),
        );
    }
    stack.part(3, node_rows(sim, width, theme));
    stack.line(
        6,
        Line::from(vec![
            Span::raw("reads from primary "),
            Span::styled(
                format!("{} of {}", sim.reads_from_primary(), sim.reads()),
                theme.accent(),
            ),
        ]),
    );
    let mut users = vec![Line::styled("user  wrote  last read", theme.dim())];
    for (name, user) in USERS.iter().zip(sim.users()) {
        let mut spans = vec![Span::raw(format!(
            "{name}   v{:<5} v{:<5}",
            user.last_write, user.last_read
        ))];
        if user.last_read_stale {
            spans.push(Span::styled("~ missed own write", theme.bad()));
        }
        users.push(Line::from(spans));
    }
    stack.part(5, users);
    if !sim.log().is_empty() {
        stack.fill(&[(4, 1), (7, usize::MAX)], |rows| {
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

/// How much of a node row to show: each form drops or shortens something, so a row always
/// fits on one line and the columns line up.
#[derive(Clone, Copy)]
struct RowForm {
    bar: bool,
    behind: Behind,
    stale_long: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Behind {
    /// `3 writes behind, 6 ticks`
    Long,
    /// `-3 (6t)`
    Short,
}

const FORMS: [RowForm; 5] = [
    RowForm {
        bar: true,
        behind: Behind::Long,
        stale_long: true,
    },
    RowForm {
        bar: true,
        behind: Behind::Short,
        stale_long: true,
    },
    RowForm {
        bar: false,
        behind: Behind::Long,
        stale_long: true,
    },
    RowForm {
        bar: false,
        behind: Behind::Short,
        stale_long: true,
    },
    RowForm {
        bar: false,
        behind: Behind::Short,
        stale_long: false,
    },
];

/// The shortest progress bar worth drawing, and the longest.
const BAR_MIN: usize = 6;
const BAR_MAX: usize = 30;

/// One row per node: `db-2 replica @21   ######.... 3 writes behind, 6 ticks  stale 15`. A
/// promoted primary's stale count is from before its promotion, and says so.
fn node_rows(sim: &ReplicationSim, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let position = sim
        .nodes()
        .iter()
        .map(|n| n.applied)
        .max()
        .unwrap_or(0)
        .max(1);
    let texts = |form: RowForm| -> Vec<(String, String, String)> {
        sim.nodes()
            .iter()
            .map(|node| {
                let head = format!(
                    "{} {} @{:<4}",
                    node.name,
                    match node.role {
                        Role::Primary => "primary",
                        Role::Replica => "replica",
                    },
                    node.applied
                );
                let behind = sim.log_position().saturating_sub(node.applied);
                // A primary is behind no one; a promoted one's stale reads were served
                // while it was a replica, and say so where a replica's lag would be.
                let lag = match (node.role, node.stale_reads, form.behind) {
                    (Role::Replica, _, _) if sim.primary().is_none() => String::new(),
                    (Role::Replica, _, Behind::Long) => {
                        format!("{} behind, {}", writes(behind), ticks(sim.lag_ticks(node)))
                    }
                    (Role::Replica, _, Behind::Short) => {
                        format!("-{behind} ({}t)", sim.lag_ticks(node))
                    }
                    (Role::Primary, 0, _) => String::new(),
                    (Role::Primary, n, Behind::Long) => format!("stale {n} as a replica"),
                    (Role::Primary, n, Behind::Short) => format!("~{n} earlier"),
                };
                let stale = match (node.stale_reads, node.role, form.stale_long) {
                    (0, _, _) | (_, Role::Primary, _) => String::new(),
                    (n, Role::Replica, true) => format!("stale {n}"),
                    (n, Role::Replica, false) => format!("~{n}"),
                };
                (head, lag, stale)
            })
            .collect()
    };
    let widest = |rows: &[(String, String, String)],
                  pick: fn(&(String, String, String)) -> usize| {
        rows.iter().map(pick).max().unwrap_or(0)
    };
    // The first form whose widest row fits, with a bar when it asks for one.
    let mut chosen = None;
    for form in FORMS {
        let rows = texts(form);
        let head_w = widest(&rows, |r| r.0.len());
        let lag_w = widest(&rows, |r| r.1.len());
        let stale_w = widest(&rows, |r| r.2.len());
        let gap = |w: usize| if w > 0 { w + 1 } else { 0 };
        let fixed = head_w + gap(lag_w) + gap(stale_w);
        let bar = if form.bar {
            match width.saturating_sub(fixed + 1) {
                w if w >= BAR_MIN => w.min(BAR_MAX),
                _ => continue,
            }
        } else {
            0
        };
        if !form.bar && fixed > width {
            continue;
        }
        chosen = Some((rows, head_w, lag_w, bar));
        break;
    }
    let (rows, head_w, lag_w, bar) =
        chosen.unwrap_or_else(|| (texts(FORMS[FORMS.len() - 1]), 0, 0, 0));
    sim.nodes()
        .iter()
        .zip(rows)
        .map(|(node, (head, lag, stale))| {
            let behind = sim.log_position().saturating_sub(node.applied);
            let style = match node.role {
                Role::Primary => theme.title(),
                Role::Replica => theme.text(),
            };
            let mut spans = vec![Span::styled(format!("{head:<head_w$}"), style)];
            if bar > 0 {
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    meter(node.applied as f64, position as f64, bar),
                    if behind > 0 {
                        theme.warn()
                    } else {
                        theme.good()
                    },
                ));
            }
            if lag_w > 0 {
                spans.push(Span::styled(
                    format!(" {lag:<lag_w$}"),
                    if node.role == Role::Replica && behind > 0 {
                        theme.warn()
                    } else {
                        theme.dim()
                    },
                ));
            }
            if !stale.is_empty() {
                spans.push(Span::styled(format!(" {stale}"), theme.bad()));
            }
            Line::from(spans)
        })
        .collect()
}
