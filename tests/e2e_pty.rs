//! The real binary in a pseudo-terminal: it opens a lesson, scrolls, quits, and leaves the
//! terminal as it found it, also when it is killed with SIGTERM.

#![cfg(unix)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    raw: Arc<Mutex<Vec<u8>>>,
    _pair_master: Box<dyn portable_pty::MasterPty + Send>,
}

const ROWS: u16 = 30;
const COLS: u16 = 100;

impl Session {
    fn start(program: &str, args: &[&str]) -> Session {
        Session::start_with_term(program, args, "xterm-256color")
    }

    fn start_with_term(program: &str, args: &[&str], term: &str) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", term);
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let raw = Arc::new(Mutex::new(Vec::new()));
        let sink = raw.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().expect("writer");
        Session {
            child,
            writer,
            raw,
            _pair_master: pair.master,
        }
    }

    fn screen(&self) -> String {
        let mut parser = vt100::Parser::new(ROWS, COLS, 0);
        parser.process(&self.raw.lock().unwrap());
        parser.screen().contents()
    }

    fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Wait until the screen shows `needle`; fail with the screen otherwise.
    fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {needle:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(80));
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread drain the last bytes.
                std::thread::sleep(Duration::from_millis(150));
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the app did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

fn assert_restored(raw: &str) {
    let leave_alt = raw.rfind("\x1b[?1049l").expect("left the alternate screen");
    let enter_alt = raw
        .rfind("\x1b[?1049h")
        .expect("entered the alternate screen");
    assert!(
        leave_alt > enter_alt,
        "alternate screen left after it was entered"
    );
    assert!(raw.contains("\x1b[?1000l"), "mouse capture turned off");
    assert!(
        raw.rfind("\x1b[?25h") > raw.rfind("\x1b[?25l"),
        "cursor shown again"
    );
}

/// `stty -a` after the app ends: raw mode must be off again (canonical input and echo on).
fn assert_cooked(raw: &str) {
    let stty = raw.rsplit("STTY:").next().expect("stty output");
    assert!(
        stty.contains(" icanon") && stty.contains(" echo"),
        "terminal left in raw mode:\n{stty}"
    );
    assert!(
        !stty.contains("-icanon"),
        "terminal left in raw mode:\n{stty}"
    );
}

fn app_in_shell(workspace: &std::path::Path) -> Session {
    let bin = env!("CARGO_BIN_EXE_sysdesign");
    let script = format!(
        "'{bin}' --workspace '{}'; code=$?; printf 'STTY:'; stty -a; exit $code",
        workspace.display()
    );
    Session::start("/bin/sh", &["-c", &script])
}

#[test]
fn open_a_lesson_scroll_quit_and_restore_the_terminal() {
    let ws = tempfile::tempdir().unwrap();
    let mut s = app_in_shell(ws.path());
    s.wait_for("Chapters");
    s.send("\r");
    let first = s.wait_for("1.1 ");
    s.send("jjjj");
    s.send("\x1b[6~"); // Page Down
    let scrolled = s.wait_for("n/p");
    assert_ne!(first, scrolled, "the reader scrolled");
    s.send("q");
    s.wait_for("Chapters");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    let raw = s.raw_text();
    assert_restored(&raw);
    assert_cooked(&raw);
    let progress =
        std::fs::read_to_string(ws.path().join("progress.json")).expect("progress saved");
    assert!(progress.contains("sections_read"), "{progress}");
}

#[test]
fn sigterm_restores_the_terminal_and_saves_progress() {
    let ws = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_sysdesign");
    let mut s = Session::start(bin, &["--workspace", &ws.path().display().to_string()]);
    s.wait_for("Chapters");
    s.send("\r");
    // The reader's header: the catalog's footer also says "continue 1.1".
    s.wait_for(" › Introduction");
    let pid = s.child.process_id().expect("pid");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    s.wait_exit();
    assert_restored(&s.raw_text());
    assert!(
        ws.path().join("progress.json").exists(),
        "progress saved on SIGTERM"
    );
}

#[test]
fn corrupt_progress_is_moved_aside_and_reported() {
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(ws.path().join("progress.json"), "{ this is not json").unwrap();
    let bin = env!("CARGO_BIN_EXE_sysdesign");
    let mut s = Session::start(bin, &["--workspace", &ws.path().display().to_string()]);
    s.wait_for("could not be used");
    s.send("\r");
    s.wait_for("Chapters");
    s.send("q");
    s.wait_exit();
    let names: Vec<String> = std::fs::read_dir(ws.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("progress.json.corrupt-")),
        "{names:?}"
    );
}

#[test]
fn ctrl_c_inside_a_lesson_quits_cleanly() {
    let ws = tempfile::tempdir().unwrap();
    let mut s = app_in_shell(ws.path());
    s.wait_for("Chapters");
    s.send("\r");
    s.wait_for("1.1 ");
    s.send("\x03");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    let raw = s.raw_text();
    assert_restored(&raw);
    assert_cooked(&raw);
}

/// An interactive shell with job control in the pty, running the app as a foreground job.
fn app_in_job_control_shell(workspace: &std::path::Path) -> Session {
    let bin = env!("CARGO_BIN_EXE_sysdesign");
    let mut s = Session::start("bash", &["--norc", "--noprofile", "-i"]);
    s.send("PS1='SHELL> '\r");
    s.wait_for("SHELL> ");
    s.send(&format!("'{bin}' --workspace '{}'\r", workspace.display()));
    s
}

/// The pid of the app: the shell's only child.
#[cfg(target_os = "linux")]
fn app_pid(shell: &Session) -> u32 {
    let shell_pid = shell.child.process_id().expect("shell pid");
    let children =
        std::fs::read_to_string(format!("/proc/{shell_pid}/task/{shell_pid}/children")).unwrap();
    children
        .split_whitespace()
        .next()
        .expect("the app runs under the shell")
        .parse()
        .unwrap()
}

/// What the app wrote since `mark` bytes of output.
fn output_since(s: &Session, mark: usize) -> String {
    String::from_utf8_lossy(&s.raw.lock().unwrap()[mark..]).into_owned()
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_z_and_sigtstp_suspend_and_fg_redraws() {
    let ws = tempfile::tempdir().unwrap();
    let mut s = app_in_job_control_shell(ws.path());
    s.wait_for("Chapters");
    s.send("\r");
    s.wait_for("1.1 ");
    for how in ["Ctrl-Z", "SIGTSTP"] {
        let mark = s.raw.lock().unwrap().len();
        match how {
            "Ctrl-Z" => s.send("\x1a"),
            _ => {
                let pid = app_pid(&s);
                let sent = std::process::Command::new("kill")
                    .args(["-TSTP", &pid.to_string()])
                    .status()
                    .unwrap();
                assert!(sent.success());
            }
        }
        let shell = s.wait_for("Stopped");
        assert!(
            !shell.contains("1.1 "),
            "{how}: the shell's screen is back:\n{shell}"
        );
        let stopped = output_since(&s, mark);
        assert!(
            stopped.contains("\x1b[?1049l"),
            "{how}: left the alternate screen"
        );
        assert!(
            stopped.contains("\x1b[?1000l"),
            "{how}: mouse reporting off"
        );
        // The marker is computed, so the echoed command line does not match it.
        s.send("stty -a | tr '\\n' ' '; echo; echo STTY-$((40+2))\r");
        let stty = s.wait_for("STTY-42");
        assert!(
            !stty.contains("-icanon"),
            "{how}: raw mode is off while stopped:\n{stty}"
        );
        s.send("fg\r");
        // The footer is drawn last: once it is there, the rest of the frame is too.
        let back = s.wait_for("n/p");
        assert!(
            back.contains("1.1 ") && back.contains("Introduction"),
            "{how}: the whole screen is drawn again:\n{back}"
        );
    }
    s.send("q");
    s.wait_for("Chapters");
    s.send("q");
    s.wait_for("SHELL> ");
    s.send("exit\r");
    s.wait_exit();
}

/// `TERM=dumb` cannot show colour: the app draws with bold and reverse only.
#[test]
fn term_dumb_gets_no_colour() {
    let ws = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_sysdesign");
    let mut s = Session::start_with_term(
        bin,
        &["--workspace", &ws.path().display().to_string()],
        "dumb",
    );
    s.wait_for("Chapters");
    s.send("\r");
    s.wait_for("1.1 ");
    s.send("q");
    s.wait_for("Chapters");
    s.send("q");
    s.wait_exit();
    let raw = s.raw_text();
    // Every SGR sequence (`ESC [ params m`): no foreground or background colour in it. 39
    // and 49 (the default colours) are resets, not colours.
    let mut rest = raw.as_str();
    while let Some(i) = rest.find("\x1b[") {
        let after = &rest[i + 2..];
        let len = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(after.len());
        if after[len..].starts_with('m') {
            for param in after[..len].split(';') {
                let n: u32 = param.parse().unwrap_or(0);
                let colour = matches!(n, 30..=38 | 40..=48 | 90..=97 | 100..=107);
                assert!(!colour, "colour under TERM=dumb: {:?}", &after[..len]);
            }
        }
        rest = &after[len..];
    }
}

/// Reading is saved a moment after the student stops moving, so a crash (SIGKILL here)
/// loses at most that moment.
#[test]
fn the_reading_position_survives_a_crash() {
    let ws = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_sysdesign");
    let mut s = Session::start(bin, &["--workspace", &ws.path().display().to_string()]);
    s.wait_for("Chapters");
    s.send("\r");
    s.wait_for("1.1 ");
    s.send("nn");
    s.wait_for("1.2 ");
    std::thread::sleep(Duration::from_millis(1800));
    s.child.kill().unwrap();
    s.wait_exit();
    let saved = std::fs::read_to_string(ws.path().join("progress.json"))
        .expect("progress was saved while reading");
    assert!(saved.contains("\"position\""), "{saved}");
}

/// An editor that cannot be run is explained on the exercise screen at once, in full.
#[test]
fn an_editor_that_cannot_run_is_reported_without_another_key() {
    let ws = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_sysdesign");
    let script = format!(
        "VISUAL= EDITOR=no-such-editor '{bin}' --workspace '{}'",
        ws.path().display()
    );
    let mut s = Session::start("/bin/sh", &["-c", &script]);
    s.wait_for("Chapters");
    s.send("jjjjjj\r"); // chapter 7
    s.wait_for("7.1 ");
    s.send("nn"); // 7.2, which links the round-robin exercise
    s.send("e");
    s.wait_for("Your file:");
    s.send("e");
    let screen = s.wait_for("no-such-editor");
    assert!(screen.contains("graded on save"), "{screen}");
    s.send("q");
    s.send("q");
    s.send("q");
    s.wait_exit();
}

/// Ctrl-Z inside the student's editor stops the whole job, the app with it (editors such
/// as vim send SIGTSTP to their process group), and `fg` brings both back.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_z_in_the_editor_stops_the_whole_job() {
    let ws = tempfile::tempdir().unwrap();
    let editor = ws.path().join("stopping-editor.sh");
    std::fs::write(&editor, "#!/bin/sh\nkill -TSTP 0\nexit 0\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin = env!("CARGO_BIN_EXE_sysdesign");
    let mut s = Session::start("bash", &["--norc", "--noprofile", "-i"]);
    s.send("PS1='SHELL> '\r");
    s.wait_for("SHELL> ");
    s.send(&format!(
        "VISUAL= EDITOR='{}' '{bin}' --workspace '{}'\r",
        editor.display(),
        ws.path().display()
    ));
    s.wait_for("Chapters");
    s.send("jjjjjj\r");
    s.wait_for("7.1 ");
    s.send("nn");
    s.send("e");
    s.wait_for("Your file:");
    s.send("e");
    s.wait_for("Stopped");
    s.send("fg\r");
    s.wait_for("Your file:");
    s.send("q");
    s.send("q");
    s.send("q");
    s.wait_for("SHELL> ");
    s.send("exit\r");
    s.wait_exit();
}
