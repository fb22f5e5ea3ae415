//! A problem found while loading exercises, located like a compiler error.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseProblem {
    /// Relative to the exercises folder, e.g. `round-robin/exercise.toml`.
    pub path: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    pub message: String,
}

impl ExerciseProblem {
    pub fn at_start(path: &str, message: impl Into<String>) -> Self {
        ExerciseProblem {
            path: path.to_string(),
            line: 1,
            col: 1,
            message: message.into(),
        }
    }

    /// Locates byte offset `offset` of `text`.
    pub fn at_offset(path: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, col) = line_col(text, offset);
        ExerciseProblem {
            path: path.to_string(),
            line,
            col,
            message: message.into(),
        }
    }
}

impl fmt::Display for ExerciseProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exercises/{}:{}:{}: error: {}",
            self.path, self.line, self.col, self.message
        )
    }
}

/// 1-based line and column (in characters) of a byte offset, clamped to the text.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_positions() {
        let text = "ab\ncdé\nx";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4));
        assert_eq!(line_col(text, 6), (2, 3), "inside a multi-byte char");
        assert_eq!(line_col(text, 1000), (3, 2), "clamped to the end");
    }
}
