//! Running the real binary and comparing its output with golden files, shared by the CLI
//! golden tests. Set UPDATE_GOLDEN=1 to rewrite the files after an intended change, then
//! review the diff.

use std::path::Path;
use std::process::Command;

pub fn sysdesign(args: &[&str], workspace: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sysdesign"))
        .args(args)
        .arg("--workspace")
        .arg(workspace)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "80")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run sysdesign");
    let text = |b: &[u8]| {
        String::from_utf8_lossy(b).replace(&workspace.display().to_string(), "$WORKSPACE")
    };
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

pub fn golden(dir: &str, name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(dir)
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with UPDATE_GOLDEN=1",
            path.display()
        )
    });
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (e, a))| e != a)
            .take(5)
            .map(|(i, (e, a))| format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1))
            .collect();
        panic!(
            "{name} differs from its golden file ({} vs {} lines):\n{}\nrun with UPDATE_GOLDEN=1 to accept",
            expected.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}
