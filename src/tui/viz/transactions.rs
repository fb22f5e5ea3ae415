//! The transactions widget: the isolation level, the schedule with each step's result, what
//! each transaction sees beside the committed rows, and the verdict: did the anomaly
//! happen, or which error stopped it.

use std::collections::BTreeMap;

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
};

use super::panel::{fit, flow, log_rows, panel, render_lines};
use super::stack::Stack;
use crate::sim::transactions::{Isolation, StepMark, TXNS, TransactionsSim, TxnState, VAR_NAMES};
use crate::theme::Theme;

pub fn draw(sim: &TransactionsSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let title = format!("Transactions: {}", sim.scenario().name);
    let inner = panel(area, buf, theme, &title);
    let width = inner.width as usize;
    let height = inner.height as usize;
    let mut stack = Stack::new();
    stack
        .part(0, level_line(sim, width, theme))
        .part(1, verdict(sim, width, theme))
        .forms(vec![
            (2, vec![progress(sim, width, theme)]),
            (3, schedule(sim, width, false, theme)),
            (5, schedule(sim, width, true, theme)),
        ])
        .part(4, views(sim, width, theme))
        .fill(&[(6, 2), (7, usize::MAX)], |rows| {
            let mut lines = vec![Line::styled("events", theme.dim())];
            lines.extend(log_rows(
                sim.log().iter(),
                rows.saturating_sub(1),
                width,
                theme,
            ));
            lines
        });
    render_lines(stack.lines(width, height), inner, buf);
}

fn level_line(sim: &TransactionsSim, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let level = sim.isolation().name().to_uppercase().replace('-', " ");
    let note = match sim.isolation() {
        Isolation::ReadUncommitted => "PostgreSQL runs it as read committed",
        Isolation::ReadCommitted => "a fresh snapshot per statement",
        Isolation::RepeatableRead => "one snapshot per transaction",
        Isolation::Serializable => "snapshot + serializability check",
    };
    flow(
        vec![
            vec![Span::styled(format!(" {level} "), theme.selected())],
            vec![Span::styled(note.to_string(), theme.dim())],
        ],
        width,
        2,
    )
}

fn verdict(sim: &TransactionsSim, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut chunks = Vec::new();
    match sim.anomaly() {
        None => chunks.push(vec![Span::styled(
            format!("running: anomaly? {}", sim.scenario().story),
            theme.text(),
        )]),
        Some(true) => chunks.push(vec![
            Span::styled("ANOMALY ", theme.bad()),
            Span::raw(sim.scenario().story.to_string()),
        ]),
        Some(false) => chunks.push(vec![Span::styled(
            "no anomaly: the same result as running them one after the other",
            theme.good(),
        )]),
    }
    if let Some((txn, reason)) = sim.abort_reason() {
        chunks.push(vec![Span::styled(
            format!("{txn} aborted: ERROR: {reason}"),
            theme.warn(),
        )]);
    }
    flow(chunks, width, 2)
}

/// One line per step: selection, state, the transaction, its SQL and what it returned.
/// `spaced` adds a header row.
fn schedule(
    sim: &TransactionsSim,
    width: usize,
    spaced: bool,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if spaced {
        lines.push(Line::styled(
            "schedule ([ ] select, m move earlier, . step)",
            theme.dim(),
        ));
    }
    for (i, (step, mark)) in sim.schedule().iter().zip(sim.marks()).enumerate() {
        let pointer = if i == sim.selected() { ">" } else { " " };
        let (glyph, style, note) = match mark {
            StepMark::Pending => (" ", theme.dim(), String::new()),
            StepMark::Done { note, .. } if note.starts_with("ERROR") => {
                ("x", theme.bad(), note.clone())
            }
            StepMark::Done { note, .. } => ("+", theme.text(), note.clone()),
            StepMark::Blocked { row } => {
                ("~", theme.warn(), format!("waits for the lock on {row}"))
            }
            StepMark::Skipped => ("-", theme.dim(), "not run: transaction ended".to_string()),
        };
        let indent = if step.txn == 0 { "" } else { "  " };
        let sql = sim.scenario().sql(&step.op);
        let text = if note.is_empty() {
            format!("{indent}{sql}")
        } else {
            format!("{indent}{sql} -> {note}")
        };
        let head = format!("{pointer}{glyph} {} ", TXNS[step.txn]);
        let room = width.saturating_sub(head.len());
        lines.push(Line::from(vec![
            Span::styled(
                head,
                if i == sim.selected() {
                    theme.accent()
                } else {
                    theme.dim()
                },
            ),
            Span::styled(fit(&text, room), style),
        ]));
    }
    lines
}

/// The schedule in one line: how far it has run, and the next step.
fn progress(sim: &TransactionsSim, width: usize, theme: &Theme) -> Line<'static> {
    let done = sim
        .marks()
        .iter()
        .filter(|m| matches!(m, StepMark::Done { .. } | StepMark::Skipped))
        .count();
    let next = sim
        .schedule()
        .iter()
        .zip(sim.marks())
        .find(|(_, m)| matches!(m, StepMark::Pending | StepMark::Blocked { .. }))
        .map(|(step, _)| {
            format!(
                "  next: {} {}",
                TXNS[step.txn],
                sim.scenario().sql(&step.op)
            )
        })
        .unwrap_or_default();
    Line::styled(
        fit(
            &format!("step {done} of {}{next}", sim.schedule().len()),
            width,
        ),
        theme.text(),
    )
}

fn rows_text(rows: &BTreeMap<&'static str, i64>) -> String {
    rows.iter()
        .map(|(r, v)| format!("{r}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each transaction's state, variables and view, then the committed rows.
fn views(sim: &TransactionsSim, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (t, txn) in sim.txns().iter().enumerate() {
        let (state, style) = match &txn.state {
            TxnState::Idle => ("not started".to_string(), theme.dim()),
            TxnState::Active => ("active".to_string(), theme.text()),
            TxnState::Waiting { row } => (format!("waiting for {row}"), theme.warn()),
            TxnState::Committed => ("committed".to_string(), theme.good()),
            TxnState::RolledBack => ("rolled back".to_string(), theme.dim()),
            TxnState::Aborted { .. } => ("aborted".to_string(), theme.bad()),
        };
        let vars: Vec<String> = txn
            .locals
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| format!("{}={v}", VAR_NAMES[i])))
            .collect();
        let sees = if matches!(txn.state, TxnState::Active | TxnState::Waiting { .. }) {
            format!("  sees {}", rows_text(&sim.view(t)))
        } else {
            String::new()
        };
        let text = format!("{} {state} {}{sees}", TXNS[t], vars.join(" "));
        lines.push(Line::styled(fit(&text, width), style));
    }
    lines.push(Line::styled(
        fit(
            &format!("committed: {}", rows_text(&sim.committed())),
            width,
        ),
        theme.accent(),
    ));
    lines
}
