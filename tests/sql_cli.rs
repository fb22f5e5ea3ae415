//! `sysdesign sql` output compared with golden files in tests/golden/sql. Set
//! UPDATE_GOLDEN=1 to rewrite them after an intended change, then review the diff.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn sql(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let workspace = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sysdesign"))
        .arg("sql")
        .args(args)
        .arg("--workspace")
        .arg(workspace.path())
        .env("COLUMNS", "80")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sysdesign");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or("").as_bytes())
        .expect("write stdin");
    drop(input);
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/sql")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}; run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(
        expected, actual,
        "{name} differs; run with UPDATE_GOLDEN=1 to accept"
    );
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sql")
            .join(name),
    )
    .expect("fixture")
}

const TOP_CUSTOMERS: &str = "SELECT c.id, c.name, c.email, c.country, count(o.id) AS orders \
    FROM customers AS c LEFT JOIN orders AS o ON o.customer_id = c.id \
    GROUP BY c.id ORDER BY orders DESC, c.id LIMIT 5";

#[test]
fn a_table_fits_the_width_it_is_given() {
    for width in [100u16, 50] {
        let (code, out, err) = sql(&["-e", TOP_CUSTOMERS, "--width", &width.to_string()], None);
        assert_eq!((code, err.as_str()), (0, ""));
        for line in out.lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= usize::from(width),
                "wider than {width}: {line}"
            );
        }
        golden(&format!("top_customers_{width}.txt"), &out);
    }
}

#[test]
fn csv_and_json_print_every_value_in_full() {
    let query = "SELECT device, count(*) AS clicks, count(country) AS located FROM clicks \
                 GROUP BY device ORDER BY clicks DESC";
    for format in ["csv", "json"] {
        let (code, out, err) = sql(
            &["--dataset", "clicks", "-e", query, "--format", format],
            None,
        );
        assert_eq!((code, err.as_str()), (0, ""));
        golden(&format!("devices.{format}"), &out);
    }
}

#[test]
fn statements_are_read_from_stdin_when_there_is_no_e() {
    let (code, out, err) = sql(&["--dataset", "none"], Some(&fixture("script.sql")));
    assert_eq!((code, err.as_str()), (0, ""));
    golden("script.txt", &out);
}

#[test]
fn an_error_stops_the_script_and_names_its_line_and_column() {
    let (code, out, err) = sql(
        &["--dataset", "none"],
        Some(&fixture("check_violation.sql")),
    );
    assert_eq!(code, 1);
    golden("check_violation.out.txt", &out);
    golden("check_violation.err.txt", &err);
    let (code, _, err) = sql(&["-e", "SELECT id,\n  name FORM customers"], None);
    assert_eq!(code, 1);
    golden("syntax_error.err.txt", &err);
}

#[test]
fn a_nul_byte_is_pointed_at_and_named() {
    let (code, out, err) = sql(&["--dataset", "none"], Some("SELECT 1;\0SELECT 2;"));
    assert_eq!(code, 1);
    assert!(out.starts_with("1\n"), "what came before it ran:\n{out}");
    assert!(
        err.starts_with("error: <stdin>:1:10: the SQL contains a NUL byte; remove it\n"),
        "{err}"
    );
    let (code, _, err) = sql(&["--dataset", "none"], Some("SELECT 1,\n  2\0;"));
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: <stdin>:2:4: the SQL contains a NUL byte; remove it\n"),
        "{err}"
    );
}

#[test]
fn unknown_datasets_and_forbidden_statements_are_explained() {
    let (code, _, err) = sql(&["--dataset", "shopp", "-e", "SELECT 1"], None);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: unknown dataset `shopp`; use one of shop, clicks, or none\n"
    );
    let (code, _, err) = sql(&["-e", "ATTACH '/tmp/x.db' AS x"], None);
    assert_eq!(code, 1);
    assert!(err.contains("ATTACH is not allowed"), "{err}");
    let (code, out, _) = sql(&["--list"], None);
    assert_eq!(code, 0);
    golden("list.txt", &out);
}
