//! The TTL-cache widget: a TTL countdown bar per key, marked when the cached copy is stale,
//! the counters, a hit-rate chart, and the Redis commands as they scroll past. Wide panes put
//! the commands in a column of their own.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
};

use super::clip::clip_all;
use super::panel::{column_chart, counters, fit, log_rows, meter, panel, render_lines};
use super::stack::Stack;
use crate::sim::Simulation;
use crate::sim::ttl_cache::{KeyState, Policy, TtlCacheSim};
use crate::theme::Theme;

/// Panes at least this wide show the command log beside the keys instead of below them.
const SIDE_BY_SIDE: u16 = 90;

pub fn draw(sim: &TtlCacheSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "TTL cache in front of a database");
    let height = inner.height as usize;
    if inner.width >= SIDE_BY_SIDE {
        let left_width = inner.width * 11 / 20;
        let left = Rect {
            width: left_width,
            ..inner
        };
        let right = Rect {
            x: inner.x + left_width + 1,
            width: inner.width - left_width - 1,
            ..inner
        };
        let mut stack = Stack::new();
        keys_and_chart(&mut stack, sim, left.width as usize, height, theme);
        render_lines(stack.lines(left.width as usize, height), left, buf);
        let log = commands(sim, height, right.width as usize, theme);
        render_lines(clip_all(log, right.width as usize), right, buf);
    } else {
        let width = inner.width as usize;
        let mut stack = Stack::new();
        keys_and_chart(&mut stack, sim, width, height, theme);
        // The commands get a row once the counters and two keys are in, and at least a third
        // of a tall pane before more keys and the chart.
        stack.fill(
            &[(3, 1), (4, (height / 3).max(2)), (8, usize::MAX)],
            |rows| commands(sim, rows, width, theme),
        );
        render_lines(stack.lines(width, height), inner, buf);
    }
}

/// The status and the counters (the point), then the keys with their TTLs, then the chart.
fn keys_and_chart(
    stack: &mut Stack<'_>,
    sim: &TtlCacheSim,
    width: usize,
    height: usize,
    theme: &Theme,
) {
    stack.line(0, status_line(sim, width, theme));
    stack.part(1, counters_line(sim, width, theme));
    let keys = sim.keys();
    let name_width = keys.iter().map(|k| k.name.len()).max().unwrap_or(0);
    // `rows` rows of keys: the hottest ones, and how many more when three rows or more.
    let key_rows = |rows: usize| -> Vec<Line<'static>> {
        let rows = rows.min(keys.len());
        let hidden = keys.len() - rows;
        let shown = if hidden > 0 && rows >= 3 {
            rows - 1
        } else {
            rows
        };
        let mut lines: Vec<Line<'static>> = keys[..shown]
            .iter()
            .map(|key| key_line(sim, key, name_width, width, theme))
            .collect();
        if shown < rows {
            lines.push(Line::styled(
                format!("  +{} colder keys", keys.len() - shown),
                theme.dim(),
            ));
        }
        lines
    };
    stack.forms(vec![
        (2, key_rows(2)),
        (5, key_rows(4)),
        (6, key_rows(6)),
        (7, key_rows(keys.len())),
    ]);
    let chart = |rows: usize| -> Vec<Line<'static>> {
        let rates: Vec<f64> = sim.hit_rate_history(width).map(f64::from).collect();
        let top = rates.iter().copied().fold(0.0_f64, f64::max);
        let mut lines = vec![Line::styled(
            format!("hit rate over the last 10 ticks, % (top {top:.0})"),
            theme.dim(),
        )];
        let rows = column_chart(&rates, width, rows);
        lines.extend(rows.into_iter().map(|r| Line::styled(r, theme.good())));
        lines
    };
    match height {
        h if h >= 20 => stack.forms(vec![(6, chart(2)), (7, chart(4))]),
        h if h >= 11 => stack.forms(vec![(6, chart(2))]),
        _ => stack,
    };
}

fn status_line(sim: &TtlCacheSim, width: usize, theme: &Theme) -> Line<'static> {
    let (meaning, short) = match sim.policy() {
        Policy::TtlOnly => ("db write leaves the cache alone", "write leaves cache"),
        Policy::WriteThrough => ("db write also SETs the cache", "write SETs cache"),
        Policy::Invalidation => ("db write DELs the key", "write DELs key"),
    };
    let mut spans = vec![
        Span::styled(format!(" {} ", sim.policy().name()), theme.selected()),
        Span::raw(format!(
            " ttl {}s  cap {}/{}",
            sim.ttl(),
            sim.cached_keys(),
            sim.capacity()
        )),
    ];
    // What a write does, in as many words as fit, then the clock if it still fits.
    let used: usize = spans.iter().map(|s| s.width()).sum();
    if let Some(text) = [meaning, short]
        .into_iter()
        .find(|t| used + 2 + t.len() <= width)
    {
        spans.push(Span::styled(format!("  {text}"), theme.dim()));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let clock = format!("  t{}", sim.now());
    if used + clock.len() <= width {
        spans.push(Span::styled(clock, theme.dim()));
    }
    Line::from(spans)
}

fn counters_line(sim: &TtlCacheSim, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let t = sim.totals();
    counters(
        &[
            (
                "hit rate",
                "hit",
                format!("{:.0}%", sim.hit_rate() * 100.0),
                theme.good(),
            ),
            ("hits", "hits", t.hits.to_string(), theme.good()),
            ("misses", "miss", t.misses.to_string(), theme.warn()),
            ("stale", "stale", t.stale_reads.to_string(), theme.bad()),
            ("expired", "exp", t.expirations.to_string(), theme.accent()),
            ("evicted", "evict", t.evictions.to_string(), theme.accent()),
        ],
        width,
    )
}

/// `user:1  v4 [#########.....] 14s`, or `STALE (db v5)` after the bar.
fn key_line(
    sim: &TtlCacheSim,
    key: &KeyState,
    name_width: usize,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let name = Span::raw(fit(&key.name, name_width + 1));
    let Some(version) = key.cached else {
        return Line::from(vec![
            name,
            Span::styled(
                format!("--  not cached (db v{})", key.db_version),
                theme.dim(),
            ),
        ]);
    };
    let ttl = sim.ttl();
    let left = key.ttl_left.max(0) as u64;
    let note = if key.stale() {
        format!(" STALE, db v{}", key.db_version)
    } else {
        String::new()
    };
    let seconds = match key.ttl_left {
        -1 => " no TTL".to_string(),
        _ => format!(" {left:>3}s"),
    };
    let fixed = name_width + 1 + 4 + 2 + seconds.len() + note.len();
    let bar_width = width.saturating_sub(fixed).clamp(3, 30);
    let bar_style = if key.stale() {
        theme.bad()
    } else if left * 4 <= ttl {
        theme.warn()
    } else {
        theme.good()
    };
    Line::from(vec![
        name,
        Span::styled(fit(&format!("v{version}"), 4), theme.accent()),
        Span::styled(
            format!("[{}]", meter(left as f64, ttl as f64, bar_width)),
            bar_style,
        ),
        Span::raw(seconds),
        Span::styled(note, theme.bad()),
    ])
}

/// The Redis commands, newest first, under a title row when there are two rows or more.
fn commands(sim: &TtlCacheSim, rows: usize, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    if rows < 2 {
        return log_rows(sim.log().iter(), rows, width, theme);
    }
    let mut lines = vec![Line::styled("redis commands, newest first", theme.dim())];
    lines.extend(log_rows(sim.log().iter(), rows - 1, width, theme));
    lines
}
