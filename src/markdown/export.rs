//! Rendered lines to text for `sysdesign show`: plain, or with SGR colour sequences.
//! Span contents are sanitized again on the way out, so even lines built elsewhere cannot
//! smuggle an escape sequence through.

use std::fmt::Write;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;

use super::sanitize::sanitize;

/// The lines as plain text, one `\n`-terminated line each, trailing spaces removed.
pub fn to_plain(lines: &[Line<'_>]) -> String {
    let mut out = String::with_capacity(lines.len() * 64);
    let mut line_text = String::new();
    for line in lines {
        line_text.clear();
        for span in &line.spans {
            line_text.push_str(&sanitize(&span.content));
        }
        out.push_str(line_text.trim_end_matches(' '));
        out.push('\n');
    }
    out
}

/// The lines with their styles as ANSI SGR sequences (and no other escape sequence).
/// Each style change restates the whole style after a reset, so no attribute leaks from
/// one span into the next, and every line ends with the attributes reset.
pub fn to_ansi(lines: &[Line<'_>]) -> String {
    let mut out = String::with_capacity(lines.len() * 96);
    for line in lines {
        let mut current = Style::default();
        for span in &line.spans {
            if span.content.is_empty() {
                continue;
            }
            let style = line.style.patch(span.style);
            if !same_look(style, current) {
                push_sgr(&mut out, style);
                current = style;
            }
            out.push_str(&sanitize(&span.content));
        }
        if !same_look(current, Style::default()) {
            out.push_str("\x1b[0m");
        }
        out.push('\n');
    }
    out
}

fn same_look(a: Style, b: Style) -> bool {
    effective_fg(a) == effective_fg(b)
        && effective_bg(a) == effective_bg(b)
        && modifiers(a) == modifiers(b)
}

fn effective_fg(style: Style) -> Option<Color> {
    style.fg.filter(|c| *c != Color::Reset)
}

fn effective_bg(style: Style) -> Option<Color> {
    style.bg.filter(|c| *c != Color::Reset)
}

fn modifiers(style: Style) -> Modifier {
    style.add_modifier - style.sub_modifier
}

const MODIFIER_CODES: [(Modifier, u8); 9] = [
    (Modifier::BOLD, 1),
    (Modifier::DIM, 2),
    (Modifier::ITALIC, 3),
    (Modifier::UNDERLINED, 4),
    (Modifier::SLOW_BLINK, 5),
    (Modifier::RAPID_BLINK, 6),
    (Modifier::REVERSED, 7),
    (Modifier::HIDDEN, 8),
    (Modifier::CROSSED_OUT, 9),
];

fn push_sgr(out: &mut String, style: Style) {
    out.push_str("\x1b[0");
    let modifiers = modifiers(style);
    for (modifier, code) in MODIFIER_CODES {
        if modifiers.contains(modifier) {
            let _ = write!(out, ";{code}");
        }
    }
    if let Some(fg) = effective_fg(style) {
        push_color(out, fg, 30);
    }
    if let Some(bg) = effective_bg(style) {
        push_color(out, bg, 40);
    }
    out.push('m');
}

/// `base` is 30 for foreground, 40 for background; bright colours are base + 60.
fn push_color(out: &mut String, color: Color, base: u8) {
    let named = |n: u8| n + base;
    let code = match color {
        Color::Reset => return,
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => named(60),
        Color::LightRed => named(61),
        Color::LightGreen => named(62),
        Color::LightYellow => named(63),
        Color::LightBlue => named(64),
        Color::LightMagenta => named(65),
        Color::LightCyan => named(66),
        Color::White => named(67),
        Color::Indexed(i) => {
            let _ = write!(out, ";{};5;{i}", base + 8);
            return;
        }
        Color::Rgb(r, g, b) => {
            let _ = write!(out, ";{};2;{r};{g};{b}", base + 8);
            return;
        }
    };
    let _ = write!(out, ";{code}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::text::Span;

    #[test]
    fn plain_drops_styles_and_trailing_spaces() {
        let lines = vec![
            Line::from(vec![
                Span::styled("bold", Style::default().add_modifier(Modifier::BOLD)),
                Span::raw(" text   "),
            ]),
            Line::default(),
        ];
        assert_eq!(to_plain(&lines), "bold text\n\n");
    }

    #[test]
    fn plain_sanitizes_content_built_elsewhere() {
        let lines = vec![Line::from("\x1b[31mred")];
        assert_eq!(to_plain(&lines), "␛[31mred\n");
    }

    #[test]
    fn ansi_emits_sgr_per_style_change_and_resets_each_line() {
        let red_bold = Style::default().fg(Color::Red).add_modifier(Modifier::BOLD);
        let lines = vec![Line::from(vec![
            Span::raw("a"),
            Span::styled("b", red_bold),
            Span::styled("c", red_bold),
            Span::raw("d"),
        ])];
        assert_eq!(to_ansi(&lines), "a\x1b[0;1;31mbc\x1b[0md\n");
    }

    #[test]
    fn ansi_colour_forms() {
        let style = Style::default()
            .fg(Color::Indexed(200))
            .bg(Color::Rgb(1, 2, 3));
        let lines = vec![Line::from(Span::styled("x", style))];
        assert_eq!(to_ansi(&lines), "\x1b[0;38;5;200;48;2;1;2;3mx\x1b[0m\n");
        let bright = vec![Line::from(Span::styled(
            "y",
            Style::default().fg(Color::LightCyan),
        ))];
        assert_eq!(to_ansi(&bright), "\x1b[0;96my\x1b[0m\n");
    }

    #[test]
    fn ansi_unstyled_text_has_no_escapes() {
        let lines = vec![Line::from("plain")];
        assert_eq!(to_ansi(&lines), "plain\n");
    }
}
