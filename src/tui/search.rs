//! Searching the open lesson: `/` types a query, Enter finds every match in the laid-out
//! lines, `n`/`N` step through them, and the view highlights them.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub query: String,
    /// The prompt is open and takes every key.
    pub editing: bool,
    pub matches: Vec<Match>,
    /// Index into `matches` of the one the reader was taken to.
    pub current: usize,
}

/// One match: a line of the document and a range of characters in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

impl Search {
    pub fn prompt() -> Search {
        Search {
            query: String::new(),
            editing: true,
            matches: Vec::new(),
            current: 0,
        }
    }
}

/// Characters compared without case, unless the query has a capital letter (as in less and
/// vim's smartcase): `raft` finds Raft, `Raft` finds only Raft.
fn fold(c: char, exact: bool) -> char {
    if exact {
        c
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Every match of `query` in `lines`, in document order. Matches do not overlap and do not
/// cross line ends (a phrase that wraps onto the next line is not found).
pub fn find(lines: &[Line<'_>], query: &str) -> Vec<Match> {
    let exact = query.chars().any(char::is_uppercase);
    let needle: Vec<char> = query.chars().map(|c| fold(c, exact)).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let hay: Vec<char> = line
            .spans
            .iter()
            .flat_map(|s| s.content.chars())
            .map(|c| fold(c, exact))
            .collect();
        let mut i = 0;
        while i + needle.len() <= hay.len() {
            if hay[i..i + needle.len()] == needle[..] {
                found.push(Match {
                    line: n,
                    start: i,
                    end: i + needle.len(),
                });
                i += needle.len();
            } else {
                i += 1;
            }
        }
    }
    found
}

/// `line` with the character ranges `marks` restyled (patched onto their own style), each
/// with its own style.
pub fn highlight(line: &Line<'static>, marks: &[(usize, usize, Style)]) -> Line<'static> {
    if marks.is_empty() {
        return line.clone();
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut at = 0;
    for span in &line.spans {
        let chars: Vec<char> = span.content.chars().collect();
        let mut piece = String::new();
        let mut piece_style: Option<Style> = None;
        for (i, &c) in chars.iter().enumerate() {
            let pos = at + i;
            let mark = marks
                .iter()
                .find(|(s, e, _)| (*s..*e).contains(&pos))
                .map(|&(_, _, st)| span.style.patch(st));
            let style = mark.unwrap_or(span.style);
            if piece_style.is_some_and(|p| p != style) {
                spans.push(Span::styled(
                    std::mem::take(&mut piece),
                    piece_style.unwrap(),
                ));
            }
            piece_style = Some(style);
            piece.push(c);
        }
        if let Some(style) = piece_style {
            spans.push(Span::styled(piece, style));
        }
        at += chars.len();
    }
    Line {
        spans,
        style: line.style,
        alignment: line.alignment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    #[test]
    fn finds_every_match_ignoring_case_unless_asked() {
        let lines = vec![
            Line::from(vec![Span::raw("Raft and "), Span::raw("raft")]),
            Line::raw("no"),
            Line::raw("RAFT"),
        ];
        let lower = find(&lines, "raft");
        assert_eq!(
            lower,
            vec![
                Match {
                    line: 0,
                    start: 0,
                    end: 4
                },
                Match {
                    line: 0,
                    start: 9,
                    end: 13
                },
                Match {
                    line: 2,
                    start: 0,
                    end: 4
                },
            ]
        );
        assert_eq!(find(&lines, "Raft").len(), 1);
        assert!(find(&lines, "").is_empty());
        assert!(find(&lines, "paxos").is_empty());
    }

    #[test]
    fn highlight_splits_spans_at_the_match() {
        let line = Line::from(vec![Span::raw("ab"), Span::raw("cd")]);
        let mark = Style::default().add_modifier(Modifier::REVERSED);
        let out = highlight(&line, &[(1, 3, mark)]);
        let pieces: Vec<(String, bool)> = out
            .spans
            .iter()
            .map(|s| {
                (
                    s.content.to_string(),
                    s.style.add_modifier.contains(Modifier::REVERSED),
                )
            })
            .collect();
        assert_eq!(
            pieces,
            vec![
                ("a".into(), false),
                ("b".into(), true),
                ("c".into(), true),
                ("d".into(), false)
            ]
        );
        assert_eq!(out.to_string(), "abcd");
    }
}
