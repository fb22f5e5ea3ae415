//! The reference load-balancing strategies. Each implements `contract::Balancer`, the same trait
//! a student implements, so the simulation can swap one for the other.
//!
//! They never allocate per pick, and they cope with the backend list changing size between
//! picks, because the simulation can add or remove servers while it runs.

use super::contract::{Backend, Balancer};

/// The strategy names accepted by `strategy=` and by [`by_name`], in the order `s` cycles them.
pub const STRATEGIES: &[&str] = &[
    "round-robin",
    "weighted-round-robin",
    "least-connections",
    "weighted-least-connections",
    "ip-hash",
];

/// A fresh reference balancer for one of [`STRATEGIES`].
pub fn by_name(name: &str) -> Option<Box<dyn Balancer + Send>> {
    Some(match name {
        "round-robin" => Box::new(RoundRobin::default()),
        "weighted-round-robin" => Box::new(WeightedRoundRobin::default()),
        "least-connections" => Box::new(LeastConnections::new(false)),
        "weighted-least-connections" => Box::new(LeastConnections::new(true)),
        "ip-hash" => Box::new(IpHash),
        _ => return None,
    })
}

/// Every index of a pool of `n`, from `start` (modulo `n`) round to just before it: the order
/// the round-robin scans go in. It wraps by comparison: one division per pick, not one per
/// backend, since the design lab picks once per request.
pub(crate) fn scan_order(start: usize, n: usize) -> impl Iterator<Item = usize> {
    let mut i = start.checked_rem(n).unwrap_or(0);
    (0..n).map(move |_| {
        let at = i;
        i = if i + 1 == n { 0 } else { i + 1 };
        at
    })
}

/// Each healthy backend in turn.
#[derive(Debug, Default, Clone)]
pub struct RoundRobin {
    next: usize,
}

impl Balancer for RoundRobin {
    fn pick(&mut self, _client: u32, backends: &[Backend]) -> Option<usize> {
        let picked = scan_order(self.next, backends.len()).find(|&i| backends[i].healthy)?;
        self.next = picked + 1;
        Some(picked)
    }
}

/// Smooth weighted round-robin, as nginx does it: every pick, each healthy backend earns its
/// weight in credit, the richest wins and pays back the total. A backend of weight 3 next to
/// one of weight 1 is picked A A B A, interleaved rather than in bursts of three.
#[derive(Debug, Default, Clone)]
pub struct WeightedRoundRobin {
    credit: Vec<i64>,
}

impl Balancer for WeightedRoundRobin {
    fn pick(&mut self, _client: u32, backends: &[Backend]) -> Option<usize> {
        if self.credit.len() != backends.len() {
            // The pool changed shape: old credit belongs to other positions, so start fair.
            self.credit.clear();
            self.credit.resize(backends.len(), 0);
        }
        let mut total = 0i64;
        let mut best: Option<usize> = None;
        for (i, backend) in backends.iter().enumerate() {
            if !backend.healthy {
                // A backend out of rotation must not hoard credit and then win a burst of
                // picks when it comes back.
                self.credit[i] = 0;
                continue;
            }
            let weight = i64::from(backend.weight.max(1));
            self.credit[i] += weight;
            total += weight;
            if best.is_none_or(|b| self.credit[i] > self.credit[b]) {
                best = Some(i);
            }
        }
        let best = best?;
        self.credit[best] -= total;
        Some(best)
    }
}

/// The healthy backend with the fewest requests in flight; with `weighted`, the fewest in flight
/// per unit of weight. Ties go round-robin: the scan starts after the last pick, so equal
/// backends take turns instead of the first one taking every tie.
#[derive(Debug, Clone)]
pub struct LeastConnections {
    next: usize,
    weighted: bool,
}

impl LeastConnections {
    pub fn new(weighted: bool) -> Self {
        LeastConnections { next: 0, weighted }
    }

    /// True when `a` is strictly less loaded than `b`.
    fn lighter(&self, a: &Backend, b: &Backend) -> bool {
        if self.weighted {
            // active_a / weight_a < active_b / weight_b, without division or floats.
            u64::from(a.active) * u64::from(b.weight.max(1))
                < u64::from(b.active) * u64::from(a.weight.max(1))
        } else {
            a.active < b.active
        }
    }
}

impl Balancer for LeastConnections {
    fn pick(&mut self, _client: u32, backends: &[Backend]) -> Option<usize> {
        let mut best: Option<usize> = None;
        for i in scan_order(self.next, backends.len()) {
            if backends[i].healthy && best.is_none_or(|b| self.lighter(&backends[i], &backends[b]))
            {
                best = Some(i);
            }
        }
        let best = best?;
        self.next = best + 1;
        Some(best)
    }
}

/// Hash the client's address onto the healthy backends: the same client lands on the same
/// backend while the pool is unchanged. Taking the hash modulo the number of *healthy*
/// backends is what makes clients reshuffle when one dies: most of them move, not only the
/// dead backend's clients. (A hash ring would move only those; see `consistent-hash`.)
#[derive(Debug, Default, Clone, Copy)]
pub struct IpHash;

/// A fixed 32-bit mixer (the murmur3 finalizer), so picks are the same on every run and
/// platform, and neighbouring addresses spread out.
pub fn hash_client(client: u32) -> u32 {
    let mut h = client;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

impl Balancer for IpHash {
    fn pick(&mut self, client: u32, backends: &[Backend]) -> Option<usize> {
        let healthy = backends.iter().filter(|b| b.healthy).count();
        if healthy == 0 {
            return None;
        }
        let nth = hash_client(client) as usize % healthy;
        backends
            .iter()
            .enumerate()
            .filter(|(_, b)| b.healthy)
            .nth(nth)
            .map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(spec: &[(bool, u32, u32)]) -> Vec<Backend> {
        spec.iter()
            .enumerate()
            .map(|(i, &(healthy, weight, active))| Backend {
                name: format!("s{}", i + 1),
                healthy,
                weight,
                active,
            })
            .collect()
    }

    fn picks(b: &mut dyn Balancer, backends: &[Backend], n: usize) -> Vec<Option<usize>> {
        (0..n).map(|c| b.pick(c as u32, backends)).collect()
    }

    #[test]
    fn scan_order_visits_every_index_once_from_the_start() {
        let order: Vec<usize> = scan_order(6, 4).collect();
        assert_eq!(order, vec![2, 3, 0, 1]);
        assert_eq!(scan_order(0, 3).collect::<Vec<_>>(), vec![0, 1, 2]);
        assert_eq!(scan_order(5, 0).count(), 0);
    }

    #[test]
    fn round_robin_skips_unhealthy_backends() {
        let backends = pool(&[(true, 1, 0), (false, 1, 0), (true, 1, 0)]);
        let got = picks(&mut RoundRobin::default(), &backends, 4);
        assert_eq!(got, vec![Some(0), Some(2), Some(0), Some(2)]);
    }

    #[test]
    fn every_strategy_returns_none_without_a_healthy_backend() {
        let backends = pool(&[(false, 1, 0), (false, 2, 0)]);
        for name in STRATEGIES {
            let mut b = by_name(name).unwrap();
            assert_eq!(b.pick(7, &backends), None, "{name}");
            assert_eq!(b.pick(7, &[]), None, "{name} on an empty pool");
        }
    }

    #[test]
    fn weighted_round_robin_interleaves_by_weight() {
        let backends = pool(&[(true, 3, 0), (true, 1, 0)]);
        let got = picks(&mut WeightedRoundRobin::default(), &backends, 8);
        let got: Vec<usize> = got.into_iter().map(Option::unwrap).collect();
        assert_eq!(got, vec![0, 0, 1, 0, 0, 0, 1, 0]);
    }

    #[test]
    fn least_connections_breaks_ties_round_robin() {
        let backends = pool(&[(true, 1, 2), (true, 1, 1), (true, 1, 1), (true, 1, 1)]);
        let got = picks(&mut LeastConnections::new(false), &backends, 4);
        assert_eq!(got, vec![Some(1), Some(2), Some(3), Some(1)]);
    }

    #[test]
    fn weighted_least_connections_divides_by_weight() {
        // 4 in flight on weight 4 is lighter than 2 in flight on weight 1.
        let backends = pool(&[(true, 1, 2), (true, 4, 4)]);
        assert_eq!(
            LeastConnections::new(true).pick(0, &backends),
            Some(1),
            "weighted"
        );
        assert_eq!(
            LeastConnections::new(false).pick(0, &backends),
            Some(0),
            "unweighted"
        );
    }

    #[test]
    fn ip_hash_moves_clients_when_the_pool_shrinks() {
        let all = pool(&[(true, 1, 0); 4]);
        let mut one_down = all.clone();
        one_down[3].healthy = false;
        let moved = (0..1000u32)
            .filter(|&c| {
                let before = IpHash.pick(c, &all).unwrap();
                let after = IpHash.pick(c, &one_down).unwrap();
                before != 3 && before != after
            })
            .count();
        assert!(
            moved > 300,
            "mod-N hashing should move many clients that were not on the dead backend, moved {moved}"
        );
    }

    #[test]
    fn backends_may_change_size_between_picks() {
        for name in STRATEGIES {
            let mut b = by_name(name).unwrap();
            for n in [5usize, 2, 7, 1, 3] {
                let backends = pool(&vec![(true, 2, 0); n]);
                let got = b.pick(9, &backends).unwrap();
                assert!(got < n, "{name} picked {got} of {n}");
            }
        }
    }
}
