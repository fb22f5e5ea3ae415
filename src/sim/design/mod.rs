//! The design lab's engine: a discrete-event simulation of a whole architecture described by
//! a design file (`crate::design`). Std only, seeded and deterministic, on a logical clock.

pub mod commits;
pub mod engine;
pub mod histogram;
pub mod keys;
pub mod lru;
pub mod report;

pub use engine::{Engine, RunConfig};
pub use report::{ComponentReport, Metrics, Report};

use crate::design::model::Design;

/// Run `design` once. The same design, seed and duration always give the same report.
pub fn run(design: &Design, cfg: RunConfig) -> Report {
    Engine::new(design, cfg).run()
}
