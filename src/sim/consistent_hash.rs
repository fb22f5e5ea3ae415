//! Chapter 7, consistent hashing against mod-N. Keys are placed on nodes either by a hash
//! ring, where each node owns the arcs ending at its virtual nodes, or by `hash(key) mod N`.
//! When a node joins or leaves, the ring moves only the keys of the arcs that changed hands,
//! about 1/(N+1) of them on a join; mod-N changes almost every key's home, about N/(N+1).

use std::collections::BTreeMap;

use serde_json::json;

use super::event_log::EventLog;
use super::param_table::{self, Param, specs};
use super::registry::KindSpec;
use super::rng::Rng;
use super::{Action, Simulation, Summary};

pub const KIND: &str = "consistent-hash";
/// The most virtual nodes per node `v` doubles up to.
const MAX_VNODES: usize = 500;
pub const MAX_NODES: usize = 16;
/// Key lookups routed per tick, to show each node's share of the traffic.
const LOOKUPS_PER_TICK: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Ring,
    ModN,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Ring => "ring",
            Scheme::ModN => "mod-n",
        }
    }
}

/// A 64-bit hash: FNV-1a over the bytes, then a finalizer so that similar names ("key-1",
/// "key-2") land far apart on the ring. Fixed, so placements are the same on every machine.
pub fn hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// 'A' to 'P': short enough to draw one per key in the grid.
    pub letter: char,
    pub keys: usize,
    pub served: u64,
}

impl Node {
    pub fn name(&self) -> String {
        format!("node-{}", self.letter)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Join,
    Leave,
    Vnodes,
    Scheme,
}

/// The most recent change of placement, and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub tick: u64,
    pub kind: ChangeKind,
    pub text: String,
    pub moved: usize,
    pub nodes_before: usize,
    pub nodes_after: usize,
}

/// Keys that would move if one node joined now, under each scheme: the chapter's comparison,
/// kept up to date after every change.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct JoinForecast {
    pub ring: f64,
    pub mod_n: f64,
}

#[derive(Debug, Clone)]
pub struct ConsistentHashSim {
    seed: u64,
    rng: Rng,
    now: u64,
    scheme: Scheme,
    vnodes: usize,
    churn_every: u64,
    /// Whether the next scheduled churn is a leave of the node the last churn added.
    churn_added: Option<char>,
    nodes: Vec<Node>,
    /// (point, node letter), sorted by point.
    ring: Vec<(u64, char)>,
    key_hashes: Vec<u64>,
    owners: Vec<char>,
    /// Keys moved by the last change, for the widget to highlight.
    moved: Vec<bool>,
    last_change: Option<Change>,
    changes: u64,
    total_moved: u64,
    forecast: JoinForecast,
    log: EventLog,
}

const TABLE: [Param<ConsistentHashSim>; 5] = [
    Param::choice("mode", &["ring", "mod-n"], "ring")
        .help("ring: consistent hashing with virtual nodes; mod-n: hash(key) mod N")
        .field(
            |s| s.scheme.name(),
            |s, v| {
                let scheme = if v == "mod-n" {
                    Scheme::ModN
                } else {
                    Scheme::Ring
                };
                if s.now == 0 {
                    s.scheme = scheme;
                    s.set_nodes_silently(s.nodes.len());
                } else if scheme != s.scheme {
                    s.set_scheme(scheme);
                }
            },
        ),
    Param::int("nodes", 1, 16, "4")
        .help("nodes in the cluster")
        .field(
            |s| s.nodes.len() as i64,
            |s, v| {
                let n = v as usize;
                if s.now == 0 {
                    s.set_nodes_silently(n);
                } else {
                    while s.nodes.len() < n && s.join() {}
                    while s.nodes.len() > n && s.leave() {}
                }
            },
        ),
    Param::int("vnodes", 1, 500, "50")
        .help("points each node takes on the ring; more points, more even shares")
        .field(
            |s| s.vnodes as i64,
            |s, v| {
                if s.now == 0 {
                    s.vnodes = v as usize;
                    s.set_nodes_silently(s.nodes.len());
                } else {
                    s.set_vnodes(v as usize);
                }
            },
        ),
    Param::int("keys", 1, 5000, "400")
        .help("keys stored in the cluster")
        .field(|s| s.key_hashes.len() as i64, |s, v| s.set_keys(v as usize)),
    Param::int("churn_every", 0, 1_000_000, "20")
        .help("every this many ticks a node joins, and the next time it leaves (0: never)")
        .field(|s| s.churn_every as i64, |s, v| s.churn_every = v as u64),
];

pub const SPEC: KindSpec = KindSpec {
    name: KIND,
    title: "Consistent hashing vs mod-N",
    description: "Keys spread over nodes by a hash ring with virtual nodes, or by hash mod \
        N. Add or remove a node and see which keys move: about 1/(N+1) on the ring, about \
        N/(N+1) with mod-N.",
    params: &specs(&TABLE),
    build: ConsistentHashSim::boxed,
};

static ACTIONS: &[Action] = &[
    Action {
        key: 'a',
        label: "add node",
    },
    Action {
        key: 'x',
        label: "remove node",
    },
    Action {
        key: 'm',
        label: "ring/mod-N",
    },
    Action {
        key: 'v',
        label: "vnodes x2",
    },
    Action {
        key: 'c',
        label: "vnodes /2",
    },
];

fn build_ring(letters: &[char], vnodes: usize) -> Vec<(u64, char)> {
    let mut ring: Vec<(u64, char)> = letters
        .iter()
        .flat_map(|&l| (0..vnodes).map(move |v| (hash(&format!("node-{l}#{v}")), l)))
        .collect();
    ring.sort_unstable();
    ring
}

/// The owner of a point: the node of the first virtual node at or after it, wrapping around.
fn ring_owner(ring: &[(u64, char)], point: u64) -> Option<char> {
    let i = ring.partition_point(|&(p, _)| p < point);
    ring.get(i).or_else(|| ring.first()).map(|&(_, l)| l)
}

fn place(scheme: Scheme, ring: &[(u64, char)], letters: &[char], h: u64) -> char {
    match scheme {
        Scheme::Ring => ring_owner(ring, h).unwrap_or('?'),
        Scheme::ModN if letters.is_empty() => '?',
        Scheme::ModN => letters[(h % letters.len() as u64) as usize],
    }
}

fn next_letter(letters: &[char]) -> Option<char> {
    ('A'..='P').find(|l| !letters.contains(l))
}

impl ConsistentHashSim {
    pub fn new(seed: u64) -> Self {
        let mut sim = ConsistentHashSim {
            seed,
            rng: Rng::new(seed),
            now: 0,
            scheme: Scheme::Ring,
            vnodes: 50,
            churn_every: 20,
            churn_added: None,
            nodes: Vec::new(),
            ring: Vec::new(),
            key_hashes: Vec::new(),
            owners: Vec::new(),
            moved: Vec::new(),
            last_change: None,
            changes: 0,
            total_moved: 0,
            forecast: JoinForecast::default(),
            log: EventLog::new(),
        };
        sim.set_nodes_silently(4);
        sim.set_keys(400);
        sim
    }

    pub fn boxed(seed: u64) -> Box<dyn Simulation> {
        Box::new(Self::new(seed))
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }
    pub fn vnodes(&self) -> usize {
        self.vnodes
    }
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }
    /// The node letter that holds each key, in key order.
    pub fn owners(&self) -> &[char] {
        &self.owners
    }
    /// Which keys the last change moved.
    pub fn moved(&self) -> &[bool] {
        &self.moved
    }
    pub fn last_change(&self) -> Option<&Change> {
        self.last_change.as_ref()
    }
    pub fn forecast(&self) -> JoinForecast {
        self.forecast
    }
    pub fn log(&self) -> &EventLog {
        &self.log
    }
    pub fn key_count(&self) -> usize {
        self.key_hashes.len()
    }

    /// The node owning each of `n` evenly spaced points around the ring, for drawing it.
    pub fn ring_strip(&self, n: usize) -> Vec<char> {
        if n == 0 {
            return Vec::new();
        }
        let step = u64::MAX / n as u64;
        (0..n as u64)
            .map(|i| ring_owner(&self.ring, i * step).unwrap_or('?'))
            .collect()
    }

    fn letters(&self) -> Vec<char> {
        self.nodes.iter().map(|n| n.letter).collect()
    }

    fn placement(&self, scheme: Scheme, letters: &[char], ring: &[(u64, char)]) -> Vec<char> {
        self.key_hashes
            .iter()
            .map(|&h| place(scheme, ring, letters, h))
            .collect()
    }

    fn recount(&mut self) {
        for node in &mut self.nodes {
            node.keys = 0;
        }
        for owner in &self.owners {
            if let Some(node) = self.nodes.iter_mut().find(|n| n.letter == *owner) {
                node.keys += 1;
            }
        }
    }

    fn refresh_forecast(&mut self) {
        let letters = self.letters();
        let Some(extra) = next_letter(&letters) else {
            self.forecast = JoinForecast::default();
            return;
        };
        let mut grown = letters.clone();
        grown.push(extra);
        let ring_now = build_ring(&letters, self.vnodes);
        let ring_grown = build_ring(&grown, self.vnodes);
        let moved_fraction = |scheme: Scheme| {
            let before = self.placement(scheme, &letters, &ring_now);
            let after = self.placement(scheme, &grown, &ring_grown);
            let moved = before.iter().zip(&after).filter(|(a, b)| a != b).count();
            moved as f64 / self.key_hashes.len().max(1) as f64
        };
        self.forecast = JoinForecast {
            ring: moved_fraction(Scheme::Ring),
            mod_n: moved_fraction(Scheme::ModN),
        };
    }

    /// Rebuild the placement after a change and record which keys moved.
    fn replace(
        &mut self,
        kind: ChangeKind,
        nodes_before: usize,
        describe: impl Fn(usize, usize) -> String,
    ) {
        self.ring = build_ring(&self.letters(), self.vnodes);
        let owners = self.placement(self.scheme, &self.letters(), &self.ring);
        self.moved = self
            .owners
            .iter()
            .zip(&owners)
            .map(|(a, b)| a != b)
            .collect();
        let moved = self.moved.iter().filter(|&&m| m).count();
        self.owners = owners;
        self.recount();
        self.refresh_forecast();
        self.changes += 1;
        self.total_moved += moved as u64;
        let text = describe(moved, self.key_hashes.len());
        self.log.push(self.now, text.clone());
        self.last_change = Some(Change {
            tick: self.now,
            kind,
            text,
            moved,
            nodes_before,
            nodes_after: self.nodes.len(),
        });
    }

    fn set_nodes_silently(&mut self, n: usize) {
        self.nodes.clear();
        for _ in 0..n.clamp(1, MAX_NODES) {
            let letters = self.letters();
            if let Some(letter) = next_letter(&letters) {
                self.nodes.push(Node {
                    letter,
                    keys: 0,
                    served: 0,
                });
            }
        }
        self.ring = build_ring(&self.letters(), self.vnodes);
        self.owners = self.placement(self.scheme, &self.letters(), &self.ring);
        self.moved = vec![false; self.owners.len()];
        self.recount();
        self.refresh_forecast();
    }

    fn set_keys(&mut self, n: usize) {
        self.key_hashes = (0..n).map(|i| hash(&format!("key-{i}"))).collect();
        self.owners = self.placement(self.scheme, &self.letters(), &self.ring);
        self.moved = vec![false; n];
        self.recount();
        self.refresh_forecast();
    }

    fn expectation(&self, kind: ChangeKind, before: usize) -> String {
        let after = self.nodes.len();
        let (ring, mod_n) = match kind {
            ChangeKind::Join => (format!("1/{after}"), format!("{before}/{after}")),
            _ => (format!("1/{before}"), format!("{after}/{before}")),
        };
        match self.scheme {
            Scheme::Ring => format!("a ring moves about {ring}, mod-N about {mod_n}"),
            Scheme::ModN => format!("mod-N moves about {mod_n}, a ring about {ring}"),
        }
    }

    /// Add a node; false when the cluster is already at its largest.
    pub fn join(&mut self) -> bool {
        let Some(letter) = next_letter(&self.letters()) else {
            return false;
        };
        let before = self.nodes.len();
        self.nodes.push(Node {
            letter,
            keys: 0,
            served: 0,
        });
        let expect = self.expectation(ChangeKind::Join, before);
        self.replace(ChangeKind::Join, before, |moved, keys| {
            format!(
                "node-{letter} joined: {moved} of {keys} keys moved ({:.1}%); {expect}",
                pct(moved, keys)
            )
        });
        true
    }

    /// Remove the most recently added node; false when only one is left.
    pub fn leave(&mut self) -> bool {
        if self.nodes.len() <= 1 {
            return false;
        }
        let before = self.nodes.len();
        let Some(gone) = self.nodes.pop() else {
            return false;
        };
        let expect = self.expectation(ChangeKind::Leave, before);
        self.replace(ChangeKind::Leave, before, |moved, keys| {
            format!(
                "{} left: {moved} of {keys} keys moved ({:.1}%); {expect}",
                gone.name(),
                pct(moved, keys)
            )
        });
        if self.churn_added == Some(gone.letter) {
            self.churn_added = None;
        }
        true
    }

    fn set_vnodes(&mut self, vnodes: usize) {
        let old = self.vnodes;
        self.vnodes = vnodes.clamp(1, MAX_VNODES);
        let new = self.vnodes;
        let n = self.nodes.len();
        self.replace(ChangeKind::Vnodes, n, |moved, keys| {
            format!("virtual nodes per node {old} -> {new}: {moved} of {keys} keys moved")
        });
    }

    fn set_scheme(&mut self, scheme: Scheme) {
        self.scheme = scheme;
        let n = self.nodes.len();
        self.replace(ChangeKind::Scheme, n, |moved, keys| {
            format!(
                "placement by {}: {moved} of {keys} keys on a different node",
                scheme.name()
            )
        });
    }
}

fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

impl Simulation for ConsistentHashSim {
    param_table::common_methods!(kind: KIND, table: TABLE, actions: ACTIONS);

    fn step(&mut self) {
        self.now += 1;
        if self.churn_every > 0 && self.now.is_multiple_of(self.churn_every) {
            if self.churn_added.is_some() {
                self.leave();
            } else if self.join() {
                self.churn_added = self.nodes.last().map(|n| n.letter);
            }
        }
        if !self.key_hashes.is_empty() {
            for _ in 0..LOOKUPS_PER_TICK {
                let key = self.rng.below(self.key_hashes.len() as u64) as usize;
                let owner = self.owners[key];
                if let Some(node) = self.nodes.iter_mut().find(|n| n.letter == owner) {
                    node.served += 1;
                }
            }
        }
    }

    fn action_label(&self, key: char) -> Option<String> {
        match key {
            'm' if self.scheme == Scheme::Ring => Some("mod-N".into()),
            'm' => Some("ring".into()),
            _ => None,
        }
    }

    fn act(&mut self, key: char) -> bool {
        match key {
            'a' => {
                if !self.join() {
                    self.log
                        .push_unless_repeated(self.now, "no room: 16 nodes at most");
                }
            }
            'x' => {
                if !self.leave() {
                    self.log
                        .push_unless_repeated(self.now, "the last node cannot leave");
                }
            }
            'm' => self.set_scheme(match self.scheme {
                Scheme::Ring => Scheme::ModN,
                Scheme::ModN => Scheme::Ring,
            }),
            'v' if self.vnodes >= MAX_VNODES => self.log.push_unless_repeated(
                self.now,
                format!("already at the maximum of {MAX_VNODES} virtual nodes per node"),
            ),
            'c' if self.vnodes <= 1 => self.log.push_unless_repeated(
                self.now,
                "already at the minimum of 1 virtual node per node",
            ),
            'v' => self.set_vnodes(self.vnodes * 2),
            'c' => self.set_vnodes(self.vnodes / 2),
            _ => return false,
        }
        true
    }

    fn summary(&self) -> Summary {
        let keys = self.key_hashes.len();
        let n = self.nodes.len();
        let mean = keys as f64 / n.max(1) as f64;
        let max = self.nodes.iter().map(|n| n.keys).max().unwrap_or(0) as f64;
        let mut metrics = BTreeMap::from([
            ("keys", keys as f64),
            ("nodes", n as f64),
            ("changes", self.changes as f64),
            ("total_moved", self.total_moved as f64),
            (
                "max_over_mean_keys",
                if mean > 0.0 { max / mean } else { 0.0 },
            ),
            ("join_would_move_ring", self.forecast.ring),
            ("join_would_move_mod_n", self.forecast.mod_n),
            ("join_expected_ring", 1.0 / (n as f64 + 1.0)),
            ("join_expected_mod_n", n as f64 / (n as f64 + 1.0)),
        ]);
        if let Some(change) = &self.last_change {
            metrics.insert("last_moved", change.moved as f64);
            metrics.insert(
                "last_moved_fraction",
                change.moved as f64 / keys.max(1) as f64,
            );
        }
        let nodes = self
            .nodes
            .iter()
            .map(|node| {
                BTreeMap::from([
                    ("name", json!(node.name())),
                    ("keys", json!(node.keys)),
                    ("served", json!(node.served)),
                    (
                        "vnodes",
                        json!(if self.scheme == Scheme::Ring {
                            self.vnodes
                        } else {
                            0
                        }),
                    ),
                ])
            })
            .collect();
        Summary::of(
            self,
            self.seed,
            metrics,
            [("nodes", nodes)],
            self.log.to_vec(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ParamValue;
    use proptest::prelude::*;

    #[test]
    fn vnode_keys_at_their_limits_change_nothing_and_say_so_once() {
        let mut sim = ConsistentHashSim::new(1);
        for _ in 0..12 {
            sim.act('v');
        }
        assert_eq!(sim.vnodes(), MAX_VNODES);
        let texts: Vec<&str> = sim.log().iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts
                .iter()
                .filter(|t| t.starts_with("already at the maximum"))
                .count(),
            1
        );
        assert!(!texts.iter().any(|t| t.contains("500 -> 500")));
        for _ in 0..12 {
            sim.act('c');
        }
        assert_eq!(sim.vnodes(), 1);
        assert_eq!(
            sim.log().iter().last().unwrap().text,
            "already at the minimum of 1 virtual node per node"
        );
    }

    fn cluster(scheme: &str, nodes: i64, vnodes: i64, keys: i64) -> ConsistentHashSim {
        let mut sim = ConsistentHashSim::new(0);
        sim.set("churn_every", &ParamValue::Int(0)).unwrap();
        sim.set("mode", &ParamValue::Choice(scheme.into())).unwrap();
        sim.set("nodes", &ParamValue::Int(nodes)).unwrap();
        sim.set("vnodes", &ParamValue::Int(vnodes)).unwrap();
        sim.set("keys", &ParamValue::Int(keys)).unwrap();
        sim
    }

    fn moved_fraction(sim: &ConsistentHashSim) -> f64 {
        sim.last_change().map_or(0.0, |c| c.moved as f64) / sim.key_count() as f64
    }

    #[test]
    fn the_chapter_point_ring_moves_about_1_over_n_plus_1_and_mod_n_about_n_over_n_plus_1() {
        let mut ring_ratio = 0.0;
        let mut mod_n_error: f64 = 0.0;
        for n in 1..=12 {
            let mut ring = cluster("ring", n, 100, 2000);
            ring.join();
            ring_ratio += moved_fraction(&ring) * (n as f64 + 1.0);
            let mut mod_n = cluster("mod-n", n, 100, 2000);
            mod_n.join();
            mod_n_error =
                mod_n_error.max((moved_fraction(&mod_n) - n as f64 / (n as f64 + 1.0)).abs());
        }
        let mean_ratio = ring_ratio / 12.0;
        assert!(
            (0.85..1.15).contains(&mean_ratio),
            "ring moved {mean_ratio} x 1/(N+1) on average"
        );
        assert!(mod_n_error < 0.05, "mod-N off by {mod_n_error}");
    }

    #[test]
    fn the_forecast_matches_an_actual_join() {
        let mut sim = cluster("ring", 5, 40, 500);
        let forecast = sim.forecast();
        sim.join();
        assert_eq!(forecast.ring, moved_fraction(&sim));
        assert!(forecast.mod_n > 0.7);
    }

    #[test]
    fn more_virtual_nodes_even_out_the_shares() {
        let spread = |v| {
            let sim = cluster("ring", 8, v, 4000);
            let max = sim.nodes().iter().map(|n| n.keys).max().unwrap() as f64;
            max / (4000.0 / 8.0)
        };
        assert!(spread(200) < spread(1));
    }

    #[test]
    fn scheduled_churn_joins_then_leaves() {
        let mut sim = ConsistentHashSim::new(1);
        for _ in 0..20 {
            sim.step();
        }
        assert_eq!(sim.nodes().len(), 5);
        assert_eq!(sim.last_change().map(|c| c.kind), Some(ChangeKind::Join));
        for _ in 0..20 {
            sim.step();
        }
        assert_eq!(sim.nodes().len(), 4);
        assert_eq!(sim.last_change().map(|c| c.kind), Some(ChangeKind::Leave));
    }

    #[test]
    fn the_cluster_never_grows_past_16_or_shrinks_below_1() {
        let mut sim = cluster("ring", 16, 5, 50);
        assert!(!sim.join());
        let mut sim = cluster("mod-n", 1, 5, 50);
        assert!(!sim.leave());
        assert!(sim.act('x'));
        assert_eq!(sim.nodes().len(), 1);
    }

    proptest! {
        // Each case places thousands of keys on rings of up to 16 x 300 points.
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn a_ring_join_moves_keys_only_to_the_new_node(n in 1i64..15, vnodes in 100i64..300, keys in 1000i64..3000) {
            let mut sim = cluster("ring", n, vnodes, keys);
            let before = sim.owners().to_vec();
            sim.join();
            let newcomer = sim.nodes().last().unwrap().letter;
            for (i, (old, new)) in before.iter().zip(sim.owners()).enumerate() {
                prop_assert!(old == new || *new == newcomer, "key {} moved {} -> {}", i, old, new);
                prop_assert_eq!(sim.moved()[i], old != new);
            }
            let expected = 1.0 / (n as f64 + 1.0);
            let fraction = moved_fraction(&sim);
            prop_assert!(fraction > 0.35 * expected && fraction < 1.8 * expected, "{} vs {}", fraction, expected);
        }

        #[test]
        fn a_ring_leave_moves_exactly_the_leaving_nodes_keys(n in 2i64..16, vnodes in 1i64..200, keys in 1i64..2000) {
            let mut sim = cluster("ring", n, vnodes, keys);
            let before = sim.owners().to_vec();
            let leaving = sim.nodes().last().unwrap().letter;
            sim.leave();
            for (old, new) in before.iter().zip(sim.owners()) {
                prop_assert_eq!(old != new, *old == leaving);
            }
        }

        #[test]
        fn mod_n_join_moves_about_n_over_n_plus_1(n in 1i64..16, keys in 1000i64..4000) {
            let mut sim = cluster("mod-n", n, 1, keys);
            sim.join();
            let expected = n as f64 / (n as f64 + 1.0);
            prop_assert!((moved_fraction(&sim) - expected).abs() < 0.08);
        }

        #[test]
        fn every_key_lives_on_a_current_node(
            seed: u64,
            actions in prop::collection::vec(prop::sample::select(vec!['a', 'x', 'm', 'v', 'c']), 0..20),
        ) {
            let mut sim = ConsistentHashSim::new(seed);
            sim.set("keys", &ParamValue::Int(300)).unwrap();
            for key in actions {
                prop_assert!(sim.act(key));
                sim.step();
                let letters: Vec<char> = sim.nodes().iter().map(|n| n.letter).collect();
                prop_assert!(sim.owners().iter().all(|o| letters.contains(o)));
                prop_assert_eq!(sim.nodes().iter().map(|n| n.keys).sum::<usize>(), 300);
            }
        }

        #[test]
        fn the_same_seed_replays_exactly(seed: u64) {
            let mut a = ConsistentHashSim::new(seed);
            let mut b = ConsistentHashSim::new(seed);
            for _ in 0..70 {
                a.step();
                b.step();
            }
            prop_assert_eq!(a.summary(), b.summary());
        }
    }
}
