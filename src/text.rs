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

/// A measured share (an error rate, availability, stale reads) as a percentage, the same
/// everywhere it is shown: always three decimals, so values side by side line up and a 0.1%
/// target or a 99.99% availability is told apart from its neighbours (`78.609%`, `0.004%`).
pub fn percent(share: f64) -> String {
    format!("{:.3}%", share * 100.0)
}

/// A target share as its author wrote it, without trailing zeros (`0.1%`, `99.95%`).
pub fn percent_target(share: f64) -> String {
    let s = format!("{:.3}", share * 100.0);
    format!("{}%", s.trim_end_matches('0').trim_end_matches('.'))
}

#[cfg(test)]
mod percent_tests {
    use super::{percent, percent_target};

    #[test]
    fn measured_shares_have_three_decimals_targets_none_extra() {
        assert_eq!(percent(0.786_09), "78.609%");
        assert_eq!(percent(0.334_8), "33.480%");
        assert_eq!(percent(0.0), "0.000%");
        assert_eq!(percent(1.0), "100.000%");
        assert_eq!(percent_target(0.001), "0.1%");
        assert_eq!(percent_target(0.9995), "99.95%");
        assert_eq!(percent_target(1.0), "100%");
    }
}

/// `n` and the noun that goes with it: `1 exercise`, `2 exercises`, `0 quizzes`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod count_tests {
    #[test]
    fn one_is_singular_every_other_count_plural() {
        assert_eq!(super::count(1, "exercise", "exercises"), "1 exercise");
        assert_eq!(super::count(0, "quiz", "quizzes"), "0 quizzes");
        assert_eq!(super::count(2, "challenge", "challenges"), "2 challenges");
    }
}
