//! Challenges: a story, requirements, a failure schedule, a starting design that fails and a
//! reference design that passes, graded on seeds the student never sees.
//!
//! On disk a challenge is a folder `challenges/<id>/` holding `challenge.toml`, `start.toml`
//! and `reference.toml`. The challenge owns the workload: grading runs the student's design
//! with the starting design's `[workload]` (only `target` is the student's) and with the
//! challenge's failure schedule instead of any in the design file, so a design cannot pass
//! by asking for less traffic or fewer failures.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde::Serialize;
use toml::de::DeTable;

use super::model::{Design, Spec, WritePolicy};
use super::parse::{FailureSpec, failure_specs, resolve_failure};
use super::prices::Prices;
use crate::course::Diagnostic;
use crate::course::schema::{Fields, FileCtx};
use crate::sim::design::{Report, RunConfig};

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/challenges");

const KEYS: &[&str] = &[
    "id",
    "chapter",
    "title",
    "story",
    "explanation",
    "hint",
    "duration_s",
    "seeds",
    "writes_bypass_caches",
    "uncacheable",
    "requirements",
    "failure",
];
const REQUIREMENT_KEYS: &[&str] = &[
    "p99_ms",
    "error_rate",
    "availability",
    "writes_lost",
    "max_staleness_ms",
    "stale_read_rate",
    "budget",
];
const MIN_SEEDS: usize = 5;

/// What a design must achieve on every seed. Absent requirements are not checked.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Requirements {
    pub p99_ms: Option<f64>,
    pub error_rate: Option<f64>,
    pub availability: Option<f64>,
    pub writes_lost: Option<u64>,
    /// The most out of date a cached copy served to a client may be, in ms.
    pub max_staleness_ms: Option<f64>,
    /// The share of successful reads that may be answered with an out-of-date cached copy.
    pub stale_read_rate: Option<f64>,
    /// Dollars per month at the illustrative prices.
    pub budget: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Challenge {
    pub id: String,
    pub chapter: u32,
    pub title: String,
    /// Markdown.
    pub story: String,
    /// Markdown, shown after a pass.
    pub explanation: String,
    pub hint: Option<String>,
    pub duration_s: f64,
    pub seeds: Vec<u64>,
    /// The story's writers update the database by a path no cache sees: grading runs every
    /// cache and CDN with `write = "none"`, so a design cannot invalidate on their writes.
    pub writes_bypass_caches: bool,
    /// Why the story's answers cannot be cached (personal, live data): a design with a cache
    /// or CDN is refused with this reason, so a sizing challenge is not passed by caching.
    pub uncacheable: Option<String>,
    pub requirements: Requirements,
    pub failures: Vec<FailureSpec>,
    pub start: Design,
    /// The starting design's source, copied into the workspace for the student to edit.
    pub start_source: String,
    pub reference: Design,
}

/// A file of a challenge folder: its name and contents.
type NamedBytes = (String, Cow<'static, [u8]>);

/// The challenges that loaded, and every problem found loading the others.
pub type Loaded = (Vec<Challenge>, Vec<Diagnostic>);

/// The built-in challenges, or `DIR/challenges` with `--course DIR` (none when absent).
pub fn load(course_dir: Option<&Path>) -> Loaded {
    let mut folders: Vec<(String, Vec<NamedBytes>)> = Vec::new();
    match course_dir {
        None => {
            for dir in EMBEDDED.dirs() {
                let name = dir.path().display().to_string();
                let files = dir
                    .files()
                    .map(|f| {
                        (
                            f.path()
                                .file_name()
                                .unwrap_or_default()
                                .to_string_lossy()
                                .into_owned(),
                            Cow::Borrowed(f.contents()),
                        )
                    })
                    .collect();
                folders.push((name, files));
            }
        }
        Some(dir) => {
            let root = dir.join("challenges");
            if !root.exists() {
                return (Vec::new(), Vec::new());
            }
            let entries = match std::fs::read_dir(&root) {
                Ok(e) => e,
                Err(e) => {
                    return (
                        Vec::new(),
                        vec![Diagnostic::whole_file(
                            &root.display().to_string(),
                            format!("cannot read the challenges directory: {e}"),
                        )],
                    );
                }
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if !path.is_dir() {
                    continue;
                }
                let name = entry.file_name().to_string_lossy().into_owned();
                let mut files = Vec::new();
                for f in ["challenge.toml", "start.toml", "reference.toml"] {
                    if let Ok(bytes) = std::fs::read(path.join(f)) {
                        files.push((f.to_string(), Cow::Owned(bytes)));
                    }
                }
                folders.push((name, files));
            }
        }
    }
    folders.sort_by(|a, b| a.0.cmp(&b.0));
    let mut challenges = Vec::new();
    let mut problems = Vec::new();
    for (name, files) in folders {
        match load_one(&name, &files) {
            Ok(c) => challenges.push(c),
            Err(mut d) => problems.append(&mut d),
        }
    }
    challenges.sort_by(|a, b| (a.chapter, &a.id).cmp(&(b.chapter, &b.id)));
    (challenges, problems)
}

fn load_one(folder: &str, files: &[NamedBytes]) -> Result<Challenge, Vec<Diagnostic>> {
    let path = |f: &str| format!("challenges/{folder}/{f}");
    let text = |f: &str| -> Result<String, Vec<Diagnostic>> {
        let bytes = files
            .iter()
            .find(|(n, _)| n == f)
            .map(|(_, b)| b)
            .ok_or_else(|| {
                vec![Diagnostic::whole_file(
                    &path(f),
                    "missing; a challenge folder holds challenge.toml, start.toml and reference.toml".to_string(),
                )]
            })?;
        String::from_utf8(bytes.to_vec()).map_err(|_| {
            vec![Diagnostic::whole_file(
                &path(f),
                "file is not UTF-8 text".into(),
            )]
        })
    };
    let meta_src = text("challenge.toml")?;
    let start_src = text("start.toml")?;
    let reference_src = text("reference.toml")?;
    let mut problems = Vec::new();
    let start = super::parse(&path("start.toml"), &start_src).map_err(|d| problems.extend(d));
    let reference =
        super::parse(&path("reference.toml"), &reference_src).map_err(|d| problems.extend(d));
    let meta =
        parse_meta(&path("challenge.toml"), &meta_src, folder).map_err(|d| problems.extend(d));
    let (Ok(start), Ok(reference), Ok(build)) = (start, reference, meta) else {
        return Err(problems);
    };
    let challenge = build(Designs {
        start,
        start_source: start_src,
        reference,
    });
    // The failure schedule must fit both shipped designs.
    for design in [&challenge.start, &challenge.reference] {
        for f in &challenge.failures {
            if let Err(message) = resolve_failure(design, f) {
                problems.push(Diagnostic::whole_file(&path("challenge.toml"), message));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(challenge)
}

/// The designs a challenge folder ships, parsed beside its `challenge.toml`.
struct Designs {
    start: Design,
    start_source: String,
    reference: Design,
}

/// `challenge.toml` read and checked. What it returns makes the challenge once the folder's
/// designs have parsed too: both are read before either is reported, so every problem in the
/// folder shows at once.
fn parse_meta(
    path: &str,
    source: &str,
    folder: &str,
) -> Result<impl FnOnce(Designs) -> Challenge + use<>, Vec<Diagnostic>> {
    let (doc, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| {
                Diagnostic::at(
                    path,
                    &crate::course::SourceMap::new(source),
                    e.span().unwrap_or(0..0),
                    format!("invalid TOML: {}", e.message().trim()),
                )
            })
            .collect());
    }
    let mut ctx = FileCtx::new(path, source);
    let top = Fields::new(doc.get_ref(), 0..0, "the challenge");
    top.deny_unknown(&mut ctx, KEYS);
    let id = top.string(&mut ctx, "id", true);
    if let Some(id) = &id
        && id.get_ref() != folder
    {
        ctx.error(
            id.span(),
            format!(
                "the id `{}` must match the folder name `{folder}`",
                id.get_ref()
            ),
        );
    }
    let chapter = top.integer(&mut ctx, "chapter", true, 1..=99);
    let title = top.string(&mut ctx, "title", true);
    let story = top.string(&mut ctx, "story", true);
    let explanation = top.string(&mut ctx, "explanation", true);
    let hint = top.string(&mut ctx, "hint", false);
    let duration_s = match top.number(&mut ctx, "duration_s", false) {
        Some(v) if !(1.0..=3600.0).contains(v.get_ref()) => {
            ctx.error(v.span(), "`duration_s` must be from 1 to 3600 seconds");
            60.0
        }
        Some(v) => *v.get_ref(),
        None => 60.0,
    };
    let seeds = top.integers(&mut ctx, "seeds", true).unwrap_or_default();
    let mut seed_values: Vec<u64> = Vec::new();
    for s in &seeds {
        let v = *s.get_ref() as u64;
        if seed_values.contains(&v) {
            ctx.error(s.span(), format!("seed {v} is listed twice"));
        }
        seed_values.push(v);
    }
    if let Some(v) = top.get("seeds")
        && seeds.len() < MIN_SEEDS
    {
        ctx.error(
            v.span(),
            format!(
                "a challenge needs at least {MIN_SEEDS} hidden seeds, so that a design cannot pass by luck"
            ),
        );
    }
    let writes_bypass_caches = match top.get("writes_bypass_caches") {
        None => false,
        Some(v) => match v.get_ref() {
            toml::de::DeValue::Boolean(b) => *b,
            other => {
                ctx.error(
                    v.span(),
                    format!(
                        "`writes_bypass_caches` must be true or false, not {}",
                        other.type_str()
                    ),
                );
                false
            }
        },
    };
    let uncacheable = top
        .string(&mut ctx, "uncacheable", false)
        .map(|s| s.into_inner());
    let mut requirements = Requirements::default();
    match top.table(&mut ctx, "requirements") {
        Some((t, span)) => {
            let f = Fields::new(t, span.clone(), "[requirements]");
            f.deny_unknown(&mut ctx, REQUIREMENT_KEYS);
            requirements.p99_ms = f.number(&mut ctx, "p99_ms", false).map(|v| *v.get_ref());
            requirements.error_rate = f
                .number(&mut ctx, "error_rate", false)
                .map(|v| *v.get_ref());
            requirements.availability = f
                .number(&mut ctx, "availability", false)
                .map(|v| *v.get_ref());
            requirements.writes_lost = f
                .integer(&mut ctx, "writes_lost", false, 0..=i64::MAX)
                .map(|v| *v.get_ref() as u64);
            requirements.max_staleness_ms = f
                .number(&mut ctx, "max_staleness_ms", false)
                .map(|v| *v.get_ref());
            requirements.stale_read_rate = f
                .number(&mut ctx, "stale_read_rate", false)
                .map(|v| *v.get_ref());
            requirements.budget = f.number(&mut ctx, "budget", false).map(|v| *v.get_ref());
            if t.is_empty() {
                ctx.error(span, "[requirements] is empty; give at least one");
            }
        }
        None => ctx.error(0..0, "the challenge has no [requirements]"),
    }
    let failures = failure_specs(&mut ctx, &top)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    if !ctx.diagnostics.is_empty() {
        return Err(ctx.diagnostics);
    }
    let id = id.map(|s| s.into_inner()).unwrap_or_default();
    let chapter = chapter.map_or(0, |c| *c.get_ref() as u32);
    let title = title.map(|s| s.into_inner()).unwrap_or_default();
    let story = story.map(|s| s.into_inner()).unwrap_or_default();
    let explanation = explanation.map(|s| s.into_inner()).unwrap_or_default();
    let hint = hint.map(|s| s.into_inner());
    Ok(move |designs: Designs| Challenge {
        id,
        chapter,
        title,
        story,
        explanation,
        hint,
        duration_s,
        seeds: seed_values,
        writes_bypass_caches,
        uncacheable,
        requirements,
        failures,
        start: designs.start,
        start_source: designs.start_source,
        reference: designs.reference,
    })
}

/// One requirement on one seed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub name: &'static str,
    /// `≤ 200 ms`, `≥ 99.9%`.
    pub target: String,
    pub measured: String,
    pub passed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedResult {
    pub seed: u64,
    pub passed: bool,
    pub checks: Vec<Check>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bottleneck {
    pub component: String,
    pub utilization: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorSource {
    pub component: String,
    pub reason: &'static str,
    pub count: u64,
}

/// The verdict on a design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grade {
    pub challenge: String,
    pub passed: bool,
    pub cost_per_month: f64,
    pub seeds: Vec<SeedResult>,
    pub bottleneck: Option<Bottleneck>,
    /// Summed over the seeds, most first.
    pub errors: Vec<ErrorSource>,
    pub hint: Option<String>,
    /// Shown once the design passes.
    pub explanation: Option<String>,
}

impl Challenge {
    /// The design as the challenge runs it: its workload (keeping the design's entry point),
    /// its failure schedule, and, when the story's writers bypass caches, caches that leave
    /// their copies alone on writes. Errors name a failure the design cannot take, or a fact
    /// of the story the design changed (`givens`: how fast one node of the start's components
    /// works).
    pub fn prepare(&self, design: &Design) -> Result<Design, String> {
        super::givens::check(&self.start, design)?;
        if let Some(why) = &self.uncacheable
            && let Some(c) = design
                .components
                .iter()
                .find(|c| matches!(c.spec, Spec::Cache(_) | Spec::Cdn(_)))
        {
            return Err(format!(
                "`{}` is a {}, but nothing here can be cached: {why}",
                c.name,
                c.kind().name()
            ));
        }
        let mut d = design.clone();
        let target = d.workload.target;
        d.workload = self.start.workload.clone();
        d.workload.target = target;
        d.failures = self
            .failures
            .iter()
            .map(|f| resolve_failure(&d, f))
            .collect::<Result<_, _>>()?;
        if self.writes_bypass_caches {
            for c in &mut d.components {
                if let Spec::Cache(s) | Spec::Cdn(s) = &mut c.spec {
                    s.write = WritePolicy::None;
                }
            }
        }
        super::work::check(&d, self.duration_s)?;
        Ok(d)
    }

    /// Grade `design` on every hidden seed. `progress` is told after each seed.
    pub fn grade(
        &self,
        design: &Design,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<Grade, String> {
        let d = self.prepare(design)?;
        let cost = Prices::builtin().design(&d);
        let mut reports = Vec::new();
        for (i, &seed) in self.seeds.iter().enumerate() {
            let mut r = crate::sim::design::run(
                &d,
                RunConfig {
                    seed,
                    duration_s: self.duration_s,
                },
            );
            r.metrics.cost_per_month = cost;
            reports.push(r);
            progress(i + 1, self.seeds.len());
        }
        let queued = d
            .components
            .iter()
            .any(|c| matches!(c.spec, Spec::Queue(_)));
        Ok(self.verdict(&reports, cost, queued))
    }

    /// `queued`: the design has a queue, so work it answered for may still be undone at the end.
    fn verdict(&self, reports: &[Report], cost: f64, queued: bool) -> Grade {
        let req = &self.requirements;
        let seeds: Vec<SeedResult> = reports
            .iter()
            .map(|r| {
                let m = &r.metrics;
                let mut checks = Vec::new();
                if let Some(t) = req.p99_ms {
                    checks.push(Check {
                        name: "p99 latency",
                        target: format!("≤ {t} ms"),
                        measured: m
                            .p99_ms
                            .map_or("no successful request".into(), |v| format!("{v:.1} ms")),
                        passed: m.p99_ms.is_some_and(|v| v <= t),
                    });
                }
                if let Some(t) = req.error_rate {
                    checks.push(Check {
                        name: "error rate",
                        target: format!("≤ {}", crate::text::percent_target(t)),
                        measured: crate::text::percent(m.error_rate),
                        passed: m.error_rate <= t,
                    });
                }
                if let Some(t) = req.availability {
                    checks.push(Check {
                        name: "availability",
                        target: format!("≥ {}", crate::text::percent_target(t)),
                        measured: crate::text::percent(m.availability),
                        passed: m.availability >= t,
                    });
                }
                if let Some(t) = req.writes_lost {
                    checks.push(Check {
                        name: "writes lost",
                        target: format!("≤ {t}"),
                        measured: m.writes_lost.to_string(),
                        passed: m.writes_lost <= t,
                    });
                }
                if queued {
                    // A queue answers before the work is done; work that is never done is not
                    // a pass. What arrives in one second may still be waiting at the end.
                    let allowed = self.start.workload.rps.ceil() as u64;
                    checks.push(Check {
                        name: "queued at end",
                        target: format!("≤ {allowed} (1 s of traffic)"),
                        measured: m.queued_at_end.to_string(),
                        passed: m.queued_at_end <= allowed,
                    });
                }
                if let Some(t) = req.max_staleness_ms {
                    checks.push(Check {
                        name: "max staleness",
                        target: format!("≤ {}", crate::text::duration_ms(t)),
                        measured: crate::text::duration_ms(m.max_staleness_ms),
                        passed: m.max_staleness_ms <= t,
                    });
                }
                if let Some(t) = req.stale_read_rate {
                    checks.push(Check {
                        name: "stale reads",
                        target: format!("≤ {}", crate::text::percent_target(t)),
                        measured: crate::text::percent(m.stale_read_rate),
                        passed: m.stale_read_rate <= t,
                    });
                }
                if let Some(t) = req.budget {
                    checks.push(Check {
                        name: "monthly cost",
                        target: format!("≤ ${t:.0}"),
                        measured: format!("${cost:.0}"),
                        passed: cost <= t,
                    });
                }
                SeedResult {
                    seed: r.seed,
                    passed: checks.iter().all(|c| c.passed),
                    checks,
                }
            })
            .collect();
        let passed = seeds.iter().all(|s| s.passed);
        let bottleneck = reports
            .iter()
            .filter_map(|r| r.bottleneck())
            .max_by(|a, b| {
                a.utilization
                    .unwrap_or(0.0)
                    .total_cmp(&b.utilization.unwrap_or(0.0))
            })
            .map(|c| Bottleneck {
                component: c.name.clone(),
                utilization: c.utilization.unwrap_or(0.0),
            });
        let mut errors: Vec<ErrorSource> = Vec::new();
        for r in reports {
            for e in &r.errors {
                match errors
                    .iter_mut()
                    .find(|x| x.component == e.component && x.reason == e.reason)
                {
                    Some(x) => x.count += e.count,
                    None => errors.push(ErrorSource {
                        component: e.component.clone(),
                        reason: e.reason,
                        count: e.count,
                    }),
                }
            }
        }
        errors.sort_by(|a, b| b.count.cmp(&a.count).then(a.component.cmp(&b.component)));
        let hint = if passed {
            None
        } else {
            Some(self.hint_for(&seeds, bottleneck.as_ref(), &errors, cost))
        };
        Grade {
            challenge: self.id.clone(),
            passed,
            cost_per_month: cost,
            seeds,
            bottleneck,
            errors,
            hint,
            explanation: passed.then(|| self.explanation.clone()),
        }
    }

    /// What to try first, from what failed.
    fn hint_for(
        &self,
        seeds: &[SeedResult],
        bottleneck: Option<&Bottleneck>,
        errors: &[ErrorSource],
        cost: f64,
    ) -> String {
        let failed = |name: &str| {
            seeds
                .iter()
                .any(|s| s.checks.iter().any(|c| c.name == name && !c.passed))
        };
        let mut out = Vec::new();
        if failed("monthly cost") {
            out.push(format!(
                "The design costs ${cost:.0} a month, over the budget: find the component you over-provisioned."
            ));
        }
        if failed("writes lost") {
            out.push("Acknowledged writes were lost: a failover promoted a replica that had not received them (try `replication = \"sync\"`), or a queue dead-lettered messages.".to_string());
        }
        if failed("queued at end") {
            out.push("Work was still waiting in a queue when the run ended: the queue answered quickly, but its consumers do less than arrives, so the backlog only grows. Add consumers (or capacity behind them) until the backlog drains.".to_string());
        }
        if failed("max staleness") || failed("stale reads") {
            out.push("Clients read cached copies that were out of date: a copy stays out of date until a write through the cache replaces or deletes it, or its TTL runs out, so with writes that bypass the cache the worst staleness approaches the TTL (plus any replica lag): shorten the TTL.".to_string());
        }
        if let Some(e) = errors.first() {
            let advice = match e.reason {
                "queue full" => "its queue overflowed: add capacity or shed load earlier",
                "instance down" => {
                    "calls reached dead instances: put a health-checked lb in front, or spread zones"
                }
                "no healthy backend" => {
                    "every backend was down at once: more instances, in more zones"
                }
                "timeout" => "calls timed out: the callee is too slow or overloaded",
                "circuit open" => {
                    "its circuit breaker was open: the dependency behind it is failing"
                }
                "rate limited" => {
                    "legitimate clients were rate limited: the limit is too tight for them"
                }
                "no primary" => "writes found no primary: replicas let a failover promote one",
                "dead-lettered" => "a queue gave up on messages: its consumers' calls kept failing",
                _ => "clients gave up waiting: requests queued for longer than their timeout",
            };
            out.push(format!(
                "Most errors came from `{}` ({}: {}×): {advice}.",
                e.component, e.reason, e.count
            ));
        }
        if failed("p99 latency")
            && let Some(b) = bottleneck
        {
            out.push(format!(
                "`{}` is the busiest component at {:.0}% utilization; queueing delay grows quickly past about 70%.",
                b.component,
                b.utilization * 100.0
            ));
        }
        if let Some(h) = &self.hint {
            out.push(h.clone());
        }
        out.join(" ")
    }
}

/// Where a student's design for a challenge lives in the workspace.
pub fn workspace_path(workspace: &Path, id: &str) -> PathBuf {
    workspace.join("designs").join(format!("{id}.toml"))
}

/// For `check`: every starting design must fail and every reference design pass. Returns
/// one message per broken promise.
pub fn prove(challenges: &[Challenge]) -> Vec<String> {
    let mut problems = Vec::new();
    for c in challenges {
        match c.grade(&c.start, |_, _| {}) {
            Ok(g) if g.passed => problems.push(format!(
                "challenges/{}/start.toml: error: the starting design passes; it must fail at least one requirement",
                c.id
            )),
            Ok(_) => {}
            Err(e) => problems.push(format!("challenges/{}/start.toml: error: {e}", c.id)),
        }
        match c.grade(&c.reference, |_, _| {}) {
            Ok(g) if !g.passed => {
                let failing: Vec<String> = g
                    .seeds
                    .iter()
                    .filter(|s| !s.passed)
                    .flat_map(|s| {
                        s.checks.iter().filter(|k| !k.passed).map(move |k| {
                            format!(
                                "seed {}: {} {} (target {})",
                                s.seed, k.name, k.measured, k.target
                            )
                        })
                    })
                    .collect();
                problems.push(format!(
                    "challenges/{}/reference.toml: error: the reference design fails: {}",
                    c.id,
                    failing.join("; ")
                ));
            }
            Ok(_) => {}
            Err(e) => problems.push(format!("challenges/{}/reference.toml: error: {e}", c.id)),
        }
    }
    problems
}

/// Grade the student's design for `c` from the workspace (written from the starting design
/// when missing) as a `sysdesign grade` result: one check per requirement per seed.
pub fn grade_result(c: &Challenge, workspace: &Path, seed: u64) -> crate::grade::GradeResult {
    use crate::grade::{CheckResult, GradeResult, Status};
    let started = std::time::Instant::now();
    let path = workspace_path(workspace, &c.id);
    if !path.exists() {
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::write(&path, &c.start_source));
        if let Err(e) = written {
            return GradeResult::error(
                &c.id,
                seed,
                format!(
                    "cannot write the starting design to {}: {e}",
                    path.display()
                ),
                0,
            );
        }
    }
    let elapsed = |t: std::time::Instant| t.elapsed().as_millis() as u64;
    let source = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            return GradeResult::error(
                &c.id,
                seed,
                format!("cannot read {}: {e}", path.display()),
                elapsed(started),
            );
        }
    };
    let design = match super::parse(&path.display().to_string(), &source) {
        Ok(d) => d,
        Err(diags) => {
            let text: Vec<String> = diags.iter().map(|d| d.render()).collect();
            return GradeResult::error(&c.id, seed, text.join("\n\n"), elapsed(started));
        }
    };
    let grade = match c.grade(&design, |_, _| {}) {
        Ok(g) => g,
        Err(message) => {
            return GradeResult::error(
                &c.id,
                seed,
                format!("{}: {message}", path.display()),
                elapsed(started),
            );
        }
    };
    // The hint goes with the first failed check only; the others say what was measured.
    let mut hint = grade.hint.clone();
    let mut tests = Vec::new();
    for s in &grade.seeds {
        for k in &s.checks {
            let message = (!k.passed).then(|| match hint.take() {
                Some(h) => format!("measured {}. {h}", k.measured),
                None => format!("measured {}", k.measured),
            });
            tests.push(CheckResult {
                name: format!("seed {}: {} {}", s.seed, k.name, k.target),
                status: if k.passed { Status::Pass } else { Status::Fail },
                message,
                output: None,
                task_id: None,
            });
        }
    }
    GradeResult::from_checks(&c.id, seed, tests, elapsed(started))
}

/// The text of challenge `id`'s `challenge.toml` (built in, or under `DIR/challenges`), to
/// point a later problem at one of its keys. `None` when it cannot be read.
pub fn meta_source(course_dir: Option<&Path>, id: &str) -> Option<String> {
    let bytes = match course_dir {
        None => EMBEDDED
            .get_file(format!("{id}/challenge.toml"))
            .map(|f| f.contents().to_vec())?,
        Some(dir) => std::fs::read(dir.join("challenges").join(id).join("challenge.toml")).ok()?,
    };
    String::from_utf8(bytes).ok()
}
