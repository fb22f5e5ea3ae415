//! Re-grading after a one-line edit with a warm build: the whole `Workspace::grade` path
//! (write the scratch crate, incremental cargo build, list and run every check). Target:
//! under 0.5 s on a 2-core machine.

use criterion::{Criterion, criterion_group, criterion_main};
use sysdesign::grade::{Status, Workspace, embedded_exercises};

fn regrade_after_one_line_edit(c: &mut Criterion) {
    let (exercises, _) = embedded_exercises();
    let exercise = exercises
        .iter()
        .find(|e| e.id == "round-robin")
        .expect("round-robin is embedded");
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = Workspace::new(dir.path());
    workspace.ensure(&exercises).expect("workspace");
    let file = workspace.exercise_file(&exercise.id);
    let original = exercise.solution.clone();
    let edited = original.replacen("RoundRobin { next: 0 }", "RoundRobin { next: 1 - 1 }", 1);
    assert_ne!(original, edited, "the edit must change a line");

    // The cold build happens here, outside the measurement.
    std::fs::write(&file, &original).expect("write");
    let cold = workspace.grade(exercise, 42, &mut |_| {});
    assert_eq!(cold.status, Status::Pass, "{cold:#?}");

    let mut flip = false;
    let mut group = c.benchmark_group("grade");
    group.sample_size(10);
    group.bench_function("re-grade round-robin after a one-line edit", |b| {
        b.iter(|| {
            flip = !flip;
            std::fs::write(&file, if flip { &edited } else { &original }).expect("write");
            let result = workspace.grade(exercise, 42, &mut |_| {});
            assert_eq!(result.status, Status::Pass);
        })
    });
    group.finish();
}

criterion_group!(benches, regrade_after_one_line_edit);
criterion_main!(benches);
