//! The workspace lock: one grade at a time per scratch workspace, across processes (two
//! `sysdesign grade` runs, or the app and the CLI), so their scratch files never interleave.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::Path;
use std::time::{Duration, Instant};

/// An exclusive `flock` on the lock file, released when dropped (or when the process dies,
/// however it dies: the kernel releases it).
#[derive(Debug)]
pub struct WorkspaceLock {
    _file: File,
}

impl WorkspaceLock {
    /// Takes the lock at `path`, waiting at most `patience` for another holder. `waiting` is
    /// called once, when the lock turns out to be taken.
    pub fn acquire(
        path: &Path,
        patience: Duration,
        waiting: &mut dyn FnMut(),
    ) -> Result<WorkspaceLock, String> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| format!("cannot open the grader's lock {}: {e}", path.display()))?;
        let deadline = Instant::now() + patience;
        let mut announced = false;
        loop {
            // SAFETY: plain syscall on a descriptor this function owns.
            let taken = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            if taken == 0 {
                break;
            }
            let error = std::io::Error::last_os_error();
            if error.raw_os_error() != Some(libc::EWOULDBLOCK) {
                return Err(format!("cannot lock {}: {error}", path.display()));
            }
            if Instant::now() >= deadline {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let by = if holder.is_empty() {
                    String::new()
                } else {
                    format!(" (process {holder})")
                };
                return Err(format!(
                    "another grade is running in this workspace{by} and did not finish within \
                     {} s; try again when it is done",
                    patience.as_secs()
                ));
            }
            if !announced {
                announced = true;
                waiting();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Who holds it, for the message a waiting grader gives up with.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{}", std::process::id());
        let _ = file.flush();
        Ok(WorkspaceLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_then_gives_up_with_a_message_naming_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock");
        let first = WorkspaceLock::acquire(&path, Duration::from_secs(1), &mut || {}).unwrap();
        let mut waited = 0;
        let second = WorkspaceLock::acquire(&path, Duration::from_millis(200), &mut || waited += 1);
        let message = second.expect_err("the lock is taken");
        assert_eq!(waited, 1);
        assert!(
            message.starts_with("another grade is running in this workspace (process "),
            "{message}"
        );
        drop(first);
        WorkspaceLock::acquire(&path, Duration::from_millis(200), &mut || {}).expect("released");
    }
}
