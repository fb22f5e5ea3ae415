//! Speed targets of the database lab (issue 9): each dataset builds in under 100 ms, and a
//! SQL exercise is graded in under 300 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use sysdesign::grade::{Grader, Status, embedded_exercises};
use sysdesign::sql::datasets::{self, Size};

fn dataset_builds(c: &mut Criterion) {
    let mut group = c.benchmark_group("dataset build");
    group.sample_size(20);
    for dataset in datasets::all() {
        group.bench_function(dataset.name, |b| {
            b.iter(|| dataset.open(1, Size::Full).expect("build"))
        });
    }
    group.finish();
}

/// Grading the reference solution of one exercise of each SQL kind, from source text to
/// result, as `sysdesign grade` and the TUI do.
fn exercise_grades(c: &mut Criterion) {
    let (exercises, _) = embedded_exercises();
    let grader = Grader::new(std::env::temp_dir().join("sysdesign-bench-sql-unused"));
    let mut group = c.benchmark_group("sql exercise grade");
    group.sample_size(20);
    for id in ["sql-having", "sql-normalize", "sql-covering-index"] {
        let exercise = exercises.iter().find(|e| e.id == id).expect("exercise");
        group.bench_function(id, |b| {
            b.iter(|| {
                let result = grader.grade_source(
                    exercise,
                    &exercise.solution,
                    "solution.sql",
                    7,
                    &mut |_| {},
                );
                assert_eq!(result.status, Status::Pass);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, dataset_builds, exercise_grades);
criterion_main!(benches);
