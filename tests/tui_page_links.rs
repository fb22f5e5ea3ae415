//! In-page `#anchor` links in the reader: `f` picks a link on screen, Enter jumps to the
//! heading with that GitHub-style slug (a README's table of contents keeps working).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use sysdesign::cli::Env;
use sysdesign::theme::Theme;
use sysdesign::tui::model::{Model, Screen};
use sysdesign::tui::msg::Msg;
use sysdesign::tui::{initial_model, update::update};

const LESSON: &str = r#"id = "primer"
chapter = 1
title = "Primer"
summary = "A README as a lesson."
minutes = 5
objectives = ["Follow links"]

[[section]]
id = "index"
title = "Index"
body = '''
* [Caching](#caching)
* [Cache-aside: when?](#cache-aside-when)
* [Nowhere](#no-such-heading)

FILLER
'''

[[section]]
id = "caching"
title = "Caching"
body = '''
Text about caching.

## Cache-aside: when?

More text.

FILLER
'''
"#;

fn model() -> (Model, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("lessons")).unwrap();
    // Long enough to scroll, so a jump has somewhere to go.
    let filler = "A paragraph of filler text.\n\n".repeat(30);
    std::fs::write(
        dir.path().join("lessons/01-primer.toml"),
        LESSON.replace("FILLER", &filler),
    )
    .unwrap();
    let env = Env::new(Some(dir.path().to_path_buf()), Some(dir.path().join("ws")));
    let mut model = initial_model(&env, Rect::new(0, 0, 80, 24), Theme::MONO);
    key(&mut model, KeyCode::Enter);
    assert!(
        matches!(model.screen, Screen::Reader(_)),
        "the lesson opens"
    );
    (model, dir)
}

fn key(model: &mut Model, code: KeyCode) {
    update(model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn scroll(model: &Model) -> usize {
    match &model.screen {
        Screen::Reader(r) => r.scroll,
        _ => panic!("not in the reader"),
    }
}

fn line_text(model: &Model, line: usize) -> String {
    match &model.screen {
        Screen::Reader(r) => r.doc.lines[line].to_string(),
        _ => panic!("not in the reader"),
    }
}

#[test]
fn f_then_enter_jumps_to_the_section_heading() {
    let (mut model, _dir) = model();
    key(&mut model, KeyCode::Char('f'));
    assert!(
        model
            .flash
            .as_deref()
            .is_some_and(|f| f.contains("Caching")),
        "{:?}",
        model.flash
    );
    key(&mut model, KeyCode::Enter);
    assert!(line_text(&model, scroll(&model)).contains("Caching"));
    assert!(scroll(&model) > 0);
}

#[test]
fn f_cycles_to_a_heading_inside_a_body() {
    let (mut model, _dir) = model();
    key(&mut model, KeyCode::Char('f'));
    key(&mut model, KeyCode::Char('f'));
    key(&mut model, KeyCode::Enter);
    assert_eq!(line_text(&model, scroll(&model)), "Cache-aside: when?");
}

#[test]
fn a_link_to_no_heading_says_so() {
    let (mut model, _dir) = model();
    for _ in 0..3 {
        key(&mut model, KeyCode::Char('f'));
    }
    key(&mut model, KeyCode::Enter);
    assert_eq!(scroll(&model), 0);
    assert!(
        model
            .flash
            .as_deref()
            .is_some_and(|f| f.contains("no heading #no-such-heading")),
        "{:?}",
        model.flash
    );
}
