//! The document model between pulldown-cmark's event stream and layout.
//!
//! Layout needs to know a block's children before it can draw them (a list item's width
//! depends on its marker, a table's columns on every cell), so the flat event stream is
//! folded into a small tree first. Inline text arrives here already styled and sanitized.

use pulldown_cmark::{Alignment, BlockQuoteKind};
use ratatui::style::Style;

/// A run of inline content: styled text, or a hard line break.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String, Style),
    Break,
    /// Where in-page link number N (an index into the parse's links) starts; no width.
    Link(usize),
    /// Where in-page link number N ends; no width.
    LinkEnd(usize),
}

/// A link to a heading of the same document (`[Caching](#caching)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    /// The slug after `#`, as written.
    pub target: String,
    /// The link's words, sanitized.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph separated from its neighbours by blank lines.
    Paragraph(Vec<Piece>),
    /// The text of a tight list item: no blank line before what follows it.
    Plain(Vec<Piece>),
    Heading {
        level: u8,
        content: Vec<Piece>,
        /// The heading's words without styling, for the table of contents.
        text: String,
    },
    Quote {
        kind: Option<BlockQuoteKind>,
        blocks: Vec<Block>,
    },
    List {
        start: Option<u64>,
        /// Loose lists (items separated by blank lines in the source) keep the blank lines.
        loose: bool,
        items: Vec<Item>,
    },
    Code {
        language: String,
        text: String,
    },
    Table(Table),
    Rule,
    /// Raw HTML, shown as inert text.
    Html(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Item {
    /// `Some(done)` for a task-list item.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

pub type Cell = Vec<Piece>;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub alignments: Vec<Alignment>,
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn columns(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .chain([self.header.len(), self.alignments.len()])
            .max()
            .unwrap_or(0)
    }
}

/// The plain words of `pieces`, breaks as spaces.
pub fn plain_text(pieces: &[Piece]) -> String {
    let mut text = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(s, _) => text.push_str(s),
            Piece::Break => text.push(' '),
            Piece::Link(_) | Piece::LinkEnd(_) => {}
        }
    }
    text
}

/// Every code block in `blocks`, nested ones included, as (language, text).
pub fn code_blocks(blocks: &[Block]) -> Vec<(&str, &str)> {
    fn walk<'a>(blocks: &'a [Block], found: &mut Vec<(&'a str, &'a str)>) {
        for block in blocks {
            match block {
                Block::Code { language, text } => found.push((language, text)),
                Block::Quote { blocks, .. } => walk(blocks, found),
                Block::List { items, .. } => {
                    for item in items {
                        walk(&item.blocks, found);
                    }
                }
                _ => {}
            }
        }
    }
    let mut found = Vec::new();
    walk(blocks, &mut found);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_are_found_inside_containers() {
        let code = |language: &str| Block::Code {
            language: language.to_string(),
            text: "x".to_string(),
        };
        let blocks = vec![
            code("a"),
            Block::Quote {
                kind: None,
                blocks: vec![code("b")],
            },
            Block::List {
                start: None,
                loose: false,
                items: vec![Item {
                    task: None,
                    blocks: vec![Block::Rule, code("c")],
                }],
            },
        ];
        let languages: Vec<&str> = code_blocks(&blocks).iter().map(|b| b.0).collect();
        assert_eq!(languages, ["a", "b", "c"]);
    }
}
