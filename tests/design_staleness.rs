//! Stale cache reads against theory. A hit is stale when the database committed a write to
//! the key after the cached copy was read from it; its staleness is how long the copy had been
//! out of date when it was served.
//!
//! The closed form, for one key read and written by independent Poisson streams (reads at any
//! rate, writes at rate w), a cache with TTL T whose writes go around it (`write = "none"`) and
//! an origin that answers at once: a cycle starts when a miss stores a copy current at that
//! moment, and every read in the next T seconds hits it. A hit s seconds into the cycle is
//! stale when at least one write committed in (0, s], which has probability 1 − e^{−ws}.
//! Reads see time averages (PASTA), so hits fall uniformly over (0, T) and
//!
//!   stale share of hits = (1/T) ∫₀ᵀ (1 − e^{−ws}) ds = 1 − (1 − e^{−wT}) / (wT).
//!
//! Bounds: a copy read at time a and stored at f ≥ a expires at f + T, and the first write it
//! missed committed after a, so staleness < T + (f − a). With the origin answering at once,
//! f − a is 0 and staleness < T; reading from an async replica makes a = f − lag, so the
//! bound is T + lag. Under a steady write stream the first missed write comes right after
//! the fill and the last hit right before expiry, so the maximum approaches the bound.
//!
//! Cache-aside deletes the copy when the origin has answered the write, after the commit:
//! with the cache on every write path and a current origin, no hit is ever stale. The one race
//! left is a fill with data read before a commit and stored after the delete, which a lagging
//! replica produces (a read served from a replica that has not applied the write yet).

#[path = "support/replications.rs"]
mod replications;

use proptest::prelude::*;
use replications::{design, mean_se, runs};
use sysdesign::design::Design;
use sysdesign::sim::design::{RunConfig, run};

/// `keys` equally popular keys read and written through a cache in front of a database that
/// answers in a microsecond; per key, writes arrive at `w_per_key` per second.
#[allow(clippy::too_many_arguments)]
fn cache_over_db(
    keys: u32,
    reads_per_key: f64,
    w_per_key: f64,
    ttl_s: Option<f64>,
    write: &str,
    replicas: u32,
    lag_ms: f64,
) -> Design {
    let rps = f64::from(keys) * (reads_per_key + w_per_key);
    let read_ratio = reads_per_key / (reads_per_key + w_per_key);
    let ttl = ttl_s.map_or(String::new(), |t| format!("ttl_s = {t}"));
    design(&format!(
        r#"
        [workload]
        rps = {rps}
        target = "cache"
        read_ratio = {read_ratio}
        keys = {keys}
        zipf_s = 0
        timeout_ms = 60000

        [[component]]
        name = "cache"
        kind = "cache"
        capacity = {keys}
        {ttl}
        write = "{write}"
        hit_ms = 0
        calls = ["db"]

        [[component]]
        name = "db"
        kind = "database"
        replicas = {replicas}
        replica_lag_ms = {lag_ms}
        concurrency = 10000
        read_ms = 0.001
        write_ms = 0.001
        service_time = "constant"
        "#
    ))
}

fn stale_share_of_hits(w: f64, ttl: f64) -> f64 {
    let x = w * ttl;
    1.0 - (1.0 - (-x).exp()) / x
}

#[test]
fn stale_share_of_hits_matches_the_closed_form_within_1_point() {
    // (writes per key per second, TTL): wT from 0.25 to 3. Forty keys of the same popularity
    // are forty independent copies of the one-key system.
    for (w, ttl) in [(1.0, 0.25), (1.0, 1.0), (0.5, 6.0)] {
        let d = cache_over_db(40, 20.0, w, Some(ttl), "none", 0, 0.0);
        let shares: Vec<f64> = runs(&d, 1..9, 300.0)
            .iter()
            .map(|r| r.components[0].stale_ratio.expect("the cache had hits"))
            .collect();
        let (mean, se) = mean_se(&shares);
        let theory = stale_share_of_hits(w, ttl);
        eprintln!("w={w} T={ttl}: simulated {mean:.4} ± {se:.4}, closed form {theory:.4}");
        let tolerance = 0.01;
        assert!(
            se <= tolerance / 3.0,
            "w={w} T={ttl}: standard error {se:.4} too large to judge"
        );
        assert!(
            (mean - theory).abs() <= tolerance,
            "w={w} T={ttl}: simulated stale share {mean:.4}, closed form {theory:.4}"
        );
    }
}

#[test]
fn staleness_stays_below_the_ttl_and_approaches_it_under_steady_writes() {
    let ttl = 0.5;
    let d = cache_over_db(5, 200.0, 20.0, Some(ttl), "none", 0, 0.0);
    for r in runs(&d, 1..4, 60.0) {
        let c = &r.components[0];
        let max_s = c.max_staleness_ms.unwrap() / 1000.0;
        assert!(
            c.stale_reads.unwrap() > 0,
            "writes around the cache make stale hits"
        );
        assert!(
            max_s < ttl,
            "seed {}: max staleness {max_s} s ≥ TTL {ttl} s",
            r.seed
        );
        assert!(
            max_s > 0.95 * ttl,
            "seed {}: max staleness {max_s} s, expected close to the TTL {ttl} s",
            r.seed
        );
        // The run's figure is the same copy seen by a client (every read is legitimate and
        // answered in time here).
        assert!((r.metrics.max_staleness_ms - c.max_staleness_ms.unwrap()).abs() < 1e-9);
        let p99 = c.p99_staleness_ms.unwrap();
        assert!(p99 > 0.0 && p99 <= c.max_staleness_ms.unwrap() * 1.004);
    }
}

#[test]
fn a_lagging_replica_adds_its_lag_to_the_bound() {
    let (ttl, lag_ms) = (0.5, 200.0);
    let d = cache_over_db(5, 200.0, 20.0, Some(ttl), "none", 1, lag_ms);
    for r in runs(&d, 1..4, 60.0) {
        let max_s = r.components[0].max_staleness_ms.unwrap() / 1000.0;
        let bound = ttl + lag_ms / 1000.0;
        assert!(
            max_s < bound + 1e-9,
            "seed {}: {max_s} s ≥ {bound} s",
            r.seed
        );
        assert!(
            max_s > ttl,
            "seed {}: {max_s} s; copies read from a replica {lag_ms} ms behind start out of date",
            r.seed
        );
    }
}

#[test]
fn cache_aside_and_write_through_on_every_write_path_serve_no_stale_read() {
    for write in ["cache-aside", "write-through"] {
        for ttl in [None, Some(2.0)] {
            let d = cache_over_db(50, 40.0, 4.0, ttl, write, 0, 0.0);
            for r in runs(&d, 1..4, 30.0) {
                let c = &r.components[0];
                assert!(
                    c.hit_ratio.unwrap() > 0.5,
                    "{write}: the cache serves reads"
                );
                assert_eq!(
                    c.stale_reads,
                    Some(0),
                    "{write}, TTL {ttl:?}, seed {}: stale hits with invalidation on every write",
                    r.seed
                );
                assert_eq!(r.metrics.stale_read_rate, 0.0);
            }
        }
    }
}

#[test]
fn cache_aside_over_a_lagging_replica_races_and_the_ttl_bounds_it() {
    // A miss right after a write reads the replica, which has not applied the write yet, and
    // stores the old value after the write's delete: stale until the TTL or the next write.
    let (ttl, lag_ms) = (1.0, 300.0);
    let d = cache_over_db(50, 40.0, 4.0, Some(ttl), "cache-aside", 1, lag_ms);
    for r in runs(&d, 1..4, 30.0) {
        let c = &r.components[0];
        assert!(
            c.stale_reads.unwrap() > 0,
            "seed {}: the race happens",
            r.seed
        );
        let max_s = c.max_staleness_ms.unwrap() / 1000.0;
        assert!(
            max_s < ttl + lag_ms / 1000.0 + 1e-9,
            "seed {}: {max_s} s",
            r.seed
        );
        assert!(r.metrics.stale_read_rate > 0.0);
    }
    // The same design without replicas reads current data: no race.
    let d = cache_over_db(50, 40.0, 4.0, Some(ttl), "cache-aside", 0, 0.0);
    assert_eq!(
        run(
            &d,
            RunConfig {
                seed: 1,
                duration_s: 30.0
            }
        )
        .components[0]
            .stale_reads,
        Some(0)
    );
}

#[test]
fn a_fill_that_arrives_after_a_commit_is_stale_from_that_commit() {
    // The origin is a service that reads the database and then calls a slow enrichment
    // service: a copy read before a write commits is stored after it, and counts as stale from
    // the commit even though cache-aside deleted the old copy in between.
    let d = design(
        r#"
        [workload]
        rps = 2000
        target = "cache"
        read_ratio = 0.8
        keys = 20
        zipf_s = 0
        timeout_ms = 60000

        [[component]]
        name = "cache"
        kind = "cache"
        capacity = 20
        ttl_s = 1
        calls = ["api"]

        [[component]]
        name = "api"
        kind = "service"
        concurrency = 10000
        service_ms = 0.001
        service_time = "constant"
        calls = ["db", "enrich"]

        [[component]]
        name = "enrich"
        kind = "service"
        concurrency = 10000
        service_ms = 50
        service_time = "constant"

        [[component]]
        name = "db"
        kind = "database"
        concurrency = 10000
        read_ms = 0.001
        write_ms = 0.001
        service_time = "constant"
        "#,
    );
    let r = run(
        &d,
        RunConfig {
            seed: 7,
            duration_s: 30.0,
        },
    );
    let c = &r.components[0];
    assert!(c.stale_reads.unwrap() > 0, "the fill race happens");
    // Bound: TTL + the time from the database read to the fill (50 ms of enrichment, plus
    // microseconds of service time).
    let max_s = c.max_staleness_ms.unwrap() / 1000.0;
    assert!(max_s < 1.0 + 0.051, "{max_s} s");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// With writes around the cache, staleness never exceeds TTL + replica lag, whatever the
    /// rates.
    #[test]
    fn staleness_never_exceeds_ttl_plus_lag(
        ttl in 0.05f64..2.0,
        w in 0.1f64..30.0,
        reads in 1.0f64..100.0,
        lag_ms in prop_oneof![Just(0.0), 1.0f64..500.0],
        seed in 0u64..1000,
    ) {
        let replicas = u32::from(lag_ms > 0.0);
        let d = cache_over_db(4, reads, w, Some(ttl), "none", replicas, lag_ms);
        let r = run(&d, RunConfig { seed, duration_s: 20.0 });
        let c = &r.components[0];
        let max_s = c.max_staleness_ms.unwrap() / 1000.0;
        prop_assert!(max_s < ttl + lag_ms / 1000.0 + 1e-9, "{} s", max_s);
        prop_assert!(c.stale_reads.unwrap() <= r.components[0].served);
        prop_assert!(r.metrics.stale_read_rate <= 1.0);
    }
}

#[test]
fn reads_that_no_cache_answered_are_never_stale() {
    // A service alone, and a database read directly: no copy, so nothing can be stale,
    // however many writes commit.
    let service = r#"
        [[component]]
        name = "api"
        kind = "service"
        concurrency = 100
        service_ms = 1
        "#;
    let database = r#"
        calls = ["db"]

        [[component]]
        name = "db"
        kind = "database"
        replicas = 1
        concurrency = 100
        read_ms = 1
        write_ms = 1
        "#;
    for tail in ["", database] {
        let d = design(&format!(
            r#"
            [workload]
            rps = 500
            target = "api"
            read_ratio = 0.5
            keys = 10
            {service}{tail}"#
        ));
        let r = run(
            &d,
            RunConfig {
                seed: 2,
                duration_s: 10.0,
            },
        );
        assert!(r.metrics.requests > 4000);
        assert_eq!(r.metrics.stale_read_rate, 0.0, "{tail}");
        assert_eq!(r.metrics.max_staleness_ms, 0.0);
    }
}
