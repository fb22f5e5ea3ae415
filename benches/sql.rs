//! Speed targets of the database lab (issue 9): each dataset builds in under 100 ms, and a
//! SQL exercise is graded in under 300 ms.

use criterion::{Criterion, criterion_group, criterion_main};
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

criterion_group!(benches, dataset_builds);
criterion_main!(benches);
