use std::path::PathBuf;

use clap::{Parser, Subcommand};

use sysdesign::cli::{self, Env};

/// A terminal workbook for backend architecture and systems design.
///
/// Run with no command to open the course. Every screen has a headless equivalent below.
#[derive(Parser)]
#[command(name = "sysdesign", version, about, long_about = None)]
struct Args {
    /// Load lessons/ (and exercises/) from DIR instead of the built-in course, and reload
    /// lessons live when their files change.
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
    Check,
    /// Show your progress, or reset it.
    Progress {
        /// Delete all progress (asks for confirmation).
        #[arg(long)]
        reset: bool,
        /// Do not ask for confirmation.
        #[arg(long, requires = "reset")]
        yes: bool,
    },
}

fn main() {
    let args = Args::parse();
    let env = Env::new(args.course, args.workspace);
    let code = match args.command {
        None => sysdesign::tui::run(env),
        Some(Command::List { json }) => cli::list::run(&env, json),
        Some(Command::Show {
            lesson,
            width,
            plain,
        }) => cli::show::run(&env, &lesson, width, plain),
        Some(Command::Check) => cli::check::run(&env),
        Some(Command::Progress { reset, yes }) => cli::progress::run(&env, reset, yes),
    };
    std::process::exit(code);
}
