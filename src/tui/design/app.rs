//! The design screen as a screen of the app. The student's design is the file
//! `designs/<challenge id>.toml` in the workspace, written from the challenge's starting design
//! the first time it opens and never overwritten. Runs (on a visible seed) and grading (on the
//! hidden seeds) happen on a background thread: `DesignJob`s go out as effects, `DesignMsg`s
//! come back. The file is the truth: a tweak with `+`/`-` is written into it (keeping its
//! comments), and every save from the editor runs it again.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::{DesignKey, DesignScreen, Tweak};
use crate::design::Design;
use crate::design::challenge::{Challenge, Grade, workspace_path};
use crate::sim::design::Report;
use crate::tui::model::{Model, Overlay, Reader, Screen};
use crate::tui::msg::{Effect, Msg};

/// What the body of the screen shows; `Tab` moves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// The architecture, its last run and the SLO checklist.
    Design,
    /// The challenge's story and requirements.
    Brief,
    /// The last grade: each requirement on each hidden seed, the bottleneck, a hint.
    Results,
}

pub struct DesignView {
    /// Index into `Model::challenges`.
    pub challenge: usize,
    /// The lessons that link the challenge: a pass is recorded in each.
    pub lessons: Vec<String>,
    /// The student's design file.
    pub path: PathBuf,
    /// The reader to return to, as it was.
    pub back: Option<Box<Reader>>,
    /// The file's text as last loaded (or written by a tweak), so that the watcher's echo of
    /// our own write does not run the design twice.
    pub source: Option<String>,
    /// The design as the file describes it (before the challenge's workload is applied).
    pub design: Option<Design>,
    /// The last design that loaded, as the challenge runs it, with its last run.
    pub screen: Option<DesignScreen>,
    /// Why the file cannot run now: a parse error with path:line:col and a caret.
    pub problem: Option<String>,
    /// Bumped on every load: a run's result for an older design is dropped.
    pub generation: u64,
    pub running: bool,
    /// The design changed while a run was under way: run again when it ends.
    pub rerun_queued: bool,
    /// Stops the run under way: set when a newer design supersedes it or the screen closes.
    pub run_stop: StopFlag,
    /// Seeds graded so far and how many there are, while grading.
    pub grading: Option<(usize, usize)>,
    pub grade: Option<Grade>,
    /// The `generation` of the design being graded, then of the one `grade` is for: a grade
    /// of an earlier version of the file says so.
    pub graded_generation: u64,
    /// Grading failed before any seed ran (the design does not fit the challenge).
    pub grade_problem: Option<String>,
    pub panel: Panel,
    /// First row of the brief or results shown.
    pub scroll: usize,
    pub spinner: usize,
    /// The seed runs use: one the challenge does not grade on.
    pub seed: u64,
}

/// Set to stop a run whose result is no longer wanted. Two flags are equal when they are the
/// same flag.
#[derive(Debug, Clone, Default)]
pub struct StopFlag(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl StopFlag {
    pub fn stop(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    pub fn is_stopped(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl PartialEq for StopFlag {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Background work for the design screen.
#[derive(Debug, Clone, PartialEq)]
pub enum DesignJob {
    /// Run `design` (already prepared for the challenge) once on `seed`, unless `stop` is set
    /// first: a newer version of the file supersedes it.
    Run {
        generation: u64,
        design: Box<Design>,
        seed: u64,
        duration_s: f64,
        stop: StopFlag,
    },
    /// Grade `design` (as the file describes it) on the challenge's hidden seeds.
    Grade {
        challenge: String,
        design: Box<Design>,
    },
}

/// What background work reports back.
#[derive(Debug)]
pub enum DesignMsg {
    Ran {
        generation: u64,
        report: Box<Report>,
    },
    /// The run of `generation` was stopped before its end.
    Stopped { generation: u64 },
    /// `done` of `of` seeds are graded.
    Grading { done: usize, of: usize },
    Graded {
        challenge: String,
        result: Result<Box<Grade>, String>,
    },
}

impl DesignJob {
    /// Do the job on this thread, telling `send` about progress and the result. The event
    /// loop calls this on a thread of its own; tests call it directly.
    pub fn perform(self, challenges: &[Challenge], send: &mut dyn FnMut(DesignMsg)) {
        match self {
            DesignJob::Run {
                generation,
                design,
                seed,
                duration_s,
                stop,
            } => match crate::design::simulate_until(&design, seed, duration_s, &stop.0) {
                Some(report) => send(DesignMsg::Ran {
                    generation,
                    report: Box::new(report),
                }),
                None => send(DesignMsg::Stopped { generation }),
            },
            DesignJob::Grade { challenge, design } => {
                let result = match challenges.iter().find(|c| c.id == challenge) {
                    Some(c) => c
                        .grade(&design, |done, of| send(DesignMsg::Grading { done, of }))
                        .map(Box::new),
                    None => Err(format!("no challenge `{challenge}` in this course")),
                };
                send(DesignMsg::Graded { challenge, result });
            }
        }
    }
}

/// Run `job` on a thread of its own; its messages arrive on `tx`.
pub fn spawn(
    job: DesignJob,
    challenges: &[Challenge],
    tx: tokio::sync::mpsc::UnboundedSender<Msg>,
) {
    // The thread needs only the challenge it grades.
    let challenges: Vec<Challenge> = match &job {
        DesignJob::Grade { challenge, .. } => challenges
            .iter()
            .filter(|c| &c.id == challenge)
            .cloned()
            .collect(),
        DesignJob::Run { .. } => Vec::new(),
    };
    std::thread::spawn(move || {
        job.perform(&challenges, &mut |m| {
            let _ = tx.send(Msg::Design(m));
        })
    });
}

/// The seed a practice run uses: the smallest one the challenge does not grade on, so the
/// student never tunes a design to a hidden seed.
pub fn visible_seed(challenge: &Challenge) -> u64 {
    (1..).find(|s| !challenge.seeds.contains(s)).unwrap_or(1)
}

/// How the design file is named in messages: relative to the workspace, as the student
/// knows it.
pub fn shown_path(challenge: &str) -> String {
    format!("designs/{challenge}.toml")
}

/// Write the starting design to `path` unless a file is already there. Returns whether it
/// wrote one.
fn ensure_file(path: &Path, start: &str) -> std::io::Result<bool> {
    if path.exists() {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // `create_new`: a file that appeared meanwhile is the student's, and is kept.
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut f) => {
            use std::io::Write;
            f.write_all(start.as_bytes())?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Open the design screen for challenge `id`, keeping the reader to come back to.
pub fn open(model: &mut Model, id: &str, effects: &mut Vec<Effect>) {
    let Some(index) = model.challenges.iter().position(|c| c.id == id) else {
        model.flash = Some(format!("no design challenge `{id}` in this course"));
        return;
    };
    let challenge = &model.challenges[index];
    let path = workspace_path(model.workspace.root(), id);
    let created = match ensure_file(&path, &challenge.start_source) {
        Ok(created) => created,
        Err(e) => {
            model.flash = Some(format!(
                "cannot write the starting design to {}: {e}",
                path.display()
            ));
            return;
        }
    };
    let back = match std::mem::replace(&mut model.screen, Screen::Catalog) {
        Screen::Reader(r) => Some(r),
        other => {
            model.screen = other;
            None
        }
    };
    let view = DesignView {
        challenge: index,
        lessons: model.course.lessons_linking(id),
        path: path.clone(),
        back,
        source: None,
        design: None,
        screen: None,
        problem: None,
        generation: 0,
        running: false,
        rerun_queued: false,
        run_stop: StopFlag::default(),
        grading: None,
        grade: None,
        graded_generation: 0,
        grade_problem: None,
        panel: Panel::Design,
        scroll: 0,
        spinner: 0,
        seed: visible_seed(challenge),
    };
    model.screen = Screen::Design(Box::new(view));
    effects.push(Effect::WatchExercise(Some(path)));
    load(model, effects);
    if created {
        // The path is on the screen's first line; this says where it came from.
        model.flash = Some("new file, from the challenge's starting design".into());
    }
}

/// Read the design file again and, if it changed, run it. A file that does not parse keeps
/// the last good design on hold and shows why.
fn load(model: &mut Model, effects: &mut Vec<Effect>) {
    let Screen::Design(view) = &mut model.screen else {
        return;
    };
    let challenge = &model.challenges[view.challenge];
    let shown = shown_path(&challenge.id);
    let text = match std::fs::read(&view.path) {
        Ok(bytes) => match crate::design::decode(&shown, bytes) {
            Ok(text) => text,
            Err(diagnostic) => {
                view.problem = Some(diagnostic.render());
                view.design = None;
                return;
            }
        },
        Err(e) => {
            view.problem = Some(format!(
                "{shown}: error: cannot read it: {e}\nPress e to write it again in your editor."
            ));
            return;
        }
    };
    if view.source.as_deref() == Some(text.as_str()) && view.problem.is_none() {
        return;
    }
    apply_source(model, text, effects);
}

/// Take `text` as the design file's contents: parse it, prepare it for the challenge, and
/// run it.
fn apply_source(model: &mut Model, text: String, effects: &mut Vec<Effect>) {
    let Screen::Design(view) = &mut model.screen else {
        return;
    };
    let challenge = &model.challenges[view.challenge];
    let shown = shown_path(&challenge.id);
    view.source = Some(text);
    let text = view.source.as_deref().unwrap_or_default();
    let design = match crate::design::parse(&shown, text) {
        Ok(d) => d,
        Err(diagnostics) => {
            let rendered: Vec<String> = diagnostics.iter().map(|d| d.render()).collect();
            view.problem = Some(rendered.join("\n\n"));
            view.design = None;
            return;
        }
    };
    let prepared = match challenge.prepare(&design) {
        Ok(p) => p,
        Err(message) => {
            view.problem = Some(format!("{shown}: error: {message}"));
            view.design = None;
            return;
        }
    };
    view.problem = None;
    view.design = Some(design);
    let selected = view.screen.as_ref().map_or(0, |s| s.selected);
    // The screen's title line names the file it shows.
    let mut screen = DesignScreen::unrun(
        shown.clone(),
        prepared,
        challenge.requirements.clone(),
        view.seed,
        challenge.duration_s,
    );
    screen.selected = selected.min(screen.design.components.len().saturating_sub(1));
    // The last numbers stay on screen until the new run replaces them.
    screen.report = view.screen.take().and_then(|s| s.report);
    view.screen = Some(screen);
    view.generation += 1;
    start_run(view, effects);
}

fn start_run(view: &mut DesignView, effects: &mut Vec<Effect>) {
    if view.running {
        // The run under way is for an older design: stop it, and run this one when it has.
        view.run_stop.stop();
        view.rerun_queued = true;
        return;
    }
    let Some(screen) = &view.screen else { return };
    view.running = true;
    view.run_stop = StopFlag::default();
    effects.push(Effect::Design(DesignJob::Run {
        generation: view.generation,
        design: Box::new(screen.design.clone()),
        seed: screen.seed,
        duration_s: screen.duration_s,
        stop: view.run_stop.clone(),
    }));
}

/// A background result or progress report arrived.
pub fn message(model: &mut Model, msg: DesignMsg, effects: &mut Vec<Effect>) {
    if let DesignMsg::Graded { challenge, result } = &msg {
        // A pass counts even if the student left the screen meanwhile.
        let passed = result.as_ref().is_ok_and(|g| g.passed);
        if result.is_ok() {
            model
                .progress
                .record(crate::progress::Change::ChallengeGraded {
                    challenge: challenge.clone(),
                    lessons: model.course.lessons_linking(challenge),
                    passed,
                });
            effects.push(Effect::SaveProgress);
        }
    }
    let Screen::Design(view) = &mut model.screen else {
        return;
    };
    let id = model.challenges[view.challenge].id.clone();
    match msg {
        DesignMsg::Ran { generation, report } => {
            view.running = false;
            if generation == view.generation
                && let Some(screen) = &mut view.screen
            {
                screen.report = Some(*report);
            }
            if std::mem::take(&mut view.rerun_queued) {
                start_run(view, effects);
            }
        }
        DesignMsg::Stopped { .. } => {
            view.running = false;
            if std::mem::take(&mut view.rerun_queued) {
                start_run(view, effects);
            }
        }
        DesignMsg::Grading { done, of } => {
            if view.grading.is_some() {
                view.grading = Some((done, of));
            }
        }
        DesignMsg::Graded { challenge, result } => {
            if challenge != id {
                return;
            }
            view.grading = None;
            view.scroll = 0;
            match result {
                Ok(grade) => {
                    let passing = grade.seeds.iter().filter(|s| s.passed).count();
                    model.flash = Some(if grade.passed {
                        format!(
                            "passed on all {} hidden seeds; saved in your progress",
                            grade.seeds.len()
                        )
                    } else {
                        format!(
                            "{passing} of {} hidden seeds pass; the hint says what to try",
                            grade.seeds.len()
                        )
                    });
                    view.grade = Some(*grade);
                    view.grade_problem = None;
                }
                Err(problem) => {
                    view.grade = None;
                    view.grade_problem = Some(format!("{}: error: {problem}", shown_path(&id)));
                    model.flash = Some("the design could not be graded; see why".into());
                }
            }
            view.panel = Panel::Results;
        }
    }
}

/// `challenges/` changed under `--course DIR`: load the challenges again. An open design
/// screen follows its challenge by id and runs the design against the new requirements,
/// workload and failures; a grade made against the old ones is dropped. While the open
/// challenge does not load (an instructor mid-edit), its last good version stays and the
/// screen says why (`Model::kept_challenges`) until it loads again; a challenge folder that is
/// gone closes the screen.
pub fn challenges_changed(model: &mut Model, effects: &mut Vec<Effect>) {
    let crate::course::CourseSource::Dir(dir) = &model.course.source else {
        return;
    };
    let (mut challenges, problems) = crate::design::challenge::load(Some(dir));
    let open = match &model.screen {
        Screen::Design(view) => Some(model.challenges[view.challenge].clone()),
        _ => None,
    };
    let mut kept = std::collections::BTreeMap::new();
    let mut flash = match problems.len() {
        0 => "challenges reloaded".to_string(),
        n => format!("challenges reloaded; {n} problems (sysdesign check lists them)"),
    };
    if let Some(old) = &open
        && !challenges.iter().any(|c| c.id == old.id)
    {
        let folder = format!("challenges/{}/", old.id);
        let why: Vec<_> = problems
            .iter()
            .filter(|p| p.path.starts_with(&folder))
            .cloned()
            .collect();
        match why.first() {
            Some(problem) => {
                flash = format!(
                    "{}:{}: {}; keeping the last version that loaded",
                    problem.path, problem.line, problem.message
                );
                challenges.push(old.clone());
                kept.insert(old.id.clone(), why);
            }
            None => {
                model.challenges = challenges;
                model.kept_challenges = kept;
                if let Screen::Design(view) = &mut model.screen {
                    view.run_stop.stop();
                    let back = view.back.take();
                    model.screen = back.map_or(Screen::Catalog, Screen::Reader);
                }
                effects.push(Effect::WatchExercise(None));
                model.flash = Some(format!("challenge `{}` is gone from challenges/", old.id));
                return;
            }
        }
    }
    model.challenges = challenges;
    model.kept_challenges = kept;
    model.flash = Some(flash);
    let Some(old) = open else { return };
    let lessons = model.course.lessons_linking(&old.id);
    let Screen::Design(view) = &mut model.screen else {
        return;
    };
    view.challenge = model
        .challenges
        .iter()
        .position(|c| c.id == old.id)
        .unwrap_or(view.challenge);
    view.lessons = lessons;
    view.seed = visible_seed(&model.challenges[view.challenge]);
    view.grade = None;
    view.grade_problem = None;
    if view.panel == Panel::Results {
        view.panel = Panel::Design;
    }
    // Run the same file against the challenge as it is now.
    if let Some(text) = view.source.clone() {
        apply_source(model, text, effects);
    }
}

/// The watched file changed on disk. Returns false when it is not this screen's file.
pub fn file_changed(model: &mut Model, path: &Path, effects: &mut Vec<Effect>) -> bool {
    match &model.screen {
        Screen::Design(view) if view.path == path => {
            load(model, effects);
            true
        }
        _ => false,
    }
}

/// The editor returned (or could not run: `problem`, which names the command and what to do
/// instead, so it is shown whole, over the screen).
pub fn editor_closed(model: &mut Model, problem: Option<String>, effects: &mut Vec<Effect>) {
    if let Some(problem) = problem {
        model.overlay = Some(Overlay::Notice(problem));
    }
    load(model, effects);
    if let Screen::Design(view) = &mut model.screen
        && view.problem.is_none()
    {
        view.panel = Panel::Design;
    }
}

fn start_grading(model: &mut Model, effects: &mut Vec<Effect>) {
    // Grade what is on disk now, even if the watcher has not said so yet.
    load(model, effects);
    let Screen::Design(view) = &mut model.screen else {
        return;
    };
    if view.grading.is_some() {
        model.flash = Some("grading is under way".into());
        return;
    }
    let Some(design) = &view.design else {
        model.flash = Some("fix the design file first: e opens it".into());
        return;
    };
    let challenge = &model.challenges[view.challenge];
    view.grading = Some((0, challenge.seeds.len()));
    view.graded_generation = view.generation;
    effects.push(Effect::Design(DesignJob::Grade {
        challenge: challenge.id.clone(),
        design: Box::new(design.clone()),
    }));
}

/// Write a tweak into the design file, keeping everything else in it (comments included),
/// then take the new text as the design.
fn write_tweak(model: &mut Model, tweak: &Tweak, effects: &mut Vec<Effect>) {
    let Screen::Design(view) = &mut model.screen else {
        return;
    };
    let Some(source) = &view.source else { return };
    let written = set_knob(source, tweak).and_then(|text| {
        std::fs::write(&view.path, &text)
            .map(|()| text)
            .map_err(|e| format!("cannot write {}: {e}", view.path.display()))
    });
    match written {
        Ok(text) => {
            model.flash = Some(format!(
                "{}.{} = {} (saved)",
                tweak.component, tweak.key, tweak.value
            ));
            apply_source(model, text, effects);
        }
        Err(e) => model.flash = Some(format!("not changed: {e}")),
    }
}

/// `source` with `key = value` set in the `[[component]]` named `tweak.component`.
pub fn set_knob(source: &str, tweak: &Tweak) -> Result<String, String> {
    let mut doc: toml_edit::DocumentMut = source
        .parse()
        .map_err(|e| format!("the design file does not parse: {e}"))?;
    let tables = doc
        .get_mut("component")
        .and_then(|c| c.as_array_of_tables_mut())
        .ok_or("the design file has no [[component]] tables")?;
    let table = tables
        .iter_mut()
        .find(|t| t.get("name").and_then(|n| n.as_str()) == Some(tweak.component.as_str()))
        .ok_or_else(|| format!("no [[component]] named `{}`", tweak.component))?;
    match table.get_mut(tweak.key) {
        // Keep the comment after the old value.
        Some(toml_edit::Item::Value(v)) => {
            let decor = v.decor().clone();
            *v = toml_edit::Value::from(tweak.value);
            *v.decor_mut() = decor;
        }
        _ => {
            table.insert(tweak.key, toml_edit::value(tweak.value));
        }
    }
    Ok(doc.to_string())
}

/// A key on the design screen.
pub fn key(model: &mut Model, key: KeyEvent, effects: &mut Vec<Effect>) {
    let Screen::Design(view) = &mut model.screen else {
        return;
    };
    let page = model.size.height.saturating_sub(4).max(1) as usize;
    let listing = view.panel != Panel::Design || view.problem.is_some();
    match key.code {
        KeyCode::Char('q') | KeyCode::Esc | KeyCode::Left => {
            // Nobody will see the run under way.
            view.run_stop.stop();
            let back = view.back.take();
            model.screen = match back {
                Some(reader) => Screen::Reader(reader),
                None => Screen::Catalog,
            };
            effects.push(Effect::WatchExercise(None));
        }
        KeyCode::Char('?') => {
            // Opened at this screen's keys; the general ones are a scroll up.
            let scroll = crate::tui::view::help_line_of("Design challenge", model.size.width);
            model.overlay = Some(Overlay::Help { scroll });
        }
        KeyCode::Char('e') | KeyCode::Enter => effects.push(Effect::OpenEditor(view.path.clone())),
        KeyCode::Char('g') => start_grading(model, effects),
        KeyCode::Tab => {
            view.scroll = 0;
            let has_results = view.grade.is_some() || view.grade_problem.is_some();
            view.panel = match view.panel {
                Panel::Design => Panel::Brief,
                Panel::Brief if has_results => Panel::Results,
                Panel::Brief | Panel::Results => Panel::Design,
            };
        }
        KeyCode::Down | KeyCode::Char('j') if listing => view.scroll += 1,
        KeyCode::Up | KeyCode::Char('k') if listing => view.scroll = view.scroll.saturating_sub(1),
        KeyCode::PageDown if listing => view.scroll += page,
        KeyCode::PageUp if listing => view.scroll = view.scroll.saturating_sub(page),
        KeyCode::Home if listing => view.scroll = 0,
        KeyCode::Down | KeyCode::Char('j') => {
            if let Some(s) = &mut view.screen {
                s.select(DesignKey::Next)
            }
        }
        KeyCode::Up | KeyCode::Char('k') => {
            if let Some(s) = &mut view.screen {
                s.select(DesignKey::Previous)
            }
        }
        KeyCode::Char('+' | '=' | '-' | '_') => {
            let up = matches!(key.code, KeyCode::Char('+' | '='));
            let Some(screen) = &mut view.screen else {
                return;
            };
            if view.problem.is_some() {
                model.flash = Some("fix the design file first: e opens it".into());
                return;
            }
            let name = screen
                .design
                .components
                .get(screen.selected)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            // The knob is changed on a copy: the file decides what runs.
            let mut trial = screen.clone();
            match trial.tweak(up) {
                Some(tweak) => write_tweak(model, &tweak, effects),
                None => {
                    model.flash = Some(format!(
                        "`{name}` cannot go {}: no capacity knob, or at its limit; e edits the file",
                        if up { "up" } else { "down" }
                    ))
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# my design\n[workload]\nrps = 10\ntarget = \"api\"\n\n[[component]]\nname = \"api\"\nkind = \"service\"\ninstances = 2 # two for now\nservice_ms = 5\ncalls = [\"db\"]\n\n[[component]]\nname = \"db\"\nkind = \"database\"\nread_ms = 1\nwrite_ms = 2\n";

    fn tweak(component: &str, key: &'static str, value: i64) -> Tweak {
        Tweak {
            component: component.into(),
            key,
            value,
        }
    }

    #[test]
    fn a_tweak_changes_one_value_and_keeps_the_comments() {
        let out = set_knob(FILE, &tweak("api", "instances", 3)).unwrap();
        assert_eq!(
            out,
            FILE.replace("instances = 2 # two", "instances = 3 # two")
        );
    }

    #[test]
    fn a_knob_left_at_its_default_is_added_to_its_component() {
        let out = set_knob(FILE, &tweak("db", "replicas", 1)).unwrap();
        let design = crate::design::parse("d.toml", &out).unwrap();
        let crate::design::Spec::Database(db) = &design.components[1].spec else {
            panic!("db is a database")
        };
        assert_eq!(db.replicas, 1);
        assert!(out.starts_with("# my design\n"));
    }

    #[test]
    fn a_missing_component_or_a_broken_file_is_said() {
        let e = set_knob(FILE, &tweak("cache", "capacity", 8)).unwrap_err();
        assert!(e.contains("no [[component]] named `cache`"), "{e}");
        let e = set_knob("[workload", &tweak("api", "instances", 3)).unwrap_err();
        assert!(e.contains("does not parse"), "{e}");
    }

    #[test]
    fn the_practice_seed_is_never_a_hidden_one() {
        let (challenges, _) = crate::design::challenge::load(None);
        for c in &challenges {
            assert!(!c.seeds.contains(&visible_seed(c)), "{}", c.id);
        }
    }
}
