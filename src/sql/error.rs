//! An error from SQLite, located in the script the user wrote.

use std::fmt;

/// What went wrong, and where: `line` and `col` are 1-based, in the whole script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlError {
    pub message: String,
    pub line: usize,
    pub col: usize,
    /// True when a constraint (NOT NULL, UNIQUE, CHECK, a foreign key, a trigger's RAISE)
    /// rejected the statement, as opposed to a mistake in it.
    pub constraint: bool,
}

impl SqlError {
    /// An error at byte `offset` of `text`.
    pub fn at(text: &str, offset: usize, message: impl Into<String>) -> SqlError {
        let (line, col) = line_col(text, offset);
        SqlError {
            message: message.into(),
            line,
            col,
            constraint: false,
        }
    }
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_lines_and_character_columns() {
        assert_eq!(line_col("abc", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\nx", 3), (2, 1));
        assert_eq!(line_col("éa", 2), (1, 2));
        assert_eq!(line_col("a", 99), (1, 2));
    }
}
