//! Drawing the design screen. Everything is clipped to the area it is given, so any terminal
//! size draws without panicking; at 80×24 instances collapse to `×N`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use unicode_width::UnicodeWidthStr;

use super::DesignScreen;
use crate::design::model::{Design, FailureKind, Spec};
use crate::theme::Theme;

/// A cursor that writes lines into `area` and never outside it.
struct Pen<'a> {
    buf: &'a mut Buffer,
    area: Rect,
    y: u16,
}

impl Pen<'_> {
    fn room(&self) -> bool {
        self.y < self.area.bottom()
    }

    /// Write `text` at column `x` (relative) of the current line; returns the column after it.
    fn put(&mut self, x: u16, text: &str, style: Style) -> u16 {
        if !self.room() || x >= self.area.width {
            return x;
        }
        let max = (self.area.width - x) as usize;
        let (end, _) = self
            .buf
            .set_stringn(self.area.x + x, self.y, text, max, style);
        end - self.area.x
    }

    fn newline(&mut self) {
        self.y = self.y.saturating_add(1);
    }
}

/// A short label for a component: collapsed instances as `×N`, a database as primaries and
/// replicas.
pub fn label(design: &Design, i: usize) -> String {
    let c = &design.components[i];
    match &c.spec {
        Spec::Service(s) if s.instances > 1 => format!("{} ×{}", c.name, s.instances),
        Spec::Database(d) => {
            let mut l = c.name.clone();
            if d.shards > 1 {
                l.push_str(&format!(" {}sh", d.shards));
            }
            if d.replicas > 0 {
                l.push_str(&format!(" 1+{}", d.replicas));
            }
            l
        }
        Spec::Queue(q) => format!("{} ⇉{}", c.name, q.consumers),
        _ => c.name.clone(),
    }
}

pub fn draw(screen: &DesignScreen, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if area.width < 10 || area.height < 3 {
        return;
    }
    let mut pen = Pen {
        buf,
        area,
        y: area.y,
    };
    let r = &screen.report;
    let m = &r.metrics;
    let x = pen.put(0, &screen.title, theme.title());
    pen.put(
        x + 2,
        &format!("seed {} · {} s", screen.seed, screen.duration_s),
        theme.dim(),
    );
    pen.newline();
    let ms = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.1} ms"));
    let metrics = format!(
        "p50 {}  p99 {}  errors {:.2}%  availability {:.2}%  ${:.0}/month",
        ms(m.p50_ms),
        ms(m.p99_ms),
        m.error_rate * 100.0,
        m.availability * 100.0,
        m.cost_per_month
    );
    let x = pen.put(0, &metrics, theme.text());
    let note = " (illustrative prices)";
    if usize::from(x) + note.width() <= usize::from(area.width) {
        pen.put(x, note, theme.dim());
    }
    pen.newline();
    pen.newline();
    architecture(&mut pen, screen, theme);
    pen.newline();
    components(&mut pen, screen, theme);
    pen.newline();
    checklist(&mut pen, screen, theme);
    timeline(&mut pen, screen, theme);
    // The key line sits on the last row.
    pen.y = area.bottom().saturating_sub(1);
    let keys = "↑↓ select a component  +/- its capacity (re-runs the design)";
    pen.put(0, keys, theme.key());
}

/// The call graph from the entry, depth first: the first callee continues the line, the
/// others start new lines under it; a component already drawn is shown as `name ↑`.
fn architecture(pen: &mut Pen, screen: &DesignScreen, theme: &Theme) {
    let d = &screen.design;
    let mut drawn = vec![false; d.components.len()];
    fn walk(
        pen: &mut Pen,
        screen: &DesignScreen,
        theme: &Theme,
        i: usize,
        x: u16,
        drawn: &mut Vec<bool>,
    ) {
        let d = &screen.design;
        let style = if i == screen.selected {
            theme.selected()
        } else {
            theme.accent()
        };
        if drawn[i] {
            pen.put(x, &format!("[{} ↑]", d.components[i].name), theme.dim());
            return;
        }
        drawn[i] = true;
        let text = format!("[{}]", label(d, i));
        let end = pen.put(x, &text, style);
        for (k, &callee) in d.components[i].calls.iter().enumerate() {
            if k == 0 {
                let after = pen.put(end, " ─▶ ", theme.border());
                walk(pen, screen, theme, callee, after, drawn);
            } else {
                pen.newline();
                let after = pen.put(end, " └▶ ", theme.border());
                walk(pen, screen, theme, callee, after, drawn);
            }
        }
    }
    walk(pen, screen, theme, d.workload.target, 0, &mut drawn);
    pen.newline();
}

fn bar(fraction: f64, width: usize) -> String {
    let full = ((fraction.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    format!("{}{}", "█".repeat(full), "░".repeat(width - full))
}

fn components(pen: &mut Pen, screen: &DesignScreen, theme: &Theme) {
    let name_w = screen
        .design
        .components
        .iter()
        .map(|c| c.name.width())
        .max()
        .unwrap_or(4)
        .max(9);
    let bar_w = if pen.area.width >= 120 { 30 } else { 10 };
    let header = format!(
        "{:<name_w$}  {:<w$}  {:>7}  {:>8}  {:>8}  {:>5}",
        "component",
        "utilization",
        "in sys",
        "wait ms",
        "errors",
        "hits",
        w = bar_w + 5
    );
    pen.put(0, &header, theme.dim());
    pen.newline();
    for (i, c) in screen.report.components.iter().enumerate() {
        let style = if i == screen.selected {
            theme.selected()
        } else {
            theme.text()
        };
        let x = pen.put(0, &format!("{:<name_w$}  ", c.name), style);
        let x = match c.utilization {
            Some(u) => {
                let level = if u < 0.7 {
                    theme.good()
                } else if u < 0.9 {
                    theme.warn()
                } else {
                    theme.bad()
                };
                let x = pen.put(x, &bar(u, bar_w), level);
                pen.put(x, &format!("{:>4.0}%", u * 100.0), style)
            }
            None => pen.put(x, &format!("{:<w$}", "-", w = bar_w + 5), theme.dim()),
        };
        let rest = format!(
            "  {:>7.2}  {:>8}  {:>8}  {:>5}",
            c.mean_in_system,
            c.mean_wait_ms.map_or("-".into(), |w| format!("{w:.1}")),
            c.errors,
            c.hit_ratio
                .map_or("-".into(), |h| format!("{:.0}%", h * 100.0)),
        );
        let err_style = if c.errors > 0 { theme.bad() } else { style };
        pen.put(x, &rest, err_style);
        pen.newline();
    }
}

fn checklist(pen: &mut Pen, screen: &DesignScreen, theme: &Theme) {
    let req = &screen.requirements;
    let m = &screen.report.metrics;
    let pct = |x: f64| format!("{}%", (x * 100_000.0).round() / 1000.0);
    let mut items: Vec<(bool, String)> = Vec::new();
    if let Some(t) = req.p99_ms {
        let ok = m.p99_ms.is_some_and(|v| v <= t);
        let got = m.p99_ms.map_or("-".into(), |v| format!("{v:.0}"));
        items.push((ok, format!("p99 ≤ {t} ms ({got})")));
    }
    if let Some(t) = req.error_rate {
        items.push((
            m.error_rate <= t,
            format!("errors ≤ {} ({})", pct(t), pct(m.error_rate)),
        ));
    }
    if let Some(t) = req.availability {
        items.push((
            m.availability >= t,
            format!("availability ≥ {} ({})", pct(t), pct(m.availability)),
        ));
    }
    if let Some(t) = req.writes_lost {
        items.push((
            m.writes_lost <= t,
            format!("writes lost ≤ {t} ({})", m.writes_lost),
        ));
    }
    if let Some(t) = req.budget {
        items.push((
            m.cost_per_month <= t,
            format!("cost ≤ ${t:.0} (${:.0})", m.cost_per_month),
        ));
    }
    if items.is_empty() {
        return;
    }
    let mut x = pen.put(0, "SLO ", theme.dim());
    for (ok, text) in items {
        let mark = if ok { "✓ " } else { "✗ " };
        let w = (mark.width() + text.width() + 2) as u16;
        if x + w > pen.area.width && x > 4 {
            pen.newline();
            x = 4;
        }
        x = pen.put(x, mark, if ok { theme.good() } else { theme.bad() });
        x = pen.put(x, &text, theme.text());
        x += 2;
    }
    pen.newline();
}

/// The run on one line: failure markers where they start (`═` while they last), and under it
/// the share of failed requests per slice of time.
fn timeline(pen: &mut Pen, screen: &DesignScreen, theme: &Theme) {
    let label_w = 9u16;
    let end_label = format!(" {} s", screen.duration_s);
    let width = pen
        .area
        .width
        .saturating_sub(label_w + end_label.width() as u16 + 2) as usize;
    if width < 10 {
        return;
    }
    let duration = screen.duration_s;
    let col = |t: f64| ((t / duration * width as f64) as usize).min(width - 1);
    let mut line: Vec<char> = vec!['─'; width];
    let mut names = Vec::new();
    for f in &screen.design.failures {
        let (mark, name) = match &f.kind {
            FailureKind::KillInstance { .. } => ('K', "kill"),
            FailureKind::ZoneOutage { .. } => ('Z', "zone outage"),
            FailureKind::PrimaryFailover { .. } => ('F', "failover"),
            FailureKind::ColdCache { .. } => ('C', "cold cache"),
            FailureKind::Slow { .. } => ('S', "slow"),
            FailureKind::Surge { .. } => ('↑', "surge"),
        };
        let start = col(f.at_s);
        let stop = f.duration_s.map_or(width - 1, |d| col(f.at_s + d));
        for c in line.iter_mut().take(stop + 1).skip(start + 1) {
            if *c == '─' {
                *c = '═';
            }
        }
        line[start] = mark;
        if !names.iter().any(|(m, _)| *m == mark) {
            names.push((mark, name));
        }
    }
    for s in &screen.design.workload.surges {
        line[col(s.at_s)] = '↑';
    }
    let x = pen.put(
        0,
        &format!("{:<w$}", "failures", w = label_w as usize),
        theme.dim(),
    );
    let x = pen.put(x, "0 ", theme.dim());
    let text: String = line.iter().collect();
    let x = pen.put(x, &text, theme.warn());
    pen.put(x, &end_label, theme.dim());
    pen.newline();
    // Errors per slice: the worst second in each column.
    let seconds = &screen.report.seconds;
    let levels = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let strip: String = (0..width)
        .map(|c| {
            let from = c * seconds.len() / width;
            let to = ((c + 1) * seconds.len() / width)
                .max(from + 1)
                .min(seconds.len());
            let worst = seconds[from.min(seconds.len().saturating_sub(1))..to]
                .iter()
                .map(|s| {
                    if s.requests == 0 {
                        0.0
                    } else {
                        s.errors as f64 / s.requests as f64
                    }
                })
                .fold(0.0, f64::max);
            if worst == 0.0 {
                '·'
            } else {
                levels[((worst * 8.0).ceil() as usize).clamp(1, 8)]
            }
        })
        .collect();
    let x = pen.put(
        0,
        &format!("{:<w$}", "errors", w = label_w as usize),
        theme.dim(),
    );
    let x = pen.put(x, "  ", theme.dim());
    pen.put(x, &strip, theme.bad().add_modifier(Modifier::empty()));
    pen.newline();
    if !names.is_empty() {
        let legend: Vec<String> = names.iter().map(|(m, n)| format!("{m} {n}")).collect();
        pen.put(label_w + 2, &legend.join("  "), theme.dim());
        pen.newline();
    }
}
