//! Authoring problems in lesson Markdown, for `sysdesign check`. Rendering copes with all
//! of these; lint exists so the author learns about them before a student sees the result.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::highlight::{SUGGESTED, is_known_language};
use super::parse::{MAX_NESTING, fence_language, options};
use super::sanitize::is_unsafe_char;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset into the Markdown where the problem starts.
    pub offset: usize,
    pub message: String,
    /// The text still shows sensibly; the author should fix it, but it is no error.
    pub warning: bool,
}

/// Every problem in `markdown`, in order of offset: raw control characters, fenced code in
/// a language the highlighter does not know, code fences never closed, and links or
/// images with an empty target; and, as a warning, quotes and lists nested deeper than
/// the renderer shows.
pub fn lint(markdown: &str) -> Vec<Problem> {
    let mut problems = control_characters(markdown);
    let mut depth = 0usize;
    let mut warned_depth = false;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                depth += 1;
                if depth > MAX_NESTING && !warned_depth {
                    warned_depth = true;
                    problems.push(Problem {
                        offset: range.start,
                        message: format!(
                            "quotes and lists nested more than {MAX_NESTING} deep are shown \
                             flattened at that depth; nest less"
                        ),
                        warning: true,
                    });
                }
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => {
                depth = depth.saturating_sub(1);
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let source = &markdown[range.clone()];
                let language = fence_language(&info);
                if !is_known_language(language) {
                    let at = source
                        .find(language)
                        .map_or(range.start, |i| range.start + i);
                    problems.push(Problem {
                        offset: at,
                        message: unknown_language(language),
                        warning: false,
                    });
                }
                if !is_closed_fence(source) {
                    problems.push(Problem {
                        offset: range.start,
                        message: "code fence is never closed; everything after it shows as code"
                            .to_string(),
                        warning: false,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.trim().is_empty() => {
                problems.push(Problem {
                    offset: range.start,
                    message: "link has an empty target".to_string(),
                    warning: false,
                });
            }
            Event::Start(Tag::Image { dest_url, .. }) if dest_url.trim().is_empty() => {
                problems.push(Problem {
                    offset: range.start,
                    message: "image has an empty target".to_string(),
                    warning: false,
                });
            }
            _ => {}
        }
    }
    problems.sort_by_key(|p| p.offset);
    problems
}

fn control_characters(markdown: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    // Nearly every lesson is clean: skip straight to the first suspect, if any.
    let Some(start) = super::sanitize::first_unsafe(markdown) else {
        return problems;
    };
    let mut chars = markdown[start..]
        .char_indices()
        .map(|(i, c)| (start + i, c))
        .peekable();
    while let Some((offset, c)) = chars.next() {
        // A CR before LF is a Windows line ending, not a control sequence.
        if c == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n') {
            continue;
        }
        if is_unsafe_char(c) {
            problems.push(Problem {
                offset,
                message: format!(
                    "raw control character {}; it is shown as a visible symbol, \
                     write it out in words or remove it",
                    describe(c)
                ),
                warning: false,
            });
        }
    }
    problems
}

fn describe(c: char) -> String {
    let name = match c {
        '\u{0}' => "NUL",
        '\u{7}' => "BEL",
        '\u{8}' => "backspace",
        '\r' => "carriage return",
        '\u{1b}' => "ESC",
        '\u{7f}' => "DEL",
        '\u{9b}' => "CSI",
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => "bidi control",
        _ => "",
    };
    if name.is_empty() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} ({name})", c as u32)
    }
}

fn unknown_language(language: &str) -> String {
    let closest = SUGGESTED
        .iter()
        .map(|known| {
            (
                strsim::damerau_levenshtein(&language.to_lowercase(), known),
                known,
            )
        })
        .filter(|&(distance, _)| distance <= 2)
        .min_by_key(|&(distance, _)| distance);
    let hint = closest.map_or(String::new(), |(_, known)| {
        format!("did you mean `{known}`? ")
    });
    format!(
        "unknown code block language `{language}`; {hint}known languages include {}; \
         use `text` for a block that is not code",
        SUGGESTED
            .iter()
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Whether the fenced block's source ends with a closing fence at least as long as the
/// opening one, made of the same character.
fn is_closed_fence(source: &str) -> bool {
    let mut lines = source.lines();
    let Some(opening) = lines.next() else {
        return false;
    };
    let opening = strip_container(opening);
    let Some(fence_char) = opening.chars().next().filter(|c| matches!(c, '`' | '~')) else {
        return true;
    };
    let fence_len = opening.chars().take_while(|&c| c == fence_char).count();
    let Some(closing) = lines.next_back() else {
        return false;
    };
    let closing = strip_container(closing);
    let run = closing.chars().take_while(|&c| c == fence_char).count();
    run >= fence_len && closing[run * fence_char.len_utf8()..].trim().is_empty()
}

/// Drop indentation and the block-quote markers and list markers of enclosing containers.
fn strip_container(line: &str) -> &str {
    let mut rest = line.trim_start();
    loop {
        let next = rest
            .strip_prefix('>')
            .or_else(|| {
                rest.strip_prefix(['-', '*', '+'])
                    .filter(|r| r.starts_with(' '))
            })
            .map(str::trim_start);
        match next {
            Some(stripped) => rest = stripped,
            None => {
                let digits =
                    rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let after = &rest[digits..];
                if digits > 0
                    && let Some(stripped) = after
                        .strip_prefix(['.', ')'])
                        .filter(|r| r.starts_with(' '))
                {
                    rest = stripped.trim_start();
                    continue;
                }
                return rest;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_closure() {
        assert!(is_closed_fence("```rust\nfn a() {}\n```\n"));
        assert!(is_closed_fence("~~~~\nx\n~~~~~"));
        assert!(!is_closed_fence("```rust\nfn a() {}\n"));
        assert!(!is_closed_fence("````\nx\n```\n"));
        assert!(is_closed_fence("> ```\n> x\n> ```"));
        assert!(is_closed_fence("- ```\n  x\n  ```"));
        assert!(is_closed_fence("1. ```\n   x\n   ```"));
    }

    #[test]
    fn container_markers_are_stripped() {
        assert_eq!(strip_container("> > ```rust"), "```rust");
        assert_eq!(strip_container("  12. ```"), "```");
        assert_eq!(strip_container("```"), "```");
    }
}
