//! `sysdesign grade` and `sysdesign exercise`: the grading library's commands, given the
//! course source and workspace of this run.

use std::io::{IsTerminal, Write};

use crate::grade::cli::{
    ExerciseCommand, GradeArgs, Io, grade_with_challenges, list_command, reset_command,
};

use super::Env;

fn with_io(f: impl FnOnce(&mut Io<'_>) -> i32) -> i32 {
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let stdin = std::io::stdin();
    let (mut out, mut err, mut input) = (stdout.lock(), stderr.lock(), stdin.lock());
    let code = f(&mut Io {
        out: &mut out,
        err: &mut err,
        input: &mut input,
        interactive,
    });
    let _ = out.flush();
    code
}

/// Exercise files that do not load are reported like lesson problems, and stop grading.
fn exercises_or_report(env: &Env) -> Result<Vec<crate::grade::Exercise>, i32> {
    let (exercises, problems) = env.exercises();
    if problems.is_empty() {
        return Ok(exercises);
    }
    for p in &problems {
        eprintln!("{p}");
    }
    eprintln!("error: fix the exercise files above (see `sysdesign check`)");
    Err(2)
}

pub fn grade(env: &Env, args: &GradeArgs) -> i32 {
    let exercises = match exercises_or_report(env) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let workspace = env.student_workspace();
    // Passing here counts in the app's catalog too. Each result is recorded as it comes, as
    // a read-merge-write under the progress lock: another grade or the app may be saving too.
    let store = env.progress_store();
    // Ctrl-C, SIGTERM or SIGHUP mid-build also stops cargo's compilers; grading runs stop
    // by themselves when this process dies.
    crate::grade::stop_all_on_signals();
    let mut warned = false;
    // Design challenges grade here too; a broken challenge file stops nothing else.
    let challenges = super::challenge::load(env).unwrap_or_default();
    // Loaded only when a challenge is graded: it says which lessons record the pass.
    let mut course: Option<crate::course::Course> = None;
    with_io(|io| {
        grade_with_challenges(
            args,
            &exercises,
            &challenges,
            &workspace,
            io,
            &mut |result| {
                let passed = result.status == crate::grade::Status::Pass;
                // A challenge's pass is kept in the lessons that link it, as the app does.
                let change = if challenges.iter().any(|c| c.id == result.id) {
                    let course = course.get_or_insert_with(|| env.load_course());
                    let lessons = course.lessons_linking(&result.id);
                    if lessons.is_empty() {
                        eprintln!("{}", super::challenge::unlinked_note(&result.id));
                        return;
                    }
                    crate::progress::Change::ChallengeGraded {
                        challenge: result.id.clone(),
                        lessons,
                        passed,
                    }
                } else {
                    crate::progress::Change::ExerciseGraded {
                        exercise: result.id.clone(),
                        passed,
                    }
                };
                match store.update(|p| change.apply(p)) {
                    Ok(saved) => {
                        if let Some(notice) = saved.notice {
                            eprintln!("note: {notice}");
                        }
                    }
                    Err(e) if !warned => {
                        warned = true;
                        eprintln!("warning: {e}");
                    }
                    Err(_) => {}
                }
            },
        )
    })
}

pub fn exercise(env: &Env, command: &ExerciseCommand) -> i32 {
    let exercises = match exercises_or_report(env) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let workspace = env.student_workspace();
    with_io(|io| match command {
        ExerciseCommand::Reset(args) => reset_command(args, &exercises, &workspace, io),
        ExerciseCommand::List => {
            let progress = env.progress_store().read().progress;
            list_command(
                &exercises,
                &workspace,
                &|id| progress.exercise_passed(id),
                io,
            )
        }
    })
}
