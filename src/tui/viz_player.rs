//! A simulation embedded in the reader: play, pause, step, speed, reset and the engine's own
//! fault keys. The tick that drives it exists only while it plays.

use std::time::Duration;

use crate::course::VisualizationRef;
use crate::grade::{Exercise, LiveTrait};
use crate::sim::{self, Simulation};

/// Ticks per second the student can choose from; the default is the third.
pub const SPEEDS: [u32; 7] = [1, 2, 4, 8, 16, 32, 64];
const DEFAULT_SPEED: usize = 2;

pub struct VizPlayer {
    /// The section that embeds it.
    pub section: usize,
    pub source: VisualizationRef,
    pub sim: Box<dyn Simulation>,
    pub playing: bool,
    pub speed: usize,
    /// The result of the last key, for the pane's status line.
    pub status: Option<String>,
    /// The exercise whose student implementation runs instead of the reference, if any.
    pub yours: Option<String>,
    /// Where the student's running code reports its latest problem.
    pub yours_problems: Option<crate::grade::live::ProblemSlot>,
}

/// The contract trait a simulation runs, which student code can stand in for.
pub fn pluggable_trait(kind: &str) -> Option<LiveTrait> {
    match kind {
        "load-balancer" => Some(LiveTrait::Balancer),
        "ttl-cache" => Some(LiveTrait::TtlCache),
        "saga" => Some(LiveTrait::SagaOrchestrator),
        _ => None,
    }
}

/// The course's exercises whose implementation can run in a simulation of `kind`
/// (instructors' exercises included), in the order `y` cycles through them: those the
/// lesson links first, in its order.
pub fn student_exercises<'e>(
    kind: &str,
    exercises: &'e [Exercise],
    lesson_order: &[&str],
) -> Vec<&'e Exercise> {
    let Some(contract) = pluggable_trait(kind) else {
        return Vec::new();
    };
    let mut found: Vec<&Exercise> = exercises
        .iter()
        .filter(|e| e.live == Some(contract))
        .collect();
    found.sort_by_key(|e| {
        lesson_order
            .iter()
            .position(|id| *id == e.id)
            .unwrap_or(usize::MAX)
    });
    found
}

/// How the widget and log name the student's implementation (labels are static there).
pub fn yours_label(exercise: &str) -> &'static str {
    match exercise {
        "round-robin" => "yours: round-robin",
        "least-connections" => "yours: least-connections",
        "ip-hash" => "yours: ip-hash",
        "ttl-cache" => "yours: ttl-cache",
        "saga-orchestrator" => "yours: saga-orchestrator",
        _ => "yours",
    }
}

impl VizPlayer {
    pub fn start(section: usize, source: &VisualizationRef) -> Result<VizPlayer, String> {
        let spec = sim::find(&source.kind)
            .ok_or_else(|| format!("unknown simulation `{}`", source.kind))?;
        let sim = spec
            .start(source.seed, &source.params)
            .map_err(|e| e.to_string())?;
        Ok(VizPlayer {
            section,
            source: source.clone(),
            sim,
            playing: false,
            speed: DEFAULT_SPEED,
            status: None,
            yours: None,
            yours_problems: None,
        })
    }

    /// Advances the simulation one tick and copies any new problem of the student's code
    /// into its event log, where it stays (the footer shows only the latest).
    pub fn step(&mut self) {
        self.sim.step();
        if let Some(problems) = &self.yours_problems {
            for problem in problems.take_unlogged() {
                let first = problem.lines().next().unwrap_or_default();
                self.sim.note(&crate::markdown::sanitize(first));
            }
        }
    }

    pub fn tick_period(&self) -> Duration {
        Duration::from_millis(1000 / SPEEDS[self.speed] as u64)
    }

    pub fn faster(&mut self) {
        self.speed = (self.speed + 1).min(SPEEDS.len() - 1);
    }

    pub fn slower(&mut self) {
        self.speed = self.speed.saturating_sub(1);
    }

    /// Start over at t=0 with the same seed and the current settings (a strategy or policy
    /// the student chose stays chosen), running the reference implementation. Returns the
    /// exercise whose student code was running, so the caller can start it again.
    pub fn restart(&mut self) -> Option<String> {
        let spec = sim::find(&self.source.kind)?;
        let settings: Vec<(String, crate::sim::ParamValue)> = self
            .sim
            .settings()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        // A setting the engine reports but refuses back (e.g. a label) falls back to the
        // lesson's own parameters.
        let fresh = spec
            .start(self.source.seed, &settings)
            .or_else(|_| spec.start(self.source.seed, &self.source.params));
        if let Ok(sim) = fresh {
            self.sim = sim;
        }
        self.status = Some("restarted at t=0 with your mode and speed (R: the lesson's)".into());
        self.yours_problems = None;
        self.yours.take()
    }

    /// Start over as the lesson set the simulation up: its parameters, the default speed,
    /// the reference implementation.
    pub fn restart_as_lesson(&mut self) {
        if let Some(spec) = sim::find(&self.source.kind)
            && let Ok(sim) = spec.start(self.source.seed, &self.source.params)
        {
            self.sim = sim;
        }
        self.speed = DEFAULT_SPEED;
        self.yours = None;
        self.yours_problems = None;
        self.status = Some("restarted at t=0 as the lesson set it up".into());
    }
}
