//! Markdown to ratatui lines, the renderer every lesson goes through.
//!
//! `render` is pure and deterministic: the same text, width and theme always give the same
//! lines, so callers lay a lesson out once per width and cache it. The pipeline is
//! parse (events to a small tree, text sanitized and styled) then layout (tree to lines
//! at a width) then a final clip that guarantees no line is wider than the width.

mod code;
mod export;
mod highlight;
mod layout;
mod lint;
mod palette;
mod parse;
mod sanitize;
mod table;
mod tree;
mod wrap;

use ratatui::text::Line;

use crate::theme::Theme;

pub use export::{to_ansi, to_plain};
pub use highlight::{clear_highlight_cache, is_known_language, preload};
pub use lint::{Problem, lint};
pub use sanitize::sanitize;

/// Narrower than this and not even a list marker plus a word fits; `render` lays out at
/// least this wide.
pub const MIN_WIDTH: u16 = 10;

/// A heading and the index of its first line in `Rendered::lines`, for the table of
/// contents and for jumping between sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub line: usize,
    pub level: u8,
    /// The heading's text without styling, sanitized.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rendered {
    pub lines: Vec<Line<'static>>,
    pub headings: Vec<Heading>,
}

/// Lay out `markdown` for a terminal `width` columns wide (clamped to at least
/// [`MIN_WIDTH`]). No line of the result is wider than that, and no span holds a control
/// character. Without colour (`theme.color == false`) only modifiers are used and syntax
/// highlighting is off; code, strike-through and heading levels get textual marks instead.
pub fn render(markdown: &str, width: u16, theme: &Theme) -> Rendered {
    let width = usize::from(width.max(MIN_WIDTH));
    let blocks = parse::parse(markdown, theme);
    if theme.color {
        let code: Vec<(&str, Vec<String>)> = tree::code_blocks(&blocks)
            .into_iter()
            .map(|(language, text)| (language, code::source_lines(text)))
            .collect();
        highlight::highlight_all(&code);
    }
    let out = layout::Layout { theme }.blocks(&blocks, width, 0);
    let mut lines = out.lines;
    for line in &mut lines {
        wrap::clip(line, width);
    }
    Rendered {
        lines,
        headings: out.headings,
    }
}
