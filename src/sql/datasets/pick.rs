//! Skewed choices for generated rows.

use crate::sim::rng::Rng;

/// An index in `0..n`, skewed towards 0: index i is picked with probability falling like a
/// power law, as a few customers place most orders and a few links get most clicks.
/// `exponent` 1 is uniform; 2 and 3 are increasingly skewed.
pub fn skewed(rng: &mut Rng, n: usize, exponent: i32) -> usize {
    let u = rng.unit().powi(exponent);
    ((u * n as f64) as usize).min(n - 1)
}

/// One of `choices` by weight; `None` entries model NULLs.
pub fn weighted<T: Copy>(rng: &mut Rng, choices: &[(T, u32)]) -> T {
    let total: u32 = choices.iter().map(|(_, w)| w).sum();
    let mut ticket = rng.below(u64::from(total)) as u32;
    for (value, weight) in choices {
        if ticket < *weight {
            return *value;
        }
        ticket -= weight;
    }
    choices[choices.len() - 1].0
}

/// A uniform integer in `lo..=hi`.
pub fn between(rng: &mut Rng, lo: i64, hi: i64) -> i64 {
    lo + rng.below((hi - lo + 1) as u64) as i64
}
