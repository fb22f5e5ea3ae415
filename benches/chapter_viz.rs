//! The chapter simulations (cap, message-queue, rate-limiter, circuit-breaker,
//! consistent-hash, replication, rolling-deploy): one frame of each widget, which must stay
//! under 1 ms, and the cost of a simulation tick.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::{buffer::Buffer, layout::Rect};
use sysdesign::sim::{Simulation, find};
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

/// A simulation well into its run, with history, charts and a full event log to draw.
fn warmed_up(kind: &str) -> Box<dyn Simulation> {
    let mut sim = (find(kind).expect("registered").build)(42);
    let keys: Vec<char> = sim.actions().iter().map(|a| a.key).collect();
    for tick in 0..400u64 {
        if tick % 37 == 0 {
            sim.act(keys[(tick / 37) as usize % keys.len()]);
        }
        sim.step();
    }
    sim
}

fn frames(c: &mut Criterion) {
    for kind in KINDS {
        let sim = warmed_up(kind);
        for (width, height) in [(80, 24), (200, 60)] {
            let area = Rect::new(0, 0, width, height);
            let mut buf = Buffer::empty(area);
            c.bench_function(&format!("frame/{kind}/{width}x{height}"), |b| {
                b.iter(|| {
                    buf.reset();
                    sysdesign::tui::viz::draw(sim.as_ref(), area, &mut buf, &Theme::COLOR);
                    black_box(&buf);
                })
            });
        }
    }
}

fn ticks(c: &mut Criterion) {
    for kind in KINDS {
        let mut sim = warmed_up(kind);
        c.bench_function(&format!("tick/{kind}"), |b| {
            b.iter(|| {
                sim.step();
                black_box(sim.now());
            })
        });
    }
}

criterion_group!(benches, frames, ticks);
criterion_main!(benches);
