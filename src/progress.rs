//! The student's progress: sections read, quiz answers, exercises passed, where they left off.
//!
//! Written atomically (temp file, fsync, rename) with a schema version. A corrupt or
//! unreadable file is moved aside and reported once; the app goes on with fresh progress.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::grade::quiz::Answer;

pub const SCHEMA_VERSION: u32 = 1;
const FILE_NAME: &str = "progress.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub version: u32,
    /// The lesson open when the student last quit, to resume there.
    #[serde(default)]
    pub last_lesson: Option<String>,
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
    #[serde(default)]
    pub exercises: BTreeMap<String, ExerciseProgress>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            version: SCHEMA_VERSION,
            last_lesson: None,
            lessons: BTreeMap::new(),
            exercises: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonProgress {
    #[serde(default)]
    pub sections_read: BTreeSet<String>,
    /// The section at the top of the reader when the student left.
    #[serde(default)]
    pub position: Option<String>,
    /// How far into `position` the top of the reader was (0 = its heading, 1 = its end), so
    /// resuming lands on the same paragraph at any terminal width.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<f64>,
    /// The quiz being answered when the student left (its id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focused_quiz: Option<String>,
    /// The student had hidden the simulation pane.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sim_hidden: bool,
    #[serde(default)]
    pub quizzes: BTreeMap<String, QuizRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizRecord {
    pub answer: Answer,
    pub correct: bool,
    pub attempts: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExerciseProgress {
    pub passed: bool,
    #[serde(default)]
    pub attempts: u32,
}

impl Progress {
    pub fn lesson(&self, id: &str) -> Option<&LessonProgress> {
        self.lessons.get(id)
    }
    pub fn lesson_mut(&mut self, id: &str) -> &mut LessonProgress {
        self.lessons.entry(id.to_string()).or_default()
    }
    pub fn exercise_passed(&self, id: &str) -> bool {
        self.exercises.get(id).is_some_and(|e| e.passed)
    }

    /// Done and total items of a lesson: sections read, quizzes answered right, exercises passed.
    pub fn completion(&self, lesson: &crate::course::Lesson) -> (usize, usize) {
        let record = self.lesson(&lesson.id);
        let read = lesson
            .sections
            .iter()
            .filter(|s| record.is_some_and(|r| r.sections_read.contains(&s.id)))
            .count();
        let right = lesson
            .quizzes
            .iter()
            .filter(|q| {
                record
                    .and_then(|r| r.quizzes.get(&q.id))
                    .is_some_and(|r| r.correct)
            })
            .count();
        let passed = lesson
            .exercise_ids()
            .filter(|e| self.exercise_passed(e))
            .count();
        let total = lesson.sections.len() + lesson.quizzes.len() + lesson.exercise_ids().count();
        (read + right + passed, total)
    }
}

/// The outcome of loading: the progress to use, and a message to show once if something was
/// wrong with the file.
pub struct Loaded {
    pub progress: Progress,
    pub notice: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ProgressStore {
    path: PathBuf,
}

impl ProgressStore {
    /// The store inside `dir` (the workspace directory).
    pub fn in_dir(dir: &Path) -> Self {
        ProgressStore {
            path: dir.join(FILE_NAME),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self) -> Loaded {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Loaded {
                    progress: Progress::default(),
                    notice: None,
                };
            }
            Err(e) => {
                return Loaded {
                    progress: Progress::default(),
                    notice: Some(format!(
                        "Could not read {}: {e}. Progress will not be saved until it is readable.",
                        self.path.display()
                    )),
                };
            }
        };
        let problem = match serde_json::from_slice::<Progress>(&bytes) {
            Ok(p) if p.version == SCHEMA_VERSION => {
                return Loaded {
                    progress: p,
                    notice: None,
                };
            }
            Ok(p) => format!(
                "it has schema version {}, and this sysdesign reads version {SCHEMA_VERSION}",
                p.version
            ),
            Err(e) => format!("it is not valid progress JSON ({e})"),
        };
        let aside = self.aside_path();
        let notice = match std::fs::rename(&self.path, &aside) {
            Ok(()) => format!(
                "Your progress file {} could not be used: {problem}. It was moved to {} and fresh progress started.",
                self.path.display(),
                aside.display()
            ),
            Err(e) => format!(
                "Your progress file {} could not be used: {problem}; moving it aside failed ({e}). Starting fresh.",
                self.path.display()
            ),
        };
        Loaded {
            progress: Progress::default(),
            notice: Some(notice),
        }
    }

    fn aside_path(&self) -> PathBuf {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut candidate = self.path.with_extension(format!("json.corrupt-{stamp}"));
        let mut n = 1;
        while candidate.exists() {
            candidate = self
                .path
                .with_extension(format!("json.corrupt-{stamp}-{n}"));
            n += 1;
        }
        candidate
    }

    /// Write atomically: a crash leaves either the old file or the new one, never half of one.
    pub fn save(&self, progress: &Progress) -> std::io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let json = serde_json::to_vec_pretty(progress).map_err(std::io::Error::other)?;
        let tmp = self
            .path
            .with_extension(format!("json.tmp-{}", std::process::id()));
        let result = (|| {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(&json)?;
            file.write_all(b"\n")?;
            file.sync_all()?;
            std::fs::rename(&tmp, &self.path)?;
            // Make the rename itself durable.
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// Delete the progress file (after the caller confirmed).
    pub fn reset(&self) -> std::io::Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_survives_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        let loaded = store.load();
        assert!(loaded.notice.is_none());
        let mut p = loaded.progress;
        p.lesson_mut("intro")
            .sections_read
            .insert("key-concepts".into());
        p.last_lesson = Some("intro".into());
        store.save(&p).unwrap();
        assert_eq!(store.load().progress, p);

        std::fs::write(store.path(), b"{ not json").unwrap();
        let loaded = store.load();
        assert_eq!(loaded.progress, Progress::default());
        let notice = loaded.notice.expect("a notice for the corrupt file");
        assert!(notice.contains("moved to"), "{notice}");
        assert!(!store.path().exists(), "corrupt file must be moved aside");
        let moved: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .collect();
        assert_eq!(moved.len(), 1);
        assert_eq!(std::fs::read(moved[0].path()).unwrap(), b"{ not json");
        // The second load is clean: the notice shows once.
        assert!(store.load().notice.is_none());
    }

    #[test]
    fn newer_schema_is_moved_aside_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        std::fs::write(store.path(), br#"{"version": 99}"#).unwrap();
        let loaded = store.load();
        assert!(loaded.notice.unwrap().contains("schema version 99"));
    }
}
