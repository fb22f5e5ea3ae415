//! Where the course comes from: embedded in the binary at build time, or a directory on disk.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

static EMBEDDED_LESSONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/lessons");

/// One file of the course, with the path its author knows it by.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Cow<'static, [u8]>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourseSource {
    Embedded,
    Dir(PathBuf),
}

impl CourseSource {
    /// Every `lessons/*.toml`, in file-name order.
    pub fn lesson_files(&self) -> Result<Vec<SourceFile>, String> {
        let mut files = match self {
            CourseSource::Embedded => EMBEDDED_LESSONS
                .files()
                .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
                .map(|f| SourceFile {
                    path: format!("lessons/{}", f.path().display()),
                    bytes: Cow::Borrowed(f.contents()),
                })
                .collect::<Vec<_>>(),
            CourseSource::Dir(dir) => read_dir_files(&dir.join("lessons"), "toml")?,
        };
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// The lessons directory on disk, when there is one to watch.
    pub fn lessons_dir(&self) -> Option<PathBuf> {
        match self {
            CourseSource::Embedded => None,
            CourseSource::Dir(dir) => Some(dir.join("lessons")),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            CourseSource::Embedded => "the built-in course".to_string(),
            // A directory name can hold anything, escape sequences included.
            CourseSource::Dir(dir) => {
                crate::markdown::sanitize(&dir.display().to_string()).into_owned()
            }
        }
    }
}

/// Read one lesson file from disk again (live reload).
pub fn read_file(path: &Path) -> Result<SourceFile, String> {
    std::fs::read(path)
        .map(|bytes| SourceFile {
            path: path.display().to_string(),
            bytes: Cow::Owned(bytes),
        })
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn read_dir_files(dir: &Path, extension: &str) -> Result<Vec<SourceFile>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "{}: cannot read the lessons directory: {e}; a course directory holds lessons/*.toml",
            dir.display()
        )
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == extension) {
            files.push(read_file(&path)?);
        }
    }
    Ok(files)
}
