//! The app's header names the course it shows: a pack's own title from its course.toml.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use sysdesign::cli::Env;
use sysdesign::theme::Theme;
use sysdesign::tui::model::Model;
use sysdesign::tui::{initial_model, view::view};

fn draw(model: &Model) -> String {
    let area = model.size;
    let mut terminal = Terminal::new(TestBackend::new(area.width, area.height)).unwrap();
    terminal.draw(|f| view(model, f)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..area.height {
        for x in 0..area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn catalog(course: &std::path::Path, width: u16) -> String {
    let ws = tempfile::tempdir().unwrap();
    let env = Env::new(Some(course.to_path_buf()), Some(ws.path().to_path_buf()));
    draw(&initial_model(
        &env,
        Rect::new(0, 0, width, 24),
        Theme::MONO,
    ))
}

fn pack() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pack-course")
}

#[test]
fn the_catalog_of_a_pack_shows_its_own_title() {
    insta::assert_snapshot!("pack_catalog_80x24", catalog(&pack(), 80));
}

#[test]
fn a_long_pack_title_is_cut_to_fit_beside_the_percentage() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("long");
    std::fs::create_dir_all(course.join("lessons")).unwrap();
    std::fs::copy(
        pack().join("lessons/01-intro.toml"),
        course.join("lessons/01-intro.toml"),
    )
    .unwrap();
    let toml = std::fs::read_to_string(pack().join("course.toml"))
        .unwrap()
        .replace(
            "Queues & <Streams>: a test pack",
            "A very long course title that goes on and on well past the width of a small terminal",
        );
    std::fs::write(course.join("course.toml"), toml).unwrap();
    let screen = catalog(&course, 60);
    let header = screen.lines().next().unwrap();
    assert!(
        header.starts_with(" sysdesign · A very long course title"),
        "{header}"
    );
    assert!(header.trim_end().ends_with("0% done"), "{header}");
    assert_eq!(header.chars().count(), 60);
}

/// A copy of the pack fixture in a temporary directory, to edit.
fn pack_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("pack");
    std::fs::create_dir_all(course.join("lessons")).unwrap();
    for file in ["course.toml", "lessons/01-intro.toml"] {
        std::fs::copy(pack().join(file), course.join(file)).unwrap();
    }
    (dir, course)
}

#[test]
fn saving_course_toml_retitles_the_header() {
    let (dir, course) = pack_copy();
    let env = Env::new(Some(course.clone()), Some(dir.path().join("ws")));
    let mut model = initial_model(&env, Rect::new(0, 0, 80, 24), Theme::MONO);
    let toml = std::fs::read_to_string(course.join("course.toml")).unwrap();
    std::fs::write(
        course.join("course.toml"),
        toml.replace("Queues & <Streams>: a test pack", "Streams, renamed"),
    )
    .unwrap();
    sysdesign::tui::update::update(&mut model, sysdesign::tui::msg::Msg::CourseFileChanged);
    assert_eq!(model.flash.as_deref(), Some("reloaded course.toml"));
    insta::assert_snapshot!("pack_catalog_after_course_toml_saved", draw(&model));
}

#[test]
fn a_broken_course_toml_keeps_the_last_good_title_and_says_why() {
    let (dir, course) = pack_copy();
    let env = Env::new(Some(course.clone()), Some(dir.path().join("ws")));
    let mut model = initial_model(&env, Rect::new(0, 0, 80, 24), Theme::MONO);
    let toml = std::fs::read_to_string(course.join("course.toml")).unwrap();
    std::fs::write(
        course.join("course.toml"),
        toml.replace("licence", "license"),
    )
    .unwrap();
    sysdesign::tui::update::update(&mut model, sysdesign::tui::msg::Msg::CourseFileChanged);
    assert_eq!(model.course.pack.title, "Queues & <Streams>: a test pack");
    let flash = model.flash.clone().unwrap_or_default();
    assert!(
        flash.starts_with("course.toml not reloaded: unknown key `license`"),
        "{flash}"
    );
    assert!(draw(&model).starts_with(" sysdesign · Queues & <Streams>: a test pack"));
}

#[test]
fn a_new_course_id_waits_for_the_next_start() {
    let (dir, course) = pack_copy();
    let env = Env::new(Some(course.clone()), Some(dir.path().join("ws")));
    let mut model = initial_model(&env, Rect::new(0, 0, 80, 24), Theme::MONO);
    let toml = std::fs::read_to_string(course.join("course.toml")).unwrap();
    std::fs::write(
        course.join("course.toml"),
        toml.replace("id = \"pack-fixture\"", "id = \"pack-renamed\""),
    )
    .unwrap();
    sysdesign::tui::update::update(&mut model, sysdesign::tui::msg::Msg::CourseFileChanged);
    assert_eq!(model.course.pack.id, "pack-renamed");
    assert!(
        model
            .flash
            .as_deref()
            .is_some_and(|f| f.contains("new id takes effect when sysdesign starts again")),
        "{:?}",
        model.flash
    );
}
