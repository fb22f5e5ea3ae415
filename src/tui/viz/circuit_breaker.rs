//! The circuit-breaker widget: the three states with the current one highlighted, what the
//! breaker is waiting for, the dependency's health, and a timeline of states and calls.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    style::Style,
    text::{Line, Span},
};

use super::panel::{chart_rows, counters, log_rows, meter, panel, render_lines, titled_chart};
use super::stack::Stack;
use crate::sim::Simulation as _;
use crate::sim::circuit_breaker::{BreakerState, CircuitBreakerSim, DEPENDENCY};
use crate::theme::Theme;

pub fn draw(sim: &CircuitBreakerSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "Circuit breaker");
    let width = inner.width as usize;
    let height = inner.height as usize;
    let (health, style) = match (sim.dependency_down(), sim.flaky()) {
        (true, _) => ("DOWN", theme.bad()),
        (false, true) => ("FLAKY (half the calls fail)", theme.warn()),
        (false, false) => ("healthy", theme.good()),
    };
    let health = Line::from(vec![
        Span::raw(format!("{DEPENDENCY} ")),
        Span::styled(health, style),
        Span::styled(format!("  in flight {}", sim.in_flight()), theme.dim()),
    ]);
    let detail = state_detail(sim, width, theme);
    // The state and what the breaker waits for, with the dependency's health beside it when
    // the row has room, else below it.
    let state_rows = if detail.width() + 3 + health.width() <= width {
        let mut spans = detail.spans;
        spans.push(Span::raw("   "));
        spans.extend(health.spans);
        vec![Line::from(spans)]
    } else {
        vec![detail, health]
    };
    let counters = counters(
        &[
            ("ok", "ok", sim.successes().to_string(), theme.good()),
            ("failed", "fail", sim.failures().to_string(), theme.bad()),
            (
                "failed fast",
                "fast",
                sim.rejected().to_string(),
                theme.warn(),
            ),
            ("trips", "trips", sim.trips().to_string(), theme.accent()),
            ("trials", "trials", sim.trials().to_string(), theme.accent()),
        ],
        width,
    );
    let gutter = 7;
    let shown = sim.history().len().min(width.saturating_sub(gutter));
    let recent: Vec<_> = sim
        .history()
        .iter()
        .skip(sim.history().len() - shown)
        .collect();
    let mut states = vec![Span::raw("state  ")];
    let mut calls = vec![Span::raw("calls  ")];
    for tick in &recent {
        let (letter, style) = state_letter(tick.state, theme);
        states.push(Span::styled(letter, style));
        let (mark, style) = if tick.trial {
            ("?", theme.accent())
        } else if tick.failed > 0 {
            ("!", theme.bad())
        } else if tick.rejected > 0 {
            ("x", theme.warn())
        } else if tick.succeeded > 0 {
            ("+", theme.good())
        } else {
            (".", theme.dim())
        };
        calls.push(Span::styled(mark, style));
    }
    let legend = Line::styled(
        if width >= 64 {
            "C closed O open H half-open  + ok ! failed x failed fast ? trial"
        } else {
            "C closed O open H half  + ok ! fail x fast ? trial"
        },
        theme.dim(),
    );
    // The chart gets at most half of what the rows above and an event leave.
    let above = 1 + state_rows.len() + 1 + 2 + usize::from(height >= 14);
    let rows = chart_rows(height, above + 3);
    let reaching: Vec<f64> = sim.history().iter().map(|t| f64::from(t.started)).collect();
    let chart = titled_chart(
        &format!("calls reaching {DEPENDENCY} per tick"),
        &reaching,
        width,
        rows,
        theme.accent(),
        theme,
    );
    // The state and the counters make the point; then the latest event, the timelines, and
    // the chart and more events when there is room.
    let mut stack = Stack::new();
    stack
        .line(0, diagram(sim.state(), width, theme))
        .part(1, state_rows)
        .part(1, counters)
        .part(3, vec![Line::from(states), Line::from(calls)])
        .part(if height >= 14 { 4 } else { 9 }, vec![legend])
        .part(5, chart)
        .fill(&[(2, 1), (6, usize::MAX)], |rows| {
            if rows == 1 {
                return log_rows(sim.log().iter(), 1, width, theme);
            }
            let mut lines = vec![Line::styled("events", theme.dim())];
            lines.extend(log_rows(sim.log().iter(), rows - 1, width, theme));
            lines
        });
    render_lines(stack.lines(width, height), inner, buf);
}

fn state_letter(state: BreakerState, theme: &Theme) -> (&'static str, Style) {
    match state {
        BreakerState::Closed { .. } => ("C", theme.good()),
        BreakerState::Open { .. } => ("O", theme.bad()),
        BreakerState::HalfOpen { .. } => ("H", theme.warn()),
    }
}

/// `[closed] -> [open] -> [half-open]`, the current state in capitals and highlighted.
fn diagram(current: BreakerState, width: usize, theme: &Theme) -> Line<'static> {
    let names: [&str; 3] = if width >= 44 {
        ["closed", "open", "half-open"]
    } else {
        ["closed", "open", "half"]
    };
    let arrows = if width >= 44 {
        [" --> ", " --> "]
    } else {
        [">", ">"]
    };
    let index = match current {
        BreakerState::Closed { .. } => 0,
        BreakerState::Open { .. } => 1,
        BreakerState::HalfOpen { .. } => 2,
    };
    let mut spans = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if i == index {
            spans.push(Span::styled(
                format!("[{}]", name.to_uppercase()),
                theme.selected(),
            ));
        } else {
            spans.push(Span::styled(format!("[{name}]"), theme.dim()));
        }
        if i < 2 {
            spans.push(Span::raw(arrows[i]));
        }
    }
    if width >= 60 {
        spans.push(Span::styled(" (trial ok: closed)", theme.dim()));
    }
    Line::from(spans)
}

fn state_detail(sim: &CircuitBreakerSim, width: usize, theme: &Theme) -> Line<'static> {
    match sim.state() {
        BreakerState::Closed {
            consecutive_failures,
        } => {
            let bar_w = width.saturating_sub(36).clamp(3, 20);
            Line::from(vec![
                Span::raw("failures in a row ["),
                Span::styled(
                    meter(
                        f64::from(consecutive_failures),
                        f64::from(sim.threshold()),
                        bar_w,
                    ),
                    theme.bad(),
                ),
                Span::raw(format!("] {consecutive_failures}/{}", sim.threshold())),
            ])
        }
        BreakerState::Open { until } => Line::from(vec![
            Span::styled("failing fast", theme.bad()),
            Span::raw(format!(
                "; half-open in {} tick(s)",
                until.saturating_sub(sim.now())
            )),
        ]),
        BreakerState::HalfOpen { trial_in_flight } => Line::from(vec![Span::styled(
            if trial_in_flight {
                "one trial in flight, others fail fast"
            } else {
                "next request goes through as the trial"
            },
            theme.warn(),
        )]),
    }
}
