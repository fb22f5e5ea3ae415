//! Rows as SQLite returned them, detached from the connection.

use std::fmt;

use rusqlite::types::ValueRef;
use serde::Serialize;

/// One value, in SQLite's five storage classes.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Cell {
    pub fn from_ref(value: ValueRef<'_>) -> Cell {
        match value {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(i) => Cell::Integer(i),
            ValueRef::Real(r) => Cell::Real(r),
            ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
        }
    }

    /// A key that compares values the way a reader would: integers and reals that print the
    /// same are equal (`2` and `2.0`), reals are rounded to 9 significant digits so that
    /// summation order does not matter, and NULL is its own value.
    pub fn comparable(&self) -> String {
        match self {
            Cell::Null => "\u{0}NULL".to_string(),
            Cell::Integer(i) => format!("n{i}"),
            Cell::Real(r) if r.fract() == 0.0 && r.abs() < 9e15 => format!("n{}", *r as i64),
            Cell::Real(r) => format!("n{r:.9e}"),
            Cell::Text(t) => format!("t{t}"),
            Cell::Blob(b) => format!("b{b:?}"),
        }
    }

    /// How the value reads in SQL: `NULL`, `42`, `'text'`.
    pub fn literal(&self) -> String {
        match self {
            Cell::Text(t) => format!("'{}'", t.replace('\'', "''")),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Null => f.write_str("NULL"),
            Cell::Integer(i) => write!(f, "{i}"),
            Cell::Real(r) => write!(f, "{r}"),
            Cell::Text(t) => f.write_str(t),
            Cell::Blob(b) => {
                f.write_str("x'")?;
                for byte in b {
                    write!(f, "{byte:02x}")?;
                }
                f.write_str("'")
            }
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Null => s.serialize_none(),
            Cell::Integer(i) => s.serialize_i64(*i),
            Cell::Real(r) => s.serialize_f64(*r),
            Cell::Text(t) => s.serialize_str(t),
            Cell::Blob(_) => s.serialize_str(&self.to_string()),
        }
    }
}

/// The columns and rows of one query.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl ResultSet {
    /// A row as SQL would write it: `(1, 'Ana', NULL)`.
    pub fn row_literal(row: &[Cell]) -> String {
        let cells: Vec<String> = row.iter().map(Cell::literal).collect();
        format!("({})", cells.join(", "))
    }
}
