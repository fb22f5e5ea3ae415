//! Every Markdown construct, rendered through the public API.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use sysdesign::markdown::{Rendered, render, to_plain};
use sysdesign::theme::Theme;

fn plain(markdown: &str, width: u16) -> String {
    to_plain(&render(markdown, width, &Theme::MONO).lines)
}

fn coloured(markdown: &str, width: u16) -> Rendered {
    render(markdown, width, &Theme::COLOR)
}

/// The style of the first span whose text contains `needle`.
fn style_of(lines: &[Line], needle: &str) -> Style {
    lines
        .iter()
        .flat_map(|l| &l.spans)
        .find(|s| s.content.contains(needle))
        .unwrap_or_else(|| panic!("no span contains {needle:?}"))
        .style
}

fn has_colour(style: Style) -> bool {
    style.fg.is_some_and(|c| c != Color::Reset) || style.bg.is_some_and(|c| c != Color::Reset)
}

#[test]
fn headings_have_a_style_per_level_and_are_recorded() {
    let md = "# One\n\ntext\n\n## Two\n\n### Three\n\n#### Four\n";
    let r = coloured(md, 40);
    let styles: Vec<Style> = ["One", "Two", "Three", "Four"]
        .iter()
        .map(|h| style_of(&r.lines, h))
        .collect();
    for (i, a) in styles.iter().enumerate() {
        for b in &styles[i + 1..] {
            assert_ne!(a, b, "heading levels must look different");
        }
    }
    let found: Vec<(u8, &str)> = r
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str()))
        .collect();
    assert_eq!(found, [(1, "One"), (2, "Two"), (3, "Three"), (4, "Four")]);
    for h in &r.headings {
        assert!(r.lines[h.line].to_string().contains(&h.text));
    }
}

#[test]
fn headings_without_colour_are_told_apart_by_shape() {
    let text = plain("# Title\n\n## Section\n\n### Sub\n", 40);
    assert_eq!(text, "Title\n═════\n\nSection\n───────\n\n### Sub\n");
}

#[test]
fn paragraphs_wrap_at_the_width() {
    let md = "The quick brown fox jumps over the lazy dog and keeps running far away.";
    assert_eq!(
        plain(md, 20),
        "The quick brown fox\njumps over the lazy\ndog and keeps\nrunning far away.\n"
    );
}

#[test]
fn soft_breaks_join_and_hard_breaks_split() {
    assert_eq!(plain("one\ntwo", 40), "one two\n");
    assert_eq!(plain("one  \ntwo", 40), "one\ntwo\n");
    assert_eq!(plain("one\\\ntwo", 40), "one\ntwo\n");
}

#[test]
fn cjk_and_emoji_are_counted_as_two_columns() {
    let r = render(
        "日本語のテキストと絵文字🚀🚀🚀を含む段落です",
        12,
        &Theme::MONO,
    );
    assert!(r.lines.len() > 1);
    assert!(r.lines.iter().all(|l| l.width() <= 12));
    let joined: String = r.lines.iter().map(|l| l.to_string()).collect();
    assert_eq!(joined, "日本語のテキストと絵文字🚀🚀🚀を含む段落です");
}

#[test]
fn emphasis_strong_strike_and_code_are_styled() {
    let r = coloured("*em* **strong** ~~gone~~ `code` ***both***", 60);
    assert!(
        style_of(&r.lines, "em")
            .add_modifier
            .contains(Modifier::ITALIC)
    );
    assert!(
        style_of(&r.lines, "strong")
            .add_modifier
            .contains(Modifier::BOLD)
    );
    assert!(
        style_of(&r.lines, "gone")
            .add_modifier
            .contains(Modifier::CROSSED_OUT)
    );
    assert_eq!(style_of(&r.lines, "code"), Theme::COLOR.code());
    let both = style_of(&r.lines, "both").add_modifier;
    assert!(both.contains(Modifier::BOLD | Modifier::ITALIC));
}

#[test]
fn without_colour_code_and_strike_keep_textual_marks() {
    assert_eq!(
        plain("run `cargo test` ~~never~~ now", 60),
        "run `cargo test` ~~never~~ now\n"
    );
    let r = render("**b** `c` [l](http://x)", 40, &Theme::MONO);
    for span in r.lines.iter().flat_map(|l| &l.spans) {
        assert!(!has_colour(span.style), "{span:?} has a colour");
    }
}

#[test]
fn unordered_lists_nest_with_hanging_indents() {
    let md = "- first item that is long enough to wrap\n- second\n  - nested one\n    - deeper\n";
    assert_eq!(
        plain(md, 24),
        "• first item that is\n  long enough to wrap\n• second\n  ◦ nested one\n    ▪ deeper\n"
    );
}

#[test]
fn ordered_lists_align_their_numbers() {
    let md = (1..=10)
        .map(|n| format!("{n}. item {n}\n"))
        .collect::<String>();
    let text = plain(&md, 30);
    assert!(text.starts_with(" 1. item 1\n 2. item 2\n"));
    assert!(text.ends_with("10. item 10\n"));
    assert_eq!(plain("7. seven\n8. eight\n", 30), "7. seven\n8. eight\n");
}

#[test]
fn loose_lists_keep_blank_lines_between_items() {
    assert_eq!(plain("- a\n\n- b\n", 20), "• a\n\n• b\n");
}

#[test]
fn task_lists_show_their_boxes() {
    let md = "- [x] done\n- [ ] todo\n";
    assert_eq!(plain(md, 20), "[x] done\n[ ] todo\n");
    let r = coloured(md, 20);
    assert_ne!(style_of(&r.lines, "[x]"), style_of(&r.lines, "[ ]"));
}

#[test]
fn block_quotes_get_a_gutter_and_nest() {
    let md = "> quoted text\n>\n> > inner\n";
    assert_eq!(plain(md, 30), "│ quoted text\n│\n│ │ inner\n");
}

#[test]
fn alerts_show_their_kind() {
    assert_eq!(
        plain("> [!WARNING]\n> Careful.\n", 30),
        "│ Warning\n│ Careful.\n"
    );
}

#[test]
fn horizontal_rules_span_the_width() {
    assert_eq!(plain("a\n\n---\n\nb", 12), "a\n\n────────────\n\nb\n");
}

#[test]
fn links_show_their_target_unless_it_is_the_text() {
    assert_eq!(
        plain("[docs](https://d.example)", 60),
        "docs <https://d.example>\n"
    );
    assert_eq!(plain("<https://d.example>", 60), "https://d.example\n");
    assert_eq!(plain("<ops@d.example>", 60), "ops@d.example\n");
    let r = coloured("[docs](https://d.example)", 60);
    assert_eq!(style_of(&r.lines, "docs"), Theme::COLOR.link());
}

#[test]
fn images_show_their_alt_text() {
    assert_eq!(
        plain("![a cache diagram](c.png)", 40),
        "[image: a cache diagram]\n"
    );
    assert_eq!(plain("![](c.png)", 40), "[image]\n");
}

#[test]
fn html_blocks_are_plain_text() {
    // Presentational wrappers show their words; markup with structure shows as written.
    assert_eq!(plain("<div>\n<b>hi</b>\n</div>\n", 40), "hi\n");
    assert_eq!(
        plain("<table>\n<tr><td>hi</td></tr>\n</table>\n", 40),
        "<table>\n<tr><td>hi</td></tr>\n</table>\n"
    );
}

#[test]
fn tables_have_box_borders_and_align_cells() {
    let md = "| Name | Count |\n|:-----|------:|\n| a | 1 |\n| bb | 22 |\n";
    assert_eq!(
        plain(md, 40),
        "┌──────┬───────┐\n\
         │ Name │ Count │\n\
         ╞══════╪═══════╡\n\
         │ a    │     1 │\n\
         │ bb   │    22 │\n\
         └──────┴───────┘\n"
    );
}

#[test]
fn tables_shrink_and_wrap_to_fit_the_width() {
    let md = "| Pattern | Notes |\n|---|---|\n| Cache-aside | the application reads the cache first and loads on a miss |\n";
    for width in [24u16, 30, 40, 60] {
        let r = render(md, width, &Theme::MONO);
        assert!(r.lines.iter().all(|l| l.width() <= usize::from(width)));
        let text = to_plain(&r.lines);
        let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count();
        assert_eq!(
            letters(&text),
            letters(md),
            "text lost at width {width}:\n{text}"
        );
    }
    let wide = plain(md, 80);
    assert!(
        wide.contains("│ Cache-aside │ the application reads"),
        "{wide}"
    );
}

#[test]
fn tables_too_wide_for_columns_become_records() {
    let md = "| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n| alpha | beta | gamma | delta | epsilon | zeta |\n";
    let text = plain(md, 20);
    assert!(text.contains("a: alpha\n"));
    assert!(text.contains("f: zeta\n"));
}

#[test]
fn code_blocks_keep_indentation_and_get_a_gutter() {
    let md = "```text\nfn a() {\n\tb();\n}\n```\n";
    assert_eq!(plain(md, 30), "▏ fn a() {\n▏     b();\n▏ }\n");
}

#[test]
fn code_blocks_are_highlighted_only_with_colour() {
    let md = "```rust\nfn main() { let x = 1; }\n```\n";
    let r = coloured(md, 60);
    assert!(r.lines[0].spans.iter().any(|s| has_colour(s.style)));
    let mono = render(md, 60, &Theme::MONO);
    assert!(mono.lines[0].spans.iter().all(|s| !has_colour(s.style)));
}

#[test]
fn every_required_language_is_highlighted() {
    let samples = [
        ("toml", "[server]\nport = 8080"),
        ("yaml", "key: value\nlist:\n  - 1"),
        ("dockerfile", "FROM debian\nRUN echo hi"),
        ("sql", "SELECT id FROM t WHERE x = 1;"),
        ("json", "{\"a\": [1, true]}"),
        ("http", "GET /x HTTP/1.1\nHost: example.com"),
        ("sh", "echo \"$HOME\" | grep x"),
        ("rust", "fn main() {}"),
    ];
    for (language, code) in samples {
        let r = coloured(&format!("```{language}\n{code}\n```\n"), 60);
        let styles: std::collections::HashSet<Style> = r
            .lines
            .iter()
            .flat_map(|l| &l.spans)
            .skip(1)
            .map(|s| s.style)
            .collect();
        assert!(styles.len() > 1, "{language} is not highlighted");
    }
}

#[test]
fn long_code_lines_wrap_with_a_marker() {
    let md = format!("```text\n{}\n```\n", "x".repeat(50));
    let r = render(&md, 20, &Theme::MONO);
    assert!(r.lines.iter().all(|l| l.width() <= 20));
    assert!(r.lines[1].to_string().starts_with("↪ "));
    let joined: String = r
        .lines
        .iter()
        .map(|l| l.to_string()[4..].to_string())
        .collect();
    assert_eq!(joined.len(), 50 - 1 + 1, "no character is lost");
}

#[test]
fn control_characters_are_neutralised_everywhere() {
    let md = "# T\x1b]0;title\x07\n\npara \x1b[2J\n\n```sh\necho \x1b[31m\n```\n\n| a\x1b |\n|---|\n| \u{9b}b |\n\n[l\x1b](http://x\x1b)\n";
    for theme in [Theme::COLOR, Theme::MONO] {
        let r = render(md, 40, &theme);
        for span in r.lines.iter().flat_map(|l| &l.spans) {
            assert!(
                !span.content.chars().any(|c| c.is_control()),
                "control character in {span:?}"
            );
        }
        assert!(r.headings[0].text.contains('␛'));
    }
}

#[test]
fn width_is_clamped_to_the_minimum() {
    let r = render("a paragraph of several words", 0, &Theme::MONO);
    assert!(r.lines.iter().all(|l| l.width() <= 10));
    assert!(r.lines.len() > 1);
}

#[test]
fn deep_nesting_never_overflows_narrow_widths() {
    let md = "> - a\n>   > - b\n>   >   > 1. c c c c c c c c\n>   >   >    - d d d d d d\n";
    for width in 10..=30u16 {
        let r = render(md, width, &Theme::MONO);
        assert!(
            r.lines.iter().all(|l| l.width() <= usize::from(width)),
            "width {width}"
        );
        let text = to_plain(&r.lines);
        assert!(text.contains('d'), "content lost at width {width}");
    }
}

#[test]
fn empty_and_whitespace_documents_render_nothing() {
    assert!(render("", 80, &Theme::MONO).lines.is_empty());
    assert!(render("   \n\n  ", 80, &Theme::MONO).lines.is_empty());
}

#[test]
fn rendering_is_deterministic() {
    let md = include_str!("../benches/fixtures/lesson-30k.md");
    assert_eq!(coloured(md, 80), coloured(md, 80));
}

#[test]
fn a_tab_joined_to_a_combining_mark_still_expands() {
    // Found by the property test: U+1E000 is a combining mark, so "\t\u{1e000}" is one
    // grapheme cluster and the tab used to pass through unexpanded.
    for theme in [Theme::MONO, Theme::COLOR] {
        let r = render("```rust\n\t\u{1e000}x\n```\n", 40, &theme);
        assert!(
            r.lines
                .iter()
                .flat_map(|l| &l.spans)
                .all(|s| !s.content.contains('\t'))
        );
    }
}
