//! The CAP widget: two replica boxes with their copies of each key, the link between them
//! (whole, cut, or reconciling), and the latest requests with their outcomes.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
};

use super::panel::{counters, fit, flow, log_rows, panel, render_lines};
use super::stack::Stack;
use crate::sim::cap::{CapSim, KEYS, Mode, Op, Outcome, REPLICAS};
use crate::theme::Theme;

pub fn draw(sim: &CapSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "CAP: two replicas, one link");
    let width = inner.width as usize;
    let height = inner.height as usize;
    let counters = counters(
        &[
            (
                "answered",
                "answered",
                (sim.requests() - sim.errors()).to_string(),
                theme.good(),
            ),
            ("errors", "err", sim.errors().to_string(), theme.bad()),
            (
                "stale",
                "stale",
                sim.stale_reads().to_string(),
                theme.warn(),
            ),
            (
                "diverged keys",
                "diverged",
                sim.diverged_keys().to_string(),
                theme.accent(),
            ),
        ],
        width,
    );
    // The mode and the outcomes make the chapter's point; the boxes shrink before they go.
    let mut stack = Stack::new();
    stack
        .part(0, status_line(sim, width, theme))
        .part(1, counters)
        .forms(vec![
            (2, vec![one_line_replicas(sim, theme)]),
            (3, compact_replicas(sim, false, theme)),
            (4, compact_replicas(sim, true, theme)),
            (6, replica_rows(sim, width, false, theme)),
            (6, replica_rows(sim, width, true, theme)),
        ])
        .fill(&[(5, 1), (7, usize::MAX)], |rows| {
            if rows == 1 {
                return request_lines(sim, 1, theme);
            }
            let (requests, events) = super::panel::split_rest(rows);
            let mut lines = Vec::new();
            if requests > 0 {
                lines.push(Line::styled("latest requests", theme.dim()));
                lines.extend(request_lines(sim, requests, theme));
            }
            if events > 0 {
                lines.push(Line::styled("events", theme.dim()));
                lines.extend(log_rows(sim.log().iter(), events, width, theme));
            }
            lines
        });
    render_lines(stack.lines(width, height), inner, buf);
}

/// The mode, what it means, and the link; the link on a row of its own in a narrow pane.
fn status_line(sim: &CapSim, width: usize, theme: &Theme) -> Vec<Line<'static>> {
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
    flow(
        vec![
            vec![
                Span::styled(format!("{mode} "), theme.selected()),
                Span::raw(format!(" {meaning}")),
            ],
            vec![Span::styled(link, link_style)],
        ],
        width,
        2,
    )
}

/// A key's version on a replica, and whether it is behind the latest write.
fn version(sim: &CapSim, replica: usize, key: usize) -> (u64, bool) {
    let seq = sim.replicas()[replica].data[key].seq;
    (seq, seq < sim.latest(key))
}

/// The two boxes side by side, with the link drawn between them on the middle row. With
/// `name_row` off, the replica's name sits in the top edge, a row shorter.
fn replica_rows(sim: &CapSim, width: usize, name_row: bool, theme: &Theme) -> Vec<Line<'static>> {
    let box_w = ((width.saturating_sub(7)) / 2).clamp(8, 22);
    let link_w = width.saturating_sub(2 * box_w).max(3);
    let first_key = if name_row { 2 } else { 1 };
    let link_row = first_key + 1;
    let inside = box_w - 2;
    let cell = |replica: usize, row: usize| -> Vec<Span<'static>> {
        let edge = |s: String| Span::styled(s, theme.border());
        match row {
            0 if name_row => vec![edge(format!("┌{}┐", "─".repeat(inside)))],
            0 => {
                let name = format!(" {} ", REPLICAS[replica]);
                vec![
                    edge("┌─".into()),
                    Span::styled(name.clone(), theme.title()),
                    edge(format!(
                        "{}┐",
                        "─".repeat(inside.saturating_sub(name.len() + 1))
                    )),
                ]
            }
            1 if name_row => vec![
                edge("│".into()),
                Span::styled(
                    fit(&format!(" {}", REPLICAS[replica]), inside),
                    theme.title(),
                ),
                edge("│".into()),
            ],
            r if r - first_key < KEYS.len() => {
                let key = r - first_key;
                let (seq, stale) = version(sim, replica, key);
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
    (0..KEYS.len() + first_key + 1)
        .map(|row| {
            let mut spans = cell(0, row);
            spans.push(link(row));
            spans.extend(cell(1, row));
            Line::from(spans)
        })
        .collect()
}

/// A replica's keys on one row: `A │ x v16      y v14 old  z v15`.
fn replica_row(sim: &CapSim, replica: usize, theme: &Theme) -> Line<'static> {
    let mut spans = vec![
        Span::styled(format!(" {} ", REPLICAS[replica]), theme.title()),
        Span::styled("│", theme.border()),
    ];
    for (key, name) in KEYS.iter().enumerate() {
        let (seq, stale) = version(sim, replica, key);
        let text = format!(" {name} v{seq}{}", if stale { " old" } else { "" });
        spans.push(Span::styled(
            fit(&text, 11),
            if stale { theme.warn() } else { theme.text() },
        ));
    }
    Line::from(spans)
}

/// The link between the two rows of keys, when there is a row for it.
fn link_row(sim: &CapSim, theme: &Theme) -> Line<'static> {
    let (mark, text, style) = if !sim.link_up() {
        ("╳", "link CUT", theme.bad())
    } else if sim.diverged_keys() > 0 {
        ("<>", "link up, reconciling", theme.warn())
    } else {
        ("│", "link up", theme.good())
    };
    Line::from(vec![
        Span::raw("   "),
        Span::styled(format!("{mark} {text}"), style),
    ])
}

fn compact_replicas(sim: &CapSim, with_link: bool, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![replica_row(sim, 0, theme)];
    if with_link {
        lines.push(link_row(sim, theme));
    }
    lines.push(replica_row(sim, 1, theme));
    lines
}

/// Both replicas on one row, `~` marking a key behind the latest write.
fn one_line_replicas(sim: &CapSim, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (replica, replica_name) in REPLICAS.iter().enumerate() {
        if replica > 0 {
            spans.push(Span::styled(" | ", theme.border()));
        }
        spans.push(Span::styled(replica_name.to_string(), theme.title()));
        for (key, name) in KEYS.iter().enumerate() {
            let (seq, stale) = version(sim, replica, key);
            spans.push(Span::styled(
                format!(" {name}{seq}{}", if stale { "~" } else { "" }),
                if stale { theme.warn() } else { theme.text() },
            ));
        }
    }
    Line::from(spans)
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
