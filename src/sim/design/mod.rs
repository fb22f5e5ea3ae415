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

/// Run `design` once unless `stop` is set first (`None` then).
pub fn run_until(
    design: &Design,
    cfg: RunConfig,
    stop: &std::sync::atomic::AtomicBool,
) -> Option<Report> {
    Engine::new(design, cfg).run_until(stop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_run_gives_up_and_an_unstopped_one_matches_run() {
        let design = crate::design::parse(
            "t.toml",
            "[workload]\nrps = 2000\ntarget = \"a\"\n\n[[component]]\nname = \"a\"\nkind = \"service\"\ninstances = 4\nconcurrency = 2\nservice_ms = 1\n",
        )
        .unwrap();
        let cfg = RunConfig {
            seed: 3,
            duration_s: 20.0,
        };
        let stopped = std::sync::atomic::AtomicBool::new(true);
        assert!(run_until(&design, cfg, &stopped).is_none());
        let going = std::sync::atomic::AtomicBool::new(false);
        assert_eq!(run_until(&design, cfg, &going), Some(run(&design, cfg)));
    }
}
