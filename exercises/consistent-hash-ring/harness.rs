//! Checks for the consistent-hash-ring exercise. The checks place points with their own copy
//! of the hash and the `node#i` naming, so they know where every key must go.

use std::collections::BTreeMap;

use sysdesign_checks::{Check, Ctx, expect, expect_eq};

use crate::HashRing;

pub fn checks() -> Vec<Check> {
    vec![
        Check::new("an empty ring has no node", empty_ring),
        Check::new(
            "a key belongs to the first point at or after its hash",
            first_point,
        ),
        Check::new(
            "a key exactly on a point belongs to that point's node",
            exact_point,
        ),
        Check::new(
            "keys past the last point wrap around to the first",
            wrap_around,
        ),
        Check::new("each node gets vnodes points", virtual_nodes),
        Check::new(
            "adding a node moves keys only to it, about 1/(N+1) of them",
            adding_moves_few,
        ),
        Check::new(
            "removing a node moves only its own keys",
            removing_moves_its_keys,
        ),
        Check::new(
            "adding twice or removing a stranger changes nothing",
            idempotent_changes,
        ),
        Check::seeded("matches the model ring on random keys", random_rings),
    ]
}

fn hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

/// The model ring the checks compare with.
fn model(nodes: &[&str], vnodes: u32) -> BTreeMap<u64, String> {
    let mut ring = BTreeMap::new();
    for node in nodes {
        for i in 0..vnodes {
            ring.insert(hash(&format!("{node}#{i}")), node.to_string());
        }
    }
    ring
}

fn owner(ring: &BTreeMap<u64, String>, key: &str) -> Option<String> {
    let h = hash(key);
    ring.range(h..)
        .next()
        .or_else(|| ring.iter().next())
        .map(|(_, n)| n.clone())
}

fn ring_of(nodes: &[&str], vnodes: u32) -> HashRing {
    let mut ring = HashRing::new(vnodes);
    for node in nodes {
        ring.add(node);
    }
    ring
}

/// The same `n` keys on every run, so a fixed check catches the same bugs whatever the seed.
fn keys(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user:{i}")).collect()
}

/// The names of every virtual node of `nodes`: as keys, each hashes exactly onto its point.
fn labels(nodes: &[&str], vnodes: u32) -> Vec<String> {
    nodes
        .iter()
        .flat_map(|node| (0..vnodes).map(move |i| format!("{node}#{i}")))
        .collect()
}

fn empty_ring(_: &mut Ctx) -> Result<(), String> {
    expect_eq(
        "node_for(\"k\") on a new ring",
        None,
        HashRing::new(10).node_for("k"),
    )?;
    let mut ring = ring_of(&["a", "b"], 10);
    ring.remove("a");
    ring.remove("b");
    expect_eq(
        "node_for(\"k\") after adding and removing a and b",
        None,
        ring.node_for("k"),
    )
}

fn compare_all(
    ring: &HashRing,
    nodes: &[&str],
    vnodes: u32,
    keys: &[String],
    context: &str,
) -> Result<(), String> {
    let reference = model(nodes, vnodes);
    for key in keys {
        let expected = owner(&reference, key);
        let got = ring.node_for(key).map(str::to_string);
        expect(got == expected, || {
            format!(
                "ring {nodes:?} with {vnodes} vnodes each{context}: node_for({key:?}) (hash {}) \
                 expected {expected:?}; got {got:?}",
                hash(key)
            )
        })?;
    }
    Ok(())
}

fn first_point(_: &mut Ctx) -> Result<(), String> {
    let nodes = ["a", "b", "c"];
    compare_all(&ring_of(&nodes, 1), &nodes, 1, &keys(300), "")
}

fn exact_point(_: &mut Ctx) -> Result<(), String> {
    let ring = ring_of(&["a", "b", "c"], 3);
    for label in labels(&["a", "b", "c"], 3) {
        let node = &label[..1];
        expect_eq(
            format!(
                "ring [a, b, c] with 3 vnodes: node_for({label:?}), whose hash is exactly the \
                 point of {node}'s virtual node {label}"
            ),
            Some(node),
            ring.node_for(&label),
        )?;
    }
    Ok(())
}

fn wrap_around(_: &mut Ctx) -> Result<(), String> {
    let nodes = ["a", "b"];
    let reference = model(&nodes, 1);
    let (last, _) = reference.iter().next_back().expect("two points");
    let (_, first_node) = reference.iter().next().expect("two points");
    let key = (0..100_000)
        .map(|i| format!("k{i}"))
        .find(|k| hash(k) > *last)
        .expect("some key hashes past the last point");
    expect_eq(
        format!(
            "ring [a, b] with 1 vnode: node_for({key:?}), whose hash {} is past the last point \
             {last}",
            hash(&key)
        ),
        Some(first_node.as_str()),
        ring_of(&nodes, 1).node_for(&key),
    )
}

fn virtual_nodes(_: &mut Ctx) -> Result<(), String> {
    let nodes = ["n0", "n1", "n2", "n3"];
    let keys = keys(2000);
    let ring = ring_of(&nodes, 100);
    compare_all(&ring, &nodes, 100, &keys, "")?;
    compare_all(&ring, &nodes, 100, &labels(&nodes, 101), "")?;
    compare_all(&ring_of(&nodes, 7), &nodes, 7, &keys, "")?;
    let mut share: BTreeMap<&str, usize> = BTreeMap::new();
    for key in &keys {
        if let Some(node) = ring.node_for(key) {
            *share
                .entry(nodes.iter().find(|n| **n == node).copied().unwrap_or("?"))
                .or_default() += 1;
        }
    }
    expect(share.values().all(|&n| (300..=700).contains(&n)), || {
        format!(
            "4 nodes with 100 vnodes each: expected each to own 15% to 35% of 2000 keys; got \
             {share:?}"
        )
    })
}

fn adding_moves_few(_: &mut Ctx) -> Result<(), String> {
    let keys = keys(2000);
    let mut ring = ring_of(&["n0", "n1", "n2", "n3"], 100);
    let before: Vec<Option<String>> = keys
        .iter()
        .map(|k| ring.node_for(k).map(str::to_string))
        .collect();
    ring.add("n4");
    let mut moved = 0;
    for (key, was) in keys.iter().zip(&before) {
        let now = ring.node_for(key).map(str::to_string);
        if now != *was {
            moved += 1;
            expect(now.as_deref() == Some("n4"), || {
                format!(
                    "adding n4 to [n0..n3]: key {key:?} moved from {was:?} to {now:?}; keys may \
                     only move to the new node"
                )
            })?;
        }
    }
    expect((200..=600).contains(&moved), || {
        format!(
            "adding a 5th node to 4 (100 vnodes each) expected about 1/5 of 2000 keys to move \
             (200 to 600); got {moved}"
        )
    })
}

fn removing_moves_its_keys(_: &mut Ctx) -> Result<(), String> {
    let mut keys = keys(1000);
    keys.extend(labels(&["n0", "n1", "n2", "n3"], 50));
    let mut ring = ring_of(&["n0", "n1", "n2", "n3"], 50);
    let before: Vec<Option<String>> = keys
        .iter()
        .map(|k| ring.node_for(k).map(str::to_string))
        .collect();
    ring.remove("n2");
    for (key, was) in keys.iter().zip(&before) {
        let now = ring.node_for(key).map(str::to_string);
        if was.as_deref() == Some("n2") {
            expect(now.as_deref().is_some_and(|n| n != "n2"), || {
                format!("after removing n2, key {key:?} expected another node; got {now:?}")
            })?;
        } else {
            expect(now == *was, || {
                format!(
                    "removing n2 from [n0..n3]: key {key:?} was on {was:?} and expected to stay; \
                     got {now:?}"
                )
            })?;
        }
    }
    compare_all(
        &ring,
        &["n0", "n1", "n3"],
        50,
        &keys,
        " (n2 added, then removed)",
    )
}

fn idempotent_changes(_: &mut Ctx) -> Result<(), String> {
    let nodes = ["a", "b", "c"];
    let mut ring = ring_of(&nodes, 20);
    ring.add("b");
    ring.remove("stranger");
    let mut keys = keys(300);
    keys.extend(labels(&nodes, 20));
    compare_all(
        &ring,
        &nodes,
        20,
        &keys,
        " (b added twice, stranger removed)",
    )?;
    ring.remove("b");
    compare_all(
        &ring,
        &["a", "c"],
        20,
        &keys,
        " (b added twice, then removed once)",
    )?;
    ring.add("b");
    compare_all(&ring, &nodes, 20, &keys, " (b removed and added again)")
}

fn random_rings(ctx: &mut Ctx) -> Result<(), String> {
    const NAMES: [&str; 6] = ["n0", "n1", "n2", "n3", "n4", "n5"];
    for _ in 0..20 {
        let count = 1 + ctx.rng().below(NAMES.len() as u64) as usize;
        let vnodes = 1 + ctx.rng().below(40) as u32;
        let nodes = &NAMES[..count];
        let salt = ctx.rng().next_u64();
        let keys: Vec<String> = (0..200).map(|i| format!("key:{salt}:{i}")).collect();
        let context = format!(" (seed {})", ctx.seed());
        compare_all(&ring_of(nodes, vnodes), nodes, vnodes, &keys, &context)?;
    }
    Ok(())
}
