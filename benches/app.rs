//! Speed targets of the app as a whole: loading the course, laying out the largest lesson,
//! drawing a frame, and start to the complete catalog of the real binary in a pseudo-terminal
//! (beside `less` showing a small file, in the same run).

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

/// What a pty start benchmark runs, and how it knows the screen is complete.
struct Start<'a> {
    program: &'a str,
    args: Vec<String>,
    /// True once the screen shows everything the program draws at start.
    complete: &'a dyn Fn(&vt100::Screen) -> bool,
}

/// Spawn `start.program` in a fresh 80×24 pty and time until its screen is complete, as a
/// student would see it: every byte goes through a terminal emulator, not a string search.
fn time_to_complete_screen(start: &Start) -> Duration {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new(start.program);
    cmd.args(&start.args);
    cmd.env("TERM", "xterm-256color");
    // `less` as installed: no input preprocessor (lesspipe) and no options from the
    // environment, so it is measured at its fastest.
    for var in ["LESS", "LESSOPEN", "LESSCLOSE"] {
        cmd.env_remove(var);
    }
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let mut screen = vt100::Parser::new(24, 80, 0);
    let mut buf = [0u8; 65536];
    let began = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn in the pty");
    let elapsed = loop {
        let n = reader.read(&mut buf).expect("read the pty");
        assert!(
            n > 0,
            "{} exited before its screen was complete:\n{}",
            start.program,
            screen.screen().contents()
        );
        screen.process(&buf[..n]);
        if (start.complete)(screen.screen()) {
            break began.elapsed();
        }
    };
    child.kill().ok();
    child.wait().ok();
    elapsed
}

/// Start to a complete first screen, for the catalog of the release-like binary and for
/// `less` showing a small file, in the same run: the target is the catalog within 1.5× of
/// `less`.
fn start_to_complete_screen(c: &mut Criterion) {
    let ws = tempfile::tempdir().unwrap();
    let small = ws.path().join("small.txt");
    let text: String = (1..=10)
        .map(|i| format!("line {i} of a small file\n"))
        .collect();
    std::fs::write(&small, text).unwrap();
    // The whole catalog: every chapter's row, the About pane and the key legend (the last
    // row, drawn last).
    let catalog = |s: &vt100::Screen| {
        let text = s.contents();
        text.contains("9  Conclusion") && text.contains("About") && text.contains("q  quit")
    };
    let less_done = |s: &vt100::Screen| {
        let text = s.contents();
        text.contains("line 10 of a small file") && text.contains("(END)")
    };
    let starts = [
        (
            "less: small file shown (pty 80x24)",
            Start {
                program: "less",
                args: vec![small.display().to_string()],
                complete: &less_done,
            },
        ),
        (
            "sysdesign: full catalog drawn (pty 80x24)",
            Start {
                program: env!("CARGO_BIN_EXE_sysdesign"),
                args: vec!["--workspace".into(), ws.path().display().to_string()],
                complete: &catalog,
            },
        ),
    ];
    let mut group = c.benchmark_group("startup");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(10));
    for (name, start) in &starts {
        group.bench_function(*name, |b| {
            b.iter_custom(|iters| (0..iters).map(|_| time_to_complete_screen(start)).sum())
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    course_loading,
    largest_lesson_layout,
    frame,
    start_to_complete_screen
);
criterion_main!(benches);
