//! Invariants of the load-balancer, ttl-cache and saga engines, under random settings and
//! random fault injection.

use proptest::prelude::*;
use sysdesign::sim::balancers::{IpHash, STRATEGIES};
use sysdesign::sim::contract::{
    Backend, Balancer, MAX_ATTEMPTS, SagaOrchestrator, SagaOutcome, SagaStep, StepKind, TtlCache,
};
use sysdesign::sim::load_balancer::LoadBalancerSim;
use sysdesign::sim::lru_ttl_cache::LruTtlCache;
use sysdesign::sim::saga::{Progress, SagaSim};
use sysdesign::sim::saga_choreography;
use sysdesign::sim::saga_orchestrator::SequentialOrchestrator;
use sysdesign::sim::saga_participants::{CallKind, Faults, ScriptedParticipants};
use sysdesign::sim::saga_steps::ORDER_SAGA;
use sysdesign::sim::ttl_cache::{POLICIES, TtlCacheSim};
use sysdesign::sim::{ParamValue, Simulation};

fn int(v: i64) -> ParamValue {
    ParamValue::Int(v)
}

fn choice(s: &str) -> ParamValue {
    ParamValue::Choice(s.to_string())
}

// ---------------------------------------------------------------- load balancer

#[derive(Debug, Clone)]
enum LbOp {
    Step(u8),
    Key(char),
    Servers(i64),
    QueueLimit(i64),
}

fn lb_op() -> impl Strategy<Value = LbOp> {
    prop_oneof![
        4 => (1u8..20).prop_map(LbOp::Step),
        4 => prop::sample::select(vec!['1', '2', '3', '7', 'a', 'x', 'v', 'w', 's']).prop_map(LbOp::Key),
        1 => (1i64..=12).prop_map(LbOp::Servers),
        1 => (1i64..=80).prop_map(LbOp::QueueLimit),
    ]
}

fn assert_conserved(sim: &LoadBalancerSim) -> Result<(), TestCaseError> {
    let t = sim.totals();
    prop_assert_eq!(
        t.sent,
        t.served + t.queued + t.failed_down + t.failed_full + t.failed_unrouted,
        "{:?}",
        t
    );
    let queued: u64 = sim.servers().map(|s| s.queued as u64).sum();
    prop_assert_eq!(queued, t.queued);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every request sent is served, still queued, or failed, whatever faults are injected.
    #[test]
    fn lb_requests_are_conserved(
        seed in any::<u64>(),
        servers in 1i64..=12,
        strategy in prop::sample::select(STRATEGIES.to_vec()),
        rate in 1i64..=3000,
        health_interval in 1i64..=20,
        ops in prop::collection::vec(lb_op(), 1..40),
    ) {
        let mut sim = LoadBalancerSim::new(seed);
        sim.set("servers", &int(servers)).unwrap();
        sim.set("strategy", &choice(strategy)).unwrap();
        sim.set("rate", &int(rate)).unwrap();
        sim.set("health_interval", &int(health_interval)).unwrap();
        for op in ops {
            match op {
                LbOp::Step(n) => {
                    for _ in 0..n {
                        sim.step();
                    }
                }
                LbOp::Key(k) => prop_assert!(sim.act(k)),
                LbOp::Servers(n) => sim.set("servers", &int(n)).unwrap(),
                LbOp::QueueLimit(n) => sim.set("queue_limit", &int(n)).unwrap(),
            }
            assert_conserved(&sim)?;
        }
    }

    /// Round-robin over equal, healthy servers: routed counts differ by at most one.
    #[test]
    fn lb_round_robin_is_even_over_equal_servers(
        seed in any::<u64>(),
        servers in 1i64..=12,
        rate in 1i64..=3000,
        ticks in 1u64..200,
    ) {
        let mut sim = LoadBalancerSim::new(seed);
        sim.set("servers", &int(servers)).unwrap();
        sim.set("slow_server", &int(0)).unwrap();
        sim.set("rate", &int(rate)).unwrap();
        for _ in 0..ticks {
            sim.step();
        }
        let routed: Vec<u64> = sim.servers().map(|s| s.routed).collect();
        let (min, max) = (routed.iter().min().unwrap(), routed.iter().max().unwrap());
        prop_assert!(max - min <= 1, "{:?}", routed);
    }

    /// ip-hash keeps every client on one server while the pool is unchanged.
    #[test]
    fn lb_ip_hash_is_sticky(
        seed in any::<u64>(),
        servers in 1i64..=12,
        clients in 1i64..=500,
        ticks in 1u64..150,
        slow in any::<bool>(),
    ) {
        let mut sim = LoadBalancerSim::new(seed);
        sim.set("servers", &int(servers)).unwrap();
        sim.set("clients", &int(clients)).unwrap();
        sim.set("strategy", &choice("ip-hash")).unwrap();
        if slow {
            sim.act('w');
        }
        for _ in 0..ticks {
            sim.step();
        }
        prop_assert_eq!(sim.totals().client_moves, 0);
    }

    /// The same client on the same healthy set gets the same backend, whatever the load.
    #[test]
    fn ip_hash_ignores_load(
        healthy in prop::collection::vec(any::<bool>(), 1..12),
        loads in prop::collection::vec(0u32..50, 12),
        client in any::<u32>(),
    ) {
        let pool = |active: &dyn Fn(usize) -> u32| -> Vec<Backend> {
            healthy.iter().enumerate().map(|(i, &h)| Backend {
                name: format!("s{i}"),
                healthy: h,
                weight: 1,
                active: active(i),
            }).collect()
        };
        let idle = pool(&|_| 0);
        let busy = pool(&|i| loads[i]);
        let first = IpHash.pick(client, &idle);
        prop_assert_eq!(first, IpHash.pick(client, &busy));
        prop_assert_eq!(first.is_some(), healthy.iter().any(|&h| h));
        if let Some(i) = first {
            prop_assert!(healthy[i]);
        }
    }
}

// ---------------------------------------------------------------- ttl cache

/// A second, obviously correct TTL cache: a list scanned in full on every operation.
#[derive(Default)]
struct ModelCache {
    capacity: usize,
    /// (key, value, expires_at, last_used)
    entries: Vec<(String, String, Option<u64>, u64)>,
    clock: u64,
}

impl ModelCache {
    fn live(e: &(String, String, Option<u64>, u64), now: u64) -> bool {
        e.2.is_none_or(|at| now < at)
    }

    fn find(&mut self, key: &str, now: u64) -> Option<usize> {
        self.entries.retain(|e| e.0 != key || Self::live(e, now));
        self.entries.iter().position(|e| e.0 == key)
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }
}

impl TtlCache for ModelCache {
    fn get(&mut self, key: &str, now: u64) -> Option<String> {
        let i = self.find(key, now)?;
        self.entries[i].3 = self.tick();
        Some(self.entries[i].1.clone())
    }

    fn set(&mut self, key: &str, value: &str, ttl: Option<u64>, now: u64) -> Option<String> {
        let stamp = self.tick();
        let existing = self.entries.iter().position(|e| e.0 == key);
        if ttl == Some(0) {
            if let Some(i) = existing {
                self.entries.remove(i);
            }
            return None;
        }
        let expires = ttl.map(|t| now + t);
        if let Some(i) = existing {
            self.entries[i] = (key.into(), value.into(), expires, stamp);
            return None;
        }
        let mut evicted = None;
        if self.entries.len() >= self.capacity {
            self.entries.retain(|e| Self::live(e, now));
        }
        if self.entries.len() >= self.capacity {
            let lru = (0..self.entries.len())
                .min_by_key(|&i| self.entries[i].3)
                .unwrap();
            evicted = Some(self.entries.remove(lru).0);
        }
        self.entries
            .push((key.into(), value.into(), expires, stamp));
        evicted
    }

    fn del(&mut self, key: &str, now: u64) -> bool {
        let was_live = self.find(key, now).is_some();
        self.entries.retain(|e| e.0 != key);
        was_live
    }

    fn ttl(&mut self, key: &str, now: u64) -> i64 {
        match self.find(key, now).map(|i| self.entries[i].2) {
            None => -2,
            Some(None) => -1,
            Some(Some(at)) => (at - now) as i64,
        }
    }

    fn len(&mut self, now: u64) -> usize {
        self.entries.iter().filter(|e| Self::live(e, now)).count()
    }
}

#[derive(Debug, Clone)]
enum CacheOp {
    Get(u8),
    Set(u8, Option<u64>),
    Del(u8),
    Ttl(u8),
    Len,
    Advance(u64),
}

fn cache_op() -> impl Strategy<Value = CacheOp> {
    let key = 0u8..8;
    prop_oneof![
        3 => key.clone().prop_map(CacheOp::Get),
        3 => (key.clone(), prop::option::of(0u64..12)).prop_map(|(k, t)| CacheOp::Set(k, t)),
        1 => key.clone().prop_map(CacheOp::Del),
        2 => key.prop_map(CacheOp::Ttl),
        1 => Just(CacheOp::Len),
        3 => (0u64..8).prop_map(CacheOp::Advance),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The reference cache answers every operation as the model does: a key set at `t` with
    /// TTL `d` is readable while `now < t + d` and expired exactly when `now >= t + d`, and a
    /// full cache evicts its least recently used live key.
    #[test]
    fn lru_ttl_cache_matches_the_model(
        capacity in 1usize..6,
        ops in prop::collection::vec(cache_op(), 1..120),
    ) {
        let mut cache = LruTtlCache::new(capacity);
        let mut model = ModelCache { capacity, ..ModelCache::default() };
        let mut now = 0u64;
        for (n, op) in ops.into_iter().enumerate() {
            let value = format!("v{n}");
            match op {
                CacheOp::Get(k) => {
                    let key = format!("k{k}");
                    prop_assert_eq!(cache.get(&key, now), model.get(&key, now), "GET {} at {}", key, now);
                }
                CacheOp::Set(k, ttl) => {
                    let key = format!("k{k}");
                    prop_assert_eq!(
                        cache.set(&key, &value, ttl, now),
                        model.set(&key, &value, ttl, now),
                        "SET {} {:?} at {}", key, ttl, now
                    );
                }
                CacheOp::Del(k) => {
                    let key = format!("k{k}");
                    prop_assert_eq!(cache.del(&key, now), model.del(&key, now));
                }
                CacheOp::Ttl(k) => {
                    let key = format!("k{k}");
                    prop_assert_eq!(cache.ttl(&key, now), model.ttl(&key, now), "TTL {} at {}", key, now);
                }
                CacheOp::Len => prop_assert_eq!(cache.len(now), model.len(now)),
                CacheOp::Advance(d) => now += d,
            }
            prop_assert!(cache.len(now) <= capacity);
        }
    }

    /// Set at `at` with TTL `ttl`, a key is there at `at + ttl - 1` and gone at `at + ttl`.
    #[test]
    fn a_ttl_expires_exactly_at_the_deadline(at in 0u64..1_000_000, ttl in 1u64..10_000) {
        let mut cache = LruTtlCache::new(1);
        cache.set("k", "v", Some(ttl), at);
        let deadline = at + ttl;
        prop_assert_eq!(cache.ttl("k", deadline - 1), 1);
        prop_assert_eq!(cache.get("k", deadline - 1), Some("v".to_string()));
        prop_assert_eq!(cache.get("k", deadline), None);
        prop_assert_eq!(cache.ttl("k", deadline), -2);
    }

    /// Whatever the settings and writes, counters add up and the cache never exceeds its
    /// capacity; write-through and invalidation never serve a stale value.
    #[test]
    fn ttl_cache_engine_invariants(
        seed in any::<u64>(),
        policy in prop::sample::select(POLICIES.to_vec()),
        ttl in 1i64..40,
        capacity in 1i64..12,
        keys in 1i64..16,
        reads in 0i64..8,
        write_chance in 0i64..=100,
        ops in prop::collection::vec((1u8..10, prop::sample::select(vec!['u', 'f', ' '])), 1..20),
    ) {
        let mut sim = TtlCacheSim::new(seed);
        for (k, v) in [("ttl", ttl), ("capacity", capacity), ("keys", keys), ("reads", reads), ("write_chance", write_chance)] {
            sim.set(k, &int(v)).unwrap();
        }
        sim.set("policy", &choice(policy)).unwrap();
        for (steps, key) in ops {
            for _ in 0..steps {
                sim.step();
                let t = sim.totals();
                prop_assert_eq!(t.hits + t.misses, t.gets);
                prop_assert!(sim.cached_keys() <= capacity as usize);
                prop_assert!(sim.keys().iter().all(|k| k.ttl_left <= ttl));
            }
            if key != ' ' {
                prop_assert!(sim.act(key));
            }
        }
        if policy != "ttl-only" {
            prop_assert_eq!(sim.totals().stale_reads, 0);
            prop_assert_eq!(sim.totals().max_stale_ticks, 0);
        }
    }
}

// ---------------------------------------------------------------- saga

/// A well-formed saga: compensatable and read-only steps, then maybe a pivot, then
/// retriable steps.
fn saga_steps() -> impl Strategy<Value = Vec<StepKind>> {
    (
        prop::collection::vec(
            prop::sample::select(vec![StepKind::Compensatable, StepKind::ReadOnly]),
            0..6,
        ),
        any::<bool>(),
        0usize..3,
    )
        .prop_map(|(mut before, pivot, after)| {
            if pivot {
                before.push(StepKind::Pivot);
            }
            before.extend(std::iter::repeat_n(StepKind::Retriable, after));
            before
        })
        .prop_filter("at least one step", |s| !s.is_empty())
}

fn named(kinds: &[StepKind]) -> Vec<SagaStep> {
    kinds
        .iter()
        .enumerate()
        .map(|(i, &kind)| SagaStep {
            name: format!("s{i}"),
            kind,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// When a step fails before the pivot has succeeded, exactly the completed compensatable
    /// steps are compensated, newest first; nothing after the pivot is ever compensated.
    #[test]
    fn saga_compensates_completed_compensatable_steps_in_reverse(
        kinds in saga_steps(),
        fail in any::<prop::sample::Index>(),
        failures in 1u32..5,
    ) {
        let fail_step = fail.index(kinds.len());
        let faults = Faults { fail_step: Some(fail_step), fail_compensation: None, failures };
        let mut participants = ScriptedParticipants::new(&kinds, faults);
        let outcome = SequentialOrchestrator.run(&named(&kinds), &mut participants);
        let compensated: Vec<usize> = participants
            .calls()
            .iter()
            .filter(|c| c.kind == CallKind::Compensate)
            .map(|c| c.step)
            .collect();
        let pivot_before = kinds[..fail_step].contains(&StepKind::Pivot);
        let transient = kinds[fail_step] == StepKind::Retriable && failures < MAX_ATTEMPTS;
        if transient {
            prop_assert_eq!(outcome, SagaOutcome::Completed);
            prop_assert!(compensated.is_empty());
        } else if pivot_before {
            let stuck = matches!(outcome, SagaOutcome::Stuck { step, .. } if step == fail_step);
            prop_assert!(stuck);
            prop_assert!(compensated.is_empty());
        } else {
            prop_assert_eq!(outcome, SagaOutcome::Compensated { failed_step: fail_step });
            let expected: Vec<usize> = (0..fail_step)
                .rev()
                .filter(|&i| kinds[i] == StepKind::Compensatable)
                .collect();
            prop_assert_eq!(compensated, expected);
        }
    }

    /// Choreography makes the same calls with the same results as the orchestrator.
    #[test]
    fn choreography_makes_the_orchestrators_calls(
        fail_at in 0usize..=6,
        fail_compensation in prop::sample::select(vec![0usize, 1, 3, 4]),
        failures in 1u32..5,
    ) {
        let kinds: Vec<StepKind> = ORDER_SAGA.iter().map(|s| s.kind).collect();
        let faults = Faults {
            fail_step: fail_at.checked_sub(1),
            fail_compensation: fail_compensation.checked_sub(1),
            failures,
        };
        let mut orchestrated = ScriptedParticipants::new(&kinds, faults);
        let a = SequentialOrchestrator.run(&named(&kinds), &mut orchestrated);
        let mut choreographed = ScriptedParticipants::new(&kinds, faults);
        let b = saga_choreography::run(&ORDER_SAGA, &mut choreographed);
        let key = |p: &ScriptedParticipants| -> Vec<(usize, CallKind, bool)> {
            p.calls().iter().map(|c| (c.step, c.kind, c.result.is_ok())).collect()
        };
        prop_assert_eq!(key(&orchestrated), key(&choreographed));
        prop_assert_eq!(std::mem::discriminant(&a), std::mem::discriminant(&b));
    }

    /// In the running simulation, a finished saga's compensation numbers follow the steps
    /// backwards, and only completed compensatable steps have one.
    #[test]
    fn saga_engine_numbers_compensations_in_reverse(
        seed in any::<u64>(),
        mode in prop::sample::select(vec!["orchestration", "choreography"]),
        fail_at in 0i64..=6,
        fail_compensation in prop::sample::select(vec![0i64, 1, 3, 4]),
        failures in 1i64..=5,
        ticks in 1u64..120,
    ) {
        let mut sim = SagaSim::new(seed);
        sim.set("mode", &choice(mode)).unwrap();
        sim.set("fail_at", &int(fail_at)).unwrap();
        sim.set("fail_compensation", &int(fail_compensation)).unwrap();
        sim.set("failures", &int(failures)).unwrap();
        for _ in 0..ticks {
            sim.step();
            let t = sim.totals();
            prop_assert!(t.completed + t.compensated + t.stuck <= t.started);
            prop_assert!(t.started <= t.completed + t.compensated + t.stuck + 1);
        }
        let ranked: Vec<(usize, u32)> = sim
            .steps()
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.compensation_rank.map(|r| (i, r)))
            .collect();
        for pair in ranked.windows(2) {
            prop_assert!(pair[0].1 > pair[1].1, "{:?}", ranked);
        }
        for (i, _) in &ranked {
            let step = &sim.steps()[*i];
            prop_assert_eq!(step.def.kind, StepKind::Compensatable);
            let succeeded = matches!(step.forward, Progress::Succeeded { .. });
            prop_assert!(succeeded, "{:?}", step.forward);
        }
    }
}
