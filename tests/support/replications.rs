//! Independent replications of design runs, for tests that compare the engine with theory.

use sysdesign::design::{self, Design};
use sysdesign::sim::design::{Report, RunConfig, run};

/// A design from its TOML text; a test's own design must parse.
pub fn design(src: &str) -> Design {
    design::parse("test.toml", src).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.iter().map(|d| d.render()).collect::<Vec<_>>().join("\n")
        )
    })
}

/// One run of `duration_s` per seed. Replications are independent: spread over the cores.
pub fn runs(d: &Design, seeds: std::ops::Range<u64>, duration_s: f64) -> Vec<Report> {
    std::thread::scope(|scope| {
        let runs: Vec<_> = seeds
            .map(|seed| scope.spawn(move || run(d, RunConfig { seed, duration_s })))
            .collect();
        runs.into_iter()
            .map(|h| h.join().expect("a replication panicked"))
            .collect()
    })
}

/// Mean and standard error of the mean.
pub fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}
