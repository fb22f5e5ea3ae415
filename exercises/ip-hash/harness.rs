//! Checks for the ip-hash exercise.

use sysdesign_checks::{Check, Ctx, Live, Rng, expect, expect_eq};
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
        Check::seeded("holds all of the above for random clients", random_clients),
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

/// The same clients on every run: a subnet, its neighbours and scattered addresses.
fn fixed_clients(n: usize) -> Vec<u32> {
    let mut rng = Rng::new(0x5EED_1DEA);
    (0..n)
        .map(|i| match i % 3 {
            0 => u32::from_be_bytes([10, 1, (i / 3) as u8, 4]),
            1 => u32::from_be_bytes([192, 168, 7, (i / 3) as u8]),
            _ => rng.next_u64() as u32,
        })
        .collect()
}

fn sticky(_: &mut Ctx) -> Result<(), String> {
    expect_sticky(&fixed_clients(60), "")
}

/// `note` ends the messages: empty for fixed clients, the seed for random ones.
fn expect_sticky(clients: &[u32], note: &str) -> Result<(), String> {
    let mut backends = cluster(4);
    let mut balancer = IpHash::new();
    let mut loads = Rng::new(7);
    for &client in clients {
        let first = balancer.pick(client, &backends);
        expect(first.is_some_and(|i| i < 4), || {
            format!("client {} expected a backend; got {:?}", ip(client), first)
        })?;
        for round in 0..5 {
            for b in backends.iter_mut() {
                b.active = loads.below(20) as u32;
            }
            let again = balancer.pick(client, &backends);
            expect(again == first, || {
                format!(
                    "client {} went to {} first, so with the same healthy backends (only the \
                     loads changed) request {} expected {}; got {}{note}",
                    ip(client),
                    name(&backends, first),
                    round + 2,
                    name(&backends, first),
                    name(&backends, again),
                )
            })?;
        }
    }
    Ok(())
}

fn skips_down(_: &mut Ctx) -> Result<(), String> {
    let clients = fixed_clients(90);
    expect_skips_down(&clients, "")?;
    for (size, up) in [(3, 2), (4, 0), (2, 1)] {
        let mut backends = cluster(size);
        for (i, b) in backends.iter_mut().enumerate() {
            b.healthy = i == up;
        }
        let shown: Vec<String> = backends
            .iter()
            .map(|b| {
                if b.healthy {
                    b.name.clone()
                } else {
                    format!("{}(down)", b.name)
                }
            })
            .collect();
        for &client in &clients {
            let got = IpHash::new().pick(client, &backends);
            expect(got == Some(up), || {
                format!(
                    "client {} with [{}] expected {}, the only healthy backend; got {}",
                    ip(client),
                    shown.join(", "),
                    name(&backends, Some(up)),
                    name(&backends, got)
                )
            })?;
        }
    }
    let mut backends = cluster(3);
    let mut balancer = IpHash::new();
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

fn expect_skips_down(clients: &[u32], note: &str) -> Result<(), String> {
    let mut backends = cluster(3);
    backends[1].healthy = false;
    let mut balancer = IpHash::new();
    for &client in clients {
        let got = balancer.pick(client, &backends);
        expect(matches!(got, Some(0) | Some(2)), || {
            format!(
                "client {} with [A, B(down), C] expected A or C; got {}{note}",
                ip(client),
                name(&backends, got),
            )
        })?;
    }
    Ok(())
}

fn spreads_subnet(_: &mut Ctx) -> Result<(), String> {
    expect_spread(|byte| [10, 1, byte, 4], "10.1.0.4 to 10.1.255.4")?;
    expect_spread(|byte| [10, 1, 1, byte], "10.1.1.0 to 10.1.1.255")
}

/// 256 clients that differ in one byte spread over four backends.
fn expect_spread(address: impl Fn(u8) -> [u8; 4], shown: &str) -> Result<(), String> {
    let backends = cluster(4);
    let mut balancer = IpHash::new();
    let mut counts = [0usize; 4];
    for byte in 0..=255u8 {
        let client = u32::from_be_bytes(address(byte));
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
            "256 clients {shown} over [A, B, C, D] expected each backend to get 10% to 40% of \
             them; got A {}, B {}, C {}, D {} (hash all four bytes)",
            counts[0], counts[1], counts[2], counts[3]
        )
    })
}

fn minimal_disruption(_: &mut Ctx) -> Result<(), String> {
    expect_minimal_disruption(&fixed_clients(400), "")
}

fn expect_minimal_disruption(clients: &[u32], note: &str) -> Result<(), String> {
    let mut backends = cluster(4);
    let mut balancer = IpHash::new();
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
                     (only C's clients should move){note}",
                    ip(*client),
                    name(&backends, *was),
                    name(&backends, *was),
                    name(&backends, now),
                )
            })?;
        }
    }
    Ok(())
}

fn clients_return(_: &mut Ctx) -> Result<(), String> {
    expect_clients_return(&fixed_clients(200), "")
}

fn expect_clients_return(clients: &[u32], note: &str) -> Result<(), String> {
    let mut backends = cluster(5);
    let mut balancer = IpHash::new();
    let before: Vec<Option<usize>> = clients
        .iter()
        .map(|&c| balancer.pick(c, &backends))
        .collect();
    backends[0].healthy = false;
    for &client in clients {
        balancer.pick(client, &backends);
    }
    backends[0].healthy = true;
    for (client, was) in clients.iter().zip(&before) {
        let now = balancer.pick(*client, &backends);
        expect(now == *was, || {
            format!(
                "client {} was on {} before A went down; after A came back expected {}; got \
                 {}{note}",
                ip(*client),
                name(&backends, *was),
                name(&backends, *was),
                name(&backends, now),
            )
        })?;
    }
    Ok(())
}

fn random_clients(ctx: &mut Ctx) -> Result<(), String> {
    let clients: Vec<u32> = (0..400).map(|_| ctx.rng().next_u64() as u32).collect();
    let note = format!(" (seed {})", ctx.seed());
    expect_sticky(&clients[..50], &note)?;
    expect_skips_down(&clients, &note)?;
    expect_minimal_disruption(&clients, &note)?;
    expect_clients_return(&clients[..200], &note)
}
