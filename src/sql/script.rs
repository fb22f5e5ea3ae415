//! Splitting a script into statements, the way the sqlite3 shell does: a statement ends at a
//! semicolon after which SQLite's own `sqlite3_complete` says the text is complete, so
//! semicolons inside strings, comments and trigger bodies do not split it.

use std::ffi::CString;

/// One statement of a script and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece<'a> {
    /// Byte offset of the statement's first character in the script.
    pub offset: usize,
    pub text: &'a str,
}

/// The statements of `script`, in order; whitespace and comments between them are dropped.
/// A last statement without its semicolon is kept.
pub fn split_statements(script: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, byte) in script.bytes().enumerate() {
        if byte == b';' && is_complete(&script[start..=i]) {
            push(script, start, i + 1, &mut pieces);
            start = i + 1;
        }
    }
    push(script, start, script.len(), &mut pieces);
    pieces
}

fn push<'a>(script: &'a str, start: usize, end: usize, pieces: &mut Vec<Piece<'a>>) {
    let text = &script[start..end];
    let skipped = leading_noise(text);
    let body = &text[skipped..];
    if body.trim_end_matches(';').trim().is_empty() || is_only_comments(body) {
        return;
    }
    pieces.push(Piece {
        offset: start + skipped,
        text: body,
    });
}

/// Bytes of whitespace and comments at the start of `text`.
fn leading_noise(text: &str) -> usize {
    let mut i = 0;
    let bytes = text.as_bytes();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if text[i..].starts_with("--") {
            i = text[i..].find('\n').map_or(text.len(), |n| i + n + 1);
        } else if text[i..].starts_with("/*") {
            i = text[i + 2..]
                .find("*/")
                .map_or(text.len(), |n| i + 2 + n + 2);
        } else {
            return i;
        }
    }
}

fn is_only_comments(text: &str) -> bool {
    leading_noise(text) == text.len()
}

fn is_complete(text: &str) -> bool {
    match CString::new(text) {
        // SAFETY: `sqlite3_complete` reads a NUL-terminated string and keeps no pointer to it.
        Ok(c) => unsafe { rusqlite::ffi::sqlite3_complete(c.as_ptr()) != 0 },
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(script: &str) -> Vec<&str> {
        split_statements(script).iter().map(|p| p.text).collect()
    }

    #[test]
    fn splits_at_semicolons_outside_strings_comments_and_triggers() {
        let script = "SELECT 'a;b';\n-- note; here\nSELECT 2; /* c; */ CREATE TRIGGER t AFTER \
                      INSERT ON x BEGIN SELECT 1; SELECT 2; END;\nSELECT 3";
        assert_eq!(
            texts(script),
            vec![
                "SELECT 'a;b';",
                "SELECT 2;",
                "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; SELECT 2; END;",
                "SELECT 3"
            ]
        );
    }

    #[test]
    fn offsets_point_at_the_statement_not_the_comment_before_it() {
        let script = "-- first\n  SELECT 1;";
        let pieces = split_statements(script);
        assert_eq!(pieces.len(), 1);
        assert_eq!(&script[pieces[0].offset..], "SELECT 1;");
    }

    #[test]
    fn empty_and_comment_only_scripts_have_no_statements() {
        assert!(texts("").is_empty());
        assert!(texts("  ;; -- nothing\n/* at all */").is_empty());
    }
}
