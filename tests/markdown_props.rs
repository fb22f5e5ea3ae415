//! Properties of the renderer over arbitrary Markdown-ish input: it never panics, never
//! draws a line wider than the width, and never lets a control character through.

use proptest::prelude::*;
use sysdesign::markdown::{lint, render, to_ansi, to_plain};
use sysdesign::theme::Theme;

/// Characters that must never reach the terminal: C0 (layout characters included, since
/// the renderer turns them into lines and spaces), DEL, C1 and bidi controls.
fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        // Markdown syntax, so the parser reaches every construct.
        prop::sample::select(vec![
            "# ",
            "## ",
            "#### ",
            "- ",
            "* ",
            "1. ",
            "10) ",
            "> ",
            "> > ",
            "- [ ] ",
            "- [x] ",
            "```rust\n",
            "```\n",
            "~~~sql\n",
            "```nosuch\n",
            "    ",
            "\t",
            "|",
            "| a | b |\n",
            "|---|:-:|\n",
            "|--:|\n",
            "**",
            "*",
            "_",
            "`",
            "~~",
            "[",
            "](",
            ")",
            "![",
            "<",
            ">",
            "<https://x.example/a>",
            "<div>",
            "</div>",
            "---\n",
            "***\n",
            "\\\n",
            "  \n",
            "\n",
            "\n\n",
            " ",
            "&amp;",
            "[^1]",
            "> [!NOTE]\n",
        ])
        .prop_map(str::to_string),
        // Hostile and awkward text.
        prop::sample::select(vec![
            "\x1b[2J",
            "\x1b]0;title\x07",
            "\x1b",
            "\x07",
            "\0",
            "\r",
            "\r\n",
            "\u{7f}",
            "\u{9b}31m",
            "\u{85}",
            "\u{202e}",
            "\u{2066}",
            "\u{200d}",
            "\u{301}",
            "\u{fe0f}",
            "日本語",
            "한국어",
            "🚀",
            "👨\u{200d}👩\u{200d}👧",
            "🇯🇵",
            "e\u{301}",
            "\u{a0}",
        ])
        .prop_map(str::to_string),
        "[a-z]{1,12}",
        // Words longer than any width.
        "[a-z/.:]{60,300}",
        any::<String>(),
    ]
}

fn markdownish() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..60).prop_map(|parts| parts.concat())
}

fn check(markdown: &str, width: u16, theme: &Theme) -> Result<(), TestCaseError> {
    let rendered = render(markdown, width, theme);
    let limit = usize::from(width.max(10));
    for (index, line) in rendered.lines.iter().enumerate() {
        prop_assert!(
            line.width() <= limit,
            "line {index} is {} wide at width {width}: {:?}",
            line.width(),
            line.to_string()
        );
        for span in &line.spans {
            prop_assert!(
                !span.content.chars().any(is_forbidden),
                "control character in {:?}",
                span.content
            );
        }
    }
    for heading in &rendered.headings {
        prop_assert!(heading.line < rendered.lines.len());
        prop_assert!(!heading.text.chars().any(is_forbidden));
    }
    let plain = to_plain(&rendered.lines);
    prop_assert!(!plain.chars().any(|c| c != '\n' && is_forbidden(c)));
    prop_assert_eq!(plain.lines().count(), rendered.lines.len());
    let ansi = to_ansi(&rendered.lines);
    prop_assert!(only_sgr_sequences(&ansi), "non-SGR escape in {:?}", ansi);
    Ok(())
}

/// Every ESC in `text` starts a well-formed SGR sequence (`ESC [ digits/semicolons m`),
/// and no other control character except `\n` appears.
fn only_sgr_sequences(text: &str) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.next() != Some('[') {
                return false;
            }
            loop {
                match chars.next() {
                    Some('m') => break,
                    Some(d) if d.is_ascii_digit() || d == ';' => {}
                    _ => return false,
                }
            }
        } else if c != '\n' && is_forbidden(c) {
            return false;
        }
    }
    true
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_input_renders_within_the_width_without_controls(
        markdown in markdownish(),
        width in 20u16..=200,
    ) {
        check(&markdown, width, &Theme::MONO)?;
    }

    #[test]
    fn colour_rendering_holds_the_same_guarantees(
        markdown in markdownish(),
        width in 20u16..=200,
    ) {
        check(&markdown, width, &Theme::COLOR)?;
    }

    #[test]
    fn tiny_widths_are_clamped_not_overflowed(markdown in markdownish(), width in 0u16..20) {
        check(&markdown, width, &Theme::MONO)?;
    }

    #[test]
    fn tables_of_any_shape_fit(
        rows in prop::collection::vec(
            prop::collection::vec("[a-z 日🚀]{0,40}", 1..8),
            1..6,
        ),
        width in 10u16..=120,
    ) {
        let columns = rows[0].len();
        let mut markdown = String::new();
        for (index, row) in rows.iter().enumerate() {
            markdown.push('|');
            for cell in row {
                markdown.push_str(cell);
                markdown.push('|');
            }
            markdown.push('\n');
            if index == 0 {
                markdown.push_str(&"|---".repeat(columns));
                markdown.push_str("|\n");
            }
        }
        check(&markdown, width, &Theme::MONO)?;
    }

    #[test]
    fn lint_never_panics_and_points_inside_the_text(markdown in markdownish()) {
        for problem in lint(&markdown) {
            prop_assert!(problem.offset <= markdown.len());
            prop_assert!(markdown.is_char_boundary(problem.offset));
            prop_assert!(!problem.message.is_empty());
        }
    }
}

#[test]
fn the_fixture_fits_every_width_from_20_to_200() {
    let lesson = include_str!("../benches/fixtures/lesson-30k.md");
    for width in 20u16..=200 {
        for theme in [Theme::MONO, Theme::COLOR] {
            let rendered = render(lesson, width, &theme);
            let limit = usize::from(width);
            for line in &rendered.lines {
                assert!(
                    line.width() <= limit,
                    "width {width}: {:?}",
                    line.to_string()
                );
                assert!(
                    !line
                        .spans
                        .iter()
                        .any(|s| s.content.chars().any(is_forbidden)),
                    "control character at width {width}"
                );
            }
            assert_eq!(rendered.headings.len(), 34, "headings at width {width}");
        }
    }
}

#[test]
fn the_large_fixture_fits_the_common_widths() {
    let handbook = include_str!("../benches/fixtures/handbook-110k.md");
    for width in [20u16, 40, 80, 120, 200] {
        let rendered = render(handbook, width, &Theme::COLOR);
        assert!(
            rendered
                .lines
                .iter()
                .all(|l| l.width() <= usize::from(width))
        );
    }
}
