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
    let Some(first) = first_unsafe(text) else {
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

/// Byte offset of the first unsafe character. Works on bytes, because every lesson string
/// goes through here at start-up: C0 and DEL are single bytes, C1 controls are `C2 80..9F`,
/// and the bidi controls are `E2 80 AA..AE` and `E2 81 A6..A9` in UTF-8.
pub fn first_unsafe(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let suspect =
        |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') | (b == 0x7f) | (b == 0xc2) | (b == 0xe2);
    // Test whole chunks without branching (the compiler vectorizes the fold); look closer
    // only inside a chunk that holds a suspect byte.
    const CHUNK: usize = 64;
    for (n, chunk) in bytes.chunks(CHUNK).enumerate() {
        if !chunk.iter().fold(false, |any, &b| any | suspect(b)) {
            continue;
        }
        for (i, &b) in chunk.iter().enumerate() {
            let at = n * CHUNK + i;
            let unsafe_here = suspect(b)
                && match b {
                    0xc2 => bytes.get(at + 1).is_some_and(|b| (0x80..=0x9f).contains(b)),
                    0xe2 => match (bytes.get(at + 1), bytes.get(at + 2)) {
                        (Some(0x80), Some(b)) => (0xaa..=0xae).contains(b),
                        (Some(0x81), Some(b)) => (0xa6..=0xa9).contains(b),
                        _ => false,
                    },
                    _ => true,
                };
            if unsafe_here {
                return Some(at);
            }
        }
    }
    None
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
    #[test]
    fn byte_scan_agrees_with_the_char_test() {
        let samples = [
            "plain ascii",
            "tab\tand\nnewline",
            "esc \u{1b}[2J",
            "del \u{7f}",
            "c1 \u{9b}x",
            "nbsp \u{a0} ok",
            "box ─│┌ and — dash",
            "bidi \u{202e}evil",
            "isolate \u{2067}x",
            "lrm \u{200e} stays",
            "é ü 日本",
            "\r\n windows",
        ];
        for s in samples {
            let by_char = s
                .char_indices()
                .find(|&(_, c)| super::is_unsafe_char(c))
                .map(|(i, _)| i);
            assert_eq!(super::first_unsafe(s), by_char, "{s:?}");
        }
    }

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
