//! Checks for the retry-backoff exercise.

use sysdesign_checks::{Check, Ctx, expect, expect_eq};

use crate::{RetryPolicy, backoff, retry};

pub fn checks() -> Vec<Check> {
    vec![
        Check::new("the first retry waits up to base", first_retry),
        Check::new("the ceiling doubles with each retry", doubles),
        Check::new("no wait exceeds the cap", capped),
        Check::new("large retry numbers do not overflow", no_overflow),
        Check::new("the same seed gives the same waits", deterministic),
        Check::new("stops at the first success", first_success),
        Check::new(
            "gives up after max_attempts and returns the last error",
            gives_up,
        ),
        Check::new("never sleeps after the last attempt", no_final_sleep),
        Check::new("max_attempts 0 still makes one attempt", zero_attempts),
    ]
}

fn jitter(seed: u64, retry: u32, ceiling: u64) -> u64 {
    let mut z = seed ^ u64::from(retry).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    if ceiling == u64::MAX {
        z
    } else {
        z % (ceiling + 1)
    }
}

/// The jitter seeds every check tries: fixed, so each check catches the same bugs on every
/// run, and not 0 alone, which would hide an implementation that ignores the seed.
const SEEDS: [u64; 4] = [1, 42, 0xDEAD_BEEF, u64::MAX];

fn policy(base: u64, cap: u64, max_attempts: u32, seed: u64) -> RetryPolicy {
    RetryPolicy {
        base,
        cap,
        max_attempts,
        seed,
    }
}

fn expect_backoff(p: &RetryPolicy, retry: u32, ceiling: u64) -> Result<(), String> {
    expect_eq(
        format!(
            "backoff with base {}, cap {}, seed {} for retry {retry} (ceiling {ceiling}, so \
             jitter(seed, {retry}, {ceiling}))",
            p.base, p.cap, p.seed
        ),
        jitter(p.seed, retry, ceiling),
        backoff(p, retry),
    )
}

fn first_retry(_: &mut Ctx) -> Result<(), String> {
    for seed in SEEDS {
        let p = policy(100, 1_000_000, 5, seed);
        expect_backoff(&p, 1, 100)?;
    }
    Ok(())
}

fn doubles(_: &mut Ctx) -> Result<(), String> {
    for seed in SEEDS {
        let p = policy(100, 1 << 40, 5, seed);
        for retry in 1..=12 {
            expect_backoff(&p, retry, 100 << (retry - 1))?;
        }
    }
    Ok(())
}

fn capped(_: &mut Ctx) -> Result<(), String> {
    for seed in SEEDS {
        let p = policy(100, 1000, 5, seed);
        for (retry, ceiling) in [(4, 800), (5, 1000), (6, 1000), (20, 1000)] {
            expect_backoff(&p, retry, ceiling)?;
        }
    }
    for seed in 0..200 {
        let p = policy(100, 1000, 5, seed);
        let wait = backoff(&p, 9);
        expect(wait <= 1000, || {
            format!(
                "backoff with cap 1000, seed {seed}, retry 9: expected at most 1000; got {wait}"
            )
        })?;
    }
    Ok(())
}

fn no_overflow(_: &mut Ctx) -> Result<(), String> {
    for seed in SEEDS {
        let p = policy(100, 60_000, 5, seed);
        for retry in [63, 64, 65, 100, u32::MAX] {
            expect_backoff(&p, retry, 60_000)?;
        }
        let uncapped = policy(3, u64::MAX, 5, seed);
        expect_backoff(&uncapped, 200, u64::MAX)?;
    }
    Ok(())
}

fn deterministic(_: &mut Ctx) -> Result<(), String> {
    for seed in SEEDS {
        let a = policy(50, 10_000, 5, seed);
        let first: Vec<u64> = (1..=8).map(|r| backoff(&a, r)).collect();
        let again: Vec<u64> = (1..=8).map(|r| backoff(&a, r)).collect();
        expect_eq(
            "waits for retries 1..=8 computed twice with the same seed",
            first.clone(),
            again,
        )?;
        let b = policy(50, 10_000, 5, seed.wrapping_add(1));
        let other: Vec<u64> = (1..=8).map(|r| backoff(&b, r)).collect();
        expect(first != other, || {
            format!(
                "waits for retries 1..=8 with seeds {} and {} are identical: {first:?}; the seed must feed the jitter",
                a.seed, b.seed
            )
        })?;
    }
    Ok(())
}

/// Runs `retry` with an op that fails `failures` times, recording attempts and sleeps.
fn record(p: &RetryPolicy, failures: u32) -> (Result<u32, String>, Vec<u32>, Vec<u64>) {
    let mut attempts = Vec::new();
    let mut sleeps = Vec::new();
    let result = retry(
        p,
        |attempt| {
            attempts.push(attempt);
            if attempts.len() as u32 <= failures {
                Err(format!("failure {attempt}"))
            } else {
                Ok(attempt)
            }
        },
        |ticks| sleeps.push(ticks),
    );
    (result, attempts, sleeps)
}

fn first_success(_: &mut Ctx) -> Result<(), String> {
    for seed in SEEDS {
        let p = policy(10, 1000, 5, seed);
        let (result, attempts, sleeps) = record(&p, 2);
        expect_eq("retry of an op failing twice: the result", Ok(3), result)?;
        expect_eq(
            "retry of an op failing twice: the attempts op saw",
            vec![1, 2, 3],
            attempts,
        )?;
        expect_eq(
            "retry of an op failing twice: the sleeps (backoff for retries 1 and 2)",
            vec![backoff_of(&p, 1), backoff_of(&p, 2)],
            sleeps,
        )?;
    }
    Ok(())
}

fn backoff_of(p: &RetryPolicy, retry: u32) -> u64 {
    let ceiling = p.base.saturating_mul(1u64 << (retry - 1)).min(p.cap);
    jitter(p.seed, retry, ceiling)
}

fn gives_up(_: &mut Ctx) -> Result<(), String> {
    for seed in SEEDS {
        let p = policy(10, 1000, 4, seed);
        let (result, attempts, _) = record(&p, u32::MAX);
        expect_eq(
            "retry with max_attempts 4 of an op that always fails: the result",
            Err("failure 4".to_string()),
            result,
        )?;
        expect_eq(
            "retry with max_attempts 4 of an op that always fails: the attempts",
            vec![1, 2, 3, 4],
            attempts,
        )?;
    }
    Ok(())
}

fn no_final_sleep(_: &mut Ctx) -> Result<(), String> {
    for seed in SEEDS {
        let p = policy(10, 1000, 3, seed);
        let (_, _, sleeps) = record(&p, u32::MAX);
        expect_eq(
            "retry with max_attempts 3 of an op that always fails: the sleeps",
            vec![backoff_of(&p, 1), backoff_of(&p, 2)],
            sleeps,
        )?;
        let once = policy(10, 1000, 1, seed);
        let (_, attempts, sleeps) = record(&once, u32::MAX);
        expect_eq("retry with max_attempts 1: the attempts", vec![1], attempts)?;
        expect_eq(
            "retry with max_attempts 1: the sleeps",
            Vec::<u64>::new(),
            sleeps,
        )?;
    }
    Ok(())
}

fn zero_attempts(_: &mut Ctx) -> Result<(), String> {
    for seed in SEEDS {
        let p = policy(10, 1000, 0, seed);
        let (result, attempts, sleeps) = record(&p, u32::MAX);
        expect_eq("retry with max_attempts 0: the attempts", vec![1], attempts)?;
        expect_eq(
            "retry with max_attempts 0: the sleeps",
            Vec::<u64>::new(),
            sleeps,
        )?;
        expect_eq(
            "retry with max_attempts 0: the result",
            Err("failure 1".to_string()),
            result,
        )?;
    }
    Ok(())
}
