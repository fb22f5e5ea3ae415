//! Folding pulldown-cmark's event stream into the document tree, styling inline text as it
//! goes. Every string taken from the source is sanitized here, so nothing later has to.

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};

use super::html;
use super::sanitize::sanitize;
use super::tree::{Block, Cell, Item, PageLink, Piece, Table, plain_text};
use crate::theme::Theme;

/// The CommonMark extensions lessons may use; `lint` parses with the same set.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// Block quotes and lists nested deeper than this are flattened into the deepest one
/// allowed. Layout recurses once per level and indents every line once per level, so an
/// unbounded depth would overflow the stack (a hostile lesson nests thousands deep) and
/// multiply the output; no real text needs more. `lint` warns where the cap applies.
pub const MAX_NESTING: usize = 16;

/// Table columns kept; cells beyond join the last one. The parser pads every row to the
/// header's width, so a 1,000-column header over 1,000 one-word rows would otherwise be
/// a million cells from six kilobytes.
pub const MAX_COLUMNS: usize = 32;

pub fn parse(markdown: &str, theme: &Theme) -> Vec<Block> {
    parse_with_links(markdown, theme).0
}

/// `parse`, also returning the in-page links, numbered as their `Piece::Link` marks.
pub fn parse_with_links(markdown: &str, theme: &Theme) -> (Vec<Block>, Vec<PageLink>) {
    let mut builder = Builder::new(theme);
    for event in Parser::new_ext(markdown, options()) {
        builder.event(event);
    }
    let links = std::mem::take(&mut builder.page_links);
    (builder.finish(), links)
}

/// The language of a fenced block: the info string's first word (`rust,ignore` → `rust`).
pub fn fence_language(info: &str) -> &str {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or("")
}

enum Frame {
    Root(Vec<Block>),
    Quote(Option<BlockQuoteKind>, Vec<Block>),
    List {
        start: Option<u64>,
        loose: bool,
        items: Vec<Item>,
    },
    Item(Item),
    Table {
        table: Table,
        row: Vec<Cell>,
    },
}

#[derive(Clone, Copy, PartialEq)]
enum InlineKind {
    Paragraph,
    Plain,
    Heading(u8),
    Cell,
}

struct Inline {
    kind: InlineKind,
    base: Style,
    pieces: Vec<Piece>,
}

struct LinkStart {
    target: String,
    first_piece: usize,
    /// Its number among the in-page links, when it is one.
    page_link: Option<usize>,
}

struct Builder<'t> {
    theme: &'t Theme,
    stack: Vec<Frame>,
    inline: Option<Inline>,
    /// Modifiers and styles of the open inline tags (emphasis, links...), outermost first.
    styles: Vec<Style>,
    links: Vec<LinkStart>,
    /// Alt text of the open image; images nest inside links, never the other way round.
    image_alt: Option<String>,
    image_depth: usize,
    code: Option<(String, String)>,
    html: Option<String>,
    /// Links to `#anchor`s of the same document, in order.
    page_links: Vec<PageLink>,
    /// Quotes and lists open on the stack.
    depth: usize,
    /// Containers opened beyond `MAX_NESTING` and not yet closed: they got no frame, so
    /// their ends must not close one.
    flattened: usize,
}

impl<'t> Builder<'t> {
    fn new(theme: &'t Theme) -> Self {
        Builder {
            theme,
            stack: vec![Frame::Root(Vec::new())],
            inline: None,
            styles: Vec::new(),
            links: Vec::new(),
            image_alt: None,
            image_depth: 0,
            code: None,
            html: None,
            page_links: Vec::new(),
            depth: 0,
            flattened: 0,
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.close_inline();
        // Containers left open by a truncated stream are closed as if their end had come.
        while self.stack.len() > 1 {
            self.close_frame();
        }
        match self.stack.pop() {
            Some(Frame::Root(blocks)) => blocks,
            _ => Vec::new(),
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.inline_code(&code),
            Event::InlineMath(math) | Event::DisplayMath(math) => self.inline_code(&math),
            Event::Html(html) => match &mut self.html {
                Some(buffer) => buffer.push_str(&html),
                None => self.inline_html(&html),
            },
            Event::InlineHtml(html) => self.inline_html(&html),
            Event::FootnoteReference(label) => {
                self.push_text(&format!("[^{label}]"), self.theme.dim())
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => {
                if self.image_alt.is_some() {
                    self.text(" ");
                } else {
                    self.open_inline().pieces.push(Piece::Break);
                }
            }
            Event::Rule => {
                self.close_plain();
                self.push_block(Block::Rule);
            }
            Event::TaskListMarker(done) => {
                if let Some(Frame::Item(item)) = self
                    .stack
                    .iter_mut()
                    .rev()
                    .find(|f| matches!(f, Frame::Item(_)))
                {
                    item.task = Some(done);
                }
            }
        }
    }

    /// Whether a container start (`opens_level`: a quote or list, not an item) must be
    /// flattened; counts it if so.
    fn flatten(&mut self, opens_level: bool) -> bool {
        if self.flattened > 0 || (opens_level && self.depth >= MAX_NESTING) {
            self.flattened += 1;
            self.close_plain();
            return true;
        }
        if opens_level {
            self.depth += 1;
        }
        false
    }

    fn start(&mut self, tag: Tag<'_>) {
        let container = match &tag {
            Tag::BlockQuote(_) | Tag::List(_) => Some(true),
            Tag::Item => Some(false),
            _ => None,
        };
        if let Some(opens_level) = container
            && self.flatten(opens_level)
        {
            return;
        }
        match tag {
            Tag::Paragraph => self.begin_inline(InlineKind::Paragraph, Style::default()),
            Tag::Heading { level, .. } => {
                let level = level as u8;
                self.begin_inline(InlineKind::Heading(level), self.theme.heading(level));
            }
            Tag::BlockQuote(kind) => {
                self.close_plain();
                self.stack.push(Frame::Quote(kind, Vec::new()));
            }
            Tag::CodeBlock(kind) => {
                self.close_plain();
                let language = match kind {
                    CodeBlockKind::Fenced(info) => sanitize(fence_language(&info)).into_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((language, String::new()));
            }
            Tag::HtmlBlock => {
                self.close_plain();
                self.html = Some(String::new());
            }
            Tag::List(start) => {
                self.close_plain();
                self.stack.push(Frame::List {
                    start,
                    loose: false,
                    items: Vec::new(),
                });
            }
            Tag::Item => {
                self.close_plain();
                self.stack.push(Frame::Item(Item::default()));
            }
            Tag::Table(mut alignments) => {
                self.close_plain();
                alignments.truncate(MAX_COLUMNS);
                self.stack.push(Frame::Table {
                    table: Table {
                        alignments,
                        ..Table::default()
                    },
                    row: Vec::new(),
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(Frame::Table { row, .. }) = self.stack.last_mut() {
                    row.clear();
                }
            }
            Tag::TableCell => self.begin_inline(InlineKind::Cell, Style::default()),
            Tag::Emphasis => self
                .styles
                .push(Style::default().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self
                .styles
                .push(Style::default().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => {
                self.styles
                    .push(Style::default().add_modifier(Modifier::CROSSED_OUT));
                self.strike_marker();
            }
            Tag::Superscript | Tag::Subscript => self.styles.push(Style::default()),
            Tag::Link { dest_url, .. } => {
                self.styles.push(self.theme.link());
                let page_link = match dest_url.strip_prefix('#') {
                    Some(slug) if self.image_alt.is_none() => {
                        self.page_links.push(PageLink {
                            target: sanitize(slug).into_owned(),
                            text: String::new(),
                        });
                        Some(self.page_links.len() - 1)
                    }
                    _ => None,
                };
                let inline = self.open_inline();
                if let Some(id) = page_link {
                    inline.pieces.push(Piece::Link(id));
                }
                let first_piece = inline.pieces.len();
                self.links.push(LinkStart {
                    target: sanitize(&dest_url).into_owned(),
                    first_piece,
                    page_link,
                });
            }
            Tag::Image { .. } => {
                self.image_depth += 1;
                if self.image_alt.is_none() {
                    self.image_alt = Some(String::new());
                }
            }
            // Not enabled in `options()`; their contents still show, as ordinary text.
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => self.close_plain(),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if matches!(tag, TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) {
            // Ends arrive innermost first, so while any flattened container is open, this
            // end is one of theirs.
            if self.flattened > 0 {
                self.flattened -= 1;
                self.close_plain();
                return;
            }
            if !matches!(tag, TagEnd::Item) {
                self.depth = self.depth.saturating_sub(1);
            }
        }
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.close_inline(),
            TagEnd::TableCell => {
                let cell = self.take_inline().map(|i| i.pieces).unwrap_or_default();
                if let Some(Frame::Table { row, .. }) = self.stack.last_mut() {
                    match row.get_mut(MAX_COLUMNS - 1) {
                        // Past the last column a terminal can show: keep the words, in
                        // the last column, so nothing is lost.
                        Some(last) => {
                            if cell
                                .iter()
                                .any(|p| !matches!(p, Piece::Text(t, _) if t.trim().is_empty()))
                            {
                                last.push(Piece::Text(" · ".into(), Style::default()));
                                last.extend(cell);
                            }
                        }
                        None => row.push(cell),
                    }
                }
            }
            TagEnd::TableHead => {
                if let Some(Frame::Table { table, row }) = self.stack.last_mut() {
                    table.header = std::mem::take(row);
                }
            }
            TagEnd::TableRow => {
                if let Some(Frame::Table { table, row }) = self.stack.last_mut() {
                    table.rows.push(std::mem::take(row));
                }
            }
            TagEnd::CodeBlock => {
                if let Some((language, text)) = self.code.take() {
                    self.push_block(Block::Code { language, text });
                }
            }
            TagEnd::HtmlBlock => {
                if let Some(html) = self.html.take() {
                    self.html_block(&html);
                }
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item | TagEnd::Table => {
                self.close_plain();
                self.close_frame();
            }
            TagEnd::Strikethrough => {
                self.strike_marker();
                self.styles.pop();
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Superscript | TagEnd::Subscript => {
                self.styles.pop();
            }
            TagEnd::Link => self.end_link(),
            TagEnd::Image => self.end_image(),
            TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => self.close_plain(),
        }
    }

    fn end_link(&mut self) {
        self.styles.pop();
        let Some(link) = self.links.pop() else {
            return;
        };
        let dim = self.theme.dim();
        let inline = self.open_inline();
        let text = plain_text(inline.pieces.get(link.first_piece..).unwrap_or_default());
        if let Some(page_link) = link.page_link.and_then(|id| self.page_links.get_mut(id)) {
            page_link.text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        let inline = self.open_inline();
        if let Some(id) = link.page_link {
            inline.pieces.push(Piece::LinkEnd(id));
        }
        let target = link.target;
        let same = target == text
            || target.strip_prefix("mailto:") == Some(text.as_str())
            || target.is_empty();
        if !same {
            let shown = format!(" <{target}>");
            push_piece(&mut inline.pieces, &shown, inline.base.patch(dim));
        }
    }

    fn end_image(&mut self) {
        self.image_depth = self.image_depth.saturating_sub(1);
        if self.image_depth > 0 {
            return;
        }
        let alt = self.image_alt.take().unwrap_or_default();
        self.image(&alt);
    }

    /// An image as the words that stand for it.
    fn image(&mut self, alt: &str) {
        let alt = alt.trim();
        let shown = if alt.is_empty() {
            "[image]".to_string()
        } else {
            format!("[image: {alt}]")
        };
        let style = self.theme.dim().add_modifier(Modifier::ITALIC);
        self.push_text(&shown, style);
    }

    /// A tag inside a paragraph or table cell: `<br>` breaks the line, `<img>` shows its alt
    /// text, presentational tags vanish, anything else shows as written.
    fn inline_html(&mut self, html: &str) {
        for part in html::parts(html) {
            match part {
                html::Part::Text(text) => self.text(&html::decode_entities(text)),
                html::Part::Break => self.event(Event::HardBreak),
                html::Part::Image(alt) => match &mut self.image_alt {
                    Some(outer) => outer.push_str(&sanitize(&alt)),
                    None => self.image(&alt),
                },
                html::Part::Hidden => {}
                html::Part::Other(tag) => self.push_text(tag, self.theme.dim()),
            }
        }
    }

    /// An HTML block made only of tags with a meaning in text (a README's centred logo)
    /// becomes a paragraph of that meaning; any other block is shown as written.
    fn html_block(&mut self, html: &str) {
        let parts = html::parts(html);
        if !html::all_known(&parts) {
            self.push_block(Block::Html(sanitize(html).into_owned()));
            return;
        }
        self.begin_inline(InlineKind::Paragraph, Style::default());
        self.inline_html(html);
        let blank = |p: &Piece| match p {
            Piece::Text(t, _) => t.trim().is_empty(),
            Piece::Break | Piece::Link(_) | Piece::LinkEnd(_) => true,
        };
        if let Some(inline) = &mut self.inline {
            // Breaks that open or close the block would only add blank lines.
            let last = inline
                .pieces
                .iter()
                .rposition(|p| !blank(p))
                .map_or(0, |i| i + 1);
            inline.pieces.truncate(last);
            let first = inline.pieces.iter().position(|p| !blank(p)).unwrap_or(0);
            inline.pieces.drain(..first);
        }
        if self.inline.as_ref().is_none_or(|i| i.pieces.is_empty()) {
            self.take_inline();
        } else {
            self.close_inline();
        }
    }

    fn text(&mut self, text: &str) {
        if let Some((_, code)) = &mut self.code {
            code.push_str(&sanitize(text));
        } else if let Some(html) = &mut self.html {
            html.push_str(text);
        } else if let Some(alt) = &mut self.image_alt {
            alt.push_str(&sanitize(text));
        } else {
            let style = self.current_style();
            self.push_text(text, style);
        }
    }

    fn inline_code(&mut self, code: &str) {
        if let Some(alt) = &mut self.image_alt {
            alt.push_str(&sanitize(code));
            return;
        }
        let style = self.current_style().patch(self.theme.code());
        if self.theme.color {
            self.push_text(code, style);
        } else {
            // Without colour nothing else would set code apart from prose.
            self.push_text(&format!("`{code}`"), style);
        }
    }

    /// Without colour, struck-out words keep their `~~` so plain text does not assert
    /// what the author crossed out.
    fn strike_marker(&mut self) {
        if !self.theme.color {
            let style = self.current_style();
            self.push_text("~~", style);
        }
    }

    fn current_style(&self) -> Style {
        let base = self.inline.as_ref().map(|i| i.base).unwrap_or_default();
        self.styles.iter().fold(base, |style, s| style.patch(*s))
    }

    fn push_text(&mut self, text: &str, style: Style) {
        if let Some(alt) = &mut self.image_alt {
            alt.push_str(&sanitize(text));
            return;
        }
        let inline = self.open_inline();
        push_piece(&mut inline.pieces, &sanitize(text), style);
    }

    /// The inline buffer text goes to; text outside any paragraph (a tight list item's)
    /// opens an implicit one.
    fn open_inline(&mut self) -> &mut Inline {
        self.inline.get_or_insert_with(|| Inline {
            kind: InlineKind::Plain,
            base: Style::default(),
            pieces: Vec::new(),
        })
    }

    fn begin_inline(&mut self, kind: InlineKind, base: Style) {
        self.close_plain();
        let mut frames = self.stack.iter_mut().rev();
        if kind == InlineKind::Paragraph
            && matches!(frames.next(), Some(Frame::Item(_)))
            && let Some(Frame::List { loose, .. }) = frames.next()
        {
            // A paragraph directly inside an item marks the whole list as loose.
            *loose = true;
        }
        self.inline = Some(Inline {
            kind,
            base,
            pieces: Vec::new(),
        });
    }

    fn take_inline(&mut self) -> Option<Inline> {
        self.styles.clear();
        self.links.clear();
        self.inline.take()
    }

    fn close_plain(&mut self) {
        if self
            .inline
            .as_ref()
            .is_some_and(|i| i.kind == InlineKind::Plain)
        {
            self.close_inline();
        }
    }

    fn close_inline(&mut self) {
        let Some(inline) = self.take_inline() else {
            return;
        };
        let block = match inline.kind {
            InlineKind::Paragraph => Block::Paragraph(inline.pieces),
            InlineKind::Plain => Block::Plain(inline.pieces),
            InlineKind::Heading(level) => Block::Heading {
                level,
                text: plain_text(&inline.pieces)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                content: inline.pieces,
            },
            InlineKind::Cell => return,
        };
        self.push_block(block);
    }

    fn close_frame(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        if self.stack.is_empty() {
            self.stack.push(frame);
            return;
        }
        match frame {
            Frame::Root(blocks) => {
                for block in blocks {
                    self.push_block(block);
                }
            }
            Frame::Quote(kind, blocks) => self.push_block(Block::Quote { kind, blocks }),
            Frame::List {
                start,
                loose,
                items,
            } => self.push_block(Block::List {
                start,
                loose,
                items,
            }),
            Frame::Item(item) => match self.stack.last_mut() {
                Some(Frame::List { items, .. }) => items.push(item),
                _ => {
                    for block in item.blocks {
                        self.push_block(block);
                    }
                }
            },
            Frame::Table { table, .. } => self.push_block(Block::Table(table)),
        }
    }

    fn push_block(&mut self, block: Block) {
        for frame in self.stack.iter_mut().rev() {
            match frame {
                Frame::Root(blocks) | Frame::Quote(_, blocks) => {
                    blocks.push(block);
                    return;
                }
                Frame::Item(item) => {
                    item.blocks.push(block);
                    return;
                }
                Frame::List { .. } | Frame::Table { .. } => {}
            }
        }
    }
}

/// Append text, merging with the previous piece when the style is the same so that
/// layout sees few, long runs.
fn push_piece(pieces: &mut Vec<Piece>, text: &str, style: Style) {
    if text.is_empty() {
        return;
    }
    if let Some(Piece::Text(last, last_style)) = pieces.last_mut()
        && *last_style == style
    {
        last.push_str(text);
        return;
    }
    pieces.push(Piece::Text(text.to_string(), style));
}
