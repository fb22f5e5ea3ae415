//! The checks, compiled with the student's file and never shown to them. They reach the
//! student's items as `crate::Name`. Say in each message what was expected, what happened,
//! and the input that caused it. Every sentence of the task gets a fixed check (`Check::new`);
//! a check with random inputs (`Check::seeded`, using `ctx.rng()`) may add to them but must
//! never be the only one that catches a bug.

use sysdesign_checks::{Check, Ctx, expect_eq};

use crate::FixedWindow;

/// Run in order: basic behaviour first, so the first failure reported is the simplest.
pub fn checks() -> Vec<Check> {
    vec![
        Check::new("allows exactly the limit in one window", within_window),
        Check::new("starts a new window at its first tick", next_window),
        Check::seeded("starts every later window at its first tick", later_windows),
    ]
}

// For an exercise with `trait = "..."`, also define how to make the student's type:
// pub fn live() -> sysdesign_checks::Live {
//     sysdesign_checks::Live::Balancer(|| Box::new(crate::MyBalancer::new()))
// }

fn within_window(_: &mut Ctx) -> Result<(), String> {
    let mut limiter = FixedWindow::new(3, 10);
    let got: Vec<bool> = (0..4).map(|t| limiter.allow(t)).collect();
    expect_eq(
        "limit 3 per 10 ticks, requests at t=0..=3",
        vec![true, true, true, false],
        got,
    )
}

fn next_window(_: &mut Ctx) -> Result<(), String> {
    window_after(40)
}

fn later_windows(ctx: &mut Ctx) -> Result<(), String> {
    for _ in 0..20 {
        window_after(10 * ctx.rng().below(100))?;
    }
    Ok(())
}

fn window_after(start: u64) -> Result<(), String> {
    let mut limiter = FixedWindow::new(1, 10);
    limiter.allow(start);
    expect_eq(
        format!(
            "limit 1 per 10 ticks, after a request at t={start}, a request at t={}",
            start + 10
        ),
        true,
        limiter.allow(start + 10),
    )
}
