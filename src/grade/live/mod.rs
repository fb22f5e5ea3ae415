//! The student's own code inside a visualization.
//!
//! For exercises whose `exercise.toml` sets `trait` (balancer, ttl-cache,
//! saga-orchestrator), the grading binary has a `--serve` mode that answers contract calls
//! on stdin/stdout. [`start`] builds that binary from the student's current file and returns
//! a proxy implementing the contract trait, so a simulation can swap it in for the reference
//! implementation and run the same seeded workload through it:
//!
//! ```no_run
//! use sysdesign::grade::{Workspace, embedded_exercises, live};
//! use sysdesign::sim::contract::{Backend, Balancer};
//!
//! let (exercises, _) = embedded_exercises();
//! let exercise = exercises.iter().find(|e| e.id == "round-robin").unwrap();
//! let workspace = Workspace::resolve(None).unwrap();
//! match live::start(&workspace, exercise, 0, &mut |_| {}) {
//!     Ok(live::LiveImpl::Balancer(mut yours)) => {
//!         let backends = vec![Backend { name: "A".into(), healthy: true, weight: 1, active: 0 }];
//!         let pick = yours.pick(7, &backends);
//!         if let Some(problem) = yours.error() {
//!             eprintln!("your balancer: {problem}"); // show it in the visualization
//!         }
//!         let _ = pick;
//!     }
//!     Ok(_) => unreachable!("round-robin is a balancer"),
//!     Err(compile_error) => eprintln!("{compile_error}"),
//! }
//! ```
//!
//! Every call has a time limit (500 ms by default). When the student's code panics, answers
//! nonsense, hangs or crashes, the call returns a neutral value (`None`, `false`, `-2`, a
//! `Stuck` saga) and `error()` says what happened; after a hang or a crash the process is
//! gone and every later call fails the same way, until the caller starts a new one.

mod balancer;
mod cache;
mod process;
mod saga;
#[path = "../embed/wire.rs"]
mod wire;

pub use balancer::RemoteBalancer;
pub use cache::{RemoteTtlCache, cache_factory};
pub use process::{LiveProcess, PathLabel, ProblemSlot};
pub use saga::RemoteSagaOrchestrator;

use super::events::GradeEvent;
use super::exercise::{Exercise, LiveTrait};
use super::workspace::Workspace;

/// The student's implementation, behind the trait its exercise implements.
pub enum LiveImpl {
    Balancer(RemoteBalancer),
    TtlCache(RemoteTtlCache),
    Saga(RemoteSagaOrchestrator),
}

/// Builds the student's current file for `exercise` and starts it in serve mode. Fails with
/// the compiler's message, or when the exercise has no live mode.
/// `capacity` is used by the ttl-cache exercise only.
pub fn start(
    workspace: &Workspace,
    exercise: &Exercise,
    capacity: usize,
    events: &mut dyn FnMut(GradeEvent),
) -> Result<LiveImpl, String> {
    let shown_as = Workspace::relative_exercise_file(&exercise.id);
    let source = std::fs::read_to_string(workspace.exercise_file(&exercise.id))
        .map_err(|e| format!("cannot read {shown_as}: {e}"))?;
    start_source(
        &workspace.grader(),
        exercise,
        &source,
        &shown_as,
        capacity,
        events,
    )
}

/// Like [`start`], for any source text (the reference solution, a fixture).
pub fn start_source(
    grader: &super::Grader,
    exercise: &Exercise,
    source: &str,
    shown_as: &str,
    capacity: usize,
    events: &mut dyn FnMut(GradeEvent),
) -> Result<LiveImpl, String> {
    let Some(contract) = exercise.live else {
        return Err(format!(
            "exercise `{}` cannot run in a visualization",
            exercise.id
        ));
    };
    let lock = grader.lock(events)?;
    let held = lock.hold();
    let binary = grader
        .build(exercise, source, shown_as, events)
        .map_err(|e| match e {
            super::BuildError::Tampering(message) => message,
            super::BuildError::Failed(message) => {
                format!("{shown_as} does not compile:\n{message}")
            }
        })?;
    let label = PathLabel {
        compiled_as: super::grader::compiled_as(&exercise.id),
        shown_as: shown_as.to_string(),
    };
    let process = LiveProcess::spawn(&binary, grader.limits().memory_bytes, label)
        .map_err(|e| format!("cannot start your code: {e}"))?;
    // The binary is running; the next grade may rebuild it.
    drop(held);
    drop(lock);
    Ok(match contract {
        LiveTrait::Balancer => LiveImpl::Balancer(RemoteBalancer::new(process)?),
        LiveTrait::TtlCache => LiveImpl::TtlCache(RemoteTtlCache::new(process, capacity)?),
        LiveTrait::SagaOrchestrator => LiveImpl::Saga(RemoteSagaOrchestrator::new(process)?),
    })
}

impl LiveImpl {
    /// Ready to plug into a simulation in place of its reference implementation, with the
    /// slot where the student's code reports a panic, a hang or a bad answer meanwhile.
    pub fn into_plug(mut self) -> (crate::sim::Plug, ProblemSlot) {
        let problems = match &mut self {
            LiveImpl::Balancer(b) => b.process_mut().problems(),
            LiveImpl::TtlCache(c) => c.process_mut().problems(),
            LiveImpl::Saga(s) => s.process_mut().problems(),
        };
        let plug = match self {
            LiveImpl::Balancer(b) => crate::sim::Plug::Balancer(Box::new(b)),
            LiveImpl::TtlCache(c) => crate::sim::Plug::Cache(cache_factory(c)),
            LiveImpl::Saga(s) => crate::sim::Plug::Saga(Box::new(s)),
        };
        (plug, problems)
    }
}

impl std::fmt::Debug for LiveImpl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LiveImpl::Balancer(_) => "LiveImpl::Balancer",
            LiveImpl::TtlCache(_) => "LiveImpl::TtlCache",
            LiveImpl::Saga(_) => "LiveImpl::Saga",
        })
    }
}
