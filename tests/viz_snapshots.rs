//! Every registered visualization, drawn after 50 ticks at the size of the pane beside a
//! lesson (60x18) and at a roomy size (100x30), plus a sweep of sizes that must never panic
//! or draw outside the area it was given.

use ratatui::{Terminal, backend::TestBackend, buffer::Buffer, layout::Rect, style::Style};
use sysdesign::sim::{Simulation, kinds};
use sysdesign::theme::Theme;
use sysdesign::tui::viz;

const SEED: u64 = 42;

fn sim_after(kind: &str, ticks: u64) -> Box<dyn Simulation> {
    let spec = sysdesign::sim::find(kind).expect("registered");
    let mut sim = spec.start(SEED, &[]).expect("defaults are valid");
    for _ in 0..ticks {
        sim.step();
    }
    sim
}

fn snapshot(kind: &str, width: u16, height: u16) {
    let sim = sim_after(kind, 50);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            viz::draw(
                sim.as_ref(),
                frame.area(),
                frame.buffer_mut(),
                &Theme::COLOR,
            )
        })
        .unwrap();
    insta::assert_snapshot!(format!("{kind}_{width}x{height}"), terminal.backend());
}

#[test]
fn every_kind_at_60x18() {
    for kind in kinds() {
        snapshot(kind.name, 60, 18);
    }
}

#[test]
fn every_kind_at_100x30() {
    for kind in kinds() {
        snapshot(kind.name, 100, 30);
    }
}

/// A widget knows the registered kind it draws: the fallback message never shows.
#[test]
fn every_kind_has_a_widget() {
    for kind in kinds() {
        let sim = sim_after(kind.name, 1);
        let area = Rect::new(0, 0, 80, 20);
        let mut buf = Buffer::empty(area);
        viz::draw(sim.as_ref(), area, &mut buf, &Theme::MONO);
        let text: String = buf.content().iter().map(|c| c.symbol()).collect();
        assert!(!text.contains("no widget"), "{}", kind.name);
    }
}

const WIDTHS: &[u16] = &[
    0, 1, 2, 3, 5, 8, 12, 13, 20, 30, 40, 50, 59, 60, 72, 80, 90, 100, 120,
];
const HEIGHTS: &[u16] = &[0, 1, 2, 3, 4, 5, 6, 8, 10, 11, 14, 18, 20, 24, 30, 40, 50];

/// Every size from 0x0 to 120x50, at three moments of each run, in colour and without. The
/// area sits inside a larger buffer filled with a sentinel, which must survive untouched.
#[test]
fn every_kind_draws_at_every_size_inside_its_area() {
    const SENTINEL: &str = "~";
    for kind in kinds() {
        for ticks in [0, 7, 120] {
            let sim = sim_after(kind.name, ticks);
            for &w in WIDTHS {
                for &h in HEIGHTS {
                    for theme in [Theme::COLOR, Theme::MONO] {
                        let outer = Rect::new(0, 0, w + 4, h + 4);
                        let mut buf = Buffer::empty(outer);
                        buf.set_style(outer, Style::default());
                        for cell in buf.content.iter_mut() {
                            cell.set_symbol(SENTINEL);
                        }
                        let area = Rect::new(2, 2, w, h);
                        viz::draw(sim.as_ref(), area, &mut buf, &theme);
                        for y in 0..outer.height {
                            for x in 0..outer.width {
                                if !area.contains((x, y).into()) {
                                    assert_eq!(
                                        buf[(x, y)].symbol(),
                                        SENTINEL,
                                        "{} drew outside {w}x{h} at ({x},{y}) after {ticks} ticks",
                                        kind.name
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The pane under the lesson text at 80x24 leaves a widget about 78 columns and 6 to 9 rows.
#[test]
fn every_kind_at_80x8() {
    for kind in kinds() {
        snapshot(kind.name, 80, 8);
    }
}

/// What each kind must show however short its pane: the words of its headline.
fn headline(kind: &str) -> &'static [&'static str] {
    match kind {
        "cap" => &["CP", "link", "answered", "errors", "stale", "diverged"],
        "message-queue" => &["SYNC", "downstream", "2xx", "502", "503", "504"],
        "rate-limiter" => &["tokens [", "allowed", "429"],
        "ttl-cache" => &["hit rate", "misses", "expired", "evicted"],
        "saga" => &["saga #", "completed", "compensated", "stuck"],
        "circuit-breaker" => &["OPEN", "failed fast", "trips"],
        "load-balancer" => &["p99", "served", "503", "client moves", "s2"],
        "consistent-hash" => &["keys moved", "join now"],
        "replication" => &["lag", "writes", "failed", "stale reads", "lost"],
        "rolling-deploy" => &["revision", "allowed", "available", "updated"],
        "transactions" => &["READ COMMITTED", "ANOMALY", "both sell one widget"],
        other => panic!("no headline for {other}"),
    }
}

/// In a pane 6 to 9 rows tall, the headline comes first: the metrics are never the part
/// that is dropped.
#[test]
fn the_headline_shows_in_a_short_pane() {
    for kind in kinds() {
        let sim = sim_after(kind.name, 50);
        for width in [78, 80] {
            for height in 6..=9 {
                let area = Rect::new(0, 0, width, height);
                let mut buf = Buffer::empty(area);
                viz::draw(sim.as_ref(), area, &mut buf, &Theme::MONO);
                let text: String = (0..height)
                    .map(|y| {
                        let row: String = (0..width).map(|x| buf[(x, y)].symbol()).collect();
                        row + "\n"
                    })
                    .collect();
                for word in headline(kind.name) {
                    assert!(
                        text.contains(word),
                        "{} at {width}x{height} lacks {word:?}:\n{text}",
                        kind.name
                    );
                }
            }
        }
    }
}
