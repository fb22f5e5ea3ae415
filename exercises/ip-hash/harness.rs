//! Checks for the ip-hash exercise.

use sysdesign_checks::{Check, Ctx, Live, expect, expect_eq};
use sysdesign_support::contract::{Backend, Balancer};

use crate::IpHash;

pub fn checks() -> Vec<Check> {
    vec![
        Check::new("the same client always gets the same backend", sticky),
        Check::new("never picks a backend that is down", skips_down),
        Check::new(
            "spreads a subnet's clients over every backend",
            spreads_subnet,
        ),
        Check::new(
            "moves only the clients of a backend that goes down",
            minimal_disruption,
        ),
        Check::new(
            "clients return when their backend comes back",
            clients_return,
        ),
    ]
}

pub fn live() -> Live {
    Live::Balancer(|| Box::new(IpHash::new()))
}

fn cluster(size: usize) -> Vec<Backend> {
    (0..size)
        .map(|i| Backend {
            name: ((b'A' + i as u8) as char).to_string(),
            healthy: true,
            weight: 1,
            active: 0,
        })
        .collect()
}

fn ip(client: u32) -> String {
    let [a, b, c, d] = client.to_be_bytes();
    format!("{a}.{b}.{c}.{d}")
}

fn name(backends: &[Backend], pick: Option<usize>) -> String {
    match pick {
        Some(i) => backends.get(i).map_or(format!("#{i}"), |b| b.name.clone()),
        None => "None".to_string(),
    }
}

fn random_clients(ctx: &mut Ctx, n: usize) -> Vec<u32> {
    (0..n).map(|_| ctx.rng().next_u64() as u32).collect()
}

fn sticky(ctx: &mut Ctx) -> Result<(), String> {
    let mut backends = cluster(4);
    let mut balancer = IpHash::new();
    for client in random_clients(ctx, 50) {
        let first = balancer.pick(client, &backends);
        expect(first.is_some_and(|i| i < 4), || {
            format!("client {} expected a backend; got {:?}", ip(client), first)
        })?;
        for round in 0..5 {
            for b in backends.iter_mut() {
                b.active = ctx.rng().below(20) as u32;
            }
            let again = balancer.pick(client, &backends);
            expect(again == first, || {
                format!(
                    "client {} went to {} first, so with the same healthy backends (only the \
                     loads changed) request {} expected {}; got {} (seed {})",
                    ip(client),
                    name(&backends, first),
                    round + 2,
                    name(&backends, first),
                    name(&backends, again),
                    ctx.seed()
                )
            })?;
        }
    }
    Ok(())
}

fn skips_down(ctx: &mut Ctx) -> Result<(), String> {
    let mut backends = cluster(3);
    backends[1].healthy = false;
    let mut balancer = IpHash::new();
    for client in random_clients(ctx, 100) {
        let got = balancer.pick(client, &backends);
        expect(matches!(got, Some(0) | Some(2)), || {
            format!(
                "client {} with [A, B(down), C] expected A or C; got {} (seed {})",
                ip(client),
                name(&backends, got),
                ctx.seed()
            )
        })?;
    }
    for b in backends.iter_mut() {
        b.healthy = false;
    }
    expect_eq(
        "a pick when every backend is down",
        None,
        balancer.pick(7, &backends),
    )?;
    expect_eq("a pick from an empty list", None, balancer.pick(7, &[]))
}

fn spreads_subnet(_: &mut Ctx) -> Result<(), String> {
    let backends = cluster(4);
    let mut balancer = IpHash::new();
    let mut counts = [0usize; 4];
    for third in 0..=255u32 {
        let client = u32::from_be_bytes([10, 1, third as u8, 4]);
        match balancer.pick(client, &backends) {
            Some(i) if i < 4 => counts[i] += 1,
            other => {
                return Err(format!(
                    "client {} expected a backend; got {other:?}",
                    ip(client)
                ));
            }
        }
    }
    expect(counts.iter().all(|&c| (26..=102).contains(&c)), || {
        format!(
            "256 clients 10.1.0.4 to 10.1.255.4 over [A, B, C, D] expected each backend to get \
             10% to 40% of them; got A {}, B {}, C {}, D {} (hash all four bytes)",
            counts[0], counts[1], counts[2], counts[3]
        )
    })
}

fn minimal_disruption(ctx: &mut Ctx) -> Result<(), String> {
    let mut backends = cluster(4);
    let mut balancer = IpHash::new();
    let clients = random_clients(ctx, 400);
    let before: Vec<Option<usize>> = clients
        .iter()
        .map(|&c| balancer.pick(c, &backends))
        .collect();
    let dead = 2;
    backends[dead].healthy = false;
    for (client, was) in clients.iter().zip(&before) {
        let now = balancer.pick(*client, &backends);
        if *was == Some(dead) {
            expect(now.is_some_and(|i| i != dead && i < 4), || {
                format!(
                    "client {} was on C; with C down expected another backend; got {}",
                    ip(*client),
                    name(&backends, now)
                )
            })?;
        } else {
            expect(now == *was, || {
                format!(
                    "client {} was on {}; after C went down expected it to stay on {}; got {} \
                     (only C's clients should move; seed {})",
                    ip(*client),
                    name(&backends, *was),
                    name(&backends, *was),
                    name(&backends, now),
                    ctx.seed()
                )
            })?;
        }
    }
    Ok(())
}

fn clients_return(ctx: &mut Ctx) -> Result<(), String> {
    let mut backends = cluster(5);
    let mut balancer = IpHash::new();
    let clients = random_clients(ctx, 200);
    let before: Vec<Option<usize>> = clients
        .iter()
        .map(|&c| balancer.pick(c, &backends))
        .collect();
    backends[0].healthy = false;
    for &client in &clients {
        balancer.pick(client, &backends);
    }
    backends[0].healthy = true;
    for (client, was) in clients.iter().zip(&before) {
        let now = balancer.pick(*client, &backends);
        expect(now == *was, || {
            format!(
                "client {} was on {} before A went down; after A came back expected {}; got {} \
                 (seed {})",
                ip(*client),
                name(&backends, *was),
                name(&backends, *was),
                name(&backends, now),
                ctx.seed()
            )
        })?;
    }
    Ok(())
}
