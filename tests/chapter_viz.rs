//! The chapter visualizations (cap, message-queue, rate-limiter, circuit-breaker,
//! consistent-hash, replication, rolling-deploy) drawn by their widgets: snapshots of each at
//! the moment it makes its chapter's point, and properties that hold at every size.

use proptest::prelude::*;
use ratatui::{Terminal, backend::TestBackend, buffer::Buffer, layout::Rect, style::Color};
use sysdesign::sim::{ParamValue, Simulation, find};
use sysdesign::theme::Theme;

const KINDS: [&str; 7] = [
    "cap",
    "message-queue",
    "rate-limiter",
    "circuit-breaker",
    "consistent-hash",
    "replication",
    "rolling-deploy",
];

/// Each kind with settings and a tick count that catch its lesson mid-act.
fn scenario(kind: &str) -> (Vec<(&'static str, &'static str)>, u64) {
    match kind {
        "cap" => (vec![("mode", "ap")], 32),
        "message-queue" => (vec![("mode", "queue"), ("queue_limit", "10")], 46),
        "rate-limiter" => (vec![], 45),
        "circuit-breaker" => (vec![], 44),
        "consistent-hash" => (vec![], 21),
        "replication" => (vec![], 30),
        "rolling-deploy" => (vec![("bad_image", "true")], 50),
        other => panic!("no scenario for {other}"),
    }
}

fn start(kind: &str, seed: u64, settings: &[(&str, &str)]) -> Box<dyn Simulation> {
    let spec = find(kind).unwrap_or_else(|| panic!("{kind} is registered"));
    let parsed: Vec<(String, ParamValue)> = settings
        .iter()
        .map(|(k, v)| {
            let param = spec.params.iter().find(|p| p.key == *k).expect("known key");
            (k.to_string(), param.parse(v).expect("valid value"))
        })
        .collect();
    spec.start(seed, &parsed).expect("settings apply")
}

fn at_scenario(kind: &str) -> Box<dyn Simulation> {
    let (settings, ticks) = scenario(kind);
    let mut sim = start(kind, 42, &settings);
    for _ in 0..ticks {
        sim.step();
    }
    sim
}

fn render(sim: &dyn Simulation, width: u16, height: u16, theme: Theme) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| sysdesign::tui::viz::draw(sim, frame.area(), frame.buffer_mut(), &theme))
        .expect("draw");
    terminal
}

fn snapshot(kind: &str, width: u16, height: u16) {
    let sim = at_scenario(kind);
    let terminal = render(sim.as_ref(), width, height, Theme::MONO);
    insta::assert_snapshot!(format!("{kind}_{width}x{height}"), terminal.backend());
}

#[test]
fn snapshots_at_the_smallest_supported_size() {
    for kind in KINDS {
        snapshot(kind, 40, 14);
    }
}

#[test]
fn snapshots_in_a_lesson_side_pane() {
    for kind in KINDS {
        snapshot(kind, 80, 20);
    }
}

#[test]
fn snapshots_with_room_to_spare() {
    for kind in KINDS {
        snapshot(kind, 90, 40);
    }
}

#[test]
fn every_kind_has_its_widget() {
    for kind in KINDS {
        let sim = at_scenario(kind);
        let terminal = render(sim.as_ref(), 80, 20, Theme::COLOR);
        let text: String = terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        assert!(!text.contains("no widget"), "{kind}");
        assert!(!text.contains("not the engine"), "{kind}");
    }
}

fn allowed_symbol(symbol: &str) -> bool {
    symbol
        .chars()
        .all(|c| c == ' ' || c.is_ascii_graphic() || ('\u{2500}'..='\u{257f}').contains(&c))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any size, any moment, any faults: the widget draws inside its area, in ASCII and box
    /// drawing only, and without colour under NO_COLOR.
    #[test]
    fn draws_anywhere_without_panicking_or_spilling(
        kind in prop::sample::select(KINDS.to_vec()),
        seed: u64,
        ticks in 0u64..160,
        actions in prop::collection::vec((0u64..160, any::<prop::sample::Index>()), 0..8),
        x in 0u16..6,
        y in 0u16..6,
        width in 0u16..130,
        height in 0u16..50,
        color: bool,
    ) {
        let mut sim = start(kind, seed, &[]);
        let keys: Vec<char> = sim.actions().iter().map(|a| a.key).collect();
        for t in 0..ticks {
            for (at, index) in &actions {
                if *at == t {
                    prop_assert!(sim.act(keys[index.index(keys.len())]));
                }
            }
            sim.step();
        }
        let outer = Rect::new(0, 0, width + 2 * x, height + 2 * y);
        let area = Rect::new(x, y, width, height);
        let mut buf = Buffer::empty(outer);
        let theme = if color { Theme::COLOR } else { Theme::MONO };
        sysdesign::tui::viz::draw(sim.as_ref(), area, &mut buf, &theme);
        for py in 0..outer.height {
            for px in 0..outer.width {
                let cell = &buf[(px, py)];
                let inside = area.contains((px, py).into());
                if !inside {
                    prop_assert_eq!(cell.symbol(), " ", "{} wrote outside its area at {},{}", kind, px, py);
                }
                prop_assert!(allowed_symbol(cell.symbol()), "{} drew {:?}", kind, cell.symbol());
                if !color {
                    prop_assert_eq!(cell.fg, Color::Reset);
                    prop_assert_eq!(cell.bg, Color::Reset);
                }
            }
        }
    }
}
