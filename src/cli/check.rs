//! `sysdesign check`: validate the whole course and print every problem at once.

use super::Env;

pub fn run(env: &Env) -> i32 {
    let course = env.load_course();
    let mut errors = 0;
    for problem in &course.problems {
        eprintln!("error: {problem}");
        errors += 1;
    }
    let mut broken_files = 0;
    for entry in &course.lessons {
        if let crate::course::LessonEntry::Broken { diagnostics, .. } = entry {
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
    let lessons: Vec<_> = course.ready().collect();
    let count =
        |f: &dyn Fn(&crate::course::Lesson) -> usize| lessons.iter().map(|l| f(l)).sum::<usize>();
    if errors > 0 {
        eprintln!(
            "error: {errors} problem{} in {} of {} files ({})",
            plural(errors),
            broken_files.max(1),
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
    println!(
        "ok{warned}: {} lessons, {} sections, {} quizzes, {} visualizations, {} exercise links, {} words ({})",
        lessons.len(),
        count(&|l| l.sections.len()),
        count(&|l| l.quizzes.len()),
        count(&|l| l.visualization_count()),
        count(&|l| l.exercise_ids().count()),
        count(&|l| l.word_count()),
        course.source.describe()
    );
    0
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
