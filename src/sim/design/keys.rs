//! Key popularity: Zipf(s) over ranked keys, sampled in O(1) with Walker's alias method.

use crate::sim::rng::Rng;

/// The popularity of each of `n` keys, rank 0 first: p(i) ∝ 1 / (i + 1)^s. s = 0 is uniform.
pub fn zipf_probabilities(n: u32, s: f64) -> Vec<f64> {
    let weights: Vec<f64> = (1..=n).map(|i| f64::from(i).powf(-s)).collect();
    let total: f64 = weights.iter().sum();
    weights.into_iter().map(|w| w / total).collect()
}

#[derive(Debug, Clone)]
pub struct KeySampler {
    n: u32,
    /// Per slot, the threshold (a probability scaled to 2^32) in the high half and the alias
    /// in the low half: one memory access per draw. Empty for a uniform key space.
    table: Vec<u64>,
}

impl KeySampler {
    pub fn new(n: u32, s: f64) -> KeySampler {
        if s == 0.0 || n <= 1 {
            return KeySampler {
                n: n.max(1),
                table: Vec::new(),
            };
        }
        // Vose's construction: split scaled probabilities into those below and above 1, and
        // pair each small one with a large one that tops it up.
        let p = zipf_probabilities(n, s);
        let mut scaled: Vec<f64> = p.iter().map(|x| x * f64::from(n)).collect();
        let mut alias = vec![0u32; n as usize];
        let mut small = Vec::new();
        let mut large = Vec::new();
        for (i, &x) in scaled.iter().enumerate() {
            if x < 1.0 {
                small.push(i);
            } else {
                large.push(i);
            }
        }
        while let (Some(&s_i), Some(&l_i)) = (small.last(), large.last()) {
            small.pop();
            alias[s_i] = l_i as u32;
            scaled[l_i] -= 1.0 - scaled[s_i];
            if scaled[l_i] < 1.0 {
                large.pop();
                small.push(l_i);
            }
        }
        // Leftovers are 1 up to rounding.
        for i in small.into_iter().chain(large) {
            scaled[i] = 1.0;
        }
        let table = scaled
            .iter()
            .zip(&alias)
            .map(|(&t, &a)| {
                let threshold = (t.clamp(0.0, 1.0) * 4_294_967_296.0).min(4_294_967_295.0) as u64;
                (threshold << 32) | u64::from(a)
            })
            .collect();
        KeySampler { n, table }
    }

    pub fn sample(&self, rng: &mut Rng) -> u32 {
        if self.table.is_empty() {
            return rng.below(u64::from(self.n)) as u32;
        }
        // One 64-bit draw: the high half picks the slot, the low half tests its threshold.
        let r = rng.next_u64();
        let i = ((r >> 32) * u64::from(self.n)) >> 32;
        let entry = self.table[i as usize];
        if (r & 0xFFFF_FFFF) < (entry >> 32) {
            i as u32
        } else {
            entry as u32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_follow_the_zipf_probabilities() {
        let n = 50;
        let p = zipf_probabilities(n, 1.1);
        let sampler = KeySampler::new(n, 1.1);
        let mut rng = Rng::new(3);
        let draws = 200_000;
        let mut count = vec![0u32; n as usize];
        for _ in 0..draws {
            count[sampler.sample(&mut rng) as usize] += 1;
        }
        for (i, (&c, &pi)) in count.iter().zip(&p).enumerate() {
            let expected = pi * draws as f64;
            let sd = (expected * (1.0 - pi)).sqrt();
            assert!(
                (f64::from(c) - expected).abs() < 5.0 * sd + 1.0,
                "key {i}: {c} draws, expected {expected:.0}"
            );
        }
    }

    #[test]
    fn uniform_when_s_is_zero() {
        let sampler = KeySampler::new(7, 0.0);
        let mut rng = Rng::new(1);
        assert!((0..1000).all(|_| sampler.sample(&mut rng) < 7));
    }
}
