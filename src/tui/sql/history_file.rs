//! The console's history on disk, `<workspace>/sql-history.json`: the queries a student ran,
//! oldest first, so that Ctrl-P brings back yesterday's query as a shell's history does.
//! A file that does not read as a history is moved aside (never overwritten) and the console
//! starts with an empty one.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::grade::files::write_atomic;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryFile {
    version: u32,
    queries: Vec<String>,
}

const VERSION: u32 = 1;

pub fn path(workspace_root: &Path) -> PathBuf {
    workspace_root.join("sql-history.json")
}

/// What `load` found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    pub queries: Vec<String>,
    /// Said to the student when the file was set aside or could not be read.
    pub notice: Option<String>,
}

pub fn load(path: &Path) -> Loaded {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Loaded::default(),
        Err(e) => {
            return Loaded {
                queries: Vec::new(),
                notice: Some(format!("cannot read {}: {e}", path.display())),
            };
        }
    };
    match serde_json::from_slice::<HistoryFile>(&bytes) {
        Ok(file) if file.version == VERSION => Loaded {
            queries: file.queries,
            notice: None,
        },
        // A newer sysdesign's file: leave it alone and keep this session's queries in memory.
        Ok(file) => Loaded {
            queries: Vec::new(),
            notice: Some(format!(
                "{} is from a newer sysdesign (version {}); this session's queries are not saved",
                path.display(),
                file.version
            )),
        },
        Err(e) => {
            let aside = path.with_extension("json.corrupt");
            let notice = match std::fs::rename(path, &aside) {
                Ok(()) => format!(
                    "{} did not read as a query history ({e}); moved it to {}",
                    path.display(),
                    aside.display()
                ),
                Err(m) => format!("{} did not read ({e}) nor move ({m})", path.display()),
            };
            Loaded {
                queries: Vec::new(),
                notice: Some(notice),
            }
        }
    }
}

/// Writes the whole history atomically; a newer sysdesign's file is left as it is.
pub fn save(path: &Path, queries: &[String]) -> io::Result<()> {
    if let Ok(bytes) = std::fs::read(path)
        && let Ok(file) = serde_json::from_slice::<HistoryFile>(&bytes)
        && file.version > VERSION
    {
        return Ok(());
    }
    let file = HistoryFile {
        version: VERSION,
        queries: queries.to_vec(),
    };
    let text = serde_json::to_string_pretty(&file).map_err(io::Error::other)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_history_loads_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let p = path(dir.path());
        assert_eq!(load(&p), Loaded::default());
        let queries = vec!["SELECT 1".to_string(), "SELECT *\nFROM orders".to_string()];
        save(&p, &queries).unwrap();
        assert_eq!(load(&p).queries, queries);
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let p = path(dir.path());
        std::fs::write(&p, "not json").unwrap();
        let loaded = load(&p);
        assert!(loaded.queries.is_empty());
        assert!(loaded.notice.unwrap().contains("moved it to"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("sql-history.json.corrupt")).unwrap(),
            "not json"
        );
    }

    #[test]
    fn a_newer_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let p = path(dir.path());
        let newer = r#"{"version": 2, "queries": ["SELECT 2"]}"#;
        std::fs::write(&p, newer).unwrap();
        assert!(load(&p).notice.unwrap().contains("newer sysdesign"));
        save(&p, &["SELECT 1".to_string()]).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), newer);
    }
}
