//! A connection that keeps SQL inside one in-memory database.
//!
//! - The database is in memory; the connection is opened without URI filenames.
//! - An authorizer denies ATTACH and DETACH (the only way SQLite SQL reaches another file),
//!   `load_extension`, and every PRAGMA outside a read-only allow-list (so a student cannot
//!   turn foreign keys off or point `temp_store_directory` somewhere). `VACUUM INTO`, which
//!   writes a file, is refused before it is prepared.
//! - Extension loading stays off (SQLite's default; nothing here enables it), defensive mode
//!   is on, the schema is untrusted.
//! - A progress handler interrupts any statement that runs past its time limit.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, Once, PoisonError};
use std::time::{Duration, Instant};

use rusqlite::config::DbConfig;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::limits::Limit;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::error::SqlError;
use super::result_set::{Cell, ResultSet};
use super::script::{Piece, split_statements};

/// What the SQL running now may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The program's own SQL: dataset generators and grader probes. Still no ATTACH.
    Trusted = 0,
    /// A student's script: may create and change tables in the in-memory database.
    Student = 1,
    /// A student's query: may only read.
    ReadOnly = 2,
}

/// What one statement did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A statement that returns rows (a SELECT, an EXPLAIN, a PRAGMA).
    Rows(ResultSet),
    /// A statement that changed something: how many rows it changed.
    Done { changes: u64 },
}

/// One statement of a script, run.
#[derive(Debug, Clone, PartialEq)]
pub struct Ran {
    pub offset: usize,
    pub sql: String,
    pub outcome: Outcome,
    pub elapsed: Duration,
}

/// PRAGMAs that only read the schema; any other PRAGMA, and any PRAGMA with a value, is denied.
const READ_PRAGMAS: &[&str] = &[
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "foreign_key_check",
    "foreign_keys",
];

/// The most rows one statement may return: a runaway join would otherwise fill memory with
/// rows faster than the time limit stops it.
pub const MAX_ROWS: usize = 200_000;

/// The most bytes of text and blobs one statement may return, for the same reason.
pub const MAX_RESULT_BYTES: usize = 64 << 20;

/// Process-wide cap on SQLite's heap, so a runaway query fails instead of exhausting memory.
const HEAP_LIMIT_BYTES: i64 = 512 << 20;

struct Guard {
    mode: AtomicU8,
    deadline: Mutex<Option<Instant>>,
    /// Why the authorizer last said no, for a message better than "not authorized".
    denied: Mutex<Option<String>>,
}

pub struct Sandbox {
    conn: Connection,
    guard: Arc<Guard>,
    time_limit: Duration,
}

impl Sandbox {
    /// A fresh, empty in-memory database in [`Mode::Trusted`].
    pub fn open() -> Result<Sandbox, String> {
        static HEAP_LIMIT: Once = Once::new();
        // SAFETY: sets a process-wide soft setting; callable at any time.
        HEAP_LIMIT.call_once(|| unsafe {
            rusqlite::ffi::sqlite3_hard_heap_limit64(HEAP_LIMIT_BYTES);
        });
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_MEMORY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_in_memory_with_flags(flags)
            .map_err(|e| format!("cannot open an in-memory SQLite database: {e}"))?;
        let setup = || -> rusqlite::Result<()> {
            conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
            conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
            conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
            conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, 10_000_000)?;
            conn.execute_batch("PRAGMA foreign_keys = ON")?;
            Ok(())
        };
        setup().map_err(|e| format!("cannot configure SQLite: {e}"))?;
        let guard = Arc::new(Guard {
            mode: AtomicU8::new(Mode::Trusted as u8),
            deadline: Mutex::new(None),
            denied: Mutex::new(None),
        });
        let for_progress = Arc::clone(&guard);
        conn.progress_handler(
            1000,
            Some(move || {
                let deadline = *for_progress
                    .deadline
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                deadline.is_some_and(|d| Instant::now() >= d)
            }),
        )
        .map_err(|e| format!("cannot install the time limit: {e}"))?;
        let for_auth = Arc::clone(&guard);
        conn.authorizer(Some(move |ctx: AuthContext<'_>| {
            let mode = for_auth.mode.load(Ordering::Relaxed);
            match deny_reason(mode, &ctx) {
                None => Authorization::Allow,
                Some(reason) => {
                    *for_auth
                        .denied
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner) = Some(reason);
                    Authorization::Deny
                }
            }
        }))
        .map_err(|e| format!("cannot install the authorizer: {e}"))?;
        Ok(Sandbox {
            conn,
            guard,
            time_limit: Duration::from_secs(2),
        })
    }

    /// The connection, for the program's own SQL (generators, probes).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn set_mode(&self, mode: Mode) {
        self.guard.mode.store(mode as u8, Ordering::Relaxed);
    }

    /// Every statement run through [`Sandbox::run`] may take this long.
    pub fn set_time_limit(&mut self, limit: Duration) {
        self.time_limit = limit;
    }

    pub fn time_limit(&self) -> Duration {
        self.time_limit
    }

    /// Runs every statement of `script` in order and stops at the first error. Returns what
    /// ran, and the error if one stopped it.
    pub fn run_script(&self, script: &str) -> (Vec<Ran>, Option<SqlError>) {
        let mut ran = Vec::new();
        for piece in split_statements(script) {
            let started = Instant::now();
            match self.run(script, &piece) {
                Ok(outcome) => ran.push(Ran {
                    offset: piece.offset,
                    sql: piece.text.to_string(),
                    outcome,
                    elapsed: started.elapsed(),
                }),
                Err(e) => return (ran, Some(e)),
            }
        }
        (ran, None)
    }

    /// Runs one statement of `script` (see [`split_statements`]) under the time limit.
    /// Errors are located in `script`.
    pub fn run(&self, script: &str, piece: &Piece<'_>) -> Result<Outcome, SqlError> {
        // SQLite's C API reads SQL up to a NUL and rusqlite refuses one with "bad parameter
        // or other API misuse"; point at the byte instead.
        if let Some(at) = piece.text.find('\0') {
            return Err(SqlError::at(
                script,
                piece.offset + at,
                "the SQL contains a NUL byte; remove it",
            ));
        }
        if let Some(message) = refuse_before_prepare(piece.text) {
            return Err(SqlError::at(script, piece.offset, message));
        }
        self.clear_denied();
        *self.deadline() = Some(Instant::now() + self.time_limit);
        let result = self.step(piece.text);
        *self.deadline() = None;
        result.map_err(|e| self.locate(script, piece.offset, e))
    }

    /// Runs one statement and returns its rows (an empty set for a statement without rows).
    pub fn query(&self, sql: &str) -> Result<ResultSet, SqlError> {
        let piece = Piece {
            offset: 0,
            text: sql,
        };
        match self.run(sql, &piece)? {
            Outcome::Rows(rows) => Ok(rows),
            Outcome::Done { .. } => Ok(ResultSet::default()),
        }
    }

    fn step(&self, sql: &str) -> rusqlite::Result<Outcome> {
        let mut stmt = self.conn.prepare(sql)?;
        if stmt.column_count() == 0 {
            let changes = stmt.execute([])?;
            return Ok(Outcome::Done {
                changes: changes as u64,
            });
        }
        let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
        let width = columns.len();
        let mut rows = Vec::new();
        let mut bytes = 0;
        let mut cursor = stmt.query([])?;
        while let Some(row) = cursor.next()? {
            if rows.len() == MAX_ROWS {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_TOOBIG),
                    Some(format!(
                        "the query returns more than {MAX_ROWS} rows; add a WHERE or a LIMIT"
                    )),
                ));
            }
            let mut cells = Vec::with_capacity(width);
            for i in 0..width {
                let value = row.get_ref(i)?;
                if let rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) =
                    value
                {
                    bytes += b.len();
                }
                cells.push(Cell::from_ref(value));
            }
            if bytes > MAX_RESULT_BYTES {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_TOOBIG),
                    Some(format!(
                        "the query returns more than {} MiB of text; select fewer or shorter \
                         values",
                        MAX_RESULT_BYTES >> 20
                    )),
                ));
            }
            rows.push(cells);
        }
        Ok(Outcome::Rows(ResultSet { columns, rows }))
    }

    fn deadline(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        self.guard
            .deadline
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn clear_denied(&self) {
        *self
            .guard
            .denied
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }

    fn locate(&self, script: &str, offset: usize, error: rusqlite::Error) -> SqlError {
        match error {
            rusqlite::Error::SqlInputError {
                msg, offset: at, ..
            } => {
                // SQLite gives no offset for some errors ("no such table"): find the name.
                let at = usize::try_from(at)
                    .ok()
                    .or_else(|| named_in(&script[offset.min(script.len())..], &msg))
                    .unwrap_or(0);
                let message = self.explain_denial(msg);
                SqlError::at(script, offset + at, message)
            }
            rusqlite::Error::SqliteFailure(e, msg) if e.code == ErrorCode::OperationInterrupted => {
                let _ = msg;
                SqlError::at(
                    script,
                    offset,
                    format!(
                        "the statement ran longer than {:.1} s, the time limit, and was stopped; \
                         look for a join without a condition or a runaway recursive CTE",
                        self.time_limit.as_secs_f64()
                    ),
                )
            }
            rusqlite::Error::SqliteFailure(e, msg) => {
                let message = msg.unwrap_or_else(|| e.to_string());
                let at = named_in(&script[offset.min(script.len())..], &message).unwrap_or(0);
                let mut error = SqlError::at(script, offset + at, self.explain_denial(message));
                error.constraint = e.code == ErrorCode::ConstraintViolation;
                error
            }
            other => SqlError::at(script, offset, other.to_string()),
        }
    }

    fn explain_denial(&self, message: String) -> String {
        let denied = self
            .guard
            .denied
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match denied {
            Some(reason)
                if message.contains("not authorized")
                    || message.contains("authorization denied") =>
            {
                reason
            }
            _ => message,
        }
    }
}

/// Statements refused by their text because the authorizer never sees them.
fn refuse_before_prepare(sql: &str) -> Option<String> {
    let words: Vec<String> = sql
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .take(3)
        .map(|w| w.to_ascii_lowercase())
        .collect();
    if words.first().is_none_or(|w| w != "vacuum") {
        return None;
    }
    Some(if words.iter().any(|w| w == "into") {
        "VACUUM INTO writes a file and is not allowed here: the lab keeps everything in one \
         in-memory database"
            .to_string()
    } else {
        "VACUUM is not needed here: the database lives in memory and is rebuilt on every run"
            .to_string()
    })
}

fn deny_reason(mode: u8, ctx: &AuthContext<'_>) -> Option<String> {
    let in_memory_only = "the lab keeps everything in one in-memory database";
    match ctx.action {
        AuthAction::Attach { .. } => {
            return Some(format!("ATTACH is not allowed: {in_memory_only}"));
        }
        AuthAction::Detach { .. } => {
            return Some(format!("DETACH is not allowed: {in_memory_only}"));
        }
        AuthAction::Function { function_name }
            if function_name.eq_ignore_ascii_case("load_extension") =>
        {
            return Some("load_extension is not allowed here".to_string());
        }
        _ => {}
    }
    if mode == Mode::Trusted as u8 {
        return None;
    }
    match ctx.action {
        AuthAction::Pragma {
            pragma_name,
            pragma_value,
        } => {
            let name = pragma_name.to_ascii_lowercase();
            if READ_PRAGMAS.contains(&name.as_str())
                && (pragma_value.is_none() || name != "foreign_keys")
            {
                None
            } else {
                Some(format!(
                    "PRAGMA {pragma_name} is not allowed here; the schema pragmas {} may be read",
                    READ_PRAGMAS.join(", ")
                ))
            }
        }
        _ if mode == Mode::ReadOnly as u8 && is_write(&ctx.action) => Some(
            "this exercise takes one query that only reads: remove the statement that changes \
             the database"
                .to_string(),
        ),
        _ => None,
    }
}

fn is_write(action: &AuthAction<'_>) -> bool {
    !matches!(
        action,
        AuthAction::Read { .. }
            | AuthAction::Select
            | AuthAction::Function { .. }
            | AuthAction::Recursive
            | AuthAction::Pragma { .. }
    )
}

/// Where the name an error message is about ("no such table: ordrs") first stands in
/// `statement`, as a whole word and in any case: the place to put the caret.
fn named_in(statement: &str, message: &str) -> Option<usize> {
    const ABOUT: [&str; 4] = [
        "no such table: ",
        "no such column: ",
        "no such function: ",
        "no such index: ",
    ];
    let name = ABOUT.iter().find_map(|p| message.strip_prefix(p))?;
    let name = name.rsplit('.').next()?.trim();
    if name.is_empty() || !name.is_ascii() {
        return None;
    }
    let lower = statement.to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    let bytes = lower.as_bytes();
    lower.match_indices(&name).map(|(i, _)| i).find(|&i| {
        !word(i.checked_sub(1).and_then(|j| bytes.get(j))) && !word(bytes.get(i + name.len()))
    })
}

#[cfg(test)]
mod named_tests {
    use super::named_in;

    #[test]
    fn the_caret_goes_under_the_missing_name() {
        let sql = "SELECT id\nFROM customers c\nJOIN ordrs o ON o.customer_id = c.id";
        assert_eq!(named_in(sql, "no such table: ordrs"), sql.find("ordrs"));
        assert_eq!(
            named_in(sql, "no such table: main.ORDRS"),
            sql.find("ordrs")
        );
        // Whole words only: `id` is not found inside `customer_id`.
        assert_eq!(
            named_in("SELECT customer_id, id FROM t", "no such column: id"),
            Some(20)
        );
        assert_eq!(named_in(sql, "syntax error"), None);
    }
}
