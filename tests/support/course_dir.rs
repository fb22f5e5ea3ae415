//! A course directory for `--course DIR` tests: copies of the shipped folders, free to edit.

use std::path::Path;

/// Copies `from` to `to` with everything below it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A temporary course directory holding copies of the shipped `folders` (e.g. "lessons").
pub fn shipped(folders: &[&str]) -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for folder in folders {
        copy_dir(&root.join(folder), &dir.path().join(folder));
    }
    dir
}
