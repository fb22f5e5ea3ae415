//! The datasets the lab queries: each is a schema (`assets/datasets/NAME.sql`) and a seeded
//! generator, so a dataset is a few kilobytes in the binary and is built fresh in
//! milliseconds, and a grader can build other seeds of it to test a query on data the
//! student never saw.

mod batch;
mod clicks;
mod pick;
mod shop;
pub mod time;

use rusqlite::Connection;

use super::sandbox::{Mode, Sandbox};
use crate::sim::rng::Rng;

/// How many rows to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// The visible dataset: 10k–100k rows, skewed like real traffic.
    Full,
    /// A few hundred rows: the hidden variants graders test queries on.
    Small,
}

pub struct Dataset {
    pub name: &'static str,
    /// One line for `sysdesign sql --list`.
    pub description: &'static str,
    /// The `CREATE TABLE` statements.
    pub schema: &'static str,
    generate: fn(&Connection, &mut Rng, Size) -> rusqlite::Result<()>,
}

const DATASETS: &[Dataset] = &[
    Dataset {
        name: "shop",
        description: "customers, products, orders, order_items, payments (about 40k rows)",
        schema: include_str!("../../../assets/datasets/shop.sql"),
        generate: shop::generate,
    },
    Dataset {
        name: "clicks",
        description: "a URL shortener's links and clicks (about 30k rows)",
        schema: include_str!("../../../assets/datasets/clicks.sql"),
        generate: clicks::generate,
    },
];

/// The datasets, in the order `--list` shows them.
pub fn all() -> &'static [Dataset] {
    DATASETS
}

pub fn find(name: &str) -> Option<&'static Dataset> {
    DATASETS.iter().find(|d| d.name == name)
}

/// The names, for error messages.
pub fn names() -> Vec<&'static str> {
    DATASETS.iter().map(|d| d.name).collect()
}

impl Dataset {
    /// Creates the schema and the rows for `seed` in `sandbox`, in one transaction.
    pub fn build(&self, sandbox: &Sandbox, seed: u64, size: Size) -> Result<(), String> {
        sandbox.set_mode(Mode::Trusted);
        let conn = sandbox.conn();
        let fail = |e: rusqlite::Error| format!("cannot build the {} dataset: {e}", self.name);
        // The generators write consistent rows (a test runs PRAGMA foreign_key_check), so the
        // build skips the per-row foreign key lookups and the rollback journal; both come
        // back before anyone else's SQL runs.
        conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA journal_mode = OFF; BEGIN")
            .map_err(fail)?;
        let built = conn
            .execute_batch(self.schema)
            .and_then(|()| (self.generate)(conn, &mut Rng::new(seed), size));
        let ended = match built {
            Ok(()) => conn.execute_batch("COMMIT").map_err(fail),
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(fail(e))
            }
        };
        conn.execute_batch("PRAGMA journal_mode = MEMORY; PRAGMA foreign_keys = ON")
            .map_err(fail)?;
        ended
    }

    /// A new sandbox holding this dataset.
    pub fn open(&self, seed: u64, size: Size) -> Result<Sandbox, String> {
        let sandbox = Sandbox::open()?;
        self.build(&sandbox, seed, size)?;
        Ok(sandbox)
    }
}
