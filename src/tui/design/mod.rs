//! The design screen: a design drawn as boxes and arrows, what its last run measured, the
//! challenge's SLO checklist and its failure schedule on a timeline. The state here is plain
//! data with pure updates; `view` draws it. `app` makes it a screen of the app: the student's
//! design file, runs and grading in the background, tweaks written back to the file.

pub mod app;
pub mod view;

use crate::design::challenge::{Challenge, Requirements};
use crate::design::model::{Design, Spec};
use crate::sim::design::Report;

/// Keys the screen understands, already decoded from the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DesignKey {
    Next,
    Previous,
    /// Add capacity to the selected component (an instance, a replica, a consumer, or double
    /// a cache).
    More,
    Less,
}

#[derive(Debug, Clone)]
pub struct DesignScreen {
    pub title: String,
    /// The design as the challenge runs it (its workload and failures applied).
    pub design: Design,
    pub requirements: Requirements,
    pub seed: u64,
    pub duration_s: f64,
    /// The last run's measurements; `None` until the first run of this design finishes.
    pub report: Option<Report>,
    pub selected: usize,
}

/// A knob of a component and the value a tweak gave it, to write back to the design file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tweak {
    pub component: String,
    pub key: &'static str,
    pub value: i64,
}

impl DesignScreen {
    /// A screen for `design` under `challenge`; runs it once on `seed`.
    pub fn for_challenge(
        challenge: &Challenge,
        design: &Design,
        seed: u64,
    ) -> Result<Self, String> {
        let design = challenge.prepare(design)?;
        Ok(Self::new(
            challenge.title.clone(),
            design,
            challenge.requirements.clone(),
            seed,
            challenge.duration_s,
        ))
    }

    pub fn new(
        title: String,
        design: Design,
        requirements: Requirements,
        seed: u64,
        duration_s: f64,
    ) -> Self {
        let mut screen = Self::unrun(title, design, requirements, seed, duration_s);
        screen.run();
        screen
    }

    /// A screen whose design has not run yet (the app runs it in the background).
    pub fn unrun(
        title: String,
        design: Design,
        requirements: Requirements,
        seed: u64,
        duration_s: f64,
    ) -> Self {
        DesignScreen {
            title,
            design,
            requirements,
            seed,
            duration_s,
            report: None,
            selected: 0,
        }
    }

    /// Run the design here and now (tests and headless use; the app runs it off its thread).
    pub fn run(&mut self) {
        self.report = Some(crate::design::simulate(
            &self.design,
            self.seed,
            self.duration_s,
        ));
    }

    /// Apply a key; a change to the design re-runs it. Returns true when the screen changed.
    pub fn key(&mut self, key: DesignKey) -> bool {
        match key {
            DesignKey::Next | DesignKey::Previous => {
                self.select(key);
                true
            }
            DesignKey::More | DesignKey::Less => {
                if self.tweak(key == DesignKey::More).is_none() {
                    return false;
                }
                self.run();
                true
            }
        }
    }

    /// Move the selection (`Next` or `Previous`; other keys do nothing).
    pub fn select(&mut self, key: DesignKey) {
        let n = self.design.components.len().max(1);
        match key {
            DesignKey::Next => self.selected = (self.selected + 1) % n,
            DesignKey::Previous => self.selected = (self.selected + n - 1) % n,
            DesignKey::More | DesignKey::Less => {}
        }
    }

    /// One step of capacity up or down on the selected component, without running: the
    /// knob and its new value, or `None` when it has no such knob or is at its limit.
    pub fn tweak(&mut self, up: bool) -> Option<Tweak> {
        let component = self.design.components.get_mut(self.selected)?;
        let (key, value) = adjust(&mut component.spec, up)?;
        Some(Tweak {
            component: component.name.clone(),
            key,
            value,
        })
    }
}

/// One step of capacity up or down: the knob's key in the design file and its new value, or
/// `None` when the component has no such knob or is at its limit.
fn adjust(spec: &mut Spec, up: bool) -> Option<(&'static str, i64)> {
    fn step(x: &mut u32, up: bool, min: u32, max: u32) -> bool {
        let next = if up {
            x.saturating_add(1)
        } else {
            x.saturating_sub(1)
        };
        if next < min || next > max || next == *x {
            return false;
        }
        *x = next;
        true
    }
    match spec {
        Spec::Service(s) => {
            step(&mut s.instances, up, 1, 1000).then(|| ("instances", i64::from(s.instances)))
        }
        Spec::Database(d) => {
            step(&mut d.replicas, up, 0, 15).then(|| ("replicas", i64::from(d.replicas)))
        }
        Spec::Queue(q) => {
            step(&mut q.consumers, up, 1, 10_000).then(|| ("consumers", i64::from(q.consumers)))
        }
        Spec::Cache(c) | Spec::Cdn(c) => {
            let next = if up {
                c.capacity.saturating_mul(2).min(1_000_000)
            } else {
                (c.capacity / 2).max(1)
            };
            let changed = next != c.capacity;
            c.capacity = next;
            changed.then(|| ("capacity", i64::from(c.capacity)))
        }
        Spec::Lb(_) | Spec::RateLimiter(_) => None,
    }
}
