//! The console's multi-line text editor: lines of text and a cursor, changed by keys and
//! pastes. Columns count characters, not bytes, so the cursor never splits one.

/// Spaces a Tab inserts: SQL is indented with spaces, and a literal tab would draw as one
/// cell in the terminal.
const TAB: &str = "  ";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryEditor {
    /// Never empty: an empty editor has one empty line.
    lines: Vec<String>,
    /// The cursor's line.
    row: usize,
    /// The cursor's column, in characters; at most the line's length.
    col: usize,
}

impl Default for QueryEditor {
    fn default() -> Self {
        QueryEditor {
            lines: vec![String::new()],
            row: 0,
            col: 0,
        }
    }
}

impl QueryEditor {
    /// An editor holding `text`, the cursor at its end.
    pub fn with_text(text: &str) -> QueryEditor {
        let mut editor = QueryEditor::default();
        editor.insert_str(text);
        editor
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// `(line, column)`, both 0-based, the column in characters.
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    pub fn is_blank(&self) -> bool {
        self.lines.iter().all(|l| l.trim().is_empty())
    }

    pub fn on_first_line(&self) -> bool {
        self.row == 0
    }

    pub fn on_last_line(&self) -> bool {
        self.row + 1 == self.lines.len()
    }

    pub fn insert_char(&mut self, c: char) {
        match c {
            '\n' => self.newline(),
            '\t' => self.insert_str(TAB),
            // Other control characters would drive the terminal when drawn.
            c if c.is_control() => {}
            c => {
                let at = self.byte_at(self.col);
                self.lines[self.row].insert(at, c);
                self.col += 1;
            }
        }
    }

    /// Inserts text as typed: a paste keeps its lines (`\r\n` and `\r` count as newlines).
    pub fn insert_str(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        for c in text.chars() {
            match c {
                '\n' => self.split_line(),
                '\t' => {
                    for t in TAB.chars() {
                        self.insert_char(t);
                    }
                }
                c => self.insert_char(c),
            }
        }
    }

    /// Enter: a new line, indented as the one it leaves.
    pub fn newline(&mut self) {
        let indent: String = self.lines[self.row]
            .chars()
            .take(self.col)
            .take_while(|c| *c == ' ')
            .collect();
        self.split_line();
        self.lines[self.row].insert_str(0, &indent);
        self.col = indent.chars().count();
    }

    fn split_line(&mut self) {
        let at = self.byte_at(self.col);
        let rest = self.lines[self.row].split_off(at);
        self.lines.insert(self.row + 1, rest);
        self.row += 1;
        self.col = 0;
    }

    /// Deletes the character before the cursor, joining lines at a line's start.
    pub fn backspace(&mut self) {
        if self.col > 0 {
            let at = self.byte_at(self.col - 1);
            self.lines[self.row].remove(at);
            self.col -= 1;
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.len(self.row);
            self.lines[self.row].push_str(&line);
        }
    }

    /// Deletes the character under the cursor, joining the next line at a line's end.
    pub fn delete(&mut self) {
        if self.col < self.len(self.row) {
            let at = self.byte_at(self.col);
            self.lines[self.row].remove(at);
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.lines[self.row].push_str(&next);
        }
    }

    pub fn left(&mut self) {
        if self.col > 0 {
            self.col -= 1;
        } else if self.row > 0 {
            self.row -= 1;
            self.col = self.len(self.row);
        }
    }

    pub fn right(&mut self) {
        if self.col < self.len(self.row) {
            self.col += 1;
        } else if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = 0;
        }
    }

    pub fn up(&mut self) {
        if self.row > 0 {
            self.row -= 1;
            self.col = self.col.min(self.len(self.row));
        }
    }

    pub fn down(&mut self) {
        if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = self.col.min(self.len(self.row));
        }
    }

    pub fn home(&mut self) {
        self.col = 0;
    }

    pub fn end(&mut self) {
        self.col = self.len(self.row);
    }

    /// Ctrl-Home / Ctrl-End: the start or the end of the whole text.
    pub fn to_start(&mut self) {
        (self.row, self.col) = (0, 0);
    }

    pub fn to_end(&mut self) {
        self.row = self.lines.len() - 1;
        self.col = self.len(self.row);
    }

    /// Ctrl-U: deletes from the line's start to the cursor.
    pub fn delete_to_line_start(&mut self) {
        let at = self.byte_at(self.col);
        self.lines[self.row].replace_range(..at, "");
        self.col = 0;
    }

    fn len(&self, row: usize) -> usize {
        self.lines[row].chars().count()
    }

    fn byte_at(&self, col: usize) -> usize {
        let line = &self.lines[self.row];
        line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_newlines_and_backspace_across_a_line_break() {
        let mut e = QueryEditor::default();
        for c in "SELECT 1\nFROM t".chars() {
            e.insert_char(c);
        }
        assert_eq!(e.text(), "SELECT 1\nFROM t");
        assert_eq!(e.cursor(), (1, 6));
        e.home();
        e.backspace();
        assert_eq!(e.text(), "SELECT 1FROM t");
        assert_eq!(e.cursor(), (0, 8));
        e.delete();
        assert_eq!(e.text(), "SELECT 1ROM t");
    }

    #[test]
    fn multibyte_characters_move_as_one_column() {
        let mut e = QueryEditor::with_text("'café'");
        e.left();
        e.backspace();
        assert_eq!(e.text(), "'caf'");
        e.insert_char('é');
        assert_eq!(e.text(), "'café'");
    }

    #[test]
    fn enter_keeps_the_indent_and_pastes_keep_their_lines() {
        let mut e = QueryEditor::with_text("  SELECT");
        e.newline();
        assert_eq!(e.cursor(), (1, 2));
        e.insert_str("a,\r\nb\tc");
        assert_eq!(e.text(), "  SELECT\n  a,\nb  c");
    }

    #[test]
    fn control_characters_are_not_inserted() {
        let mut e = QueryEditor::default();
        e.insert_str("a\u{1b}[31mb\u{7}");
        assert_eq!(e.text(), "a[31mb");
    }
}
