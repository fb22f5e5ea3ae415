//! Speed targets of the app as a whole: loading the course, laying out the largest lesson,
//! drawing a frame, and start to first frame of the real binary in a pseudo-terminal.

use std::hint::black_box;
use std::io::Read;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use sysdesign::cli::Env;
use sysdesign::course::{Course, CourseSource};
use sysdesign::theme::Theme;
use sysdesign::tui::document::LessonLayout;
use sysdesign::tui::msg::Msg;
use sysdesign::tui::{initial_model, update::update, view::view};

fn course_loading(c: &mut Criterion) {
    let env = Env::new(None, None);
    let ids = env.exercise_ids();
    c.bench_function("load and validate the embedded course", |b| {
        b.iter(|| black_box(Course::load(CourseSource::Embedded, &ids)))
    });
}

fn largest_lesson_layout(c: &mut Criterion) {
    let env = Env::new(None, None);
    let course = env.load_course();
    let largest = course
        .ready()
        .max_by_key(|l| l.sections.iter().map(|s| s.body.len()).sum::<usize>())
        .expect("lessons");
    // Warm the syntax set once: its lazy load is measured separately by the markdown bench.
    LessonLayout::new(largest, 80, &Theme::COLOR);
    for width in [80u16, 200] {
        c.bench_function(
            &format!(
                "layout of the largest lesson ({}) at {width} columns",
                largest.id
            ),
            |b| b.iter(|| black_box(LessonLayout::new(largest, width, &Theme::COLOR))),
        );
    }
}

fn frame(c: &mut Criterion) {
    let ws = tempfile::tempdir().unwrap();
    let env = Env::new(None, Some(ws.path().to_path_buf()));
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let mut model = initial_model(&env, Rect::new(0, 0, w, h), Theme::COLOR);
        update(
            &mut model,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        c.bench_function(&format!("one reader frame at {w}x{h}"), |b| {
            b.iter(|| {
                terminal.draw(|f| view(&model, f)).unwrap();
            })
        });
        // A search with matches on screen: each visible line is restyled per frame.
        let key = |model: &mut sysdesign::tui::model::Model, code| {
            update(model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        };
        key(&mut model, KeyCode::Char('/'));
        for c in "the".chars() {
            key(&mut model, KeyCode::Char(c));
        }
        key(&mut model, KeyCode::Enter);
        c.bench_function(&format!("one reader frame with a search at {w}x{h}"), |b| {
            b.iter(|| {
                terminal.draw(|f| view(&model, f)).unwrap();
            })
        });
        // The exercise screen lays its rows out per frame (text, hints, checks).
        let id = model.exercises[0].id.clone();
        sysdesign::tui::update::open_exercise(&mut model, &id, &mut Vec::new());
        key(&mut model, KeyCode::Char('h'));
        c.bench_function(&format!("one exercise frame at {w}x{h}"), |b| {
            b.iter(|| {
                terminal.draw(|f| view(&model, f)).unwrap();
            })
        });
    }
}

/// Spawn the release-like binary in a pty and time until the catalog's first frame arrives.
fn start_to_first_frame(c: &mut Criterion) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let bin = env!("CARGO_BIN_EXE_sysdesign");
    let ws = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("startup");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    // The first frame is the title bar drawn while the course loads; the catalog follows.
    for (name, needle) in [
        ("start to first frame (pty, 120x40)", "sysdesign"),
        ("start to catalog drawn (pty, 120x40)", "Chapters"),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let pair = native_pty_system()
                        .openpty(PtySize {
                            rows: 40,
                            cols: 120,
                            pixel_width: 0,
                            pixel_height: 0,
                        })
                        .unwrap();
                    let mut cmd = CommandBuilder::new(bin);
                    cmd.args(["--workspace", &ws.path().display().to_string()]);
                    let mut reader = pair.master.try_clone_reader().unwrap();
                    let start = Instant::now();
                    let mut child = pair.slave.spawn_command(cmd).unwrap();
                    let mut seen = Vec::new();
                    let mut buf = [0u8; 65536];
                    while !String::from_utf8_lossy(&seen).contains(needle) {
                        let n = reader.read(&mut buf).unwrap();
                        if n == 0 {
                            break;
                        }
                        seen.extend_from_slice(&buf[..n]);
                    }
                    total += start.elapsed();
                    child.kill().ok();
                    child.wait().ok();
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    course_loading,
    largest_lesson_layout,
    frame,
    start_to_first_frame
);
criterion_main!(benches);
