//! Hostile lesson files (issue 12), generated in memory. Target for each: under one
//! second per megabyte of input, so a bad course pack never stalls `check`, `show`,
//! `list` or the app's start. Run with `cargo bench --bench hostile`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use sysdesign::course::lesson_file::parse;
use sysdesign::markdown::{render, to_ansi};
use sysdesign::theme::Theme;

const HEAD: &str = "id = \"hostile\"\nchapter = 1\ntitle = \"T\"\nsummary = \"S\"\nminutes = 5\nobjectives = [\"x\"]\n";

fn with_body(body: &str) -> String {
    format!("{HEAD}\n[[section]]\nid = \"one\"\ntitle = \"One\"\nbody = '''\n{body}\n'''\n")
}

/// One unknown key per line: one diagnostic each, before the per-file cap.
fn bad_lines(n: usize) -> String {
    let bad: String = (0..n).map(|i| format!("bogus{i} = 1\n")).collect();
    format!("{HEAD}{bad}{}", &with_body("text")[HEAD.len()..])
}

fn loading(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile/parse");
    group.sample_size(10);
    for n in [40_000, 80_000] {
        let file = bad_lines(n);
        group.bench_function(format!("{n} bad lines ({} KB)", file.len() / 1024), |b| {
            b.iter(|| black_box(parse("l.toml", file.as_bytes()).is_err()))
        });
    }
    let cr = bad_lines(6_000).replace('\n', "\r");
    group.bench_function(
        format!("CR-only, 6000 bad lines ({} KB)", cr.len() / 1024),
        |b| b.iter(|| black_box(parse("l.toml", cr.as_bytes()).is_err())),
    );
    group.finish();
}

fn rendering(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile/show");
    group.sample_size(10);
    let amplified = format!("{} {}", ">".repeat(5_000), "word ".repeat(112_000));
    group.bench_function(
        "5000 nested quotes + 560 KB paragraph, render and ANSI",
        |b| b.iter(|| black_box(to_ansi(&render(&amplified, 80, &Theme::COLOR).lines).len())),
    );
    let table = format!(
        "| Row | Value | State |\n|---|---|---|\n{}",
        (0..10_000)
            .map(|i| format!("| r{i} | {} | ok |\n", i * 7 % 1000))
            .collect::<String>()
    );
    group.bench_function(
        format!("table of 10000 short rows ({} KB)", table.len() / 1024),
        |b| b.iter(|| black_box(render(&table, 80, &Theme::COLOR).lines.len())),
    );
    for (name, deep) in [("quotes", "> "), ("lists", "- ")] {
        let md = format!("{}deep", deep.repeat(9_400));
        group.bench_function(format!("9400 nested {name}"), |b| {
            b.iter(|| black_box(render(&md, 80, &Theme::COLOR).lines.len()))
        });
    }
    group.finish();
}

criterion_group!(benches, loading, rendering);
criterion_main!(benches);
