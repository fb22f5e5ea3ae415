//! The design lab: a student describes a whole architecture in a TOML design file, the
//! simulation in `sim::design` runs it, and challenges grade it against SLOs and a budget.

pub mod challenge;
pub mod givens;
pub mod model;
pub mod parse;
pub mod prices;

pub use model::{Component, Design, Kind, Spec};
pub use parse::{decode, parse};

use crate::sim::design::{Report, RunConfig};

/// Run a design once and price it: the report `design run` prints.
pub fn simulate(design: &Design, seed: u64, duration_s: f64) -> Report {
    let mut report = crate::sim::design::run(design, RunConfig { seed, duration_s });
    report.metrics.cost_per_month = prices::Prices::builtin().design(design);
    report
}
