//! Reading spanned TOML tables field by field, collecting every problem with its location.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{self, Diagnostic, MAX_PER_FILE, Severity, SourceMap, did_you_mean};

/// One file's source and the problems found in it so far (at most `MAX_PER_FILE` of each
/// kind are built; the rest are only counted).
pub struct FileCtx<'s> {
    pub path: &'s str,
    pub source: &'s str,
    pub map: SourceMap<'s>,
    pub diagnostics: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    omitted_errors: usize,
    omitted_warnings: usize,
}

impl<'s> FileCtx<'s> {
    pub fn new(path: &'s str, source: &'s str) -> Self {
        FileCtx {
            path,
            source,
            map: SourceMap::new(source),
            diagnostics: Vec::new(),
            warnings: Vec::new(),
            omitted_errors: 0,
            omitted_warnings: 0,
        }
    }

    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.error_with(span, || message.into());
    }

    /// `error`, building the message only if it will be shown: a file with 80,000 bad
    /// keys must not cost 80,000 "did you mean" searches.
    pub fn error_with(&mut self, span: Range<usize>, message: impl FnOnce() -> String) {
        if self.diagnostics.len() >= MAX_PER_FILE {
            self.omitted_errors += 1;
            return;
        }
        let d = Diagnostic::at(self.path, &self.map, span, message());
        self.diagnostics.push(d);
    }

    pub fn has_errors(&self) -> bool {
        !self.diagnostics.is_empty()
    }

    /// Every error reported so far, shown or only counted.
    fn error_count(&self) -> usize {
        self.diagnostics.len() + self.omitted_errors
    }

    pub fn warn(&mut self, span: Range<usize>, message: impl Into<String>) {
        if self.warnings.len() >= MAX_PER_FILE {
            self.omitted_warnings += 1;
            return;
        }
        let mut d = Diagnostic::at(self.path, &self.map, span, message.into());
        d.severity = Severity::Warning;
        self.warnings.push(d);
    }

    /// 1-based line number of byte `offset`, for messages like "first used on line 12".
    pub fn line_number(&self, offset: usize) -> usize {
        self.map.line_number(offset)
    }

    /// The errors and warnings found, in source order, each list closed by an
    /// "and N more" line when problems were left out.
    pub fn finish(self) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let close = |mut list: Vec<Diagnostic>, omitted: usize, severity: Severity| {
            list.sort_by_key(|d| (d.line, d.col));
            if omitted > 0 {
                list.push(diagnostic::omitted(self.path, severity, omitted));
            }
            list
        };
        let errors = close(self.diagnostics, self.omitted_errors, Severity::Error);
        let warnings = close(self.warnings, self.omitted_warnings, Severity::Warning);
        (errors, warnings)
    }

    /// Control characters and escape sequences are neutralised on screen, so they do not
    /// stop a lesson from loading; the author is warned to remove them.
    pub fn warn_control_characters(&mut self, span: Range<usize>, text: &str) {
        if let std::borrow::Cow::Owned(_) = crate::markdown::sanitize(text) {
            let start = string_content_start(self.source, &span);
            let offset = text
                .find(|c: char| {
                    crate::markdown::sanitize(c.encode_utf8(&mut [0; 4])) != c.to_string()
                })
                .unwrap_or(0);
            let at = (start + offset).min(span.end.saturating_sub(1).max(span.start));
            self.warn(
                at..at + 1,
                "control character or escape sequence; it is neutralised when shown, but remove it",
            );
        }
    }
}

/// A table under validation: `what` names it in messages, e.g. "[[quiz]] `nines`".
pub struct Fields<'t, 'i> {
    pub table: &'t DeTable<'i>,
    /// Where to point when a required key is missing (the table header, or the file start).
    pub span: Range<usize>,
    pub what: String,
}

impl<'t, 'i> Fields<'t, 'i> {
    pub fn new(table: &'t DeTable<'i>, span: Range<usize>, what: impl Into<String>) -> Self {
        Fields {
            table,
            span,
            what: what.into(),
        }
    }

    /// Every key must be one of `allowed`.
    pub fn deny_unknown(&self, ctx: &mut FileCtx, allowed: &[&str]) {
        for (key, _) in self.table.iter() {
            let name: &str = key.get_ref();
            if allowed.contains(&name) {
                continue;
            }
            ctx.error_with(key.span(), || {
                let hint = match did_you_mean(name, allowed.iter().copied()) {
                    Some(close) => format!("; did you mean `{close}`?"),
                    None => format!("; expected one of: {}", allowed.join(", ")),
                };
                format!("unknown key `{name}` in {}{hint}", self.what)
            });
        }
    }

    pub fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.table.get(key)
    }

    fn missing(&self, ctx: &mut FileCtx, key: &str, kind: &str) {
        // A misspelt key was already reported with this key as its suggestion.
        let misspelt = self
            .table
            .iter()
            .any(|(k, _)| did_you_mean(k.get_ref(), [key]).is_some());
        if misspelt {
            return;
        }
        ctx.error(
            self.span.clone(),
            format!("{} is missing required key `{key}` ({kind})", self.what),
        );
    }

    pub fn string(&self, ctx: &mut FileCtx, key: &str, required: bool) -> Option<Spanned<String>> {
        match self.get(key) {
            None if required => {
                self.missing(ctx, key, "a string");
                None
            }
            None => None,
            Some(v) => match v.get_ref() {
                DeValue::String(s) => {
                    ctx.warn_control_characters(v.span(), s);
                    if required && s.trim().is_empty() {
                        ctx.error(v.span(), format!("`{key}` must not be empty"));
                    }
                    Some(Spanned::new(v.span(), s.to_string()))
                }
                other => {
                    ctx.error(
                        v.span(),
                        format!("`{key}` must be a string, not {}", other.type_str()),
                    );
                    None
                }
            },
        }
    }

    pub fn integer(
        &self,
        ctx: &mut FileCtx,
        key: &str,
        required: bool,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<Spanned<i64>> {
        let v = match self.get(key) {
            None => {
                if required {
                    self.missing(ctx, key, "an integer");
                }
                return None;
            }
            Some(v) => v,
        };
        let out_of_range = |ctx: &mut FileCtx, shown: &dyn std::fmt::Display| {
            ctx.error(
                v.span(),
                format!(
                    "`{key}` is {shown}; it must be from {} to {}",
                    range.start(),
                    range.end()
                ),
            );
        };
        let n = match v.get_ref() {
            DeValue::Integer(i) => match integer_value(v.get_ref()) {
                Some(n) => n,
                // Beyond 64 bits, so beyond any range a file here allows.
                None => {
                    out_of_range(ctx, i);
                    return None;
                }
            },
            other => {
                ctx.error(
                    v.span(),
                    format!("`{key}` must be an integer, not {}", other.type_str()),
                );
                return None;
            }
        };
        if !range.contains(&n) {
            out_of_range(ctx, &n);
            return None;
        }
        Some(Spanned::new(v.span(), n))
    }

    pub fn number(&self, ctx: &mut FileCtx, key: &str, required: bool) -> Option<Spanned<f64>> {
        let v = match self.get(key) {
            None => {
                if required {
                    self.missing(ctx, key, "a number");
                }
                return None;
            }
            Some(v) => v,
        };
        match number_value(v.get_ref()) {
            Some(x) if x.is_finite() => Some(Spanned::new(v.span(), x)),
            Some(_) => {
                ctx.error(v.span(), format!("`{key}` must be a finite number"));
                None
            }
            None => {
                ctx.error(
                    v.span(),
                    format!("`{key}` must be a number, not {}", v.get_ref().type_str()),
                );
                None
            }
        }
    }

    /// An array of strings; each element keeps its span.
    pub fn strings(
        &self,
        ctx: &mut FileCtx,
        key: &str,
        required: bool,
    ) -> Option<Vec<Spanned<String>>> {
        self.array(ctx, key, required, "strings", |ctx, item| {
            match item.get_ref() {
                DeValue::String(s) => {
                    ctx.warn_control_characters(item.span(), s);
                    Some(s.to_string())
                }
                _ => None,
            }
        })
    }

    /// An array of integers; each element keeps its span.
    pub fn integers(
        &self,
        ctx: &mut FileCtx,
        key: &str,
        required: bool,
    ) -> Option<Vec<Spanned<i64>>> {
        self.array(ctx, key, required, "integers", |ctx, item| {
            let n = integer_value(item.get_ref());
            if let (None, DeValue::Integer(i)) = (n, item.get_ref()) {
                // An integer, but beyond 64 bits: say that, not "must be integers".
                ctx.error(
                    item.span(),
                    format!(
                        "{i} in `{key}` is out of range; it must be from {} to {}",
                        i64::MIN,
                        i64::MAX
                    ),
                );
            }
            n
        })
    }

    /// An array whose items `convert` accepts; `what` names them in messages ("strings").
    fn array<T>(
        &self,
        ctx: &mut FileCtx,
        key: &str,
        required: bool,
        what: &str,
        convert: impl Fn(&mut FileCtx, &Spanned<DeValue>) -> Option<T>,
    ) -> Option<Vec<Spanned<T>>> {
        let Some(v) = self.get(key) else {
            if required {
                self.missing(ctx, key, &format!("an array of {what}"));
            }
            return None;
        };
        let DeValue::Array(items) = v.get_ref() else {
            let found = v.get_ref().type_str();
            ctx.error(
                v.span(),
                format!("`{key}` must be an array of {what}, not {found}"),
            );
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            let reported = ctx.error_count();
            match convert(ctx, item) {
                Some(value) => out.push(Spanned::new(item.span(), value)),
                // `convert` said what is wrong with it.
                None if ctx.error_count() > reported => {}
                None => {
                    let found = item.get_ref().type_str();
                    ctx.error(
                        item.span(),
                        format!("items of `{key}` must be {what}, not {found}"),
                    );
                }
            }
        }
        Some(out)
    }

    /// A sub-table (inline or not).
    pub fn table(&self, ctx: &mut FileCtx, key: &str) -> Option<(&'t DeTable<'i>, Range<usize>)> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some((t, v.span())),
            other => {
                ctx.error(
                    v.span(),
                    format!("`{key}` must be a table, not {}", other.type_str()),
                );
                None
            }
        }
    }

    /// An array of tables, `[[key]]`.
    pub fn tables(&self, ctx: &mut FileCtx, key: &str) -> Vec<(&'t DeTable<'i>, Range<usize>)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            ctx.error(
                v.span(),
                format!(
                    "`{key}` must be an array of tables (`[[{key}]]`), not {}",
                    v.get_ref().type_str()
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, item.span())),
                other => ctx.error(
                    item.span(),
                    format!("items of `{key}` must be tables, not {}", other.type_str()),
                ),
            }
        }
        out
    }
}

pub fn integer_value(v: &DeValue) -> Option<i64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
        _ => None,
    }
}

pub fn number_value(v: &DeValue) -> Option<f64> {
    match v {
        // An integer beyond 64 bits is still a number (a large one): read it as a float, so
        // the caller's range check says how large it may be.
        DeValue::Integer(i) => integer_value(v).map(|n| n as f64).or_else(|| {
            i128::from_str_radix(i.as_str(), i.radix())
                .map(|n| n as f64)
                .or_else(|_| i.as_str().parse::<f64>())
                .ok()
        }),
        DeValue::Float(f) => f.as_str().replace('_', "").parse().ok(),
        _ => None,
    }
}

/// Where the text of the string value at `span` starts in `source`, so a problem found inside
/// a Markdown body can point at its own line. Exact for strings without escapes.
pub fn string_content_start(source: &str, span: &Range<usize>) -> usize {
    let raw = source.get(span.clone()).unwrap_or("");
    let mut start = span.start;
    let delimiter = ["'''", "\"\"\"", "'", "\""]
        .into_iter()
        .find(|d| raw.starts_with(d));
    if let Some(d) = delimiter {
        start += d.len();
        if d.len() == 3 {
            // TOML trims a newline right after a multi-line string's opening delimiter.
            let rest = &source[start.min(source.len())..];
            if rest.starts_with("\r\n") {
                start += 2;
            } else if rest.starts_with('\n') {
                start += 1;
            }
        }
    }
    start
}
