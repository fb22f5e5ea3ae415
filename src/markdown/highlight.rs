//! Syntax highlighting of fenced code with syntect and bat's syntax set (two-face).
//!
//! Loading the 200-odd syntaxes takes milliseconds, so nothing is loaded until the first
//! code block is highlighted or a language is looked up, and then only once per process.
//!
//! Highlighting is by far the slowest step of rendering (syntect's grammars cost tens to
//! hundreds of microseconds per line) and it does not depend on the width, so results are
//! kept per (language, code): laying a lesson out again after a resize re-wraps the code
//! but does not re-highlight it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use ratatui::style::Style;
use syntect::easy::HighlightLines;
use syntect::highlighting::Theme;
use syntect::parsing::{SyntaxReference, SyntaxSet};
use two_face::theme::EmbeddedThemeName;

use super::palette;

/// syntect's regex engine backtracks badly on long lines; past this many bytes the rest of
/// a line is shown unhighlighted.
pub const MAX_HIGHLIGHTED_BYTES: usize = 512;

/// Tags for blocks that are deliberately not code: diagrams, sessions, output.
const PLAIN_TAGS: &[&str] = &["text", "txt", "plain", "plaintext", "ascii", "output"];

/// Common spellings that bat's syntaxes do not list as a name or extension.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "sh"),
    ("console", "sh"),
    ("shell-session", "sh"),
    ("docker", "dockerfile"),
    ("golang", "go"),
    ("c++", "cpp"),
    ("jsonc", "json"),
    ("proto", "protobuf"),
];

/// A few tags to suggest when a fence names an unknown language.
pub const SUGGESTED: &[&str] = &[
    "rust",
    "toml",
    "yaml",
    "json",
    "sql",
    "http",
    "sh",
    "dockerfile",
    "python",
    "text",
];

/// Past this many bytes of cached source the cache starts over, bounding its memory.
const CACHE_LIMIT_BYTES: usize = 16 << 20;

static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
static THEME: OnceLock<Theme> = OnceLock::new();

pub fn syntax_set() -> &'static SyntaxSet {
    SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
}

fn theme() -> &'static Theme {
    THEME.get_or_init(|| {
        two_face::theme::extra()
            .get(EmbeddedThemeName::Ansi)
            .clone()
    })
}

/// Load the syntax set and theme now rather than at the first code block.
pub fn preload() {
    syntax_set();
    theme();
}

fn is_plain_tag(tag: &str) -> bool {
    PLAIN_TAGS.iter().any(|p| p.eq_ignore_ascii_case(tag))
}

fn find_syntax(tag: &str) -> Option<&'static SyntaxReference> {
    let tag = tag.trim();
    if tag.is_empty() || is_plain_tag(tag) {
        return None;
    }
    let token = ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(tag))
        .map_or(tag, |(_, target)| target);
    syntax_set().find_syntax_by_token(token)
}

/// Whether a fenced code block may be tagged `tag`: a language bat highlights (by name or
/// file extension, any case), one of the plain-text tags such as `text`, or no tag at all.
pub fn is_known_language(tag: &str) -> bool {
    let tag = tag.trim();
    let token = ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(tag))
        .map_or(tag, |(_, target)| target);
    tag.is_empty() || is_plain_tag(tag) || super::languages::has_token(token)
}

/// One highlighted line: the style of each run and the byte offset where the run ends.
pub type Runs = Vec<(Style, usize)>;

#[derive(Default)]
struct Cache {
    entries: HashMap<(String, String), Arc<Vec<Runs>>>,
    bytes: usize,
}

static CACHE: Mutex<Option<Cache>> = Mutex::new(None);

fn with_cache<T>(f: impl FnOnce(&mut Cache) -> T) -> T {
    // A panic while the lock was held cannot leave the map half-updated in a way that
    // matters: every entry is inserted whole.
    let mut guard = CACHE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    f(guard.get_or_insert_with(Cache::default))
}

/// Forget every highlighted block, e.g. when a course is reloaded.
pub fn clear_highlight_cache() {
    with_cache(|cache| *cache = Cache::default());
}

/// Whether `tag` names a grammar (and so a block tagged with it gets colours).
pub fn has_grammar(tag: &str) -> bool {
    let tag = tag.trim();
    !(tag.is_empty() || is_plain_tag(tag)) && find_syntax(tag).is_some()
}

/// The highlighting of `lines` if it is already cached; never runs a grammar.
pub fn cached(tag: &str, lines: &[String]) -> Option<Arc<Vec<Runs>>> {
    let syntax = find_syntax(tag)?;
    let key = (syntax.name.clone(), lines.join("\n"));
    with_cache(|cache| cache.entries.get(&key).cloned())
}

/// Highlight `lines` (no line terminators) as `tag`, reusing an earlier result for the
/// same code. `None` when the tag names no syntax or the grammar fails; the caller then
/// shows the code plainly.
pub fn highlight(tag: &str, lines: &[String]) -> Option<Arc<Vec<Runs>>> {
    let syntax = find_syntax(tag)?;
    let key = (syntax.name.clone(), lines.join("\n"));
    if let Some(found) = with_cache(|cache| cache.entries.get(&key).cloned()) {
        return Some(found);
    }
    let highlighted = Arc::new(highlight_uncached(syntax, lines)?);
    with_cache(|cache| {
        if cache.bytes + key.1.len() > CACHE_LIMIT_BYTES {
            *cache = Cache::default();
        }
        cache.bytes += key.1.len();
        cache.entries.insert(key, Arc::clone(&highlighted));
    });
    Some(highlighted)
}

/// Below this many lines in a document, highlighting is quicker than starting threads.
const PARALLEL_MIN_LINES: usize = 200;

/// Highlight many blocks at once, spread over the machine's cores, so that the layout that
/// follows finds them all in the cache. A lesson's first layout is dominated by syntect,
/// and the blocks are independent of each other.
pub fn highlight_all(blocks: &[(&str, Vec<String>)]) {
    let total: usize = blocks.iter().map(|(_, lines)| lines.len()).sum();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let workers = cores.min(blocks.len()).min(8);
    if workers < 2 || total < PARALLEL_MIN_LINES {
        return;
    }
    // Longest block first onto the least loaded worker keeps the workers finishing together.
    let mut order: Vec<usize> = (0..blocks.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(blocks[i].1.len()));
    let mut shares: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); workers];
    for i in order {
        if let Some(share) = shares.iter_mut().min_by_key(|(load, _)| *load) {
            share.0 += blocks[i].1.len();
            share.1.push(i);
        }
    }
    syntax_set();
    theme();
    std::thread::scope(|scope| {
        for (_, share) in &shares {
            scope.spawn(move || {
                for &i in share {
                    let (tag, lines) = &blocks[i];
                    highlight(tag, lines);
                }
            });
        }
    });
}

fn highlight_uncached(syntax: &SyntaxReference, lines: &[String]) -> Option<Vec<Runs>> {
    let syntaxes = syntax_set();
    let mut highlighter = HighlightLines::new(syntax, theme());
    let mut buffer = String::new();
    let mut highlighted = Vec::with_capacity(lines.len());
    for line in lines {
        let cut = floor_char_boundary(line, MAX_HIGHLIGHTED_BYTES);
        buffer.clear();
        buffer.push_str(&line[..cut]);
        // The "newlines" syntax set expects every line to end in '\n'.
        buffer.push('\n');
        let tokens = highlighter.highlight_line(&buffer, syntaxes).ok()?;
        let mut runs: Runs = Vec::with_capacity(tokens.len() + 1);
        let mut end = 0;
        for (style, token) in tokens {
            end = (end + token.len()).min(cut);
            let style = palette::style(style);
            match runs.last_mut() {
                Some((last, last_end)) if *last == style => *last_end = end,
                _ => runs.push((style, end)),
            }
        }
        if cut < line.len() {
            runs.push((Style::default(), line.len()));
        }
        runs.retain(|&(_, end)| end > 0);
        runs.dedup_by_key(|&mut (_, end)| end);
        highlighted.push(runs);
    }
    Some(highlighted)
}

/// The largest char boundary of `text` at or before `index`.
fn floor_char_boundary(text: &str, index: usize) -> usize {
    if index >= text.len() {
        return text.len();
    }
    (0..=index)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_languages_are_known() {
        for tag in [
            "rust",
            "toml",
            "yaml",
            "yml",
            "json",
            "sql",
            "http",
            "sh",
            "bash",
            "dockerfile",
            "Dockerfile",
            "python",
            "text",
            "shell",
            "",
        ] {
            assert!(is_known_language(tag), "{tag} should be known");
        }
        assert!(!is_known_language("no-such-language"));
        assert!(!is_known_language("rsut"));
    }

    #[test]
    fn runs_cover_each_line_exactly() {
        let lines: Vec<String> = ["fn main() {", "    let x = 1; // one", "}"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let highlighted = highlight("rust", &lines).expect("rust highlights");
        assert_eq!(highlighted.len(), 3);
        for (runs, line) in highlighted.iter().zip(&lines) {
            assert_eq!(runs.last().map(|r| r.1), Some(line.len()));
            assert!(runs.windows(2).all(|w| w[0].1 < w[1].1));
        }
        let distinct: std::collections::HashSet<_> =
            highlighted.iter().flatten().map(|r| r.0).collect();
        assert!(distinct.len() > 1, "keywords, comments and code differ");
    }

    #[test]
    fn very_long_lines_are_highlighted_only_in_part() {
        let long = format!("let s = \"{}\";", "é".repeat(2000));
        let highlighted = highlight("rust", std::slice::from_ref(&long)).unwrap();
        let runs = &highlighted[0];
        assert_eq!(runs.last().map(|r| r.1), Some(long.len()));
        assert!(runs.iter().all(|r| long.is_char_boundary(r.1)));
    }

    #[test]
    fn repeated_code_is_served_from_the_cache() {
        let lines = vec!["SELECT 1 FROM cached_table_for_test;".to_string()];
        let first = highlight("sql", &lines).unwrap();
        let second = highlight("sql", &lines).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        // Another tag for the same syntax is the same entry; other code is not.
        assert!(Arc::ptr_eq(&first, &highlight("SQL", &lines).unwrap()));
        let other = vec!["SELECT 2 FROM cached_table_for_test;".to_string()];
        assert!(!Arc::ptr_eq(&first, &highlight("sql", &other).unwrap()));
    }

    #[test]
    fn highlighting_in_parallel_gives_the_same_runs() {
        let rust: Vec<String> = (0..150)
            .map(|i| format!("let parallel_{i} = {i};"))
            .collect();
        let sql: Vec<String> = (0..150)
            .map(|i| format!("SELECT {i} AS parallel;"))
            .collect();
        let blocks = vec![
            ("rust", rust.clone()),
            ("sql", sql.clone()),
            ("text", sql.clone()),
        ];
        highlight_all(&blocks);
        let syntaxes = syntax_set();
        for (tag, lines) in [("rust", &rust), ("sql", &sql)] {
            let expected = highlight_uncached(syntaxes.find_syntax_by_token(tag).unwrap(), lines);
            assert_eq!(highlight(tag, lines).as_deref(), expected.as_ref());
        }
    }

    #[test]
    fn plain_and_unknown_tags_are_not_highlighted() {
        assert!(highlight("text", &["a".to_string()]).is_none());
        assert!(highlight("nonsense-lang", &["a".to_string()]).is_none());
    }
}
