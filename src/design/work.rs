//! How much work a design can ask of the simulation, bounded before it runs.
//!
//! Fan-out and retries multiply along a call chain: three services that each call the next
//! 1,000 times make a billion calls per request, which no run finishes. A design is refused
//! before it runs when the worst case (every fan-out taken, every retry used, every cache
//! missing) is beyond what a run can do in about a minute.

use super::model::{Design, FailureKind, Spec};

/// Calls one request may make at most, all along its chain.
pub const MAX_CALLS_PER_REQUEST: f64 = 10_000.0;
/// Calls one run may make at most: about a minute of simulation at the engine's speed.
pub const MAX_CALLS_PER_RUN: f64 = 200_000_000.0;

/// `Err` says how much work the design can make and where it multiplies.
pub fn check(design: &Design, duration_s: f64) -> Result<(), String> {
    let n = design.components.len();
    let mut calls: Vec<Option<f64>> = vec![None; n];
    let target = design.workload.target;
    let per_request = calls_from(design, target, &mut calls, 0);
    if per_request > MAX_CALLS_PER_REQUEST {
        let chain = heaviest_chain(design, target, &calls);
        return Err(format!(
            "one request can make up to {} calls (fan-out and retries multiply along {chain}); \
             the lab simulates at most {} per request: lower `fanout` or `retries`",
            round(per_request),
            round(MAX_CALLS_PER_REQUEST)
        ));
    }
    let w = &design.workload;
    let surge = w
        .surges
        .iter()
        .map(|s| s.factor)
        .chain(design.failures.iter().filter_map(|f| match f.kind {
            FailureKind::Surge { factor } => Some(factor),
            _ => None,
        }))
        .fold(1.0_f64, f64::max);
    let per_run = per_request * (w.rps * surge + w.abuser_rps) * duration_s;
    if per_run > MAX_CALLS_PER_RUN {
        return Err(format!(
            "this run can make up to {} calls ({} per request at {} requests a second for {} s); \
             the lab simulates at most {} in one run: shorten the run or lower the load, \
             `fanout` or `retries`",
            round(per_run),
            round(per_request),
            round(w.rps * surge + w.abuser_rps),
            round(duration_s),
            round(MAX_CALLS_PER_RUN)
        ));
    }
    Ok(())
}

/// Worst-case calls for one call arriving at `at`, itself included. The call graph has no
/// cycles (the parser refuses them); `depth` guards anyway.
fn calls_from(design: &Design, at: usize, memo: &mut Vec<Option<f64>>, depth: usize) -> f64 {
    if let Some(known) = memo[at] {
        return known;
    }
    if depth > design.components.len() {
        return f64::INFINITY;
    }
    let c = &design.components[at];
    let each = per_downstream(&c.spec);
    let below: f64 = c
        .calls
        .iter()
        .map(|&d| each * calls_from(design, d, memo, depth + 1))
        .sum();
    let total = 1.0 + below;
    memo[at] = Some(total);
    total
}

/// How many calls one call here makes to each downstream, at most.
fn per_downstream(spec: &Spec) -> f64 {
    match spec {
        Spec::Service(s) => f64::from(s.fanout) * f64::from(1 + s.retries),
        Spec::Lb(l) => f64::from(1 + l.retries),
        Spec::Queue(q) => f64::from(1 + q.retries),
        Spec::Cache(_) | Spec::Cdn(_) | Spec::RateLimiter(_) | Spec::Database(_) => 1.0,
    }
}

/// `a → b → c`: from `at`, always into the downstream with the most work.
fn heaviest_chain(design: &Design, at: usize, memo: &[Option<f64>]) -> String {
    let mut names = vec![format!("`{}`", design.components[at].name)];
    let mut here = at;
    while let Some(&next) = design.components[here]
        .calls
        .iter()
        .max_by(|&&a, &&b| memo[a].unwrap_or(0.0).total_cmp(&memo[b].unwrap_or(0.0)))
    {
        names.push(format!("`{}`", design.components[next].name));
        here = next;
        if names.len() > design.components.len() {
            break;
        }
    }
    names.join(" → ")
}

fn round(x: f64) -> String {
    if x >= 1e6 {
        format!("{x:.1e}")
    } else {
        format!("{x:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(text: &str) -> Design {
        crate::design::parse("test.toml", text).expect("a valid design")
    }

    const CHAIN: &str = r#"
[workload]
rps = 10
target = "a"

[[component]]
name = "a"
kind = "service"
service_ms = 1
fanout = FAN
calls = ["b"]

[[component]]
name = "b"
kind = "service"
service_ms = 1
fanout = FAN
calls = ["c"]

[[component]]
name = "c"
kind = "service"
service_ms = 1
"#;

    #[test]
    fn fan_out_multiplies_along_the_chain() {
        let ok = design(&CHAIN.replace("FAN", "10"));
        assert_eq!(check(&ok, 60.0), Ok(()));
        let mut memo = vec![None; 3];
        // 1 + 10 × (1 + 10 × 1)
        assert_eq!(calls_from(&ok, 0, &mut memo, 0), 111.0);
        let exploding = design(&CHAIN.replace("FAN", "1000"));
        let err = check(&exploding, 60.0).unwrap_err();
        assert!(err.contains("1.0e6 calls"), "{err}");
        assert!(err.contains("`a` → `b` → `c`"), "{err}");
    }

    #[test]
    fn a_long_heavy_run_is_refused_with_its_arithmetic() {
        let heavy = design(
            &CHAIN
                .replace("FAN", "50")
                .replace("rps = 10", "rps = 10000"),
        );
        // 2,551 calls a request × 10,000 a second × 60 s.
        let err = check(&heavy, 60.0).unwrap_err();
        assert!(
            err.contains("2551 per request at 10000 requests a second for 60 s"),
            "{err}"
        );
        assert_eq!(check(&heavy, 1.0), Ok(()));
    }
}
