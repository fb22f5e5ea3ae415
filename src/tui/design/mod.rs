//! The design screen: a design drawn as boxes and arrows, what its last run measured, the
//! challenge's SLO checklist and its failure schedule on a timeline. The state here is plain
//! data with pure updates; `view` draws it.

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
    pub report: Report,
    pub selected: usize,
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
        let report = crate::design::simulate(&design, seed, duration_s);
        DesignScreen {
            title,
            design,
            requirements,
            seed,
            duration_s,
            report,
            selected: 0,
        }
    }

    /// Apply a key; a change to the design re-runs it. Returns true when the screen changed.
    pub fn key(&mut self, key: DesignKey) -> bool {
        let n = self.design.components.len();
        match key {
            DesignKey::Next => self.selected = (self.selected + 1) % n,
            DesignKey::Previous => self.selected = (self.selected + n - 1) % n,
            DesignKey::More | DesignKey::Less => {
                let up = key == DesignKey::More;
                if !adjust(&mut self.design.components[self.selected].spec, up) {
                    return false;
                }
                self.report = crate::design::simulate(&self.design, self.seed, self.duration_s);
            }
        }
        true
    }
}

/// One step of capacity up or down; false when the component has no such knob or is at
/// its limit.
fn adjust(spec: &mut Spec, up: bool) -> bool {
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
        Spec::Service(s) => step(&mut s.instances, up, 1, 1000),
        Spec::Database(d) => step(&mut d.replicas, up, 0, 15),
        Spec::Queue(q) => step(&mut q.consumers, up, 1, 10_000),
        Spec::Cache(c) | Spec::Cdn(c) => {
            let next = if up {
                c.capacity.saturating_mul(2).min(1_000_000)
            } else {
                (c.capacity / 2).max(1)
            };
            let changed = next != c.capacity;
            c.capacity = next;
            changed
        }
        Spec::Lb(_) | Spec::RateLimiter(_) => false,
    }
}
