//! The design lab: a student describes a whole architecture in a TOML design file, the
//! simulation in `sim::design` runs it, and challenges grade it against SLOs and a budget.

pub mod challenge;
pub mod givens;
pub mod model;
pub mod parse;
pub mod prices;
pub mod work;

pub use model::{Component, Design, Kind, Spec};
pub use parse::{decode, parse};

use crate::sim::design::{Report, RunConfig};

/// Run a design once and price it: the report `design run` prints.
pub fn simulate(design: &Design, seed: u64, duration_s: f64) -> Report {
    let never = std::sync::atomic::AtomicBool::new(false);
    simulate_until(design, seed, duration_s, &never).expect("a run nobody stops ends")
}

/// [`simulate`], unless `stop` is set before the run ends (`None` then).
pub fn simulate_until(
    design: &Design,
    seed: u64,
    duration_s: f64,
    stop: &std::sync::atomic::AtomicBool,
) -> Option<Report> {
    let mut report = crate::sim::design::run_until(design, RunConfig { seed, duration_s }, stop)?;
    report.metrics.cost_per_month = prices::Prices::builtin().design(design);
    Some(report)
}
