//! Real-world and hostile Markdown: what a README pasted as a lesson contains, and shapes a
//! fuzzer found. Each test here failed before its fix.

use sysdesign::markdown::{render, to_ansi, to_plain};
use sysdesign::theme::Theme;

fn plain(markdown: &str, width: u16) -> String {
    to_plain(&render(markdown, width, &Theme::MONO).lines)
}

#[test]
fn a_centred_logo_block_shows_its_alt_text_not_its_markup() {
    let md = "<p align=\"center\">\n  <img src=\"images/jj3A5N8.png\" alt=\"System design primer\">\n  <br/>\n</p>\n\nAfter.\n";
    assert_eq!(plain(md, 60), "[image: System design primer]\n\nAfter.\n");
}

#[test]
fn br_breaks_a_line_in_prose_and_in_table_cells() {
    assert_eq!(
        plain("one<br>two<br/>three<br />four\n", 40),
        "one\ntwo\nthree\nfour\n"
    );
    let table = "| A | B |\n|---|---|\n| x<br/>y | z |\n";
    let text = plain(table, 40);
    assert!(!text.contains("<br"), "{text}");
    assert!(
        text.contains("│ x │ z │") && text.contains("│ y │   │"),
        "{text}"
    );
}

#[test]
fn presentational_tags_vanish_and_unknown_ones_stay() {
    assert_eq!(
        plain("H<sub>2</sub>O and <kbd>Ctrl</kbd>\n", 40),
        "H2O and Ctrl\n"
    );
    assert_eq!(plain("`Vec<T>` and Vec<T>\n", 40), "`Vec<T>` and Vec<T>\n");
    assert_eq!(
        plain("<table>\n<tr><td>x</td></tr>\n</table>\n", 40),
        "<table>\n<tr><td>x</td></tr>\n</table>\n"
    );
}

#[test]
fn a_long_url_does_not_squeeze_the_other_columns() {
    let url = format!(
        "https://github.com/donnemartin/system-design-primer/{}",
        "a".repeat(80)
    );
    let md = format!(
        "| Topic | Notes | Source |\n|---|---|---|\n| Consistency patterns | Weak, eventual and strong consistency with their trade-offs | {url} |\n"
    );
    let r = render(&md, 100, &Theme::MONO);
    let header = r.lines[1].to_string();
    let cells: Vec<usize> = header
        .trim_matches('│')
        .split('│')
        .map(|c| c.chars().count() - 2)
        .collect();
    assert_eq!(cells.len(), 3, "{header}");
    assert!(
        cells[0] >= "Consistency".len() && cells[1] >= 20,
        "prose columns kept too narrow: {cells:?}\n{}",
        to_plain(&r.lines)
    );
    assert!(r.lines.iter().all(|l| l.width() <= 100));
}

/// Run `f` on a thread with a small stack, as the TUI's render worker and `cargo test`'s
/// threads have: a renderer that recursed once per nesting level would overflow it.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .expect("rendering must not crash")
}

#[test]
fn quotes_nested_thousands_deep_render_without_overflowing_the_stack() {
    let text = on_small_stack(|| plain(&format!("{}deep", "> ".repeat(9_400)), 80));
    assert!(text.contains("deep"));
}

#[test]
fn lists_nested_thousands_deep_render_without_overflowing_the_stack() {
    let text = on_small_stack(|| plain(&format!("{}deep", "- ".repeat(9_400)), 80));
    assert!(text.contains("deep"));
    let indented: String = (0..1_000)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    on_small_stack(move || plain(&indented, 80));
}

#[test]
fn deep_quotes_around_a_long_paragraph_do_not_multiply_the_output() {
    let paragraph = "word ".repeat(11_200);
    let md = format!("{} {paragraph}", ">".repeat(5_000));
    let r = on_small_stack(move || render(&md, 80, &Theme::COLOR));
    let plain = to_plain(&r.lines);
    let ansi = to_ansi(&r.lines);
    let input = 5_000 + paragraph.len();
    assert!(
        plain.len() <= 3 * input,
        "plain {} bytes from {input}",
        plain.len()
    );
    assert!(
        ansi.len() <= 4 * input,
        "ansi {} bytes from {input}",
        ansi.len()
    );
}

#[test]
fn in_page_links_are_reported_with_their_line() {
    let md = "Intro words.\n\n- [Caching](#caching)\n- [Cache-aside: when?](#cache-aside-when)\n\n## Caching\n";
    let r = render(md, 40, &Theme::MONO);
    let links: Vec<(usize, &str, &str)> = r
        .links
        .iter()
        .map(|l| (l.line, l.target.as_str(), l.text.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            (2, "caching", "Caching"),
            (3, "cache-aside-when", "Cache-aside: when?")
        ]
    );
    assert_eq!(sysdesign::markdown::slug(&r.headings[0].text), "caching");
}

#[test]
fn a_wide_header_over_short_rows_does_not_multiply_the_output() {
    // The parser pads each one-word row to the header's 1,000 columns.
    let md = format!(
        "|{}\n|{}\n{}",
        "h|".repeat(1_000),
        "-|".repeat(1_000),
        "x\n".repeat(1_000)
    );
    let text = plain(&md, 80);
    assert!(
        text.len() <= 20 * md.len(),
        "{} bytes shown for {} bytes",
        text.len(),
        md.len()
    );
    assert!(text.contains("h: x"), "{}", &text[..200.min(text.len())]);
}

#[test]
fn cells_past_the_last_column_join_it() {
    let header: String = (1..=40).map(|i| format!("c{i}|")).collect();
    let row: String = (1..=40).map(|i| format!("v{i}|")).collect();
    let md = format!("|{header}\n|{}\n|{row}\n", "-|".repeat(40));
    let text = plain(&md, 80);
    for i in [1, 32, 33, 40] {
        assert!(text.contains(&format!("v{i}")), "v{i} lost:\n{text}");
    }
}

#[test]
fn one_tall_row_does_not_put_a_rule_between_thousands_of_short_ones() {
    let tall = "words that wrap in a narrow column ".repeat(4);
    let md = format!(
        "| System | During a partition | Else |\n|---|---|---|\n| a | {tall} | b |\n{}",
        "| x | y | z |\n".repeat(2_000)
    );
    let text = plain(&md, 120);
    assert!(
        // Each row is still a full-width line (about 9 bytes per source byte here); the
        // rules between rows made it 35.
        text.len() <= 12 * md.len(),
        "{} bytes shown for {}",
        text.len(),
        md.len()
    );
    assert!(text.matches('├').count() < 10, "a rule per row");
}
