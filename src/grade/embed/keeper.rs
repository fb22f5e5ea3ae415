//! The keeper: the first process of every grading run, supervising the real one.
//!
//! The parent starts `grading-binary --keeper ARGS` with a second socket on descriptor 4, the
//! lifeline. The keeper starts `grading-binary ARGS` as its child and, on Linux, makes itself
//! a child subreaper, so every process the student's code starts, even one that forks twice
//! or calls `setsid()`, stays its descendant. When the child exits, or the lifeline closes
//! (the parent ended the run, or was killed itself), the keeper kills every descendant, tells
//! the parent on the lifeline how the child ended (`exit CODE`, `signal N` or `stopped`) and
//! exits. No student code runs in this process: `main` calls [`run`] before anything else.

use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::os::unix::net::UnixStream;
#[cfg(not(target_os = "linux"))]
use std::os::unix::process::CommandExt;
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

/// The descriptor the parent passes the lifeline on.
const LIFELINE_FD: i32 = 4;
const SIGKILL: i32 = 9;
const WNOHANG: i32 = 1;

unsafe extern "C" {
    fn kill(pid: i32, signal: i32) -> i32;
    fn waitpid(pid: i32, status: *mut i32, options: i32) -> i32;
    #[cfg(target_os = "linux")]
    fn prctl(option: i32, ...) -> i32;
}

enum Ended {
    Child(std::io::Result<std::process::ExitStatus>),
    Lifeline,
}

pub fn run(args: &[String]) -> ! {
    // SAFETY: descriptor 4 is the lifeline the grader passed, owned by nobody else here. The
    // copy kept is close-on-exec, so the grading process never holds the lifeline.
    let inherited = unsafe { UnixStream::from_raw_fd(LIFELINE_FD) };
    let lifeline = inherited.try_clone();
    drop(inherited);
    let Ok(mut lifeline) = lifeline else {
        std::process::exit(2);
    };
    #[cfg(target_os = "linux")]
    {
        const PR_SET_CHILD_SUBREAPER: i32 = 36;
        // SAFETY: a plain syscall that changes only this process's attributes.
        unsafe {
            prctl(PR_SET_CHILD_SUBREAPER, 1 as std::ffi::c_ulong);
        }
    }
    let Ok(program) = std::env::current_exe() else {
        std::process::exit(2);
    };
    let mut command = Command::new(program);
    command.args(args);
    // Without a subreaper, the child's own process group is what can be killed as a whole.
    #[cfg(not(target_os = "linux"))]
    command.process_group(0);
    let child = command.spawn();
    // The grading process has its copy of the channel now; the keeper's must not keep it open.
    // SAFETY: descriptor 3 is the channel socket the grader passed; nothing else owns it here.
    drop(unsafe { UnixStream::from_raw_fd(3) });
    let Ok(mut child) = child else {
        let _ = lifeline.write_all(b"stopped\n");
        std::process::exit(2);
    };
    let child_pid = child.id() as i32;
    let (sender, ended) = mpsc::channel();
    let mut watcher = match lifeline.try_clone() {
        Ok(watcher) => watcher,
        Err(_) => {
            kill_descendants(child_pid);
            std::process::exit(2);
        }
    };
    let on_lifeline = sender.clone();
    std::thread::spawn(move || {
        // Nothing is ever sent on the lifeline: a read returns only when it closes.
        let mut byte = [0u8; 1];
        while let Ok(n) = watcher.read(&mut byte) {
            if n == 0 {
                break;
            }
        }
        let _ = on_lifeline.send(Ended::Lifeline);
    });
    std::thread::spawn(move || {
        let _ = sender.send(Ended::Child(child.wait()));
    });
    let report = match ended.recv() {
        Ok(Ended::Child(Ok(status))) => match (status.code(), status.signal()) {
            (Some(code), _) => format!("exit {code}\n"),
            (None, Some(signal)) => format!("signal {signal}\n"),
            _ => "stopped\n".to_string(),
        },
        _ => "stopped\n".to_string(),
    };
    kill_descendants(child_pid);
    let _ = lifeline.write_all(report.as_bytes());
    std::process::exit(0);
}

/// Kills every process below the keeper and reaps them, until none is left.
#[cfg(target_os = "linux")]
fn kill_descendants(_child: i32) {
    let me = std::process::id() as i32;
    for _ in 0..500 {
        let below = descendants(me);
        reap();
        if below.is_empty() {
            return;
        }
        for pid in below {
            // SAFETY: plain syscall on a pid that is our descendant.
            unsafe {
                kill(pid, SIGKILL);
            }
        }
        reap();
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[cfg(not(target_os = "linux"))]
fn kill_descendants(child: i32) {
    // SAFETY: plain syscall; the group id is the child's pid, set at spawn.
    unsafe {
        kill(-child, SIGKILL);
    }
    std::thread::sleep(Duration::from_millis(5));
    reap();
}

/// Collects every exited child; orphans adopted by the subreaper included.
fn reap() {
    loop {
        let mut status = 0;
        // SAFETY: plain syscall with a valid pointer to a local.
        let pid = unsafe { waitpid(-1, &mut status, WNOHANG) };
        if pid <= 0 {
            return;
        }
    }
}

/// Every live process below `root`: from each process's `/proc/PID/task/TID/children`,
/// which is quick, or by reading every `/proc/PID/stat` where the kernel lacks that file.
#[cfg(target_os = "linux")]
fn descendants(root: i32) -> Vec<i32> {
    let children_of = |pid: i32| -> Option<Vec<i32>> {
        let mut found = Vec::new();
        for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()?.flatten() {
            let path = task.path().join("children");
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && pid == root => return None,
                Err(_) => continue,
            };
            found.extend(text.split_whitespace().filter_map(|c| c.parse::<i32>().ok()));
        }
        Some(found)
    };
    let Some(first) = children_of(root) else {
        return descendants_by_scan(root);
    };
    let mut found = first;
    let mut index = 0;
    while index < found.len() {
        let pid = found[index];
        for child in children_of(pid).unwrap_or_default() {
            if !found.contains(&child) {
                found.push(child);
            }
        }
        index += 1;
    }
    found
}

#[cfg(target_os = "linux")]
fn descendants_by_scan(root: i32) -> Vec<i32> {
    let mut parents: Vec<(i32, i32)> = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
        let Some(after) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        let mut fields = after.split_whitespace();
        let state = fields.next().unwrap_or("");
        let Some(ppid) = fields.next().and_then(|p| p.parse::<i32>().ok()) else {
            continue;
        };
        if state != "Z" && state != "X" {
            parents.push((pid, ppid));
        }
    }
    let mut found = vec![root];
    let mut index = 0;
    while index < found.len() {
        let parent = found[index];
        for &(pid, ppid) in &parents {
            if ppid == parent && !found.contains(&pid) {
                found.push(pid);
            }
        }
        index += 1;
    }
    found.remove(0);
    found
}
