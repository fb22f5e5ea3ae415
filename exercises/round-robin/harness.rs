//! Checks for the round-robin exercise.

use sysdesign_checks::{Check, Ctx, Live, expect, expect_eq};
use sysdesign_support::contract::{Backend, Balancer};

use crate::RoundRobin;

pub fn checks() -> Vec<Check> {
    vec![
        Check::new("takes turns over healthy backends", takes_turns),
        Check::new("skips a backend that is down", skips_down),
        Check::new(
            "returns None when no backend is healthy",
            none_when_all_down,
        ),
        Check::new(
            "keeps its place when a backend goes down and comes back",
            keeps_place,
        ),
        Check::new(
            "ignores the client, the weight and the load",
            ignores_client_and_load,
        ),
        Check::new(
            "never returns an index past a shrunken list",
            shrinking_list,
        ),
        Check::seeded("spreads a random cluster evenly", spreads_evenly),
    ]
}

pub fn live() -> Live {
    Live::Balancer(|| Box::new(RoundRobin::new()))
}

fn cluster(spec: &[(&str, bool)]) -> Vec<Backend> {
    spec.iter()
        .map(|&(name, healthy)| Backend {
            name: name.to_string(),
            healthy,
            weight: 1,
            active: 0,
        })
        .collect()
}

fn describe(backends: &[Backend]) -> String {
    let names: Vec<String> = backends
        .iter()
        .map(|b| {
            if b.healthy {
                b.name.clone()
            } else {
                format!("{}(down)", b.name)
            }
        })
        .collect();
    format!("[{}]", names.join(", "))
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

/// `Err("after N requests to [..] expected ..; got ..")` unless the picks match.
fn expect_picks(
    balancer: &mut RoundRobin,
    backends: &[Backend],
    expected: &[Option<usize>],
) -> Result<(), String> {
    let got: Vec<Option<usize>> = (0..expected.len())
        .map(|i| balancer.pick(i as u32, backends))
        .collect();
    expect(got == expected, || {
        format!(
            "after {} requests to {} expected {}; got {}",
            expected.len(),
            describe(backends),
            named(backends, expected),
            named(backends, &got)
        )
    })
}

fn takes_turns(_: &mut Ctx) -> Result<(), String> {
    let backends = cluster(&[("A", true), ("B", true), ("C", true)]);
    let picks = [0, 1, 2, 0, 1, 2].map(Some);
    expect_picks(&mut RoundRobin::new(), &backends, &picks)
}

fn skips_down(_: &mut Ctx) -> Result<(), String> {
    let backends = cluster(&[("A", true), ("B", false), ("C", true)]);
    expect_picks(
        &mut RoundRobin::new(),
        &backends,
        &[Some(0), Some(2), Some(0)],
    )?;
    let first_down = cluster(&[("A", false), ("B", true), ("C", true)]);
    expect_picks(
        &mut RoundRobin::new(),
        &first_down,
        &[Some(1), Some(2), Some(1)],
    )?;
    let last_down = cluster(&[("A", true), ("B", true), ("C", false)]);
    expect_picks(
        &mut RoundRobin::new(),
        &last_down,
        &[Some(0), Some(1), Some(0), Some(1)],
    )?;
    let one_up = cluster(&[("A", false), ("B", true), ("C", false)]);
    expect_picks(
        &mut RoundRobin::new(),
        &one_up,
        &[Some(1), Some(1), Some(1)],
    )
}

fn none_when_all_down(_: &mut Ctx) -> Result<(), String> {
    let down = cluster(&[("A", false), ("B", false)]);
    expect_picks(&mut RoundRobin::new(), &down, &[None, None])?;
    expect_eq(
        "a pick from an empty list",
        None,
        RoundRobin::new().pick(1, &[]),
    )
}

fn keeps_place(_: &mut Ctx) -> Result<(), String> {
    let mut balancer = RoundRobin::new();
    let all_up = cluster(&[("A", true), ("B", true), ("C", true)]);
    let b_down = cluster(&[("A", true), ("B", false), ("C", true)]);
    let mut got = vec![balancer.pick(0, &all_up)];
    got.push(balancer.pick(0, &b_down));
    got.push(balancer.pick(0, &b_down));
    got.push(balancer.pick(0, &all_up));
    let expected = [Some(0), Some(2), Some(0), Some(1)];
    expect(got == expected, || {
        format!(
            "picking from [A, B, C], then twice from [A, B(down), C], then from [A, B, C] again: \
             expected A, C, A, B; got {}",
            named(&all_up, &got)
        )
    })
}

fn ignores_client_and_load(_: &mut Ctx) -> Result<(), String> {
    // (client, [(active, weight) of A, B, C]): the backend whose turn it is is never the
    // least loaded or the heaviest, and the client id points elsewhere.
    let requests: [(u32, [(u32, u32); 3]); 6] = [
        (4_000_000_000, [(5, 1), (0, 3), (0, 2)]),
        (7, [(0, 5), (9, 1), (0, 1)]),
        (3, [(0, 1), (0, 4), (3, 1)]),
        (2, [(2, 1), (1, 1), (0, 9)]),
        (1, [(0, 2), (4, 1), (0, 1)]),
        (0, [(7, 3), (7, 1), (8, 1)]),
    ];
    let mut backends = cluster(&[("A", true), ("B", true), ("C", true)]);
    let mut balancer = RoundRobin::new();
    let mut got = Vec::new();
    for (client, loads) in requests {
        for (b, (active, weight)) in backends.iter_mut().zip(loads) {
            b.active = active;
            b.weight = weight;
        }
        got.push(balancer.pick(client, &backends));
    }
    let expected = [0, 1, 2, 0, 1, 2].map(Some);
    expect(got == expected, || {
        format!(
            "6 requests from clients 4000000000, 7, 3, 2, 1, 0 to [A, B, C] with loads and \
             weights that change each time: expected A, B, C, A, B, C; got {}",
            named(&backends, &got)
        )
    })
}

fn shrinking_list(_: &mut Ctx) -> Result<(), String> {
    let five = cluster(&[
        ("A", true),
        ("B", true),
        ("C", true),
        ("D", true),
        ("E", true),
    ]);
    let two = cluster(&[("A", true), ("B", true)]);
    let mut balancer = RoundRobin::new();
    for _ in 0..4 {
        balancer.pick(0, &five);
    }
    let got = [balancer.pick(0, &two), balancer.pick(0, &two)];
    expect(
        got.iter().all(|p| matches!(p, Some(i) if *i < 2)) && got[0] != got[1],
        || {
            format!(
                "after 4 picks from 5 backends, two picks from [A, B] expected one of each; got {}",
                named(&two, &got)
            )
        },
    )
}

fn spreads_evenly(ctx: &mut Ctx) -> Result<(), String> {
    for round in 0..20 {
        let size = 1 + ctx.rng().below(8) as usize;
        let backends: Vec<Backend> = (0..size)
            .map(|i| Backend {
                name: format!("S{i}"),
                healthy: ctx.rng().chance(0.7),
                weight: 1,
                active: 0,
            })
            .collect();
        let healthy = backends.iter().filter(|b| b.healthy).count();
        if healthy == 0 {
            let got = RoundRobin::new().pick(0, &backends);
            expect_eq(format!("a pick from {}", describe(&backends)), None, got)?;
            continue;
        }
        let requests = 10 * size + ctx.rng().below(7) as usize;
        let mut balancer = RoundRobin::new();
        let mut counts = vec![0usize; size];
        for r in 0..requests {
            match balancer.pick(r as u32, &backends) {
                Some(i) if i < size && backends[i].healthy => counts[i] += 1,
                other => {
                    return Err(format!(
                        "round {round} (seed {}): request {} to {} expected a healthy backend; \
                         got {}",
                        ctx.seed(),
                        r + 1,
                        describe(&backends),
                        named(&backends, &[other])
                    ));
                }
            }
        }
        let served: Vec<usize> = (0..size)
            .filter(|&i| backends[i].healthy)
            .map(|i| counts[i])
            .collect();
        let spread = served.iter().max().unwrap_or(&0) - served.iter().min().unwrap_or(&0);
        expect(spread <= 1, || {
            format!(
                "round {round} (seed {}): {requests} requests to {} expected counts within 1 of \
                 each other; got {counts:?}",
                ctx.seed(),
                describe(&backends)
            )
        })?;
    }
    Ok(())
}
