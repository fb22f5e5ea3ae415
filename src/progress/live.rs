//! The progress a running app shows: the last saved copy with the changes made since applied
//! on top, and those changes queued until the next save.

use std::ops::Deref;

use super::{Change, Progress, ProgressStore, SaveError};

#[derive(Debug, Clone)]
pub struct LiveProgress {
    shown: Progress,
    /// Changes not yet in the file, oldest first.
    pending: Vec<Change>,
    /// Why nothing is saved this session (the file is newer or unreadable), if so.
    read_only: Option<String>,
}

impl Deref for LiveProgress {
    type Target = Progress;
    fn deref(&self) -> &Progress {
        &self.shown
    }
}

impl LiveProgress {
    pub fn new(loaded: super::Loaded) -> LiveProgress {
        LiveProgress {
            shown: loaded.progress,
            pending: Vec::new(),
            read_only: (!loaded.writable).then(|| {
                loaded
                    .notice
                    .unwrap_or_else(|| "progress is read-only".into())
            }),
        }
    }

    /// Why this session saves nothing, if it does not.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Apply `change` to what is shown now, and queue it for the next save.
    pub fn record(&mut self, change: Change) {
        if change.is_noop_for(&self.shown) {
            return;
        }
        change.apply(&mut self.shown);
        if self.read_only.is_some() {
            return;
        }
        // Only the latest position of a lesson matters.
        if let Change::Position { lesson, .. } = &change {
            self.pending
                .retain(|c| !matches!(c, Change::Position { lesson: l, .. } if l == lesson));
        }
        self.pending.push(change);
    }

    /// Whether there are changes to save.
    pub fn is_dirty(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Apply the queued changes to the latest file under its lock, then show what was
    /// written, which includes whatever other writers saved meanwhile. With nothing queued,
    /// just show the latest file. On failure the changes stay queued for the next try.
    /// Returns a notice when the file had to be moved aside.
    pub fn save(&mut self, store: &ProgressStore) -> Result<Option<String>, SaveError> {
        if self.read_only.is_some() {
            return Ok(None);
        }
        if self.pending.is_empty() {
            let latest = store.read();
            if latest.notice.is_none() {
                self.shown = latest.progress;
            }
            return Ok(None);
        }
        let pending = &self.pending;
        let saved = store.update(|p| pending.iter().for_each(|c| c.apply(p)))?;
        self.pending.clear();
        self.shown = saved.progress;
        Ok(saved.notice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::quiz::Answer;

    fn open(store: &ProgressStore) -> LiveProgress {
        LiveProgress::new(store.open())
    }

    #[test]
    fn saving_keeps_what_another_writer_saved_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        let mut app = open(&store);
        // `sysdesign grade` records a pass while the app runs.
        store
            .update(|p| {
                Change::ExerciseGraded {
                    exercise: "round-robin".into(),
                    passed: true,
                }
                .apply(p)
            })
            .unwrap();
        app.record(Change::SectionsRead {
            lesson: "intro".into(),
            sections: vec!["a".into()],
        });
        assert!(
            !app.exercise_passed("round-robin"),
            "not seen before saving"
        );
        app.save(&store).unwrap();
        let on_disk = store.read().progress;
        assert!(on_disk.exercise_passed("round-robin"), "the pass survives");
        assert!(on_disk.lessons["intro"].sections_read.contains("a"));
        assert!(app.exercise_passed("round-robin"), "and the app shows it");
        assert!(!app.is_dirty());

        // A save with nothing to write shows what others saved since.
        store
            .update(|p| {
                Change::ExerciseGraded {
                    exercise: "ip-hash".into(),
                    passed: true,
                }
                .apply(p)
            })
            .unwrap();
        app.save(&store).unwrap();
        assert!(app.exercise_passed("ip-hash"));
    }

    #[test]
    fn repeated_reading_and_positions_queue_little() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        let mut app = open(&store);
        for i in 0..100 {
            app.record(Change::SectionsRead {
                lesson: "intro".into(),
                sections: vec!["a".into()],
            });
            app.record(Change::Position {
                lesson: "intro".into(),
                place: super::super::Place {
                    section: Some(format!("s{}", i % 3)),
                    ..Default::default()
                },
            });
        }
        assert_eq!(app.pending.len(), 2);
        app.save(&store).unwrap();
        assert_eq!(
            store.read().progress.lessons["intro"].position.as_deref(),
            Some("s0")
        );
    }

    #[test]
    fn a_read_only_session_shows_changes_but_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        let newer = br#"{"version": 7}"#;
        std::fs::write(store.path(), newer).unwrap();
        let mut app = open(&store);
        assert!(app.read_only().unwrap().contains("newer sysdesign"));
        app.record(Change::QuizAnswered {
            lesson: "intro".into(),
            quiz: "q".into(),
            answer: Answer::Single { choice: 1 },
            correct: true,
        });
        assert!(app.quiz_solved("intro", "q"));
        assert_eq!(app.save(&store).unwrap(), None);
        assert_eq!(std::fs::read(store.path()).unwrap(), newer);
    }

    #[test]
    fn a_failed_save_keeps_the_changes_for_the_next_try() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        let mut app = open(&store);
        // A newer sysdesign writes the file after this session started.
        std::fs::write(store.path(), br#"{"version": 9}"#).unwrap();
        app.record(Change::LastLesson("intro".into()));
        assert!(matches!(app.save(&store), Err(SaveError::Newer { .. })));
        assert!(app.is_dirty());
        std::fs::remove_file(store.path()).unwrap();
        app.save(&store).unwrap();
        assert_eq!(store.read().progress.last_lesson.as_deref(), Some("intro"));
    }
}
