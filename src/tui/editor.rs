//! Running the student's editor on their exercise file while the TUI is suspended.

use std::path::Path;
use std::process::Command;

/// `$VISUAL`, else `$EDITOR`, else `vi`, which may carry arguments (`code --wait`).
pub fn open(path: &Path) -> Result<(), String> {
    let configured = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let configured = configured.or_else(|| {
        std::env::var("EDITOR")
            .ok()
            .filter(|v| !v.trim().is_empty())
    });
    let command = configured.unwrap_or_else(|| "vi".to_string());
    let mut words = command.split_whitespace();
    let program = words.next().unwrap_or("vi");
    match Command::new(program).args(words).arg(path).status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("`{command}` exited with {status}; grading anyway")),
        Err(e) => Err(format!(
            "cannot run `{command}` ({e}); set $EDITOR, or edit {} yourself: it is graded on save",
            path.display()
        )),
    }
}
