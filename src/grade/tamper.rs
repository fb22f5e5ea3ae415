//! Spotting, before the build, a student's file that reaches for the grader's machinery, so
//! the report can say plainly what was tampered with.
//!
//! This is for the message, not the defence: the student's file is compiled as a module with
//! `unsafe_code` forbidden, the entry point and the checks crate are called by absolute
//! paths, and verdicts travel on a private channel, so none of these tricks could pass
//! anyway. The scan reads tokens outside comments and string literals, so a comment that
//! mentions `no_main` is no offence.

/// Names the grader's generated crate uses for itself.
const RESERVED: [&str; 3] = ["sysdesign_checks", "sysdesign_harness", "sysdesign_student"];

/// Crate-level attributes that would change how the grading program starts.
const CRATE_ATTRIBUTES: [&str; 3] = ["no_main", "no_std", "no_core"];

/// Attributes that export or place symbols, which could replace the entry point or run code
/// before `main`, or that make the compiler read another file (the hidden checks).
const SYMBOL_ATTRIBUTES: [&str; 5] = [
    "no_mangle",
    "export_name",
    "link_section",
    "path",
    "debugger_visualizer",
];

/// Macros that read a file at compile time: the only way to the checks' source while they
/// are being compiled.
const FILE_MACROS: [&str; 3] = ["include_str", "include_bytes", "include"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub line: usize,
    pub column: usize,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Punct(char),
}

/// Every attempt to reach the grader's machinery in `source`, in order.
pub fn scan(source: &str) -> Vec<Finding> {
    let tokens = tokens(source);
    let mut findings = Vec::new();
    // Depth of `[...]` inside an attribute; 0 outside attributes.
    let mut attribute_depth = 0usize;
    for (i, (token, line, column)) in tokens.iter().enumerate() {
        let at = |what: String| Finding {
            line: *line,
            column: *column,
            what,
        };
        match token {
            Token::Punct('#') => {
                let inner = matches!(tokens.get(i + 1), Some((Token::Punct('!'), ..)));
                let open = if inner { i + 2 } else { i + 1 };
                if matches!(tokens.get(open), Some((Token::Punct('['), ..)))
                    && attribute_depth == 0
                    && inner
                    && let Some((Token::Ident(name), ..)) = tokens.get(open + 1)
                    && CRATE_ATTRIBUTES.contains(&name.as_str())
                {
                    findings.push(at(format!(
                        "the crate attribute `#![{name}]`, which would take over how the \
                         grading program starts"
                    )));
                }
            }
            Token::Punct('[') if attribute_depth > 0 || is_attribute_open(&tokens, i) => {
                attribute_depth += 1;
            }
            Token::Punct(']') if attribute_depth > 0 => attribute_depth -= 1,
            Token::Ident(name)
                if FILE_MACROS.contains(&name.as_str())
                    && (name != "include" || is_macro_or_path(&tokens, i)) =>
            {
                findings.push(at(format!(
                    "`{name}!`, which reads a file at compile time; an exercise is one file, \
                     and the grader's own files are not yours to read"
                )));
            }
            Token::Ident(name) if RESERVED.contains(&name.as_str()) => {
                findings.push(at(format!(
                    "the name `{name}`, which belongs to the grader (its checks and entry point)"
                )));
            }
            Token::Ident(name)
                if attribute_depth > 0 && SYMBOL_ATTRIBUTES.contains(&name.as_str()) =>
            {
                findings.push(at(format!(
                    "the attribute `{name}`, which exports a symbol that could replace the \
                     grading program's entry point or run before it"
                )));
            }
            _ => {}
        }
    }
    findings
}

/// `include` as a macro (`include!`) or a path segment (`std::include`), not a variable.
fn is_macro_or_path(tokens: &[(Token, usize, usize)], i: usize) -> bool {
    matches!(tokens.get(i + 1), Some((Token::Punct('!'), ..)))
        || i.checked_sub(1)
            .is_some_and(|j| tokens[j].0 == Token::Punct(':'))
}

fn is_attribute_open(tokens: &[(Token, usize, usize)], i: usize) -> bool {
    match i.checked_sub(1).map(|j| &tokens[j].0) {
        Some(Token::Punct('#')) => true,
        Some(Token::Punct('!')) => i >= 2 && tokens[i - 2].0 == Token::Punct('#'),
        _ => false,
    }
}

/// Identifiers and single punctuation characters with their 1-based line and column; comments,
/// string, byte-string, raw-string and character literals are skipped.
fn tokens(source: &str) -> Vec<(Token, usize, usize)> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line, mut column) = (0usize, 1usize, 1usize);
    let advance = |i: &mut usize, line: &mut usize, column: &mut usize, n: usize| {
        for _ in 0..n {
            if *i < chars.len() {
                if chars[*i] == '\n' {
                    *line += 1;
                    *column = 1;
                } else {
                    *column += 1;
                }
                *i += 1;
            }
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                advance(&mut i, &mut line, &mut column, 1);
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0usize;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    advance(&mut i, &mut line, &mut column, 2);
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    advance(&mut i, &mut line, &mut column, 2);
                    if depth == 0 {
                        break;
                    }
                } else {
                    advance(&mut i, &mut line, &mut column, 1);
                }
            }
        } else if let Some(hashes) = raw_string_start(&chars, i) {
            // r"...", r#"..."#, br#"..."#: ends at a quote followed by as many hashes.
            let open = chars[i..].iter().position(|&c| c == '"').unwrap_or(0) + 1;
            advance(&mut i, &mut line, &mut column, open);
            while i < chars.len() {
                if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                    advance(&mut i, &mut line, &mut column, 1 + hashes);
                    break;
                }
                advance(&mut i, &mut line, &mut column, 1);
            }
        } else if c == '"' || ((c == 'b' || c == 'c') && next == Some('"')) {
            advance(&mut i, &mut line, &mut column, if c == '"' { 1 } else { 2 });
            while i < chars.len() && chars[i] != '"' {
                let step = if chars[i] == '\\' { 2 } else { 1 };
                advance(&mut i, &mut line, &mut column, step);
            }
            advance(&mut i, &mut line, &mut column, 1);
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if next == Some('\\') {
                advance(&mut i, &mut line, &mut column, 2);
                while i < chars.len() && chars[i] != '\'' {
                    advance(&mut i, &mut line, &mut column, 1);
                }
                advance(&mut i, &mut line, &mut column, 1);
            } else if chars.get(i + 2) == Some(&'\'') {
                advance(&mut i, &mut line, &mut column, 3);
            } else {
                advance(&mut i, &mut line, &mut column, 1);
            }
        } else if c.is_alphabetic() || c == '_' {
            let (start_line, start_column) = (line, column);
            let mut name = String::new();
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                name.push(chars[i]);
                advance(&mut i, &mut line, &mut column, 1);
            }
            let name = name.strip_prefix("r#").unwrap_or(&name).to_string();
            tokens.push((Token::Ident(name), start_line, start_column));
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                advance(&mut i, &mut line, &mut column, 1);
            }
        } else {
            if !c.is_whitespace() {
                tokens.push((Token::Punct(c), line, column));
            }
            advance(&mut i, &mut line, &mut column, 1);
        }
    }
    tokens
}

/// The number of `#`s when a raw (byte or C) string literal starts at `i`.
fn raw_string_start(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if matches!(chars.get(j), Some('b' | 'c')) {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    // Not the tail of an identifier such as `bar"`.
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|&&c| c == '#').count();
    (chars.get(j + hashes) == Some(&'"')).then_some(hashes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whats(source: &str) -> Vec<String> {
        scan(source).into_iter().map(|f| f.what).collect()
    }

    #[test]
    fn the_three_forgeries_are_named_with_their_place() {
        let findings = scan("#![no_main]\nmod sysdesign_checks { pub fn main() {} }\n");
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert_eq!((findings[0].line, findings[0].column), (1, 1));
        assert!(findings[0].what.contains("`#![no_main]`"));
        assert_eq!((findings[1].line, findings[1].column), (2, 5));
        assert!(findings[1].what.contains("`sysdesign_checks`"));
        let exported = whats("#[unsafe(no_mangle)]\npub extern \"C\" fn main() {}\n");
        assert_eq!(exported.len(), 1, "{exported:?}");
        assert!(exported[0].contains("`no_mangle`"));
        assert_eq!(
            whats("#[unsafe(export_name = \"main\")] fn f() {}").len(),
            1
        );
    }

    #[test]
    fn reading_files_at_compile_time_is_named() {
        for source in [
            "const C: &str = include_str!(\"harness.rs\");",
            "const C: &[u8] = include_bytes!(\"/x\");",
            "include!(\"main.rs\");",
            "use std::include_str as read;",
            "use core::include;",
            "#[path = \"../harness.rs\"] mod h;",
            "#[cfg_attr(all(), path = \"h.rs\")] mod h;",
            "#[debugger_visualizer(gdb_script_file = \"h.rs\")] struct A;",
            "const X: &CStr = cr#\"a\\\"#; const Y: &str = include_str!(\"h\"); const Z: &str = \"\";",
        ] {
            assert_eq!(whats(source).len(), 1, "{source}: {:?}", whats(source));
        }
        assert!(whats("fn include(x: u32) -> bool { x > 0 }").is_empty());
    }

    #[test]
    fn comments_strings_and_ordinary_code_are_no_offence() {
        let source = "// #![no_main] and sysdesign_checks in a comment\n\
                      /* nested /* no_mangle */ sysdesign_harness */\n\
                      #![allow(dead_code)]\n\
                      const S: &str = \"#![no_main] sysdesign_checks\";\n\
                      const R: &str = r#\"no_mangle \"quoted\" sysdesign_checks\"#;\n\
                      fn f<'a>(x: &'a str) -> char { let no_mangle = 1; let _ = no_mangle; 'x' }\n\
                      #[derive(Debug)] struct A;\n";
        assert_eq!(whats(source), Vec::<String>::new());
    }
}
