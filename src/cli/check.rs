//! `sysdesign check`: validate the whole course and print every problem at once. For every
//! exercise it also proves that the starter fails and the reference solution passes.

use std::io::IsTerminal;

use crate::course::LessonEntry;
use crate::grade::cli::check_exercises;
use crate::grade::fresh_seed;

use super::Env;

pub fn run(env: &Env, build_exercises: bool) -> i32 {
    let course = env.load_course();
    let (exercises, exercise_problems) = env.exercises();
    let mut errors = 0;
    for problem in &course.problems {
        eprintln!("error: {problem}");
        errors += 1;
    }
    let mut broken_files = 0;
    for entry in &course.lessons {
        if let LessonEntry::Broken { diagnostics, .. } = entry {
            broken_files += 1;
            for d in diagnostics {
                eprintln!("{}\n", d.render());
                errors += 1;
            }
        }
    }
    for w in &course.warnings {
        eprintln!("{}\n", w.render());
    }
    for p in &exercise_problems {
        eprintln!("{p}\n");
        errors += 1;
    }
    let any_broken = broken_files > 0;
    for exercise in &exercises {
        if !any_broken && course.find(&exercise.lesson).is_none() {
            let ids: Vec<&str> = course.ready().map(|l| l.id.as_str()).collect();
            eprintln!(
                "exercises/{}/exercise.toml: error: `lesson = \"{}\"` names no lesson; lessons: {}\n",
                exercise.id,
                exercise.lesson,
                ids.join(", ")
            );
            errors += 1;
        }
    }
    let mut built = 0;
    if build_exercises && errors == 0 && !exercises.is_empty() {
        let interactive = std::io::stderr().is_terminal();
        if interactive {
            eprintln!(
                "building {} exercises (starter and solution each)...",
                exercises.len()
            );
        }
        let grader = env.student_workspace().grader();
        // Ctrl-C mid-build also stops cargo's compilers.
        crate::grade::stop_all_on_signals();
        for finding in check_exercises(&grader, &exercises, fresh_seed(), interactive) {
            eprintln!("{finding}\n");
            errors += 1;
        }
        built = exercises.len();
    }
    let lessons: Vec<_> = course.ready().collect();
    let count =
        |f: &dyn Fn(&crate::course::Lesson) -> usize| lessons.iter().map(|l| f(l)).sum::<usize>();
    if errors > 0 {
        eprintln!(
            "error: {errors} problem{} ({} of {} lesson files broken; {})",
            if errors == 1 { "" } else { "s" },
            broken_files,
            course.lessons.len(),
            course.source.describe()
        );
        return 1;
    }
    let warned = if course.warnings.is_empty() {
        String::new()
    } else {
        format!(" with {} warnings", course.warnings.len())
    };
    let proven = if built > 0 {
        format!("; {built} exercises: every starter fails, every solution passes")
    } else {
        String::new()
    };
    println!(
        "ok{warned}: {} lessons, {} sections, {} quizzes, {} visualizations, {} exercises, {} words ({}){proven}",
        lessons.len(),
        count(&|l| l.sections.len()),
        count(&|l| l.quizzes.len()),
        count(&|l| l.visualization_count()),
        exercises.len(),
        count(&|l| l.word_count()),
        course.source.describe()
    );
    0
}
