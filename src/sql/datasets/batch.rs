//! Inserting generated rows many per statement: one `INSERT ... VALUES (...), (...), ...`
//! per batch costs far less than one statement per row, which keeps a dataset's build well
//! under the 100 ms the lab promises.

use rusqlite::types::Value;
use rusqlite::{Connection, Statement, params_from_iter};

/// Rows per statement: well under SQLite's limit of 32,766 bound parameters.
const ROWS_PER_BATCH: usize = 64;

pub struct BatchInsert<'c> {
    conn: &'c Connection,
    table: &'static str,
    columns: &'static [&'static str],
    full: Statement<'c>,
    pending: Vec<Value>,
}

impl<'c> BatchInsert<'c> {
    pub fn new(
        conn: &'c Connection,
        table: &'static str,
        columns: &'static [&'static str],
    ) -> rusqlite::Result<Self> {
        let full = conn.prepare(&sql(table, columns, ROWS_PER_BATCH))?;
        Ok(BatchInsert {
            conn,
            table,
            columns,
            full,
            pending: Vec::with_capacity(ROWS_PER_BATCH * columns.len()),
        })
    }

    /// Adds one row (its values in column order); writes a batch when one is full.
    pub fn row(&mut self, values: impl IntoIterator<Item = Value>) -> rusqlite::Result<()> {
        let before = self.pending.len();
        self.pending.extend(values);
        debug_assert_eq!(self.pending.len() - before, self.columns.len());
        if self.pending.len() == ROWS_PER_BATCH * self.columns.len() {
            self.full
                .execute(params_from_iter(self.pending.drain(..)))?;
        }
        Ok(())
    }

    /// Writes the rows of the last, partial batch.
    pub fn finish(mut self) -> rusqlite::Result<()> {
        let rows = self.pending.len() / self.columns.len();
        if rows > 0 {
            self.conn
                .prepare(&sql(self.table, self.columns, rows))?
                .execute(params_from_iter(self.pending.drain(..)))?;
        }
        Ok(())
    }
}

fn sql(table: &str, columns: &[&str], rows: usize) -> String {
    let one = format!("({})", vec!["?"; columns.len()].join(", "));
    format!(
        "INSERT INTO {table} ({}) VALUES {}",
        columns.join(", "),
        vec![one; rows].join(", ")
    )
}
