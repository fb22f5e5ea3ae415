//! Field encoding of the serve protocol. One file for both ends: the app compiles it as
//! `grade::live::wire`, and the grader writes it beside `checks.rs` into every grading binary.

use std::fmt::Write;

/// Percent-encodes everything but unreserved characters, so a field never holds a space.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

pub fn decode(field: &str) -> Option<String> {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = field.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn encoding_round_trips_and_has_no_separators(text in any::<String>()) {
            let encoded = encode(&text);
            prop_assert!(!encoded.contains([' ', '\n', ';', ',']));
            prop_assert_eq!(decode(&encoded), Some(text));
        }
    }

    #[test]
    fn malformed_fields_are_rejected() {
        assert_eq!(decode("%4"), None);
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode("%FF"), None, "not UTF-8");
    }
}
