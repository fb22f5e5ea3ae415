//! Child processes the grader can always stop.
//!
//! - Cargo runs in its own process group, dies with the thread that started it
//!   (`PR_SET_PDEATHSIG`), and is listed in a registry that [`stop_all`] and the CLI's signal
//!   handler empty, so quitting mid-build also stops its compilers.
//! - A grading binary runs under its keeper (`embed/keeper.rs`): [`spawn_kept`] passes it a
//!   private channel socket on fd 3 and a lifeline socket on fd 4. Closing the lifeline, or
//!   our own death however it comes (SIGKILL included), makes the keeper kill every process
//!   the student's code started, even those that left the process group or the session.

use std::hash::{BuildHasher, Hasher};
use std::io::{self, BufRead, BufReader};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

/// How a grading process ended, as its keeper reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Exit(i32),
    Signal(i32),
    /// Stopped by the grader (a time limit), or the keeper itself was killed.
    Stopped,
}

impl Ended {
    fn parse(line: &str) -> Ended {
        let mut words = line.split_whitespace();
        match (words.next(), words.next().and_then(|n| n.parse().ok())) {
            (Some("exit"), Some(code)) => Ended::Exit(code),
            (Some("signal"), Some(signal)) => Ended::Signal(signal),
            _ => Ended::Stopped,
        }
    }
}

/// Puts the command in a new process group, caps its address space, and on Linux makes it
/// die with the thread that starts it. For cargo; grading binaries use [`spawn_kept`].
pub fn isolate(command: &mut Command, memory_bytes: Option<u64>) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
    // SAFETY: prctl and setrlimit are async-signal-safe and touch only the child.
    unsafe {
        command.pre_exec(move || {
            #[cfg(target_os = "linux")]
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            if let Some(limit) = memory_bytes {
                limit_memory(limit);
            }
            Ok(())
        });
    }
}

fn limit_memory(limit: u64) {
    let rlimit = libc::rlimit {
        rlim_cur: limit as libc::rlim_t,
        rlim_max: limit as libc::rlim_t,
    };
    // SAFETY: plain syscall on this process's own limits.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &rlimit);
    }
}

/// Process groups to kill if the grader has to stop at once (quit, a signal).
static ACTIVE: [AtomicI32; 16] = [const { AtomicI32::new(0) }; 16];

/// Keeps a process group in the registry until dropped.
pub struct Registered(Option<usize>);

pub fn register(pid: u32) -> Registered {
    let pid = pid as i32;
    for (slot, entry) in ACTIVE.iter().enumerate() {
        if entry
            .compare_exchange(0, pid, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            return Registered(Some(slot));
        }
    }
    Registered(None)
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Some(slot) = self.0 {
            ACTIVE[slot].store(0, Ordering::SeqCst);
        }
    }
}

/// Kills every registered process group. Async-signal-safe: atomics and `kill` only.
pub fn stop_all() {
    for entry in &ACTIVE {
        let pid = entry.swap(0, Ordering::SeqCst);
        if pid > 0 {
            // SAFETY: plain syscall; the group id is the pid of a child set up by `isolate`.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
}

/// Makes SIGINT, SIGTERM and SIGHUP stop the registered process groups (cargo and its
/// compilers) before the process dies of the signal as it would have. Grading runs need no
/// help: their keepers see the lifeline close when we die.
pub fn stop_all_on_signals() {
    extern "C" fn on_signal(signal: libc::c_int) {
        stop_all();
        // SAFETY: async-signal-safe calls; dying of the same signal keeps the exit status.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: installing a handler that only uses async-signal-safe calls.
        unsafe {
            libc::signal(signal, on_signal as *const () as libc::sighandler_t);
        }
    }
}

/// Kills the child's whole process group and reaps the child, waiting at most a second. A
/// child already reaped is left alone: its pid, and so its group id, may be someone else's.
pub fn kill(child: &mut Child) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: plain syscall; the group id is the child's pid, set by `isolate`.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    wait_at_most(child, Duration::from_secs(1));
}

/// Reaps the child unless it outlives `limit`.
fn wait_at_most(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    wait_until(child, Instant::now() + limit)
}

/// Reaps the child unless it is still running at `deadline`.
pub fn wait_until(child: &mut Child, deadline: Instant) -> Option<std::process::ExitStatus> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(2)),
            _ => return None,
        }
    }
}

/// A fresh 128-bit nonce from the OS's randomness (the seed of std's hash keys).
pub fn nonce() -> String {
    let half = || {
        std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
    };
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(half());
    format!("{:016x}{:016x}", half(), hasher.finish())
}

/// A grading binary running under its keeper.
pub struct Kept {
    keeper: Child,
    /// Our end of the private channel (requests out, protocol lines in).
    pub channel: UnixStream,
    lifeline: UnixStream,
    pub nonce: String,
}

/// What [`spawn_kept`]'s reader threads report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeptEvent {
    /// A line from the channel, without its newline.
    Channel(String),
    /// The channel closed.
    ChannelClosed,
    /// A chunk of the student's stdout and stderr, split by [`super::stream::Splitter`].
    Output(super::stream::StreamEvent),
    /// The keeper reported how the grading process ended; every process it started is gone.
    Ended(Ended),
}

/// Starts `binary --keeper ARGS` with the channel on fd 3, the lifeline on fd 4, stdout and
/// stderr into one pipe, and no stdin. Sends the nonce on the channel, and starts threads
/// that report channel lines, output and the end on `events`.
pub fn spawn_kept(
    binary: &Path,
    args: &[String],
    memory_bytes: u64,
    events: Sender<KeptEvent>,
) -> io::Result<Kept> {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;

    let (mut channel, child_channel) = UnixStream::pair()?;
    let (lifeline, child_lifeline) = UnixStream::pair()?;
    let (output, output_writer) = io::pipe()?;
    let mut command = Command::new(binary);
    command
        .arg("--keeper")
        .args(args)
        .stdin(Stdio::null())
        .stdout(output_writer.try_clone()?)
        .stderr(output_writer)
        .env("RUST_BACKTRACE", "0")
        .process_group(0);
    let (channel_fd, lifeline_fd) = (child_channel.as_raw_fd(), child_lifeline.as_raw_fd());
    // SAFETY: only async-signal-safe calls (fcntl, dup2, close, setrlimit) between fork and
    // exec. Both sockets are first moved above 10 so that placing one on 3 or 4 cannot
    // overwrite the other.
    unsafe {
        command.pre_exec(move || {
            let high_channel = libc::fcntl(channel_fd, libc::F_DUPFD, 10);
            let high_lifeline = libc::fcntl(lifeline_fd, libc::F_DUPFD, 10);
            if high_channel < 0
                || high_lifeline < 0
                || libc::dup2(high_channel, 3) < 0
                || libc::dup2(high_lifeline, 4) < 0
            {
                return Err(io::Error::last_os_error());
            }
            libc::close(high_channel);
            libc::close(high_lifeline);
            limit_memory(memory_bytes);
            Ok(())
        });
    }
    let keeper = command.spawn()?;
    // Our copies of the child's ends must close, or we would never see them close.
    drop(command);
    drop(child_channel);
    drop(child_lifeline);
    let nonce = nonce();
    channel.write_all(format!("{nonce}\n").as_bytes())?;

    let reader = channel.try_clone()?;
    let to_parent = events.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(reader).split(b'\n') {
            let Ok(line) = line else { break };
            let line = String::from_utf8_lossy(&line).into_owned();
            if to_parent.send(KeptEvent::Channel(line)).is_err() {
                return;
            }
        }
        let _ = to_parent.send(KeptEvent::ChannelClosed);
    });
    let to_parent = events.clone();
    std::thread::spawn(move || {
        super::stream::pump(output, |event| {
            to_parent.send(KeptEvent::Output(event)).is_ok()
        })
    });
    let watcher = lifeline.try_clone()?;
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(watcher).read_line(&mut line);
        let _ = events.send(KeptEvent::Ended(Ended::parse(&line)));
    });
    Ok(Kept {
        keeper,
        channel,
        lifeline,
        nonce,
    })
}

impl Kept {
    /// Asks the keeper to stop the run: it kills the grading process and everything it
    /// started, then reports [`KeptEvent::Ended`].
    pub fn stop(&mut self) {
        let _ = self.lifeline.shutdown(std::net::Shutdown::Write);
    }

    /// Stops the run and reaps the keeper, within about a second whatever happens; the
    /// process group is killed as a last resort.
    pub fn finish(&mut self) {
        self.stop();
        let _ = self.channel.shutdown(std::net::Shutdown::Both);
        if wait_at_most(&mut self.keeper, Duration::from_secs(1)).is_none() {
            kill(&mut self.keeper);
        }
    }
}

impl Drop for Kept {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Why a process stopped, in words for a report.
pub fn describe_end(ended: Ended, output: &str) -> String {
    if output.contains("has overflowed its stack") {
        return "crashed: stack overflow (infinite or too deep recursion?)".to_string();
    }
    if output.contains("memory allocation of") {
        return "crashed: out of memory".to_string();
    }
    match ended {
        Ended::Signal(signal) => {
            let name = match signal {
                libc::SIGABRT => "SIGABRT, an abort",
                libc::SIGSEGV => "SIGSEGV, a segmentation fault",
                libc::SIGKILL => "SIGKILL",
                libc::SIGBUS => "SIGBUS",
                libc::SIGILL => "SIGILL",
                libc::SIGFPE => "SIGFPE",
                _ => "a signal",
            };
            format!("crashed: killed by signal {signal} ({name})")
        }
        Ended::Exit(code) => format!("the program exited with code {code} during this check"),
        Ended::Stopped => "the program stopped during this check".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_long_hex_and_differ() {
        let (a, b) = (nonce(), nonce());
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn the_keepers_report_is_parsed() {
        assert_eq!(Ended::parse("exit 3\n"), Ended::Exit(3));
        assert_eq!(Ended::parse("signal 11"), Ended::Signal(11));
        assert_eq!(Ended::parse(""), Ended::Stopped);
        assert_eq!(Ended::parse("stopped\n"), Ended::Stopped);
    }
}
