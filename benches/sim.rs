//! Speed targets for the simulations: the load balancer simulates at least 1,000,000
//! requests per second, and one frame of any visualization draws in under 1 ms.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ratatui::{buffer::Buffer, layout::Rect};
use sysdesign::sim::load_balancer::LoadBalancerSim;
use sysdesign::sim::{ParamValue, Simulation, kinds};
use sysdesign::theme::Theme;
use sysdesign::tui::viz;

/// Settings applied in order, as `--set KEY=VALUE` would.
type Settings = Vec<(&'static str, ParamValue)>;

fn configured(settings: &[(&str, ParamValue)]) -> LoadBalancerSim {
    let mut sim = LoadBalancerSim::new(42);
    for (key, value) in settings {
        sim.set(key, value).expect("valid setting");
    }
    sim
}

fn requests_in(settings: &[(&str, ParamValue)], ticks: u64) -> u64 {
    let mut sim = configured(settings);
    for _ in 0..ticks {
        sim.step();
    }
    sim.totals().sent
}

fn load_balancer_requests(c: &mut Criterion) {
    let scenarios: [(&str, Settings, u64); 3] = [
        ("defaults", vec![], 2_000),
        (
            "least-connections, 12 servers, 5000 rps",
            vec![
                ("servers", ParamValue::Int(12)),
                ("rate", ParamValue::Int(5000)),
                ("strategy", ParamValue::Choice("least-connections".into())),
            ],
            200,
        ),
        (
            "round-robin overload, 4 servers, 1000 rps",
            vec![("rate", ParamValue::Int(1000))],
            500,
        ),
    ];
    let mut group = c.benchmark_group("load_balancer_requests");
    for (name, settings, ticks) in scenarios {
        // Runs are deterministic, so one counting run gives the requests of every run.
        group.throughput(Throughput::Elements(requests_in(&settings, ticks)));
        group.bench_function(name, |b| {
            b.iter_batched(
                || configured(&settings),
                |mut sim| {
                    for _ in 0..ticks {
                        sim.step();
                    }
                    black_box(sim.totals().served)
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn visualization_frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("viz_frame");
    for kind in kinds() {
        let mut sim = kind.start(42, &[]).expect("defaults are valid");
        for _ in 0..100 {
            sim.step();
        }
        for (width, height) in [(60, 18), (100, 30)] {
            let area = Rect::new(0, 0, width, height);
            let mut buf = Buffer::empty(area);
            group.bench_function(format!("{}/{width}x{height}", kind.name), |b| {
                b.iter(|| {
                    buf.reset();
                    viz::draw(sim.as_ref(), area, &mut buf, &Theme::COLOR);
                    black_box(&buf);
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, load_balancer_requests, visualization_frames);
criterion_main!(benches);
