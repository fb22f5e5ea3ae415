//! Where the console's parts go, for a terminal size: shared by `update` (a page of results)
//! and `view`.

use ratatui::layout::Rect;

use super::SqlConsole;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsoleLayout {
    pub header: Rect,
    /// The editor with its border.
    pub editor: Rect,
    /// One line: what the last run did.
    pub status: Rect,
    pub results: Rect,
    /// The dataset's tables and columns, beside everything else at wide sizes.
    pub tables: Option<Rect>,
    pub footer: Rect,
}

/// From this width on, the tables get a pane of their own on the right.
const TABLES_FROM_WIDTH: u16 = 120;

/// The fewest text lines the editor shows, however short the query.
const MIN_EDITOR_LINES: u16 = 3;

impl ConsoleLayout {
    pub fn compute(area: Rect, console: &SqlConsole) -> ConsoleLayout {
        let line = |y: u16| Rect {
            y,
            height: 1.min(area.height),
            ..area
        };
        let header = line(area.y);
        let footer = line(area.bottom().saturating_sub(1));
        let body = area.height.saturating_sub(2);
        let mut main = area;
        let tables = (area.width >= TABLES_FROM_WIDTH).then(|| {
            let width = (area.width * 3 / 10).clamp(36, 56);
            // One blank column between the editor's border and the pane's.
            main.width -= width + 1;
            Rect {
                x: main.right() + 1,
                y: area.y + 1,
                width,
                height: body,
            }
        });
        let area = main;
        // The editor grows with the query, up to two fifths of the body: the results need
        // the room more than a long query's every line.
        let most = (body * 2 / 5).max(MIN_EDITOR_LINES);
        let wanted = (console.editor.lines().len() as u16 + 1).clamp(MIN_EDITOR_LINES, most);
        let editor = Rect {
            y: area.y + 1,
            height: (wanted + 2).min(body),
            ..area
        };
        let status = Rect {
            y: editor.bottom(),
            height: 1.min(body.saturating_sub(editor.height)),
            ..area
        };
        let results = Rect {
            y: status.bottom(),
            height: footer.y.saturating_sub(status.bottom()),
            ..area
        };
        ConsoleLayout {
            header,
            editor,
            status,
            results,
            tables,
            footer,
        }
    }

    /// Text lines the editor shows, inside its border.
    pub fn editor_lines(&self) -> usize {
        self.editor.height.saturating_sub(2) as usize
    }
}
