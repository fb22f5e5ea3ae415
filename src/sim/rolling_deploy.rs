//! Chapter 8, a Kubernetes rolling update. A Deployment replaces its pods with a new version
//! while keeping at most `replicas + maxSurge` pods and at least `replicas - maxUnavailable`
//! available ones. Percentages resolve as Kubernetes resolves them: surge rounds up,
//! unavailable rounds down, and if both come to zero, unavailable becomes one. A pod counts
//! as available only once its readiness probe passes, so a bad image, whose pods never become
//! ready, stalls the rollout with the old pods still serving, until the progress deadline
//! reports it or the rollout is undone.

use std::collections::{BTreeMap, VecDeque};

use serde_json::json;

use super::event_log::EventLog;
use super::param_table::{self, Param, specs};
use super::registry::KindSpec;
use super::{Action, ParamError, Simulation, Summary};

pub const KIND: &str = "rolling-deploy";
pub const APP: &str = "web";
/// Ticks a terminating pod takes to shut down gracefully before it disappears.
pub const TERMINATION_TICKS: u64 = 2;
/// Like `progressDeadlineSeconds`: a rollout that makes no progress for this long is
/// reported as failed (ProgressDeadlineExceeded). Kubernetes does not roll back by itself.
pub const PROGRESS_DEADLINE: u64 = 30;
/// A crashing container is restarted after a back-off that doubles up to a cap, as the
/// kubelet's goes from 10 s to 5 min.
const CRASH_BACKOFF_FIRST: u64 = 2;
const CRASH_BACKOFF_MAX: u64 = 32;

fn crash_backoff(restarts: u32) -> u64 {
    CRASH_BACKOFF_FIRST
        .saturating_mul(1 << restarts.min(16))
        .min(CRASH_BACKOFF_MAX)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Scheduled, pulling the image and starting the container.
    Starting,
    /// Running; `ready` once the readiness probe passes, which puts it behind the Service.
    Running { ready: bool },
    /// Shutting down; already removed from the Service's endpoints.
    Terminating { until: u64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pod {
    pub name: String,
    pub revision: u32,
    pub phase: Phase,
    pub started: u64,
    pub restarts: u32,
    /// When a crashing container is next restarted.
    next_restart: u64,
}

impl Pod {
    pub fn ready(&self) -> bool {
        self.phase == Phase::Running { ready: true }
    }
    pub fn terminating(&self) -> bool {
        matches!(self.phase, Phase::Terminating { .. })
    }
}

/// maxSurge and maxUnavailable as pod counts for the current replica count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fenceposts {
    pub surge: u32,
    pub unavailable: u32,
}

/// Resolve percentages as the Deployment controller does: surge rounds up, unavailable rounds
/// down, and when both come to zero unavailable becomes 1, or the rollout could never move.
pub fn resolve_fenceposts(replicas: u32, surge_pct: u32, unavailable_pct: u32) -> Fenceposts {
    let surge = (replicas * surge_pct).div_ceil(100);
    let mut unavailable = replicas * unavailable_pct / 100;
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    Fenceposts { surge, unavailable }
}

/// Ticks of pod counts kept for the widget's chart.
pub const HISTORY: usize = 120;

/// One tick's pod counts, for the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PodCounts {
    /// Pods not terminating.
    pub total: u32,
    /// Ready pods.
    pub available: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RolloutStatus {
    /// Every pod runs the current revision and is ready.
    Complete,
    Progressing,
    /// No progress for `PROGRESS_DEADLINE` ticks.
    DeadlineExceeded,
}

#[derive(Debug, Clone)]
pub struct RollingDeploySim {
    seed: u64,
    now: u64,
    replicas: u32,
    surge_pct: u32,
    unavailable_pct: u32,
    bad_image: bool,
    ready_ticks: u64,
    deploy_at: i64,
    /// `good[r]`: whether revision `r + 1`'s image works.
    good: Vec<bool>,
    /// `rolled_back_to[r]`: for a revision `r + 1` made by `rollout undo`, the revision whose
    /// pod template it took.
    rolled_back_to: Vec<Option<u32>>,
    /// The revision the Deployment wants; older revisions are being replaced.
    revision: u32,
    /// The revision before the current one, for `rollout undo`.
    previous: Option<u32>,
    pods: Vec<Pod>,
    next_pod: u32,
    status: RolloutStatus,
    last_progress: u64,
    rollouts: u64,
    completed: u64,
    pods_created: u64,
    pods_deleted: u64,
    min_available_seen: u32,
    max_total_seen: u32,
    history: VecDeque<PodCounts>,
    log: EventLog,
}

const TABLE: [Param<RollingDeploySim>; 6] = [
    Param::int("replicas", 1, 20, "10")
        .help("pods the Deployment wants")
        .fallible(
            |s| s.replicas.into(),
            |s, v| {
                let n = v as u32;
                if s.now == 0 {
                    s.replicas = n;
                    s.start_fresh();
                } else if s.status != RolloutStatus::Complete {
                    return Err(ParamError::Rejected(
                        "cannot scale during a rollout: wait for it or undo it".to_string(),
                    ));
                } else {
                    s.replicas = n;
                    s.log.push(s.now, format!("scaled to {n} replicas"));
                }
                Ok(())
            },
        ),
    Param::int("max_surge", 0, 100, "25")
        .help("maxSurge, percent of replicas, rounded up: extra pods allowed during the rollout")
        .fallible(
            |s| s.surge_pct.into(),
            |s, v| {
                s.check_percentages(v as u32, s.unavailable_pct)?;
                s.surge_pct = v as u32;
                Ok(())
            },
        ),
    Param::int("max_unavailable", 0, 100, "25")
        .help("maxUnavailable, percent of replicas, rounded down: pods allowed to be missing")
        .fallible(
            |s| s.unavailable_pct.into(),
            |s, v| {
                s.check_percentages(s.surge_pct, v as u32)?;
                s.unavailable_pct = v as u32;
                Ok(())
            },
        ),
    Param::flag("bad_image", "false")
        .help("the new version's pods never pass their readiness probe")
        .field(|s| s.bad_image, |s, v| s.bad_image = v),
    Param::int("ready_ticks", 1, 60, "3")
        .help("ticks from a pod's start until its readiness probe passes")
        .field(|s| s.ready_ticks as i64, |s, v| s.ready_ticks = v as u64),
    Param::int("deploy_at", 0, 1_000_000, "5")
        .help("tick at which the rollout to the next version starts (0: only by hand)")
        .field(|s| s.deploy_at, |s, v| s.deploy_at = v),
];

pub const SPEC: KindSpec = KindSpec {
    name: KIND,
    title: "Kubernetes rolling update",
    description: "A Deployment replaces its pods with a new version within maxSurge extra \
        pods and maxUnavailable missing ones. Readiness probes gate the rollout: a bad \
        image never becomes ready, and the rollout stalls with the old pods still serving.",
    params: &specs(&TABLE),
    build: RollingDeploySim::boxed,
};

static ACTIONS: &[Action] = &[
    Action {
        key: 'd',
        label: "deploy new version",
    },
    Action {
        key: 'b',
        label: "deploy bad image",
    },
    Action {
        key: 'u',
        label: "rollout undo",
    },
];

impl RollingDeploySim {
    pub fn new(seed: u64) -> Self {
        let mut sim = RollingDeploySim {
            seed,
            now: 0,
            replicas: 10,
            surge_pct: 25,
            unavailable_pct: 25,
            bad_image: false,
            ready_ticks: 3,
            deploy_at: 5,
            good: vec![true],
            rolled_back_to: vec![None],
            revision: 1,
            previous: None,
            pods: Vec::new(),
            next_pod: 1,
            status: RolloutStatus::Complete,
            last_progress: 0,
            rollouts: 0,
            completed: 0,
            pods_created: 0,
            pods_deleted: 0,
            min_available_seen: 0,
            max_total_seen: 0,
            history: VecDeque::with_capacity(HISTORY),
            log: EventLog::new(),
        };
        sim.start_fresh();
        sim
    }

    pub fn boxed(seed: u64) -> Box<dyn Simulation> {
        Box::new(Self::new(seed))
    }

    /// Revision 1 fully rolled out: every pod running and ready.
    fn start_fresh(&mut self) {
        self.pods.clear();
        self.next_pod = 1;
        for _ in 0..self.replicas {
            let mut pod = self.new_pod(1);
            pod.phase = Phase::Running { ready: true };
            self.pods.push(pod);
        }
        self.pods_created = 0;
        self.min_available_seen = self.available();
        self.max_total_seen = self.total();
    }

    pub fn replicas(&self) -> u32 {
        self.replicas
    }
    pub fn surge_pct(&self) -> u32 {
        self.surge_pct
    }
    pub fn unavailable_pct(&self) -> u32 {
        self.unavailable_pct
    }
    pub fn fenceposts(&self) -> Fenceposts {
        resolve_fenceposts(self.replicas, self.surge_pct, self.unavailable_pct)
    }
    /// The fewest available pods the rollout allows.
    pub fn min_available(&self) -> u32 {
        self.replicas.saturating_sub(self.fenceposts().unavailable)
    }
    /// The most pods (not counting terminating ones) the rollout allows.
    pub fn max_total(&self) -> u32 {
        self.replicas + self.fenceposts().surge
    }
    pub fn pods(&self) -> &[Pod] {
        &self.pods
    }
    pub fn revision(&self) -> u32 {
        self.revision
    }
    /// For a revision made by `rollout undo`, the revision whose pod template it took.
    pub fn rolled_back_to(&self, revision: u32) -> Option<u32> {
        self.rolled_back_to
            .get(revision.saturating_sub(1) as usize)
            .copied()
            .flatten()
    }
    /// The revision that first had `revision`'s pod template; pods are named after it, as
    /// Kubernetes names them after the template's hash.
    fn template_origin(&self, revision: u32) -> u32 {
        let mut r = revision;
        while let Some(earlier) = self.rolled_back_to(r) {
            r = earlier;
        }
        r
    }
    pub fn revision_is_good(&self, revision: u32) -> bool {
        self.good
            .get(revision.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(false)
    }
    pub fn status(&self) -> &RolloutStatus {
        &self.status
    }
    pub fn log(&self) -> &EventLog {
        &self.log
    }
    /// Pods not terminating.
    pub fn total(&self) -> u32 {
        self.pods.iter().filter(|p| !p.terminating()).count() as u32
    }
    /// Ready pods: the Service's endpoints.
    pub fn available(&self) -> u32 {
        self.pods.iter().filter(|p| p.ready()).count() as u32
    }
    /// Pods on the current revision, not terminating.
    pub fn updated(&self) -> u32 {
        self.pods
            .iter()
            .filter(|p| p.revision == self.revision && !p.terminating())
            .count() as u32
    }
    pub fn history(&self) -> &VecDeque<PodCounts> {
        &self.history
    }
    pub fn min_available_seen(&self) -> u32 {
        self.min_available_seen
    }
    pub fn max_total_seen(&self) -> u32 {
        self.max_total_seen
    }

    fn new_pod(&mut self, revision: u32) -> Pod {
        let pod = Pod {
            name: format!(
                "{APP}-v{}-{}",
                self.template_origin(revision),
                self.next_pod
            ),
            revision,
            phase: Phase::Starting,
            started: self.now,
            restarts: 0,
            next_restart: self.now + crash_backoff(0),
        };
        self.next_pod += 1;
        pod
    }

    fn progress(&mut self) {
        self.last_progress = self.now;
        if self.status == RolloutStatus::DeadlineExceeded {
            self.status = RolloutStatus::Progressing;
        }
    }

    /// Kubelet's part: start containers, run readiness probes, restart crashing containers,
    /// finish terminations.
    fn run_pods(&mut self) {
        let now = self.now;
        let ready_ticks = self.ready_ticks;
        let mut became_ready = 0;
        let good: Vec<bool> = self.good.clone();
        self.pods
            .retain(|p| !matches!(p.phase, Phase::Terminating { until } if until <= now));
        for pod in &mut self.pods {
            let works = good
                .get(pod.revision.saturating_sub(1) as usize)
                .copied()
                .unwrap_or(false);
            match pod.phase {
                Phase::Starting => pod.phase = Phase::Running { ready: false },
                Phase::Running { ready: false } if works && now >= pod.started + ready_ticks => {
                    pod.phase = Phase::Running { ready: true };
                    became_ready += 1;
                }
                Phase::Running { ready: false } if !works && now >= pod.next_restart => {
                    pod.restarts += 1;
                    pod.next_restart = now + crash_backoff(pod.restarts);
                }
                _ => {}
            }
        }
        if became_ready > 0 {
            self.progress();
        }
    }

    fn terminate(&mut self, index: usize) {
        self.pods[index].phase = Phase::Terminating {
            until: self.now + TERMINATION_TICKS,
        };
        self.pods_deleted += 1;
    }

    /// The Deployment controller's part: scale the current revision up within the surge and
    /// the old revisions down within the availability floor, as `reconcileNewReplicaSet` and
    /// `reconcileOldReplicaSets` do.
    fn reconcile(&mut self) {
        let fence = self.fenceposts();
        let live = |p: &Pod| !p.terminating();
        let new_count = self
            .pods
            .iter()
            .filter(|p| live(p) && p.revision == self.revision)
            .count() as u32;
        // Scale up the new revision, never past replicas + surge in all.
        let room = self.max_total().saturating_sub(self.total());
        let wanted = self.replicas.saturating_sub(new_count);
        let create = room.min(wanted);
        for _ in 0..create {
            let pod = self.new_pod(self.revision);
            self.pods.push(pod);
        }
        if create > 0 {
            self.pods_created += u64::from(create);
            self.progress();
        }
        // Too many of the new revision (after a scale-down): drop the unready ones first.
        let mut excess = new_count.saturating_sub(self.replicas);
        while excess > 0 {
            let pick = self
                .pods
                .iter()
                .position(|p| live(p) && p.revision == self.revision && !p.ready())
                .or_else(|| {
                    self.pods
                        .iter()
                        .position(|p| live(p) && p.revision == self.revision)
                });
            let Some(i) = pick else { break };
            self.terminate(i);
            excess -= 1;
        }
        // Scale down old revisions: unhealthy pods first, since removing them costs no
        // availability; then ready ones, only as far as the availability floor allows.
        let min_available = self.replicas.saturating_sub(fence.unavailable);
        for unhealthy_pass in [true, false] {
            loop {
                let new_unavailable = self
                    .pods
                    .iter()
                    .filter(|p| live(p) && p.revision == self.revision && !p.ready())
                    .count() as u32;
                let max_scaled_down = self
                    .total()
                    .saturating_sub(min_available)
                    .saturating_sub(new_unavailable);
                if max_scaled_down == 0 {
                    break;
                }
                let Some(i) = self.pods.iter().position(|p| {
                    live(p) && p.revision != self.revision && (p.ready() != unhealthy_pass)
                }) else {
                    break;
                };
                self.terminate(i);
                self.progress();
            }
        }
    }

    fn check_status(&mut self) {
        let done = self.updated() == self.replicas
            && self.total() == self.replicas
            && self
                .pods
                .iter()
                .filter(|p| !p.terminating())
                .all(|p| p.ready() && p.revision == self.revision);
        match self.status {
            RolloutStatus::Complete => {}
            _ if done => {
                self.status = RolloutStatus::Complete;
                self.completed += 1;
                self.log.push(
                    self.now,
                    format!(
                        "deployment \"{APP}\" successfully rolled out (revision {})",
                        self.revision
                    ),
                );
            }
            RolloutStatus::Progressing if self.now - self.last_progress >= PROGRESS_DEADLINE => {
                self.status = RolloutStatus::DeadlineExceeded;
                self.log.push(
                    self.now,
                    format!(
                        "rollout stalled: ProgressDeadlineExceeded, {} of {} updated pods ready; old pods keep serving",
                        self.pods
                            .iter()
                            .filter(|p| p.ready() && p.revision == self.revision)
                            .count(),
                        self.replicas
                    ),
                );
            }
            _ => {}
        }
    }

    /// Start rolling out a new revision with a working or a broken image.
    pub fn deploy(&mut self, works: bool) {
        self.good.push(works);
        self.rolled_back_to.push(None);
        self.previous = Some(self.revision);
        self.revision = self.good.len() as u32;
        self.begin_rollout(format!(
            "rollout of revision {} started ({} image)",
            self.revision,
            if works { "good" } else { "bad" }
        ));
    }

    /// `kubectl rollout undo`: roll back to the previous revision's pod template. As in
    /// Kubernetes, that makes a new revision, N+1: the previous revision's ReplicaSet, pods and
    /// all, is renumbered, so its pods still running count as up to date at once.
    pub fn undo(&mut self) -> bool {
        let Some(previous) = self.previous else {
            return false;
        };
        let works = self.revision_is_good(previous);
        self.good.push(works);
        self.rolled_back_to.push(Some(previous));
        let revision = self.good.len() as u32;
        for pod in &mut self.pods {
            if pod.revision == previous {
                pod.revision = revision;
            }
        }
        self.previous = Some(self.revision);
        self.revision = revision;
        self.begin_rollout(format!(
            "rollout undo: rolling back to revision {revision} (template of revision {previous})"
        ));
        true
    }

    fn begin_rollout(&mut self, text: String) {
        self.rollouts += 1;
        self.status = RolloutStatus::Progressing;
        self.last_progress = self.now;
        let fence = self.fenceposts();
        self.log.push(
            self.now,
            format!(
                "{text}: maxSurge {} ({}% rounded up), maxUnavailable {} ({}% rounded down), so {}..{} pods",
                fence.surge,
                self.surge_pct,
                fence.unavailable,
                self.unavailable_pct,
                self.min_available(),
                self.max_total()
            ),
        );
    }

    fn check_percentages(&self, surge: u32, unavailable: u32) -> Result<(), ParamError> {
        if surge == 0 && unavailable == 0 {
            Err(ParamError::Rejected(
                "max_surge and max_unavailable cannot both be 0: the rollout could never start"
                    .to_string(),
            ))
        } else {
            Ok(())
        }
    }
}

impl Simulation for RollingDeploySim {
    param_table::common_methods!(kind: KIND, table: TABLE, actions: ACTIONS);

    fn step(&mut self) {
        self.now += 1;
        if self.deploy_at > 0 && self.now as i64 == self.deploy_at {
            self.deploy(!self.bad_image);
        }
        self.run_pods();
        self.reconcile();
        self.check_status();
        self.min_available_seen = self.min_available_seen.min(self.available());
        self.max_total_seen = self.max_total_seen.max(self.total());
        if self.history.len() == HISTORY {
            self.history.pop_front();
        }
        self.history.push_back(PodCounts {
            total: self.total(),
            available: self.available(),
        });
    }

    fn act(&mut self, key: char) -> bool {
        match key {
            'd' => self.deploy(true),
            'b' => self.deploy(false),
            'u' => {
                if !self.undo() {
                    self.log
                        .push_unless_repeated(self.now, "nothing to undo: no earlier revision");
                }
            }
            _ => return false,
        }
        true
    }

    fn summary(&self) -> Summary {
        let fence = self.fenceposts();
        let restarts: u32 = self.pods.iter().map(|p| p.restarts).sum();
        let metrics = BTreeMap::from([
            ("replicas", f64::from(self.replicas)),
            ("max_surge_pods", f64::from(fence.surge)),
            ("max_unavailable_pods", f64::from(fence.unavailable)),
            ("min_available", f64::from(self.min_available())),
            ("max_total", f64::from(self.max_total())),
            ("total", f64::from(self.total())),
            ("available", f64::from(self.available())),
            ("updated", f64::from(self.updated())),
            ("revision", f64::from(self.revision)),
            ("rollouts", self.rollouts as f64),
            ("rollouts_completed", self.completed as f64),
            (
                "stalled",
                f64::from(u8::from(self.status == RolloutStatus::DeadlineExceeded)),
            ),
            ("pods_created", self.pods_created as f64),
            ("pods_deleted", self.pods_deleted as f64),
            ("restarts", f64::from(restarts)),
            ("min_available_seen", f64::from(self.min_available_seen)),
            ("max_total_seen", f64::from(self.max_total_seen)),
        ]);
        let pods = self
            .pods
            .iter()
            .map(|p| {
                let phase = match p.phase {
                    Phase::Starting => "ContainerCreating",
                    Phase::Running { ready: true } => "Running",
                    Phase::Running { ready: false } if self.revision_is_good(p.revision) => {
                        "Running (not ready)"
                    }
                    Phase::Running { ready: false } => "CrashLoopBackOff",
                    Phase::Terminating { .. } => "Terminating",
                };
                BTreeMap::from([
                    ("name", json!(p.name)),
                    ("revision", json!(p.revision)),
                    ("ready", json!(p.ready())),
                    ("phase", json!(phase)),
                    ("restarts", json!(p.restarts)),
                ])
            })
            .collect();
        Summary::of(
            self,
            self.seed,
            metrics,
            [("pods", pods)],
            self.log.to_vec(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{ParamError, ParamValue};
    use proptest::prelude::*;

    fn deployment(replicas: i64, surge: i64, unavailable: i64, bad: bool) -> RollingDeploySim {
        let mut sim = RollingDeploySim::new(0);
        sim.set("replicas", &ParamValue::Int(replicas)).unwrap();
        sim.set("max_surge", &ParamValue::Int(surge)).unwrap();
        sim.set("max_unavailable", &ParamValue::Int(unavailable))
            .unwrap();
        sim.set("bad_image", &ParamValue::Bool(bad)).unwrap();
        sim
    }

    #[test]
    fn fenceposts_round_surge_up_and_unavailable_down() {
        assert_eq!(
            resolve_fenceposts(10, 25, 25),
            Fenceposts {
                surge: 3,
                unavailable: 2
            }
        );
        assert_eq!(
            resolve_fenceposts(1, 25, 25),
            Fenceposts {
                surge: 1,
                unavailable: 0
            }
        );
        // Both round to zero: unavailable becomes 1 so the rollout can move.
        assert_eq!(
            resolve_fenceposts(4, 0, 10),
            Fenceposts {
                surge: 0,
                unavailable: 1
            }
        );
        let sim = deployment(10, 25, 25, false);
        assert_eq!((sim.min_available(), sim.max_total()), (8, 13));
    }

    #[test]
    fn both_zero_is_rejected() {
        let mut sim = RollingDeploySim::new(0);
        sim.set("max_surge", &ParamValue::Int(0)).unwrap();
        assert!(matches!(
            sim.set("max_unavailable", &ParamValue::Int(0)),
            Err(ParamError::Rejected(_))
        ));
        assert_eq!(sim.fenceposts().unavailable, 2);
    }

    #[test]
    fn a_good_image_rolls_out_completely() {
        let mut sim = deployment(10, 25, 25, false);
        for _ in 0..60 {
            sim.step();
        }
        assert_eq!(*sim.status(), RolloutStatus::Complete);
        assert_eq!(sim.revision(), 2);
        assert_eq!(sim.updated(), 10);
        assert_eq!(sim.available(), 10);
        assert_eq!(sim.max_total_seen(), 13);
        assert_eq!(sim.min_available_seen(), 8);
    }

    #[test]
    fn the_chapter_point_a_bad_image_stalls_with_the_old_pods_serving() {
        let mut sim = deployment(10, 25, 25, true);
        for _ in 0..60 {
            sim.step();
        }
        assert_eq!(*sim.status(), RolloutStatus::DeadlineExceeded);
        // Readiness gating: the broken pods never took traffic, and the old ones that remain
        // are exactly the availability floor.
        assert_eq!(sim.available(), 8);
        assert!(
            sim.pods()
                .iter()
                .filter(|p| p.ready())
                .all(|p| p.revision == 1)
        );
        assert_eq!(
            sim.updated(),
            5,
            "surge 3 plus the 2 slots maxUnavailable freed"
        );
        assert!(sim.undo());
        for _ in 0..40 {
            sim.step();
        }
        assert_eq!(*sim.status(), RolloutStatus::Complete);
        assert_eq!((sim.revision(), sim.available(), sim.total()), (3, 10, 10));
    }

    /// `rollout undo` makes revision N+1 with the old template, as Kubernetes does: the old
    /// ReplicaSet's pods are renumbered, not replaced, and a second undo goes back again.
    #[test]
    fn undo_makes_a_new_revision_from_the_previous_template() {
        let mut sim = deployment(4, 25, 25, false);
        assert!(!sim.undo(), "nothing to undo before the first rollout");
        for _ in 0..30 {
            sim.step();
        }
        assert_eq!(sim.revision(), 2);
        sim.deploy(false);
        for _ in 0..10 {
            sim.step();
        }
        let serving: Vec<String> = sim
            .pods()
            .iter()
            .filter(|p| p.ready())
            .map(|p| p.name.clone())
            .collect();
        assert!(sim.undo());
        assert_eq!(sim.revision(), 4);
        assert_eq!(sim.rolled_back_to(4), Some(2));
        assert!(sim.revision_is_good(4));
        assert!(
            sim.log()
                .iter()
                .any(|e| e.text.contains("revision 4 (template of revision 2)"))
        );
        for _ in 0..30 {
            sim.step();
        }
        assert_eq!(*sim.status(), RolloutStatus::Complete);
        assert!(sim.pods().iter().all(|p| p.revision == 4));
        for name in &serving {
            assert!(
                sim.pods().iter().any(|p| &p.name == name),
                "{name} kept serving through the rollback"
            );
        }
        assert!(sim.pods().iter().all(|p| p.name.starts_with("web-v2-")));
        // Undoing the rollback goes to the bad template again, as revision 5.
        assert!(sim.undo());
        assert_eq!((sim.revision(), sim.rolled_back_to(5)), (5, Some(3)));
        assert!(!sim.revision_is_good(5));
    }

    #[test]
    fn scaling_during_a_rollout_is_rejected() {
        let mut sim = deployment(4, 25, 25, true);
        for _ in 0..6 {
            sim.step();
        }
        assert!(sim.set("replicas", &ParamValue::Int(6)).is_err());
        assert_eq!(sim.replicas(), 4);
    }

    proptest! {
        #[test]
        fn the_rollout_stays_within_its_bounds_at_every_tick(
            replicas in 1i64..=20,
            surge in 0i64..=100,
            unavailable in 0i64..=100,
            ready_ticks in 1i64..10,
            actions in prop::collection::vec((0u64..150, prop::sample::select(vec!['d', 'b', 'u'])), 0..6),
        ) {
            prop_assume!(surge > 0 || unavailable > 0);
            let mut sim = deployment(replicas, surge, unavailable, false);
            sim.set("ready_ticks", &ParamValue::Int(ready_ticks)).unwrap();
            let (floor, ceiling) = (sim.min_available(), sim.max_total());
            for t in 0..150 {
                for &(at, key) in &actions {
                    if at == t { prop_assert!(sim.act(key)); }
                }
                sim.step();
                prop_assert!(sim.available() >= floor, "tick {}: {} available < {}", t, sim.available(), floor);
                prop_assert!(sim.total() <= ceiling, "tick {}: {} pods > {}", t, sim.total(), ceiling);
            }
            // With a working image and no further actions, the rollout finishes.
            if sim.revision_is_good(sim.revision()) {
                for _ in 0..200 { sim.step(); }
                prop_assert_eq!(sim.status(), &RolloutStatus::Complete);
                prop_assert_eq!(sim.available(), replicas as u32);
            }
        }

        #[test]
        fn a_bad_image_never_takes_traffic(replicas in 1i64..=20, surge in 0i64..=100, unavailable in 0i64..=100) {
            prop_assume!(surge > 0 || unavailable > 0);
            let mut sim = deployment(replicas, surge, unavailable, true);
            for _ in 0..80 {
                sim.step();
                prop_assert!(sim.pods().iter().filter(|p| p.ready()).all(|p| p.revision == 1));
            }
            prop_assert_ne!(sim.status(), &RolloutStatus::Complete);
        }

        #[test]
        fn the_same_settings_replay_exactly(bad: bool, seed: u64) {
            let mut a = deployment(7, 30, 10, bad);
            a.seed = seed;
            let mut b = a.clone();
            for _ in 0..70 {
                a.step();
                b.step();
            }
            prop_assert_eq!(a.summary(), b.summary());
        }
    }
}
