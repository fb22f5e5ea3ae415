//! Properties of the design engine on random designs: counts add up, ratios stay in range,
//! and a run replays exactly from its seed.

use proptest::prelude::*;
use sysdesign::design;
use sysdesign::sim::design::{RunConfig, run};

/// The knobs a property varies.
#[derive(Debug, Clone)]
struct Knobs {
    rps: f64,
    instances: u32,
    concurrency: u32,
    service_ms: f64,
    queue_limit: u32,
    capacity: u32,
    read_ratio: f64,
    strategy: &'static str,
    timeout_ms: f64,
}

fn source(k: &Knobs) -> String {
    let Knobs {
        rps,
        instances,
        concurrency,
        service_ms,
        queue_limit,
        capacity,
        read_ratio,
        strategy,
        timeout_ms,
    } = k.clone();
    format!(
        r#"
        [workload]
        rps = {rps}
        target = "lb"
        read_ratio = {read_ratio}
        keys = 2000
        zipf_s = 0.9

        [[component]]
        name = "lb"
        kind = "lb"
        strategy = "{strategy}"
        health_check_s = 1
        calls = ["api"]

        [[component]]
        name = "api"
        kind = "service"
        instances = {instances}
        concurrency = {concurrency}
        service_ms = {service_ms}
        queue_limit = {queue_limit}
        timeout_ms = {timeout_ms}
        retries = 1
        zones = ["a", "b"]
        calls = ["cache"]

        [[component]]
        name = "cache"
        kind = "cache"
        capacity = {capacity}
        ttl_s = 2
        calls = ["db"]

        [[component]]
        name = "db"
        kind = "database"
        replicas = 1
        concurrency = 4
        read_ms = 3
        write_ms = 6
        failover_s = 1
        zones = ["a", "b"]

        [[failure]]
        kind = "zone-outage"
        at_s = 2
        duration_s = 2
        "#
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn counts_add_up_and_ratios_stay_in_range(
        rps in 10.0f64..2000.0,
        instances in 1u32..6,
        concurrency in 1u32..16,
        service_ms in 0.1f64..20.0,
        queue_limit in 0u32..50,
        capacity in 1u32..3000,
        read_ratio in 0.0f64..=1.0,
        strategy in prop::sample::select(sysdesign::sim::balancers::STRATEGIES),
        timeout_ms in 1.0f64..200.0,
        seed in any::<u64>(),
    ) {
        let src = source(&Knobs {
            rps,
            instances,
            concurrency,
            service_ms,
            queue_limit,
            capacity,
            read_ratio,
            strategy,
            timeout_ms,
        });
        let d = design::parse("p.toml", &src).map_err(|e| TestCaseError::fail(e[0].render()))?;
        let cfg = RunConfig { seed, duration_s: 6.0 };
        let r = run(&d, cfg);
        prop_assert_eq!(&r, &run(&d, cfg), "a run replays from its seed");
        let m = &r.metrics;
        prop_assert!(m.errors <= m.requests);
        prop_assert!((0.0..=1.0).contains(&m.error_rate));
        prop_assert!((0.0..=1.0).contains(&m.availability));
        if let (Some(p50), Some(p99)) = (m.p50_ms, m.p99_ms) {
            prop_assert!(p50 <= p99 && p50 > 0.0);
        }
        for c in &r.components {
            if let Some(u) = c.utilization {
                prop_assert!((0.0..=1.0 + 1e-9).contains(&u), "{} utilization {}", c.name, u);
            }
            if let Some(h) = c.hit_ratio {
                prop_assert!((0.0..=1.0).contains(&h));
            }
            prop_assert!(c.mean_in_system >= 0.0);
            prop_assert!(c.mean_wait_ms.is_none_or(|w| w >= 0.0));
        }
        // Every request the clients counted was answered by the entry, except those still in
        // flight past the client's timeout at the end, which count as errors.
        let answered = r.components[0].served + r.components[0].errors;
        prop_assert!(answered <= m.requests && answered + m.errors >= m.requests);
    }
}
