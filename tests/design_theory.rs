//! The design engine against queueing theory: an engine that teaches wrong numbers is worse
//! than none. The closed forms are computed here, in the test, from first principles.
//!
//! Sampling error is controlled with independent replications: each case runs several seeds,
//! and the test asserts that the standard error of the mean is at most a third of the
//! tolerance before it compares the mean with theory, so a pass is not luck.

#[path = "support/replications.rs"]
mod replications;

use replications::{design, mean_se, runs};
use sysdesign::design::Design;
use sysdesign::sim::design::{Report, RunConfig, run};

/// One run per seed, `customers` arrivals expected each.
fn replications(d: &Design, seeds: std::ops::Range<u64>, customers: f64) -> Vec<Report> {
    runs(d, seeds, customers / d.workload.rps)
}

/// Erlang C: the probability that an arrival waits, for `c` servers and offered load `a`.
fn erlang_c(c: u32, a: f64) -> f64 {
    let rho = a / f64::from(c);
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c {
        if k > 0 {
            term *= a / f64::from(k);
        }
        sum += term;
    }
    let last = term * a / f64::from(c) / (1.0 - rho); // a^c / c! / (1 - rho)
    last / (sum + last)
}

fn mmc(c: u32, rho: f64, dist: &str) -> Design {
    // 10 ms mean service: μ = 100/s per server.
    let rps = rho * f64::from(c) * 100.0;
    design(&format!(
        r#"
        [workload]
        rps = {rps}
        target = "svc"

        [[component]]
        name = "svc"
        kind = "service"
        concurrency = {c}
        service_ms = 10
        service_time = "{dist}"
        queue_limit = 10000000
        "#
    ))
}

#[test]
fn mmc_mean_wait_matches_erlang_c_within_3_percent() {
    // (servers, utilization, customers per replication). Near ρ = 0.9 successive waits are
    // strongly correlated, so those cases run longest: 8 × 700k = 5.6 M customers at ρ = 0.9.
    let cases = [
        (1, 0.5, 100_000.0),
        (1, 0.9, 700_000.0),
        (2, 0.85, 400_000.0),
        (4, 0.8, 400_000.0),
    ];
    for (c, rho, customers) in cases {
        let d = mmc(c, rho, "exponential");
        let lambda = d.workload.rps;
        let a = lambda / 100.0;
        let wq_ms = erlang_c(c, a) / (f64::from(c) * 100.0 - lambda) * 1000.0;
        let waits: Vec<f64> = replications(&d, 1..9, customers)
            .iter()
            .map(|r| r.components[0].mean_wait_ms.unwrap())
            .collect();
        let (mean, se) = mean_se(&waits);

        assert!(
            se / wq_ms < 0.01,
            "c={c} ρ={rho}: standard error {:.2}% too large to test 3%; run longer",
            se / wq_ms * 100.0
        );
        let err = (mean - wq_ms).abs() / wq_ms;
        assert!(
            err < 0.03,
            "c={c} ρ={rho}: simulated Wq {mean:.3} ms, Erlang C {wq_ms:.3} ms ({:.2}% off)",
            err * 100.0
        );
    }
}

#[test]
fn md1_mean_wait_matches_pollaczek_khinchine() {
    // Constant service halves the M/M/1 wait: Wq = ρ / (2μ(1 − ρ)).
    let rho = 0.8;
    let d = mmc(1, rho, "constant");
    let wq_ms = rho / (2.0 * 100.0 * (1.0 - rho)) * 1000.0;
    let waits: Vec<f64> = replications(&d, 1..9, 150_000.0)
        .iter()
        .map(|r| r.components[0].mean_wait_ms.unwrap())
        .collect();
    let (mean, se) = mean_se(&waits);
    assert!(se / wq_ms < 0.01, "standard error {se}");
    assert!(
        (mean - wq_ms).abs() / wq_ms < 0.03,
        "M/D/1 Wq {mean:.3} ms, Pollaczek–Khinchine {wq_ms:.3} ms"
    );
}

#[test]
fn littles_law_holds_for_every_component() {
    // Every kind of component, with retries, timeouts, a queue and a rate limiter, so that
    // L (a time average of the count) and λ·W (from per-call sojourns) are measured by
    // different code paths. 60 s at 3000 r/s is 180k requests.
    let d = design(
        r#"
        [workload]
        rps = 3000
        target = "edge"
        read_ratio = 0.8
        keys = 50000
        zipf_s = 0.9
        abuser_rps = 500

        [[component]]
        name = "edge"
        kind = "cdn"
        capacity = 500
        calls = ["limit"]

        [[component]]
        name = "limit"
        kind = "rate-limiter"
        rate_rps = 50
        burst = 20
        per_client = true
        calls = ["lb"]

        [[component]]
        name = "lb"
        kind = "lb"
        strategy = "least-connections"
        calls = ["api"]

        [[component]]
        name = "api"
        kind = "service"
        instances = 4
        concurrency = 12
        service_ms = 4
        service_time = "lognormal"
        timeout_ms = 40
        retries = 1
        calls = ["cache", "events"]

        [[component]]
        name = "cache"
        kind = "cache"
        capacity = 5000
        ttl_s = 5
        calls = ["db"]

        [[component]]
        name = "events"
        kind = "queue"
        consumers = 32
        calls = ["worker"]

        [[component]]
        name = "worker"
        kind = "service"
        concurrency = 32
        service_ms = 2
        calls = ["db"]

        [[component]]
        name = "db"
        kind = "database"
        concurrency = 32
        read_ms = 3
        write_ms = 6
        replicas = 2
        "#,
    );
    let r = run(
        &d,
        RunConfig {
            seed: 7,
            duration_s: 60.0,
        },
    );
    for c in &r.components {
        let w_s = c.mean_latency_ms.expect("every component answered calls") / 1000.0;
        let l = c.mean_in_system;
        let lambda_w = c.throughput_rps * w_s;
        assert!(l > 0.01, "{}: L = {l} is too small to test", c.name);
        if let Some(u) = c.utilization {
            assert!(
                u < 0.8,
                "{}: utilization {u}; Little's law needs a stable system",
                c.name
            );
        }
        assert!(
            (l - lambda_w).abs() / l < 0.01,
            "{}: L = {l:.4}, λW = {lambda_w:.4}",
            c.name
        );
    }
    assert!(r.metrics.abuser_rejected > 0, "the limiter had work to do");
}

/// Che's approximation of the LRU hit ratio under independent requests.
fn che_hit_ratio(p: &[f64], capacity: f64) -> f64 {
    let filled = |t: f64| p.iter().map(|pi| 1.0 - (-pi * t).exp()).sum::<f64>();
    let (mut lo, mut hi) = (0.0, 1.0);
    while filled(hi) < capacity {
        hi *= 2.0;
    }
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if filled(mid) < capacity {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    p.iter().map(|pi| pi * (1.0 - (-pi * lo).exp())).sum()
}

#[test]
fn lru_hit_ratio_matches_ches_approximation_within_2_points() {
    // 400k reads each; the binomial standard error of a hit ratio is below 0.1 point.
    for (keys, capacity, s) in [
        (20_000u32, 500u32, 0.8),
        (20_000, 2_000, 1.1),
        (5_000, 1_000, 0.6),
    ] {
        let d = design(&format!(
            r#"
            [workload]
            rps = 10000
            target = "cache"
            keys = {keys}
            zipf_s = {s}

            [[component]]
            name = "cache"
            kind = "cache"
            capacity = {capacity}
            calls = ["db"]

            [[component]]
            name = "db"
            kind = "database"
            concurrency = 1000
            read_ms = 1
            write_ms = 1
            "#
        ));
        let weights: Vec<f64> = (1..=keys).map(|i| f64::from(i).powf(-s)).collect();
        let total: f64 = weights.iter().sum();
        let p: Vec<f64> = weights.iter().map(|w| w / total).collect();
        let che = che_hit_ratio(&p, f64::from(capacity));
        let r = run(
            &d,
            RunConfig {
                seed: 3,
                duration_s: 40.0,
            },
        );
        let hit = r.components[0].hit_ratio.unwrap();
        assert!(
            (hit - che).abs() < 0.02,
            "N={keys} C={capacity} s={s}: simulated {hit:.4}, Che {che:.4}"
        );
    }
}

#[test]
fn fan_out_tail_shows_in_p99() {
    // A front end waits for n parallel calls to a leaf with no queueing and exponential
    // service of mean m, so a request takes the slowest of n: P(T > x) = 1 − (1 − e^{−x/m})^n,
    // the Tail at Scale formula with p = e^{−x/m}. Its p99 solves that for 0.01.
    let m = 10.0;
    let mut p99s = Vec::new();
    for n in [1u32, 10, 50] {
        let d = design(&format!(
            r#"
            [workload]
            rps = 200
            target = "front"

            [[component]]
            name = "front"
            kind = "service"
            concurrency = 10000
            service_ms = 0.001
            service_time = "constant"
            fanout = {n}
            calls = ["leaf"]

            [[component]]
            name = "leaf"
            kind = "service"
            instances = 10
            concurrency = 10000
            service_ms = {m}
            "#
        ));
        let theory = -m * (1.0 - 0.99f64.powf(1.0 / f64::from(n))).ln();
        let r = run(
            &d,
            RunConfig {
                seed: 11,
                duration_s: 500.0,
            },
        );
        let p99 = r.metrics.p99_ms.unwrap();
        assert!(
            (p99 - theory).abs() / theory < 0.03,
            "fan-out {n}: p99 {p99:.2} ms, theory {theory:.2} ms"
        );
        // Each leaf call is slower than the leaf's own p99 with p = 0.01; the share of
        // requests that wait for such a call is 1 − 0.99^n (39.5% for n = 50).
        p99s.push(p99);
    }
    assert!(p99s[0] < p99s[1] && p99s[1] < p99s[2], "{p99s:?}");
}
