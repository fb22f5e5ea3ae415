//! One lesson file: bytes in, a `Lesson` (or every problem with its location) out.
//!
//! Two passes over one parsed table. The checks here walk it key by key and report every
//! problem with its path:line:col, as many as the file has; they build nothing. When they
//! pass, the same table is read with serde into [`LessonFile`], the type
//! `sysdesign schema lesson` is generated from, and the model is built from that value
//! (`lesson_toml.rs`). The checks know where things are; the serde types know what the file
//! means; neither describes the other's job. Values the model needs that only a check can
//! vouch for (an estimate's formula, a simulation parameter) are derived again from the serde
//! value with the same functions, which is cheap next to parsing.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, SourceMap, did_you_mean};
use super::lesson_toml::LessonFile;
use super::model::Lesson;
use super::schema::{Fields, FileCtx, integer_value, number_value, string_content_start};
use crate::sim::{self, ParamValue};

/// A parsed lesson plus the spans that course-wide checks point at.
#[derive(Debug)]
pub struct ParsedLesson {
    pub lesson: Lesson,
    pub id_span: Range<usize>,
    pub chapter_span: Range<usize>,
    /// `(section index, span of the exercise id)`.
    pub exercise_spans: Vec<(usize, Range<usize>)>,
    /// Problems that do not stop the lesson from loading.
    pub warnings: Vec<Diagnostic>,
}

const TOP_KEYS: &[&str] = &[
    "id",
    "chapter",
    "title",
    "summary",
    "minutes",
    "objectives",
    "section",
    "quiz",
];
const SECTION_KEYS: &[&str] = &[
    "id",
    "title",
    "body",
    "quizzes",
    "visualization",
    "exercise",
    "challenge",
    "sql_console",
];
const VIZ_KEYS: &[&str] = &["kind", "seed", "params"];
const QUIZ_COMMON: &[&str] = &["id", "type", "prompt", "explanation", "hint"];
const QUIZ_TYPES: &[&str] = &["single", "multiple", "numeric", "ordering"];
/// The keys each quiz type takes besides the common ones, in `QUIZ_TYPES` order.
const TYPE_KEYS: [&[&str]; 4] = [
    &["choices", "answer"],
    &["choices", "answers"],
    &[
        "answer",
        "tolerance",
        "unit",
        "formula",
        "params",
        "bounds",
        "tolerance_percent",
    ],
    &["items"],
];
const MAX_CHOICES: usize = 9;

/// Closes a problem that the located checks should have found but only reading the file
/// into [`LessonFile`] did: a bug in the checks, reported rather than hidden or panicked on.
pub const CHECKS_MISSED_IT: &str =
    "`sysdesign check` should have caught this earlier; please report it as a bug";

/// Decode and parse. Returns the lesson only when the file has no problems at all.
pub fn parse(path: &str, bytes: &[u8]) -> Result<ParsedLesson, Vec<Diagnostic>> {
    let source = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let message = format!(
                "file is not UTF-8 text (invalid byte 0x{:02x}); save it as UTF-8",
                bytes[e.valid_up_to()]
            );
            let mut d = Diagnostic::at(
                path,
                &SourceMap::new(valid),
                valid.len()..valid.len(),
                message,
            );
            d.source_line = None;
            return Err(vec![d]);
        }
    };
    // Old Mac files end lines with a lone CR, which TOML does not accept; read them as
    // the line breaks they are. Byte for byte, so every span still points at the file.
    let unix;
    let source = if has_lone_cr(source) {
        unix = lone_cr_to_lf(source);
        unix.as_str()
    } else {
        source
    };
    if source.trim().is_empty() {
        return Err(vec![Diagnostic::whole_file(
            path,
            "file is empty; a lesson needs at least `id`, `chapter`, `title`, `summary`, `minutes`, `objectives` and one [[section]]".into(),
        )]);
    }
    let (doc, errors) = DeTable::parse_recoverable(source);
    let mut ctx = FileCtx::new(path, source);
    if !errors.is_empty() {
        for e in &errors {
            let span = e.span().unwrap_or(0..0);
            ctx.error(span, format!("invalid TOML: {}", e.message().trim()));
        }
        return Err(ctx.finish().0);
    }
    let spans = check_lesson(&mut ctx, &Fields::new(doc.get_ref(), 0..0, "the lesson"));
    let spans = match spans {
        Some(spans) if !ctx.has_errors() => spans,
        _ => {
            let (mut diags, _) = ctx.finish();
            if diags.is_empty() {
                diags.push(Diagnostic::whole_file(
                    path,
                    "the lesson could not be read".into(),
                ));
            }
            return Err(diags);
        }
    };
    // The checks passed: read the table they walked (no second parse) into the schema's type.
    let file = match LessonFile::deserialize(toml::de::Deserializer::from(doc)) {
        Ok(file) => file,
        Err(e) => {
            let message = format!("{}; {CHECKS_MISSED_IT}", e.message().trim());
            ctx.error(e.span().unwrap_or(0..0), message);
            return Err(ctx.finish().0);
        }
    };
    let lesson = file.into_lesson(path).map_err(|message| {
        vec![Diagnostic::whole_file(
            path,
            format!("{message}; {CHECKS_MISSED_IT}"),
        )]
    })?;
    let (_, warnings) = ctx.finish();
    Ok(ParsedLesson {
        lesson,
        id_span: spans.id,
        chapter_span: spans.chapter,
        exercise_spans: spans.exercises,
        warnings,
    })
}

/// Where the course-wide checks point: the lesson's id, its chapter and its exercise links.
struct LessonSpans {
    id: Range<usize>,
    chapter: Range<usize>,
    /// `(section index, span of the exercise id)`.
    exercises: Vec<(usize, Range<usize>)>,
}

fn has_lone_cr(source: &str) -> bool {
    let bytes = source.as_bytes();
    cr_positions(bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

fn cr_positions(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\r')
        .map(|(i, _)| i)
}

fn lone_cr_to_lf(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = bytes.to_vec();
    for i in cr_positions(bytes) {
        if bytes.get(i + 1) != Some(&b'\n') {
            out[i] = b'\n';
        }
    }
    // Only ASCII CR bytes changed to ASCII LF bytes: still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| source.to_string())
}

/// Every problem of the lesson, reported with its location; the spans when there are none.
fn check_lesson(ctx: &mut FileCtx, top: &Fields) -> Option<LessonSpans> {
    top.deny_unknown(ctx, TOP_KEYS);
    let id = top.string(ctx, "id", true);
    if let Some(id) = &id {
        check_id(ctx, id.span(), id.get_ref(), "lesson id");
    }
    let chapter = top.integer(ctx, "chapter", true, 1..=99);
    let title = top.string(ctx, "title", true);
    let summary = top.string(ctx, "summary", true);
    let minutes = top.integer(ctx, "minutes", true, 1..=600);
    let objectives = top.strings(ctx, "objectives", true);
    if let (Some(o), Some(v)) = (&objectives, top.get("objectives"))
        && o.is_empty()
    {
        ctx.error(
            v.span(),
            "`objectives` needs at least one learning objective",
        );
    }

    let quizzes = quizzes(ctx, top);
    // Quizzes that exist but failed validation: references to them are not a second problem.
    let declared: HashSet<String> = top
        .tables(&mut FileCtx::new(ctx.path, ctx.source), "quiz")
        .iter()
        .filter_map(|(t, _)| {
            t.get("id")
                .and_then(|v| v.get_ref().as_str().map(str::to_string))
        })
        .collect();
    let quiz_index: HashMap<&str, usize> = quizzes
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_str(), i))
        .collect();
    let mut quiz_used: Vec<Option<Range<usize>>> = vec![None; quizzes.len()];

    let section_tables = top.tables(ctx, "section");
    if section_tables.is_empty() && top.get("section").is_none() {
        ctx.error(0..0, "the lesson has no sections; add at least one [[section]] with `id`, `title` and `body`");
    }
    let mut exercise_spans = Vec::new();
    let mut section_ids: HashMap<String, Range<usize>> = HashMap::new();
    for (n, (table, span)) in section_tables.into_iter().enumerate() {
        let fields = Fields::new(table, span.clone(), format!("[[section]] #{}", n + 1));
        fields.deny_unknown(ctx, SECTION_KEYS);
        let sid = fields.string(ctx, "id", true);
        if let Some(sid) = &sid {
            check_id(ctx, sid.span(), sid.get_ref(), "section id");
            if let Some(first) = section_ids.insert(sid.get_ref().clone(), sid.span()) {
                let line = ctx.line_number(first.start);
                ctx.error(
                    sid.span(),
                    format!(
                        "duplicate section id `{}` (first used on line {line})",
                        sid.get_ref()
                    ),
                );
            }
        }
        fields.string(ctx, "title", true);
        if let Some(body) = fields.string(ctx, "body", true) {
            lint_markdown(ctx, body.span(), body.get_ref());
        }
        if let Some(refs) = fields.strings(ctx, "quizzes", false) {
            for r in refs {
                match quiz_index.get(r.get_ref().as_str()) {
                    Some(&qi) => {
                        if let Some(prev) = &quiz_used[qi] {
                            let line = ctx.line_number(prev.start);
                            ctx.error(r.span(), format!("quiz `{}` is already embedded on line {line}; embed each quiz once", r.get_ref()));
                        } else {
                            quiz_used[qi] = Some(r.span());
                        }
                    }
                    None if declared.contains(r.get_ref()) => {}
                    None => {
                        let hint = did_you_mean(r.get_ref(), quiz_index.keys().copied())
                            .map(|c| format!("; did you mean `{c}`?"))
                            .unwrap_or_else(|| {
                                "; define it with a [[quiz]] table in this file".into()
                            });
                        ctx.error(r.span(), format!("no quiz with id `{}`{hint}", r.get_ref()));
                    }
                }
            }
        }
        if let Some((table, span)) = fields.table(ctx, "visualization") {
            check_visualization(ctx, table, span);
        }
        if let Some(e) = fields.string(ctx, "exercise", false) {
            exercise_spans.push((n, e.span()));
        }
        // A design challenge; `check` verifies the id, since challenges load separately.
        fields.string(ctx, "challenge", false);
        let sql_console = fields.string(ctx, "sql_console", false);
        if let Some(dataset) = &sql_console
            && crate::sql::datasets::find(dataset.get_ref()).is_none()
        {
            let names = crate::sql::datasets::names();
            let hint = did_you_mean(dataset.get_ref(), names.iter().copied())
                .map(|c| format!("did you mean `{c}`? "))
                .unwrap_or_default();
            ctx.error(
                dataset.span(),
                format!(
                    "no dataset `{}` for the SQL console; {hint}the datasets are {}",
                    dataset.get_ref(),
                    names.join(", ")
                ),
            );
        }
    }
    for ((quiz_id, span), used) in quizzes.iter().zip(&quiz_used) {
        if used.is_none() {
            ctx.error(
                span.clone(),
                format!(
                    "quiz `{quiz_id}` is not embedded in any section; list it in a section's `quizzes`"
                ),
            );
        }
    }

    // A required key that was not read is an error above (or its misspelling is).
    if title.is_none() || summary.is_none() || minutes.is_none() || objectives.is_none() {
        return None;
    }
    Some(LessonSpans {
        id: id?.span(),
        chapter: chapter?.span(),
        exercises: exercise_spans,
    })
}

fn check_id(ctx: &mut FileCtx, span: Range<usize>, id: &str, what: &str) {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-');
    if !ok {
        ctx.error(
            span,
            format!("{what} `{id}` may hold only lowercase letters, digits and '-'"),
        );
    }
}

fn lint_markdown(ctx: &mut FileCtx, span: Range<usize>, text: &str) {
    let start = string_content_start(ctx.source, &span);
    for problem in crate::markdown::lint(text) {
        // Control characters were already reported as a warning for the whole string.
        if text[problem.offset.min(text.len())..]
            .starts_with(|c: char| c.is_control() || c == '\u{7f}')
        {
            continue;
        }
        let at = (start + problem.offset).min(span.end.saturating_sub(1).max(span.start));
        if problem.warning {
            ctx.warn(at..at + 1, problem.message);
        } else {
            ctx.error(at..at + 1, problem.message);
        }
    }
}

fn check_visualization(ctx: &mut FileCtx, table: &DeTable, span: Range<usize>) {
    let fields = Fields::new(table, span, "`visualization`");
    fields.deny_unknown(ctx, VIZ_KEYS);
    let Some(kind) = fields.string(ctx, "kind", true) else {
        return;
    };
    fields.integer(ctx, "seed", false, 0..=i64::MAX);
    let Some(spec) = sim::find(kind.get_ref()) else {
        let names: Vec<&str> = sim::kinds().iter().map(|k| k.name).collect();
        let hint = match did_you_mean(kind.get_ref(), names.iter().copied()) {
            Some(c) => format!("; did you mean `{c}`?"),
            None => format!("; known kinds: {}", names.join(", ")),
        };
        ctx.error(
            kind.span(),
            format!("unknown visualization kind `{}`{hint}", kind.get_ref()),
        );
        return;
    };
    if let Some((ptable, _)) = fields.table(ctx, "params") {
        for (key, value) in ptable.iter() {
            let name: &str = key.get_ref();
            let Some(pspec) = spec.params.iter().find(|p| p.key == name) else {
                let keys: Vec<&str> = spec.params.iter().map(|p| p.key).collect();
                let hint = match did_you_mean(name, keys.iter().copied()) {
                    Some(c) => format!("; did you mean `{c}`?"),
                    None => format!("; `{}` takes: {}", spec.name, keys.join(", ")),
                };
                ctx.error(key.span(), format!("unknown parameter `{name}`{hint}"));
                continue;
            };
            let typed = match value.get_ref() {
                DeValue::String(s) => Some(ParamValue::Choice(s.to_string())),
                DeValue::Boolean(b) => Some(ParamValue::Bool(*b)),
                DeValue::Integer(_) => integer_value(value.get_ref()).map(ParamValue::Int),
                DeValue::Float(_) => number_value(value.get_ref()).map(ParamValue::Float),
                _ => None,
            };
            match typed.map(|t| pspec.check(&t)) {
                Some(Ok(_)) => {}
                Some(Err(e)) => ctx.error(value.span(), e.to_string()),
                None => ctx.error(value.span(), format!("`{name}` must be {}", pspec.kind)),
            }
        }
    }
}

/// Checks every `[[quiz]]`; returns the id and span of each that has no problem.
fn quizzes(ctx: &mut FileCtx, top: &Fields) -> Vec<(String, Range<usize>)> {
    let mut out: Vec<(String, Range<usize>)> = Vec::new();
    // Ids in `out`; a set, so a file of 40,000 quizzes is not 800 million comparisons.
    let mut ids: HashSet<String> = HashSet::new();
    for (n, (table, span)) in top.tables(ctx, "quiz").into_iter().enumerate() {
        let mut fields = Fields::new(table, span.clone(), format!("[[quiz]] #{}", n + 1));
        let id = fields.string(ctx, "id", true);
        if let Some(id) = &id {
            check_id(ctx, id.span(), id.get_ref(), "quiz id");
            fields.what = format!("[[quiz]] `{}`", id.get_ref());
            if ids.contains(id.get_ref()) {
                ctx.error(id.span(), format!("duplicate quiz id `{}`", id.get_ref()));
            }
        }
        let kind_name = fields.string(ctx, "type", true);
        let named = kind_name.as_ref().map(|k| k.get_ref().as_str());
        let known = named.and_then(|n| QUIZ_TYPES.iter().position(|t| *t == n));
        let type_keys: &[&str] = match (named, known) {
            (_, Some(i)) => TYPE_KEYS[i],
            (Some(other), None) => {
                let span = kind_name.as_ref().map(|k| k.span()).unwrap_or(span.clone());
                let hint = did_you_mean(other, QUIZ_TYPES.iter().copied())
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                ctx.error(
                    span,
                    format!(
                        "unknown quiz type `{other}`; expected one of: {}{hint}",
                        QUIZ_TYPES.join(", ")
                    ),
                );
                &[]
            }
            (None, None) => &[],
        };
        let allowed: Vec<&str> = QUIZ_COMMON.iter().chain(type_keys).copied().collect();
        if kind_name.is_some() && !type_keys.is_empty() {
            fields.deny_unknown(ctx, &allowed);
        } else if fields.get("type").is_none() {
            // Without `type`, the check above stayed quiet about a key that looks like it
            // (`typ` is taken to be reported as unknown): report every key no quiz takes.
            let any_quiz: Vec<&str> = QUIZ_COMMON
                .iter()
                .chain(TYPE_KEYS.iter().flat_map(|k| k.iter()))
                .copied()
                .collect();
            fields.deny_unknown(ctx, &any_quiz);
        }
        let prompt = fields.string(ctx, "prompt", true);
        let explanation = fields.string(ctx, "explanation", true);
        let hint = fields.string(ctx, "hint", false);
        if let Some(h) = &hint
            && h.get_ref().trim().is_empty()
        {
            ctx.error(
                h.span(),
                "`hint` must not be empty; leave the key out instead",
            );
        }
        for text in [&prompt, &explanation, &hint].into_iter().flatten() {
            lint_markdown(ctx, text.span(), text.get_ref());
        }
        let numeric = kind_name.as_ref().is_some_and(|k| k.get_ref() == "numeric");
        let valid_kind = if numeric && fields.get("formula").is_some() {
            super::estimate_file::check_estimate(ctx, &fields)
        } else {
            kind_name
                .as_ref()
                .and_then(|k| check_quiz_kind(ctx, &fields, k.get_ref()))
                .is_some()
        };
        if let (Some(id), Some(_), Some(_), true) = (id, prompt, explanation, valid_kind) {
            ids.insert(id.get_ref().clone());
            out.push((id.into_inner(), span));
        }
    }
    out
}

/// The keys of one quiz type; `None` once a problem was reported.
fn check_quiz_kind(ctx: &mut FileCtx, fields: &Fields, kind: &str) -> Option<()> {
    match kind {
        "single" => choices(ctx, fields).and_then(|count| {
            fields.integer(ctx, "answer", true, 1..=count as i64)?;
            Some(())
        }),
        "multiple" => choices(ctx, fields).and_then(|count| {
            let answers = fields.integers(ctx, "answers", true)?;
            let mut picked = Vec::new();
            for a in &answers {
                let n = *a.get_ref();
                if n < 1 || n as usize > count {
                    ctx.error(
                        a.span(),
                        format!("answer {n} is out of range; there are {count} choices (1-based)"),
                    );
                } else if picked.contains(&n) {
                    ctx.error(a.span(), format!("answer {n} is listed twice"));
                } else {
                    picked.push(n);
                }
            }
            if answers.is_empty() {
                ctx.error(
                    fields.get("answers")?.span(),
                    "`answers` needs at least one right choice",
                );
            }
            Some(())
        }),
        "numeric" => {
            let answer = fields.number(ctx, "answer", true);
            let tolerance = fields.number(ctx, "tolerance", true);
            if let Some(t) = &tolerance
                && *t.get_ref() < 0.0
            {
                ctx.error(t.span(), "`tolerance` must be zero or more");
            }
            fields.string(ctx, "unit", false);
            // A randomized estimate's keys without its `formula` would be ignored; say so
            // rather than load a quiz that is not what its author wrote.
            let mut estimate_keys = true;
            for key in ["params", "bounds", "tolerance_percent"] {
                if let Some(v) = fields.get(key) {
                    ctx.error(
                        v.span(),
                        format!(
                            "`{key}` goes with `formula` (a randomized estimate); add the \
                             `formula` or remove `{key}`"
                        ),
                    );
                    estimate_keys = false;
                }
            }
            (answer.is_some() && tolerance.is_some() && estimate_keys).then_some(())
        }
        "ordering" => {
            let items = fields.strings(ctx, "items", true)?;
            if !(2..=MAX_CHOICES).contains(&items.len()) {
                ctx.error(
                    fields.get("items")?.span(),
                    format!(
                        "`items` needs 2 to {MAX_CHOICES} entries, not {}",
                        items.len()
                    ),
                );
            }
            Some(())
        }
        _ => None,
    }
}

/// How many choices the quiz offers; `None` once a problem was reported.
fn choices(ctx: &mut FileCtx, fields: &Fields) -> Option<usize> {
    let choices = fields.strings(ctx, "choices", true)?;
    if !(2..=MAX_CHOICES).contains(&choices.len()) {
        ctx.error(
            fields.get("choices")?.span(),
            format!(
                "`choices` needs 2 to {MAX_CHOICES} entries, not {}",
                choices.len()
            ),
        );
        return None;
    }
    Some(choices.len())
}
