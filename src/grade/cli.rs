//! The command-line pieces the app's `main` wires into clap: `grade`, `exercise reset`,
//! `exercise list`, and the exercise part of `check`. Each returns the process exit code and
//! writes to the writers it is given, so tests can capture the output.
//!
//! `--workspace DIR` and `--course DIR` are the app's global options: resolve them first
//! (`Workspace::resolve`, `load_exercises`) and pass the results in.

use std::io::{BufRead, Write};

use indicatif::{ProgressBar, ProgressStyle};

use super::dev_check::{DevCheckFinding, Variant, dev_check};
use super::events::GradeEvent;
use super::exercise::Exercise;
use super::grader::{Grader, fresh_seed};
use super::report::{Format, render};
use super::result::exit_code;
use super::workspace::Workspace;

#[derive(Debug, Clone, clap::Args)]
pub struct GradeArgs {
    /// The exercises to grade, by id.
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// Grade every exercise.
    #[arg(long, conflicts_with = "ids")]
    pub all: bool,
    /// How to print the results.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Replay a run: the seed a previous report printed.
    #[arg(long)]
    pub seed: Option<u64>,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum ExerciseCommand {
    /// Restore an exercise's starter file; your file is saved under .backup/ first.
    Reset(ResetArgs),
    /// List the exercises with their lessons and the files to edit.
    List,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ResetArgs {
    /// The exercise to reset.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// Where the commands write, and whether a person is watching.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub input: &'a mut dyn BufRead,
    /// True when stdin and stderr are terminals: prompts and progress bars are shown.
    pub interactive: bool,
}

fn unknown_id(id: &str, exercises: &[Exercise]) -> String {
    let ids: Vec<&str> = exercises.iter().map(|e| e.id.as_str()).collect();
    format!(
        "error: unknown exercise `{id}`; the exercises are: {}",
        ids.join(", ")
    )
}

fn progress_bar(interactive: bool, len: u64) -> ProgressBar {
    if !interactive {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}

fn describe(event: &GradeEvent) -> String {
    match event {
        GradeEvent::Waiting { message } => message.clone(),
        GradeEvent::Building { id } => format!("{id}: building"),
        GradeEvent::Compiled { id, unit } => format!("{id}: compiled {unit}"),
        GradeEvent::Running {
            id,
            index,
            of,
            name,
        } => {
            format!("{id}: check {}/{of} {name}", index + 1)
        }
        GradeEvent::Done { id, status } => format!("{id}: {}", status.as_str()),
    }
}

/// `sysdesign grade [ID ...|--all] [--format human|json|junit] [--seed N]`. Exit code 0 when
/// all pass, 1 when some fail, 2 on an error (including a bad command line).
/// `on_result` sees each result as it arrives (the app records passes in progress).
pub fn grade_command(
    args: &GradeArgs,
    exercises: &[Exercise],
    workspace: &Workspace,
    io: &mut Io<'_>,
    on_result: &mut dyn FnMut(&super::GradeResult),
) -> i32 {
    grade_with_challenges(args, exercises, &[], workspace, io, on_result)
}

/// [`grade_command`], where IDs (and `--all`) may also name design challenges, graded on
/// their hidden seeds from `designs/ID.toml` in the workspace.
pub fn grade_with_challenges(
    args: &GradeArgs,
    exercises: &[Exercise],
    challenges: &[crate::design::challenge::Challenge],
    workspace: &Workspace,
    io: &mut Io<'_>,
    on_result: &mut dyn FnMut(&super::GradeResult),
) -> i32 {
    let is_challenge = |id: &String| challenges.iter().any(|c| &c.id == id);
    let chosen_challenges: Vec<_> = challenges
        .iter()
        .filter(|c| args.all || args.ids.contains(&c.id))
        .collect();
    let args = &GradeArgs {
        ids: args
            .ids
            .iter()
            .filter(|i| !is_challenge(i))
            .cloned()
            .collect(),
        ..args.clone()
    };
    if !args.all && args.ids.is_empty() && !chosen_challenges.is_empty() {
        let seed = args.seed.unwrap_or_else(fresh_seed);
        let results: Vec<_> = chosen_challenges
            .iter()
            .map(|c| crate::design::challenge::grade_result(c, workspace.root(), seed))
            .collect();
        results.iter().for_each(&mut *on_result);
        let _ = io.out.write_all(render(args.format, &results).as_bytes());
        return exit_code(&results);
    }
    let selected: Vec<&Exercise> = if args.all {
        exercises.iter().collect()
    } else if args.ids.is_empty() {
        let ids = |ids: Vec<&str>| ids.join(", ");
        let mut message = format!(
            "error: name the exercises or design challenges to grade, or pass --all; the \
             exercises are: {}",
            ids(exercises.iter().map(|e| e.id.as_str()).collect())
        );
        if !challenges.is_empty() {
            message.push_str(&format!(
                "; the challenges are: {}",
                ids(challenges.iter().map(|c| c.id.as_str()).collect())
            ));
        }
        let _ = writeln!(io.err, "{message}");
        return 2;
    } else {
        let mut selected = Vec::new();
        for id in &args.ids {
            match exercises.iter().find(|e| &e.id == id) {
                Some(exercise) => selected.push(exercise),
                None => {
                    let _ = writeln!(io.err, "{}", unknown_id(id, exercises));
                    return 2;
                }
            }
        }
        selected
    };
    match workspace.ensure(exercises) {
        Ok(report) => {
            if report.created {
                let _ = writeln!(
                    io.err,
                    "created your exercise workspace at {}",
                    workspace.root().display()
                );
            }
        }
        Err(e) => {
            let _ = writeln!(
                io.err,
                "error: cannot set up the workspace at {}: {e}",
                workspace.root().display()
            );
            return 2;
        }
    }
    let seed = args.seed.unwrap_or_else(fresh_seed);
    let bar = progress_bar(io.interactive, selected.len() as u64);
    let mut results = Vec::new();
    for exercise in selected {
        let err = &mut *io.err;
        let result = workspace.grade(exercise, seed, &mut |event| {
            if let GradeEvent::Waiting { message } = &event {
                // Said even without a progress bar: otherwise a wait looks like a hang.
                bar.suspend(|| {
                    let _ = writeln!(err, "{message}…");
                });
            }
            bar.set_message(describe(&event))
        });
        bar.inc(1);
        on_result(&result);
        results.push(result);
    }
    for c in chosen_challenges {
        let result = crate::design::challenge::grade_result(c, workspace.root(), seed);
        on_result(&result);
        results.push(result);
    }
    bar.finish_and_clear();
    let _ = io.out.write_all(render(args.format, &results).as_bytes());
    exit_code(&results)
}

/// `sysdesign exercise reset ID [--yes]`: asks first unless `--yes`; refuses to guess when
/// nobody can answer. Exit code 0 when reset, 1 when declined, 2 on an error.
pub fn reset_command(
    args: &ResetArgs,
    exercises: &[Exercise],
    workspace: &Workspace,
    io: &mut Io<'_>,
) -> i32 {
    let Some(exercise) = exercises.iter().find(|e| e.id == args.id) else {
        let _ = writeln!(io.err, "{}", unknown_id(&args.id, exercises));
        return 2;
    };
    let file = workspace.student_file(exercise);
    if !args.yes {
        if !io.interactive {
            let _ = writeln!(
                io.err,
                "error: resetting replaces {}; pass --yes to confirm",
                file.display()
            );
            return 2;
        }
        let _ = write!(
            io.err,
            "Reset {} to the starter? Your file is saved under .backup/ first. [y/N] ",
            file.display()
        );
        let _ = io.err.flush();
        let mut answer = String::new();
        let _ = io.input.read_line(&mut answer);
        if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
            let _ = writeln!(io.err, "nothing changed");
            return 1;
        }
    }
    match workspace.reset(exercise) {
        Ok(backup) => {
            let _ = writeln!(io.out, "reset {}", file.display());
            if let Some(backup) = backup {
                let _ = writeln!(io.out, "your previous file is at {}", backup.display());
            }
            0
        }
        Err(e) => {
            let _ = writeln!(io.err, "error: cannot reset {}: {e}", file.display());
            2
        }
    }
}

/// `sysdesign exercise list`: whether it passed, id, lesson, difficulty, title and the file
/// to edit.
pub fn list_command(
    exercises: &[Exercise],
    workspace: &Workspace,
    passed: &dyn Fn(&str) -> bool,
    io: &mut Io<'_>,
) -> i32 {
    for exercise in exercises {
        let mark = if passed(&exercise.id) { "✓" } else { " " };
        let _ = writeln!(
            io.out,
            "{mark} {:<22} {:<14} {:<7} {}\n  {:<22} {}",
            exercise.id,
            exercise.lesson,
            exercise.difficulty.as_str(),
            exercise.title,
            "",
            workspace.student_file(exercise).display()
        );
    }
    0
}

/// The exercise half of `sysdesign check`: grades every starter and solution with `seed`
/// (pass `fresh_seed()` unless replaying) and a progress bar, and returns the findings for the
/// caller to print with the lessons' problems.
pub fn check_exercises(
    grader: &Grader,
    exercises: &[Exercise],
    seed: u64,
    interactive: bool,
) -> Vec<DevCheckFinding> {
    let bar = progress_bar(interactive, exercises.len() as u64 * 2);
    let mut last = None;
    let findings = dev_check(grader, exercises, seed, &mut |progress| {
        let key = (progress.index, progress.variant);
        if last != Some(key) {
            if last.is_some() {
                bar.inc(1);
            }
            last = Some(key);
        }
        let which = match progress.variant {
            Variant::Starter => "starter",
            Variant::Solution => "solution",
        };
        bar.set_message(format!("{which} of {}", describe(&progress.event)));
    });
    bar.finish_and_clear();
    findings
}
