//! Properties of the quiz number parser: a number is read the way its writer meant it, or
//! refused with a reason; a comma is never silently taken the wrong way.

use proptest::prelude::*;
use sysdesign::tui::quiz::{NumberError, parse_number};

/// `n` with a comma between every group of three digits.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Plain numbers, as Rust prints them, read back exactly.
    #[test]
    fn plain_numbers_round_trip(v in -1e12f64..1e12) {
        prop_assert_eq!(parse_number(&v.to_string()), Ok(v));
        prop_assert_eq!(parse_number(&format!("{v:e}")), Ok(v));
    }

    /// Thousands separators with two or more commas, or with a decimal point after them, are
    /// unambiguous and read as thousands.
    #[test]
    fn full_grouping_is_thousands(n in 1_000_000u64..10_000_000_000_000, frac in 0u32..1000) {
        prop_assert_eq!(parse_number(&grouped(n)), Ok(n as f64));
        let small = n % 1_000_000;
        prop_assume!(small >= 1000);
        let with_fraction = format!("{}.{frac}", grouped(small));
        prop_assert_eq!(parse_number(&with_fraction), Ok(format!("{small}.{frac}").parse().unwrap()));
    }

    /// One comma before exactly three digits (`8,000`, `-2,500`) is refused, saying how to
    /// write either reading.
    #[test]
    fn a_lone_comma_before_three_digits_is_refused(whole in 1u32..1000, after in 0u32..1000, neg in any::<bool>()) {
        let text = format!("{}{whole},{after:03}", if neg { "-" } else { "" });
        let err = parse_number(&text).unwrap_err();
        let is_ambiguous = matches!(err, NumberError::Ambiguous { .. });
        prop_assert!(is_ambiguous, "{}", text);
        let message = err.to_string();
        let thousands = format!("{whole}{after:03}");
        let decimal = format!("{whole}.{after:03}");
        prop_assert!(message.contains(&thousands), "{}", message);
        prop_assert!(message.contains(&decimal), "{}", message);
    }

    /// A decimal comma: one comma, no point, and a fraction that is not exactly three digits
    /// (or a whole part of 0, which no thousands grouping starts with).
    #[test]
    fn a_decimal_comma_reads_as_a_decimal(whole in 0u32..100_000, frac in "[0-9]{1,6}") {
        prop_assume!(frac.len() != 3 || whole == 0 || whole >= 1000);
        let text = format!("{whole},{frac}");
        let want: f64 = format!("{whole}.{frac}").parse().unwrap();
        prop_assert_eq!(parse_number(&text), Ok(want));
    }

    /// A comma is never silently dropped: whatever parses with a comma in it is either fully
    /// grouped thousands or a decimal comma, so its value matches one of the two readings
    /// and the two readings never both fit.
    #[test]
    fn whatever_parses_is_finite_and_unambiguous(text in "-?[0-9,.eE]{1,12}") {
        if let Ok(v) = parse_number(&text) {
            prop_assert!(v.is_finite());
            if text.matches(',').count() == 1 && !text.contains('.') && !text.contains(['e', 'E']) {
                let (whole, after) = text.trim_start_matches('-').split_once(',').unwrap();
                prop_assert!(
                    !(after.len() == 3 && (1..=3).contains(&whole.len()) && !whole.starts_with('0')),
                    "{} could be thousands or a decimal", text
                );
            }
        }
    }

    /// Any text at all: no panic, and a refusal always says something.
    #[test]
    fn never_panics(text in any::<String>()) {
        if let Err(e) = parse_number(&text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }
}
