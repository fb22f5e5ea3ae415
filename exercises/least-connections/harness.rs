//! Checks for the least-connections exercise. Task 1 is the plain strategy, task 2 the
//! weighted one.

use sysdesign_checks::{Check, Ctx, Live, expect, expect_eq};
use sysdesign_support::contract::{Backend, Balancer};

use crate::LeastConnections;

pub fn checks() -> Vec<Check> {
    vec![
        Check::new("picks the backend with the fewest active requests", fewest).task(1),
        Check::new("never picks a backend that is down", skips_down).task(1),
        Check::new("breaks ties in turn", ties_in_turn).task(1),
        Check::new("rotates among the tied backends only", ties_among_tied).task(1),
        Check::new(
            "keeps its place when the list shrinks or changes",
            list_changes,
        )
        .task(1),
        Check::new("compares large loads exactly", plain_exact).task(1),
        Check::seeded(
            "follows the load as requests start and finish",
            follows_load,
        )
        .task(1),
        Check::new("weighted: compares active / weight", weighted_ratio).task(2),
        Check::new(
            "weighted: breaks ties of active / weight in turn",
            weighted_ties,
        )
        .task(2),
        Check::new(
            "weighted: compares exactly, without rounding",
            weighted_exact,
        )
        .task(2),
        Check::new("weighted: huge loads do not overflow", weighted_huge).task(2),
        Check::seeded(
            "weighted: follows the load as requests start and finish",
            weighted_load,
        )
        .task(2),
    ]
}

pub fn live() -> Live {
    Live::Balancer(|| Box::new(LeastConnections::new()))
}

/// (name, healthy, weight, active)
fn cluster(spec: &[(&str, bool, u32, u32)]) -> Vec<Backend> {
    spec.iter()
        .map(|&(name, healthy, weight, active)| Backend {
            name: name.to_string(),
            healthy,
            weight,
            active,
        })
        .collect()
}

fn describe(backends: &[Backend], weighted: bool) -> String {
    let parts: Vec<String> = backends
        .iter()
        .map(|b| {
            let load = if weighted {
                format!("{} active/w{}", b.active, b.weight)
            } else {
                format!("{} active", b.active)
            };
            let down = if b.healthy { "" } else { ", down" };
            format!("{}({load}{down})", b.name)
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

fn named(backends: &[Backend], picks: &[Option<usize>]) -> String {
    picks
        .iter()
        .map(|p| match p {
            Some(i) => backends.get(*i).map_or(format!("#{i}"), |b| b.name.clone()),
            None => "None".to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Picks `expected.len()` times from an unchanging cluster.
fn expect_picks(
    balancer: &mut LeastConnections,
    backends: &[Backend],
    weighted: bool,
    expected: &[Option<usize>],
) -> Result<(), String> {
    let got: Vec<Option<usize>> = (0..expected.len())
        .map(|i| balancer.pick(i as u32, backends))
        .collect();
    expect(got == expected, || {
        format!(
            "after {} requests to {} (loads unchanged) expected {}; got {}",
            expected.len(),
            describe(backends, weighted),
            named(backends, expected),
            named(backends, &got)
        )
    })
}

fn fewest(_: &mut Ctx) -> Result<(), String> {
    let backends = cluster(&[("A", true, 1, 3), ("B", true, 1, 1), ("C", true, 1, 2)]);
    expect_picks(&mut LeastConnections::new(), &backends, false, &[Some(1)])
}

fn skips_down(_: &mut Ctx) -> Result<(), String> {
    let backends = cluster(&[("A", false, 1, 0), ("B", true, 1, 5), ("C", true, 1, 2)]);
    expect_picks(&mut LeastConnections::new(), &backends, false, &[Some(2)])?;
    let all_down = cluster(&[("A", false, 1, 0), ("B", false, 1, 0)]);
    expect_picks(
        &mut LeastConnections::new(),
        &all_down,
        false,
        &[None, None],
    )?;
    expect_eq(
        "a pick from an empty list",
        None,
        LeastConnections::new().pick(0, &[]),
    )
}

fn ties_in_turn(_: &mut Ctx) -> Result<(), String> {
    let idle = cluster(&[("A", true, 1, 0), ("B", true, 1, 0), ("C", true, 1, 0)]);
    let picks = [0, 1, 2, 0, 1, 2].map(Some);
    expect_picks(&mut LeastConnections::new(), &idle, false, &picks)
}

/// Each step picks from its own cluster; the picks must match `expected`.
fn expect_sequence(
    balancer: &mut LeastConnections,
    weighted: bool,
    steps: &[(Vec<Backend>, Option<usize>)],
) -> Result<(), String> {
    let mut done: Vec<String> = Vec::new();
    for (backends, expected) in steps {
        let got = balancer.pick(0, backends);
        let shown = describe(backends, weighted);
        expect(got == *expected, || {
            let before = if done.is_empty() {
                String::new()
            } else {
                format!("after picks from {}, ", done.join(", "))
            };
            format!(
                "{before}a pick from {shown} expected {}; got {}",
                named(backends, &[*expected]),
                named(backends, &[got])
            )
        })?;
        done.push(shown);
    }
    Ok(())
}

fn list_changes(_: &mut Ctx) -> Result<(), String> {
    let idle = |n: usize| {
        let names = [
            ("A", true, 1, 0),
            ("B", true, 1, 0),
            ("C", true, 1, 0),
            ("D", true, 1, 0),
        ];
        cluster(&names[..n])
    };
    // A, B, C taken in turn leave the place at index 3; the list then shrinks to two.
    expect_sequence(
        &mut LeastConnections::new(),
        false,
        &[
            (idle(4), Some(0)),
            (idle(4), Some(1)),
            (idle(4), Some(2)),
            (idle(2), Some(1)),
            (idle(2), Some(0)),
            (idle(3), Some(1)),
        ],
    )?;
    // A tie that includes the backend the place points at goes to it first.
    let b_busy = cluster(&[("A", true, 1, 0), ("B", true, 1, 4), ("C", true, 1, 0)]);
    expect_sequence(
        &mut LeastConnections::new(),
        false,
        &[
            (idle(3), Some(0)),
            (b_busy.clone(), Some(2)),
            (b_busy, Some(0)),
            (idle(3), Some(1)),
        ],
    )
}

fn plain_exact(_: &mut Ctx) -> Result<(), String> {
    let backends = cluster(&[("A", true, 1, 16_777_217), ("B", true, 1, 16_777_216)]);
    expect_picks(&mut LeastConnections::new(), &backends, false, &[Some(1)])?;
    let backends = cluster(&[("A", true, 1, u32::MAX), ("B", true, 1, u32::MAX - 1)]);
    expect_picks(&mut LeastConnections::new(), &backends, false, &[Some(1)])
}

fn ties_among_tied(_: &mut Ctx) -> Result<(), String> {
    let backends = cluster(&[
        ("A", true, 1, 0),
        ("B", true, 1, 5),
        ("C", true, 1, 0),
        ("D", false, 1, 0),
    ]);
    let picks = [0, 2, 0, 2].map(Some);
    expect_picks(&mut LeastConnections::new(), &backends, false, &picks)
}

/// The reference model the random workloads are compared with.
struct Model {
    weighted: bool,
    next: usize,
}

impl Model {
    fn pick(&mut self, backends: &[Backend]) -> Option<usize> {
        let len = backends.len();
        let start = self.next % len.max(1);
        let mut best: Option<usize> = None;
        for offset in 0..len {
            let i = (start + offset) % len;
            if !backends[i].healthy {
                continue;
            }
            let lighter = |a: &Backend, b: &Backend| {
                if self.weighted {
                    u64::from(a.active) * u64::from(b.weight.max(1))
                        < u64::from(b.active) * u64::from(a.weight.max(1))
                } else {
                    a.active < b.active
                }
            };
            match best {
                Some(b) if !lighter(&backends[i], &backends[b]) => {}
                _ => best = Some(i),
            }
        }
        let index = best?;
        self.next = index + 1;
        Some(index)
    }
}

/// Requests start on the picked backend and finish at random; health flips now and then.
fn random_workload(ctx: &mut Ctx, weighted: bool) -> Result<(), String> {
    let size = 2 + ctx.rng().below(5) as usize;
    let mut backends: Vec<Backend> = (0..size)
        .map(|i| Backend {
            name: ((b'A' + i as u8) as char).to_string(),
            healthy: true,
            weight: if weighted {
                1 + ctx.rng().below(4) as u32
            } else {
                1
            },
            active: 0,
        })
        .collect();
    let mut student = if weighted {
        LeastConnections::weighted()
    } else {
        LeastConnections::new()
    };
    let mut model = Model { weighted, next: 0 };
    for request in 1..=300 {
        for b in backends.iter_mut() {
            if b.active > 0 && ctx.rng().chance(0.3) {
                b.active -= 1;
            }
        }
        if ctx.rng().chance(0.05) {
            let i = ctx.rng().below(size as u64) as usize;
            backends[i].healthy = !backends[i].healthy;
        }
        let before = describe(&backends, weighted);
        let expected = model.pick(&backends);
        let got = student.pick(request, &backends);
        if got != expected {
            return Err(format!(
                "request {request} to {before} expected {}; got {} (seed {})",
                named(&backends, &[expected]),
                named(&backends, &[got]),
                ctx.seed()
            ));
        }
        if let Some(i) = got {
            backends[i].active += 1;
        }
    }
    Ok(())
}

fn follows_load(ctx: &mut Ctx) -> Result<(), String> {
    random_workload(ctx, false)
}

fn weighted_ratio(_: &mut Ctx) -> Result<(), String> {
    let backends = cluster(&[("A", true, 1, 2), ("B", true, 4, 4)]);
    expect_picks(
        &mut LeastConnections::weighted(),
        &backends,
        true,
        &[Some(1)],
    )?;
    let plain = cluster(&[("A", true, 1, 2), ("B", true, 4, 4)]);
    expect_picks(&mut LeastConnections::new(), &plain, false, &[Some(0)])
}

fn weighted_ties(_: &mut Ctx) -> Result<(), String> {
    let backends = cluster(&[("A", true, 1, 1), ("B", true, 2, 2), ("C", true, 1, 3)]);
    let picks = [0, 1, 0, 1].map(Some);
    expect_picks(&mut LeastConnections::weighted(), &backends, true, &picks)
}

fn weighted_exact(_: &mut Ctx) -> Result<(), String> {
    // 3/2 = 1.5 is heavier than 1/1, though integer division makes them equal.
    let backends = cluster(&[("A", true, 2, 3), ("B", true, 1, 1)]);
    expect_picks(
        &mut LeastConnections::weighted(),
        &backends,
        true,
        &[Some(1)],
    )?;
    // 7/4 = 1.75 is heavier than 5/3 = 1.67; integer division makes both 1.
    let backends = cluster(&[("A", true, 4, 7), ("B", true, 3, 5)]);
    expect_picks(
        &mut LeastConnections::weighted(),
        &backends,
        true,
        &[Some(1)],
    )?;
    // These two loads differ by about 5e-20, below what an f64 can tell apart near 1.0.
    let backends = cluster(&[
        ("A", true, u32::MAX - 2, u32::MAX - 1),
        ("B", true, u32::MAX - 1, u32::MAX),
    ]);
    expect_picks(
        &mut LeastConnections::weighted(),
        &backends,
        true,
        &[Some(1)],
    )
}

fn weighted_huge(_: &mut Ctx) -> Result<(), String> {
    let backends = cluster(&[("A", true, 1, 3_000_000), ("B", true, 1000, 2_000_000_000)]);
    expect_picks(
        &mut LeastConnections::weighted(),
        &backends,
        true,
        &[Some(1)],
    )?;
    // Cross-multiplied in u32, 5_000_000 * 1000 overflows.
    let backends = cluster(&[("A", true, 1, 5_000_000), ("B", true, 1000, 4_000_000_000)]);
    expect_picks(
        &mut LeastConnections::weighted(),
        &backends,
        true,
        &[Some(1)],
    )?;
    let backends = cluster(&[("A", true, 3, u32::MAX), ("B", true, u32::MAX, u32::MAX)]);
    expect_picks(
        &mut LeastConnections::weighted(),
        &backends,
        true,
        &[Some(1)],
    )
}

fn weighted_load(ctx: &mut Ctx) -> Result<(), String> {
    random_workload(ctx, true)
}
