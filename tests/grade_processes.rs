//! No process the grader starts outlives it: `sysdesign grade` killed with SIGTERM or SIGKILL
//! while the student's code loops (after starting a child in a session of its own) leaves
//! nothing running. Runs the real binary on a workspace kept warm under CARGO_TARGET_TMPDIR.

#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Pids of live (not zombie) processes whose command line contains `needle`.
fn processes_with(needle: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let zombie = stat
                .rfind(')')
                .is_some_and(|i| stat[i + 1..].trim_start().starts_with('Z'));
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            !zombie && String::from_utf8_lossy(&cmdline).contains(needle)
        })
        .collect()
}

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("gave up waiting for {what}");
    false
}

fn kill(pids: &[u32], signal: &str) {
    for pid in pids {
        let _ = Command::new("kill")
            .args([signal, &pid.to_string()])
            .status();
    }
}

/// A workspace whose round-robin file starts `sleep MARKER` with `setsid`, then loops.
fn workspace(marker: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("grade-processes");
    let fixture = std::fs::read_to_string(format!(
        "{}/tests/fixtures/grade/loops_with_a_child.rs",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    let file = root.join("exercises/round-robin/src/lib.rs");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, fixture.replace("987654", marker)).unwrap();
    root
}

fn kill_the_grader_mid_grade(signal: &str, marker: &str) {
    let _serial = serial();
    let root = workspace(marker);
    let mut grader = Command::new(env!("CARGO_BIN_EXE_sysdesign"))
        .args([
            "--workspace",
            &root.display().to_string(),
            "grade",
            "round-robin",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sysdesign grade");
    // The first run builds the exercise; the student's child appears once checks run.
    let started = wait_until("the student's child", Duration::from_secs(600), || {
        !processes_with(marker).is_empty()
    });
    let binary = binary_of(&root);
    let _ = Command::new("kill")
        .args([signal, &grader.id().to_string()])
        .status();
    let _ = grader.wait();
    let gone = wait_until("every process to end", Duration::from_secs(5), || {
        processes_with(marker).is_empty() && processes_with(&binary).is_empty()
    });
    let left: Vec<u32> = [processes_with(marker), processes_with(&binary)].concat();
    kill(&left, "-9");
    assert!(started, "the grade never ran the student's code");
    assert!(gone, "left behind after {signal}: {left:?}");
}

/// The grading binary's path, as it shows in command lines.
fn binary_of(root: &Path) -> String {
    root.join(".grader/target/debug/grade-round-robin")
        .display()
        .to_string()
}

#[test]
fn sigterm_of_the_grader_mid_grade_leaves_no_process_behind() {
    kill_the_grader_mid_grade("-TERM", "987655");
}

#[test]
fn sigkill_of_the_grader_mid_grade_leaves_no_process_behind() {
    kill_the_grader_mid_grade("-KILL", "987656");
}

#[test]
fn quitting_the_app_mid_grade_leaves_no_process_behind() {
    use std::io::{Read, Write};

    use portable_pty::{CommandBuilder, PtySize, native_pty_system};

    let _serial = serial();
    let marker = "987657";
    let root = workspace(marker);
    // Reopen the app at the load-balancing section, whose exercise is round-robin.
    std::fs::write(
        root.join("progress.json"),
        r#"{"version":1,"last_lesson":"scalability","lessons":{"scalability":{"position":"load-balancing"}}}"#,
    )
    .unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_sysdesign"));
    command.args(["--workspace", &root.display().to_string()]);
    command.env("TERM", "xterm-256color");
    let mut app = pair.slave.spawn_command(command).expect("start the app");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while matches!(reader.read(&mut buf), Ok(n) if n > 0) {}
    });
    let mut keys = pair.master.take_writer().expect("writer");
    let mut send = |text: &str| {
        keys.write_all(text.as_bytes()).unwrap();
        keys.flush().unwrap();
        std::thread::sleep(Duration::from_millis(300));
    };
    std::thread::sleep(Duration::from_secs(2));
    send("e");
    send("g");
    let started = wait_until("the student's child", Duration::from_secs(600), || {
        !processes_with(marker).is_empty()
    });
    let binary = binary_of(&root);
    send("\x03");
    let exited = wait_until("the app to exit", Duration::from_secs(20), || {
        matches!(app.try_wait(), Ok(Some(_)))
    });
    let gone = wait_until("every process to end", Duration::from_secs(5), || {
        processes_with(marker).is_empty() && processes_with(&binary).is_empty()
    });
    let left: Vec<u32> = [processes_with(marker), processes_with(&binary)].concat();
    kill(&left, "-9");
    if !exited {
        let _ = app.kill();
    }
    assert!(started, "the app never graded the student's code");
    assert!(exited, "the app did not quit");
    assert!(gone, "left behind after quitting: {left:?}");
}

#[test]
fn a_second_grade_of_the_same_workspace_waits_and_says_so() {
    use std::io::BufRead;

    let _serial = serial();
    let marker = "987658";
    let root = workspace(marker);
    let start = |stderr: Stdio| {
        Command::new(env!("CARGO_BIN_EXE_sysdesign"))
            .args([
                "--workspace",
                &root.display().to_string(),
                "grade",
                "round-robin",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("start sysdesign grade")
    };
    let mut first = start(Stdio::null());
    let running = wait_until(
        "the first grade to run checks",
        Duration::from_secs(600),
        || !processes_with(marker).is_empty(),
    );
    let mut second = start(Stdio::piped());
    let (sender, lines) = std::sync::mpsc::channel();
    let stderr = second.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = sender.send(line);
        }
    });
    let said = lines
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_default();
    // While the first holds the workspace, the second has not started a build of its own.
    let waiting = second.try_wait().ok().flatten().is_none();
    for grader in [&mut first, &mut second] {
        let _ = Command::new("kill")
            .args(["-TERM", &grader.id().to_string()])
            .status();
        let _ = grader.wait();
    }
    let binary = binary_of(&root);
    wait_until("every process to end", Duration::from_secs(5), || {
        processes_with(marker).is_empty() && processes_with(&binary).is_empty()
    });
    kill(
        &[processes_with(marker), processes_with(&binary)].concat(),
        "-9",
    );
    assert!(running, "the first grade never ran the student's code");
    assert_eq!(
        said,
        "another grade is running in this workspace; waiting for it to finish…"
    );
    assert!(waiting, "the second grade waits for the first");
}
