//! Child processes the grader can always stop: each runs in its own process group, so killing
//! it also stops whatever it started (cargo's rustc, a student's stray subprocess).

use std::process::{Child, Command};

/// Puts the command in a new process group and, on unix, caps its address space.
pub fn isolate(command: &mut Command, memory_bytes: Option<u64>) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
        if let Some(limit) = memory_bytes {
            // SAFETY: setrlimit is async-signal-safe and touches only the child's own limits.
            unsafe {
                command.pre_exec(move || {
                    let rlimit = libc::rlimit {
                        rlim_cur: limit as libc::rlim_t,
                        rlim_max: limit as libc::rlim_t,
                    };
                    libc::setrlimit(libc::RLIMIT_AS, &rlimit);
                    Ok(())
                });
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (command, memory_bytes);
}

/// Kills the child's whole process group and reaps the child. A child already reaped is left
/// alone: its pid, and so its group id, may belong to someone else by now.
pub fn kill(child: &mut Child) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    #[cfg(unix)]
    {
        if let Ok(pid) = i32::try_from(child.id()) {
            // SAFETY: plain syscall; the group id is the child's pid, set by `isolate`.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Why a process stopped, in words for a report.
pub fn describe_exit(status: std::process::ExitStatus, output: &str) -> String {
    if output.contains("has overflowed its stack") {
        return "crashed: stack overflow (infinite or too deep recursion?)".to_string();
    }
    if output.contains("memory allocation of") {
        return "crashed: out of memory".to_string();
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                libc::SIGABRT => "SIGABRT, an abort",
                libc::SIGSEGV => "SIGSEGV, a segmentation fault",
                libc::SIGKILL => "SIGKILL",
                libc::SIGBUS => "SIGBUS",
                libc::SIGILL => "SIGILL",
                libc::SIGFPE => "SIGFPE",
                _ => "a signal",
            };
            return format!("crashed: killed by signal {signal} ({name})");
        }
    }
    match status.code() {
        Some(code) => format!("the program exited with code {code} during this check"),
        None => "the program stopped during this check".to_string(),
    }
}
