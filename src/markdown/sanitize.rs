//! Neutralising control characters before any text reaches the terminal.
//!
//! A lesson is data, not a program: an ESC in it must not move the cursor, retitle the
//! window or change colours, and a bidi override must not make text read differently from
//! what it is. Each such character is replaced by a visible, inert stand-in so an author
//! can still see that something odd is in the source.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must never reach the terminal as itself. `\n` and `\t` are layout
/// characters the renderer handles; everything else in C0, DEL, C1 and the bidi
/// embedding, override and isolate controls is dangerous or misleading.
pub fn is_unsafe_char(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        _ => is_bidi_control(c),
    }
}

/// Embeddings, overrides and isolates: they reorder how the terminal shows the text that
/// follows ("Trojan Source"). The implicit marks LRM/RLM/ALM cannot reorder and stay.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Neutralise control characters and escape sequences: C0 controls (except `\n` and
/// `\t`) become their Unicode control pictures (ESC shows as `␛`), DEL becomes `␡`, and
/// C1 controls and bidi controls become a bracketed code point such as `<U+009B>`.
/// Returns the input unchanged, without allocating, when it is already safe.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(is_unsafe_char) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if is_unsafe_char(c) {
            push_stand_in(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn push_stand_in(out: &mut String, c: char) {
    match c {
        // U+2400..U+241F are the control pictures for NUL..US, in the same order.
        '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
        '\u{7f}' => out.push('\u{2421}'),
        _ => {
            let _ = write!(out, "<U+{:04X}>", c as u32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_text_is_borrowed() {
        assert!(matches!(
            sanitize("plain text\twith tab\n"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(sanitize("日本語 🚀"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_become_visible_and_inert() {
        assert_eq!(sanitize("\x1b[2J\x1b]0;pwned\x07"), "␛[2J␛]0;pwned␇");
        assert_eq!(sanitize("a\rb\u{0}c\u{8}"), "a␍b␀c␈");
        assert_eq!(sanitize("del\u{7f}"), "del␡");
    }

    #[test]
    fn c1_and_bidi_controls_are_spelled_out() {
        assert_eq!(sanitize("csi\u{9b}31m"), "csi<U+009B>31m");
        assert_eq!(sanitize("\u{202e}txt.exe"), "<U+202E>txt.exe");
        assert_eq!(sanitize("\u{2066}x\u{2069}"), "<U+2066>x<U+2069>");
        // Implicit directional marks cannot reorder text; they stay.
        assert_eq!(sanitize("\u{200e}"), "\u{200e}");
    }

    #[test]
    fn output_never_contains_an_unsafe_char() {
        let all: String = (0u32..0x2100).filter_map(char::from_u32).collect();
        assert!(!sanitize(&all).chars().any(is_unsafe_char));
    }
}
