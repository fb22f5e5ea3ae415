//! The little HTML that real Markdown carries: READMEs centre a logo with
//! `<p align="center"><img src="…" alt="…"></p>`, break lines in table cells with `<br>`,
//! and wrap words in `<sub>` or `<a>`. A terminal cannot show the markup, so it shows what
//! the markup means: an image as its alt text, `<br>` as a line break, and the words inside
//! presentational tags. Tags this module does not know stay visible as text, because a
//! lesson may well be *about* HTML, and `Vec<T>` parses as a tag too.

/// One piece of an HTML fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part<'a> {
    /// Text between tags, entities not yet decoded.
    Text(&'a str),
    /// `<br>`, `<br/>`, `<br />`.
    Break,
    /// `<img>`, with its alt text (entities decoded; empty when there is none).
    Image(String),
    /// A presentational tag or a comment: nothing to show.
    Hidden,
    /// A tag this module does not know, shown as written.
    Other(&'a str),
}

/// Tags whose only job is presentation or linking; the words inside them still show.
const PRESENTATIONAL: &[&str] = &[
    "a", "abbr", "b", "big", "center", "code", "del", "details", "div", "em", "font", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "mark", "p", "picture", "s", "small",
    "source", "span", "strong", "sub", "summary", "sup", "u",
];

/// Split `html` into text and tags.
pub fn parts(html: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            parts.push(Part::Text(rest));
            break;
        };
        if open > 0 {
            parts.push(Part::Text(&rest[..open]));
        }
        rest = &rest[open..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment.find("-->").map_or(rest.len(), |i| 4 + i + 3);
            parts.push(Part::Hidden);
            rest = &rest[end..];
            continue;
        }
        let Some(len) = tag_len(rest) else {
            // A lone `<` is text.
            parts.push(Part::Text(&rest[..1]));
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[..len];
        parts.push(classify(tag));
        rest = &rest[len..];
    }
    parts
}

/// Whether every tag in `html` is one this module knows what to do with.
pub fn all_known(parts: &[Part]) -> bool {
    !parts.iter().any(|p| matches!(p, Part::Other(_)))
}

/// Length of the tag at the start of `s` (which starts with `<`), up to its `>`, quoted
/// attribute values skipped; `None` when it is not a tag.
fn tag_len(s: &str) -> Option<usize> {
    let after = s[1..].trim_start_matches('/');
    if !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

fn classify(tag: &str) -> Part<'_> {
    let inner = tag[1..tag.len() - 1].trim_start_matches('/');
    let name_len = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let name = inner[..name_len].to_ascii_lowercase();
    match name.as_str() {
        "br" => Part::Break,
        "img" => Part::Image(decode_entities(
            &attribute(&inner[name_len..], "alt").unwrap_or_default(),
        )),
        n if PRESENTATIONAL.contains(&n) => Part::Hidden,
        _ => Part::Other(tag),
    }
}

/// The value of attribute `name` in a tag's attribute text.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let key_len = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/' || c == '>')
            .unwrap_or(rest.len());
        let key = &rest[..key_len];
        rest = rest[key_len..].trim_start();
        let mut value = None;
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (v, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = Some(v);
            rest = remaining;
        } else if key_len == 0 {
            // Something unparseable: skip one character so the scan always advances.
            let skip = rest.chars().next().map_or(0, char::len_utf8);
            rest = &rest[skip..];
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value.unwrap_or("").to_string());
        }
    }
}

/// The common character references: named ones a README uses, and numeric ones.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|i| i + 1);
        let decoded = end
            .filter(|&e| rest[e..].starts_with(';'))
            .and_then(|e| entity(&rest[1..e]).map(|c| (c, e + 1)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        // Control characters would be neutralised later anyway; refuse them here.
        return char::from_u32(code).filter(|c| !c.is_control());
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "copy" => '©',
        "rarr" => '→',
        "larr" => '←',
        "times" => '×',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_logo_block() {
        let html = "<p align=\"center\">\n  <img src=\"images/logo.png\" alt=\"Logo &amp; more\">\n  <br/>\n</p>\n";
        let parts = parts(html);
        assert!(all_known(&parts));
        assert!(parts.contains(&Part::Image("Logo & more".into())));
        assert!(parts.contains(&Part::Break));
    }

    #[test]
    fn alt_text_with_single_quotes_and_unquoted() {
        assert_eq!(parts("<img alt='a b' src=x>"), [Part::Image("a b".into())]);
        assert_eq!(parts("<IMG SRC=x ALT=logo>"), [Part::Image("logo".into())]);
        assert_eq!(parts("<img src=\"x\">"), [Part::Image(String::new())]);
    }

    #[test]
    fn breaks_in_every_spelling() {
        for br in ["<br>", "<br/>", "<br />", "<BR>"] {
            assert_eq!(parts(br), [Part::Break], "{br}");
        }
    }

    #[test]
    fn unknown_tags_and_stray_brackets_stay_text() {
        assert_eq!(parts("<T>"), [Part::Other("<T>")]);
        assert_eq!(
            parts("a < b"),
            [Part::Text("a "), Part::Text("<"), Part::Text(" b")]
        );
        assert!(!all_known(&parts("<table><tr><td>x</td></tr></table>")));
        assert_eq!(parts("<!-- note -->x"), [Part::Hidden, Part::Text("x")]);
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &#65;&#x42; &bogus; &"),
            "a & b <c> AB &bogus; &"
        );
        assert_eq!(decode_entities("&#27;"), "&#27;");
    }
}
