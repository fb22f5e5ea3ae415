//! In-page `#anchor` links in the reader: `f` picks a link on screen, Enter jumps to the
//! heading with that GitHub-style slug (a README's table of contents keeps working).

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use sysdesign::cli::Env;
use sysdesign::theme::Theme;
use sysdesign::tui::model::{Model, Screen};
use sysdesign::tui::msg::Msg;
use sysdesign::tui::{initial_model, update::update, view::view};

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
    model_of(LESSON)
}

fn model_of(lesson: &str) -> (Model, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("lessons")).unwrap();
    // Long enough to scroll, so a jump has somewhere to go.
    let filler = "A paragraph of filler text.\n\n".repeat(30);
    std::fs::write(
        dir.path().join("lessons/01-primer.toml"),
        lesson.replace("FILLER", &filler),
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

/// The screen as text, then each run of cells drawn reversed and underlined (how the
/// picked link shows, with or without colour) as `row: text`.
fn screen_with_highlight(model: &Model) -> (String, Vec<String>) {
    let area = model.size;
    let mut terminal = Terminal::new(TestBackend::new(area.width, area.height)).unwrap();
    terminal.draw(|f| view(model, f)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut screen = String::new();
    let mut runs = Vec::new();
    for y in 0..area.height {
        let mut run = String::new();
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            screen.push_str(cell.symbol());
            let marked = cell
                .modifier
                .contains(Modifier::REVERSED | Modifier::UNDERLINED);
            if marked {
                run.push_str(cell.symbol());
            }
            if (!marked || x + 1 == area.width) && !run.is_empty() {
                runs.push(format!("{y}: {}", std::mem::take(&mut run)));
            }
        }
        screen.push('\n');
    }
    (screen, runs)
}

#[test]
fn the_picked_link_is_drawn_reversed_and_underlined() {
    let (mut model, _dir) = model();
    let (_, before) = screen_with_highlight(&model);
    assert_eq!(before, Vec::<String>::new(), "nothing is picked yet");
    key(&mut model, KeyCode::Char('f'));
    let (screen, runs) = screen_with_highlight(&model);
    assert_eq!(runs, ["11: Caching"]);
    insta::assert_snapshot!(
        "picked_link_80x24",
        format!("{screen}\nhighlighted:\n{}", runs.join("\n"))
    );
    // `f` again moves the highlight to the next link.
    key(&mut model, KeyCode::Char('f'));
    let (_, runs) = screen_with_highlight(&model);
    assert_eq!(runs, ["12: Cache-aside: when?"]);
    // Following it clears the pick.
    key(&mut model, KeyCode::Enter);
    let (_, runs) = screen_with_highlight(&model);
    assert_eq!(runs, Vec::<String>::new());
}

const TABLE_LESSON: &str = r#"id = "primer"
chapter = 1
title = "Primer"
summary = "A README as a lesson."
minutes = 5
objectives = ["Follow links"]

[[section]]
id = "index"
title = "Index"
body = '''
| Topic | Where |
|---|---|
| Caching | [The caching chapter, which explains cache-aside, write-through and write-behind](#caching) |
| Queues | [Queues](#queues) |

FILLER
'''

[[section]]
id = "caching"
title = "Caching"
body = '''
Text about caching.

FILLER
'''
"#;

#[test]
fn a_link_in_a_table_cell_is_followed_and_highlighted_where_it_wraps() {
    let (mut model, _dir) = model_of(TABLE_LESSON);
    key(&mut model, KeyCode::Char('f'));
    assert!(
        model
            .flash
            .as_deref()
            .is_some_and(|f| f.contains("The caching chapter")),
        "{:?}",
        model.flash
    );
    let (screen, runs) = screen_with_highlight(&model);
    insta::assert_snapshot!(
        "picked_table_link_80x24",
        format!("{screen}\nhighlighted:\n{}", runs.join("\n"))
    );
    let highlighted: Vec<&str> = runs.iter().map(|r| r.split_once(": ").unwrap().1).collect();
    assert_eq!(
        highlighted.join(" ").split_whitespace().collect::<Vec<_>>(),
        "The caching chapter, which explains cache-aside, write-through and write-behind"
            .split_whitespace()
            .collect::<Vec<_>>(),
        "{runs:?}"
    );
    key(&mut model, KeyCode::Enter);
    assert_eq!(line_text(&model, scroll(&model)), "1.2 Caching");
    assert_eq!(model.flash.as_deref(), Some("jumped to #caching"));
}

/// The words a link's spans cover, line by line.
fn covered(r: &sysdesign::markdown::Rendered, link: usize) -> String {
    r.links[link]
        .spans
        .iter()
        .map(|(line, chars)| {
            let text = r.lines[*line].to_string();
            text.chars()
                .skip(chars.start)
                .take(chars.end - chars.start)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_links_spans_cover_exactly_its_words_wherever_it_sits() {
    let text = "the link text that is long enough to wrap over lines";
    for md in [
        format!("Before [{text}](#a) after."),
        format!("- item\n  - nested [{text}](#a) after"),
        format!("> quoted [{text}](#a) after"),
        format!("1. [{text}](#a)"),
        format!("| A | B |\n|---|---|\n| x | [{text}](#a) |\n"),
        format!(
            "| Alpha | Beta | Gamma | Delta |\n|---|---|---|---|\n| 1 | 2 | 3 | [{text}](#a) |\n"
        ),
        format!("| 日本語 | B |\n|---|---|\n| 日本 | [{text}](#a) |\n"),
    ] {
        for width in [20, 28, 40, 80] {
            let r = sysdesign::markdown::render(&md, width, &Theme::MONO);
            assert_eq!(r.links.len(), 1, "{md} at {width}");
            let words: Vec<String> = covered(&r, 0)
                .split_whitespace()
                .map(String::from)
                .collect();
            assert_eq!(
                words,
                text.split_whitespace()
                    .map(String::from)
                    .collect::<Vec<_>>(),
                "{md} at {width}: {:?}",
                r.lines.iter().map(|l| l.to_string()).collect::<Vec<_>>()
            );
        }
    }
}
