//! The rolling-update widget: the resolved maxSurge and maxUnavailable, the pod counts
//! against their bounds, and every pod by revision with its readiness.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    style::Style,
    text::{Line, Span},
};

use super::panel::{log_lines, panel, render_lines, rows_of, series_style};
use crate::sim::rolling_deploy::{APP, Phase, Pod, RollingDeploySim, RolloutStatus};
use crate::theme::Theme;

pub fn draw(sim: &RollingDeploySim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "Kubernetes rolling update");
    let width = inner.width as usize;
    let height = inner.height as usize;
    let (status, status_style) = match sim.status() {
        RolloutStatus::Complete => ("rolled out", theme.good()),
        RolloutStatus::Progressing => ("rolling out", theme.warn()),
        RolloutStatus::DeadlineExceeded => ("STALLED: ProgressDeadlineExceeded", theme.bad()),
    };
    let image = if sim.revision_is_good(sim.revision()) {
        ""
    } else {
        " (bad image)"
    };
    let mut lines = vec![Line::from(vec![
        Span::raw(format!(
            "deployment {APP}  revision {}{image}  ",
            sim.revision()
        )),
        Span::styled(status, status_style),
    ])];
    let fence = sim.fenceposts();
    lines.push(Line::from(vec![
        Span::raw(format!(
            "replicas {}  maxSurge {}% -> ",
            sim.replicas(),
            sim.surge_pct()
        )),
        Span::styled(fence.surge.to_string(), theme.accent()),
        Span::raw(format!(
            " (up)  maxUnavailable {}% -> ",
            sim.unavailable_pct()
        )),
        Span::styled(fence.unavailable.to_string(), theme.accent()),
        Span::raw(" (down)"),
    ]));
    let available = sim.available();
    lines.push(Line::from(vec![
        Span::raw(format!(
            "allowed {}..{} pods:  total ",
            sim.min_available(),
            sim.max_total()
        )),
        Span::styled(sim.total().to_string(), theme.accent()),
        Span::raw("  available "),
        Span::styled(
            available.to_string(),
            if available >= sim.replicas() {
                theme.good()
            } else {
                theme.warn()
            },
        ),
        Span::raw("  updated "),
        Span::styled(sim.updated().to_string(), theme.accent()),
    ]));
    let mut revisions: Vec<u32> = sim.pods().iter().map(|p| p.revision).collect();
    revisions.sort_unstable();
    revisions.dedup();
    let label_w = 7;
    let wide = width >= label_w + 3 * (sim.max_total() as usize + 2);
    for (i, &revision) in revisions.iter().enumerate() {
        let pods: Vec<&Pod> = sim
            .pods()
            .iter()
            .filter(|p| p.revision == revision)
            .collect();
        let marker = if revision == sim.revision() { ">" } else { " " };
        let mut spans = vec![Span::styled(
            format!("{marker}rev {revision:<2}"),
            series_style(theme, i),
        )];
        for pod in pods {
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
        lines.push(Line::from(spans));
    }
    if height >= 12 {
        lines.push(Line::styled(
            "R ready  s starting  . not ready  ! crashing  x terminating",
            theme.dim(),
        ));
    }
    // One row per pod count, from the most allowed down to just under the floor, when the
    // pane has room for that plus the chart's title and a few events.
    let top = sim.max_total().max(sim.max_total_seen()) as usize;
    let lowest = (sim.min_available() as usize).saturating_sub(1).max(1);
    let wanted = top + 1 - lowest.min(top);
    if height >= rows_of(&lines, width) + wanted + 4 {
        lines.push(Line::styled(
            "pods per tick: # available  + not ready  - floor",
            theme.dim(),
        ));
        lines.extend(pod_chart(sim, width, top, lowest, theme));
    }
    let rest = height.saturating_sub(rows_of(&lines, width) + 1);
    if rest > 0 {
        lines.push(Line::styled("events", theme.dim()));
        lines.extend(log_lines(sim.log().iter(), rest, theme));
    }
    render_lines(lines, inner, buf);
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
