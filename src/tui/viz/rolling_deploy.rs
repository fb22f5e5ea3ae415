//! The rolling-update widget: the resolved maxSurge and maxUnavailable, the pod counts
//! against their bounds, and every pod by revision with its readiness.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    style::Style,
    text::{Line, Span},
};

use super::panel::{flow, log_rows, panel, render_lines, series_style};
use super::stack::Stack;
use crate::sim::rolling_deploy::{APP, Phase, Pod, RollingDeploySim, RolloutStatus};
use crate::theme::Theme;

pub fn draw(sim: &RollingDeploySim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "Kubernetes rolling update");
    let width = inner.width as usize;
    let height = inner.height as usize;
    let available = sim.available();
    let counts = flow(
        vec![
            vec![Span::raw(format!(
                "allowed {}..{} pods:",
                sim.min_available(),
                sim.max_total()
            ))],
            vec![
                Span::raw("total "),
                Span::styled(sim.total().to_string(), theme.accent()),
            ],
            vec![
                Span::raw("available "),
                Span::styled(
                    available.to_string(),
                    if available >= sim.replicas() {
                        theme.good()
                    } else {
                        theme.warn()
                    },
                ),
            ],
            vec![
                Span::raw("updated "),
                Span::styled(sim.updated().to_string(), theme.accent()),
            ],
        ],
        width,
        2,
    );
    let fence = sim.fenceposts();
    let settings = flow(
        vec![
            vec![Span::raw(format!("replicas {}", sim.replicas()))],
            vec![
                Span::raw(format!("maxSurge {}% -> ", sim.surge_pct())),
                Span::styled(fence.surge.to_string(), theme.accent()),
                Span::raw(" (up)"),
            ],
            vec![
                Span::raw(format!("maxUnavailable {}% -> ", sim.unavailable_pct())),
                Span::styled(fence.unavailable.to_string(), theme.accent()),
                Span::raw(" (down)"),
            ],
        ],
        width,
        2,
    );
    let legend = flow(
        [
            "R ready",
            "s starting",
            ". not ready",
            "! crashing",
            "x terminating",
        ]
        .into_iter()
        .map(|t| vec![Span::styled(t, theme.dim())])
        .collect(),
        width,
        2,
    );
    let mut revisions: Vec<u32> = sim.pods().iter().map(|p| p.revision).collect();
    revisions.sort_unstable();
    revisions.dedup();
    let label_w = 7;
    let wide = width >= label_w + 3 * (sim.max_total() as usize + 2);
    let revision_rows: Vec<Line<'static>> = revisions
        .iter()
        .enumerate()
        .map(|(i, &revision)| {
            let marker = if revision == sim.revision() { ">" } else { " " };
            let mut spans = vec![Span::styled(
                format!("{marker}rev {revision:<2}"),
                series_style(theme, i),
            )];
            for pod in sim.pods().iter().filter(|p| p.revision == revision) {
                let (cell, style) = pod_cell(sim, pod, theme);
                spans.push(Span::styled(
                    if wide {
                        format!("[{cell}]")
                    } else {
                        cell.to_string()
                    },
                    style,
                ));
            }
            Line::from(spans)
        })
        .collect();
    // One row per pod count, from the most allowed down to just under the floor.
    let top = sim.max_total().max(sim.max_total_seen()) as usize;
    let lowest = (sim.min_available() as usize).saturating_sub(1).max(1);
    let mut chart = vec![Line::styled(
        "pods per tick: # available  + not ready  - floor",
        theme.dim(),
    )];
    chart.extend(pod_chart(sim, width, top, lowest, theme));
    // The rollout's state and its pod counts against the bounds make the point; then the
    // pods by revision, the latest event, the settings behind the bounds, the legend, the
    // chart and more events.
    let mut stack = Stack::new();
    stack
        .part(0, status_line(sim, width, theme))
        .part(3, settings)
        .part(1, counts)
        .part(2, revision_rows)
        .part(5, legend)
        .part(6, chart);
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

/// `deployment web  revision 2  rolled out`, or after `rollout undo`
/// `deployment web  rolled back: revision 3 (template of revision 1)`, over two rows or more
/// in a narrow pane.
fn status_line(sim: &RollingDeploySim, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let rollback = sim.rolled_back_to(sim.revision());
    let (status, status_style) = match (sim.status(), rollback) {
        (RolloutStatus::Complete, None) => ("rolled out", theme.good()),
        (RolloutStatus::Complete, Some(_)) => ("rolled back:", theme.good()),
        (RolloutStatus::Progressing, None) => ("rolling out", theme.warn()),
        (RolloutStatus::Progressing, Some(_)) => ("rolling back:", theme.warn()),
        (RolloutStatus::DeadlineExceeded, _) => ("STALLED: ProgressDeadlineExceeded", theme.bad()),
    };
    let image = if sim.revision_is_good(sim.revision()) {
        ""
    } else {
        " (bad image)"
    };
    let name = vec![Span::raw(format!("deployment {APP}"))];
    let status = vec![Span::styled(status, status_style)];
    let chunks = match rollback {
        None => vec![
            name,
            vec![Span::raw(format!("revision {}{image}", sim.revision()))],
            status,
        ],
        Some(template) => vec![
            name,
            status,
            vec![Span::raw(format!(
                "revision {} (template of revision {template}){image}",
                sim.revision()
            ))],
        ],
    };
    flow(chunks, width, 2)
}

/// Pod counts over time, one column per tick and one row per count from `top` down to
/// `lowest`: ready pods as `#`, pods up but not ready as `+` above them, and the availability
/// floor as a dashed row that the `#` never leaves.
fn pod_chart(
    sim: &RollingDeploySim,
    width: usize,
    top: usize,
    lowest: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let floor = sim.min_available() as usize;
    let gutter = 4;
    let shown = sim.history().len().min(width.saturating_sub(gutter));
    let recent: Vec<_> = sim
        .history()
        .iter()
        .skip(sim.history().len() - shown)
        .collect();
    (lowest..=top)
        .rev()
        .map(|level| {
            let floor_row = level == floor;
            let mut spans = vec![Span::styled(
                format!("{level:>2}{} ", if floor_row { "-" } else { " " }),
                theme.dim(),
            )];
            for counts in &recent {
                let (cell, style) = if counts.available as usize >= level {
                    ("#", theme.good())
                } else if counts.total as usize >= level {
                    ("+", theme.warn())
                } else if floor_row {
                    ("-", theme.dim())
                } else {
                    (" ", theme.text())
                };
                spans.push(Span::styled(cell, style));
            }
            Line::from(spans)
        })
        .collect()
}

fn pod_cell(sim: &RollingDeploySim, pod: &Pod, theme: &Theme) -> (char, Style) {
    match pod.phase {
        Phase::Starting => ('s', theme.dim()),
        Phase::Running { ready: true } => ('R', theme.good()),
        Phase::Running { ready: false } if sim.revision_is_good(pod.revision) => {
            ('.', theme.warn())
        }
        Phase::Running { ready: false } => ('!', theme.bad()),
        Phase::Terminating { .. } => ('x', theme.dim()),
    }
}
