//! Block layout: the document tree to lines of a given width. Containers (quotes, list
//! items) lay their children out narrower and then prefix every line, so nesting composes
//! without any block knowing how deep it sits.

use pulldown_cmark::BlockQuoteKind;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Heading;
use super::tree::{Block, Item, Piece};
use super::{code, table, wrap};
use crate::theme::Theme;

/// Content narrower than this is unreadable; deeper nesting stops indenting instead.
const MIN_CONTENT: usize = 8;
const QUOTE_GUTTER: &str = "│ ";
const BULLETS: [&str; 3] = ["•", "◦", "▪"];

#[derive(Default)]
pub struct Out {
    pub lines: Vec<Line<'static>>,
    pub headings: Vec<Heading>,
    /// Where the in-page links landed.
    pub links: wrap::LinkMarks,
}

impl Out {
    fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    fn append(&mut self, other: Out) {
        let offset = self.lines.len();
        self.headings
            .extend(other.headings.into_iter().map(|h| Heading {
                line: h.line + offset,
                ..h
            }));
        self.links.extend(other.links.shifted(offset, 0));
        self.lines.extend(other.lines);
    }

    /// Prefix the first line with `first` and every other line with `rest`; blank lines
    /// get the prefix without its trailing spaces.
    fn prefix(&mut self, first: Span<'static>, rest: Span<'static>) {
        let first_chars = first.content.chars().count();
        let rest_chars = rest.content.chars().count();
        for span in &mut self.links.spans {
            // Links sit on lines with text, which get the whole prefix.
            let shift = if span.line == 0 {
                first_chars
            } else {
                rest_chars
            };
            span.chars = span.chars.start + shift..span.chars.end + shift;
        }
        for (index, line) in self.lines.iter_mut().enumerate() {
            let mark = if index == 0 { &first } else { &rest };
            let mark = if line.spans.iter().all(|s| s.content.is_empty()) {
                let trimmed = mark.content.trim_end().to_string();
                Span::styled(trimmed, mark.style)
            } else {
                mark.clone()
            };
            // Nested quotes stack gutters of one style: one span per line, not one per
            // level, keeps deep nesting from multiplying spans (and escape codes on export).
            match line.spans.first_mut() {
                Some(span) if span.style == mark.style => {
                    span.content.to_mut().insert_str(0, &mark.content);
                }
                _ => line.spans.insert(0, mark),
            }
        }
    }
}

pub struct Layout<'t> {
    pub theme: &'t Theme,
    pub highlighting: super::Highlighting,
    /// Set when a code block was shown plain because its highlighting was not cached.
    pub pending: std::cell::Cell<bool>,
}

impl Layout<'_> {
    pub fn blocks(&self, blocks: &[Block], width: usize, depth: usize) -> Out {
        let mut out = Out::default();
        let mut previous: Option<&Block> = None;
        for block in blocks {
            // A tight list item's text runs straight into a nested list; all else is spaced.
            if previous.is_some_and(|p| !matches!(p, Block::Plain(_))) {
                out.blank();
            }
            let laid = self.block(block, width, depth);
            out.append(laid);
            previous = Some(block);
        }
        out
    }

    fn block(&self, block: &Block, width: usize, depth: usize) -> Out {
        match block {
            Block::Paragraph(pieces) | Block::Plain(pieces) => {
                let (lines, links) = wrap::wrap_marked(pieces, width);
                Out {
                    lines,
                    headings: Vec::new(),
                    links,
                }
            }
            Block::Heading {
                level,
                content,
                text,
            } => self.heading(*level, content, text, width),
            Block::Quote { kind, blocks } => self.quote(*kind, blocks, width, depth),
            Block::List {
                start,
                loose,
                items,
            } => self.list(*start, *loose, items, width, depth),
            Block::Code { language, text } => Out {
                lines: {
                    let (lines, pending) =
                        code::layout(language, text, width, self.theme, self.highlighting);
                    if pending {
                        self.pending.set(true);
                    }
                    lines
                },
                headings: Vec::new(),
                links: wrap::LinkMarks::default(),
            },
            Block::Table(t) => {
                let (lines, links) = table::layout(t, width, self.theme);
                Out {
                    lines,
                    headings: Vec::new(),
                    links,
                }
            }
            Block::Rule => Out {
                lines: vec![Line::from(Span::styled(
                    "─".repeat(width),
                    self.theme.dim(),
                ))],
                headings: Vec::new(),
                links: wrap::LinkMarks::default(),
            },
            Block::Html(html) => Out {
                lines: self.html(html, width),
                headings: Vec::new(),
                links: wrap::LinkMarks::default(),
            },
        }
    }

    fn heading(&self, level: u8, content: &[Piece], text: &str, width: usize) -> Out {
        let style = self.theme.heading(level);
        let mut lines;
        if self.theme.color {
            lines = wrap::wrap(content, width);
        } else {
            // Without colour, heading levels are told apart by their shape: underlines for
            // the top two, the Markdown hashes for the rest.
            let mut pieces = Vec::with_capacity(content.len() + 1);
            if level >= 3 {
                pieces.push(Piece::Text(format!("{} ", "#".repeat(level.into())), style));
            }
            pieces.extend_from_slice(content);
            lines = wrap::wrap(&pieces, width);
            let underline = match level {
                1 => Some("═"),
                2 => Some("─"),
                _ => None,
            };
            if let Some(mark) = underline {
                let widest = lines.iter().map(Line::width).max().unwrap_or(0).max(1);
                lines.push(Line::from(Span::styled(mark.repeat(widest), style)));
            }
        }
        Out {
            lines,
            headings: vec![Heading {
                line: 0,
                level,
                text: text.to_string(),
            }],
            links: wrap::LinkMarks::default(),
        }
    }

    fn quote(
        &self,
        kind: Option<BlockQuoteKind>,
        blocks: &[Block],
        width: usize,
        depth: usize,
    ) -> Out {
        let gutter_width = wrap::text_width(QUOTE_GUTTER);
        let indent = width >= gutter_width + MIN_CONTENT;
        let inner = if indent { width - gutter_width } else { width };
        let mut out = Out::default();
        if let Some(kind) = kind {
            let (label, style) = self.alert(kind);
            out.lines.push(Line::from(Span::styled(label, style)));
        }
        out.append(self.blocks(blocks, inner, depth));
        if out.lines.is_empty() {
            out.blank();
        }
        if indent {
            let gutter = Span::styled(QUOTE_GUTTER, self.theme.dim());
            out.prefix(gutter.clone(), gutter);
        }
        out
    }

    fn alert(&self, kind: BlockQuoteKind) -> (&'static str, Style) {
        match kind {
            BlockQuoteKind::Note => ("Note", self.theme.title()),
            BlockQuoteKind::Tip => ("Tip", self.theme.good()),
            BlockQuoteKind::Important => ("Important", self.theme.accent()),
            BlockQuoteKind::Warning => ("Warning", self.theme.warn()),
            BlockQuoteKind::Caution => ("Caution", self.theme.bad()),
        }
    }

    fn list(
        &self,
        start: Option<u64>,
        loose: bool,
        items: &[Item],
        width: usize,
        depth: usize,
    ) -> Out {
        let markers = self.markers(start, items, depth);
        let mut out = Out::default();
        for (index, (item, (marker, style))) in items.iter().zip(markers).enumerate() {
            if index > 0 && loose {
                out.blank();
            }
            let marker_width = wrap::text_width(&marker);
            let indent = width >= marker_width + MIN_CONTENT;
            let inner = if indent { width - marker_width } else { width };
            let mut laid = self.blocks(&item.blocks, inner, depth + 1);
            if laid.lines.is_empty() {
                laid.blank();
            }
            if indent {
                let hang = Span::raw(" ".repeat(marker_width));
                laid.prefix(Span::styled(marker, style), hang);
            } else {
                out.lines.push(Line::from(Span::styled(marker, style)));
            }
            out.append(laid);
        }
        out
    }

    /// Each item's marker, padded to one width per list so the text lines up: bullets
    /// change with depth, numbers are right-aligned, tasks show their box.
    fn markers(&self, start: Option<u64>, items: &[Item], depth: usize) -> Vec<(String, Style)> {
        let last = start.map(|s| s.saturating_add(items.len().saturating_sub(1) as u64));
        let number_width = last.map_or(0, |n| n.to_string().len());
        items
            .iter()
            .enumerate()
            .map(|(index, item)| match (item.task, start) {
                (Some(true), _) => ("[x] ".to_string(), self.theme.good()),
                (Some(false), _) => ("[ ] ".to_string(), self.theme.dim()),
                (None, Some(first)) => {
                    let n = first.saturating_add(index as u64);
                    (format!("{n:>number_width$}. "), self.theme.accent())
                }
                (None, None) => {
                    let bullet = BULLETS[depth % BULLETS.len()];
                    (format!("{bullet} "), self.theme.accent())
                }
            })
            .collect()
    }

    fn html(&self, html: &str, width: usize) -> Vec<Line<'static>> {
        let style = self.theme.dim();
        html.trim_end_matches('\n')
            .split('\n')
            .flat_map(|line| wrap::wrap(&[Piece::Text(line.to_string(), style)], width))
            .collect()
    }
}
