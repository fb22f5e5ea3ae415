//! The consistent-hashing widget: the ring unrolled into a strip coloured by owner, every key
//! as its node's letter with the keys the last change moved highlighted, each node's share,
//! and what a join would move under each scheme.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
};

use super::panel::{log_lines, meter, panel, render_lines, rows_of, series_style};
use crate::sim::consistent_hash::{ChangeKind, ConsistentHashSim, Scheme};
use crate::theme::Theme;

pub fn draw(sim: &ConsistentHashSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "Consistent hashing vs mod-N");
    let width = inner.width as usize;
    let height = inner.height as usize;
    if width == 0 || height == 0 {
        return;
    }
    let letters: Vec<char> = sim.nodes().iter().map(|n| n.letter).collect();
    let style_of = |letter: char| {
        let i = letters.iter().position(|&l| l == letter).unwrap_or(0);
        series_style(theme, i)
    };
    let n = sim.nodes().len();
    let mut lines = vec![match sim.scheme() {
        Scheme::Ring => Line::from(vec![
            Span::styled("RING", theme.selected()),
            Span::raw(format!(
                " {n} nodes x {} vnodes, {} keys",
                sim.vnodes(),
                sim.key_count()
            )),
        ]),
        Scheme::ModN => Line::from(vec![
            Span::styled("MOD-N", theme.selected()),
            Span::raw(format!(
                " node = hash(key) mod {n}, {} keys",
                sim.key_count()
            )),
        ]),
    }];
    lines.push(match sim.last_change() {
        Some(change) => {
            let what = match change.kind {
                ChangeKind::Join | ChangeKind::Leave => {
                    let verb = if change.kind == ChangeKind::Join {
                        "join"
                    } else {
                        "leave"
                    };
                    format!(
                        "{verb} {}->{} nodes",
                        change.nodes_before, change.nodes_after
                    )
                }
                ChangeKind::Vnodes => "new vnode count".to_string(),
                ChangeKind::Scheme => "scheme switch".to_string(),
            };
            let share = 100.0 * change.moved as f64 / sim.key_count().max(1) as f64;
            Line::from(vec![
                Span::styled(format!("t{} {what}: ", change.tick), theme.dim()),
                Span::styled(
                    format!(
                        "{} of {} keys moved ({share:.1}%)",
                        change.moved,
                        sim.key_count()
                    ),
                    theme.accent(),
                ),
            ])
        }
        None => Line::styled("no change yet: add or remove a node", theme.dim()),
    });
    let forecast = sim.forecast();
    lines.push(Line::from(vec![
        Span::raw("join now: ring "),
        Span::styled(format!("{:.1}%", forecast.ring * 100.0), theme.good()),
        Span::raw(format!(" (1/{}) vs mod-N ", n + 1)),
        Span::styled(format!("{:.1}%", forecast.mod_n * 100.0), theme.bad()),
        Span::raw(format!(" ({n}/{})", n + 1)),
    ]));
    let strip_label = "ring ";
    let mut strip = vec![Span::styled(strip_label, theme.dim())];
    if sim.scheme() == Scheme::Ring {
        for letter in sim.ring_strip(width.saturating_sub(strip_label.len())) {
            strip.push(Span::styled(letter.to_string(), style_of(letter)));
        }
    } else {
        strip.push(Span::styled("(unused by mod-N)", theme.dim()));
    }
    lines.push(Line::from(strip));
    lines.push(Line::styled(
        "keys by node, moved ones highlighted",
        theme.dim(),
    ));

    // One row per node when there is room for them and a few rows of keys, else one line.
    let above = rows_of(&lines, width);
    let bars = height >= above + n + 4;
    let node_rows = if bars { n } else { 1 };
    let grid_needed = sim.key_count().div_ceil(width);
    let spare = height.saturating_sub(above + node_rows);
    let grid_rows = grid_needed.min(if spare > 6 { spare - spare / 3 } else { spare });
    for row in 0..grid_rows {
        let start = row * width;
        let end = (start + width).min(sim.key_count());
        let spans: Vec<Span> = (start..end)
            .map(|k| {
                let letter = sim.owners()[k];
                let style = if sim.moved().get(k).copied().unwrap_or(false) {
                    theme.selected()
                } else {
                    style_of(letter)
                };
                Span::styled(letter.to_string(), style)
            })
            .collect();
        lines.push(Line::from(spans));
    }

    let total = sim.key_count().max(1) as f64;
    if bars {
        let bar_w = width.saturating_sub(20).clamp(4, 40);
        let max_keys = sim.nodes().iter().map(|n| n.keys).max().unwrap_or(1) as f64;
        for node in sim.nodes() {
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", node.letter), style_of(node.letter)),
                Span::styled(
                    meter(node.keys as f64, max_keys, bar_w),
                    style_of(node.letter),
                ),
                Span::raw(format!(
                    " {:>4} {:>3.0}%",
                    node.keys,
                    100.0 * node.keys as f64 / total
                )),
            ]));
        }
    } else {
        let spans: Vec<Span> = sim
            .nodes()
            .iter()
            .map(|node| {
                Span::styled(
                    format!("{}:{} ", node.letter, node.keys),
                    style_of(node.letter),
                )
            })
            .collect();
        lines.push(Line::from(spans));
    }
    let rest = height.saturating_sub(rows_of(&lines, width) + 1);
    if rest > 0 {
        lines.push(Line::styled("events", theme.dim()));
        lines.extend(log_lines(sim.log().iter(), rest, theme));
    }
    render_lines(lines, inner, buf);
}
