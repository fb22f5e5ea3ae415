//! `progress.json` on disk. Every write is a read-merge-write under a file lock
//! (`progress.lock` beside it): the latest file is loaded, the change applied, and the result
//! written atomically (temp file, fsync, rename). Two writers (the app and `sysdesign grade`,
//! or two grades) therefore never erase each other's updates.
//!
//! What happens to a file that cannot be used depends on why:
//! - written by a newer sysdesign (a higher schema version): kept untouched; this sysdesign
//!   runs read-only and says it needs a newer version;
//! - unreadable (permissions, I/O): kept untouched; nothing is saved;
//! - corrupt (not progress JSON): moved aside to `progress.json.corrupt-<time>` by the first
//!   writer, never by a read-only command, and fresh progress starts.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use serde::Deserialize;

use super::{Progress, SCHEMA_VERSION};

const FILE_NAME: &str = "progress.json";
const LOCK_NAME: &str = "progress.lock";
/// How long a writer waits for another to finish. Writers hold the lock for one small file
/// write, so reaching this means a writer is stuck (stopped with Ctrl-Z mid-save, say).
const LOCK_WAIT: Duration = Duration::from_secs(10);
/// A temp file this old is left over from a killed save even if its pid is alive again.
const STALE_TEMP_AGE: Duration = Duration::from_secs(60);

/// The outcome of loading: the progress to use, a message to show once if something was
/// wrong with the file, and whether this session may save.
#[derive(Debug)]
pub struct Loaded {
    pub progress: Progress,
    pub notice: Option<String>,
    /// False when the file is kept untouched (newer or unreadable): nothing may be saved.
    pub writable: bool,
}

/// The progress as written by `update`, and a message if the file had to be moved aside.
#[derive(Debug)]
pub struct Saved {
    pub progress: Progress,
    pub notice: Option<String>,
}

#[derive(Debug)]
pub enum SaveError {
    /// The file was written by a newer sysdesign; it was left untouched.
    Newer { path: PathBuf, version: u32 },
    /// Another writer held the lock for longer than `LOCK_WAIT`.
    Busy { lock: PathBuf },
    Io {
        path: PathBuf,
        doing: &'static str,
        error: io::Error,
    },
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::Newer { path, version } => write!(
                f,
                "progress not saved: {} was written by a newer sysdesign (schema version \
                 {version}; this one reads version {SCHEMA_VERSION}) and is kept untouched; \
                 update sysdesign to save progress again",
                path.display()
            ),
            SaveError::Busy { lock } => write!(
                f,
                "progress not saved: another sysdesign held {} for {} s; if none is running, \
                 try again",
                lock.display(),
                LOCK_WAIT.as_secs()
            ),
            SaveError::Io { path, doing, error } => {
                write!(
                    f,
                    "progress not saved: could not {doing} {}: {error}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for SaveError {}

/// What is on disk, read without changing anything.
enum FileState {
    Missing,
    Good(Progress),
    Newer(u32),
    Corrupt(String),
    Unreadable(io::Error),
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

    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    fn lock_path(&self) -> PathBuf {
        self.dir().join(LOCK_NAME)
    }

    /// Read for a command that only shows progress: nothing on disk changes, whatever the
    /// file holds.
    pub fn read(&self) -> Loaded {
        match self.state() {
            FileState::Missing => fresh(None, true),
            FileState::Good(progress) => Loaded {
                progress,
                notice: None,
                writable: true,
            },
            FileState::Corrupt(why) => fresh(
                Some(format!(
                    "Your progress file {} could not be used: {why}. It is left as it is; \
                     the next sysdesign that saves progress moves it aside and starts fresh.",
                    self.path.display()
                )),
                true,
            ),
            FileState::Newer(version) => fresh(Some(self.newer_notice(version)), false),
            FileState::Unreadable(e) => fresh(Some(self.unreadable_notice(&e)), false),
        }
    }

    /// Read for a session that will save (the app): as `read`, but a corrupt file is moved
    /// aside now, so that the notice names where it went.
    pub fn open(&self) -> Loaded {
        match self.state() {
            FileState::Corrupt(_) => {}
            _ => return self.read(),
        }
        let moved = self.with_lock(|| match self.state() {
            FileState::Corrupt(why) => self.move_aside(&why).map(Some),
            // Another writer replaced it meanwhile: use what is there now.
            _ => Ok(None),
        });
        match moved {
            Ok(Some(notice)) => fresh(Some(notice), true),
            Ok(None) => self.read(),
            Err(e) => fresh(
                Some(format!(
                    "Your progress file {} could not be used, and moving it aside failed \
                     ({e}). It is left as it is and nothing is saved this session.",
                    self.path.display()
                )),
                false,
            ),
        }
    }

    /// Apply `change` to the latest progress on disk and write it back, all under the lock.
    /// Returns the progress as written, with everything other writers saved before.
    pub fn update(&self, change: impl FnOnce(&mut Progress)) -> Result<Saved, SaveError> {
        self.with_lock(|| {
            let (mut progress, notice) = match self.state() {
                FileState::Missing => (Progress::default(), None),
                FileState::Good(p) => (p, None),
                FileState::Corrupt(why) => (Progress::default(), Some(self.move_aside(&why)?)),
                FileState::Newer(version) => {
                    return Err(SaveError::Newer {
                        path: self.path.clone(),
                        version,
                    });
                }
                FileState::Unreadable(error) => {
                    return Err(SaveError::Io {
                        path: self.path.clone(),
                        doing: "read",
                        error,
                    });
                }
            };
            change(&mut progress);
            self.write(&progress).map_err(|error| SaveError::Io {
                path: self.path.clone(),
                doing: "write",
                error,
            })?;
            Ok(Saved { progress, notice })
        })
    }

    /// Delete the progress file (after the caller confirmed), under the lock so that no
    /// writer is half-way through.
    pub fn reset(&self) -> Result<(), SaveError> {
        self.with_lock(|| match std::fs::remove_file(&self.path) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => Err(SaveError::Io {
                path: self.path.clone(),
                doing: "delete",
                error,
            }),
            _ => Ok(()),
        })
    }

    fn state(&self) -> FileState {
        match std::fs::read(&self.path) {
            Ok(bytes) => classify(&bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => FileState::Missing,
            Err(e) => FileState::Unreadable(e),
        }
    }

    fn newer_notice(&self, version: u32) -> String {
        format!(
            "Your progress file {} was written by a newer sysdesign (schema version {version}; \
             this one reads version {SCHEMA_VERSION}). It is kept untouched, and this session \
             is read-only: nothing you do now is saved. Update sysdesign to go on saving \
             progress.",
            self.path.display()
        )
    }

    fn unreadable_notice(&self, e: &io::Error) -> String {
        format!(
            "Could not read {}: {e}. Progress will not be saved until it is readable.",
            self.path.display()
        )
    }

    /// Run `f` holding the exclusive lock. The lock is an flock on `progress.lock`, which
    /// excludes other processes and other open handles in this one alike.
    fn with_lock<R>(&self, f: impl FnOnce() -> Result<R, SaveError>) -> Result<R, SaveError> {
        let lock_path = self.lock_path();
        let io_error = |doing, error| SaveError::Io {
            path: lock_path.clone(),
            doing,
            error,
        };
        std::fs::create_dir_all(self.dir()).map_err(|e| io_error("create the folder of", e))?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io_error("open", e))?;
        let mut lock = fd_lock::RwLock::new(file);
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            match lock.try_write() {
                Ok(guard) => {
                    let result = f();
                    drop(guard);
                    return result;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if Instant::now() >= deadline {
                        return Err(SaveError::Busy { lock: lock_path });
                    }
                }
                Err(e) => return Err(io_error("lock", e)),
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Move a corrupt file aside; returns the notice saying where it went. Called under the
    /// lock.
    fn move_aside(&self, why: &str) -> Result<String, SaveError> {
        let aside = self.aside_path();
        std::fs::rename(&self.path, &aside).map_err(|error| SaveError::Io {
            path: self.path.clone(),
            doing: "move aside the corrupt",
            error,
        })?;
        Ok(format!(
            "Your progress file {} could not be used: {why}. It was moved to {} and fresh \
             progress started.",
            self.path.display(),
            aside.display()
        ))
    }

    fn aside_path(&self) -> PathBuf {
        let stamp = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
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
    /// Called under the lock.
    fn write(&self, progress: &Progress) -> io::Result<()> {
        let dir = self.dir();
        std::fs::create_dir_all(dir)?;
        self.remove_stale_temps();
        let json = serde_json::to_vec_pretty(progress).map_err(io::Error::other)?;
        let tmp = self.temp_path(std::process::id());
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

    fn temp_path(&self, pid: u32) -> PathBuf {
        self.path.with_extension(format!("json.tmp-{pid}"))
    }

    /// Temp files of saves that were killed half-way (SIGKILL, power loss). Only those whose
    /// process is gone, or that are older than a minute (the pid may have been reused), so a
    /// save by an older sysdesign that takes no lock is never disturbed.
    fn remove_stale_temps(&self) {
        let Ok(entries) = std::fs::read_dir(self.dir()) else {
            return;
        };
        let prefix = format!("{FILE_NAME}.tmp-");
        let own = std::process::id();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(suffix) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
                continue;
            };
            let pid = suffix.parse::<u32>().ok();
            if pid == Some(own) {
                continue;
            }
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > STALE_TEMP_AGE);
            if old || pid.is_some_and(|p| !process_alive(p)) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

fn fresh(notice: Option<String>, writable: bool) -> Loaded {
    Loaded {
        progress: Progress::default(),
        notice,
        writable,
    }
}

fn classify(bytes: &[u8]) -> FileState {
    /// Just the version, read first: a newer file may hold fields this sysdesign rejects.
    #[derive(Deserialize)]
    struct VersionOnly {
        version: u32,
    }
    if let Ok(v) = serde_json::from_slice::<VersionOnly>(bytes)
        && v.version > SCHEMA_VERSION
    {
        return FileState::Newer(v.version);
    }
    match serde_json::from_slice::<Progress>(bytes) {
        Ok(p) if p.version == SCHEMA_VERSION => FileState::Good(p),
        Ok(p) => FileState::Corrupt(format!(
            "it has schema version {}, which no sysdesign writes (this one writes version \
             {SCHEMA_VERSION})",
            p.version
        )),
        Err(e) => FileState::Corrupt(format!("it is not valid progress JSON ({e})")),
    }
}

/// Whether process `pid` exists. Where this cannot be asked, every process counts as alive
/// and only the age of a temp file decides.
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // Signal 0 checks existence only. EPERM means it exists but belongs to someone else.
    // SAFETY: kill with signal 0 sends nothing; it has no memory-safety preconditions.
    let result = unsafe { libc::kill(pid, 0) };
    result == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        let loaded = store.open();
        assert!(loaded.notice.is_none() && loaded.writable);
        let saved = store
            .update(|p| {
                p.lesson_mut("intro")
                    .sections_read
                    .insert("key-concepts".into());
                p.last_lesson = Some("intro".into());
            })
            .unwrap();
        assert_eq!(store.read().progress, saved.progress);
        assert!(saved.progress.lessons["intro"].sections_read.len() == 1);
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_by_a_writer_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        std::fs::write(store.path(), b"{ not json").unwrap();

        let read = store.read();
        assert_eq!(read.progress, Progress::default());
        assert!(read.notice.unwrap().contains("left as it is"));
        assert_eq!(
            std::fs::read(store.path()).unwrap(),
            b"{ not json",
            "a read-only command renames nothing"
        );

        let loaded = store.open();
        assert!(loaded.writable);
        let notice = loaded.notice.expect("a notice for the corrupt file");
        assert!(notice.contains("moved to"), "{notice}");
        assert!(!store.path().exists(), "corrupt file must be moved aside");
        let aside: Vec<_> = files_in(dir.path())
            .into_iter()
            .filter(|n| n.contains(".corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(
            std::fs::read(dir.path().join(&aside[0])).unwrap(),
            b"{ not json"
        );
        // The second load is clean: the notice shows once.
        assert!(store.open().notice.is_none());
    }

    #[test]
    fn update_moves_a_corrupt_file_aside_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        std::fs::write(store.path(), b"[1, 2").unwrap();
        let saved = store
            .update(|p| p.last_lesson = Some("intro".into()))
            .unwrap();
        assert!(saved.notice.unwrap().contains("moved to"));
        assert_eq!(store.read().progress.last_lesson.as_deref(), Some("intro"));
    }

    #[test]
    fn a_newer_file_is_kept_untouched_and_nothing_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        // A newer schema may add fields this one does not know: still "newer", not corrupt.
        let newer = br#"{"version": 2, "lessons": {}, "streak": 12}"#;
        std::fs::write(store.path(), newer).unwrap();
        for loaded in [store.read(), store.open()] {
            assert!(!loaded.writable);
            let notice = loaded.notice.unwrap();
            assert!(notice.contains("newer sysdesign"), "{notice}");
            assert!(notice.contains("read-only"), "{notice}");
        }
        let err = store.update(|p| p.last_lesson = Some("x".into()));
        assert!(
            matches!(err, Err(SaveError::Newer { version: 2, .. })),
            "{err:?}"
        );
        assert!(err.unwrap_err().to_string().contains("update sysdesign"));
        assert_eq!(std::fs::read(store.path()).unwrap(), newer);
        assert_eq!(
            files_in(dir.path()),
            vec!["progress.json", "progress.lock"],
            "nothing renamed, nothing added but the lock"
        );
    }

    #[test]
    fn an_unknown_old_version_is_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        std::fs::write(store.path(), br#"{"version": 0}"#).unwrap();
        let notice = store.read().notice.unwrap();
        assert!(notice.contains("schema version 0"), "{notice}");
    }

    #[test]
    fn leftover_temp_files_of_dead_saves_are_removed_on_the_next_save() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        // A pid no process has: above the kernel's pid_max (at most 2^22 on Linux).
        let dead = store.temp_path(4_999_999);
        std::fs::write(&dead, b"{").unwrap();
        // A live process (this one's parent) whose file is fresh: maybe an older sysdesign
        // saving without the lock right now, so it stays.
        #[cfg(unix)]
        let live = {
            let parent = std::os::unix::process::parent_id();
            let path = store.temp_path(parent);
            std::fs::write(&path, b"{").unwrap();
            path
        };
        // Old enough whatever its pid says.
        let old = store.path().with_extension("json.tmp-abc");
        std::fs::write(&old, b"{").unwrap();
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();

        store.update(|p| p.last_lesson = Some("a".into())).unwrap();
        assert!(!dead.exists(), "a dead process's temp file is removed");
        assert!(!old.exists(), "a temp file older than a minute is removed");
        #[cfg(unix)]
        assert!(live.exists(), "a live process's fresh temp file stays");
    }

    #[test]
    fn reset_deletes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        store.update(|p| p.last_lesson = Some("a".into())).unwrap();
        store.reset().unwrap();
        assert!(!store.path().exists());
        store.reset().unwrap();
    }
}
