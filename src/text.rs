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

/// A duration given in milliseconds as people say it: `850 ms` below a second, else seconds
/// with one decimal where it matters (`15 s`, `12.7 s`).
pub fn duration_ms(ms: f64) -> String {
    if ms < 1000.0 {
        return format!("{ms:.0} ms");
    }
    let tenths = (ms / 100.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0} s")
    } else {
        format!("{tenths:.1} s")
    }
}

#[cfg(test)]
mod duration_tests {
    use super::duration_ms;

    #[test]
    fn durations_read_in_the_unit_people_use() {
        assert_eq!(duration_ms(850.4), "850 ms");
        assert_eq!(duration_ms(15000.0), "15 s");
        assert_eq!(duration_ms(12719.0), "12.7 s");
        assert_eq!(duration_ms(59535.0), "59.5 s");
        assert_eq!(duration_ms(999.6), "1000 ms");
    }
}
