//! Speed of the Markdown renderer. Targets: laying out a 30 KB lesson at 80 and 200
//! columns under 2 ms once the syntax set is loaded; `show` of a 110 KB document (render
//! and ANSI export) under 8 ms. Loading the syntax set and theme is measured on its own.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use sysdesign::markdown::{clear_highlight_cache, preload, render, to_ansi, to_plain};
use sysdesign::theme::Theme;
use two_face::theme::EmbeddedThemeName;

const LESSON: &str = include_str!("fixtures/lesson-30k.md");
const HANDBOOK: &str = include_str!("fixtures/handbook-110k.md");

fn loading(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(20);
    group.bench_function("syntax_set", |b| {
        b.iter(|| black_box(two_face::syntax::extra_newlines()))
    });
    group.bench_function("theme", |b| {
        b.iter(|| {
            black_box(
                two_face::theme::extra()
                    .get(EmbeddedThemeName::Ansi)
                    .clone(),
            )
        })
    });
    group.finish();
}

/// Layout as the reader does it: the first layout of a lesson highlights its code; every
/// later one (another width after a resize) reuses the highlighting.
fn lesson_layout(c: &mut Criterion) {
    preload();
    let mut group = c.benchmark_group("layout/lesson-30k");
    for width in [80u16, 200] {
        render(LESSON, width, &Theme::COLOR);
        group.bench_with_input(BenchmarkId::new("colour", width), &width, |b, &w| {
            b.iter(|| black_box(render(LESSON, w, &Theme::COLOR)))
        });
        group.bench_with_input(BenchmarkId::new("mono", width), &width, |b, &w| {
            b.iter(|| black_box(render(LESSON, w, &Theme::MONO)))
        });
    }
    group.finish();

    let mut cold = c.benchmark_group("layout-first/lesson-30k");
    cold.sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for width in [80u16, 200] {
        cold.bench_with_input(BenchmarkId::new("colour", width), &width, |b, &w| {
            b.iter_batched(
                clear_highlight_cache,
                |()| black_box(render(LESSON, w, &Theme::COLOR)),
                BatchSize::PerIteration,
            )
        });
    }
    cold.finish();
}

/// `sysdesign show` of a 110 KB document: one process renders once, so the colour case
/// highlights from scratch every iteration.
fn show(c: &mut Criterion) {
    preload();
    let mut group = c.benchmark_group("show/handbook-110k");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("ansi-colour", |b| {
        b.iter_batched(
            clear_highlight_cache,
            |()| black_box(to_ansi(&render(HANDBOOK, 100, &Theme::COLOR).lines)),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("ansi-mono", |b| {
        b.iter(|| black_box(to_ansi(&render(HANDBOOK, 100, &Theme::MONO).lines)))
    });
    group.bench_function("plain", |b| {
        b.iter(|| black_box(to_plain(&render(HANDBOOK, 100, &Theme::MONO).lines)))
    });
    group.finish();
}

criterion_group!(benches, loading, lesson_layout, show);
criterion_main!(benches);
