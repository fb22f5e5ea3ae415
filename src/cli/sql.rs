//! `sysdesign sql`: run SQL against a dataset in an in-memory SQLite database.

use std::io::{IsTerminal, Read};

use crate::sql::datasets::{self, Size};
use crate::sql::format::{self, Format};
use crate::sql::{Mode, Outcome, Sandbox, SqlError};

#[derive(Debug, clap::Args)]
pub struct SqlArgs {
    /// The dataset to load: `shop`, `clicks`, or `none` for an empty database (see --list).
    #[arg(long, default_value = "shop", value_name = "NAME")]
    pub dataset: String,
    /// The dataset's seed: another seed gives other rows of the same shape.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The SQL to run (one or more statements). Without it, statements are read from stdin.
    #[arg(short = 'e', long = "execute", value_name = "SQL")]
    pub execute: Option<String>,
    /// How to print rows.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Fit tables to this many columns [default: the terminal's width; unlimited when piped].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,
    /// List the datasets with their tables.
    #[arg(long, conflicts_with_all = ["execute"])]
    pub list: bool,
}

pub fn run(args: &SqlArgs) -> i32 {
    if args.list {
        print!("{}", list());
        return 0;
    }
    let sandbox = match open(&args.dataset, args.seed) {
        Ok(sandbox) => sandbox,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let (script, source) = match &args.execute {
        Some(sql) => (sql.clone(), "-e"),
        None => {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("error: cannot read SQL from stdin: {e}");
                return 2;
            }
            (text, "<stdin>")
        }
    };
    let width = args.width.map(usize::from).unwrap_or_else(terminal_width);
    sandbox.set_mode(Mode::Student);
    let (ran, error) = sandbox.run_script(&script);
    let mut out = String::new();
    for statement in &ran {
        if let Outcome::Rows(rows) = &statement.outcome {
            if !out.is_empty() && args.format == Format::Table {
                out.push('\n');
            }
            out.push_str(&match args.format {
                Format::Table => format::table(rows, width),
                Format::Csv => format::csv(rows),
                Format::Json => format::json(rows),
            });
        }
    }
    print!("{out}");
    match error {
        None => 0,
        Some(error) => {
            eprint!("{}", located(source, &script, &error));
            1
        }
    }
}

/// `error: <stdin>:3:10: near "FORM": syntax error`, then the line with a caret under the
/// column, as a compiler shows it.
pub fn located(source: &str, script: &str, error: &SqlError) -> String {
    let mut text = format!("error: {source}:{error}\n");
    if let Some(line) = script.lines().nth(error.line - 1) {
        let number = error.line.to_string();
        let gutter = " ".repeat(number.len());
        let caret_at: String = line
            .chars()
            .take(error.col - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        text.push_str(&format!(
            "{gutter} |\n{number} | {line}\n{gutter} | {caret_at}^\n"
        ));
    }
    text
}

fn open(dataset: &str, seed: u64) -> Result<Sandbox, String> {
    if dataset == "none" {
        return Sandbox::open();
    }
    match datasets::find(dataset) {
        Some(d) => d.open(seed, Size::Full),
        None => Err(format!(
            "unknown dataset `{dataset}`; use one of {}, or none",
            datasets::names().join(", ")
        )),
    }
}

fn list() -> String {
    let mut out = String::new();
    for dataset in datasets::all() {
        out.push_str(&format!("{}: {}\n", dataset.name, dataset.description));
    }
    out.push_str("none: an empty database\n");
    out
}

fn terminal_width() -> usize {
    if std::io::stdout().is_terminal()
        && let Ok((columns, _)) = crossterm::terminal::size()
    {
        return usize::from(columns);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(usize::MAX / 4)
}
