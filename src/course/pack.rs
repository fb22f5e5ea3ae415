//! `course.toml`: what a course pack says about itself (id, title, author, version, licence,
//! and the oldest sysdesign that can open it). The id keeps each course's progress apart.

use std::borrow::Cow;
use std::ops::Range;

use toml::de::DeTable;

use super::diagnostic::{Diagnostic, Severity};
use super::schema::{Fields, FileCtx};
use super::source::CourseSource;

/// The built-in course's own `course.toml`, embedded like its lessons.
static EMBEDDED_COURSE_TOML: &[u8] = include_bytes!("../../course.toml");

/// The file name at the root of a course directory.
pub const FILE_NAME: &str = "course.toml";

/// Every key `course.toml` accepts; all are required.
pub const KEYS: &[&str] = &[
    "id",
    "title",
    "author",
    "version",
    "licence",
    "min_sysdesign",
];

// `sysdesign schema course` is generated from this type: its doc comments become the
// schema's descriptions. The loader checks course.toml key by key (to say where each problem
// is) and then builds this from what it read.
/// `course.toml` at the root of a course directory: what the course pack is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sysdesign course")]
pub struct CoursePack {
    /// Lowercase letters, digits and '-' (at most 64). Progress is kept per id: change it
    /// and students start afresh.
    #[schemars(regex(pattern = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"), length(max = 64))]
    pub id: String,
    /// Shown in the app's header and by `sysdesign list`.
    #[schemars(regex(pattern = "\\S"))]
    pub title: String,
    #[schemars(regex(pattern = "\\S"))]
    pub author: String,
    /// The course's own version, e.g. "1.0.0" (semver).
    #[schemars(regex(pattern = SEMVER))]
    pub version: String,
    /// The licence of the course's text and code, e.g. "CC-BY-4.0" (an SPDX identifier).
    #[schemars(regex(pattern = "\\S"))]
    pub licence: String,
    /// The oldest sysdesign that can open the course, e.g. "0.1.0"; older ones refuse it.
    #[schemars(regex(pattern = SEMVER))]
    pub min_sysdesign: String,
}

/// `MAJOR.MINOR.PATCH`, with an optional pre-release or build suffix (semver).
const SEMVER: &str =
    "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$";

/// The pack as loaded: its description, and any problems with `course.toml`.
#[derive(Debug, Clone)]
pub struct LoadedPack {
    /// What `course.toml` says; for a directory without one (or a broken one), a
    /// description derived from the directory's name.
    pub pack: CoursePack,
    /// Problems that stop the course from opening (including "needs a newer sysdesign").
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// The version of this program, which `min_sysdesign` is compared with.
pub fn running_version() -> semver::Version {
    semver::Version::parse(env!("CARGO_PKG_VERSION")).expect("Cargo versions are semver")
}

/// Read and validate the course's `course.toml`.
pub fn load(source: &CourseSource) -> LoadedPack {
    load_for(source, &running_version())
}

/// As [`load`], against sysdesign version `running` (tests pass their own).
pub fn load_for(source: &CourseSource, running: &semver::Version) -> LoadedPack {
    let (path, bytes): (String, Cow<'static, [u8]>) = match source {
        CourseSource::Embedded => (FILE_NAME.to_string(), Cow::Borrowed(EMBEDDED_COURSE_TOML)),
        CourseSource::Dir(dir) => {
            let file = dir.join(FILE_NAME);
            let shown = file.display().to_string();
            match std::fs::read(&file) {
                Ok(bytes) => (shown, Cow::Owned(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let pack = fallback(source);
                    let mut warning = Diagnostic::whole_file(
                        &shown,
                        format!(
                            "no course.toml; the course is called `{}` after its directory, and \
                             its progress is kept under that name. Add a course.toml (see \
                             `sysdesign schema course`) to give it an id, title, author, version \
                             and licence",
                            pack.id
                        ),
                    );
                    warning.severity = Severity::Warning;
                    return LoadedPack {
                        pack,
                        errors: Vec::new(),
                        warnings: vec![warning],
                    };
                }
                Err(e) => {
                    return LoadedPack {
                        pack: fallback(source),
                        errors: vec![Diagnostic::whole_file(
                            &shown,
                            format!("cannot read course.toml: {e}"),
                        )],
                        warnings: Vec::new(),
                    };
                }
            }
        }
    };
    match parse(&path, &bytes, running) {
        Ok((pack, warnings)) => LoadedPack {
            pack,
            errors: Vec::new(),
            warnings,
        },
        Err(errors) => LoadedPack {
            pack: fallback(source),
            errors,
            warnings: Vec::new(),
        },
    }
}

/// Parse one `course.toml`. Every problem comes back with its line and column.
pub fn parse(
    path: &str,
    bytes: &[u8],
    running: &semver::Version,
) -> Result<(CoursePack, Vec<Diagnostic>), Vec<Diagnostic>> {
    let source = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            return Err(vec![Diagnostic::whole_file(
                path,
                format!(
                    "file is not UTF-8 text (invalid byte 0x{:02x}); save it as UTF-8",
                    bytes[e.valid_up_to()]
                ),
            )]);
        }
    };
    let (doc, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| {
                let span = e.span().unwrap_or(0..0);
                let message = format!("invalid TOML: {}", e.message().trim());
                Diagnostic::at(path, &crate::course::SourceMap::new(source), span, message)
            })
            .collect());
    }
    let mut ctx = FileCtx::new(path, source);
    let top = Fields::new(doc.get_ref(), 0..0, "course.toml");
    top.deny_unknown(&mut ctx, KEYS);
    let id = top.string(&mut ctx, "id", true);
    if let Some(id) = &id {
        check_id(&mut ctx, id.span(), id.get_ref());
    }
    let title = top.string(&mut ctx, "title", true);
    let author = top.string(&mut ctx, "author", true);
    let version = top.string(&mut ctx, "version", true);
    if let Some(v) = &version
        && let Err(e) = semver::Version::parse(v.get_ref())
    {
        ctx.error(
            v.span(),
            format!("`version` must be a semantic version such as \"1.0.0\" ({e})"),
        );
    }
    let licence = top.string(&mut ctx, "licence", true);
    let min = top.string(&mut ctx, "min_sysdesign", true);
    if let Some(m) = &min {
        check_min_version(&mut ctx, m.span(), m.get_ref(), running);
    }
    let all = (id, title, author, version, licence, min);
    match all {
        (Some(id), Some(title), Some(author), Some(version), Some(licence), Some(min))
            if ctx.diagnostics.is_empty() =>
        {
            Ok((
                CoursePack {
                    id: id.into_inner(),
                    title: title.into_inner(),
                    author: author.into_inner(),
                    version: version.into_inner(),
                    licence: licence.into_inner(),
                    min_sysdesign: min.into_inner(),
                },
                ctx.warnings,
            ))
        }
        _ => {
            let mut diags = ctx.diagnostics;
            diags.sort_by_key(|d| (d.line, d.col));
            if diags.is_empty() {
                diags.push(Diagnostic::whole_file(
                    path,
                    "course.toml could not be read".into(),
                ));
            }
            Err(diags)
        }
    }
}

fn check_id(ctx: &mut FileCtx, span: Range<usize>, id: &str) {
    let ok = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id.len() <= 64;
    if !ok {
        ctx.error(
            span,
            format!(
                "course id `{id}` may hold only lowercase letters, digits and '-' (at most 64); \
                 it names the folder the course's progress is kept in"
            ),
        );
    }
}

fn check_min_version(ctx: &mut FileCtx, span: Range<usize>, text: &str, running: &semver::Version) {
    match semver::Version::parse(text) {
        Err(e) => ctx.error(
            span,
            format!("`min_sysdesign` must be a version such as \"0.1.0\" ({e})"),
        ),
        Ok(needed) if needed > *running => ctx.error(
            span,
            format!(
                "this course needs sysdesign {needed} or newer, and this is sysdesign {running}; \
                 install a newer sysdesign to open it"
            ),
        ),
        Ok(_) => {}
    }
}

/// What a directory without a usable `course.toml` is called: its own name.
fn fallback(source: &CourseSource) -> CoursePack {
    let (id, title) = match source {
        CourseSource::Embedded => ("sysdesign".to_string(), "sysdesign".to_string()),
        CourseSource::Dir(dir) => {
            let name = std::fs::canonicalize(dir)
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "course".to_string());
            (slug(&name), name)
        }
    };
    CoursePack {
        id,
        title,
        author: String::new(),
        version: String::new(),
        licence: String::new(),
        min_sysdesign: String::new(),
    }
}

/// `My Course (v2)` -> `my-course-v2`: a course id made from a directory name.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed: String = out.trim_end_matches('-').chars().take(64).collect();
    let trimmed = trimmed.trim_end_matches('-').to_string();
    if trimmed.is_empty() {
        "course".to_string()
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "id = \"my-pack\"\ntitle = \"My Pack\"\nauthor = \"A. Author\"\n\
version = \"1.2.0\"\nlicence = \"CC-BY-4.0\"\nmin_sysdesign = \"0.1.0\"\n";

    fn v(s: &str) -> semver::Version {
        semver::Version::parse(s).unwrap()
    }

    #[test]
    fn reads_every_key() {
        let (pack, warnings) = parse("course.toml", GOOD.as_bytes(), &v("0.1.0")).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(pack.id, "my-pack");
        assert_eq!(pack.title, "My Pack");
        assert_eq!(pack.author, "A. Author");
        assert_eq!(pack.version, "1.2.0");
        assert_eq!(pack.licence, "CC-BY-4.0");
        assert_eq!(pack.min_sysdesign, "0.1.0");
    }

    #[test]
    fn refuses_a_pack_that_needs_a_newer_sysdesign() {
        let text = GOOD.replace("min_sysdesign = \"0.1.0\"", "min_sysdesign = \"0.3.0\"");
        let errors = parse("course.toml", text.as_bytes(), &v("0.2.9")).unwrap_err();
        assert_eq!(errors.len(), 1);
        let rendered = errors[0].render();
        assert!(rendered.starts_with("course.toml:6:17: error: this course needs sysdesign 0.3.0 or newer, and this is sysdesign 0.2.9"), "{rendered}");
        assert!(
            rendered.ends_with("6 | min_sysdesign = \"0.3.0\"\n  |                 ^^^^^^^"),
            "{rendered}"
        );
        assert!(parse("course.toml", text.as_bytes(), &v("0.3.0")).is_ok());
    }

    #[test]
    fn unknown_and_missing_keys_point_at_their_place() {
        let text = GOOD
            .replace("licence", "license")
            .replace("author = \"A. Author\"\n", "");
        let errors = parse("course.toml", text.as_bytes(), &v("0.1.0")).unwrap_err();
        let messages: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert!(
            messages.contains(
                &"course.toml:4:1: error: unknown key `license` in course.toml; did you mean `licence`?"
                    .to_string()
            ),
            "{messages:?}"
        );
        assert!(
            messages.contains(
                &"course.toml:1:1: error: course.toml is missing required key `author` (a string)"
                    .to_string()
            ),
            "{messages:?}"
        );
    }

    #[test]
    fn bad_ids_and_versions_are_errors() {
        let text = GOOD
            .replace("my-pack", "My Pack")
            .replace("\"1.2.0\"", "\"one\"");
        let errors = parse("course.toml", text.as_bytes(), &v("0.1.0")).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0]
                .message
                .starts_with("course id `My Pack` may hold only")
        );
        assert!(
            errors[1]
                .message
                .starts_with("`version` must be a semantic version")
        );
    }

    #[test]
    fn the_built_in_course_has_a_valid_course_toml() {
        let loaded = load(&CourseSource::Embedded);
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        assert_eq!(loaded.pack.id, "sysdesign");
        assert_eq!(loaded.pack.title, "Backend Architecture & Systems Design");
    }

    #[test]
    fn a_directory_without_course_toml_is_named_after_itself_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let course = dir.path().join("My Course (v2)");
        std::fs::create_dir(&course).unwrap();
        let loaded = load(&CourseSource::Dir(course));
        assert!(loaded.errors.is_empty());
        assert_eq!(loaded.pack.id, "my-course-v2");
        assert_eq!(loaded.pack.title, "My Course (v2)");
        assert_eq!(loaded.warnings.len(), 1);
        assert!(loaded.warnings[0].message.starts_with("no course.toml"));
    }

    #[test]
    fn slugs_are_valid_ids() {
        assert_eq!(slug("--Hello, World--"), "hello-world");
        assert_eq!(slug("日本"), "course");
        assert_eq!(slug(&"a".repeat(100)).len(), 64);
    }
}
