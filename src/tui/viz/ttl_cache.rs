//! The TTL-cache widget: a TTL countdown bar per key, marked when the cached copy is stale,
//! the counters, a hit-rate chart, and the Redis commands as they scroll past. Wide panes put
//! the commands in a column of their own.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
};

use super::clip::clip_all;
use super::panel::{column_chart, fit, log_lines, meter, panel, render_lines, stat};
use crate::sim::Simulation;
use crate::sim::ttl_cache::{KeyState, Policy, TtlCacheSim};
use crate::theme::Theme;

/// Panes at least this wide show the command log beside the keys instead of below them.
const SIDE_BY_SIDE: u16 = 90;

pub fn draw(sim: &TtlCacheSim, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, theme, "TTL cache in front of a database");
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
        let mut lines = keys_and_chart(sim, left.width as usize, left.height as usize, theme);
        lines.truncate(left.height as usize);
        render_lines(clip_all(lines, left.width as usize), left, buf);
        let log = commands(sim, right.height as usize, theme);
        render_lines(clip_all(log, right.width as usize), right, buf);
    } else {
        let height = inner.height as usize;
        // The log gets at least a third of a tall pane, and whatever the keys leave.
        let log_min = if height >= 12 { height / 3 } else { 0 };
        let mut lines = keys_and_chart(
            sim,
            inner.width as usize,
            height.saturating_sub(log_min),
            theme,
        );
        lines.extend(commands(sim, height.saturating_sub(lines.len()), theme));
        render_lines(clip_all(lines, inner.width as usize), inner, buf);
    }
}

fn keys_and_chart(
    sim: &TtlCacheSim,
    width: usize,
    height: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = vec![status_line(sim, theme), counters_line(sim, theme)];
    let chart_rows = match height {
        h if h >= 20 => 5,
        h if h >= 11 => 3,
        _ => 0,
    };
    let keys = sim.keys();
    let key_rows = keys
        .len()
        .min(height.saturating_sub(lines.len() + chart_rows));
    let hidden = keys.len() - key_rows;
    let shown = if hidden > 0 {
        key_rows.saturating_sub(1)
    } else {
        key_rows
    };
    let name_width = keys.iter().map(|k| k.name.len()).max().unwrap_or(0);
    for key in &keys[..shown] {
        lines.push(key_line(sim, key, name_width, width, theme));
    }
    if hidden > 0 && key_rows > 0 {
        lines.push(Line::styled(
            format!("  +{} colder keys", keys.len() - shown),
            theme.dim(),
        ));
    }
    if chart_rows > 0 {
        let rates: Vec<f64> = sim.hit_rate_history(width).map(f64::from).collect();
        let top = rates.iter().copied().fold(0.0_f64, f64::max);
        lines.push(Line::styled(
            format!("hit rate over the last 10 ticks, % (top {top:.0})"),
            theme.dim(),
        ));
        let rows = column_chart(&rates, width, chart_rows - 1);
        lines.extend(rows.into_iter().map(|r| Line::styled(r, theme.good())));
    }
    lines
}

fn status_line(sim: &TtlCacheSim, theme: &Theme) -> Line<'static> {
    let meaning = match sim.policy() {
        Policy::CacheAside => "db write leaves the cache alone",
        Policy::WriteThrough => "db write also SETs the cache",
        Policy::Invalidation => "db write DELs the key",
    };
    Line::from(vec![
        Span::styled(format!(" {} ", sim.policy().name()), theme.selected()),
        Span::raw(format!(
            " ttl {}s  cap {}/{}  ",
            sim.ttl(),
            sim.cached_keys(),
            sim.capacity()
        )),
        Span::styled(format!("t{}  {meaning}", sim.now()), theme.dim()),
    ])
}

fn counters_line(sim: &TtlCacheSim, theme: &Theme) -> Line<'static> {
    let t = sim.totals();
    let mut spans = stat(
        "hit",
        format!("{:.0}%", sim.hit_rate() * 100.0),
        theme.good(),
    );
    spans.extend(stat("hits", t.hits, theme.good()));
    spans.extend(stat("miss", t.misses, theme.warn()));
    spans.extend(stat("stale", t.stale_reads, theme.bad()));
    spans.extend(stat("exp", t.expirations, theme.accent()));
    spans.extend(stat("evict", t.evictions, theme.accent()));
    Line::from(spans)
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

/// The Redis commands, newest first, under a title row.
fn commands(sim: &TtlCacheSim, rows: usize, theme: &Theme) -> Vec<Line<'static>> {
    if rows < 2 {
        return Vec::new();
    }
    let mut lines = vec![Line::styled("redis commands, newest first", theme.dim())];
    lines.extend(log_lines(sim.log().iter(), rows - 1, theme));
    lines
}
