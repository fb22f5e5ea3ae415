//! Taking over the terminal and always giving it back: on quit, on error, on panic and on
//! signals. Raw mode off, alternate screen left, mouse capture off, cursor shown.

use std::io::{self, Stdout, Write, stdout};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{
    cursor::{Hide, Show},
    event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture},
    execute,
    terminal::{
        Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode,
        enable_raw_mode,
    },
};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

pub fn enter() -> io::Result<Term> {
    install_panic_hook();
    enable_raw_mode()?;
    let mut out = stdout();
    if let Err(e) = execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        Hide
    ) {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(stdout()))
}

/// Take the terminal back after a program we suspended for (the student's editor).
pub fn resume(term: &mut Term) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        Hide,
        Clear(ClearType::All)
    )?;
    // A fresh Terminal has an empty back buffer, so the next draw repaints every cell.
    // (`Terminal::clear` would ask the terminal for the cursor position and wait for the
    // answer, which the student's editor may have left unread.)
    *term = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok(())
}

/// Undo everything `enter` did. Safe to call more than once.
pub fn restore() {
    let mut out = stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Stop the process as the shell's Ctrl-Z would, and return once it is continued (`fg`).
/// In an orphaned process group (no job-control shell that could continue it) the kernel
/// discards the signal and this returns at once.
pub fn stop_self() {
    #[cfg(unix)]
    with_default_stop(|| {
        // SAFETY: `raise` delivers to this thread before it returns: the process stops here.
        unsafe {
            libc::raise(libc::SIGTSTP);
        }
    });
}

/// Run `f` with SIGTSTP's default action (stop) in place of the app's own handler. The app
/// handles SIGTSTP to give the terminal back first; while a program it runs owns the
/// terminal (the student's editor), Ctrl-Z there must stop the whole job, the app included,
/// as the shell expects.
#[cfg(unix)]
pub fn with_default_stop<T>(f: impl FnOnce() -> T) -> T {
    // SAFETY: plain sigaction calls with a zeroed, then filled, struct; the previous action
    // is put back before returning.
    let (swapped, previous) = unsafe {
        let mut default: libc::sigaction = std::mem::zeroed();
        default.sa_sigaction = libc::SIG_DFL;
        libc::sigemptyset(&mut default.sa_mask);
        let mut previous: libc::sigaction = std::mem::zeroed();
        let swapped = libc::sigaction(libc::SIGTSTP, &default, &mut previous) == 0;
        (swapped, previous)
    };
    let out = f();
    if swapped {
        // SAFETY: as above, restoring the action saved there.
        unsafe {
            libc::sigaction(libc::SIGTSTP, &previous, std::ptr::null_mut());
        }
    }
    out
}

#[cfg(not(unix))]
pub fn with_default_stop<T>(f: impl FnOnce() -> T) -> T {
    f()
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}
