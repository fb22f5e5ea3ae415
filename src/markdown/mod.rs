//! Markdown to ratatui lines, the renderer every lesson goes through.
//!
//! `render` is pure and deterministic: the same text, width and theme always give the same
//! lines, so callers lay a lesson out once per width and cache it. The pipeline is
//! parse (events to a small tree, text sanitized and styled) then layout (tree to lines
//! at a width) then a final clip that guarantees no line is wider than the width.

mod anchor;
mod code;
mod export;
mod highlight;
mod html;
mod languages;
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

pub use anchor::{slug, unique_slugs};
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

/// An in-page link (`[text](#target)`) and the line its text starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    pub line: usize,
    /// `(line, characters)` its words cover, one per line, for highlighting it.
    pub spans: Vec<(usize, std::ops::Range<usize>)>,
    /// The anchor after `#`, sanitized.
    pub target: String,
    /// The link's words, sanitized.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rendered {
    pub lines: Vec<Line<'static>>,
    pub headings: Vec<Heading>,
    /// In-page links in document order, those inside table cells included.
    pub links: Vec<PageLink>,
    /// Some code was laid out plain because its highlighting was not cached yet.
    pub pending: bool,
}

/// Lay out `markdown` for a terminal `width` columns wide (clamped to at least
/// [`MIN_WIDTH`]). No line of the result is wider than that, and no span holds a control
/// character. Without colour (`theme.color == false`) only modifiers are used and syntax
/// highlighting is off; code, strike-through and heading levels get textual marks instead.
pub fn render(markdown: &str, width: u16, theme: &Theme) -> Rendered {
    render_with(markdown, width, theme, Highlighting::Full)
}

/// What `render_with` does with code whose highlighting is not cached yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Highlighting {
    /// Highlight it now (tens of milliseconds for a code-heavy lesson).
    Full,
    /// Show it plain and set `Rendered::pending`; `warm_highlighting` fills the cache in the
    /// background so the next layout has colours. Keeps the first frame instant.
    CachedOnly,
}

/// Highlight every code block of `markdown` into the process-wide cache.
pub fn warm_highlighting(markdown: &str) {
    let blocks = parse::parse(markdown, &Theme::COLOR);
    for (language, text) in tree::code_blocks(&blocks) {
        highlight::highlight(language, &code::source_lines(text));
    }
}

/// `render`, choosing how to treat code that is not highlighted yet.
pub fn render_with(
    markdown: &str,
    width: u16,
    theme: &Theme,
    highlighting: Highlighting,
) -> Rendered {
    let width = usize::from(width.max(MIN_WIDTH));
    let (blocks, page_links) = parse::parse_with_links(markdown, theme);
    if theme.color && highlighting == Highlighting::Full {
        let code: Vec<(&str, Vec<String>)> = tree::code_blocks(&blocks)
            .into_iter()
            .map(|(language, text)| (language, code::source_lines(text)))
            .collect();
        highlight::highlight_all(&code);
    }
    let layout = layout::Layout {
        theme,
        highlighting,
        pending: std::cell::Cell::new(false),
    };
    let out = layout.blocks(&blocks, width, 0);
    let mut lines = out.lines;
    for line in &mut lines {
        wrap::clip(line, width);
    }
    let mut spans: Vec<Vec<(usize, std::ops::Range<usize>)>> = vec![Vec::new(); page_links.len()];
    for span in out.links.spans {
        if let Some(list) = spans.get_mut(span.link) {
            list.push((span.line, span.chars));
        }
    }
    let mut links: Vec<PageLink> = out
        .links
        .starts
        .into_iter()
        .filter_map(|(id, line)| {
            let link = page_links.get(id)?;
            Some(PageLink {
                line,
                spans: std::mem::take(spans.get_mut(id)?),
                target: link.target.clone(),
                text: link.text.clone(),
            })
        })
        .collect();
    links.sort_by_key(|l| l.line);
    Rendered {
        lines,
        headings: out.headings,
        links,
        pending: layout.pending.get(),
    }
}
