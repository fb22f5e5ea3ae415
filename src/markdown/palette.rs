//! Translating syntect's theme colours into terminal colours.
//!
//! The highlighting theme is bat's "ansi" theme, which names palette entries instead of
//! RGB values, so code takes the reader's own terminal colours and reads well in 16 and
//! 256-colour terminals and inside tmux without truecolor.

use ratatui::style::{Color, Modifier, Style};
use syntect::highlighting::{self as syn, FontStyle};

/// bat's encoding: alpha 0 means "palette entry `r`", alpha 1 means "the terminal's
/// default colour"; any other alpha is a true RGB colour.
pub fn color(c: syn::Color) -> Option<Color> {
    match c.a {
        0 => Some(match c.r {
            0 => Color::Black,
            1 => Color::Red,
            2 => Color::Green,
            3 => Color::Yellow,
            4 => Color::Blue,
            5 => Color::Magenta,
            6 => Color::Cyan,
            7 => Color::Gray,
            8 => Color::DarkGray,
            9 => Color::LightRed,
            10 => Color::LightGreen,
            11 => Color::LightYellow,
            12 => Color::LightBlue,
            13 => Color::LightMagenta,
            14 => Color::LightCyan,
            15 => Color::White,
            n => Color::Indexed(n),
        }),
        1 => None,
        _ => Some(Color::Rgb(c.r, c.g, c.b)),
    }
}

/// The foreground and font style of a highlighted token; the theme's background is
/// ignored so code sits on the reader's own background.
pub fn style(s: syn::Style) -> Style {
    let mut style = Style::default();
    if let Some(fg) = color(s.foreground) {
        style = style.fg(fg);
    }
    if s.font_style.contains(FontStyle::BOLD) {
        style = style.add_modifier(Modifier::BOLD);
    }
    if s.font_style.contains(FontStyle::ITALIC) {
        style = style.add_modifier(Modifier::ITALIC);
    }
    if s.font_style.contains(FontStyle::UNDERLINE) {
        style = style.add_modifier(Modifier::UNDERLINED);
    }
    style
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_entries_default_and_rgb() {
        let entry = syn::Color {
            r: 2,
            g: 0,
            b: 0,
            a: 0,
        };
        assert_eq!(color(entry), Some(Color::Green));
        let high = syn::Color {
            r: 200,
            g: 0,
            b: 0,
            a: 0,
        };
        assert_eq!(color(high), Some(Color::Indexed(200)));
        let default = syn::Color {
            r: 0,
            g: 0,
            b: 0,
            a: 1,
        };
        assert_eq!(color(default), None);
        let rgb = syn::Color {
            r: 1,
            g: 2,
            b: 3,
            a: 255,
        };
        assert_eq!(color(rgb), Some(Color::Rgb(1, 2, 3)));
    }

    #[test]
    fn font_styles_become_modifiers() {
        let s = syn::Style {
            foreground: syn::Color {
                r: 4,
                g: 0,
                b: 0,
                a: 0,
            },
            background: syn::Color::BLACK,
            font_style: FontStyle::BOLD | FontStyle::ITALIC,
        };
        let expected = Style::default()
            .fg(Color::Blue)
            .add_modifier(Modifier::BOLD | Modifier::ITALIC);
        assert_eq!(style(s), expected);
    }
}
