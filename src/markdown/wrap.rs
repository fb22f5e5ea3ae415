//! Word wrapping of styled text by display width.
//!
//! textwrap wraps plain strings; here a word can span several styles (`**bold**ly`), and
//! the styles must survive the wrap, so the greedy fill is done directly on styled
//! fragments. Widths are measured exactly as ratatui measures a `Span` (unicode-width on
//! the whole string), so a line this module calls `n` columns is `n` columns to ratatui.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::tree::Piece;

/// Display width of `text` as ratatui measures it.
pub fn text_width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n')
}

/// Wrap `pieces` into lines at most `width` columns wide (`width` is at least 1). Runs of
/// spaces collapse to one; a word wider than the line is broken between characters.
/// Always returns at least one line.
pub fn wrap(pieces: &[Piece], width: usize) -> Vec<Line<'static>> {
    wrap_marked(pieces, width).0
}

/// Where in-page links landed in wrapped (or laid out) lines.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LinkMarks {
    /// `(link number, line)`: the line where each link's first word landed.
    pub starts: Vec<(usize, usize)>,
    /// The characters each link's words cover, one piece per line it spans.
    pub spans: Vec<LinkSpan>,
}

/// Part of a link on one line: characters `chars` of line `line` (counted in characters,
/// as the reader's highlighting counts them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSpan {
    pub link: usize,
    pub line: usize,
    pub chars: std::ops::Range<usize>,
}

impl LinkMarks {
    /// Move every mark `lines` lines down and `chars` characters right.
    pub fn shifted(mut self, lines: usize, chars: usize) -> LinkMarks {
        for (_, line) in &mut self.starts {
            *line += lines;
        }
        for span in &mut self.spans {
            span.line += lines;
            span.chars = span.chars.start + chars..span.chars.end + chars;
        }
        self
    }

    pub fn extend(&mut self, other: LinkMarks) {
        self.starts.extend(other.starts);
        self.spans.extend(other.spans);
    }
}

/// `wrap`, also returning where each link (`Piece::Link` to `Piece::LinkEnd`) landed.
pub fn wrap_marked(pieces: &[Piece], width: usize) -> (Vec<Line<'static>>, LinkMarks) {
    let mut filler = Filler::new(width.max(1));
    for piece in pieces {
        match piece {
            Piece::Text(text, style) => filler.text(text, *style),
            Piece::Break => {
                filler.end_word();
                filler.new_line();
            }
            Piece::Link(id) => {
                filler.end_word();
                filler.pending_marks.push(*id);
            }
            Piece::LinkEnd(id) => {
                filler.end_word();
                filler.close_link(*id);
            }
        }
    }
    filler.end_word();
    let lines = filler.finish_lines();
    (lines, filler.marks)
}

/// Greedy line filling. A word is collected as borrowed fragments and only copied once
/// its line is known.
struct Filler<'a> {
    width: usize,
    lines: Vec<Line<'static>>,
    line: Vec<Span<'static>>,
    line_width: usize,
    /// The style of the whitespace seen since the last word, if any.
    pending_space: Option<Style>,
    word: Vec<(&'a str, Style)>,
    word_width: usize,
    /// Characters on the current line (links are highlighted by character).
    line_chars: usize,
    /// Link marks seen before the next word, placed with it.
    pending_marks: Vec<usize>,
    /// Links whose words are being placed: `(link number, first character on this line)`.
    open_links: Vec<(usize, usize)>,
    marks: LinkMarks,
}

impl<'a> Filler<'a> {
    fn new(width: usize) -> Self {
        Filler {
            width,
            lines: Vec::new(),
            line: Vec::new(),
            line_width: 0,
            pending_space: None,
            word: Vec::new(),
            word_width: 0,
            line_chars: 0,
            pending_marks: Vec::new(),
            open_links: Vec::new(),
            marks: LinkMarks::default(),
        }
    }

    fn text(&mut self, text: &'a str, style: Style) {
        let mut rest = text;
        while !rest.is_empty() {
            let word_end = rest.find(is_space).unwrap_or(rest.len());
            if word_end > 0 {
                let fragment = &rest[..word_end];
                self.word.push((fragment, style));
                self.word_width += text_width(fragment);
            }
            rest = &rest[word_end..];
            let space_end = rest.find(|c| !is_space(c)).unwrap_or(rest.len());
            if space_end > 0 {
                self.end_word();
                self.pending_space = Some(style);
                rest = &rest[space_end..];
            }
        }
    }

    fn end_word(&mut self) {
        if self.word.is_empty() {
            return;
        }
        let space = usize::from(self.line_width > 0 && self.pending_space.is_some());
        if self.line_width + space + self.word_width <= self.width {
            if space == 1 {
                let style = self.pending_space.unwrap_or_default();
                self.push(" ", style, 1);
            }
            self.place_marks();
            self.push_word();
        } else if self.word_width <= self.width {
            self.new_line();
            self.place_marks();
            self.push_word();
        } else {
            if self.line_width > 0 {
                self.new_line();
            }
            self.place_marks();
            self.break_word();
        }
        self.word.clear();
        self.word_width = 0;
        self.pending_space = None;
    }

    fn place_marks(&mut self) {
        let line = self.lines.len();
        for id in self.pending_marks.drain(..) {
            self.marks.starts.push((id, line));
            self.open_links.push((id, self.line_chars));
        }
    }

    /// The link's words are all placed: record what it covers on the current line.
    fn close_link(&mut self, id: usize) {
        if let Some(i) = self.open_links.iter().position(|&(open, _)| open == id) {
            let (_, from) = self.open_links.remove(i);
            self.link_span(id, from);
        }
    }

    fn link_span(&mut self, link: usize, from: usize) {
        if from < self.line_chars {
            self.marks.spans.push(LinkSpan {
                link,
                line: self.lines.len(),
                chars: from..self.line_chars,
            });
        }
    }

    fn push_word(&mut self) {
        for i in 0..self.word.len() {
            let (fragment, style) = self.word[i];
            self.push(fragment, style, text_width(fragment));
        }
    }

    /// Place a word wider than the line, one character cluster at a time.
    fn break_word(&mut self) {
        for i in 0..self.word.len() {
            let (fragment, style) = self.word[i];
            for cluster in clusters(fragment) {
                let cluster_width = text_width(cluster);
                if self.line_width > 0 && self.line_width + cluster_width > self.width {
                    self.new_line();
                }
                if cluster_width > self.width {
                    // Only a wide character in a one-column line: show that something is there.
                    self.push("…", style, 1);
                } else {
                    self.push(cluster, style, cluster_width);
                }
            }
        }
    }

    fn push(&mut self, text: &str, style: Style, columns: usize) {
        self.line_width += columns;
        self.line_chars += text.chars().count();
        if let Some(last) = self.line.last_mut()
            && last.style == style
        {
            last.content.to_mut().push_str(text);
            return;
        }
        self.line.push(Span::styled(text.to_string(), style));
    }

    fn new_line(&mut self) {
        // A link that wraps goes on at the start of the next line.
        for i in 0..self.open_links.len() {
            let (link, from) = self.open_links[i];
            self.link_span(link, from);
            self.open_links[i].1 = 0;
        }
        self.lines.push(Line::from(std::mem::take(&mut self.line)));
        self.line_width = 0;
        self.line_chars = 0;
        self.pending_space = None;
    }

    fn finish_lines(&mut self) -> Vec<Line<'static>> {
        if !self.line.is_empty() || self.lines.is_empty() {
            self.new_line();
        }
        // Marks with no word after them belong to the last line.
        let last = self.lines.len() - 1;
        self.marks
            .starts
            .extend(self.pending_marks.drain(..).map(|id| (id, last)));
        self.open_links.clear();
        std::mem::take(&mut self.lines)
    }
}

/// Split `text` into the smallest pieces that may be put on different lines: a character
/// with the zero-width characters that follow it (combining marks, variation selectors),
/// and anything joined by a zero-width joiner.
pub fn clusters(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        let mut joined = first == '\u{200d}';
        let mut end = rest.len();
        for (i, c) in chars {
            let zero_width = c.width() == Some(0);
            if !zero_width && !joined {
                end = i;
                break;
            }
            joined = c == '\u{200d}';
        }
        let (cluster, tail) = rest.split_at(end);
        rest = tail;
        Some(cluster)
    })
}

/// Cut `line` so that it is at most `width` columns wide. Layout never produces wider
/// lines; this is the guarantee that holds even for character sequences whose width
/// unicode-width measures differently as a whole than in parts.
pub fn clip(line: &mut Line<'static>, width: usize) {
    if line.width() <= width {
        return;
    }
    let mut used = 0;
    let mut keep = 0;
    for span in line.spans.iter_mut() {
        let span_width = span.width();
        if used + span_width <= width {
            used += span_width;
            keep += 1;
            continue;
        }
        let mut cut = String::new();
        for cluster in clusters(&span.content) {
            let candidate_width = width_of_joined(&cut, cluster);
            if used + candidate_width > width {
                break;
            }
            cut.push_str(cluster);
        }
        span.content = cut.into();
        keep += 1;
        break;
    }
    line.spans.truncate(keep);
}

fn width_of_joined(head: &str, tail: &str) -> usize {
    let mut joined = String::with_capacity(head.len() + tail.len());
    joined.push_str(head);
    joined.push_str(tail);
    text_width(&joined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    fn text(s: &str) -> Vec<Piece> {
        vec![Piece::Text(s.to_string(), Style::default())]
    }

    fn plain(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn fills_greedily_and_collapses_spaces() {
        let lines = wrap(&text("the  quick brown fox jumps"), 10);
        assert_eq!(plain(&lines), ["the quick", "brown fox", "jumps"]);
    }

    #[test]
    fn styles_survive_wrapping_inside_a_word() {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let pieces = vec![
            Piece::Text("aaaa ".into(), Style::default()),
            Piece::Text("bold".into(), bold),
            Piece::Text("ly done".into(), Style::default()),
        ];
        let lines = wrap(&pieces, 7);
        assert_eq!(plain(&lines), ["aaaa", "boldly", "done"]);
        assert_eq!(lines[1].spans[0].style, bold);
        assert_eq!(lines[1].spans[0].content, "bold");
        assert_eq!(lines[1].spans[1].content, "ly");
    }

    #[test]
    fn long_words_break_between_characters() {
        let lines = wrap(&text("https://example.com/very/long"), 10);
        assert_eq!(plain(&lines), ["https://ex", "ample.com/", "very/long"]);
    }

    #[test]
    fn wide_characters_count_two_columns() {
        let lines = wrap(&text("日本語のテキスト"), 5);
        assert!(lines.iter().all(|l| l.width() <= 5));
        assert_eq!(plain(&lines), ["日本", "語の", "テキ", "スト"]);
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        let word = "e\u{301}e\u{301}e\u{301}e\u{301}";
        let lines = wrap(&text(word), 2);
        assert_eq!(plain(&lines), ["e\u{301}e\u{301}", "e\u{301}e\u{301}"]);
    }

    #[test]
    fn hard_breaks_start_new_lines() {
        let pieces = vec![
            Piece::Text("one".into(), Style::default()),
            Piece::Break,
            Piece::Text("two".into(), Style::default()),
        ];
        assert_eq!(plain(&wrap(&pieces, 40)), ["one", "two"]);
    }

    #[test]
    fn empty_input_gives_one_empty_line() {
        assert_eq!(plain(&wrap(&[], 10)), [""]);
    }

    #[test]
    fn wide_character_in_one_column_is_replaced_not_overflowed() {
        let lines = wrap(&text("日"), 1);
        assert!(lines.iter().all(|l| l.width() <= 1));
    }

    #[test]
    fn clip_cuts_at_the_width() {
        let mut line = Line::from(vec![Span::raw("abc"), Span::raw("日本語")]);
        clip(&mut line, 6);
        assert_eq!(line.to_string(), "abc日");
        assert!(line.width() <= 6);
    }

    #[test]
    fn clusters_keep_zwj_sequences_whole() {
        let family = "👨\u{200d}👩\u{200d}👧";
        assert_eq!(clusters(family).collect::<Vec<_>>(), [family]);
        assert_eq!(clusters("ab").collect::<Vec<_>>(), ["a", "b"]);
    }
}
