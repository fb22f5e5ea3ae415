//! The saga widget: the step diagram, each step's compensation numbered in the order it ran
//! (so reverse order is plain to see), the services' local state, the command or event log,
//! and what a reader polling the services saw along the way.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    style::Style,
    text::{Line, Span},
};

use super::clip::clip_all;
use super::panel::{counters, fit, flow, log_rows, panel, render_lines};
use super::stack::Stack;
use crate::sim::contract::{SagaOutcome, StepKind};
use crate::sim::saga::{
    Mode, Observation, OrderState, PaymentState, Progress, SagaSim, Services, StepView,
};
use crate::sim::saga_participants::CallKind;
use crate::sim::saga_steps::{Service, kind_name};
use crate::theme::Theme;

/// Panes at least this wide put the log and the reader side by side.
const SIDE_BY_SIDE: usize = 100;
/// From this width the diagram names each step's service, and the states are in full.
const WIDE: usize = 70;
/// Below this width the diagram leaves out the compensations' names.
const NARROW: usize = 56;

pub fn draw(sim: &SagaSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "Saga: an order across four services");
    let width = inner.width as usize;
    let height = inner.height as usize;
    let active = active_call(sim);
    let steps: Vec<Line<'static>> = sim
        .steps()
        .iter()
        .enumerate()
        .map(|(i, step)| step_line(i, step, active, width, theme))
        .collect();
    let services = service_lines(sim, width, theme);
    let status = status_line(sim, width, theme);
    let totals = totals_line(sim, width, theme);
    let full_top = status.len() + totals.len() + steps.len() + services.len();
    if width >= SIDE_BY_SIDE && height >= full_top + 3 {
        let mut lines = status;
        lines.extend(totals);
        lines.extend(steps);
        lines.extend(services);
        let rest = height - full_top;
        render_lines(clip_all(lines, width), inner, buf);
        let below = Rect {
            y: inner.y + full_top as u16,
            height: inner.height - full_top as u16,
            ..inner
        };
        let half = below.width / 2;
        let left = Rect {
            width: half.saturating_sub(1),
            ..below
        };
        let right = Rect {
            x: below.x + half,
            width: below.width - half,
            ..below
        };
        let rows = rest - 1;
        let log = log_section(sim, rows, left.width as usize, theme);
        render_lines(clip_all(log, left.width as usize), left, buf);
        let reader = reader_section(sim, rows, right.width as usize, theme);
        render_lines(clip_all(reader, right.width as usize), right, buf);
        return;
    }
    // The outcome first, then the steps in one or two rows, the services in one; the full
    // diagram, the services in columns and the lists when there is room.
    let mut stack = Stack::new();
    stack
        .part(0, status)
        .part(2, totals)
        .forms(vec![
            (1, vec![forward_strip(sim, active, theme)]),
            (
                3,
                vec![forward_strip(sim, active, theme), undo_strip(sim, theme)],
            ),
            (5, steps),
        ])
        .forms(vec![(4, vec![services_strip(sim, theme)]), (6, services)])
        .fill(&[(7, 1), (8, usize::MAX)], |rest| {
            if rest == 1 {
                return log_rows(sim.log().iter(), 1, width, theme);
            }
            // Both lists, each under its title, once there are five rows; the log alone before.
            let (log_rows, reader_rows) = match rest {
                r if r >= 5 => ((r - 2).div_ceil(2), (r - 2) / 2),
                r => (r.saturating_sub(1), 0),
            };
            let mut lines = Vec::new();
            if log_rows > 0 {
                lines.extend(log_section(sim, log_rows, width, theme));
            }
            if reader_rows > 0 {
                lines.extend(reader_section(sim, reader_rows, width, theme));
            }
            lines
        });
    render_lines(stack.lines(width, height), inner, buf);
}

/// Sagas so far by outcome, and what the reader saw that was later undone.
fn totals_line(sim: &SagaSim, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let t = sim.totals();
    counters(
        &[
            ("sagas", "sagas", t.started.to_string(), theme.text()),
            ("completed", "done", t.completed.to_string(), theme.good()),
            (
                "compensated",
                "undone",
                t.compensated.to_string(),
                theme.warn(),
            ),
            ("stuck", "stuck", t.stuck.to_string(), theme.bad()),
            (
                "dirty reads",
                "dirty",
                t.dirty_reads.to_string(),
                theme.bad(),
            ),
        ],
        width,
    )
}

/// A step's progress in a word or two: `ok`, `ok x2`, `FAILED`, `-`.
fn progress_word(progress: Progress, theme: &Theme) -> (String, Style) {
    match progress {
        Progress::NotRun => ("-".to_string(), theme.dim()),
        Progress::Succeeded { attempts: 1 } => ("ok".to_string(), theme.good()),
        Progress::Succeeded { attempts } => (format!("ok x{attempts}"), theme.good()),
        Progress::Failed { attempts: 1 } => ("FAILED".to_string(), theme.bad()),
        Progress::Failed { attempts } => (format!("FAILED x{attempts}"), theme.bad()),
    }
}

/// The forward steps on one row: `steps 1 ok  2 ok  >3 ok  4 -  5 -  6 -`.
fn forward_strip(sim: &SagaSim, active: Option<(usize, CallKind)>, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::styled("steps ", theme.dim())];
    for (i, step) in sim.steps().iter().enumerate() {
        let here = active == Some((i, CallKind::Execute));
        spans.push(Span::styled(
            format!(
                "{}{}{} ",
                if i > 0 { " " } else { "" },
                if here { ">" } else { " " },
                i + 1
            ),
            if here { theme.accent() } else { theme.text() },
        ));
        let (word, style) = progress_word(step.forward, theme);
        spans.push(Span::styled(word, style));
    }
    Line::from(spans)
}

/// The compensations that ran, in the order they ran: `undo  4 refund_payment ok, 3 ...`.
fn undo_strip(sim: &SagaSim, theme: &Theme) -> Line<'static> {
    let mut ran: Vec<(usize, &StepView)> = sim
        .steps()
        .iter()
        .enumerate()
        .filter(|(_, s)| s.compensation != Progress::NotRun)
        .collect();
    ran.sort_by_key(|(i, s)| (s.compensation_rank.unwrap_or(u32::MAX), usize::MAX - i));
    let mut spans = vec![Span::styled("undo  ", theme.dim())];
    if ran.is_empty() {
        spans.push(Span::styled("nothing undone", theme.dim()));
    }
    for (n, (i, step)) in ran.into_iter().enumerate() {
        if n > 0 {
            spans.push(Span::raw(", "));
        }
        let name = step.def.compensation.unwrap_or("?");
        spans.push(Span::raw(format!("{} {name} ", i + 1)));
        let (word, style) = progress_word(step.compensation, theme);
        spans.push(Span::styled(word, style));
    }
    Line::from(spans)
}

/// The four services in one row, in short words.
fn services_strip(sim: &SagaSim, theme: &Theme) -> Line<'static> {
    let services = sim.services();
    let mut spans = Vec::new();
    for &s in Service::ALL.iter() {
        spans.push(Span::styled(format!("{} ", s.name()), theme.dim()));
        spans.push(Span::styled(
            format!("{}  ", short_state(services, s)),
            service_style(sim, s, theme),
        ));
    }
    Line::from(spans)
}

/// The mode, the saga's number and its outcome (or how far its replay has got), and who runs
/// it when there is room; over two rows in a narrow pane, the outcome never cut off.
fn status_line(sim: &SagaSim, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mode = sim.mode();
    let Some(run) = sim.current() else {
        return flow(
            vec![
                vec![Span::styled(format!(" {} ", mode.name()), theme.selected())],
                vec![Span::styled("waiting for the first order", theme.dim())],
            ],
            width,
            2,
        );
    };
    let who = match run.mode {
        Mode::Orchestration => format!("orchestrator: {}", run.label),
        Mode::Choreography => "no orchestrator: services react to events".to_string(),
    };
    let (outcome, style) = if !run.finished() {
        (
            format!("call {}/{}", run.replayed, run.calls.len()),
            theme.accent(),
        )
    } else {
        match &run.outcome {
            SagaOutcome::Completed => ("COMPLETED".to_string(), theme.good()),
            SagaOutcome::Compensated { .. } => ("COMPENSATED".to_string(), theme.warn()),
            SagaOutcome::Stuck { .. } => ("STUCK".to_string(), theme.bad()),
        }
    };
    let mut chunks = vec![
        vec![Span::styled(
            format!(" {} ", run.mode.name()),
            theme.selected(),
        )],
        vec![
            Span::raw(format!("saga #{}  ", run.number)),
            Span::styled(outcome, style),
        ],
    ];
    if run.mismatch.is_some() {
        chunks.push(vec![Span::styled(
            "differs from the reference",
            theme.bad(),
        )]);
    }
    let mut lines = flow(chunks, width, 2);
    // Who runs it, only where the row has room left.
    if let Some(last) = lines.last_mut()
        && last.width() + 2 + who.len() <= width
    {
        last.spans
            .push(Span::styled(format!("  {who}"), theme.dim()));
    }
    lines
}

/// The step and kind of the call replayed last, to point at it in the diagram.
fn active_call(sim: &SagaSim) -> Option<(usize, CallKind)> {
    let run = sim.current()?;
    if run.finished() {
        return None;
    }
    let call = run.calls.get(run.replayed.checked_sub(1)?)?;
    Some((call.step, call.kind))
}

fn progress_span(progress: Progress, width: usize, theme: &Theme) -> Span<'static> {
    let (text, style) = match progress {
        Progress::NotRun => ("-".to_string(), theme.dim()),
        Progress::Succeeded { attempts: 1 } => ("ok".to_string(), theme.good()),
        Progress::Succeeded { attempts } => (format!("ok x{attempts}"), theme.good()),
        Progress::Failed { attempts: 1 } => ("FAILED".to_string(), theme.bad()),
        Progress::Failed { attempts } => (format!("FAILED x{attempts}"), theme.bad()),
    };
    Span::styled(fit(&text, width), style)
}

/// `>3 inventory reserve_stock   ok      <- 2 release_stock ok`: the forward step on the left,
/// its compensation and the order it ran in on the right. Narrow panes drop the service and
/// the compensation's name, which the log still gives.
fn step_line(
    i: usize,
    step: &StepView,
    active: Option<(usize, CallKind)>,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let def = step.def;
    let narrow = width < NARROW;
    let marker = |kind| {
        if active == Some((i, kind)) {
            Span::styled(">", theme.accent())
        } else {
            Span::raw(" ")
        }
    };
    let name_style: Style = if active.is_some_and(|(s, _)| s == i) {
        theme.selected()
    } else {
        theme.text()
    };
    let mut spans = vec![marker(CallKind::Execute), Span::raw(format!("{} ", i + 1))];
    if width >= WIDE {
        spans.push(Span::styled(fit(def.service.name(), 10), theme.dim()));
    }
    spans.push(Span::styled(fit(def.name, 18), name_style));
    spans.push(progress_span(
        step.forward,
        if narrow { 7 } else { 10 },
        theme,
    ));
    match def.compensation {
        Some(compensation) => {
            spans.push(marker(CallKind::Compensate));
            let rank = step
                .compensation_rank
                .map_or(" ".to_string(), |r| r.to_string());
            if narrow {
                spans.push(Span::styled(format!("<{rank} "), theme.accent()));
            } else {
                spans.push(Span::styled(format!("<- {rank} "), theme.accent()));
                spans.push(Span::raw(fit(compensation, 15)));
            }
            spans.push(progress_span(step.compensation, 9, theme));
        }
        None => {
            let note = match (def.kind, narrow) {
                (StepKind::Pivot, false) => " (pivot: go/no-go)".to_string(),
                (kind, _) => format!(" ({})", kind_name(kind)),
            };
            spans.push(Span::styled(note, theme.dim()));
        }
    }
    Line::from(spans)
}

/// A service's state in as few words as a narrow pane allows.
fn short_state(services: &Services, service: Service) -> String {
    match service {
        Service::Order => match services.order {
            OrderState::None => "-".to_string(),
            OrderState::Pending => "PENDING".to_string(),
            OrderState::Approved => "APPROVED".to_string(),
            OrderState::Rejected => "REJECTED".to_string(),
        },
        Service::Inventory => format!("{} ({} held)", services.stock, services.held),
        Service::Payment => match services.payment {
            PaymentState::None => "-".to_string(),
            PaymentState::Charged(amount) => format!("charged ${amount}"),
            PaymentState::Refunded(amount) => format!("refunded ${amount}"),
        },
        Service::Shipping if services.shipment_scheduled => "scheduled".to_string(),
        Service::Shipping => "-".to_string(),
    }
}

/// Two services per row: `order #1003 PENDING   inventory 18 in stock, 2 held for #1003`,
/// in columns when there is room, packed in short words when there is not.
fn service_lines(sim: &SagaSim, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let services = sim.services();
    let cell = width / 2;
    Service::ALL
        .chunks(2)
        .map(|pair| {
            let spans: Vec<Span<'static>> = pair
                .iter()
                .flat_map(|&s| {
                    let style = service_style(sim, s, theme);
                    let label = Span::styled(format!("{} ", s.name()), theme.dim());
                    if width < WIDE {
                        let state = format!("{}  ", short_state(services, s));
                        return [label, Span::styled(state, style)];
                    }
                    let room = cell.saturating_sub(s.name().len() + 1);
                    let state = fit(&services.describe(s), room.saturating_sub(1));
                    [label, Span::styled(format!("{state} "), style)]
                })
                .collect();
            Line::from(spans)
        })
        .collect()
}

fn service_style(sim: &SagaSim, service: Service, theme: &Theme) -> Style {
    let s = sim.services();
    match service {
        Service::Order => match s.order {
            OrderState::Approved => theme.good(),
            OrderState::Rejected => theme.bad(),
            OrderState::Pending => theme.warn(),
            OrderState::None => theme.dim(),
        },
        Service::Inventory if s.held > 0 => theme.warn(),
        Service::Payment => match s.payment {
            PaymentState::Charged(_) => theme.warn(),
            PaymentState::Refunded(_) => theme.bad(),
            PaymentState::None => theme.dim(),
        },
        Service::Shipping if s.shipment_scheduled => theme.good(),
        _ => theme.text(),
    }
}

fn log_section(sim: &SagaSim, rows: usize, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let title = match sim.current().map(|r| r.mode) {
        Some(Mode::Choreography) => "events, newest first",
        _ => "commands and replies, newest first",
    };
    let mut lines = vec![Line::styled(title, theme.dim())];
    lines.extend(log_rows(sim.log().iter(), rows, width, theme));
    lines
}

/// What the reader saw, newest first; reads of state the saga later undid are marked.
fn reader_section(sim: &SagaSim, rows: usize, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        "a reader polling the services (no isolation)",
        theme.dim(),
    )];
    lines.extend(
        sim.observations()
            .rev()
            .take(rows)
            .map(|o| observation_line(o, width, theme)),
    );
    lines
}

fn observation_line(o: &Observation, width: usize, theme: &Theme) -> Line<'static> {
    let seen = &o.seen;
    // Longest first; a narrow pane drops words rather than cut the order number.
    let forms = if width >= WIDE {
        vec![format!(
            "order {}, {} held, payment {}",
            seen.describe(Service::Order),
            seen.held,
            seen.describe(Service::Payment)
        )]
    } else {
        vec![
            format!(
                "#{} {}, {} held, {}",
                seen.order_id,
                short_state(seen, Service::Order),
                seen.held,
                short_state(seen, Service::Payment)
            ),
            format!(
                "#{} {}, {} held",
                seen.order_id,
                short_state(seen, Service::Order),
                seen.held
            ),
            format!("#{} {}", seen.order_id, short_state(seen, Service::Order)),
            format!("#{}", seen.order_id),
        ]
    };
    let stamp = format!("t{:<4} ", o.tick);
    let mark = if o.dirty { "! " } else { "  " };
    let fits = |text: &str| stamp.len() + mark.len() + text.chars().count() <= width;
    let text = forms
        .iter()
        .find(|t| fits(t))
        .or(forms.last())
        .cloned()
        .unwrap_or_default();
    // Not even the number fits beside the tick: the number alone, as much as there is room.
    if !fits(&text) {
        let mark = if o.dirty { "!" } else { "" };
        return Line::from(vec![
            Span::styled(mark.to_string(), theme.bad()),
            Span::raw(text),
        ]);
    }
    let mut spans = vec![Span::styled(stamp, theme.dim())];
    if o.dirty {
        spans.push(Span::styled("! ", theme.bad()));
        spans.push(Span::raw(text));
        if width >= WIDE {
            spans.push(Span::styled("  later undone", theme.bad()));
        }
    } else {
        spans.push(Span::raw("  "));
        spans.push(Span::raw(text));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_never_cut_the_order_number() {
        let spec = crate::sim::find("saga").unwrap();
        let mut sim = spec.start(42, &[]).unwrap();
        for _ in 0..400 {
            sim.step();
        }
        let saga = sim.as_any().downcast_ref::<SagaSim>().unwrap();
        let observations: Vec<&Observation> = saga.observations().collect();
        assert!(!observations.is_empty());
        for o in observations {
            let number = format!("#{}", o.seen.order_id);
            for width in 8..60 {
                let line =
                    crate::tui::viz::clip::clip(observation_line(o, width, &Theme::MONO), width);
                let text = line.to_string();
                assert!(
                    text.contains(&number),
                    "width {width}: {text:?} lost {number}"
                );
            }
        }
    }
}
