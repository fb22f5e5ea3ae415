use std::path::PathBuf;

use clap::{Parser, Subcommand};

use sysdesign::cli::{self, Env};

/// A terminal workbook for backend architecture and systems design.
///
/// Run with no command to open the course. Every screen has a headless equivalent below.
#[derive(Parser)]
#[command(name = "sysdesign", version, about, long_about = None)]
struct Args {
    /// Load lessons/ (and exercises/) from DIR instead of the built-in course. In the app,
    /// lessons reload live when their files change.
    #[arg(long, global = true, value_name = "DIR")]
    course: Option<PathBuf>,
    /// Where progress and the exercise workspace live [default: the user's data directory].
    #[arg(long, global = true, value_name = "DIR")]
    workspace: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// List chapters and lessons with their sizes and your progress.
    List {
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Print a rendered lesson.
    Show {
        /// The lesson id, e.g. `intro` (see `sysdesign list`).
        lesson: String,
        /// Wrap to this many columns [default: the terminal's width, or 80 when piped].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..=1000))]
        width: Option<u16>,
        /// No colours or styles (also when piped or NO_COLOR is set).
        #[arg(long)]
        plain: bool,
    },
    /// Validate every lesson and exercise; print every problem as path:line:col.
    ///
    /// Also proves that every exercise's starter fails and its reference solution passes.
    Check {
        /// Validate lessons and exercise files only; skip building the exercises.
        #[arg(long)]
        lessons_only: bool,
    },
    /// Run a simulation headless and print its metrics.
    Sim(SimArgs),
    /// Run SQL on a dataset in an in-memory SQLite database (stdin when no -e).
    Sql(cli::sql::SqlArgs),
    /// Grade your exercise solutions.
    Grade(sysdesign::grade::cli::GradeArgs),
    /// Manage exercises: list them, or reset one to its starter.
    Exercise {
        #[command(subcommand)]
        command: sysdesign::grade::cli::ExerciseCommand,
    },
    /// Show your progress, or reset it (asks first in a terminal; --yes otherwise).
    Progress {
        /// Delete all progress (asks for confirmation).
        #[arg(long)]
        reset: bool,
        /// Do not ask for confirmation.
        #[arg(long, requires = "reset")]
        yes: bool,
    },
}

#[derive(clap::Args)]
struct SimArgs {
    /// The simulation, e.g. `load-balancer` (see --list).
    #[arg(required_unless_present = "list")]
    kind: Option<String>,
    /// List the simulations with their keys and defaults.
    #[arg(long, conflicts_with = "kind")]
    list: bool,
    /// The seed of the random workload; the same seed gives the same run.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// How many logical ticks to run.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(0..=10_000_000))]
    ticks: u64,
    /// Set a parameter, e.g. --set strategy=least-connections (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    sets: Vec<(String, String)>,
    /// Print a machine-readable summary: settings, metrics, per-entity counters, event log.
    #[arg(long)]
    json: bool,
}

fn parse_key_value(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("`{s}` is not KEY=VALUE"))
}

/// `sysdesign list | head` should stop quietly when `head` has read enough, as other Unix
/// tools do, instead of panicking on the closed pipe. (Not for the TUI: it owns a terminal.)
#[cfg(unix)]
fn exit_quietly_on_closed_pipe() {
    // SAFETY: restoring the default disposition of SIGPIPE at start-up, before any thread.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() {
    let args = Args::parse();
    #[cfg(unix)]
    if args.command.is_some() {
        exit_quietly_on_closed_pipe();
    }
    let env = Env::new(args.course, args.workspace);
    let code = match args.command {
        None => sysdesign::tui::run(env),
        Some(Command::List { json }) => cli::list::run(&env, json),
        Some(Command::Show {
            lesson,
            width,
            plain,
        }) => cli::show::run(&env, &lesson, width, plain),
        Some(Command::Check { lessons_only }) => cli::check::run(&env, !lessons_only),
        Some(Command::Sim(args)) => cli::sim::run(
            args.kind.as_deref(),
            args.list,
            args.seed,
            args.ticks,
            &args.sets,
            args.json,
        ),
        Some(Command::Sql(args)) => cli::sql::run(&args),
        Some(Command::Grade(args)) => cli::exercises::grade(&env, &args),
        Some(Command::Exercise { command }) => cli::exercises::exercise(&env, &command),
        Some(Command::Progress { reset, yes }) => cli::progress::run(&env, reset, yes),
    };
    std::process::exit(code);
}
