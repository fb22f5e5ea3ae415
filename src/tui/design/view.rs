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

/// The screen with its key line on the last row (the design screen on its own).
pub fn draw(screen: &DesignScreen, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if area.width < 10 || area.height < 3 {
        return;
    }
    let body = Rect {
        height: area.height - 1,
        ..area
    };
    draw_body(screen, body, buf, theme);
    let mut pen = Pen {
        buf,
        area,
        y: area.bottom() - 1,
    };
    let keys = "↑↓ select a component  +/- its capacity (re-runs the design)";
    pen.put(0, keys, theme.key());
}

/// Everything but the keys: title, metrics, the architecture, per-component bars, the SLO
/// checklist and the failure timeline. Before the first run only the design is drawn.
pub fn draw_body(screen: &DesignScreen, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if area.width < 10 || area.height < 2 {
        return;
    }
    let mut pen = Pen {
        buf,
        area,
        y: area.y,
    };
    let x = pen.put(0, &screen.title, theme.title());
    pen.put(
        x + 2,
        &format!("seed {} · {} s", screen.seed, screen.duration_s),
        theme.dim(),
    );
    pen.newline();
    match &screen.report {
        Some(r) => {
            let m = &r.metrics;
            let ms = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.1} ms"));
            let metrics = format!(
                "p50 {}  p99 {}  errors {}  availability {}  ${:.0}/month",
                ms(m.p50_ms),
                ms(m.p99_ms),
                crate::text::percent(m.error_rate),
                crate::text::percent(m.availability),
                m.cost_per_month
            );
            let x = pen.put(0, &metrics, theme.text());
            let note = " (illustrative prices)";
            if usize::from(x) + note.width() <= usize::from(area.width) {
                pen.put(x, note, theme.dim());
            }
        }
        None => {
            pen.put(0, "waiting for the first run…", theme.dim());
        }
    }
    pen.newline();
    pen.newline();
    architecture(&mut pen, screen, theme);
    pen.newline();
    components(&mut pen, screen, theme);
    pen.newline();
    checklist(&mut pen, screen, theme);
    timeline(&mut pen, screen, theme);
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
    for (i, component) in screen.design.components.iter().enumerate() {
        let style = if i == screen.selected {
            theme.selected()
        } else {
            theme.text()
        };
        let x = pen.put(0, &format!("{:<name_w$}  ", component.name), style);
        let Some(c) = screen.report.as_ref().and_then(|r| r.components.get(i)) else {
            pen.newline();
            continue;
        };
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
    let Some(report) = &screen.report else {
        return;
    };
    let m = &report.metrics;
    let (pct, measured) = (crate::text::percent_target, crate::text::percent);
    let mut items: Vec<(bool, String)> = Vec::new();
    if let Some(t) = req.p99_ms {
        let ok = m.p99_ms.is_some_and(|v| v <= t);
        let got = m.p99_ms.map_or("-".into(), |v| format!("{v:.0}"));
        items.push((ok, format!("p99 ≤ {t} ms ({got})")));
    }
    if let Some(t) = req.error_rate {
        items.push((
            m.error_rate <= t,
            format!("errors ≤ {} ({})", pct(t), measured(m.error_rate)),
        ));
    }
    if let Some(t) = req.availability {
        items.push((
            m.availability >= t,
            format!("availability ≥ {} ({})", pct(t), measured(m.availability)),
        ));
    }
    if let Some(t) = req.writes_lost {
        items.push((
            m.writes_lost <= t,
            format!("writes lost ≤ {t} ({})", m.writes_lost),
        ));
    }
    // Grading's own check on a design with a queue: work answered for must get done.
    if screen
        .design
        .components
        .iter()
        .any(|c| matches!(c.spec, crate::design::Spec::Queue(_)))
    {
        let allowed = screen.design.workload.rps.ceil() as u64;
        items.push((
            m.queued_at_end <= allowed,
            format!("queued at end ≤ {allowed} ({})", m.queued_at_end),
        ));
    }
    if let Some(t) = req.max_staleness_ms {
        items.push((
            m.max_staleness_ms <= t,
            format!(
                "staleness ≤ {} ({})",
                crate::text::duration_ms(t),
                crate::text::duration_ms(m.max_staleness_ms)
            ),
        ));
    }
    if let Some(t) = req.stale_read_rate {
        items.push((
            m.stale_read_rate <= t,
            format!("stale reads ≤ {} ({})", pct(t), measured(m.stale_read_rate)),
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
    let seconds: &[crate::sim::design::report::Second] =
        screen.report.as_ref().map_or(&[], |r| &r.seconds);
    if !seconds.is_empty() {
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
    }
    if !names.is_empty() {
        let legend: Vec<String> = names.iter().map(|(m, n)| format!("{m} {n}")).collect();
        pen.put(label_w + 2, &legend.join("  "), theme.dim());
        pen.newline();
    }
}

/// The design screen inside the app: a status line, the panel (the design, the brief or the
/// last grade; a file that does not parse replaces the design with why), and the keys.
pub fn draw_app(
    model: &crate::tui::model::Model,
    view: &super::app::DesignView,
    frame: &mut ratatui::Frame,
    area: Rect,
) {
    use super::app::Panel;
    use ratatui::layout::{Constraint, Layout};
    use ratatui::text::{Line, Span};

    let theme = &model.theme;
    let challenge = &model.challenges[view.challenge];
    let notice = model
        .kept_challenges
        .get(&challenge.id)
        .map_or_else(Vec::new, |why| {
            kept_challenge_lines(why, area.width.saturating_sub(2), theme)
        });
    // The notice never takes more than a third of the screen.
    let notice_rows = (notice.len() as u16).min(area.height / 3);
    let [header, notice_area, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(notice_rows),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);

    let spinner = crate::tui::exercise_view::SPINNER[view.spinner % 8];
    let passed = model.progress.challenge_passed(&challenge.id);
    let status = if let Some((done, of)) = view.grading {
        format!("{spinner} grading: seed {} of {of} ", (done + 1).min(of))
    } else if view.running {
        format!("{spinner} running seed {} ", view.seed)
    } else if passed {
        "✓ passed ".to_string()
    } else {
        "not passed yet ".to_string()
    };
    let status_w = status.width();
    let title = crate::text::fit(
        &format!(
            " ◆ Design challenge · {}",
            crate::markdown::sanitize(&challenge.title)
        ),
        (header.width as usize).saturating_sub(status_w + 1),
    );
    let gap = (header.width as usize).saturating_sub(title.width() + status_w);
    let status_style = if view.grading.is_some() || view.running {
        theme.accent()
    } else if passed {
        theme.good()
    } else {
        theme.dim()
    };
    frame.render_widget(
        Line::from(vec![
            Span::styled(title, theme.title()),
            Span::raw(" ".repeat(gap)),
            Span::styled(status, status_style),
        ]),
        header,
    );

    for (row, line) in notice.into_iter().take(notice_rows as usize).enumerate() {
        frame.render_widget(
            line,
            Rect {
                x: notice_area.x + 1,
                y: notice_area.y + row as u16,
                width: notice_area.width.saturating_sub(2),
                height: 1,
            },
        );
    }

    let inner = Rect {
        x: body.x + 1,
        width: body.width.saturating_sub(2),
        ..body
    };
    let has_results = view.grade.is_some() || view.grade_problem.is_some();
    let lines: Option<Vec<Line<'static>>> = match (view.panel, &view.problem) {
        (Panel::Design, Some(problem)) => Some(problem_lines(problem, inner.width, theme)),
        (Panel::Design, None) => None,
        (Panel::Brief, _) => Some(brief_lines(challenge, view, inner.width, theme)),
        (Panel::Results, _) => Some(result_lines(view, inner.width, theme)),
    };
    match lines {
        Some(lines) => {
            let scroll = view.scroll.min(lines.len().saturating_sub(1));
            for (row, line) in lines
                .into_iter()
                .skip(scroll)
                .take(inner.height as usize)
                .enumerate()
            {
                let y = inner.y + row as u16;
                frame.render_widget(
                    line,
                    Rect {
                        y,
                        height: 1,
                        ..inner
                    },
                );
            }
        }
        None => {
            // Wide enough for both: the brief stays in view beside the design.
            let (left, right) = if inner.width >= 180 {
                let brief = 70;
                (
                    Rect {
                        width: inner.width - brief - 2,
                        ..inner
                    },
                    Some(Rect {
                        x: inner.right() - brief,
                        width: brief,
                        ..inner
                    }),
                )
            } else {
                (inner, None)
            };
            match &view.screen {
                Some(screen) => draw_body(screen, left, frame.buffer_mut(), theme),
                None => {
                    frame.render_widget(Line::styled("loading your design…", theme.dim()), left)
                }
            }
            if let Some(right) = right {
                let lines = brief_lines(challenge, view, right.width, theme);
                for (row, line) in lines.into_iter().take(right.height as usize).enumerate() {
                    let y = right.y + row as u16;
                    frame.render_widget(
                        line,
                        Rect {
                            y,
                            height: 1,
                            ..right
                        },
                    );
                }
            }
        }
    }

    let next_panel = match view.panel {
        Panel::Design => "brief",
        Panel::Brief if has_results => "results",
        Panel::Brief | Panel::Results => "design",
    };
    let mut keys: Vec<(&str, &str)> = vec![("e", "edit"), ("g", "grade")];
    if view.panel == Panel::Design && view.problem.is_none() {
        keys.extend([("↑↓", "select"), ("+/-", "size")]);
    } else {
        keys.push(("↑↓", "scroll"));
    }
    keys.extend([("Tab", next_panel), ("?", "help"), ("q", "back")]);
    crate::tui::view::footer::draw(frame, foot, &keys, model.flash.as_deref(), theme);
}

/// Why the challenge's files do not load now that the screen runs their last version that
/// did: the first problem whole (wrapped), and how many more there are.
fn kept_challenge_lines(
    why: &[crate::course::Diagnostic],
    width: u16,
    theme: &Theme,
) -> Vec<ratatui::text::Line<'static>> {
    let Some(first) = why.first() else {
        return Vec::new();
    };
    let more = match why.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more problem)".to_string(),
        n => format!(" (and {n} more problems)"),
    };
    wrapped(
        &format!("{first}{more}; this screen runs the last version that loaded"),
        width,
        theme.bad(),
    )
}

/// Plain text as lines no wider than `width`, each in `style`; words longer than a line are
/// cut.
fn wrapped(text: &str, width: u16, style: Style) -> Vec<ratatui::text::Line<'static>> {
    let width = usize::from(width.max(10));
    let mut out = Vec::new();
    for paragraph in crate::markdown::sanitize(text).split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            if !line.is_empty() && line.width() + 1 + word.width() > width {
                out.push(ratatui::text::Line::styled(
                    crate::text::fit(&line, width),
                    style,
                ));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(ratatui::text::Line::styled(
            crate::text::fit(&line, width),
            style,
        ));
    }
    out
}

/// Whether `line` is part of a diagnostic's source excerpt: `N | text`, `  | ^^^` or `  |`.
fn is_source_excerpt(line: &str) -> bool {
    let rest = line
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit());
    rest == " |" || rest == "|" || rest.starts_with(" | ") || rest.starts_with("| ")
}

fn problem_lines(problem: &str, width: u16, theme: &Theme) -> Vec<ratatui::text::Line<'static>> {
    use ratatui::text::Line;
    let mut lines = vec![
        Line::styled("Your design file does not run:", theme.bad()),
        Line::default(),
    ];
    for l in crate::markdown::sanitize(problem).split('\n') {
        if is_source_excerpt(l) {
            // A caret must stay under its column: the excerpt is cut, never wrapped.
            lines.push(Line::styled(
                crate::text::fit(l, usize::from(width)),
                theme.text(),
            ));
        } else {
            // The message, its "did you mean" and its advice are read whole.
            lines.extend(wrapped(l, width, theme.text()));
        }
    }
    lines.push(Line::default());
    lines.extend(wrapped(
        "Press e to fix it in your editor; it runs again when you save.",
        width,
        theme.dim(),
    ));
    lines
}

fn brief_lines(
    challenge: &crate::design::challenge::Challenge,
    view: &super::app::DesignView,
    width: u16,
    theme: &Theme,
) -> Vec<ratatui::text::Line<'static>> {
    use ratatui::text::Line;
    let mut lines = vec![Line::styled(
        crate::markdown::sanitize(&challenge.title).into_owned(),
        theme.heading(1),
    )];
    lines.push(Line::default());
    lines.extend(crate::markdown::render(&challenge.story, width, theme).lines);
    lines.push(Line::default());
    lines.push(Line::styled(
        "Requirements, on every hidden seed:",
        theme.accent(),
    ));
    let r = &challenge.requirements;
    let pct = crate::text::percent_target;
    if let Some(t) = r.p99_ms {
        lines.push(Line::raw(format!("• p99 latency ≤ {t} ms")));
    }
    if let Some(t) = r.error_rate {
        lines.push(Line::raw(format!("• error rate ≤ {}", pct(t))));
    }
    if let Some(t) = r.availability {
        lines.push(Line::raw(format!("• availability ≥ {}", pct(t))));
    }
    if let Some(t) = r.writes_lost {
        lines.push(Line::raw(format!("• writes lost ≤ {t}")));
    }
    if let Some(t) = r.max_staleness_ms {
        lines.push(Line::raw(format!(
            "• max staleness of a cached read ≤ {}",
            crate::text::duration_ms(t)
        )));
    }
    if let Some(t) = r.stale_read_rate {
        lines.push(Line::raw(format!("• stale reads ≤ {}", pct(t))));
    }
    if let Some(t) = r.budget {
        lines.push(Line::raw(format!(
            "• monthly cost ≤ ${t:.0} (illustrative prices)"
        )));
    }
    lines.push(Line::default());
    lines.extend(wrapped(
        &format!(
            "Your design is {}. The design screen runs it on practice seed {} for {} s; g grades it on {} hidden seeds.",
            super::app::shown_path(&challenge.id),
            view.seed,
            challenge.duration_s,
            challenge.seeds.len()
        ),
        width,
        theme.dim(),
    ));
    lines
}

fn result_lines(
    view: &super::app::DesignView,
    width: u16,
    theme: &Theme,
) -> Vec<ratatui::text::Line<'static>> {
    use ratatui::text::{Line, Span};
    let mut lines = Vec::new();
    if let Some(problem) = &view.grade_problem {
        lines.push(Line::styled("Grading stopped:", theme.bad()));
        lines.extend(wrapped(problem, width, theme.text()));
        return lines;
    }
    let Some(g) = &view.grade else {
        lines.push(Line::styled("Not graded yet: press g.", theme.dim()));
        return lines;
    };
    let passing = g.seeds.iter().filter(|s| s.passed).count();
    let (verdict, style) = if g.passed {
        ("PASS", theme.good())
    } else {
        ("FAIL", theme.bad())
    };
    lines.push(Line::from(vec![
        Span::styled(verdict, style),
        Span::styled(
            format!(
                " · {passing} of {} hidden seeds pass · ${:.0}/month",
                g.seeds.len(),
                g.cost_per_month
            ),
            theme.text(),
        ),
    ]));
    if view.graded_generation != view.generation {
        lines.push(Line::styled(
            "(for an earlier version of your file; g grades this one)",
            theme.dim(),
        ));
    }
    lines.push(Line::default());
    // One row per requirement, one column per seed. Where the measured values do not fit,
    // each seed shows only ✓/✗ and the row shows the value of its first failing seed.
    let names: Vec<(&str, &str)> = g
        .seeds
        .first()
        .map(|s| {
            s.checks
                .iter()
                .map(|k| (k.name, k.target.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let name_w = names
        .iter()
        .map(|(n, _)| n.width())
        .max()
        .unwrap_or(11)
        .max(11);
    let target_w = names
        .iter()
        .map(|(_, t)| t.width())
        .max()
        .unwrap_or(6)
        .max(6);
    let cell = |k: &crate::design::challenge::Check| {
        format!("{} {}", k.measured, if k.passed { "✓" } else { "✗" })
    };
    let value_w = g
        .seeds
        .iter()
        .flat_map(|s| s.checks.iter().map(|k| cell(k).width()))
        .chain(g.seeds.iter().map(|s| format!("seed {}", s.seed).width()))
        .max()
        .unwrap_or(8);
    let full = name_w + 2 + target_w + g.seeds.len() * (value_w + 1) <= usize::from(width);
    let mut head = format!("{:<name_w$}  {:<target_w$}", "requirement", "target");
    if full {
        for s in &g.seeds {
            head.push_str(&format!(" {:>value_w$}", format!("seed {}", s.seed)));
        }
    } else {
        head.push_str(&format!("  {:<16} ", "measured (1st ✗)"));
        for s in &g.seeds {
            head.push_str(&format!(" {}", s.seed));
        }
    }
    lines.push(Line::styled(
        crate::text::fit(&head, usize::from(width)),
        theme.dim(),
    ));
    for (i, (name, target)) in names.iter().enumerate() {
        let mut spans = vec![Span::styled(
            format!("{name:<name_w$}  {target:<target_w$}"),
            theme.text(),
        )];
        let checks: Vec<_> = g.seeds.iter().filter_map(|s| s.checks.get(i)).collect();
        if full {
            for k in &checks {
                spans.push(Span::styled(
                    format!(" {:>value_w$}", cell(k)),
                    if k.passed { theme.good() } else { theme.bad() },
                ));
            }
        } else {
            let shown = checks.iter().find(|k| !k.passed).or(checks.first());
            let measured = shown.map_or(String::new(), |k| k.measured.clone());
            spans.push(Span::styled(
                format!("  {:<16} ", crate::text::fit(&measured, 16)),
                theme.text(),
            ));
            // Each mark under its seed's number.
            for (s, k) in g.seeds.iter().zip(&checks) {
                let w = s.seed.to_string().width();
                spans.push(Span::styled(
                    format!(" {:>w$}", if k.passed { "✓" } else { "✗" }),
                    if k.passed { theme.good() } else { theme.bad() },
                ));
            }
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::default());
    if let Some(b) = &g.bottleneck {
        lines.push(Line::raw(format!(
            "bottleneck: {} at {:.0}% utilization",
            b.component,
            b.utilization * 100.0
        )));
    }
    if g.errors.is_empty() {
        lines.push(Line::raw("errors: none"));
    } else {
        lines.push(Line::styled(
            "where calls failed (retries may have hidden some from clients):",
            theme.dim(),
        ));
        for e in g.errors.iter().take(5) {
            lines.push(Line::raw(crate::text::fit(
                &format!("  {:<16} {:<20} {}", e.component, e.reason, e.count),
                usize::from(width),
            )));
        }
    }
    if let Some(h) = &g.hint {
        lines.push(Line::default());
        lines.extend(wrapped(&format!("hint: {h}"), width, theme.warn()));
    }
    if let Some(e) = &g.explanation {
        lines.push(Line::default());
        lines.push(Line::styled("Why this works", theme.accent()));
        lines.extend(crate::markdown::render(e, width, theme).lines);
    }
    lines
}
