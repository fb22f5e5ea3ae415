//! The consistent-hashing widget: the ring unrolled into a strip coloured by owner, every key
//! as its node's letter with the keys the last change moved highlighted, each node's share,
//! and what a join would move under each scheme.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
};

use super::panel::{flow, log_rows, meter, panel, render_lines, series_style};
use super::stack::Stack;
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
    let scheme = match sim.scheme() {
        Scheme::Ring => vec![
            vec![Span::styled("RING", theme.selected())],
            vec![Span::raw(format!("{n} nodes x {} vnodes,", sim.vnodes()))],
            vec![Span::raw(format!("{} keys", sim.key_count()))],
        ],
        Scheme::ModN => vec![
            vec![Span::styled("MOD-N", theme.selected())],
            vec![Span::raw(format!("node = hash(key) mod {n},"))],
            vec![Span::raw(format!("{} keys", sim.key_count()))],
        ],
    };
    let change = match sim.last_change() {
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
            vec![
                vec![Span::styled(
                    format!("t{} {what}:", change.tick),
                    theme.dim(),
                )],
                vec![Span::styled(
                    format!(
                        "{} of {} keys moved ({share:.1}%)",
                        change.moved,
                        sim.key_count()
                    ),
                    theme.accent(),
                )],
            ]
        }
        None => vec![vec![Span::styled(
            "no change yet: add or remove a node",
            theme.dim(),
        )]],
    };
    let forecast = sim.forecast();
    let forecast = vec![
        vec![
            Span::raw("join now: ring "),
            Span::styled(format!("{:.1}%", forecast.ring * 100.0), theme.good()),
            Span::raw(format!(" (1/{})", n + 1)),
        ],
        vec![
            Span::raw("vs mod-N "),
            Span::styled(format!("{:.1}%", forecast.mod_n * 100.0), theme.bad()),
            Span::raw(format!(" ({n}/{})", n + 1)),
        ],
    ];
    let strip_label = "ring ";
    let mut strip = vec![Span::styled(strip_label, theme.dim())];
    if sim.scheme() == Scheme::Ring {
        for letter in sim.ring_strip(width.saturating_sub(strip_label.len())) {
            strip.push(Span::styled(letter.to_string(), style_of(letter)));
        }
    } else {
        strip.push(Span::styled("(unused by mod-N)", theme.dim()));
    }
    // Every key as its node's letter, `rows` rows of them under a title.
    let grid = |rows: usize| -> Vec<Line<'static>> {
        let mut lines = vec![Line::styled(
            "keys by node, moved ones highlighted",
            theme.dim(),
        )];
        for row in 0..rows.min(sim.key_count().div_ceil(width.max(1))) {
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
        lines
    };
    let total = sim.key_count().max(1) as f64;
    let bar_w = width.saturating_sub(20).clamp(4, 40);
    let max_keys = sim.nodes().iter().map(|n| n.keys).max().unwrap_or(1) as f64;
    let bars: Vec<Line<'static>> = sim
        .nodes()
        .iter()
        .map(|node| {
            Line::from(vec![
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
            ])
        })
        .collect();
    let shares = Line::from(
        sim.nodes()
            .iter()
            .map(|node| {
                Span::styled(
                    format!("{}:{} ", node.letter, node.keys),
                    style_of(node.letter),
                )
            })
            .collect::<Vec<_>>(),
    );
    // What the last change moved and what a join would move make the point; each node's
    // share next, then the ring, the keys, bars for the shares, and the events.
    let mut stack = Stack::new();
    stack
        .part(0, flow(scheme, width, 1))
        .part(1, flow(change, width, 1))
        .part(2, flow(forecast, width, 1));
    let grid_rows = sim.key_count().div_ceil(width.max(1));
    stack
        .line(4, Line::from(strip))
        .forms(vec![(5, grid(1)), (7, grid(3)), (9, grid(grid_rows))])
        .forms(vec![(3, vec![shares]), (8, bars)]);
    if !sim.log().is_empty() {
        stack.fill(&[(6, 1), (10, usize::MAX)], |rows| {
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
