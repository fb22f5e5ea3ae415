//! The SQL exercises: every starter fails and every solution passes (what `sysdesign check`
//! proves for all exercises), wrong answers (mutants) are rejected with a message that says
//! what differs, and errors in the student's SQL are located in their file.

use sysdesign::grade::dev_check::dev_check;
use sysdesign::grade::{Exercise, GradeResult, Grader, Status, embedded_exercises};

fn sql_exercises() -> Vec<Exercise> {
    let (exercises, problems) = embedded_exercises();
    assert!(problems.is_empty(), "{problems:?}");
    exercises.into_iter().filter(|e| e.kind.is_sql()).collect()
}

fn exercise(id: &str) -> Exercise {
    sql_exercises()
        .into_iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no SQL exercise {id}"))
}

fn grade(id: &str, source: &str, seed: u64) -> GradeResult {
    let grader = Grader::new(std::env::temp_dir().join("sysdesign-sql-unused"));
    grader.grade_source(
        &exercise(id),
        source,
        &format!("sql/{id}.sql"),
        seed,
        &mut |_| {},
    )
}

#[test]
fn there_are_at_least_ten_sql_exercises_of_every_kind() {
    let exercises = sql_exercises();
    assert!(exercises.len() >= 10, "{} SQL exercises", exercises.len());
    for kind in ["sql-query", "sql-schema", "sql-index"] {
        assert!(
            exercises.iter().any(|e| e.kind.as_str() == kind),
            "no {kind} exercise"
        );
    }
}

#[test]
fn every_starter_fails_and_every_solution_passes() {
    let grader = Grader::new(std::env::temp_dir().join("sysdesign-sql-unused"));
    for seed in [1, 77] {
        let findings = dev_check(&grader, &sql_exercises(), seed, &mut |_| {});
        let text: Vec<String> = findings.iter().map(|f| f.to_string()).collect();
        assert!(findings.is_empty(), "seed {seed}:\n{}", text.join("\n"));
    }
}

/// Wrong answers a student might write; each must fail (not pass, and not error).
const MUTANTS: &[(&str, &str, &str)] = &[
    (
        "sql-outer-join",
        "LEFT JOIN but count(*) counts the NULL row",
        "SELECT c.id, c.name, count(*) AS orders FROM customers c LEFT JOIN orders o \
         ON o.customer_id = c.id GROUP BY c.id ORDER BY orders DESC, c.id",
    ),
    (
        "sql-outer-join",
        "right rows, unnamed column",
        "SELECT c.id, c.name, count(o.id) FROM customers c LEFT JOIN orders o \
         ON o.customer_id = c.id GROUP BY c.id ORDER BY 3 DESC, c.id",
    ),
    (
        "sql-outer-join",
        "ties not broken by id",
        "SELECT c.id, c.name, count(o.id) AS orders FROM customers c LEFT JOIN orders o \
         ON o.customer_id = c.id GROUP BY c.id ORDER BY orders DESC, c.name DESC",
    ),
    (
        "sql-having",
        ">= instead of >",
        "SELECT o.customer_id, count(DISTINCT o.id) AS orders, \
         sum(i.quantity * i.unit_price_cents) AS spent_cents FROM orders o \
         JOIN order_items i ON i.order_id = o.id WHERE o.status IN ('paid', 'shipped') \
         AND o.customer_id IS NOT NULL GROUP BY o.customer_id \
         HAVING spent_cents >= 50000 ORDER BY spent_cents DESC, o.customer_id",
    ),
    (
        "sql-having",
        "counts items instead of orders",
        "SELECT o.customer_id, count(o.id) AS orders, \
         sum(i.quantity * i.unit_price_cents) AS spent_cents FROM orders o \
         JOIN order_items i ON i.order_id = o.id WHERE o.status IN ('paid', 'shipped') \
         AND o.customer_id IS NOT NULL GROUP BY o.customer_id \
         HAVING spent_cents > 50000 ORDER BY spent_cents DESC, o.customer_id",
    ),
    (
        "sql-having",
        "keeps the guests",
        "SELECT o.customer_id, count(DISTINCT o.id) AS orders, \
         sum(i.quantity * i.unit_price_cents) AS spent_cents FROM orders o \
         JOIN order_items i ON i.order_id = o.id WHERE o.status IN ('paid', 'shipped') \
         GROUP BY o.customer_id HAVING spent_cents > 50000 \
         ORDER BY spent_cents DESC, o.customer_id",
    ),
    (
        "sql-window-latest",
        "rank by id only: right on the visible data",
        "SELECT customer_id, id AS order_id, created_at FROM (SELECT customer_id, id, \
         created_at, row_number() OVER (PARTITION BY customer_id ORDER BY id DESC) AS rn \
         FROM orders WHERE customer_id IS NOT NULL) WHERE rn = 1 ORDER BY customer_id",
    ),
    (
        "sql-window-latest",
        "ties broken the wrong way",
        "SELECT customer_id, id AS order_id, created_at FROM (SELECT customer_id, id, \
         created_at, row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC, \
         id ASC) AS rn FROM orders WHERE customer_id IS NOT NULL) WHERE rn = 1 \
         ORDER BY customer_id",
    ),
    (
        "sql-running-total",
        "drops the last second of March",
        "WITH d AS (SELECT date(o.created_at) AS day, sum(p.amount_cents) AS revenue_cents \
         FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.created_at >= '2025-03-01' \
         AND o.created_at < '2025-03-31 23:59:59' GROUP BY day) SELECT day, revenue_cents, \
         sum(revenue_cents) OVER (ORDER BY day) AS running_cents FROM d ORDER BY day",
    ),
    (
        "sql-running-total",
        "includes midnight of April 1st",
        "WITH d AS (SELECT date(o.created_at) AS day, sum(p.amount_cents) AS revenue_cents \
         FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.created_at >= '2025-03-01' \
         AND o.created_at <= '2025-04-01 00:00:00' GROUP BY day) SELECT day, revenue_cents, \
         sum(revenue_cents) OVER (ORDER BY day) AS running_cents FROM d ORDER BY day",
    ),
    (
        "sql-running-total",
        "no running total: the month's total on every row",
        "WITH d AS (SELECT date(o.created_at) AS day, sum(p.amount_cents) AS revenue_cents \
         FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.created_at >= '2025-03-01' \
         AND o.created_at < '2025-04-01' GROUP BY day) SELECT day, revenue_cents, \
         sum(revenue_cents) OVER () AS running_cents FROM d ORDER BY day",
    ),
    (
        "sql-keyset-pagination",
        "skips orders in the cursor's second",
        "SELECT id, customer_id, created_at FROM orders WHERE created_at > '2025-06-30 03:53:43' \
         ORDER BY created_at, id LIMIT 20",
    ),
    (
        "sql-keyset-pagination",
        "right rows, but reads the table from the start",
        "SELECT id, customer_id, created_at FROM orders o WHERE (SELECT count(*) FROM orders x \
         WHERE (x.created_at, x.id) <= ('2025-06-30 03:53:43', 5950)) >= 0 AND \
         (o.created_at, o.id) > ('2025-06-30 03:53:43', 5950) ORDER BY o.created_at + 0, o.id \
         LIMIT 20",
    ),
    (
        "sql-n-plus-one",
        "an inner join drops guest orders",
        "SELECT o.id, o.created_at, c.name AS customer_name FROM orders o JOIN customers c \
         ON c.id = o.customer_id ORDER BY o.created_at DESC, o.id DESC LIMIT 50",
    ),
    (
        "sql-n-plus-one",
        "sorted the wrong way",
        "SELECT o.id, o.created_at, c.name AS customer_name FROM orders o LEFT JOIN customers c \
         ON c.id = o.customer_id ORDER BY o.created_at, o.id LIMIT 50",
    ),
    (
        "sql-normalize",
        "the customer's name copied onto orders",
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
         CREATE TABLE products (sku TEXT PRIMARY KEY, name TEXT NOT NULL, price_cents INTEGER NOT NULL CHECK (price_cents > 0));
         CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), customer_name TEXT, ordered_at TEXT NOT NULL);
         CREATE TABLE order_items (order_id INTEGER NOT NULL REFERENCES orders (id), product_sku TEXT NOT NULL REFERENCES products (sku), quantity INTEGER NOT NULL CHECK (quantity > 0), unit_price_cents INTEGER NOT NULL, PRIMARY KEY (order_id, product_sku));",
    ),
    (
        "sql-normalize",
        "no composite key on order_items",
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
         CREATE TABLE products (sku TEXT PRIMARY KEY, name TEXT NOT NULL, price_cents INTEGER NOT NULL CHECK (price_cents > 0));
         CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), ordered_at TEXT NOT NULL);
         CREATE TABLE order_items (order_id INTEGER NOT NULL REFERENCES orders (id), product_sku TEXT NOT NULL REFERENCES products (sku), quantity INTEGER NOT NULL CHECK (quantity > 0), unit_price_cents INTEGER NOT NULL);",
    ),
    (
        "sql-constraints",
        "no rule across the two account columns",
        "CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, email TEXT NOT NULL UNIQUE, balance_cents INTEGER NOT NULL DEFAULT 0 CHECK (balance_cents >= 0));
         CREATE TABLE transfers (id INTEGER PRIMARY KEY, from_account INTEGER NOT NULL REFERENCES accounts (id), to_account INTEGER NOT NULL REFERENCES accounts (id), amount_cents INTEGER NOT NULL CHECK (amount_cents > 0), created_at TEXT NOT NULL);",
    ),
    (
        "sql-constraints",
        "references without NOT NULL",
        "CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, email TEXT NOT NULL UNIQUE, balance_cents INTEGER NOT NULL DEFAULT 0 CHECK (balance_cents >= 0));
         CREATE TABLE transfers (id INTEGER PRIMARY KEY, from_account INTEGER REFERENCES accounts (id), to_account INTEGER REFERENCES accounts (id), amount_cents INTEGER NOT NULL CHECK (amount_cents > 0), created_at TEXT NOT NULL, CHECK (from_account <> to_account));",
    ),
    (
        "sql-read-model",
        "insert trigger only",
        "CREATE TABLE customer_stats (customer_id INTEGER PRIMARY KEY, orders INTEGER NOT NULL, spent_cents INTEGER NOT NULL);
         INSERT INTO customer_stats SELECT customer_id, count(*), sum(total_cents) FROM orders GROUP BY customer_id;
         CREATE TRIGGER s AFTER INSERT ON orders BEGIN INSERT INTO customer_stats VALUES (NEW.customer_id, 1, NEW.total_cents) ON CONFLICT (customer_id) DO UPDATE SET orders = orders + 1, spent_cents = spent_cents + excluded.spent_cents; END;",
    ),
    (
        "sql-read-model",
        "a view is always right but is not a read model: it recomputes on every read",
        "CREATE VIEW customer_stats AS SELECT customer_id, count(*) AS orders, sum(total_cents) AS spent_cents FROM orders GROUP BY customer_id;",
    ),
    (
        "sql-composite-index",
        "customer_id alone: the ORDER BY needs a sort",
        "CREATE INDEX o ON orders (customer_id);",
    ),
    (
        "sql-composite-index",
        "two indexes, over the budget",
        "CREATE INDEX a ON orders (customer_id, created_at); CREATE INDEX b ON orders (status);",
    ),
    (
        "sql-composite-index",
        "more than indexes",
        "CREATE INDEX a ON orders (customer_id, created_at); DROP TABLE payments;",
    ),
    (
        "sql-covering-index",
        "the range column missing from the index",
        "CREATE INDEX c ON clicks (link_id, referrer);",
    ),
    (
        "sql-covering-index",
        "columns in the wrong order",
        "CREATE INDEX c ON clicks (clicked_at, referrer, link_id);",
    ),
];

#[test]
fn wrong_answers_are_rejected() {
    let mut accepted = Vec::new();
    for (id, what, source) in MUTANTS {
        let seed = 2024;
        let result = grade(id, source, seed);
        if result.status != Status::Fail {
            accepted.push(format!(
                "{id} ({what}, seed {seed}): {:?} {:?}",
                result.status, result.message
            ));
        }
    }
    assert!(
        accepted.is_empty(),
        "not rejected:\n{}",
        accepted.join("\n")
    );
}

#[test]
fn a_mismatch_says_what_differs() {
    let result = grade(
        "sql-outer-join",
        "SELECT c.id, c.name FROM customers c ORDER BY c.id",
        1,
    );
    let first = result.first_problem().expect("a failed check");
    assert_eq!(
        first.message.as_deref(),
        Some("expected 3 columns (id, name, orders); got 2 (id, name)")
    );
    let result = grade(
        "sql-n-plus-one",
        "SELECT o.id, o.created_at, c.name AS customer_name FROM orders o LEFT JOIN customers c \
         ON c.id = o.customer_id ORDER BY o.created_at DESC, o.id LIMIT 50",
        1,
    );
    assert_eq!(result.status, Status::Fail);
    assert!(
        result.tests.iter().any(|t| t
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with("the right rows in the wrong order: row "))),
        "{:?}",
        result.tests
    );
}

#[test]
fn sql_errors_are_located_in_the_students_file() {
    let result = grade("sql-outer-join", "SELECT id,\n  name\nFORM customers", 1);
    assert_eq!(result.status, Status::Error);
    assert_eq!(
        result.message.as_deref(),
        Some("sql/sql-outer-join.sql:3:6: near \"customers\": syntax error")
    );
    let result = grade("sql-outer-join", "SELECT 1;\nSELECT 2;", 1);
    assert_eq!(result.status, Status::Error);
    assert!(
        result
            .message
            .as_deref()
            .unwrap_or("")
            .contains(":2: write exactly one query"),
        "{:?}",
        result.message
    );
    let result = grade("sql-outer-join", "DELETE FROM orders", 1);
    assert_eq!(result.status, Status::Error);
    assert!(
        result
            .message
            .as_deref()
            .unwrap_or("")
            .contains("only reads"),
        "{:?}",
        result.message
    );
    let result = grade(
        "sql-normalize",
        "CREATE TABLE t (x);\nATTACH 'x.db' AS x;",
        1,
    );
    assert_eq!(result.status, Status::Error);
    assert!(
        result
            .message
            .as_deref()
            .unwrap_or("")
            .starts_with("sql/sql-normalize.sql:2:1: ATTACH is not allowed"),
        "{:?}",
        result.message
    );
}
