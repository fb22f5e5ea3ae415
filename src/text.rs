//! Display-width helpers for one-line labels (titles, list rows, table cells in the CLI).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `s` cut to at most `width` display columns, ending in `…` when it was cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `left`, spaces, then `right`, in exactly `width` columns; `left` is cut to make room.
pub fn pad_between(left: &str, right: &str, width: usize) -> String {
    let room = width.saturating_sub(right.width());
    let left = fit(left, room);
    format!(
        "{left}{}{right}",
        " ".repeat(room.saturating_sub(left.width()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_by_display_width() {
        assert_eq!(fit("hello", 10), "hello");
        assert_eq!(fit("hello world", 6), "hello…");
        assert_eq!(fit("日本語テキスト", 5), "日本…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(pad_between("ab", "9%", 6), "ab  9%");
        assert_eq!(pad_between("abcdef", "9%", 6), "abc…9%");
    }
}
