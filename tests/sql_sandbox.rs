//! The SQL sandbox keeps a script inside its in-memory database and under its time limit,
//! and the datasets are deterministic, sized as promised and skewed.

use std::time::{Duration, Instant};

use sysdesign::sql::datasets::{self, Size};
use sysdesign::sql::{Cell, Mode, Outcome, Sandbox};

fn student() -> Sandbox {
    let sandbox = Sandbox::open().expect("sandbox");
    sandbox.set_mode(Mode::Student);
    sandbox
}

fn error_of(sandbox: &Sandbox, script: &str) -> String {
    let (_, error) = sandbox.run_script(script);
    error.map(|e| e.to_string()).unwrap_or_default()
}

fn scalar(sandbox: &Sandbox, sql: &str) -> Cell {
    sandbox.query(sql).expect(sql).rows[0][0].clone()
}

#[test]
fn attach_detach_and_file_writing_statements_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("escape.db");
    let sandbox = student();
    let path = file.display();
    for (script, expected) in [
        (format!("ATTACH '{path}' AS x"), "ATTACH is not allowed"),
        ("DETACH main".to_string(), "DETACH is not allowed"),
        (format!("VACUUM INTO '{path}'"), "VACUUM INTO writes a file"),
        (
            "SELECT load_extension('x')".to_string(),
            "load_extension is not allowed",
        ),
        (
            "PRAGMA foreign_keys = OFF".to_string(),
            "PRAGMA foreign_keys is not allowed",
        ),
        (
            "PRAGMA writable_schema = 1".to_string(),
            "PRAGMA writable_schema is not allowed",
        ),
    ] {
        let error = error_of(&sandbox, &script);
        assert!(error.contains(expected), "{script}: {error}");
    }
    // Even the program's own (trusted) SQL cannot attach a file.
    let trusted = Sandbox::open().expect("sandbox");
    assert!(error_of(&trusted, &format!("ATTACH '{path}' AS x")).contains("ATTACH"));
    assert!(!file.exists(), "a refused statement created {path}");
    assert_eq!(scalar(&sandbox, "PRAGMA foreign_keys"), Cell::Integer(1));
}

#[test]
fn a_runaway_statement_is_stopped_at_its_time_limit() {
    let mut sandbox = student();
    sandbox.set_time_limit(Duration::from_millis(200));
    let started = Instant::now();
    let error = error_of(
        &sandbox,
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
    );
    assert!(error.contains("time limit"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The connection is still usable afterwards.
    assert_eq!(scalar(&sandbox, "SELECT 1 + 1"), Cell::Integer(2));
}

#[test]
fn a_query_returning_too_many_rows_is_stopped_with_advice() {
    let sandbox = student();
    let error = error_of(
        &sandbox,
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r LIMIT 300000) \
         SELECT n FROM r",
    );
    assert!(
        error.contains("more than 200000 rows; add a WHERE or a LIMIT"),
        "{error}"
    );
    let error = error_of(
        &sandbox,
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r LIMIT 100) \
         SELECT printf('%.*c', 1000000, 'x') FROM r",
    );
    assert!(error.contains("more than 64 MiB of text"), "{error}");
}

#[test]
fn read_only_mode_refuses_writes_but_answers_queries() {
    let sandbox = datasets::find("shop")
        .expect("shop")
        .open(3, Size::Small)
        .expect("build");
    sandbox.set_mode(Mode::ReadOnly);
    for script in [
        "DELETE FROM orders",
        "UPDATE customers SET name = 'x'",
        "CREATE TABLE t (x)",
        "DROP TABLE payments",
    ] {
        assert!(
            error_of(&sandbox, script).contains("only reads"),
            "{script} was allowed"
        );
    }
    assert_eq!(
        scalar(&sandbox, "SELECT count(*) FROM orders"),
        Cell::Integer(150)
    );
}

#[test]
fn errors_carry_sqlites_message_and_the_position_in_the_script() {
    let sandbox = student();
    let (ran, error) = sandbox.run_script("SELECT 1;\n-- a comment\nSELECT * FORM t;");
    assert_eq!(ran.len(), 1);
    assert!(matches!(ran[0].outcome, Outcome::Rows(_)));
    assert_eq!(
        error.expect("an error").to_string(),
        "3:10: near \"FORM\": syntax error"
    );
}

fn fingerprint(name: &str, seed: u64) -> Vec<Vec<Cell>> {
    let sandbox = datasets::find(name)
        .expect("dataset")
        .open(seed, Size::Full)
        .expect("build");
    let tables = sandbox
        .query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("tables");
    tables
        .rows
        .iter()
        .map(|row| {
            let table = row[0].to_string();
            sandbox
                .query(&format!(
                    "SELECT '{table}', count(*), sum(length(quote(t.rowid))) FROM {table} AS t"
                ))
                .expect("count")
                .rows[0]
                .clone()
        })
        .collect()
}

#[test]
fn datasets_are_deterministic_per_seed_and_sized_between_10k_and_100k_rows() {
    for dataset in datasets::all() {
        let a = fingerprint(dataset.name, 7);
        assert_eq!(
            a,
            fingerprint(dataset.name, 7),
            "{} is not deterministic",
            dataset.name
        );
        let rows: i64 = a
            .iter()
            .map(|r| match r[1] {
                Cell::Integer(n) => n,
                _ => 0,
            })
            .sum();
        assert!(
            (10_000..=100_000).contains(&rows),
            "{}: {rows} rows",
            dataset.name
        );
    }
    let one = datasets::find("shop")
        .expect("shop")
        .open(1, Size::Small)
        .expect("build");
    let two = datasets::find("shop")
        .expect("shop")
        .open(2, Size::Small)
        .expect("build");
    let all = "SELECT group_concat(customer_id || status, ',') FROM orders";
    assert_ne!(
        scalar(&one, all),
        scalar(&two, all),
        "seeds 1 and 2 gave the same orders"
    );
}

#[test]
fn the_shop_is_skewed_and_has_nulls_like_real_data() {
    let shop = datasets::find("shop")
        .expect("shop")
        .open(1, Size::Full)
        .expect("build");
    let top_share = scalar(
        &shop,
        "SELECT 1.0 * sum(n) / (SELECT count(*) FROM orders WHERE customer_id IS NOT NULL) FROM \
         (SELECT count(*) AS n FROM orders WHERE customer_id IS NOT NULL GROUP BY customer_id \
          ORDER BY n DESC LIMIT 200)",
    );
    let Cell::Real(share) = top_share else {
        panic!("{top_share:?}")
    };
    assert!(
        share > 0.25,
        "the top 10% of customers place only {share:.2} of orders"
    );
    for (what, sql) in [
        (
            "guest orders",
            "SELECT count(*) FROM orders WHERE customer_id IS NULL",
        ),
        (
            "unknown countries",
            "SELECT count(*) FROM customers WHERE country IS NULL",
        ),
        (
            "unsettled payments",
            "SELECT count(*) FROM payments WHERE paid_at IS NULL",
        ),
        (
            "customers without orders",
            "SELECT count(*) FROM customers WHERE id NOT IN \
             (SELECT customer_id FROM orders WHERE customer_id IS NOT NULL)",
        ),
        (
            "orders sharing a timestamp",
            "SELECT count(*) FROM (SELECT created_at FROM orders GROUP BY created_at \
             HAVING count(*) > 1)",
        ),
    ] {
        let Cell::Integer(n) = scalar(&shop, sql) else {
            panic!("{what}")
        };
        assert!(n > 0, "the shop has no {what}");
    }
    let broken = shop.query("PRAGMA foreign_key_check").expect("check");
    assert!(
        broken.rows.is_empty(),
        "dangling references: {:?}",
        broken.rows
    );
}
